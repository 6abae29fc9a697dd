"""Order histories where they live (room io): a file, a folder or glob of parts, a DuckDB database, as one clean Ibis table.

:func:`open_orders` returns the canonical transactions table of :mod:`casebook.io.transactions`
(``customer_id``, ``timestamp``, ``amount``; ``quantity`` and ``invoice`` when known) as an Ibis
expression over an embedded DuckDB engine, with the same :class:`~casebook.io.transactions.CleaningReport`.
Nothing is loaded into Python: DuckDB reads the Parquet or CSV files (or the database table) when a
query runs, out of core, within a memory limit, spilling to a temporary folder. Only the layouts DuckDB
does not read (XLSX, whitespace-separated text such as CDNOW, UTF-16 or latin-1 text, decimal commas)
go through the pandas reader of :mod:`casebook.io.transactions` and are registered as an in-memory table.

Columns are found by the same usual names as :func:`~casebook.io.transactions.load_transactions` (its
constants and its look-up) or named explicitly, and the cleaning rules are its :data:`RULES`, written as
Ibis filters: every count is computed by the engine, in one pass over the lines (two when text ids or
invoice numbers carry surrounding spaces to strip).

Differences from the pandas loader, by design: a problem is reported with up to three offending values
but no row numbers (rows of a folder of parts or of a database table have no spreadsheet number);
whole-number customer ids stay integers in the table (grouping on integers is faster; the summaries turn
them into text); and a CSV's integer-looking ids are read as text (exact, leading zeros kept).

May import: the foundation and io, ibis and duckdb.
"""

from __future__ import annotations

import csv
import datetime
import glob
import io
import os
import re
import tempfile
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from casebook import clock
from casebook.errors import InputError
from casebook.io.tables import (
    SAMPLE_BYTES,
    require_distinct_header,
    sniff_decimal,
    sniff_delimiter,
    sniff_encoding,
)
from casebook.io.transactions import (
    AMOUNT_NAMES,
    CUSTOMER_NAMES,
    DATE_NAMES,
    INVOICE_NAMES,
    PRICE_NAMES,
    QUANTITY_NAMES,
    RULES,
    CleaningReport,
    _find,
    _headerless_defaults,
    _is_whitespace_table,
    read_transactions_table,
)

#: DuckDB's memory limit unless ``CASEBOOK_DUCKDB_MEMORY`` says otherwise (larger work spills to disk).
MEMORY_LIMIT = "2GB"
#: DuckDB's threads unless ``CASEBOOK_DUCKDB_THREADS`` says otherwise.
THREADS = 2
#: Database files, opened read-only.
DATABASE_SUFFIXES = (".duckdb", ".db")
#: Text dates: the formats :func:`casebook.io.convert.to_datetime` tries, in the same order.
DATE_FORMATS = ("ISO8601", "%Y%m%d", "%d/%m/%Y %H:%M", "%m/%d/%Y %H:%M", "%d/%m/%Y", "%m/%d/%Y")
#: Numbers written with thousands separators between groups of three digits (``1,250.50``, ``1 250``).
_GROUPED = r"^[+-]?\d{1,3}([, \x{00A0}\x{202F}]\d{3})+(\.\d+)?$"
_GLOB_CHARS = re.compile(r"[*?\[]")


@ibis.udf.scalar.builtin
def try_strptime(value: str, fmt: str) -> datetime.datetime:  # type: ignore[empty-body]
    """DuckDB's ``try_strptime``: the timestamp written in ``value`` with format ``fmt``, or NULL."""


