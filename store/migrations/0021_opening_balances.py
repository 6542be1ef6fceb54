"""Balances brought in from the shop's old books (issue 16.4): a receivable or a supplier bill
marked as an opening balance, with the old system's document number, so a second import can
refuse them and a statement names them ("Opening balance INV-0042")."""
from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.add_column('receivable', 'opening', BooleanField(default=False)),
        migrator.add_column('receivable', 'reference', CharField(max_length=64, default='')),
        migrator.add_column('supplier_bill', 'opening', BooleanField(default=False)),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_column('receivable', 'opening'),
        migrator.drop_column('receivable', 'reference'),
        migrator.drop_column('supplier_bill', 'opening'),
    )
