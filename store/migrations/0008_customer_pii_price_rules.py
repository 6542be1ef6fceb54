"""Customers' phones sealed with the key file's key (and a keyed hash to find them); price list
rules: a fixed price per product from a quantity on, or a percentage off a category."""
from peewee import *


def up(migrator, db):
    class PriceList(Model):
        class Meta:
            database = db
            table_name = 'price_list'

    class Product(Model):
        class Meta:
            database = db
            table_name = 'product'

    class Category(Model):
        class Meta:
            database = db
            table_name = 'category'

    class PriceListItem(Model):
        price_list = ForeignKeyField(PriceList, on_delete='CASCADE')
        product = ForeignKeyField(Product, null=True, on_delete='CASCADE')
        category = ForeignKeyField(Category, null=True, on_delete='CASCADE')
        min_qty = BigIntegerField(default=1000)
        price = BigIntegerField(null=True)
        percent_off = IntegerField(null=True)
        class Meta:
            database = db
            table_name = 'price_list_item'

    db.create_tables([PriceListItem])
    migrator.migrate(
        migrator.add_column('customer', 'phone_enc', CharField(max_length=200, default='')),
        migrator.add_column('customer', 'phone_hash', CharField(max_length=64, default='')),
        migrator.add_index('customer', ('phone_hash',), False),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_index('customer', 'customer_phone_hash'),
        migrator.drop_column('customer', 'phone_hash'),
        migrator.drop_column('customer', 'phone_enc'),
        migrator.drop_table('price_list_item'),
    )
