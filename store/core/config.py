"""Typed configuration: zhanggui.toml, then ZHANGGUI_* environment variables, then --db/--lang.

Each terminal has its own file (which database, which printer); shop-wide rules such as tax
and cash rounding live in the database so every terminal agrees.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from store.core import files
from store.core.errors import ConfigError
from store.core.i18n import _, normalize_language

APP_NAME = "zhanggui"


def exports_dir() -> Path:
    """Where the screens offer to save exports: ZHANGGUI_EXPORTS_DIR, else `exports` in the
    data directory (made when first used)."""
    override = os.environ.get("ZHANGGUI_EXPORTS_DIR")
    folder = Path(override).expanduser() if override else data_dir() / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def data_dir() -> Path:
    """Where the embedded database and the demo live (ZHANGGUI_DATA_DIR overrides)."""
    override = os.environ.get("ZHANGGUI_DATA_DIR")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def config_dir() -> Path:
    override = os.environ.get("ZHANGGUI_CONFIG_DIR")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False)


def own_db_url() -> str:
    """The shop's own embedded database, where `zhanggui init` puts it."""
    return f"sqlite:///{data_dir() / 'zhanggui.db'}"


def default_db_url() -> str:
    """With no database configured: the shop's own, or — until `zhanggui init` has made one —
    the demo shop, when `zhanggui demo` has built it (so every command reaches the shop the
    user has just seen)."""
    if not (data_dir() / "zhanggui.db").exists() and (data_dir() / "demo.db").exists():
        return demo_db_url()
    return own_db_url()


def uses_demo_by_default(cfg: Config) -> bool:
    return not cfg.database.url and default_db_url() == demo_db_url()


def demo_db_url() -> str:
    return f"sqlite:///{data_dir() / 'demo.db'}"


@dataclass
class DatabaseConfig:
    url: str = ""  # empty: the embedded SQLite file in the user data directory
    read_url: str = ""  # a PostgreSQL streaming replica for reports and exports (docs/CHAIN.md)
    read_max_lag_s: int = 30  # a replica further behind makes the reports say how stale


@dataclass
class UiConfig:
    language: str = ""  # zh_CN or en; empty: from the locale
    idle_lock_minutes: int = 0  # 0: never


@dataclass
class TillConfig:
    merge_same: bool = True  # scanning a product again adds to its line (else a new line)
    max_qty: int = 9999  # the largest quantity of one line
    offline: str = "auto"  # sell from a local copy when the database is away (auto: PostgreSQL)
    offline_timeout_ms: int = 1500  # the longest the cashier waits on the database


@dataclass
class TerminalConfig:
    code: str = "T1"


@dataclass
class PrinterConfig:
    url: str = "dummy://"
    columns: int = 42
    profile: str = "default"
    cut: bool = True
    drawer_pin: int = 2
    logo: str = ""
    timeout: int = 5  # seconds to wait for the printer before the job is retried later


@dataclass
class ScannerConfig:
    url: str = ""  # empty: keyboard wedge
    suffix: str = "CR"
    strip_prefix: str = ""
    strip_suffix: str = ""


@dataclass
class ScaleConfig:
    url: str = ""  # empty: no scale (weighed goods are typed, or come on a scale's label)
    protocol: str = "toledo-continuous"  # or toledo-ecr (the scale answers a W request)
    checksum: bool = True  # continuous frames end with a checksum byte
    timeout_ms: int = 3000  # the longest the till waits for a steady weight


@dataclass
class DisplayConfig:
    url: str = ""  # empty: no customer display


@dataclass
class JobsConfig:
    """The shop's scheduled jobs run inside the app (a single-till shop without a server):
    as `user`, whose PIN or password is the one line of `secret_file`."""

    in_app: bool = False
    user: str = ""
    secret_file: str = ""


@dataclass
class Config:
    database: DatabaseConfig = field(default_factory=DatabaseConfig)
    ui: UiConfig = field(default_factory=UiConfig)
    terminal: TerminalConfig = field(default_factory=TerminalConfig)
    till: TillConfig = field(default_factory=TillConfig)
    printer: PrinterConfig = field(default_factory=PrinterConfig)
    scanner: ScannerConfig = field(default_factory=ScannerConfig)
    scale: ScaleConfig = field(default_factory=ScaleConfig)
    display: DisplayConfig = field(default_factory=DisplayConfig)
    jobs: JobsConfig = field(default_factory=JobsConfig)
    # Remapped keys: a binding's id (till.pay, till.find, …; F1 in a screen lists them) →
    # the key or keys, comma-separated ("f12,ctrl+enter").
    keys: dict[str, str] = field(default_factory=dict)
    source: str = ""  # the file it came from, for messages

    @property
    def db_url(self) -> str:
        return self.database.url or default_db_url()


