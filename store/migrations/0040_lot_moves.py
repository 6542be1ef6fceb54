"""Lot moves (issue 19.5): what each stock move did to a tracked product's lots, by
document — who got a lot, when it is recalled, and which lot a return comes back into."""
from peewee import *


def up(migrator, db):
    def ref(name):
        class Ref(Model):
            class Meta:
                database = db
                table_name = name
        return Ref

    class LotMove(Model):
        product = ForeignKeyField(ref('product'), on_delete='RESTRICT')
        warehouse = ForeignKeyField(ref('warehouse'), on_delete='RESTRICT')
        number = CharField(max_length=20)
        qty = BigIntegerField()
        reason = CharField(max_length=20)
        reference = CharField(max_length=64, index=True)
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = 'lot_move'
            indexes = ((('product', 'number'), False),)

    db.create_tables([LotMove])


def down(migrator, db):
    db.execute_sql('DROP TABLE lot_move')
