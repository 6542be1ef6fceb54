"""The back office: journal entries with an accounting date, a kind, who posted them and what
they reverse; daily balances per account (the reports' sums); sales channels; suppliers'
products and payment terms; supplier bills matched to receipts, supplier payments and their
allocations; billed quantities on orders and receipts; the prepayments account."""
from peewee import *


def up(migrator, db):
    def ref(name):
        class Ref(Model):
            class Meta:
                database = db
                table_name = name
        return Ref

    User, Product, Supplier = ref('user'), ref('product'), ref('supplier')
    Account = ref('account')
    GoodsReceiptLine = ref('goods_receipt_line')

    class Base(Model):
        class Meta:
            database = db

    class AccountDay(Base):
        account = ForeignKeyField(Account, on_delete='RESTRICT')
        date = DateField()
        debit = BigIntegerField(default=0)
        credit = BigIntegerField(default=0)
        class Meta:
            table_name = 'account_day'
            indexes = ((('account', 'date'), True), (('date',), False))

    class SupplierProduct(Base):
        supplier = ForeignKeyField(Supplier, on_delete='CASCADE')
        product = ForeignKeyField(Product, on_delete='CASCADE')
        supplier_sku = CharField(max_length=64, default='')
        last_price = BigIntegerField(null=True)
        last_purchased = DateField(null=True)
        lead_time_days = IntegerField(null=True)
        pack_qty = BigIntegerField(default=1000)
        preferred = BooleanField(default=False)
        class Meta:
            table_name = 'supplier_product'
            indexes = ((('supplier', 'product'), True),)

    class SupplierBill(Base):
        number = CharField(max_length=20, unique=True)
        supplier = ForeignKeyField(Supplier, on_delete='RESTRICT')
        supplier_ref = CharField(max_length=64, default='')
        bill_date = DateField()
        due_date = DateField(index=True)
        status = CharField(max_length=10, default='posted', index=True)
        net = BigIntegerField(default=0)
        tax = BigIntegerField(default=0)
        total = BigIntegerField(default=0)
        paid = BigIntegerField(default=0)
        note = CharField(max_length=200, default='')
        created_by = ForeignKeyField(User, null=True, on_delete='RESTRICT')
        created_at = DateTimeField()
        class Meta:
            table_name = 'supplier_bill'

    class SupplierBillLine(Base):
        bill = ForeignKeyField(SupplierBill, on_delete='RESTRICT')
        line_no = IntegerField()
        receipt_line = ForeignKeyField(GoodsReceiptLine, null=True, on_delete='RESTRICT')
        product = ForeignKeyField(Product, null=True, on_delete='RESTRICT')
        account = ForeignKeyField(Account, null=True, on_delete='RESTRICT')
        description = CharField(max_length=200, default='')
        qty = BigIntegerField(default=0)
        unit_price = BigIntegerField(default=0)
        amount = BigIntegerField(default=0)
        received_cost = BigIntegerField(default=0)
        class Meta:
            table_name = 'supplier_bill_line'

    class SupplierPayment(Base):
        number = CharField(max_length=20, unique=True)
        supplier = ForeignKeyField(Supplier, on_delete='RESTRICT')
        date = DateField()
        amount = BigIntegerField()
        account = ForeignKeyField(Account, on_delete='RESTRICT')
        reference = CharField(max_length=64, default='')
        unallocated = BigIntegerField(default=0)
        created_by = ForeignKeyField(User, null=True, on_delete='RESTRICT')
        created_at = DateTimeField()
        class Meta:
            table_name = 'supplier_payment'

    class PaymentAllocation(Base):
        payment = ForeignKeyField(SupplierPayment, on_delete='RESTRICT')
        bill = ForeignKeyField(SupplierBill, on_delete='RESTRICT')
        amount = BigIntegerField()
        date = DateField()
        class Meta:
            table_name = 'payment_allocation'

    db.create_tables([AccountDay, SupplierProduct, SupplierBill, SupplierBillLine,
                      SupplierPayment, PaymentAllocation])
    migrator.migrate(
        migrator.add_column('journal_entry', 'date', DateField(null=True)),
        migrator.add_column('journal_entry', 'kind', CharField(max_length=12, default='auto')),
        migrator.add_column('journal_entry', 'created_by_id', IntegerField(null=True)),
        migrator.add_column('journal_entry', 'reverses_id', IntegerField(null=True)),
        migrator.add_column('account', 'active', BooleanField(default=True)),
        migrator.add_column('sale', 'channel', CharField(max_length=20, default='pos')),
        migrator.add_column('supplier', 'payment_days', IntegerField(default=30)),
        migrator.add_column('purchase_order_line', 'billed_qty', BigIntegerField(default=0)),
        migrator.add_column('goods_receipt_line', 'billed_qty', BigIntegerField(default=0)),
        migrator.add_column('purchase_order', 'closed_at', DateTimeField(null=True)),
    )
    # Entries made before this version are dated by when they were made (in UTC: their local
    # day is not known here). Their daily balances are summed from their lines.
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql('UPDATE journal_entry SET date = CAST(created_at AS DATE)')
    else:
        db.execute_sql('UPDATE journal_entry SET date = substr(created_at, 1, 10)')
    migrator.migrate(migrator.add_not_null('journal_entry', 'date'),
                     migrator.add_index('journal_entry', ('date',), False))
    db.execute_sql(
        'INSERT INTO account_day (account_id, date, debit, credit) '
        'SELECT l.account_id, e.date, SUM(l.debit), SUM(l.credit) '
        'FROM journal_line l JOIN journal_entry e ON e.id = l.entry_id '
        'GROUP BY l.account_id, e.date')
    for code, name, name_en, kind in (
            ('1123', '预付账款', 'Prepayments to suppliers', 'asset'),
            ('6301', '营业外收入', 'Non-operating income', 'income')):
        p = db.param
        if not db.execute_sql(f'SELECT 1 FROM account WHERE code = {p}', (code,)).fetchone():
            db.execute_sql('INSERT INTO account (code, name, name_en, kind, active) '
                           f'VALUES ({p}, {p}, {p}, {p}, {p})', (code, name, name_en, kind, True))


def down(migrator, db):
    migrator.migrate(
        migrator.drop_index('journal_entry', 'journal_entry_date'),
        migrator.drop_column('purchase_order', 'closed_at'),
        migrator.drop_column('goods_receipt_line', 'billed_qty'),
        migrator.drop_column('purchase_order_line', 'billed_qty'),
        migrator.drop_column('supplier', 'payment_days'),
        migrator.drop_column('sale', 'channel'),
        migrator.drop_column('account', 'active'),
        migrator.drop_column('journal_entry', 'reverses_id'),
        migrator.drop_column('journal_entry', 'created_by_id'),
        migrator.drop_column('journal_entry', 'kind'),
        migrator.drop_column('journal_entry', 'date'),
    )
    for table in ('payment_allocation', 'supplier_payment', 'supplier_bill_line',
                  'supplier_bill', 'supplier_product', 'account_day'):
        db.execute_sql(f'DROP TABLE {table}')
    db.execute_sql("DELETE FROM account WHERE code IN ('1123', '6301')")
