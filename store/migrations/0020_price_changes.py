"""A product's price history: every shelf-price change with the old and new price, who made it,
when and from where (the product editor, an import, a bulk change), so a price changed behind
the till's back can be read in one list (issue 16.3)."""
from peewee import *


def up(migrator, db):
    def ref(name):
        class Ref(Model):
            class Meta:
                database = db
                table_name = name
        return Ref

    User, Product = ref('user'), ref('product')

    class PriceChange(Model):
        product = ForeignKeyField(Product, on_delete='RESTRICT')
        old_price = BigIntegerField(null=True)
        new_price = BigIntegerField()
        user = ForeignKeyField(User, null=True, on_delete='RESTRICT')
        source = CharField(max_length=12)
        note = CharField(max_length=200, default='')
        created_at = DateTimeField(index=True)

        class Meta:
            database = db
            table_name = 'price_change'
            indexes = ((('product', 'created_at'), False),)

    db.create_tables([PriceChange])


def down(migrator, db):
    db.execute_sql('DROP TABLE price_change')
