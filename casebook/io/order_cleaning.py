"""Cleaning an order history in its engine (room io): typed columns, the rules of io.transactions, the counts.

The cleaning rules are :data:`casebook.io.transactions.RULES`, written as Ibis filters: every count is
computed by the engine, in one pass over the lines (two when text ids or invoice numbers carry surrounding
spaces to strip). Problems are reported with up to three offending values but no row numbers (rows of a
folder of parts or of a database table have no spreadsheet number).

May import: the foundation and io, ibis and duckdb.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir
import pandas as pd

from casebook import clock
from casebook.errors import InputError
from casebook.io.order_sources import RawSource, fetch_arrow
from casebook.io.report_words import row_count
from casebook.io.transactions import (
    RULES,
    CleaningReport,
)

#: Text dates: the formats :func:`casebook.io.convert.to_datetime` tries, in the same order.
DATE_FORMATS = ("ISO8601", "%Y%m%d", "%d/%m/%Y %H:%M", "%m/%d/%Y %H:%M", "%d/%m/%Y", "%m/%d/%Y")
#: Numbers written with thousands separators between groups of three digits (``1,250.50``, ``1 250``).
_GROUPED = r"^[+-]?\d{1,3}([, \x{00A0}\x{202F}]\d{3})+(\.\d+)?$"


@ibis.udf.scalar.builtin
def try_strptime(value: str, fmt: str) -> datetime.datetime:  # type: ignore[empty-body]
    """DuckDB's ``try_strptime``: the timestamp written in ``value`` with format ``fmt``, or NULL."""


# -- typed columns: each gives its value and the flags the validation counts -------------------------------


def _as_string(col: ir.Value) -> ir.StringValue:
    return col if col.type().is_string() else col.cast("string")


def _stripped(s: ir.StringValue) -> ir.StringValue:
    """``s`` without surrounding whitespace; stripping only the values that need it is several times
    faster than stripping them all (the test is a few prefix comparisons)."""
    return ibis.ifelse(_needs_strip(s), s.strip(), s)


def _needs_strip(s: ir.StringValue) -> ir.BooleanValue:
    """Values with surrounding whitespace."""
    edges = [s.startswith(c) | s.endswith(c) for c in (" ", "\t", "\n")]
    return edges[0] | edges[1] | edges[2]


def _text(col: ir.Value) -> ir.StringValue:
    """A column as stripped text, blanks as NULL."""
    return _stripped(_as_string(col)).nullif("")


def _blank(s: ir.StringValue) -> ir.BooleanValue:
    """Missing or only whitespace."""
    return s.isnull() | (_stripped(s) == "")


def _customer(ident: ir.Value, whole: bool) -> ir.Value:
    """Customer ids from the line's id (text already stripped, or a number): integers stay integers; whole
    floats (``17850.0``) become integers when ``whole`` (every id of the column is whole), others text."""
    t = ident.type()
    if t.is_integer():
        return ident.cast("int64")
    if t.is_floating():
        missing = ident.isnull() | ident.isnan() | ident.isinf()
        if whole:
            return ibis.ifelse(missing, ibis.null("int64"), ident.cast("int64"))
        return ibis.ifelse(missing, ibis.null("string"), ident.cast("string"))
    return ident


def _not_whole(col: ir.Value) -> ir.BooleanValue | None:
    """Float ids that are not whole numbers (they keep the column as text); None for other types."""
    if not col.type().is_floating():
        return None
    ok = col.isnull() | col.isnan() | col.isinf()
    return ~ok & (col != col.floor())


@dataclass
class _Number:
    value: ir.FloatingValue
    text: ir.BooleanValue | None  # text where a number was expected (None: it cannot happen)
    infinite: ir.BooleanValue | None
    empty: ir.BooleanValue


