"""A shop's own prices over the chain's, and promotions that run at some shops only
(issue 18.1)."""
from peewee import *


def up(migrator, db):
    def ref(name):
        class Ref(Model):
            class Meta:
                database = db
                table_name = name
        return Ref

    shops, products, users, promotions = (ref('shop'), ref('product'), ref('user'),
                                          ref('promotion'))

    class PromotionShop(Model):
        promotion = ForeignKeyField(promotions, on_delete='CASCADE')
        shop = ForeignKeyField(shops, on_delete='RESTRICT')

        class Meta:
            database = db
            table_name = 'promotion_shop'
            indexes = ((('promotion', 'shop'), True),)

    class ShopPrice(Model):
        shop = ForeignKeyField(shops, on_delete='RESTRICT')
        product = ForeignKeyField(products, on_delete='CASCADE')
        price = BigIntegerField()
        changed_at = DateTimeField()
        changed_by = ForeignKeyField(users, null=True, on_delete='RESTRICT')

        class Meta:
            database = db
            table_name = 'shop_price'
            indexes = ((('shop', 'product'), True),)

    db.create_tables([PromotionShop, ShopPrice])


def down(migrator, db):
    db.execute_sql('DROP TABLE shop_price')
    db.execute_sql('DROP TABLE promotion_shop')
