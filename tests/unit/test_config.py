"""Configuration: typed, validated, with errors that name the key and the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.core import config
from store.core.errors import ConfigError


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "zhanggui.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_example_is_valid_and_complete(tmp_path: Path) -> None:
    cfg = config.load(write(tmp_path, config.EXAMPLE), env={})
    assert cfg.printer.url == "tcp://192.168.1.50:9100"
    assert cfg.ui.language == "zh_CN"
    assert cfg.database.url.startswith("sqlite:///")
    assert cfg.till.merge_same is True and cfg.till.max_qty == 9999
    assert cfg.scale.url == "" and cfg.scale.protocol == "toledo-continuous"


def test_unknown_key_names_key_and_file(tmp_path: Path) -> None:
    path = write(tmp_path, "[printer]\ncolums = 42\n")
    with pytest.raises(ConfigError) as err:
        config.load(path, env={})
    assert "printer.colums" in str(err.value) and str(path) in str(err.value)


def test_unknown_section(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="printr"):
        config.load(write(tmp_path, "[printr]\nurl='dummy://'\n"), env={})


@pytest.mark.parametrize(("text", "key"), [
    ("[printer]\ncolumns = 40\n", "printer.columns"),
    ("[printer]\ncut = 'yes'\n", "printer.cut"),
    ("[printer]\nurl = 'http://x'\n", "printer.url"),
    ("[database]\nurl = 'mysql://x'\n", "database.url"),
    ("[ui]\nlanguage = 'fr'\n", "ui.language"),
    ("[scanner]\nsuffix = 'TAB'\n", "scanner.suffix"),
    ("[scale]\nprotocol = 'dibal'\n", "scale.protocol"),
    ("[scale]\ntimeout_ms = 60000\n", "scale.timeout_ms"),
    ("[scale]\nurl = 'tcp://10.0.0.5:4001'\n", "scale.url"),
    ("[scale]\nchecksum = 'yes'\n", "scale.checksum"),
    ("[till]\nmax_qty = 0\n", "till.max_qty"),
    ("[till]\nmerge_same = 'no'\n", "till.merge_same"),
    ("[keys]\n'till.pay' = 12\n", "keys.till.pay"),
])
def test_bad_values_are_named(tmp_path: Path, text: str, key: str) -> None:
    with pytest.raises(ConfigError) as err:
        config.load(write(tmp_path, text), env={})
    assert key in str(err.value)


def test_invalid_toml(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not valid TOML"):
        config.load(write(tmp_path, "[printer\n"), env={})


def test_missing_explicit_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        config.load(tmp_path / "nope.toml", env={})


def test_precedence_file_then_env_then_flag(tmp_path: Path) -> None:
    path = write(tmp_path, "[database]\nurl = 'sqlite:///file.db'\n[printer]\nurl='dummy://'\n")
    assert config.load(path, env={}).db_url == "sqlite:///file.db"
    env = {"ZHANGGUI_DB": "sqlite:///env.db", "ZHANGGUI_PRINTER": "tcp://127.0.0.1:9100",
           "ZHANGGUI_LANG": "en"}
    cfg = config.load(path, env=env)
    assert cfg.db_url == "sqlite:///env.db"
    assert cfg.printer.url == "tcp://127.0.0.1:9100" and cfg.ui.language == "en"
    assert config.load(path, env=env, db_url="sqlite:///flag.db").db_url == "sqlite:///flag.db"


def test_bad_env_value_names_the_variable(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as err:
        config.load(None, env={"ZHANGGUI_PRINTER": "lpt1", "ZHANGGUI_CONFIG_DIR": str(tmp_path)})
    assert "ZHANGGUI_PRINTER" in str(err.value)


def test_default_db_lives_in_the_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                          ) -> None:
    monkeypatch.setenv("ZHANGGUI_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ZHANGGUI_CONFIG_DIR", str(tmp_path / "cfg"))
    cfg = config.load(None, env={})
    assert cfg.db_url == f"sqlite:///{tmp_path / 'zhanggui.db'}"
