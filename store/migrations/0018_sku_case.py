"""SKUs compare case-insensitively (issue 15.6): `p0000001` scans as P0000001 and cannot be
created beside it. An index on LOWER(sku) serves both. It is not UNIQUE: a shop may already
hold two SKUs differing only in case, and a migration must not refuse to run over them or
rename them unasked; new clashes are refused by the catalog service."""
from peewee import *


def up(migrator, db):
    db.execute_sql('CREATE INDEX IF NOT EXISTS product_sku_lower ON product (LOWER(sku))')


def down(migrator, db):
    db.execute_sql('DROP INDEX IF EXISTS product_sku_lower')
