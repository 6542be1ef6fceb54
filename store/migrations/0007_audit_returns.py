"""The audit chain and approvals; discounts, price overrides and returns on sale lines; cash
rounding on sales; counted denominations and the Z's grand total on shifts."""
from peewee import *


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class Sale(Model):
        class Meta:
            database = db
            table_name = 'sale'

    class SaleLine(Model):
        class Meta:
            database = db
            table_name = 'sale_line'

    class AuditEvent(Model):
        seq = BigIntegerField(unique=True)
        created_at = DateTimeField()
        kind = CharField(max_length=40, index=True)
        user = ForeignKeyField(User, null=True, on_delete='RESTRICT')
        terminal = CharField(max_length=20, default='')
        reference = CharField(max_length=64, default='', index=True)
        payload = TextField()
        prev_hash = CharField(max_length=64)
        hash = CharField(max_length=64)
        class Meta:
            database = db
            table_name = 'audit_event'

    class AuditHead(Model):
        seq = BigIntegerField(default=0)
        hash = CharField(max_length=64)
        class Meta:
            database = db
            table_name = 'audit_head'

    class Approval(Model):
        uuid = UUIDField(unique=True)
        permission = CharField(max_length=40)
        approver = ForeignKeyField(User, on_delete='RESTRICT')
        requested_by = ForeignKeyField(User, on_delete='RESTRICT')
        terminal = CharField(max_length=20, default='')
        reason = CharField(max_length=200, default='')
        detail = TextField(default='{}')
        created_at = DateTimeField()
        used_at = DateTimeField(null=True)
        used_ref = CharField(max_length=64, default='')
        class Meta:
            database = db
            table_name = 'approval'

    db.create_tables([AuditEvent, AuditHead, Approval])
    AuditHead.create(id=1, seq=0, hash='0' * 64)
    migrator.migrate(
        migrator.add_column('shift', 'opening_count', CharField(max_length=2000, default='')),
        migrator.add_column('shift', 'closing_count', CharField(max_length=2000, default='')),
        migrator.add_column('shift', 'grand_total', BigIntegerField(null=True)),
        migrator.add_column('shift', 'audit_hash', CharField(max_length=64, default='')),
        migrator.add_column('sale', 'rounding', BigIntegerField(default=0)),
        migrator.add_column('sale', 'original_id',
                            ForeignKeyField(Sale, null=True, field=Sale.id, on_delete='RESTRICT')),
        migrator.add_column('sale_line', 'list_price', BigIntegerField(default=0)),
        migrator.add_column('sale_line', 'discount', BigIntegerField(default=0)),
        migrator.add_column('sale_line', 'note', CharField(max_length=200, default='')),
        migrator.add_column('sale_line', 'return_of_id',
                            ForeignKeyField(SaleLine, null=True, field=SaleLine.id,
                                            on_delete='RESTRICT')),
        migrator.add_column('sale_line', 'restock', BooleanField(default=True)),
        migrator.add_column('sale_line', 'approval_id',
                            ForeignKeyField(Approval, null=True, field=Approval.id,
                                            on_delete='RESTRICT')),
    )
    db.execute_sql('UPDATE sale_line SET list_price = unit_price')
    # Cash rounding has an account of its own.
    db.execute_sql(
        "INSERT INTO account (code, name, name_en, kind) SELECT '6603', "
        "'财务费用-现金舍入', 'Finance costs - cash rounding', 'expense' "
        "WHERE NOT EXISTS (SELECT 1 FROM account WHERE code = '6603')")


def down(migrator, db):
    migrator.migrate(
        migrator.drop_column('sale_line', 'approval_id'),
        migrator.drop_column('sale_line', 'restock'),
        migrator.drop_column('sale_line', 'return_of_id'),
        migrator.drop_column('sale_line', 'note'),
        migrator.drop_column('sale_line', 'discount'),
        migrator.drop_column('sale_line', 'list_price'),
        migrator.drop_column('sale', 'original_id'),
        migrator.drop_column('sale', 'rounding'),
        migrator.drop_column('shift', 'audit_hash'),
        migrator.drop_column('shift', 'grand_total'),
        migrator.drop_column('shift', 'closing_count'),
        migrator.drop_column('shift', 'opening_count'),
    )
    for table in ('approval', 'audit_head', 'audit_event'):
        migrator.migrate(migrator.drop_table(table))
