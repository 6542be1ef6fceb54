"""The layout rules: store and devices load no UI; devices loads no store. Each module alone."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = {
    "store": ("textual", "tui", "backoffice", "devices"),
    "devices": ("textual", "tui", "backoffice", "store"),
}


def _modules(package: str) -> list[str]:
    path = ROOT / package
    names = [package]
    for info in pkgutil.walk_packages([str(path)], prefix=f"{package}."):
        if ".migrations." in info.name:  # migration scripts are loaded by path, not imported
            continue
        names.append(info.name)
    return names


CASES = [(pkg, mod) for pkg in FORBIDDEN for mod in _modules(pkg)]


@pytest.mark.parametrize(("package", "module"), CASES, ids=[m for _p, m in CASES])
def test_module_imports_nothing_forbidden(package: str, module: str) -> None:
    code = (
        f"import importlib, json, sys; importlib.import_module({module!r}); "
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True)
    loaded = set(json.loads(out.stdout))
    bad = loaded & set(FORBIDDEN[package])
    assert not bad, f"{module} loads {sorted(bad)}"


def test_the_check_sees_every_store_module() -> None:
    # Guards the test itself: if discovery broke, the parametrized cases above would vanish.
    names = _modules("store")
    assert "store.core.db" in names and "store.catalog.search" in names and len(names) > 15


def test_ui_code_does_not_write_models() -> None:
    """tui/ and backoffice/ change data only through store services, never models or SQL."""
    offenders = []
    for pkg in ("tui", "backoffice"):
        for path in (ROOT / pkg).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            if "store.models" in text or "execute_sql" in text or "from peewee" in text:
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