def _number(col: ir.Value) -> _Number:
    """A column as float64, with the flags of values that are not finite numbers."""
    t = col.type()
    if t.is_numeric() and not t.is_boolean():
        value = col.cast("float64")
        if not t.is_floating():
            return _Number(value, None, None, col.isnull())
        return _Number(value, None, value.isinf().fill_null(False), col.isnull() | value.isnan())
    # The engine's cast reads surrounding spaces; grouped thousands are read only where the cast fails.
    s = _as_string(col)
    grouped = _stripped(s)
    value = s.try_cast("float64").coalesce(ibis.ifelse(
        grouped.re_search(_GROUPED), grouped.re_replace(r"[, \x{00A0}\x{202F}]", "").try_cast("float64"),
        ibis.null("float64")))
    bad = (value.isnull() | value.isnan()) & ~_blank(s)
    empty = value.isnull() & _blank(s)
    return _Number(value, bad.fill_null(False), value.isinf().fill_null(False), empty)


def _date_format(raw: ir.Table, text: ir.StringValue, name: str) -> str:
    """The format of :data:`DATE_FORMATS` that reads the most of a sample of the column's values."""
    sample = raw.select(v=text).filter(lambda s: s.v.notnull()).limit(1000)
    counts = sample.aggregate(**{
        f"f{i}": (sample.v.try_cast("timestamp") if fmt == "ISO8601" else try_strptime(sample.v, fmt)).count()
        for i, fmt in enumerate(DATE_FORMATS)})
    row = fetch_arrow(counts, name).to_pylist()[0]
    best = max(range(len(DATE_FORMATS)), key=lambda i: (row[f"f{i}"], -i))
    return DATE_FORMATS[best]


def _timestamp(raw: ir.Table, col: ir.Value, name: str
               ) -> tuple[ir.TimestampValue, ir.BooleanValue | None, ir.BooleanValue]:
    """(timestamp, unreadable (None for typed dates), empty): typed dates kept as they are, text parsed with
    one format."""
    t = col.type()
    if t.is_timestamp():
        value = col.cast(dt.Timestamp()) if t.timezone else col
        return value, None, col.isnull()
    if t.is_date():
        return col.cast("timestamp"), None, col.isnull()
    s = _as_string(col)
    fmt = _date_format(raw, _text(col), name)
    # The engine's cast reads surrounding spaces; strptime needs them stripped.
    value = s.try_cast("timestamp") if fmt == "ISO8601" else try_strptime(_stripped(s), fmt)
    empty = value.isnull() & _blank(s)
    return value, (value.isnull() & ~_blank(s)).fill_null(False), empty


def _rules(ident: ir.Value, invoice: ir.StringValue | None, quantity: ir.FloatingValue | None,
           amount: ir.FloatingValue, drop_zero_amount: bool) -> dict[str, ir.BooleanValue]:
    """The rules of io.transactions (:data:`RULES`), in order, as flags of the lines each would remove.

    Invoice prefixes are tested with ``startswith``, which engines run cheaply (DuckDB pushes it into
    its scans) where taking the first character would not be.
    """
    missing = ident.isnull() | ident.isnan() if ident.type().is_floating() else ident.isnull()
    flags = {"missing_customer": missing}
    if invoice is not None:
        flags["cancellation"] = (invoice.startswith("C") | invoice.startswith("c")).fill_null(False)
        flags["adjustment"] = (invoice.startswith("A") | invoice.startswith("a")).fill_null(False)
    if quantity is not None:
        flags["non_positive_quantity"] = (quantity <= 0).fill_null(False)
    flags["negative_amount"] = (amount < 0).fill_null(False)
    if drop_zero_amount:
        flags["zero_amount"] = (amount == 0).fill_null(False)
    return flags


def _examples(raw: ir.Table, col: str, flag: ir.BooleanValue, name: str) -> str:
    """Up to three distinct offending values of ``col``, as written."""
    shown = fetch_arrow(raw.filter(flag).select(v=raw[col].cast("string")).distinct().limit(3), name)["v"].to_pylist()
    return ", ".join(repr(v) for v in shown)


def _scalar(value: Any) -> Any:
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else value


