"""Personal data at rest: authenticated encryption (AES-256-GCM) with keys kept in a key file
outside the database directory, and a keyed hash (HMAC-SHA256) so a customer can still be
found by phone without the phone being stored in clear.

The key file (mode 0600) holds one line per key, `name:base64`: `index:` is the lookup key
(it never changes, so the index survives a rotation); the first `data-N:` line is the key new
values are sealed with, the others still open older values until `zhanggui keys rotate`
re-seals them.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import os
import secrets
import stat
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from peewee import PeeweeException as PeeweeError

from store.core.config import config_dir
from store.core.db import database
from store.core.errors import ConfigError, StoreError
from store.core.i18n import _
from store.models import AuditEvent, Customer, SalesOrder, Setting

KEY_ENV = "ZHANGGUI_KEY_FILE"
PREFIX = "enc1"
_AAD = b"zhanggui personal data"


# Every sealed column there is: a new one belongs here, or rotation would leave it behind and a
# missing key file would go unnoticed.
SEALED: tuple[Any, ...] = (Customer.phone_enc, Customer.address_enc, Customer.email_enc,
                           Customer.id_number_enc, SalesOrder.recipient_enc)

_WHERE = (KEY_ENV, "ZHANGGUI_CONFIG_DIR", "XDG_CONFIG_HOME", "HOME")
_path: tuple[tuple[str | None, ...], Path] | None = None


def key_path() -> Path:
    # Asked on every seal; platformdirs takes ~0.1 ms to answer, so the answer is kept for as
    # long as the variables it depends on stay the same.
    global _path
    env = tuple(os.environ.get(v) for v in _WHERE)
    if _path is None or _path[0] != env:
        _path = (env, Path(os.environ.get(KEY_ENV) or config_dir() / "zhanggui.key")
                 .expanduser())
    return _path[1]


@dataclass(frozen=True)
class Keyring:
    path: Path
    index: bytes
    data: dict[str, bytes]  # name → key, the current one first

    @property
    def current(self) -> str:
        return next(iter(self.data))


def check_permissions(path: Path) -> None:
    """Refuse a key file that others can read (or write)."""
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigError(_("The key file {path} is readable by others (mode {mode}): run "
                            "chmod 600 {path}").format(path=path, mode=oct(mode & 0o777)))


def _write(path: Path, lines: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".key-")  # mode 0600, a name of its own
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write("\n".join(lines) + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _create(path: Path, lines: list[str]) -> None:
    """Write a new key file unless one appeared meanwhile: two terminals starting at once
    must end up with the same keys, never each sealing data under a key the other replaced.
    A hard link makes the complete file appear atomically, and only if the name is free."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".key-")  # mode 0600
    try:
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write("\n".join(lines) + "\n")
            f.flush()
            os.fsync(f.fileno())
        with contextlib.suppress(FileExistsError):  # another process made it first: use theirs
            os.link(tmp, path)
    finally:
        os.unlink(tmp)


def _new_key() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode("ascii")


def load(path: Path | None = None, *, create: bool = True) -> Keyring:
    path = path or key_path()
    if not path.exists():
        if not create:
            raise ConfigError(_("No key file at {path}").format(path=path))
        _create(path, [f"index:{_new_key()}", f"data-1:{_new_key()}"])
    check_permissions(path)
    index, data = b"", {}
    for n, line in enumerate(path.read_text(encoding="ascii").splitlines(), start=1):
        if not line.strip():
            continue
        name, _sep, value = line.partition(":")
        try:
            key = base64.b64decode(value, validate=True)
        except ValueError as exc:
            raise ConfigError(_("The key file {path}, line {line}: not a key").format(
                path=path, line=n)) from exc
        if len(key) != 32:
            raise ConfigError(_("The key file {path}, line {line}: not a key").format(
                path=path, line=n))
        if name == "index":
            index = key
        else:
            data[name] = key
    if not index or not data:
        raise ConfigError(_("The key file {path} is incomplete").format(path=path))
    return Keyring(path, index, data)


_ring: Keyring | None = None
_ring_db: int | None = None  # the database the ring was checked against
FINGERPRINT = "key_fingerprint"  # the Setting naming the key the shop's data is sealed with


def fingerprint(ring: Keyring) -> str:
    """A short name for the key file that sealed the data: the index key never changes, not
    even in a rotation, so neither does this. It reveals nothing about the keys."""
    return hmac.new(ring.index, b"zhanggui key fingerprint", hashlib.sha256).hexdigest()[:16]


