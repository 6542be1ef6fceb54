"""Stored-value cards (issue 19.2): top-up bonus rules, cards and their ledger, and the
liability account the cards' paid balances sit in (220301)."""
from peewee import *


def up(migrator, db):
    def ref(name):
        class Ref(Model):
            class Meta:
                database = db
                table_name = name
        return Ref

    users, customers, sales, shifts, tenders = (ref('user'), ref('customer'), ref('sale'),
                                                ref('shift'), ref('tender_type'))

    class TopUpBonus(Model):
        min_amount = BigIntegerField(unique=True)
        bonus = BigIntegerField()

        class Meta:
            database = db
            table_name = 'top_up_bonus'

    class Card(Model):
        number = CharField(max_length=20, unique=True)
        customer = ForeignKeyField(customers, null=True, on_delete='RESTRICT')
        paid = BigIntegerField(default=0)
        bonus = BigIntegerField(default=0)
        status = CharField(max_length=10, default='active', index=True)
        created_by = ForeignKeyField(users, null=True, on_delete='RESTRICT')
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = 'card'

    class CardMove(Model):
        card = ForeignKeyField(Card, on_delete='RESTRICT')
        kind = CharField(max_length=10)
        number = CharField(max_length=32, index=True)
        paid = BigIntegerField()
        bonus = BigIntegerField(default=0)
        sale = ForeignKeyField(sales, null=True, on_delete='RESTRICT')
        shift = ForeignKeyField(shifts, null=True, on_delete='RESTRICT')
        tender = ForeignKeyField(tenders, null=True, on_delete='RESTRICT')
        terminal = CharField(max_length=20, default='')
        user = ForeignKeyField(users, null=True, on_delete='RESTRICT')
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = 'card_move'

    db.create_tables([TopUpBonus, Card, CardMove])
    if not db.execute_sql("SELECT 1 FROM account WHERE code = '220301'").fetchone():
        db.execute_sql(
            "INSERT INTO account (code, name, name_en, kind, active) VALUES "
            "('220301', '预收账款-储值卡', 'Customer deposits - stored-value cards', 'liability', "
            "%s)" % ('TRUE' if 'Postgres' in type(db).__name__ else '1'))
    db.execute_sql("UPDATE tender_type SET name_en = 'Stored-value card' "
                   "WHERE kind = 'store_credit' AND name_en = 'Store credit'")


def down(migrator, db):
    db.execute_sql('DROP TABLE card_move')
    db.execute_sql('DROP TABLE card')
    db.execute_sql('DROP TABLE top_up_bonus')
    db.execute_sql("DELETE FROM account WHERE code = '220301'")
