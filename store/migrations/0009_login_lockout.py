"""PIN lockout that survives a restart: consecutive failures, a lock with a growing delay, and
a count of today's failures per account."""
from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.add_column('user', 'failed_logins', IntegerField(default=0)),
        migrator.add_column('user', 'locked_until', DateTimeField(null=True)),
        migrator.add_column('user', 'day_failures', IntegerField(default=0)),
        migrator.add_column('user', 'failure_day', CharField(max_length=10, default='')),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_column('user', 'failure_day'),
        migrator.drop_column('user', 'day_failures'),
        migrator.drop_column('user', 'locked_until'),
        migrator.drop_column('user', 'failed_logins'),
    )