def keyring() -> Keyring:
    """The key file's keys, checked against the open database: a missing key file for a shop
    that has sealed data, or another shop's key file, is refused — never replaced by a new
    key, which would leave the sealed data unreadable for good."""
    global _ring, _ring_db
    db = id(database.obj) if database.obj is not None else None
    if _ring is not None and _ring.path == key_path() and _ring_db == db:
        return _ring
    path = key_path()
    expected = _expected_fingerprint() if db is not None else None
    if not path.exists() and expected is not None:
        raise ConfigError(_(
            "The key file {path} is missing, and this shop's customer data is sealed with "
            "the key {fingerprint}. Put that key file back (from your backup: docs/BACKUP.md) "
            "or point ZHANGGUI_KEY_FILE at it. No new key is made: it could never open that "
            "data.").format(path=path, fingerprint=expected))
    ring = load(path)
    if expected not in (None, "?", fingerprint(ring)):
        raise ConfigError(_(
            "The key file {path} is not this shop's key: it is {have}, the shop's data is "
            "sealed with {want}. Use the key file that belongs to this database.").format(
            path=path, have=fingerprint(ring), want=expected))
    _ring, _ring_db = ring, db
    return ring


def _expected_fingerprint() -> str | None:
    """The fingerprint the database records; "?" when it holds sealed data or an audit chain
    from before the fingerprint was recorded; None for a shop with nothing sealed yet."""
    try:
        row = Setting.get_or_none(Setting.key == FINGERPRINT)
        if row is not None:
            return str(json.loads(row.value))
        if (any(column.model.select().where(column != "").exists() for column in SEALED)
                or AuditEvent.select().exists()):
            return "?"
    except PeeweeError:  # no schema yet (a new database being made)
        return None
    return None


def audit_key() -> bytes:
    """The secret the audit chain's links are keyed with (HMAC-SHA256): derived from the index
    key, which never changes, so it needs no line of its own and survives a rotation. Without
    the key file nobody can recompute a link, not even someone who can write the database."""
    return hmac.new(keyring().index, b"zhanggui audit chain v1", hashlib.sha256).digest()


def record_fingerprint() -> None:
    """Name the key in the database (the first sealed value or audit event does this)."""
    _record_fingerprint(keyring())


def _record_fingerprint(ring: Keyring) -> None:
    """Name the key in the database when the first value is sealed with it."""
    if Setting.get_or_none(Setting.key == FINGERPRINT) is None:
        Setting.insert(key=FINGERPRINT, value=json.dumps(fingerprint(ring))) \
            .on_conflict_ignore().execute()


def forget() -> None:
    """Read the key file again on next use (after a rotation, or in tests)."""
    global _ring
    _ring = None


def seal(text: str) -> str:
    """Encrypt a value; empty stays empty (nothing to hide, and lookups stay simple)."""
    if not text:
        return ""
    ring = keyring()
    if database.obj is not None:
        _record_fingerprint(ring)
    return _sealed(ring, AESGCM(ring.data[ring.current]), text)


def sealer() -> Callable[[str], str]:
    """`seal` for many values in one transaction (an import of 100,000 customers): the key is
    named in the database once, not once per value."""
    ring = keyring()
    _record_fingerprint(ring)
    cipher = AESGCM(ring.data[ring.current])
    return lambda text: _sealed(ring, cipher, text) if text else ""


def _sealed(ring: Keyring, cipher: AESGCM, text: str) -> str:
    nonce = secrets.token_bytes(12)
    body = cipher.encrypt(nonce, text.encode("utf-8"), _AAD)
    return f"{PREFIX}:{ring.current}:{base64.b64encode(nonce + body).decode('ascii')}"


def unseal(token: str) -> str:
    if not token:
        return ""
    try:
        prefix, name, blob = token.split(":", 2)
        raw = base64.b64decode(blob)
        key = keyring().data[name]
        if prefix != PREFIX:
            raise ValueError(prefix)
        return AESGCM(key).decrypt(raw[:12], raw[12:], _AAD).decode("utf-8")
    except (ValueError, KeyError, InvalidTag) as exc:
        raise StoreError(_("A protected value cannot be opened with the key file {path} "
                           "(wrong or missing key?)").format(path=keyring().path)) from exc


def key_of(token: str) -> str:
    return token.split(":", 2)[1] if token else ""


def blind_index(value: str) -> str:
    """A keyed hash for exact lookups (a phone number by its digits)."""
    if not value:
        return ""
    return hmac.new(keyring().index, value.encode("utf-8"), hashlib.sha256).hexdigest()


def add_data_key(path: Path | None = None) -> str:
    """A new current data key (the old ones stay, to open older values); returns its name."""
    ring = load(path)
    numbers = [int(n.split("-")[1]) for n in ring.data if n.startswith("data-")]
    name = f"data-{max(numbers, default=0) + 1}"
    lines = [f"index:{base64.b64encode(ring.index).decode()}", f"{name}:{_new_key()}"]
    lines += [f"{n}:{base64.b64encode(k).decode()}" for n, k in ring.data.items()]
    _write(ring.path, lines)
    forget()
    return name
