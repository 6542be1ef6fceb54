"""Lots and expiry (issue 19.5): products that track lots, each warehouse's stock by lot, and
the lots a goods receipt's lines came in."""
from peewee import *


def up(migrator, db):
    def ref(name):
        class Ref(Model):
            class Meta:
                database = db
                table_name = name
        return Ref

    products, warehouses, receipt_lines = (ref('product'), ref('warehouse'),
                                           ref('goods_receipt_line'))

    class StockLot(Model):
        product = ForeignKeyField(products, on_delete='RESTRICT')
        warehouse = ForeignKeyField(warehouses, on_delete='RESTRICT')
        number = CharField(max_length=20)
        expires_on = DateField(null=True, index=True)
        qty = BigIntegerField(default=0)

        class Meta:
            database = db
            table_name = 'stock_lot'
            indexes = ((('product', 'warehouse', 'number'), True),)

    class ReceiptLot(Model):
        line = ForeignKeyField(receipt_lines, on_delete='CASCADE')
        number = CharField(max_length=20)
        expires_on = DateField(null=True)
        qty = BigIntegerField(default=0)

        class Meta:
            database = db
            table_name = 'receipt_lot'
            indexes = ((('line', 'number'), True),)

    db.create_tables([StockLot, ReceiptLot])
    # One ALTER with a database default: the demo's and the benchmarks' bulk inserts name
    # their columns, and on SQLite the migrator's NOT NULL step rebuilds the table, dropping
    # the product names' FTS5 triggers (0031).
    kind = 'BOOLEAN' if 'Postgres' in type(db).__name__ else 'INTEGER'
    db.execute_sql(f'ALTER TABLE product ADD COLUMN tracks_lots {kind} NOT NULL DEFAULT FALSE')


def down(migrator, db):
    db.execute_sql('ALTER TABLE product DROP COLUMN tracks_lots')
    db.execute_sql('DROP TABLE receipt_lot')
    db.execute_sql('DROP TABLE stock_lot')