def clean_orders(raw: RawSource, r: ir.Table, name: str, cust: str, date: str, amount: str | None, qty: str | None,
                 price: str | None, inv: str | None, drop_zero_amount: bool) -> tuple[ir.Table, CleaningReport]:
    """The checks, the cleaning counts and the clean table of :func:`open_orders`, on the raw table ``r``."""
    mapping = {"customer_id": cust, "timestamp": date}
    ts, ts_bad, ts_empty = _timestamp(r, r[date], name)
    quantity = _number(r[qty]) if qty is not None else None
    if amount is not None:
        amt = _number(r[amount])
        amount_value = amt.value
        mapping["amount"] = amount
    else:
        amt = _number(r[price])
        amount_value = quantity.value * amt.value
        mapping["amount"] = f"{qty} × {price}"
    if quantity is not None:
        mapping["quantity"] = qty
    if inv is not None:
        mapping["invoice"] = inv
    inv_raw = _as_string(r[inv]) if inv is not None else None
    id_raw = r[cust] if r[cust].type().is_numeric() else _as_string(r[cust])
    numbers = [(qty, quantity), (amount or price, amt)] if quantity is not None else [(amount or price, amt)]
    latest = clock.end_of_today()
    future = (ts > ibis.timestamp(latest.to_pydatetime())).fill_null(False)

    # What can go wrong with these columns (a check that cannot fail, as on typed columns, is left out).
    problems: dict[str, ir.BooleanValue | None] = {
        "not_whole": _not_whole(r[cust]), "ts_bad": ts_bad, "ts_empty": ts_empty, "future": future,
        "id_spaces": None if id_raw.type().is_numeric() else _needs_strip(id_raw).fill_null(False),
        "inv_spaces": None if inv_raw is None else _needs_strip(inv_raw).fill_null(False),
    }
    for i, (_, num) in enumerate(numbers):
        problems.update({f"n{i}_text": num.text, f"n{i}_inf": num.infinite, f"n{i}_empty": num.empty})
    problems = {k: v for k, v in problems.items() if v is not None}

    def first_pass(strip: bool) -> dict[str, Any]:
        """Every count in one pass: values converted once per line, each line's first removing rule
        (``_rule``, 0 when kept). Text ids and invoices are compared as they are unless ``strip``: the
        pass counts the values with surrounding spaces, and runs again stripping them if it found any."""
        ident = id_raw if id_raw.type().is_numeric() else _text(id_raw) if strip else id_raw.nullif("")
        base = {"_id": ident, "_ts": ts, "_amount": amount_value,
                "_qty": quantity.value if quantity is not None else ibis.null("float64"),
                "_inv": inv_raw if inv_raw is not None else ibis.null("string")}
        b = r.select(**base, **{f"_{k}": v for k, v in problems.items()})
        if inv_raw is not None and strip:  # strip the invoices the check found with spaces (checked once)
            b = b.mutate(_inv=ibis.ifelse(b._inv_spaces, b._inv.strip(), b._inv).nullif(""))
        flags = _rules(b._id, b._inv if inv_raw is not None else None, b._qty if quantity is not None else None,
                       b._amount, drop_zero_amount)
        p = b.mutate(_rule=ibis.cases(*[(bad, i + 1) for i, bad in enumerate(flags.values())], else_=0),
                     _zero=(b._amount == 0).fill_null(False))
        keep = p._rule == 0
        checks: dict[str, ir.Scalar] = {
            "lines_read": p.count(),
            **{f"removed_{rule}": p.count(where=p._rule == i + 1) for i, rule in enumerate(flags)},
            **{k: p.count(where=p[f"_{k}"]) for k in problems},
            "zero_kept": p.count(where=keep & p._zero),
            "lines_kept": p.count(where=keep),
            "customers": p._id.nunique(where=keep),
            "first": p._ts.min(where=keep),
            "last": p._ts.max(where=keep),
            "revenue": p._amount.sum(where=keep),
        }
        if inv_raw is not None:
            checks["invoices"] = p._inv.nunique(where=keep)  # as they are, blanks included: corrected below
            if not strip:
                checks["blank_invoices"] = p.count(where=keep & (p._inv == ""))
        counts = fetch_arrow(p.aggregate(**checks), name)
        got = {k: 0 for k in ("not_whole", "id_spaces", "inv_spaces", "ts_bad", "ts_empty", "future")}
        got.update({f"n{i}_{k}": 0 for i in range(len(numbers)) for k in ("text", "inf", "empty")})
        got.update({k: _scalar(v) for k, v in counts.to_pylist()[0].items()})
        if got.get("blank_invoices"):
            got["invoices"] -= 1  # a blank invoice number is no invoice
        got["removed"] = {k: int(got[f"removed_{k}"]) for k in flags}
        return got

    got = first_pass(strip=False)
    if got["id_spaces"] or got["inv_spaces"]:
        got = first_pass(strip=True)

    if not got["lines_read"]:
        raise InputError(name, "the source has no rows", expected="a header row and at least one data row")
    if got["ts_bad"]:
        raise InputError(name, f"dates that do not parse ({_examples(r, date, ts_bad, name)})", column=date,
                         expected="dates like 2014-12-31, 2014-12-31 09:30 or 20141231")
    if got["ts_empty"]:
        raise InputError(name, f"empty dates ({got['ts_empty']:,} lines)", column=date,
                         expected="a date in every row")
    if got["future"]:
        raise InputError(name, f"dates after {latest:%Y-%m-%d} ({_examples(r, date, future, name)})", column=date,
                         expected="dates no later than the export itself")
    for i, (col, num) in enumerate(numbers):
        if got[f"n{i}_text"]:
            raise InputError(name, f"text where a number was expected ({_examples(r, col, num.text, name)})",
                             column=col, expected="numbers only")
        if got[f"n{i}_inf"]:
            raise InputError(name, f"infinite or overflowing numbers ({_examples(r, col, num.infinite, name)})",
                             column=col, expected="finite numbers")
        if got[f"n{i}_empty"]:
            raise InputError(name, f"empty cells ({got[f'n{i}_empty']:,} lines)", column=col,
                             expected="a number in every row")
    removed = got["removed"]
    if not got["lines_kept"]:
        raise InputError(name, "no transaction is left after cleaning (" + "; ".join(
            f"{v:,} {RULES[k]}" for k, v in removed.items() if v) + ")",
            expected="purchases with a customer id, a positive quantity and a non-negative amount")

    # The clean canonical table (lazy: nothing runs here), what the summaries read, maybe several times:
    # the same rules on the values as they are, stripped only where the first pass found spaces.
    clean_id = id_raw if id_raw.type().is_numeric() else _text(id_raw) if got["id_spaces"] else id_raw.nullif("")
    clean_inv = None if inv_raw is None else _text(inv_raw) if got["inv_spaces"] else inv_raw.nullif("")
    keep_all = ibis.and_(*[~bad for bad in _rules(
        clean_id, None if inv_raw is None else _text(inv_raw) if got["inv_spaces"] else inv_raw,
        quantity.value if quantity is not None else None, amount_value, drop_zero_amount).values()])
    columns: dict[str, ir.Value] = {
        "customer_id": _customer(clean_id, whole=not got["not_whole"]), "timestamp": ts, "amount": amount_value}
    if quantity is not None:
        columns["quantity"] = quantity.value
    if clean_inv is not None:
        columns["invoice"] = clean_inv
    clean = r.filter(keep_all).select(**columns)
    rows = int(got["lines_read"])
    report = CleaningReport(
        path=name, table=f"{raw.describe}, {row_count(rows)}", columns=mapping, lines_read=rows, removed=removed,
        zero_amount_kept=0 if drop_zero_amount else int(got["zero_kept"]), lines_kept=int(got["lines_kept"]),
        customers=int(got["customers"]), invoices=int(got["invoices"]) if inv is not None else None,
        first=pd.Timestamp(got["first"]), last=pd.Timestamp(got["last"]), revenue=float(got["revenue"] or 0.0),
    )
    return clean, report
