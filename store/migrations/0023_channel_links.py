"""Online shops connected by their APIs (issue 17): Taobao/Tmall (TOP) and Shopify, each with
its credentials sealed by the shop's data key and the cursor its next sync starts from."""
from peewee import *


def up(migrator, db):
    class ChannelLink(Model):
        name = CharField(max_length=20, unique=True)
        kind = CharField(max_length=20)
        url = CharField(max_length=200)
        secrets = TextField()
        warehouse = CharField(max_length=20, default='STORE')
        cursor = CharField(max_length=64, default='')
        status = CharField(max_length=12, default='new')
        message = CharField(max_length=300, default='')
        synced_at = DateTimeField(null=True)
        active = BooleanField(default=True)
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = 'channel_link'

    db.create_tables([ChannelLink])


def down(migrator, db):
    db.execute_sql('DROP TABLE channel_link')