def connect(memory_limit: str | None = None, threads: int | None = None,
            temp_directory: str | Path | None = None) -> ibis.BaseBackend:
    """An embedded DuckDB engine with bounded memory: ``memory_limit`` (``"2GB"``), ``threads`` and a
    folder for what does not fit (default: ``casebook-duckdb`` in the system's temporary folder)."""
    temp = Path(temp_directory) if temp_directory else Path(tempfile.gettempdir()) / "casebook-duckdb"
    temp.mkdir(parents=True, exist_ok=True)
    return ibis.duckdb.connect(
        memory_limit=memory_limit or os.environ.get("CASEBOOK_DUCKDB_MEMORY", MEMORY_LIMIT),
        threads=int(threads or os.environ.get("CASEBOOK_DUCKDB_THREADS", THREADS)),
        temp_directory=str(temp),
        preserve_insertion_order=False,
    )


@dataclass
class _Raw:
    """A source opened as a raw Ibis table, before detection and cleaning."""

    table: ir.Table
    name: str  # how messages name the source
    describe: str  # how it was read, for the report (the row count is added later)
    header_rows: int = 1
    frame: pd.DataFrame | None = None  # the pandas frame, for sources read by pandas
    reread: Callable[[dict[str, str]], ir.Table] | None = None  # CSV: read again with some column types

    def retyped(self, types: dict[str, str]) -> ir.Table:
        """The table with some columns read with other types, when the reader can (else as it is)."""
        if self.reread is None or not types:
            return self.table
        try:
            return self.reread(types)
        except duckdb.Error as exc:
            raise _engine_error(self.name, exc) from None


def _csv_types(t: ir.Table, date: str, ids: list[str], measures: list[str]) -> dict[str, str]:
    """Column types to read a CSV with, where DuckDB's guess (from a sample of lines) is not safe.

    Integer measures are read as DOUBLE (DuckDB would round a later ``12.5`` into an integer column) and
    integer ids as text (exact, leading zeros kept); timestamps with a UTC offset as text, to keep the
    wall-clock time written, as the pandas loader does (a page's audience lives in its local time).
    """
    types = {c: "DOUBLE" for c in measures if t[c].type().is_integer()}
    types.update({c: "VARCHAR" for c in ids if t[c].type().is_integer()})
    if t[date].type().is_timestamp() and t[date].type().timezone:
        types[date] = "VARCHAR"
    return types


class _ConversionError(InputError):
    """The engine met a value its reader had not expected in a column (a CSV typed from a sample)."""

    def __init__(self, name: str, column: str, exc: BaseException) -> None:
        super().__init__(name, f"the engine could not read it ({_first_line(exc)})", column=column,
                         expected="one type of value per column")
        self.column_name = column


def _first_line(exc: BaseException) -> str:
    return next((ln.strip() for ln in str(exc).splitlines() if ln.strip()), type(exc).__name__)


def _engine_error(name: str, exc: BaseException) -> InputError:
    return InputError(name, f"the engine could not read it ({_first_line(exc)})",
                      expected="a readable Parquet or CSV source with one type per column")


def _fetch(expr: ir.Expr, name: str) -> pa.Table:
    """Run ``expr`` and return its rows as Arrow (Ibis' pandas conversion is slow on columns with NULLs)."""
    try:
        return expr.to_pyarrow() if isinstance(expr, ir.Table) else expr.as_table().to_pyarrow()
    except duckdb.Error as exc:
        m = re.search(r'Error when converting column "(.+?)"', str(exc))
        if m:
            raise _ConversionError(name, m.group(1), exc) from None
        raise _engine_error(name, exc) from None