ENV_OVERRIDES = {
    "ZHANGGUI_DB": ("database", "url"),
    "ZHANGGUI_LANG": ("ui", "language"),
    "ZHANGGUI_TERMINAL": ("terminal", "code"),
    "ZHANGGUI_PRINTER": ("printer", "url"),
    "ZHANGGUI_SCANNER": ("scanner", "url"),
    "ZHANGGUI_SCALE": ("scale", "url"),
    "ZHANGGUI_DISPLAY": ("display", "url"),
}

_CHOICES: dict[tuple[str, str], tuple[Any, ...]] = {
    ("printer", "columns"): (32, 42, 48),
    ("printer", "drawer_pin"): (2, 5),
    ("printer", "timeout"): tuple(range(1, 61)),
    ("scanner", "suffix"): ("CR", "LF", "CRLF"),
    ("scale", "protocol"): ("toledo-continuous", "toledo-ecr"),
    ("till", "offline"): ("auto", "on", "off"),
}
_SCHEMES: dict[tuple[str, str], tuple[str, ...]] = {
    ("database", "url"): ("sqlite", "postgresql", "postgres"),
    ("database", "read_url"): ("postgresql", "postgres"),
    ("printer", "url"): ("tcp", "serial", "usb", "file", "dummy"),
    ("scanner", "url"): ("serial", "socket", "rfc2217"),
    ("scale", "url"): ("serial", "socket", "rfc2217"),
    ("display", "url"): ("serial", "tcp", "dummy"),
}


def _fail(key: str, source: str, message: str) -> ConfigError:
    return ConfigError(_("Configuration error in {source}, key '{key}': {message}").format(
        source=source, key=key, message=message))


def _check_value(section: str, key: str, value: Any, expected: type, source: str) -> Any:
    name = f"{section}.{key}"
    if expected is bool and not isinstance(value, bool):
        raise _fail(name, source, _("expected true or false, got '{value}'").format(value=value))
    if expected is int:
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise _fail(name, source, _("expected a whole number, got '{value}'").format(
                value=value))
    if expected is str and not isinstance(value, str):
        raise _fail(name, source, _("expected text, got '{value}'").format(value=value))
    choices = _CHOICES.get((section, key))
    if choices and value not in choices:
        raise _fail(name, source, _("'{value}' is not one of {choices}").format(
            value=value, choices=", ".join(map(str, choices))))
    schemes = _SCHEMES.get((section, key))
    if schemes and value and urlsplit(value).scheme not in schemes:
        raise _fail(name, source, _("'{value}' should start with one of {choices}").format(
            value=value, choices=", ".join(f"{s}://" for s in schemes)))
    if (section, key) == ("till", "max_qty") and not 1 <= value <= 999999:
        raise _fail(name, source, _("'{value}' must be 1 to 999999").format(value=value))
    if (section, key) == ("database", "read_max_lag_s") and not 1 <= value <= 86400:
        raise _fail(name, source, _("'{value}' must be 1 to 86400").format(value=value))
    if (section, key) == ("scale", "timeout_ms") and not 200 <= value <= 30000:
        raise _fail(name, source, _("'{value}' must be 200 to 30000").format(value=value))
    if (section, key) == ("till", "offline_timeout_ms") and not 200 <= value <= 30000:
        raise _fail(name, source, _("'{value}' must be 200 to 30000").format(value=value))
    if (section, key) == ("ui", "language") and value and not normalize_language(value):
        raise _fail(name, source, _("'{value}' is not one of {choices}").format(
            value=value, choices="zh_CN, en"))
    return value


def _apply(cfg: Config, section: str, key: str, value: Any, source: str) -> None:
    sect = getattr(cfg, section)
    types = {f.name: f.type for f in dataclasses.fields(sect)}
    if key not in types:
        raise _fail(f"{section}.{key}", source, _("unknown key"))
    expected = {"str": str, "int": int, "bool": bool}[str(types[key])]
    setattr(sect, key, _check_value(section, key, value, expected, source))


