"""Parked baskets (recallable from any terminal) and cancelled baskets (kept as a record)."""
from peewee import *


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class ParkedSale(Model):
        uuid = UUIDField(unique=True)
        terminal = CharField(max_length=20)
        parked_by = ForeignKeyField(User, on_delete='RESTRICT')
        total = BigIntegerField()
        items = BigIntegerField()
        payload = CharField(max_length=20000)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'parked_sale'

    class CancelledSale(Model):
        uuid = UUIDField(unique=True)
        terminal = CharField(max_length=20)
        cancelled_by = ForeignKeyField(User, on_delete='RESTRICT')
        total = BigIntegerField()
        reason = CharField(max_length=200, default='')
        payload = CharField(max_length=20000)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'cancelled_sale'

    db.create_tables([ParkedSale, CancelledSale])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('cancelled_sale'))
    migrator.migrate(migrator.drop_table('parked_sale'))
