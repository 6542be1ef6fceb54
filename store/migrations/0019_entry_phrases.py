"""A journal entry's description also kept as its msgid and arguments, so it is read in the
reader's language ("Sale T1-000903" / "销售 T1-000903"), not the poster's (issue 14.19). The
sealed `description` column is kept as it was; older entries show it."""
from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.add_column('journal_entry', 'text_key', CharField(max_length=200, default='')),
        migrator.add_column('journal_entry', 'text_args', TextField(default='')),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_column('journal_entry', 'text_key'),
        migrator.drop_column('journal_entry', 'text_args'),
    )
