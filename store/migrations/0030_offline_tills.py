"""Offline tills (issue 18.2): the sales they made offline that a person should look at, and
each till's last sync."""
from peewee import *


def up(migrator, db):
    def ref(name):
        class Ref(Model):
            class Meta:
                database = db
                table_name = name
        return Ref

    sales, users = ref('sale'), ref('user')

    class SaleReview(Model):
        sale = ForeignKeyField(sales, on_delete='RESTRICT')
        kind = CharField(max_length=20)
        detail = CharField(max_length=300, default='')
        created_at = DateTimeField()
        done_by = ForeignKeyField(users, null=True, on_delete='RESTRICT')
        done_at = DateTimeField(null=True)

        class Meta:
            database = db
            table_name = 'sale_review'

    class TillSync(Model):
        terminal = CharField(max_length=20, unique=True)
        synced_at = DateTimeField()
        refreshed_at = DateTimeField(null=True)
        waiting = IntegerField(default=0)
        held = IntegerField(default=0)
        message = CharField(max_length=300, default='')

        class Meta:
            database = db
            table_name = 'till_sync'

    db.create_tables([SaleReview, TillSync])


def down(migrator, db):
    db.execute_sql('DROP TABLE till_sync')
    db.execute_sql('DROP TABLE sale_review')