def _arrow_frame(df: pd.DataFrame) -> pa.Table:
    """A pandas frame as Arrow; columns of mixed Python objects (XLSX cells) become text."""
    arrays = {}
    for col in df.columns:
        try:
            arrays[str(col)] = pa.array(df[col], from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            arrays[str(col)] = pa.array(df[col].astype("string"), from_pandas=True)
    return pa.table(arrays)


def _from_pandas(con: ibis.BaseBackend, path: Path, explicit: list[str]) -> _Raw:
    """Read a file with the pandas reader of io.transactions and register it in the engine."""
    df, info, header_rows = read_transactions_table(path, explicit)
    table = ibis.memtable(_arrow_frame(df))
    describe = (f"text, {info.encoding}, whitespace separated" if info.delimiter == "whitespace"
                else info.describe().rsplit(", ", 1)[0])  # the row count is added with the others'
    return _Raw(table, str(path), describe, header_rows, df)


def _csv_layout(path: Path) -> tuple[str, str, str, list[str]] | None:
    """(encoding, delimiter, decimal mark, header) of a text file DuckDB reads as it is; None otherwise
    (whitespace-separated, UTF-16 or latin-1 text, decimal commas: left to the pandas reader)."""
    with path.open("rb") as f:
        head = f.read(SAMPLE_BYTES)
    if not head.strip():
        raise InputError(str(path), "the file is empty", expected="a header row and at least one data row")
    head = head[: head.rfind(b"\n") + 1] or head
    enc = sniff_encoding(head, str(path))
    if enc not in ("utf-8", "utf-8-sig"):
        return None
    text = head.decode(enc, errors="ignore").lstrip("\ufeff")
    if _is_whitespace_table(text):
        return None
    sep = sniff_delimiter(text, str(path))
    dec = sniff_decimal(text, sep)
    if dec != ".":
        return None
    header = next((r for r in csv.reader(io.StringIO(text), delimiter=sep) if r), [])
    return enc, sep, dec, header


def _read_parts(con: ibis.BaseBackend, files: list[Path], name: str, what: str) -> _Raw:
    """Parquet or CSV files read by DuckDB as one table (columns matched by name across parts)."""
    kinds = {f.suffix.lower() for f in files}
    if kinds - {".parquet", ".csv"}:
        raise InputError(name, f"{what} holds other files than Parquet or CSV parts "
                         f"({', '.join(sorted(kinds - {'.parquet', '.csv'}))})",
                         expected="parts that all end in .parquet, or all in .csv")
    if len(kinds) > 1:
        raise InputError(name, f"{what} mixes Parquet and CSV parts", expected="parts of one format")
    paths = [str(f) for f in files]
    parts = f"{len(files):,} part{'s' if len(files) > 1 else ''}"
    try:
        if kinds == {".parquet"}:
            try:
                names = pq.read_schema(files[0]).names
            except (pa.ArrowException, OSError) as exc:
                raise InputError(str(files[0]), f"not a readable Parquet file ({_first_line(exc)})",
                                 expected="a Parquet file") from None
            require_distinct_header(names, str(files[0]))
            return _Raw(con.read_parquet(paths, union_by_name=True), name, f"parquet, {parts}")
        layout = _csv_layout(files[0])
        if layout is None:
            raise InputError(name, "CSV parts that are not comma, semicolon or tab separated UTF-8 with a "
                             "decimal point", expected="CSV parts the engine reads as they are")
        _, sep, _, header = layout
        require_distinct_header(header, str(files[0]))
        sep_name = {"\t": "tab"}.get(sep, repr(sep))
        def read(types: dict[str, str]) -> ir.Table:
            return con.read_csv(paths, delim=sep, header=True, union_by_name=True, types=types or None)

        return _Raw(read({}), name, f"csv, {sep_name} separated, {parts}", reread=read)
    except duckdb.Error as exc:
        raise _engine_error(name, exc) from None


def _parts_in(folder: Path) -> list[Path]:
    """The data files of a folder, recursively (hidden files and Spark's ``_SUCCESS`` markers left out)."""
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith((".", "_")))


