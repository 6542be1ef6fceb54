"""Members and points (issue 19.1): member tiers, the points rules and ledger, the member's
points, spending and tier, the liability account points sit in (2204) and the POINTS tender
(off until a points rule exists)."""
from peewee import *


def up(migrator, db):
    def ref(name):
        class Ref(Model):
            class Meta:
                database = db
                table_name = name
        return Ref

    users, customers, sales, price_lists, promotions, products, categories = (
        ref('user'), ref('customer'), ref('sale'), ref('price_list'), ref('promotion'),
        ref('product'), ref('category'))

    class MemberTier(Model):
        code = CharField(max_length=20, unique=True)
        name = CharField(max_length=100)
        name_en = CharField(max_length=100, default='')
        threshold = BigIntegerField(unique=True)
        earn_pct = IntegerField(default=100)
        price_list = ForeignKeyField(price_lists, null=True, on_delete='SET NULL')

        class Meta:
            database = db
            table_name = 'member_tier'

    class PointsRule(Model):
        promotion = ForeignKeyField(promotions, null=True, on_delete='CASCADE')
        product = ForeignKeyField(products, null=True, on_delete='CASCADE')
        category = ForeignKeyField(categories, null=True, on_delete='CASCADE')
        rate = IntegerField()

        class Meta:
            database = db
            table_name = 'points_rule'

    class PointsMove(Model):
        customer = ForeignKeyField(customers, on_delete='RESTRICT')
        kind = CharField(max_length=10)
        points = BigIntegerField()
        remaining = BigIntegerField(default=0)
        expires_on = DateField(null=True, index=True)
        number = CharField(max_length=32, index=True)
        sale = ForeignKeyField(sales, null=True, on_delete='RESTRICT')
        user = ForeignKeyField(users, null=True, on_delete='RESTRICT')
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = 'points_move'

    db.create_tables([MemberTier, PointsRule, PointsMove])
    migrator.migrate(
        migrator.add_column('customer', 'points', BigIntegerField(default=0)),
        migrator.add_column('customer', 'spent', BigIntegerField(default=0)),
        migrator.add_column('customer', 'tier_id',
                            ForeignKeyField(MemberTier, null=True, field=MemberTier.id,
                                            on_delete='SET NULL')),
    )
    p = db.param
    if not db.execute_sql("SELECT 1 FROM account WHERE code = '2204'").fetchone():
        db.execute_sql(f"INSERT INTO account (code, name, name_en, kind, active) VALUES "
                       f"({p},{p},{p},{p},{p})", ('2204', '合同负债-积分',
                                                  'Contract liabilities - loyalty points',
                                                  'liability', True))
    if db.execute_sql('SELECT 1 FROM company').fetchone() and not db.execute_sql(
            f"SELECT 1 FROM tender_type WHERE code = {p}", ('POINTS',)).fetchone():
        db.execute_sql('INSERT INTO tender_type (code, name, name_en, kind, opens_drawer, '
                       f'needs_reference, sort_order, active) VALUES ({p},{p},{p},{p},{p},{p},'
                       f'{p},{p})', ('POINTS', '积分', 'Points', 'points', False, False, 7,
                                     False))


def down(migrator, db):
    db.execute_sql("DELETE FROM tender_type WHERE code = 'POINTS'")
    db.execute_sql("DELETE FROM account WHERE code = '2204'")
    migrator.migrate(migrator.drop_column('customer', 'tier_id'),
                     migrator.drop_column('customer', 'spent'),
                     migrator.drop_column('customer', 'points'))
    db.execute_sql('DROP TABLE points_move')
    db.execute_sql('DROP TABLE points_rule')
    db.execute_sql('DROP TABLE member_tier')
