"""Returns to suppliers (退货, issue 19.6): the return and its lines, the units of each receipt
line and bill line already sent back, and a kind on supplier payments so a debit note can be
set against bills like a payment."""
from peewee import *


def up(migrator, db):
    def ref(name):
        class Ref(Model):
            class Meta:
                database = db
                table_name = name
        return Ref

    suppliers, users, accounts = ref('supplier'), ref('user'), ref('account')
    receipts, bills, payments = ref('goods_receipt'), ref('supplier_bill'), ref('supplier_payment')
    products, warehouses = ref('product'), ref('warehouse')
    receipt_lines, bill_lines = ref('goods_receipt_line'), ref('supplier_bill_line')

    class SupplierReturn(Model):
        number = CharField(max_length=20, unique=True)
        supplier = ForeignKeyField(suppliers, on_delete='RESTRICT')
        receipt = ForeignKeyField(receipts, null=True, on_delete='RESTRICT')
        bill = ForeignKeyField(bills, null=True, on_delete='RESTRICT')
        date = DateField()
        reason = CharField(max_length=200, default='')
        value = BigIntegerField(default=0)
        grni = BigIntegerField(default=0)
        net = BigIntegerField(default=0)
        tax = BigIntegerField(default=0)
        refund_account = ForeignKeyField(accounts, null=True, on_delete='RESTRICT')
        debit_note = ForeignKeyField(payments, null=True, on_delete='RESTRICT')
        created_by = ForeignKeyField(users, null=True, on_delete='RESTRICT')
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = 'supplier_return'

    class SupplierReturnLine(Model):
        ret = ForeignKeyField(SupplierReturn, on_delete='CASCADE')
        line_no = IntegerField()
        product = ForeignKeyField(products, on_delete='RESTRICT')
        warehouse = ForeignKeyField(warehouses, on_delete='RESTRICT')
        qty = BigIntegerField()
        receipt_line = ForeignKeyField(receipt_lines, null=True, on_delete='RESTRICT')
        bill_line = ForeignKeyField(bill_lines, null=True, on_delete='RESTRICT')
        unit_price = BigIntegerField(default=0)
        amount = BigIntegerField(default=0)
        value = BigIntegerField(default=0)

        class Meta:
            database = db
            table_name = 'supplier_return_line'

    db.create_tables([SupplierReturn, SupplierReturnLine])
    migrator.migrate(
        migrator.add_column('goods_receipt_line', 'returned_qty', BigIntegerField(default=0)),
        migrator.add_column('supplier_bill_line', 'returned_qty', BigIntegerField(default=0)),
        migrator.add_column('supplier_payment', 'kind', CharField(max_length=10,
                                                                  default='payment')),
    )


def down(migrator, db):
    migrator.migrate(migrator.drop_column('supplier_payment', 'kind'),
                     migrator.drop_column('supplier_bill_line', 'returned_qty'),
                     migrator.drop_column('goods_receipt_line', 'returned_qty'))
    db.execute_sql('DROP TABLE supplier_return_line')
    db.execute_sql('DROP TABLE supplier_return')
