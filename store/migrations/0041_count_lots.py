"""Counting by lot (issue 19.5): a count's line split by the lots its GS1 labels named, so
posting a count sets each lot to what was found, not only the product's level."""
from peewee import *


def up(migrator, db):
    def ref(name):
        class Ref(Model):
            class Meta:
                database = db
                table_name = name
        return Ref

    class CountLot(Model):
        count = ForeignKeyField(ref('stock_count'), on_delete='CASCADE')
        product = ForeignKeyField(ref('product'), on_delete='RESTRICT')
        number = CharField(max_length=20)
        expires_on = DateField(null=True)
        qty = BigIntegerField(default=0)

        class Meta:
            database = db
            table_name = 'count_lot'
            indexes = ((('count', 'product', 'number'), True),)

    db.create_tables([CountLot])


def down(migrator, db):
    db.execute_sql('DROP TABLE count_lot')
