"""Users who work for some shops only (issue 18.1): a manager approves and sees reports for
their shop, a cashier sells at its tills. No rows: all shops, as every user before."""
from peewee import *


def up(migrator, db):
    class UserRef(Model):
        class Meta:
            database = db
            table_name = 'user'

    class ShopRef(Model):
        class Meta:
            database = db
            table_name = 'shop'

    class UserShop(Model):
        user = ForeignKeyField(UserRef, on_delete='CASCADE')
        shop = ForeignKeyField(ShopRef, on_delete='RESTRICT')

        class Meta:
            database = db
            table_name = 'user_shop'
            indexes = ((('user', 'shop'), True),)

    db.create_tables([UserShop])


def down(migrator, db):
    db.execute_sql('DROP TABLE user_shop')
