"""Customer accounts (AR): sales on account become receivables with a due date; customer
payments are allocated to them. The "on account" tender for shops made before this version."""
from peewee import *


def up(migrator, db):
    def ref(name):
        class Ref(Model):
            class Meta:
                database = db
                table_name = name
        return Ref

    User, Customer, Sale, Account = ref('user'), ref('customer'), ref('sale'), ref('account')

    class Base(Model):
        class Meta:
            database = db

    class Receivable(Base):
        sale = ForeignKeyField(Sale, unique=True, on_delete='RESTRICT')
        customer = ForeignKeyField(Customer, on_delete='RESTRICT')
        date = DateField(index=True)
        due_date = DateField(index=True)
        amount = BigIntegerField()
        paid = BigIntegerField(default=0)
        class Meta:
            table_name = 'receivable'

    class CustomerPayment(Base):
        number = CharField(max_length=20, unique=True)
        customer = ForeignKeyField(Customer, on_delete='RESTRICT')
        date = DateField()
        amount = BigIntegerField()
        account = ForeignKeyField(Account, on_delete='RESTRICT')
        reference = CharField(max_length=64, default='')
        created_by = ForeignKeyField(User, null=True, on_delete='RESTRICT')
        created_at = DateTimeField()
        class Meta:
            table_name = 'customer_payment'

    class ReceiptAllocation(Base):
        payment = ForeignKeyField(CustomerPayment, on_delete='RESTRICT')
        receivable = ForeignKeyField(Receivable, on_delete='RESTRICT')
        amount = BigIntegerField()
        date = DateField()
        class Meta:
            table_name = 'receipt_allocation'

    db.create_tables([Receivable, CustomerPayment, ReceiptAllocation])
    migrator.migrate(migrator.add_column('customer', 'payment_days', IntegerField(default=30)))
    p = db.param
    if db.execute_sql('SELECT 1 FROM company').fetchone() and not db.execute_sql(
            f"SELECT 1 FROM tender_type WHERE code = {p}", ('ACCOUNT',)).fetchone():
        db.execute_sql('INSERT INTO tender_type (code, name, name_en, kind, opens_drawer, '
                       f'needs_reference, sort_order, active) VALUES ({p},{p},{p},{p},{p},{p},'
                       f'{p},{p})', ('ACCOUNT', '挂账', 'On account', 'account', False, False, 6,
                                     True))


def down(migrator, db):
    db.execute_sql("DELETE FROM tender_type WHERE code = 'ACCOUNT'")
    migrator.migrate(migrator.drop_column('customer', 'payment_days'))
    for table in ('receipt_allocation', 'customer_payment', 'receivable'):
        db.execute_sql(f'DROP TABLE {table}')
