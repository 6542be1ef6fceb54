"""Each sale's business day and hour in the shop's time zone, so reports group and filter by
them with an index instead of converting every stored UTC time."""
import datetime as dt
import json
from zoneinfo import ZoneInfo

from peewee import *


def _offset_minutes(db):
    # Sales made before this version get the day and hour of the zone's current UTC offset
    # (exact for zones without daylight saving time, such as Asia/Shanghai).
    row = db.execute_sql("SELECT value FROM setting WHERE key = 'timezone'").fetchone()
    zone = ZoneInfo(json.loads(row[0])) if row else dt.datetime.now().astimezone().tzinfo
    offset = dt.datetime.now(zone).utcoffset() or dt.timedelta(0)
    return int(offset.total_seconds() // 60)


def up(migrator, db):
    migrator.migrate(
        migrator.add_column('sale', 'day', DateField(null=True)),
        migrator.add_column('sale', 'hour', IntegerField(default=0)),
    )
    minutes = _offset_minutes(db)
    if isinstance(db, PostgresqlDatabase):
        shifted = f"(created_at + interval '{minutes} minutes')"
        db.execute_sql(f'UPDATE sale SET day = CAST({shifted} AS DATE), '
                       f'hour = EXTRACT(HOUR FROM {shifted})')
    else:
        shifted = f"created_at, '{minutes:+d} minutes'"
        db.execute_sql(f"UPDATE sale SET day = date({shifted}), "
                       f"hour = CAST(strftime('%H', {shifted}) AS INTEGER)")
    migrator.migrate(migrator.add_not_null('sale', 'day'),
                     migrator.add_index('sale', ('day',), False))


def down(migrator, db):
    migrator.migrate(
        migrator.drop_index('sale', 'sale_day'),
        migrator.drop_column('sale', 'hour'),
        migrator.drop_column('sale', 'day'),
    )
