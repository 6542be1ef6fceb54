"""Vouchers (issue 19.3, the rest): percentage coupons (a percentage of the sale, at most the
batch's value) and "next visit" coupons handed out on receipts (a batch's codes made as sales
reach its minimum, each remembering the sale whose receipt carried it)."""
from peewee import *


def up(migrator, db):
    class Ref(Model):
        class Meta:
            database = db
            table_name = 'sale'

    migrator.migrate(
        migrator.add_column('voucher_batch', 'percent_bp',
                            IntegerField(default=0, constraints=[SQL('DEFAULT 0')])),
        migrator.add_column('voucher_batch', 'receipt_min', BigIntegerField(null=True)),
        migrator.add_column('voucher', 'sale_id',
                            ForeignKeyField(Ref, null=True, field=Ref.id,
                                            on_delete='RESTRICT')),
    )


def down(migrator, db):
    migrator.migrate(migrator.drop_column('voucher', 'sale_id'),
                     migrator.drop_column('voucher_batch', 'receipt_min'),
                     migrator.drop_column('voucher_batch', 'percent_bp'))
