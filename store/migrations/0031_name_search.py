"""A trigram index on product names (issue 18): a name search that matches nothing read
every name of a 1M catalog (0.4 s); with the index a query of 3+ characters reads only the
names that hold its trigrams. FTS5's trigram tokenizer on SQLite (kept by triggers), pg_trgm
on PostgreSQL. Where the engine lacks it (SQLite before 3.34, a server without pg_trgm or
the right to add it) the search scans as before: store/catalog/search.py asks."""
import logging

from peewee import *

log = logging.getLogger(__name__)

TRIGGERS = {
    'product_name_fts_ai': "AFTER INSERT ON product BEGIN "
    "INSERT INTO product_name_fts(rowid, name, name_en) VALUES (new.id, new.name, new.name_en); "
    "END",
    'product_name_fts_ad': "AFTER DELETE ON product BEGIN "
    "INSERT INTO product_name_fts(product_name_fts, rowid, name, name_en) "
    "VALUES ('delete', old.id, old.name, old.name_en); END",
    'product_name_fts_au': "AFTER UPDATE OF name, name_en ON product BEGIN "
    "INSERT INTO product_name_fts(product_name_fts, rowid, name, name_en) "
    "VALUES ('delete', old.id, old.name, old.name_en); "
    "INSERT INTO product_name_fts(rowid, name, name_en) VALUES (new.id, new.name, new.name_en); "
    "END",
}


def up(migrator, db):
    if isinstance(db, PostgresqlDatabase):
        try:
            with db.atomic():  # a savepoint: a refusal leaves the migration's transaction whole
                db.execute_sql('CREATE EXTENSION IF NOT EXISTS pg_trgm')
        except DatabaseError as exc:
            log.warning("pg_trgm is not available (%s): name searches scan", exc)
            return
        for column in ('name', 'name_en'):
            db.execute_sql(f'CREATE INDEX IF NOT EXISTS product_{column}_trgm ON product '
                           f'USING gin ({column} gin_trgm_ops)')
        return
    try:
        db.execute_sql("CREATE VIRTUAL TABLE product_name_fts USING fts5(name, name_en, "
                       "content='product', content_rowid='id', tokenize='trigram')")
    except OperationalError as exc:  # no FTS5, or no trigram tokenizer (SQLite < 3.34)
        log.warning("SQLite has no FTS5 trigram tokenizer (%s): name searches scan", exc)
        return
    for name, body in TRIGGERS.items():
        db.execute_sql(f'CREATE TRIGGER {name} {body}')
    db.execute_sql("INSERT INTO product_name_fts(product_name_fts) VALUES ('rebuild')")


def down(migrator, db):
    if isinstance(db, PostgresqlDatabase):
        for column in ('name', 'name_en'):
            db.execute_sql(f'DROP INDEX IF EXISTS product_{column}_trgm')
        return
    for name in TRIGGERS:
        db.execute_sql(f'DROP TRIGGER IF EXISTS {name}')
    db.execute_sql('DROP TABLE IF EXISTS product_name_fts')
