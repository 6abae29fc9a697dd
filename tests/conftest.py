"""Shared fixtures for the unit tests (and a throwaway PostgreSQL server for the integration tests)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    import pandas as pd


@pytest.fixture
def write(tmp_path: Path):
    """Write text (or bytes) to a file in a temporary folder and return its path."""

    def _write(name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding=encoding)
        return path

    return _write


@pytest.fixture(scope="session")
def postgres_server():
    """A throwaway PostgreSQL cluster for this test session: initdb into a temporary folder, started with
    pg_ctl on a free port of 127.0.0.1 and a socket in that folder, stopped and removed at the end.

    As root (CI), the cluster runs as the ``postgres`` user Debian's package creates (initdb refuses
    root). Debian's binaries (/usr/lib/postgresql/NN/bin) are found when they are not on PATH. Local
    connections are trusted; TCP ones need a password (scram-sha-256). Yields a dict with ``bin``,
    ``host`` (the socket folder), ``port`` and ``user`` (the superuser, ``casebook``).
    """
    from casebook.build.prereqs import postgres_bin

    bindir = postgres_bin()
    if bindir is None:
        pytest.fail("PostgreSQL's initdb and pg_ctl are not installed: apt-get install postgresql")
    owner = "postgres" if os.geteuid() == 0 else None
    folder = Path(tempfile.mkdtemp(prefix="casebook-pg-"))
    if owner:
        shutil.chown(folder, owner)
    with socket.socket() as s:  # a free port, chosen by the system
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data = folder / "data"

    def run(*args: str) -> None:
        subprocess.run([str(bindir / args[0]), *args[1:]], check=True, capture_output=True, user=owner,
                       cwd=folder, timeout=120)

    run("initdb", "-D", str(data), "-U", "casebook", "--auth-local=trust", "--auth-host=scram-sha-256",
        "-E", "UTF8", "--locale=C", "--no-sync")
    run("pg_ctl", "-D", str(data), "-l", str(folder / "log"), "-w", "-t", "60", "-o",
        f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off", "start")
    try:
        yield {"bin": bindir, "host": str(folder), "port": port, "user": "casebook"}
    finally:
        run("pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def posts() -> pd.DataFrame:
    """Four posts of one page, in the canonical columns (the page-audit tests, in both languages).
    Engagement rates by reach: 0.1, 0.05, 0.2, 0.02; 1 Jan 2024 is a Monday."""
    import pandas as pd

    from casebook.schemas import CANONICAL, DTYPES

    rows = [
        ("2024-01-01 09:00", "Photo", "action", False, 100, 10, 1000, 1, 8, 1),
        ("2024-01-01 15:00", "Photo", "product", True, 200, 10, 1000, 2, 6, 2),
        ("2024-01-03 09:00", "Video", "action", False, 50, 10, 1010, 0, 10, 0),
        ("2024-01-12 20:00", "Status", None, None, 100, 2, 1030, 1, 1, 0),
    ]
    df = pd.DataFrame(rows, columns=["published", "type", "category", "paid", "reach", "interactions", "page_likes",
                                     "comments", "likes", "shares"])
    df["published"] = pd.to_datetime(df["published"])
    df["post_id"] = [f"p{i}" for i in range(len(df))]
    df["impressions"] = df["reach"] * 2
    for c in CANONICAL:
        if c not in df:
            df[c] = {"page": "page", "network": "Facebook"}.get(c, pd.NA)
    return df[CANONICAL].astype(DTYPES)
