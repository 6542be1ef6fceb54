"""Backups and restores that can be trusted.

A backup is one file: a tar archive of the database and a manifest (engine, schema version,
rows per table, the audit chain's tip), optionally encrypted with a passphrase.
- SQLite is copied through its online backup API, page by page, while tills keep selling: a
  file copy of a live database can catch it half-written.
- PostgreSQL is dumped by pg_dump (custom format), one consistent snapshot.
- Encryption: AES-256-GCM in 1 MiB chunks under a key derived from the passphrase (scrypt).
  Each chunk authenticates the header, its index and whether it is the last, so a changed,
  reordered or truncated backup is refused, not half-restored.

A restore goes to a new, empty database and proves it: SQLite's integrity check, the schema,
the audit chain and every sealed sale (store.assurance.integrity), and the row counts of the manifest.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import secrets
import shutil
import sqlite3
import struct
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit, urlunsplit

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from store.assurance import integrity
from store.core import files, schema
from store.core.db import connect, database, engine_of, sqlite_path
from store.core.errors import StoreError, ValidationError
from store.core.i18n import _
from store.security import audit

MAGIC = b"ZGBK1\n"
CHUNK = 1 << 20
SCRYPT = {"n": 1 << 15, "r": 8, "p": 1}
Progress = Callable[[str, int, int], None]


def _noop(stage: str, done: int, total: int) -> None:
    pass


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    engine: str
    rows: dict[str, int]
    audit_seq: int
    size: int
    encrypted: bool


@dataclass(frozen=True)
class RestoreReport:
    url: str
    rows: dict[str, int]
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def _row_counts() -> dict[str, int]:
    db = database.obj
    return {t: int(db.execute_sql(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0])
            for t in sorted(db.get_tables())}


# -- encryption ---------------------------------------------------------------------------

def _key(passphrase: str, salt: bytes, params: dict[str, int]) -> bytes:
    if not passphrase:
        raise ValidationError(_("passphrase: an encrypted backup needs one"),
                              field="passphrase", value="")
    return Scrypt(salt=salt, length=32, **params).derive(passphrase.encode("utf-8"))


def _encrypt(source: IO[bytes], dest: IO[bytes], passphrase: str) -> None:
    salt = secrets.token_bytes(16)
    header = MAGIC + json.dumps({"kdf": "scrypt", "salt": base64.b64encode(salt).decode(),
                                 **SCRYPT, "chunk": CHUNK}).encode() + b"\n"
    aead = AESGCM(_key(passphrase, salt, SCRYPT))
    dest.write(header)
    index = 0
    block = source.read(CHUNK)
    while True:
        following = source.read(CHUNK)
        last = not following
        nonce = secrets.token_bytes(12)
        sealed = aead.encrypt(nonce, block, header + struct.pack(">Q?", index, last))
        dest.write(struct.pack(">I", len(sealed)) + nonce + sealed)
        if last:
            return
        block, index = following, index + 1


def _decrypt(source: IO[bytes], dest: IO[bytes], passphrase: str) -> None:
    magic = source.read(len(MAGIC))
    line = source.readline()
    header = magic + line
    try:
        meta = json.loads(line)
        salt = base64.b64decode(meta["salt"])
        params = {k: int(meta[k]) for k in ("n", "r", "p")}
    except (ValueError, KeyError) as exc:
        raise StoreError(_("This backup's header is damaged")) from exc
    aead = AESGCM(_key(passphrase, salt, params))
    index = 0
    while True:
        size = source.read(4)
        if len(size) < 4:
            raise StoreError(_("This backup is cut short: its last part is missing"))
        (length,) = struct.unpack(">I", size)
        nonce, sealed = source.read(12), source.read(length)
        for last in (False, True):
            try:
                block = aead.decrypt(nonce, sealed, header + struct.pack(">Q?", index, last))
            except InvalidTag:
                continue
            break
        else:
            raise StoreError(_("Wrong passphrase, or the backup was changed"))
        dest.write(block)
        if last:
            if source.read(1):
                raise StoreError(_("This backup has data after its end (changed?)"))
            return
        index += 1


def is_encrypted(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(len(MAGIC)) == MAGIC


# -- backup -------------------------------------------------------------------------------

def default_name(now: dt.datetime | None = None) -> str:
    return f"zhanggui-{(now or dt.datetime.now()):%Y%m%d-%H%M%S}.zgbak"


def backup(url: str, dest: Path, *, passphrase: str | None = None,
           progress: Progress = _noop) -> BackupInfo:
    """Back up the open store (at `url`) to `dest` (a file, or a directory for a dated name)."""
    dest = Path(dest).expanduser()
    if dest.is_dir():
        dest = dest / default_name()
    if dest.exists() and not dest.is_symlink() and dest.resolve().is_file():
        raise ValidationError(_("{path} already exists: a backup never overwrites one").format(
            path=dest), field="dest", value=str(dest))
    dest = files.check_target(dest)  # never the database itself, a device, a missing folder
    engine = engine_of(url)
    event = audit.record("backup", {"engine": engine, "encrypted": bool(passphrase)})
    try:
        work = Path(tempfile.mkdtemp(prefix=".zhanggui-backup-", dir=dest.parent))
    except OSError as exc:
        raise StoreError(_("Cannot write {path}: {reason}").format(
            path=dest, reason=exc.strerror or exc)) from exc
    try:
        dump = work / ("database.sqlite" if engine == "sqlite" else "database.pgdump")
        # The counts are those of the copy itself: tills may sell while it is made.
        if engine == "sqlite":
            _sqlite_copy(sqlite_path(url), dump, progress)
            rows = _sqlite_counts(dump)
        else:
            rows = _pg_dump(url, dump, progress)
        manifest = {"format": 1, "engine": engine, "schema": schema.head(),
                    "made_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    "audit_seq": event.seq, "rows": rows,
                    "sha256": {dump.name: _sha256(dump)}}
        archive = work / "backup.tar"
        with tarfile.open(archive, "w") as tar:
            data = json.dumps(manifest, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            tar.add(dump, arcname=dump.name)
        partial = work / "out"
        if passphrase:
            with open(archive, "rb") as src, open(partial, "wb") as out:
                _encrypt(src, out, passphrase)
        else:
            archive.rename(partial)
        os.chmod(partial, 0o600)  # the whole shop, customers included: the owner's only
        with open(partial, "rb") as fh:
            os.fsync(fh.fileno())
        files.place(partial, dest, force=False)  # appears whole or not at all, never over one
    except OSError as exc:
        raise StoreError(_("Cannot write {path}: {reason}").format(
            path=dest, reason=exc.strerror or exc)) from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return BackupInfo(dest, engine, rows, event.seq, dest.stat().st_size, bool(passphrase))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _check_manifest(manifest: dict[str, Any], dump: Path) -> None:
    """The database inside a plain backup against the SHA-256 its manifest recorded, before a
    byte of it is restored: a bit flipped on the disk or a hand-edited product name is refused
    here, not found (or missed) after the restore. Backups made before the manifest carried a
    digest are restored as before, verified afterwards."""
    want = manifest.get("sha256", {}).get(dump.name) if isinstance(manifest.get("sha256"),
                                                                    dict) else None
    if want is not None and _sha256(dump) != want:
        raise StoreError(_("This backup is damaged: {name} does not match the SHA-256 in its "
                           "manifest (changed or corrupted); nothing was restored").format(
            name=dump.name))


def _sqlite_copy(source: str, target: Path, progress: Progress) -> None:
    src = sqlite3.connect(source)
    out = sqlite3.connect(target)
    try:
        def step(status: int, remaining: int, total: int) -> None:
            progress("copy", total - remaining, total)

        # 256 pages (1 MiB) a step: writers wait at most one step, never the whole copy.
        src.backup(out, pages=256, progress=step)
    finally:
        out.close()
        src.close()


def _pg_tool(name: str) -> str:
    tool = shutil.which(name)
    if tool is None:
        raise StoreError(_("{tool} is not installed: PostgreSQL backups need the PostgreSQL "
                           "client tools").format(tool=name))
    return tool


def _sqlite_counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        tables = [t for (t,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        return {t: int(conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0])
                for t in sorted(tables)}
    finally:
        conn.close()


def _pg_dump(url: str, target: Path, progress: Progress) -> dict[str, int]:
    """Dump in one snapshot, and count the rows in the very same snapshot (exported from a
    repeatable-read transaction that stays open while pg_dump reads it)."""
    import psycopg

    progress("dump", 0, 1)
    with psycopg.connect(url, autocommit=False) as conn:
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]  # type: ignore[index]
        tables = [t for (t,) in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        rows = {t: int(conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0])  # type: ignore[index]
                for t in sorted(tables)}
        done = subprocess.run([_pg_tool("pg_dump"), "--format=custom", "--no-owner",
                               f"--snapshot={snapshot}", f"--file={target}", f"--dbname={url}"],
                              capture_output=True, text=True)
        conn.rollback()
    if done.returncode != 0:
        raise StoreError(_("pg_dump failed: {reason}").format(
            reason=done.stderr.strip().splitlines()[-1] if done.stderr.strip() else
            done.returncode))
    progress("dump", 1, 1)
    return rows


# -- restore ------------------------------------------------------------------------------

def backup_file(src: Path) -> Path:
    """`src` if it is a regular file that can be read; else a message saying why not."""
    try:
        if not src.exists():
            raise StoreError(_("No backup at {path}").format(path=src))
        if not src.is_file():
            raise StoreError(_("{path} is not a backup file").format(path=src))
        with open(src, "rb"):
            return src
    except OSError as exc:
        raise StoreError(_("Cannot read {path}: {reason}").format(
            path=src, reason=exc.strerror or exc)) from exc


def _open_archive(src: Path, passphrase: str | None, work: Path) -> Path:
    backup_file(src)
    if not is_encrypted(src):
        return src
    if not passphrase:
        raise ValidationError(_("This backup is encrypted: give its passphrase"),
                              field="passphrase", value="")
    plain = work / "backup.tar"
    with open(src, "rb") as fh, open(plain, "wb") as out:
        _decrypt(fh, out, passphrase)
    return plain


def _members(archive: Path, work: Path) -> tuple[dict[str, Any], Path]:
    try:
        with tarfile.open(archive, "r") as tar:
            names = tar.getnames()
            if "manifest.json" not in names:
                raise StoreError(_("This is not a Zhanggui backup (no manifest)"))
            member = tar.extractfile("manifest.json")
            assert member is not None
            manifest = json.loads(member.read())
            db_name = next(n for n in names if n.startswith("database."))
            tar.extract(db_name, work, filter="data")
    except (tarfile.TarError, StopIteration, ValueError) as exc:
        raise StoreError(_("This backup is damaged: {reason}").format(reason=exc)) from exc
    return manifest, work / db_name


def restore(src: Path, target_url: str, *, passphrase: str | None = None,
            progress: Progress = _noop) -> RestoreReport:
    """Restore `src` into a new database at `target_url`, then verify it."""
    src = Path(src).expanduser()
    work = Path(tempfile.mkdtemp(prefix=".zhanggui-restore-"))
    try:
        archive = _open_archive(src, passphrase, work)
        manifest, dump = _members(archive, work)
        _check_manifest(manifest, dump)
        engine = engine_of(target_url)
        if engine != manifest.get("engine"):
            raise ValidationError(_("This backup is of a {engine} database: restore it to one")
                                  .format(engine=manifest.get("engine")), field="to",
                                  value=target_url)
        if engine == "sqlite":
            target = Path(sqlite_path(target_url)).expanduser()
            with contextlib.suppress(OSError):  # a name too long: check_target says so
                if target.exists():
                    raise ValidationError(_("{path} already exists: restore to a new file")
                                          .format(path=target), field="to", value=target_url)
            # a usable name in a folder that exists, not a device, not the shop's own files
            files.check_target(target, force=True)
            progress("restore", 0, 1)
            try:
                _sqlite_copy(str(dump), target, progress)
                return verify(target_url, manifest)
            except BaseException as exc:  # nothing half-restored is left to be opened later
                if database.obj is not None:
                    database.obj.close()
                for suffix in ("", "-wal", "-shm", "-journal"):
                    Path(str(target) + suffix).unlink(missing_ok=True)
                if isinstance(exc, StoreError | KeyboardInterrupt):
                    raise
                raise StoreError(_("This backup is damaged: {reason}").format(
                    reason=exc)) from exc
        _pg_restore(dump, target_url, progress)
        return verify(target_url, manifest)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _pg_create_if_missing(url: str) -> None:
    """A restore goes to a new database: make it when it does not exist yet."""
    import psycopg
    from psycopg import sql

    try:
        psycopg.connect(url, connect_timeout=5).close()
        return
    except psycopg.OperationalError as exc:
        if "does not exist" not in str(exc):
            raise StoreError(_("Cannot reach {url}: {reason}").format(
                url=url, reason=str(exc).splitlines()[0])) from exc
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _pg_restore(dump: Path, url: str, progress: Progress) -> None:
    _pg_create_if_missing(url)
    db = connect(url)
    if db.get_tables():
        raise ValidationError(_("The database {url} is not empty: restore to a new one").format(
            url=url), field="to", value=url)
    db.close()
    progress("restore", 0, 1)
    done = subprocess.run([_pg_tool("pg_restore"), "--no-owner", "--exit-on-error",
                           f"--dbname={url}", str(dump)], capture_output=True, text=True)
    if done.returncode != 0:
        raise StoreError(_("pg_restore failed: {reason}").format(
            reason=done.stderr.strip().splitlines()[-1] if done.stderr.strip() else
            done.returncode))
    progress("restore", 1, 1)


def verify(url: str, manifest: dict[str, Any]) -> RestoreReport:
    problems: list[str] = []
    db = connect(url)
    if engine_of(url) == "sqlite":
        result = db.execute_sql("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            problems.append(_("SQLite integrity check: {result}").format(result=result))
    pending = schema.pending()
    if pending:
        problems.append(_("The backup's schema is older than this version: run 'zhanggui db "
                          "upgrade' on the restored database ({n} migrations)").format(
            n=len(pending)))
    rows = _row_counts()
    for table, count in manifest.get("rows", {}).items():
        if rows.get(table) != count:
            problems.append(_("{table}: {found} rows, the backup recorded {count}").format(
                table=table, found=rows.get(table), count=count))
    report = integrity.verify()
    problems += list(report.problems)
    return RestoreReport(url, rows, tuple(problems))
