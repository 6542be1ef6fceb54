"""Tax rates, units, categories and customer groups can be taken out of use (issue 16.2):
products, sales and customers refer to them, so they are never deleted, only deactivated."""
from peewee import *


def up(migrator, db):
    migrator.migrate(*[migrator.add_column(table, 'active', BooleanField(default=True))
                       for table in ('tax_rate', 'unit', 'category', 'customer_group')])


def down(migrator, db):
    migrator.migrate(*[migrator.drop_column(table, 'active')
                       for table in ('tax_rate', 'unit', 'category', 'customer_group')])
