"""Promotions: % or amount off, buy X get Y, bundle prices; for products or categories,
members only, within dates, weekdays and hours. What each promotion took off each sale line
is kept, so receipts name it and reports can sum it; an order line keeps its discount."""
from peewee import *


def up(migrator, db):
    def ref(name):
        class Ref(Model):
            class Meta:
                database = db
                table_name = name
        return Ref

    User, Product, Category, SaleLine = (ref('user'), ref('product'), ref('category'),
                                         ref('sale_line'))

    class Base(Model):
        class Meta:
            database = db

    class Promotion(Base):
        code = CharField(max_length=32, unique=True)
        name = CharField(max_length=100)
        name_en = CharField(max_length=100, default='')
        kind = CharField(max_length=12)
        percent_bp = IntegerField(default=0)
        amount = BigIntegerField(default=0)
        buy_qty = IntegerField(default=0)
        get_qty = IntegerField(default=0)
        bundle_qty = IntegerField(default=0)
        bundle_price = BigIntegerField(default=0)
        members_only = BooleanField(default=False)
        starts_on = DateField(null=True)
        ends_on = DateField(null=True)
        weekdays = CharField(max_length=7, default='1234567')
        hour_from = IntegerField(default=0)
        hour_to = IntegerField(default=24)
        priority = IntegerField(default=0)
        active = BooleanField(default=True)
        created_at = DateTimeField()
        created_by = ForeignKeyField(User, null=True, on_delete='RESTRICT')
        class Meta:
            table_name = 'promotion'

    class PromotionItem(Base):
        promotion = ForeignKeyField(Promotion, on_delete='CASCADE')
        product = ForeignKeyField(Product, null=True, on_delete='CASCADE')
        category = ForeignKeyField(Category, null=True, on_delete='CASCADE')
        class Meta:
            table_name = 'promotion_item'

    class SaleLinePromotion(Base):
        sale_line = ForeignKeyField(SaleLine, on_delete='RESTRICT')
        promotion = ForeignKeyField(Promotion, on_delete='RESTRICT')
        amount = BigIntegerField()
        class Meta:
            table_name = 'sale_line_promotion'

    db.create_tables([Promotion, PromotionItem, SaleLinePromotion])
    migrator.migrate(
        migrator.add_column('sales_order_line', 'discount', BigIntegerField(default=0)),
        migrator.add_column('sales_order_line', 'promotions',
                            CharField(max_length=200, default='')),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_column('sales_order_line', 'discount'),
        migrator.drop_column('sales_order_line', 'promotions'),
    )
    for table in ('sale_line_promotion', 'promotion_item', 'promotion'):
        db.execute_sql(f'DROP TABLE {table}')
