"""A PostgreSQL database out of reach while the server runs: the server refuses new
connections to it and drops the ones it has (as a till sees a router going down), until the
`with` block ends — whatever happens inside it."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import psycopg

from tests.conftest import pg_admin


def _server(sql: str) -> None:
    with psycopg.connect(pg_admin()[0], autocommit=True) as conn:
        conn.execute(sql)


@contextlib.contextmanager
def refused(url: str) -> Iterator[None]:
    name = url.rsplit("/", 1)[1]
    _server(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false')
    try:
        _server("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                f"WHERE datname = '{name}' AND pid <> pg_backend_pid()")
        yield
    finally:
        _server(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true')
