"""Every file the program writes (exports, order sheets, shipments, backups) goes through here.

A mistyped `--out` must never destroy anything: an existing file is replaced only when the
user says `--force`; a device, a folder or a pipe is never a target; the shop's own database
(and its WAL/SHM/journal), key file and configuration are refused even with `--force`. The
file is written under a temporary name in the same folder, flushed to disk, then renamed, so
it appears whole or not at all. Files holding personal data are created readable by the
owner only (0600).
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, TextIO

from store.core import text
from store.core.errors import StoreError, ValidationError
from store.core.i18n import _

# Files no command may write over: filled in as the database is opened, the configuration
# read and the key file located. A symlink or a second name for one of them is caught too:
# targets are compared after resolving, and by device and inode.
_protected: dict[Path, str] = {}
_SQLITE_SIDECARS = ("-wal", "-shm", "-journal")


def protect(path: str | Path, what: str) -> None:
    """Never write over `path` (`what` says what it is, for the message)."""
    _protected[Path(path).expanduser().resolve()] = what


def protect_database(path: str | Path) -> None:
    base = Path(path).expanduser().resolve()
    _protected[base] = "database"
    for suffix in _SQLITE_SIDECARS:
        _protected[Path(str(base) + suffix)] = "database"


def _protected_as(target: Path) -> str | None:
    if target in _protected:
        return _protected[target]
    try:
        st = target.stat()
    except OSError:
        return None
    for path, what in _protected.items():
        with contextlib.suppress(OSError):
            other = path.stat()
            if (other.st_dev, other.st_ino) == (st.st_dev, st.st_ino):  # a hard link
                return what
    return None


def check_target(path: str | Path, *, force: bool = False, cli: bool = True) -> Path:
    """The resolved file to write, or a ValidationError saying why not (`cli`: the message
    names --force; a screen asks for another name instead)."""
    bad = text.invisible_char(str(path))
    if bad is not None:  # a name that would carry an escape to every terminal that lists it
        raise ValidationError(_("The file name contains an invisible or control character "
                                "(U+{code:04X}): choose another name").format(code=ord(bad)),
                              field="out", value=f"U+{ord(bad):04X}")
    given = Path(path).expanduser()
    try:
        return _checked(given, force=force, cli=cli)
    except OSError as exc:  # a name too long, a folder we may not read
        raise _cannot(given, exc) from exc


def _checked(given: Path, *, force: bool, cli: bool) -> Path:
    target = given.resolve()
    what = _protected_as(target)
    if what is not None:
        names = {"database": _("the shop's database"), "key": _("the key file"),
                 "config": _("the configuration file")}
        raise ValidationError(_("{path} is {what}: choose another file name").format(
            path=given, what=names.get(what, what)), field="out", value=str(given))
    if target.exists():
        if not stat.S_ISREG(target.stat().st_mode):
            raise ValidationError(_("{path} is not a regular file: choose a file name").format(
                path=given), field="out", value=str(given))
        if not force:
            message = (_("{path} already exists: give --force to replace it") if cli
                       else _("{path} already exists: choose another name"))
            raise ValidationError(message.format(path=given), field="out", value=str(given))
    elif not target.parent.is_dir():
        raise ValidationError(_("The folder {folder} does not exist").format(
            folder=given.parent), field="out", value=str(given))
    return target


def read_small_text(path: str | Path, *, field: str, limit: int = 64 * 1024) -> str:
    """A short text file the user named (a passphrase, an anchor): a regular file of at most
    `limit` bytes in UTF-8, or a ValidationError naming the field and the path — never an
    endless read of /dev/zero or a directory's error."""
    given = Path(path)
    try:
        with open(given, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                raise ValidationError(_("{field}: {path} is not a regular file").format(
                    field=field, path=given), field=field, value=str(given))
            data = fh.read(limit + 1)
    except OSError as exc:
        raise ValidationError(_("{field}: cannot read {path}: {reason}").format(
            field=field, path=given, reason=exc.strerror or exc), field=field,
            value=str(given)) from exc
    if len(data) > limit:
        raise ValidationError(_("{field}: {path} is larger than {limit} bytes").format(
            field=field, path=given, limit=limit), field=field, value=str(given))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValidationError(_("{field}: {path} is not UTF-8 text").format(
            field=field, path=given), field=field, value=str(given)) from exc


def free_name(path: Path) -> Path:
    """`path`, or the first of `name-2.ext`, `name-3.ext`, … that does not exist yet: the
    name a screen offers, so exporting twice does not stop at "already exists"."""
    n = 2
    candidate = path
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        n += 1
    return candidate


def write_file(path: str | Path, write: Callable[[BinaryIO], None], *, force: bool = False,
               private: bool = False) -> Path:
    """Write a new file (or, with `force`, replace a regular one) through `write`; returns its
    resolved path. `private` files (personal data) are created 0600."""
    target = check_target(path, force=force)
    try:
        fd, tmp = tempfile.mkstemp(prefix=".zhanggui-", dir=target.parent)  # 0600
    except OSError as exc:
        raise _cannot(target, exc) from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        if not private:
            os.chmod(tmp, 0o644)
        place(tmp, target, force)
        _sync_folder(target.parent)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise _cannot(target, exc) from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def write_text(path: str | Path, fill: Callable[[TextIO], object] | str, *,
               encoding: str = "utf-8", errors: str = "strict", force: bool = False,
               private: bool = False) -> Path:
    """A text file: `fill` is the text, or a function writing it to a text stream (newlines
    as given, for csv)."""
    def write(fh: BinaryIO) -> None:
        text = io.TextIOWrapper(fh, encoding=encoding, errors=errors, newline="")
        try:
            if isinstance(fill, str):
                text.write(fill)
            else:
                fill(text)
            text.flush()
        finally:
            text.detach()  # the binary file stays open for write_file to sync and close

    return write_file(path, write, force=force, private=private)


def place(tmp: str | Path, target: Path, force: bool) -> None:
    """Move the finished temporary file `tmp` to `target` (checked by check_target)."""
    if force:
        os.replace(tmp, target)
        return
    try:  # appears only if the name is still free: a file made meanwhile is not replaced
        os.link(tmp, target)
    except FileExistsError as exc:
        raise ValidationError(_("{path} already exists: give --force to replace it").format(
            path=target), field="out", value=str(target)) from exc
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK):
            raise
        # A FAT USB stick has no hard links: fall back to a rename after the check above.
        os.replace(tmp, target)
        return
    os.unlink(tmp)


def _sync_folder(folder: Path) -> None:
    # The rename is durable only once the folder's entry is on disk (not possible on Windows).
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _cannot(target: Path, exc: OSError) -> StoreError:
    return StoreError(_("Cannot write {path}: {reason}").format(
        path=target, reason=exc.strerror or exc))


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: str) -> str:
    """A text cell a spreadsheet will not run: one starting with = + - @ tab or CR gets a
    leading apostrophe (OWASP's rule). Numbers the program formats are written as they are."""
    return "'" + value if _escaped(value) else value


def csv_unescape(value: str) -> str:
    """What csv_safe escaped, as it was: our own exports import back unchanged."""
    return value[1:] if value[:1] == "'" and _escaped(value[1:]) else value


def _escaped(value: str) -> bool:
    # A text that starts a formula, or one that looks escaped already (so that a name really
    # beginning with '= survives the round trip too).
    while value[:1] == "'":
        value = value[1:]
    return value[:1] in _FORMULA_STARTS and value[:1] != ""
