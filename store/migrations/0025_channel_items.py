"""A channel's listings of our products, learnt from its trades, with the quantity last
pushed to it (issue 17.4: the web shop stops selling what the shop no longer has)."""
from peewee import *


def up(migrator, db):
    class Ref(Model):
        class Meta:
            database = db
            table_name = 'product'

    class ChannelItem(Model):
        channel = CharField(max_length=20)
        product = ForeignKeyField(Ref, on_delete='RESTRICT')
        item_id = CharField(max_length=32)
        sku_id = CharField(max_length=32, default='')
        pushed_qty = IntegerField(null=True)
        pushed_at = DateTimeField(null=True)
        message = CharField(max_length=300, default='')

        class Meta:
            database = db
            table_name = 'channel_item'
            indexes = ((('channel', 'item_id', 'sku_id'), True),)

    db.create_tables([ChannelItem])


def down(migrator, db):
    db.execute_sql('DROP TABLE channel_item')
