"""The canonical post table's schema (room io): pandera checks, failures turned into one InputError line.

May import: the foundation.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import pandera.pandas as pa
import pyarrow
import pyarrow.compute as pc

from casebook import clock
from casebook.errors import InputError, sheet_rows

# pandera imports its pandas backend (and with it, through its data-synthesis strategies, hypothesis) on
# the first validate; registered here, that cost is paid with this module's imports (a kernel's preload)
# instead of inside the first export loaded
pa.DataFrameSchema.register_default_backends(pd.DataFrame)


def unique_ids(ids: pd.Series) -> pd.Series:
    """Pandera check: True for each post id that appears only once in the column.

    Ids in strictly rising or falling order (exports list posts by date, and ids grow with time) are
    distinct without further work. Otherwise ids that are all plain decimal integers (Meta's numeric
    ids) are compared as 64-bit integers, several times faster than as text; any other id as text.
    """
    text = pyarrow.chunked_array([pyarrow.array(ids.array, type=pyarrow.string())])
    if text.null_count == 0 and len(text) > 1:
        later, earlier = text[1:], text[:-1]
        if pc.all(pc.greater(later, earlier)).as_py() or pc.all(pc.less(later, earlier)).as_py():
            return pd.Series(True, index=ids.index)
    if text.null_count == 0:
        try:
            number = pc.cast(text, pyarrow.uint64())
        except (pyarrow.ArrowInvalid, pyarrow.ArrowNotImplementedError):
            number = None
        if number is not None and pc.all(pc.equal(pc.cast(number, pyarrow.string()), text)).as_py():
            return pd.Series(~pd.Series(number.to_numpy()).duplicated(keep=False).to_numpy(), index=ids.index)
    return ~ids.duplicated(keep=False)


def _schema(today: pd.Timestamp) -> pa.DataFrameSchema:
    count = {"checks": pa.Check.ge(0)}
    return pa.DataFrameSchema(
        {
            "post_id": pa.Column("string", pa.Check(unique_ids, name="unique_post_ids"), nullable=False),
            "published": pa.Column("datetime64[ns]", pa.Check.le(today), nullable=False),
            "type": pa.Column("string", nullable=True),
            "category": pa.Column("string", nullable=True),
            "paid": pa.Column("boolean", nullable=True),
            "reach": pa.Column("Int64", nullable=True, **count),
            "impressions": pa.Column("Int64", nullable=True, **count),
            "engaged_users": pa.Column("Int64", nullable=True, **count),
            "comments": pa.Column("Int64", nullable=True, **count),
            "likes": pa.Column("Int64", nullable=True, **count),
            "shares": pa.Column("Int64", nullable=True, **count),
            "interactions": pa.Column("int64", **count),
            "page_likes": pa.Column("Int64", nullable=True, **count),
            "message": pa.Column("string", nullable=True),
            "saves": pa.Column("Int64", nullable=True, **count),
            "follows": pa.Column("Int64", nullable=True, **count),
            "page": pa.Column("string", nullable=False),
            "network": pa.Column("string", nullable=False),
        },
        strict=True, ordered=True,
    )


_CHECK_TEXT = {
    "unique_post_ids": ("duplicate post ids", "each post id once"),
    "greater_than_or_equal_to(0)": ("negative counts", "counts of 0 or more"),
}


def schema_problems(posts: pd.DataFrame, *, path: str = "input", source_columns: Mapping[str, str] | None = None,
                    header_rows: int = 1) -> tuple[pd.DataFrame, list[InputError]]:
    """Check a canonical post table with its pandera schema: the table and one InputError per failed
    column and check (naming file rows), in the schema's order.

    ``posts`` must still have its file positions as index (0 = first record).
    """
    try:
        return _schema(clock.today()).validate(posts, lazy=True, inplace=True), []
    except pa.errors.SchemaErrors as exc:
        fc = exc.failure_cases
        problems = []
        for (col, check), bad in fc.groupby(["column", "check"], sort=False, dropna=False):
            idx = [int(i) for i in bad["index"].dropna()]
            name = (source_columns or {}).get(str(col), str(col))
            check = str(check)
            problem, expected = _CHECK_TEXT.get(check, (f"failed check {check}", "values of the canonical schema"))
            if check.startswith("less_than_or_equal_to"):
                problem, expected = (f"dates after {clock.today():%Y-%m-%d}, the book's today",
                                     "publication dates in the past")
            examples = ", ".join(str(v) for v in bad["failure_case"].head(3))
            problems.append(InputError(path, f"{problem} ({examples})", column=name,
                                       rows=sheet_rows(idx, header_rows), expected=expected))
        return posts, problems


def validate_posts(posts: pd.DataFrame, *, path: str = "input", source_columns: Mapping[str, str] | None = None,
                   header_rows: int = 1) -> pd.DataFrame:
    """Check a canonical post table with its pandera schema; raise the first problem as an InputError.

    ``posts`` must still have its file positions as index (0 = first record).
    """
    out, problems = schema_problems(posts, path=path, source_columns=source_columns, header_rows=header_rows)
    if problems:
        raise problems[0]
    return out
