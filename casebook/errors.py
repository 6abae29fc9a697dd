"""User-facing errors (foundation): one line naming the file, the column, the rows and what was expected.

Imports nothing from the rooms.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

MAX_ROWS_SHOWN = 5


def format_rows(rows: Iterable[int]) -> str:
    """Name offending rows as a reader sees them in a spreadsheet: "rows 3, 7 (2 in all)".

    ``rows`` are spreadsheet row numbers (the header is row 1, the first record row 2).
    """
    rows = sorted(set(int(r) for r in rows))
    shown = ", ".join(str(r) for r in rows[:MAX_ROWS_SHOWN])
    word = "row" if len(rows) == 1 else "rows"
    more = f", … ({len(rows)} in all)" if len(rows) > MAX_ROWS_SHOWN else ""
    return f"{word} {shown}{more}"


def sheet_rows(positions: Iterable[int], header_rows: int = 1) -> list[int]:
    """Turn 0-based record positions into spreadsheet row numbers (header rows come first)."""
    return [int(p) + header_rows + 1 for p in positions]


class CasebookError(Exception):
    """Bad input or bad parameters: the command line prints the message and exits with 2."""


class InputError(CasebookError):
    """A data file that cannot be used as it is.

    The message is one line: ``<file>: column '<col>', rows 2, 5: <problem>; expected <what>``.
    """

    def __init__(
        self,
        path: str | Path | None,
        problem: str,
        *,
        column: str | None = None,
        rows: Iterable[int] | None = None,
        expected: str | None = None,
    ) -> None:
        self.path = None if path is None else str(path)
        self.problem = problem
        self.column = column
        self.rows = sorted(set(rows)) if rows is not None else []
        self.expected = expected
        parts = []
        where = []
        if column is not None:
            where.append(f"column '{column}'")
        if self.rows:
            where.append(format_rows(self.rows))
        head = self.path or "input"
        if where:
            head += ": " + ", ".join(where)
        parts.append(f"{head}: {problem}")
        if expected:
            parts.append(f"expected {expected}")
        super().__init__("; ".join(parts).replace("\n", " "))


class ParameterError(CasebookError):
    """A chapter parameter with an unknown name or a value of the wrong type."""
