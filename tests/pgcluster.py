"""A throwaway PostgreSQL primary and its streaming replica, made by the test itself.

The shared test server allows no replication connections (its pg_hba.conf has no
`replication` line), so a test that needs a real replica runs its own primary with initdb,
clones it with pg_basebackup and starts the clone as a hot standby on another port — the same
steps an administrator takes (docs/CHAIN.md). PostgreSQL refuses to run as root: when the
tests do, the server runs as the `postgres` user in a directory that user owns.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path


def bin_dir() -> Path | None:
    """Where initdb, pg_ctl and pg_basebackup are, or None."""
    found = shutil.which("pg_config")
    candidates = []
    if found:
        with contextlib.suppress(OSError, subprocess.CalledProcessError):
            candidates.append(subprocess.run([found, "--bindir"], capture_output=True, text=True,
                                             check=True).stdout.strip())
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for folder in candidates:
        if all((Path(folder) / tool).exists() for tool in ("initdb", "pg_ctl", "pg_basebackup")):
            return Path(folder)
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Cluster:
    """One data directory and its server on 127.0.0.1:port."""

    def __init__(self, tools: Path, data: Path, port: int) -> None:
        self.tools, self.data, self.port = tools, data, port

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def run(self, tool: str, *args: str) -> None:
        command = [str(self.tools / tool), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if done.returncode:
            raise RuntimeError(f"{tool} failed: {done.stderr or done.stdout}")

    def start(self) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-w", "-t", "60", "-l",
                 str(self.data / "server.log"), "start")

    def stop(self) -> None:
        with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
            self.run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def configure(self, **settings: object) -> None:
        with open(self.data / "postgresql.auto.conf", "a") as fh:
            for key, value in settings.items():
                fh.write(f"{key} = '{value}'\n")


@contextlib.contextmanager
def primary_and_replica() -> Iterator[tuple[Cluster, Cluster]]:
    """A primary with a streaming hot standby of it, both running; removed afterwards."""
    tools = bin_dir()
    if tools is None:
        raise RuntimeError("the PostgreSQL server programs (initdb, pg_ctl, pg_basebackup) "
                           "are not installed")
    root = Path(tempfile.mkdtemp(prefix="zg-pg-"))
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        os.chown(root, owner.pw_uid, owner.pw_gid)
    primary = Cluster(tools, root / "primary", free_port())
    replica = Cluster(tools, root / "replica", free_port())
    try:
        # initdb's pg_hba.conf lets local users (trust) connect, for replication too.
        primary.run("initdb", "-D", str(primary.data), "-U", "postgres", "--auth=trust",
                    "--no-sync", "-E", "UTF8", "--locale=C")
        settings = {"listen_addresses": "127.0.0.1", "unix_socket_directories": str(root),
                    "fsync": "off", "wal_level": "replica", "max_wal_senders": 4,
                    "hot_standby_feedback": "on", "shared_buffers": "32MB"}
        primary.configure(port=primary.port, **settings)
        primary.start()
        primary.run("pg_basebackup", "-h", "127.0.0.1", "-p", str(primary.port), "-U",
                    "postgres", "-D", str(replica.data), "-R", "-X", "stream", "--no-sync")
        replica.configure(port=replica.port)
        replica.start()
        yield primary, replica
    finally:
        replica.stop()
        primary.stop()
        shutil.rmtree(root, ignore_errors=True)


def wait_until(check: object, timeout: float = 30.0) -> None:
    """Until check() is true (a replica catching up), or fail after `timeout` seconds."""
    end = time.monotonic() + timeout
    while not check():  # type: ignore[operator]
        if time.monotonic() > end:
            raise AssertionError("timed out waiting")
        time.sleep(0.05)
