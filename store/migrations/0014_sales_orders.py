"""Sales orders (phone, wholesale and online channels) with their lines and history; a
receivable can come from an order as well as from a till sale."""
from peewee import *


def up(migrator, db):
    def ref(name):
        class Ref(Model):
            class Meta:
                database = db
                table_name = name
        return Ref

    User, Customer, Product, Warehouse = (ref('user'), ref('customer'), ref('product'),
                                          ref('warehouse'))

    class Base(Model):
        class Meta:
            database = db

    class SalesOrder(Base):
        number = CharField(max_length=20, unique=True)
        uuid = UUIDField(unique=True)
        channel = CharField(max_length=20, index=True)
        external_id = CharField(max_length=64, null=True)
        status = CharField(max_length=12, index=True)
        channel_status = CharField(max_length=40, default='')
        customer = ForeignKeyField(Customer, null=True, on_delete='RESTRICT')
        warehouse = ForeignKeyField(Warehouse, on_delete='RESTRICT')
        buyer = CharField(max_length=100, default='')
        recipient_enc = CharField(max_length=600, default='')
        total = BigIntegerField(default=0)
        shipping = BigIntegerField(default=0)
        paid = BigIntegerField(default=0)
        carrier = CharField(max_length=40, default='')
        tracking_no = CharField(max_length=64, default='')
        note = CharField(max_length=500, default='')
        cancel_reason = CharField(max_length=200, default='')
        ordered_at = DateTimeField()
        created_at = DateTimeField()
        updated_at = DateTimeField()
        created_by = ForeignKeyField(User, null=True, on_delete='RESTRICT')
        class Meta:
            table_name = 'sales_order'
            indexes = ((('channel', 'external_id'), True),)

    class SalesOrderLine(Base):
        order = ForeignKeyField(SalesOrder, on_delete='CASCADE')
        line_no = IntegerField()
        product = ForeignKeyField(Product, null=True, on_delete='RESTRICT')
        external_sku = CharField(max_length=64, default='')
        title = CharField(max_length=200, default='')
        qty = BigIntegerField()
        unit_price = BigIntegerField()
        amount = BigIntegerField()
        tax_rate_bp = IntegerField(default=0)
        shipped_qty = BigIntegerField(default=0)
        invoiced_qty = BigIntegerField(default=0)
        class Meta:
            table_name = 'sales_order_line'

    class OrderEvent(Base):
        order = ForeignKeyField(SalesOrder, on_delete='CASCADE')
        at = DateTimeField()
        status = CharField(max_length=12)
        note = CharField(max_length=300, default='')
        user = ForeignKeyField(User, null=True, on_delete='RESTRICT')
        class Meta:
            table_name = 'order_event'

    db.create_tables([SalesOrder, SalesOrderLine, OrderEvent])
    migrator.migrate(
        migrator.add_column('receivable', 'order_id', IntegerField(null=True)),
        migrator.drop_not_null('receivable', 'sale_id'),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_column('receivable', 'order_id'),
    )
    for table in ('order_event', 'sales_order_line', 'sales_order'):
        db.execute_sql(f'DROP TABLE {table}')