def parse(data: dict[str, Any], source: str) -> Config:
    cfg = Config(source=source)
    sections = {f.name for f in dataclasses.fields(Config) if f.name != "source"}
    for section, body in data.items():
        if section not in sections:
            raise _fail(section, source, _("unknown section"))
        if not isinstance(body, dict):
            raise _fail(section, source, _("expected a [section] table"))
        if section == "keys":
            for key, value in body.items():
                if not isinstance(value, str) or not value.strip():
                    raise _fail(f"keys.{key}", source, _("expected text, got '{value}'").format(
                        value=value))
                cfg.keys[key] = value.strip()
            continue
        for key, value in body.items():
            _apply(cfg, section, key, value, source)
    return cfg


def default_path() -> Path:
    return config_dir() / "zhanggui.toml"


def load(path: str | Path | None = None, *, env: dict[str, str] | None = None,
         db_url: str | None = None, language: str | None = None) -> Config:
    """Load the configuration: file (explicit, ZHANGGUI_CONFIG, or the default if it exists),
    then environment overrides, then the command line's --db and --lang."""
    env = dict(os.environ if env is None else env)
    explicit = path or env.get("ZHANGGUI_CONFIG")
    file = Path(explicit).expanduser() if explicit else default_path()
    if explicit and not file.exists():
        raise ConfigError(_("Configuration file not found: {path}").format(path=file))
    if file.exists():
        files.protect(file, "config")
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(_("Configuration file {path} is not valid TOML: {reason}").format(
                path=file, reason=exc)) from exc
        cfg = parse(data, str(file))
    else:
        cfg = Config(source=_("defaults"))
    for var, (section, key) in ENV_OVERRIDES.items():
        if env.get(var):
            _apply(cfg, section, key, env[var], var)
    if db_url:
        _apply(cfg, "database", "url", db_url, "--db")
    if language:
        _apply(cfg, "ui", "language", language, "--lang")
    return cfg


EXAMPLE = """\
# zhanggui.toml — one per terminal. Every key is optional.
[database]
url = "sqlite:////var/lib/zhanggui/shop.db"   # or "postgresql://zhanggui@10.0.0.5:5432/shop"
# read_url = "postgresql://zhanggui@10.0.0.6:5432/shop"  # a streaming replica: reports,
#                           # the dashboard and exports read there (docs/CHAIN.md)
# read_max_lag_s = 30     # further behind, the reports say how stale they are

[ui]
language = "zh_CN"        # zh_CN or en; empty: from the locale
idle_lock_minutes = 5     # log out after 5 idle minutes; 0: never

[terminal]
code = "T1"               # this till's code (zhanggui init creates T1)

[till]
merge_same = true         # scanning a product again adds to its line; false: a new line
max_qty = 9999            # the largest quantity of one line (a guard against 3000* for 3*)
offline = "auto"          # sell on when the database cannot be reached: auto (with
                          # PostgreSQL), on or off (docs/OFFLINE.md)
offline_timeout_ms = 1500 # the longest a scan or a sale waits on the database

[printer]
url = "tcp://192.168.1.50:9100"   # serial:///dev/ttyUSB0?baudrate=9600, usb://04b8:0e15,
                                  # file:///dev/usb/lp0, dummy://
columns = 42              # 32 (58 mm), 42 or 48 (80 mm)
profile = "default"       # a python-escpos capability profile
cut = true
drawer_pin = 2            # 2 or 5
logo = ""                 # path to a PNG printed at the top
timeout = 5               # seconds before a silent printer's job is retried later

[scanner]
url = ""                  # empty: keyboard wedge; serial:///dev/ttyACM0?baudrate=9600,
                          # socket://host:port, rfc2217://host:port
suffix = "CR"             # CR, LF or CRLF
strip_prefix = ""
strip_suffix = ""

[scale]
url = ""                  # empty: no scale; serial:///dev/ttyUSB2?baudrate=9600
protocol = "toledo-continuous"  # or toledo-ecr: the scale answers a W request (CAS, most
                          # Chinese counter scales in their ECR mode)
checksum = true           # continuous frames end with a checksum byte
timeout_ms = 3000         # the longest the till waits for a steady weight

[display]
url = ""                  # serial:///dev/ttyUSB1?baudrate=9600 for a 2x20 pole display

[jobs]                    # the scheduled jobs inside the app (one till, no server; docs/JOBS.md)
in_app = false
user = "worker"           # the user the jobs act as
secret_file = ""          # a file holding that user's PIN or password, on one line

[keys]                    # remap any key by its id; F1 on a screen lists what each does
# "till.pay" = "f12,ctrl+enter"
# "till.find" = "f2"
"""
