"""Survey counts (room io): one row per study, year, question and answer option, checked.

May import: the foundation and io.tables.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from casebook import clock
from casebook.errors import InputError, sheet_rows
from casebook.io.convert import to_number
from casebook.io.tables import read_table, require_columns, require_rows, require_unique

REQUIRED = ["study", "year", "question", "option", "count", "n"]
#: The earliest survey year accepted: anything before is a typing error.
FIRST_YEAR = 1900



def load_survey(path: str | Path) -> pd.DataFrame:
    """Read survey counts (columns study, year, question, option, count, n; others kept) and check them.

    Counts and sample sizes must be whole numbers with 0 ≤ count ≤ n and n > 0; years lie between
    ``FIRST_YEAR`` and the book's today (:func:`casebook.clock.today`). Labels are read as text.
    """
    name = str(path)
    df, info = read_table(path)
    require_columns(df, REQUIRED, name, "survey counts")
    require_rows(df, name)
    for col in ("study", "question", "option"):
        df[col] = df[col].astype("string").str.strip()
        empty = df[col].isna() | (df[col] == "")
        if empty.any():
            raise InputError(name, "empty cells", column=col, rows=sheet_rows(empty.to_numpy().nonzero()[0]),
                             expected="a label in every row")
    if "population" in df.columns:
        df["population"] = df["population"].astype("string").str.strip()
    num = {"path": name, "integer": True, "decimal": info.decimal}
    df["year"] = to_number(df["year"], column="year", minimum=FIRST_YEAR, maximum=clock.today().year,
                           **num).astype("int64")
    df["n"] = to_number(df["n"], column="n", minimum=1, **num).astype("int64")
    df["count"] = to_number(df["count"], column="count", minimum=0, **num).astype("int64")
    over = df["count"] > df["n"]
    if over.any():
        raise InputError(name, "count larger than the sample size n", column="count",
                         rows=sheet_rows(over.to_numpy().nonzero()[0]), expected="0 ≤ count ≤ n")
    keys = ["study", "year", "question", "option"] + (["population"] if "population" in df.columns else [])
    require_unique(df, keys, path=name, column="option", what="study, year, question and option",
                   expected="one row per answer option")
    return df
