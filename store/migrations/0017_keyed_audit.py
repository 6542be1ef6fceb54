"""The audit chain keyed: each link becomes HMAC-SHA256 under the key file's audit secret
(issue 15.3), so someone who can write the database but not read the key file can no longer
recompute it. Every journal entry and stock move made before now is sealed in the chain, as new
ones are, so `audit verify` covers them all.

Only the part of the old chain that still verifies is re-keyed: a break stays a break."""
import datetime as dt
import hashlib
import hmac
import json
import uuid

from peewee import *

GENESIS = '0' * 64
BATCH = 500


def _canon(data):
    return json.dumps(data, sort_keys=True, separators=(',', ':'), ensure_ascii=False)


def _time(value):
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value.replace(tzinfo=None).isoformat(timespec='microseconds')


def _link(key, prev, seq, at, kind, user, terminal, ref, payload):
    head = _canon({'seq': seq, 'at': at, 'kind': kind, 'user': user, 'terminal': terminal,
                   'ref': ref})
    body = (prev + head + payload).encode('utf-8')
    if key is None:
        return hashlib.sha256(body).hexdigest()
    return hmac.new(key, body, hashlib.sha256).hexdigest()


def _uuid(value):
    return str(value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)))


def up(migrator, db):
    def count(table):
        return db.execute_sql(f'SELECT COUNT(*) FROM {table}').fetchone()[0]

    if not (count('audit_event') or count('journal_entry') or count('stock_move')):
        return  # a new database: nothing to key or seal
    from store.security import crypto  # the key file: made here for a shop that has none
    key = crypto.audit_key()
    crypto.record_fingerprint()

    events = db.execute_sql(
        'SELECT seq, created_at, kind, user_id, terminal, reference, payload, prev_hash, hash '
        'FROM audit_event ORDER BY seq').fetchall()
    old_prev = new_prev = GENESIS
    renamed = {}
    for seq, at, kind, user, terminal, ref, payload, prev_hash, digest in events:
        at = _time(at)
        if prev_hash != old_prev or _link(None, old_prev, seq, at, kind, user, terminal, ref,
                                          payload) != digest:
            if prev_hash == old_prev:  # this event was changed: verify will name it
                db.execute_sql(f'UPDATE audit_event SET prev_hash = {db.param} '
                               f'WHERE seq = {db.param}', (new_prev, seq))
            break
        new = _link(key, new_prev, seq, at, kind, user, terminal, ref, payload)
        db.execute_sql('UPDATE audit_event SET prev_hash = %s, hash = %s WHERE seq = %s'
                       .replace('%s', db.param), (new_prev, new, seq))
        renamed[digest] = new
        old_prev, new_prev = digest, new
    param = db.param
    for old, new in renamed.items():
        db.execute_sql(f'UPDATE audit_head SET hash = {param} WHERE hash = {param}', (new, old))
        db.execute_sql(f'UPDATE shift SET audit_hash = {param} WHERE audit_hash = {param}',
                       (new, old))

    head = db.execute_sql('SELECT seq, hash FROM audit_head WHERE id = 1').fetchone()
    seq, prev = head if head else (0, GENESIS)
    if not head:
        db.execute_sql(f'INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, {param})',
                       (GENESIS,))
    now = _time(dt.datetime.now(dt.UTC))

    def append(kind, user, ref, data):
        nonlocal seq, prev
        seq += 1
        payload = _canon(data)
        digest = _link(key, prev, seq, now, kind, user, '', ref, payload)
        db.execute_sql(
            'INSERT INTO audit_event (seq, created_at, kind, user_id, terminal, reference, '
            f'payload, prev_hash, hash) VALUES ({param}, {param}, {param}, {param}, '
            f"'', {param}, {param}, {param}, {param})",
            (seq, now, kind, user, ref, payload, prev, digest))
        prev = digest

    codes = dict(db.execute_sql('SELECT id, code FROM account').fetchall())
    lines = {}
    for entry, account, debit, credit in db.execute_sql(
            'SELECT entry_id, account_id, debit, credit FROM journal_line').fetchall():
        lines.setdefault(entry, []).append([codes[account], int(debit), int(credit)])
    for entry, entry_uuid, day, kind, description, ref, by, reverses in db.execute_sql(
            'SELECT id, uuid, date, kind, description, reference, created_by_id, reverses_id '
            'FROM journal_entry ORDER BY id').fetchall():
        append('entry', by, _uuid(entry_uuid),
               {'date': str(day)[:10], 'kind': kind, 'description': description,
                'reference': ref, 'by': by, 'reverses': reverses,
                'lines': sorted(lines.get(entry, []))})

    moves = db.execute_sql(
        'SELECT uuid, product_id, warehouse_id, qty, value, unit_cost, reason, reference, '
        'user_id, created_at FROM stock_move ORDER BY id').fetchall()
    for start in range(0, len(moves), BATCH):
        batch = [[_uuid(u), p, w, int(q), int(v), int(c), reason, ref, user, _time(at)]
                 for u, p, w, q, v, c, reason, ref, user, at in moves[start:start + BATCH]]
        append('stock', batch[0][8], batch[0][7], {'moves': batch})
    db.execute_sql(f'UPDATE audit_head SET seq = {param}, hash = {param} WHERE id = 1',
                   (seq, prev))


def down(migrator, db):
    pass  # a keyed chain cannot be un-keyed without forging it
