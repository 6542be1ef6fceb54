"""Shops (门店) of a chain (issue 18.1): a shop table, each warehouse belonging to one. An
existing database's warehouses all belong to MAIN, named after the company."""
import datetime as dt

from peewee import *


def up(migrator, db):
    class Shop(Model):
        code = CharField(max_length=20, unique=True)
        name = CharField(max_length=100)
        name_en = CharField(max_length=100, default='')
        timezone = CharField(max_length=64, default='')
        active = BooleanField(default=True)
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = 'shop'

    db.create_tables([Shop])
    migrator.migrate(
        migrator.add_column('warehouse', 'shop_id',
                            ForeignKeyField(Shop, null=True, field=Shop.id, on_delete='RESTRICT')),
    )
    company = db.execute_sql('SELECT name, name_en FROM company ORDER BY id LIMIT 1').fetchone()
    if company is not None:
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        main = Shop.create(code='MAIN', name=(company[0] or 'MAIN')[:100],
                           name_en=(company[1] or '')[:100], created_at=now)
        class WarehouseRef(Model):
            shop = ForeignKeyField(Shop, null=True)

            class Meta:
                database = db
                table_name = 'warehouse'

        WarehouseRef.update(shop=main.id).execute()


def down(migrator, db):
    migrator.migrate(migrator.drop_column('warehouse', 'shop_id'))
    db.execute_sql('DROP TABLE shop')
