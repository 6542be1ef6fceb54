"""Inventory: stock moves, stock levels and reorder rules."""
from peewee import *


def up(migrator, db):
    class Product(Model):
        class Meta:
            database = db
            table_name = 'product'

    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class Warehouse(Model):
        class Meta:
            database = db
            table_name = 'warehouse'

    class ReorderRule(Model):
        product = ForeignKeyField(Product, on_delete='CASCADE')
        warehouse = ForeignKeyField(Warehouse, on_delete='CASCADE')
        min_qty = BigIntegerField(default=0)
        max_qty = BigIntegerField(default=0)
        class Meta:
            database = db
            table_name = 'reorder_rule'
            indexes = ((('product', 'warehouse'), True),)
    db.create_tables([ReorderRule])

    class StockLevel(Model):
        product = ForeignKeyField(Product, on_delete='RESTRICT')
        warehouse = ForeignKeyField(Warehouse, on_delete='RESTRICT')
        on_hand = BigIntegerField(default=0)
        class Meta:
            database = db
            table_name = 'stock_level'
            indexes = ((('product', 'warehouse'), True),)
    db.create_tables([StockLevel])

    class StockMove(Model):
        uuid = UUIDField(unique=True)
        product = ForeignKeyField(Product, on_delete='RESTRICT')
        warehouse = ForeignKeyField(Warehouse, on_delete='RESTRICT')
        qty = BigIntegerField()
        unit_cost = BigIntegerField(default=0)
        reason = CharField(max_length=20)
        reference = CharField(max_length=64, default='')
        user = ForeignKeyField(User, null=True, on_delete='RESTRICT')
        created_at = DateTimeField(index=True)
        class Meta:
            database = db
            table_name = 'stock_move'
            indexes = ((('product', 'warehouse', 'created_at'), False),)
    db.create_tables([StockMove])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('stock_move'))
    migrator.migrate(migrator.drop_table('stock_level'))
    migrator.migrate(migrator.drop_table('reorder_rule'))
