"""The print queue: one row per receipt, report or drawer kick waiting for a terminal's printer."""
from peewee import *


def up(migrator, db):
    class PrintJob(Model):
        uuid = UUIDField(unique=True)
        terminal = CharField(max_length=20, index=True)
        kind = CharField(max_length=20)
        reference = CharField(max_length=64, default='')
        payload = TextField()
        status = CharField(max_length=10, default='queued')
        attempts = IntegerField(default=0)
        last_error = TextField(default='')
        created_at = DateTimeField()
        printed_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'print_job'
            indexes = ((('terminal', 'status', 'id'), False),)
    db.create_tables([PrintJob])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('print_job'))
