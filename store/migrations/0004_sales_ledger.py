"""Sales, shifts, payments, gap-free counters, and the ledger with a default chart of accounts."""
from peewee import *

CHART = (
    # code, 中文, English, kind
    ("1001", "库存现金", "Cash on hand", "asset"),
    ("1002", "银行存款", "Bank", "asset"),
    ("1012", "其他货币资金-微信/支付宝", "Other monetary funds - WeChat/Alipay", "asset"),
    ("1122", "应收账款", "Accounts receivable", "asset"),
    ("1405", "库存商品", "Inventory", "asset"),
    ("2202", "应付账款", "Accounts payable", "liability"),
    ("2203", "预收账款-储值卡/代金券", "Customer deposits - store credit/vouchers", "liability"),
    ("2221", "应交税费-应交增值税", "VAT payable", "liability"),
    ("3001", "实收资本", "Owner's capital", "equity"),
    ("6001", "主营业务收入", "Sales revenue", "income"),
    ("6401", "主营业务成本", "Cost of goods sold", "expense"),
    ("6601", "销售费用", "Selling expenses", "expense"),
    ("6602", "管理费用", "Administrative expenses", "expense"),
    ("6711", "营业外收支-现金长短款", "Cash over/short", "expense"),
    ("1901", "待处理财产损溢", "Inventory gains and losses pending", "asset"),
)


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class Product(Model):
        class Meta:
            database = db
            table_name = 'product'

    class TenderType(Model):
        class Meta:
            database = db
            table_name = 'tender_type'

    class Customer(Model):
        class Meta:
            database = db
            table_name = 'customer'

    class Terminal(Model):
        code = CharField()
        class Meta:
            database = db
            table_name = 'terminal'

    class Counter(Model):
        terminal = CharField(max_length=20)
        name = CharField(max_length=20)
        value = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'counter'
            indexes = ((('terminal', 'name'), True),)

    class Shift(Model):
        terminal = CharField(max_length=20, index=True)
        number = IntegerField()
        opened_by = ForeignKeyField(User, on_delete='RESTRICT')
        opened_at = DateTimeField()
        opening_float = BigIntegerField(default=0)
        status = CharField(max_length=10, default='open')
        closed_at = DateTimeField(null=True)
        closed_by = ForeignKeyField(User, null=True, on_delete='RESTRICT')
        counted_cash = BigIntegerField(null=True)
        expected_cash = BigIntegerField(null=True)
        z_number = IntegerField(null=True)
        class Meta:
            database = db
            table_name = 'shift'
            indexes = ((('terminal', 'number'), True),)

    class Sale(Model):
        uuid = UUIDField(unique=True)
        number = CharField(max_length=32, unique=True)
        terminal = CharField(max_length=20)
        shift = ForeignKeyField(Shift, on_delete='RESTRICT')
        cashier = ForeignKeyField(User, on_delete='RESTRICT')
        customer = ForeignKeyField(Customer, null=True, on_delete='RESTRICT')
        status = CharField(max_length=10, default='completed')
        total = BigIntegerField()
        tax = BigIntegerField()
        change = BigIntegerField(default=0)
        created_at = DateTimeField(index=True)
        class Meta:
            database = db
            table_name = 'sale'

    class SaleLine(Model):
        sale = ForeignKeyField(Sale, on_delete='RESTRICT')
        line_no = IntegerField()
        product = ForeignKeyField(Product, on_delete='RESTRICT')
        sku = CharField(max_length=64)
        name = CharField(max_length=200)
        qty = BigIntegerField()
        unit_price = BigIntegerField()
        amount = BigIntegerField()
        tax_rate_bp = IntegerField()
        tax = BigIntegerField()
        unit_cost = BigIntegerField(default=0)
        class Meta:
            database = db
            table_name = 'sale_line'

    class Payment(Model):
        sale = ForeignKeyField(Sale, on_delete='RESTRICT')
        tender = ForeignKeyField(TenderType, on_delete='RESTRICT')
        amount = BigIntegerField()
        reference = CharField(max_length=64, default='')
        class Meta:
            database = db
            table_name = 'payment'

    class Account(Model):
        code = CharField(max_length=20, unique=True)
        name = CharField(max_length=100)
        name_en = CharField(max_length=100, default='')
        kind = CharField(max_length=10)
        class Meta:
            database = db
            table_name = 'account'

    class JournalEntry(Model):
        uuid = UUIDField(unique=True)
        description = CharField(max_length=200)
        reference = CharField(max_length=64, default='', index=True)
        created_at = DateTimeField(index=True)
        class Meta:
            database = db
            table_name = 'journal_entry'

    class JournalLine(Model):
        entry = ForeignKeyField(JournalEntry, on_delete='RESTRICT')
        account = ForeignKeyField(Account, on_delete='RESTRICT')
        debit = BigIntegerField(default=0)
        credit = BigIntegerField(default=0)
        class Meta:
            database = db
            table_name = 'journal_line'

    db.create_tables([Counter, Shift, Sale, SaleLine, Payment, Account, JournalEntry,
                      JournalLine])
    Account.insert_many([dict(code=c, name=n, name_en=e, kind=k) for c, n, e, k in CHART]).execute()
    for (code,) in Terminal.select(Terminal.code).tuples():
        for name in ('sale', 'shift', 'z'):
            Counter.create(terminal=code, name=name, value=0)


def down(migrator, db):
    for table in ('journal_line', 'journal_entry', 'account', 'payment', 'sale_line', 'sale',
                  'shift', 'counter'):
        migrator.migrate(migrator.drop_table(table))
