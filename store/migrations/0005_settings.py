"""Shop-wide settings (JSON by key): scale barcode layouts first."""
from peewee import *


def up(migrator, db):
    class Setting(Model):
        key = CharField(max_length=64, unique=True)
        value = TextField()
        class Meta:
            database = db
            table_name = 'setting'
    db.create_tables([Setting])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('setting'))
