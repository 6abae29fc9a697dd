"""What ``make test`` needs besides the virtualenv (build room): checked first, named in one line.

``python -m casebook.build.prereqs`` exits 0 when every tool is there; otherwise it prints one line naming
what is missing and the command that installs it, and exits 1 (before any test starts, instead of a
playwright traceback deep in the suite).

May import: build.browser.
"""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass

from casebook.build.browser import CHROMIUM


@dataclass(frozen=True)
class Tool:
    """A program the tests run, what it is for and how to install it."""

    name: str
    commands: tuple[str, ...]
    install: str
    used_for: str


TOOLS = (
    Tool("Chromium", (CHROMIUM,), "apt-get install chromium", "the browser checks and the PDF"),
    Tool("poppler", ("pdfinfo", "pdftoppm"), "apt-get install poppler-utils", "the PDF checks"),
)


def missing(tools: tuple[Tool, ...] = TOOLS) -> list[tuple[Tool, list[str]]]:
    """Each tool with a command not found (an absolute path, or a name looked up on PATH)."""
    out = []
    for tool in tools:
        absent = [c for c in tool.commands if shutil.which(c) is None]
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
