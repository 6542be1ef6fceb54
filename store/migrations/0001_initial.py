"""Master data: company, warehouses, terminals, tenders, catalog, parties and users."""
from peewee import *


def up(migrator, db):
    class Category(Model):
        code = CharField(unique=True, max_length=40)
        name = CharField(max_length=100)
        name_en = CharField(max_length=100, default='')
        parent = ForeignKeyField('self', null=True, on_delete='RESTRICT')
        class Meta:
            database = db
            table_name = 'category'
    db.create_tables([Category])

    class Unit(Model):
        code = CharField(unique=True, max_length=20)
        name = CharField(max_length=20)
        name_en = CharField(max_length=20, default='')
        decimals = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'unit'
    db.create_tables([Unit])

    class TaxRate(Model):
        code = CharField(unique=True, max_length=20)
        name = CharField(max_length=50)
        name_en = CharField(max_length=50, default='')
        rate_bp = IntegerField()
        class Meta:
            database = db
            table_name = 'tax_rate'
    db.create_tables([TaxRate])

    class Product(Model):
        sku = CharField(unique=True, max_length=64)
        name = CharField(index=True, max_length=200)
        name_en = CharField(max_length=200, default='')
        pinyin = CharField(index=True, max_length=400, default='')
        initials = CharField(index=True, max_length=200, default='')
        category = ForeignKeyField(Category, null=True, on_delete='RESTRICT')
        unit = ForeignKeyField(Unit, on_delete='RESTRICT')
        price = BigIntegerField()
        tax_rate = ForeignKeyField(TaxRate, on_delete='RESTRICT')
        cost = BigIntegerField(default=0)
        stock_tracked = BooleanField(default=True)
        sold_by_weight = BooleanField(default=False)
        active = BooleanField(default=True)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'product'
    db.create_tables([Product])

    class Barcode(Model):
        code = CharField(unique=True, max_length=64)
        product = ForeignKeyField(Product, on_delete='CASCADE')
        pack_qty = BigIntegerField(default=1)
        class Meta:
            database = db
            table_name = 'barcode'
    db.create_tables([Barcode])

    class Company(Model):
        name = CharField(max_length=200)
        name_en = CharField(max_length=200, default='')
        address = CharField(max_length=400, default='')
        phone = CharField(max_length=40, default='')
        tax_id = CharField(max_length=40, default='')
        currency = CharField(max_length=3, default='CNY')
        prices_include_tax = BooleanField(default=True)
        cash_rounding = BigIntegerField(null=True)
        receipt_footer = TextField(default='')
        class Meta:
            database = db
            table_name = 'company'
    db.create_tables([Company])

    class PriceList(Model):
        code = CharField(unique=True, max_length=20)
        name = CharField(max_length=100)
        name_en = CharField(max_length=100, default='')
        active = BooleanField(default=True)
        class Meta:
            database = db
            table_name = 'price_list'
    db.create_tables([PriceList])

    class CustomerGroup(Model):
        code = CharField(unique=True, max_length=20)
        name = CharField(max_length=100)
        name_en = CharField(max_length=100, default='')
        price_list = ForeignKeyField(PriceList, null=True, on_delete='SET NULL')
        class Meta:
            database = db
            table_name = 'customer_group'
    db.create_tables([CustomerGroup])

    class Customer(Model):
        code = CharField(unique=True, max_length=32)
        name = CharField(index=True, max_length=100)
        group = ForeignKeyField(CustomerGroup, null=True, on_delete='SET NULL')
        price_list = ForeignKeyField(PriceList, null=True, on_delete='SET NULL')
        credit_limit = BigIntegerField(default=0)
        active = BooleanField(default=True)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'customer'
    db.create_tables([Customer])

    class Supplier(Model):
        code = CharField(unique=True, max_length=20)
        name = CharField(max_length=200)
        contact = CharField(max_length=100, default='')
        phone = CharField(max_length=40, default='')
        lead_time_days = IntegerField(default=3)
        active = BooleanField(default=True)
        class Meta:
            database = db
            table_name = 'supplier'
    db.create_tables([Supplier])

    class TenderType(Model):
        code = CharField(unique=True, max_length=20)
        name = CharField(max_length=50)
        name_en = CharField(max_length=50, default='')
        kind = CharField(max_length=20)
        opens_drawer = BooleanField(default=False)
        needs_reference = BooleanField(default=False)
        active = BooleanField(default=True)
        sort_order = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'tender_type'
    db.create_tables([TenderType])

    class Warehouse(Model):
        code = CharField(unique=True, max_length=20)
        name = CharField(max_length=100)
        name_en = CharField(max_length=100, default='')
        allow_negative = BooleanField(default=True)
        active = BooleanField(default=True)
        class Meta:
            database = db
            table_name = 'warehouse'
    db.create_tables([Warehouse])

    class Terminal(Model):
        code = CharField(unique=True, max_length=20)
        name = CharField(max_length=100)
        warehouse = ForeignKeyField(Warehouse, on_delete='RESTRICT')
        active = BooleanField(default=True)
        class Meta:
            database = db
            table_name = 'terminal'
    db.create_tables([Terminal])

    class User(Model):
        username = CharField(unique=True, max_length=40)
        display_name = CharField(max_length=100, default='')
        role = CharField(max_length=20)
        pin_hash = CharField(null=True, max_length=200)
        password_hash = CharField(null=True, max_length=200)
        active = BooleanField(default=True)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'user'
    db.create_tables([User])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('user'))
    migrator.migrate(migrator.drop_table('terminal'))
    migrator.migrate(migrator.drop_table('warehouse'))
    migrator.migrate(migrator.drop_table('tender_type'))
    migrator.migrate(migrator.drop_table('supplier'))
    migrator.migrate(migrator.drop_table('customer'))
    migrator.migrate(migrator.drop_table('customer_group'))
    migrator.migrate(migrator.drop_table('price_list'))
    migrator.migrate(migrator.drop_table('company'))
    migrator.migrate(migrator.drop_table('barcode'))
    migrator.migrate(migrator.drop_table('product'))
    migrator.migrate(migrator.drop_table('tax_rate'))
    migrator.migrate(migrator.drop_table('unit'))
    migrator.migrate(migrator.drop_table('category'))
