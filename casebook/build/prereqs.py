"""What ``make test`` needs besides the virtualenv (build room): checked first, named in one line.

The tools: Chromium and poppler (browser and PDF checks), PostgreSQL's initdb and pg_ctl (the database
tests start a throwaway cluster of their own) and Java (Spark in local mode).
``python -m casebook.build.prereqs`` exits 0 when every tool is there; otherwise it prints one line
naming what is missing and the command that installs it, and exits 1 (before any test starts, instead
of a playwright traceback deep in the suite).

May import: build.browser.
"""

from __future__ import annotations

import glob
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from casebook.build.browser import CHROMIUM


@dataclass(frozen=True)
class Tool:
    """A program the tests run, what it is for and how to install it."""

    name: str
    commands: tuple[str, ...]
    install: str
    used_for: str
    also_in: str = ""  # a glob of folders searched after PATH (Debian keeps PostgreSQL's tools off PATH)


#: Where Debian's postgresql package puts initdb and pg_ctl (one folder per major version).
POSTGRES_DIRS = "/usr/lib/postgresql/*/bin"

TOOLS = (
    Tool("Chromium", (CHROMIUM,), "apt-get install chromium", "the browser checks and the PDF"),
    Tool("poppler", ("pdfinfo", "pdftoppm"), "apt-get install poppler-utils", "the PDF checks"),
    Tool("PostgreSQL", ("initdb", "pg_ctl"), "apt-get install postgresql", "the database tests", POSTGRES_DIRS),
    Tool("Java", ("java",), "apt-get install openjdk-17-jre-headless", "the Spark tests"),
)


def _newest_first(pattern: str) -> list[str]:
    """Folders matching ``pattern``, the highest version number first."""
    def version(folder: str) -> tuple[int, ...]:
        return tuple(int(p) for p in Path(folder).parent.name.split(".") if p.isdigit())

    return sorted(glob.glob(pattern), key=version, reverse=True)


def find(command: str, also_in: str = "") -> str | None:
    """The path of ``command``: on PATH (or absolute), else in the folders of the glob ``also_in``."""
    found = shutil.which(command)
    if found or not also_in:
        return found
    return next((hit for d in _newest_first(also_in) if (hit := shutil.which(command, path=d))), None)


def postgres_bin() -> Path | None:
    """The folder holding PostgreSQL's initdb and pg_ctl (on PATH first, then Debian's), or None."""
    initdb, pg_ctl = (find(c, POSTGRES_DIRS) for c in ("initdb", "pg_ctl"))
    if initdb is None or pg_ctl is None:
        return None
    folder = Path(initdb).resolve().parent
    return folder if (folder / "pg_ctl").exists() else Path(initdb).parent


def missing(tools: tuple[Tool, ...] | None = None) -> list[tuple[Tool, list[str]]]:
    """Each tool of ``tools`` (default :data:`TOOLS`) with a command not found (an absolute path, or a
    name looked up on PATH, then in the tool's ``also_in`` folders)."""
    out = []
    for tool in TOOLS if tools is None else tools:
        absent = [c for c in tool.commands if find(c, tool.also_in) is None]
        if absent:
            out.append((tool, absent))
    return out


def message(absent: list[tuple[Tool, list[str]]]) -> str:
    """One line naming what is missing and how to install it; empty when nothing is."""
    if not absent:
        return ""
    parts = [f"{t.name} for {t.used_for} ({', '.join(cmds)} not found): {t.install}" for t, cmds in absent]
    return "make test needs " + "; ".join(parts)


def main() -> int:
    """Print the missing tools on one line and return 1, or return 0."""
    line = message(missing())
    if line:
        print(line, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