def _database(con: ibis.BaseBackend, path: Path, table: str | None) -> _Raw:
    """A table of a DuckDB database file, attached read-only."""
    alias = f"casebook_db_{uuid.uuid4().hex[:12]}"
    try:
        con.attach(path, name=alias, read_only=True)
    except duckdb.Error as exc:
        raise InputError(str(path), f"not a readable DuckDB database ({_first_line(exc)})",
                         expected="a .duckdb file written by DuckDB") from None
    rows = con.raw_sql("SELECT table_name FROM information_schema.tables WHERE table_catalog = ? "
                       "ORDER BY table_name", parameters=[alias]).fetchall()
    names = [r[0] for r in rows]
    listed = ", ".join(names[:12]) + (", …" if len(names) > 12 else "") if names else "no table"
    if not table:
        if len(names) != 1:
            raise InputError(str(path), f"the database holds {len(names)} tables ({listed})",
                             expected="the name of the orders table (parameter table)")
        table = names[0]
    if table not in names:
        raise InputError(str(path), f"no table named '{table}' (the database has: {listed})",
                         expected="the name of a table in the database (parameter table)")
    return _Raw(con.table(table, database=alias), f"{path}, table '{table}'", f"duckdb table '{table}'")


def _open_raw(con: ibis.BaseBackend, source: str | Path, table: str | None, explicit: list[str]) -> _Raw:
    """Open ``source`` as it lives: a glob, a folder of parts, a database file or a single file."""
    text = str(source)
    p = Path(source)
    if table and p.suffix.lower() not in DATABASE_SUFFIXES:
        raise InputError(text, f"a table name ('{table}') is given, but this is not a database file",
                         expected=f"a {' or '.join(DATABASE_SUFFIXES)} file with the table, or no table name")
    if not p.exists() and _GLOB_CHARS.search(text):
        files = sorted(Path(f) for f in glob.glob(text, recursive=True) if Path(f).is_file())
        if not files:
            raise InputError(text, "no file matches this pattern", expected="a pattern naming Parquet or CSV parts")
        return _read_parts(con, files, text, "the pattern")
    if not p.exists():
        raise InputError(text, "no such file or folder", expected="the path of an order history")
    if p.is_dir():
        files = _parts_in(p)
        if not files:
            raise InputError(text, "the folder holds no Parquet or CSV part", expected="a folder of .parquet or .csv files")
        return _read_parts(con, files, text, "the folder")
    suffix = p.suffix.lower()
    if suffix in DATABASE_SUFFIXES:
        return _database(con, p, table)
    if suffix == ".parquet":
        raw = _read_parts(con, [p], text, "the file")
        raw.describe = "parquet"
        return raw
    if suffix in (".xlsx", ".xlsm"):
        return _from_pandas(con, p, explicit)
    layout = _csv_layout(p)
    if layout is None:
        return _from_pandas(con, p, explicit)
    enc, sep, _, header = layout
    require_distinct_header(header, text)
    def read(types: dict[str, str]) -> ir.Table:
        return con.read_csv(str(p), delim=sep, header=True, types=types or None)

    try:
        t = read({})
    except duckdb.Error as exc:
        raise _engine_error(text, exc) from None
    return _Raw(t, text, f"csv, {enc}, {({chr(9): 'tab'}).get(sep, repr(sep))} separated", reread=read)


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
    row = _fetch(counts, name).to_pylist()[0]
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
    shown = _fetch(raw.filter(flag).select(v=raw[col].cast("string")).distinct().limit(3), name)["v"].to_pylist()
    return ", ".join(repr(v) for v in shown)


def _end_of_today() -> pd.Timestamp:
    """The last instant of the book's fixed today: later dates cannot be in an export."""
    return clock.today() + pd.Timedelta(days=1) - pd.Timedelta(microseconds=1)


def _scalar(value: Any) -> Any:
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else value


