"""Vouchers (issue 19.3): batches with their terms, the vouchers' codes, and every use."""
from peewee import *


def up(migrator, db):
    def ref(name):
        class Ref(Model):
            class Meta:
                database = db
                table_name = name
        return Ref

    shops, users, accounts, sales = ref('shop'), ref('user'), ref('account'), ref('sale')

    class VoucherBatch(Model):
        number = CharField(max_length=20, unique=True)
        name = CharField(max_length=100)
        kind = CharField(max_length=10)
        value = BigIntegerField()
        min_spend = BigIntegerField(default=0)
        valid_from = DateField()
        valid_to = DateField()
        uses = IntegerField(default=1)
        shop = ForeignKeyField(shops, null=True, on_delete='RESTRICT')
        count = IntegerField()
        paid_into = ForeignKeyField(accounts, null=True, on_delete='RESTRICT')
        created_by = ForeignKeyField(users, null=True, on_delete='RESTRICT')
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = 'voucher_batch'

    class Voucher(Model):
        code = CharField(max_length=20, unique=True)
        batch = ForeignKeyField(VoucherBatch, on_delete='RESTRICT')
        uses_left = IntegerField()
        status = CharField(max_length=10, default='active', index=True)
        void_reason = CharField(max_length=200, default='')

        class Meta:
            database = db
            table_name = 'voucher'

    class VoucherUse(Model):
        voucher = ForeignKeyField(Voucher, on_delete='RESTRICT')
        sale = ForeignKeyField(sales, null=True, on_delete='RESTRICT')
        amount = BigIntegerField()
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = 'voucher_use'

    db.create_tables([VoucherBatch, Voucher, VoucherUse])


def down(migrator, db):
    db.execute_sql('DROP TABLE voucher_use')
    db.execute_sql('DROP TABLE voucher')
    db.execute_sql('DROP TABLE voucher_batch')
