"""Customers' address, e-mail and ID number, sealed like their phone (never in clear)."""
from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.add_column('customer', 'address_enc', CharField(max_length=700, default='')),
        migrator.add_column('customer', 'email_enc', CharField(max_length=400, default='')),
        migrator.add_column('customer', 'id_number_enc', CharField(max_length=200, default='')),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_column('customer', 'address_enc'),
        migrator.drop_column('customer', 'email_enc'),
        migrator.drop_column('customer', 'id_number_enc'),
    )
