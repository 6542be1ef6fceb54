"""What the shop tells a connected channel about its orders (issue 17.3): that one shipped,
told once, a failure kept with its reason and tried again."""
from peewee import *


def up(migrator, db):
    class Ref(Model):
        class Meta:
            database = db
            table_name = 'sales_order'

    class ChannelNotice(Model):
        order = ForeignKeyField(Ref, on_delete='RESTRICT')
        kind = CharField(max_length=12)
        status = CharField(max_length=12, default='pending')
        attempts = IntegerField(default=0)
        message = CharField(max_length=300, default='')
        created_at = DateTimeField()
        done_at = DateTimeField(null=True)

        class Meta:
            database = db
            table_name = 'channel_notice'
            indexes = ((('order', 'kind'), True),)

    db.create_tables([ChannelNotice])


def down(migrator, db):
    db.execute_sql('DROP TABLE channel_notice')