def open_orders(
    source: str | Path,
    *,
    table: str | None = None,
    customer_col: str | None = None,
    date_col: str | None = None,
    amount_col: str | None = None,
    quantity_col: str | None = None,
    price_col: str | None = None,
    invoice_col: str | None = None,
    drop_zero_amount: bool = False,
    con: ibis.BaseBackend | None = None,
) -> tuple[ir.Table, CleaningReport]:
    """Open an order history where it lives; return the clean canonical table (lazy) and its cleaning report.

    ``source`` is a CSV, XLSX, Parquet or whitespace-separated text file; a folder of Parquet or CSV parts
    (read recursively, matched by column name); a glob of parts (``orders/*.parquet``); or a DuckDB file
    (``.duckdb``, ``.db``) with ``table`` (optional when the database holds one table). Empty strings for
    the ``*_col`` arguments mean "detect", as in :func:`casebook.io.transactions.standardise`, whose
    rules and report this follows. ``con`` is a :func:`connect` engine to reuse (default: a new one).
    """
    con = con or connect()
    explicit = [c for c in (customer_col, date_col, amount_col, quantity_col, price_col, invoice_col) if c]
    raw = _open_raw(con, source, table, explicit)
    name = raw.name
    cols = pd.DataFrame(columns=list(raw.table.columns))
    headerless = raw.frame is not None and raw.header_rows == 0 and str(raw.frame.columns[0]) == "column_1"
    guess = _headerless_defaults(raw.frame) if headerless else {}
    cust = _find(cols, customer_col or guess.get("customer"), CUSTOMER_NAMES, "customer id", name,
                 usual="CustomerID, customer_id or client (parameter customer_col)")
    date = _find(cols, date_col or guess.get("date"), DATE_NAMES, "date", name,
                 usual="InvoiceDate, date or order_date (parameter date_col)")
    amount = _find(cols, amount_col or guess.get("amount"), AMOUNT_NAMES, "amount", name, required=False)
    qty = _find(cols, quantity_col or guess.get("quantity"), QUANTITY_NAMES, "quantity", name, required=False)
    inv = _find(cols, invoice_col, INVOICE_NAMES, "invoice", name, required=False)
    price = None
    if amount is None:
        price = _find(cols, price_col, PRICE_NAMES, "unit price", name, required=False)
        if qty is None or price is None:
            raise InputError(name, "no amount column, and no quantity and unit price to compute it "
                             f"(the source has: {', '.join(cols.columns[:12])})",
                             expected="a column named amount, revenue or sales (parameter amount_col), "
                             "or both Quantity and UnitPrice")
    types = {} if raw.reread is None else _csv_types(
        raw.table, date, [c for c in (cust, inv) if c], [c for c in (amount, qty, price) if c])
    while True:
        try:
            return _clean(raw, raw.retyped(types), name, cust, date, amount, qty, price, inv, drop_zero_amount)
        except _ConversionError as exc:  # a CSV typed from a sample: read that column as text, again
            if raw.reread is None or types.get(exc.column_name) == "VARCHAR":
                raise
            types[exc.column_name] = "VARCHAR"


def _clean(raw: _Raw, r: ir.Table, name: str, cust: str, date: str, amount: str | None, qty: str | None,
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
    latest = _end_of_today()
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
        counts = _fetch(p.aggregate(**checks), name)
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
        path=name, table=f"{raw.describe}, {rows:,} rows", columns=mapping, lines_read=rows, removed=removed,
        zero_amount_kept=0 if drop_zero_amount else int(got["zero_kept"]), lines_kept=int(got["lines_kept"]),
        customers=int(got["customers"]), invoices=int(got["invoices"]) if inv is not None else None,
        first=pd.Timestamp(got["first"]), last=pd.Timestamp(got["last"]), revenue=float(got["revenue"] or 0.0),
    )
    return clean, report


def source_kind(source: str | Path) -> str:
    """How :func:`open_orders` reads ``source``: "glob", "folder", "database" or "file" (no file is opened)."""
    p = Path(source)
    if not p.exists() and _GLOB_CHARS.search(str(source)):
        return "glob"
    if p.is_dir():
        return "folder"
    return "database" if p.suffix.lower() in DATABASE_SUFFIXES else "file"


__all__: Sequence[str] = ["DATE_FORMATS", "MEMORY_LIMIT", "THREADS", "connect", "open_orders", "source_kind"]
