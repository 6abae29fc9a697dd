"""Order-history sources (room io): files, folders or globs of parts and DuckDB databases opened as raw Ibis tables.

What :func:`casebook.io.orders.open_orders` reads before detecting and cleaning columns: DuckDB reads the
Parquet or CSV files (or the database table) when a query runs, out of core, within a memory limit; the
layouts it does not read (XLSX, whitespace-separated text such as CDNOW, UTF-16 or latin-1 text, decimal
commas) go through the pandas reader of :mod:`casebook.io.transactions` and are registered in memory.
Database servers (PostgreSQL, Spark) are in :mod:`casebook.io.order_servers`.

May import: the foundation and io, ibis and duckdb.
"""

from __future__ import annotations

import csv
import glob
import io
import os
import re
import sys
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import ibis
import ibis.expr.types as ir
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from casebook.errors import InputError
from casebook.i18n import gettext as _
from casebook.io.report_words import delimiter, plural
from casebook.io.tables import (
    SAMPLE_BYTES,
    require_distinct_header,
    sniff_decimal,
    sniff_delimiter,
    sniff_encoding,
)
from casebook.io.transactions import (
    is_whitespace_table,
    read_transactions_table,
)

#: DuckDB's memory limit unless ``CASEBOOK_DUCKDB_MEMORY`` says otherwise (larger work spills to disk).
MEMORY_LIMIT = "2GB"
#: DuckDB's threads unless ``CASEBOOK_DUCKDB_THREADS`` says otherwise.
THREADS = 2
#: Database files, opened read-only.
DATABASE_SUFFIXES = (".duckdb", ".db")
#: Characters that make a source a glob pattern of parts (when no such file exists).
GLOB_CHARS = re.compile(r"[*?\[]")


def connect(memory_limit: str | None = None, threads: int | None = None,
            temp_directory: str | Path | None = None) -> ibis.BaseBackend:
    """An embedded DuckDB engine with bounded memory: ``memory_limit`` (``"2GB"``), ``threads`` and a
    folder for what does not fit (default: ``casebook-duckdb`` in the system's temporary folder); no
    progress bar."""
    temp = Path(temp_directory) if temp_directory else Path(tempfile.gettempdir()) / "casebook-duckdb"
    temp.mkdir(parents=True, exist_ok=True)
    con = ibis.duckdb.connect(
        memory_limit=memory_limit or os.environ.get("CASEBOOK_DUCKDB_MEMORY", MEMORY_LIMIT),
        threads=int(threads or os.environ.get("CASEBOOK_DUCKDB_THREADS", THREADS)),
        temp_directory=str(temp),
        preserve_insertion_order=False,
    )
    # A long query draws a progress bar on the terminal (a session option; inside a Jupyter kernel DuckDB
    # has it off already and refuses to change it without ipywidgets).
    bar = con.raw_sql("SELECT value FROM duckdb_settings() WHERE name = 'enable_progress_bar'").fetchone()
    if bar and bar[0] == "true":
        con.raw_sql("SET enable_progress_bar = false")
    return con


@dataclass
class RawSource:
    """A source opened as a raw Ibis table, before detection and cleaning."""

    table: ir.Table
    name: str  # how messages name the source
    describe: str  # how it was read, for the report (the row count is added later)
    header_rows: int = 1
    frame: pd.DataFrame | None = None  # the pandas frame, for sources read by pandas
    reread: Callable[[dict[str, str]], ir.Table] | None = None  # CSV: read again with some column types
    typed_only: bool = False  # a server: dates and numbers must be typed columns (io.order_servers)

    def retyped(self, types: dict[str, str]) -> ir.Table:
        """The table with some columns read with other types, when the reader can (else as it is)."""
        if self.reread is None or not types:
            return self.table
        try:
            return self.reread(types)
        except duckdb.Error as exc:
            raise _engine_error(self.name, exc) from None


def csv_types(t: ir.Table, date: str, ids: list[str], measures: list[str]) -> dict[str, str]:
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


class ConversionError(InputError):
    """The engine met a value its reader had not expected in a column (a CSV typed from a sample)."""

    def __init__(self, name: str, column: str, exc: BaseException) -> None:
        super().__init__(name, f"the engine could not read it ({first_line(exc)})", column=column,
                         expected="one type of value per column")
        self.column_name = column


def first_line(exc: BaseException) -> str:
    """The first non-blank line of an engine's error message (its type's name if it has none)."""
    return next((ln.strip() for ln in str(exc).splitlines() if ln.strip()), type(exc).__name__)


def _engine_error(name: str, exc: BaseException) -> InputError:
    return InputError(name, f"the engine could not read it ({first_line(exc)})",
                      expected="a readable source (Parquet or CSV parts, a database table) with one type per column")


def _engine_errors() -> tuple[type[BaseException], ...]:
    """The errors an engine raises on a query: DuckDB's, and a server's once its library is loaded."""
    errors: list[type[BaseException]] = [duckdb.Error]
    if "psycopg" in sys.modules:
        errors.append(sys.modules["psycopg"].Error)
    if "pyspark.errors" in sys.modules:
        errors.append(sys.modules["pyspark.errors"].PySparkException)
    if "py4j.protocol" in sys.modules:
        errors.append(sys.modules["py4j.protocol"].Py4JError)
    return tuple(errors)


def fetch_arrow(expr: ir.Expr, name: str) -> pa.Table:
    """Run ``expr`` and return its rows as Arrow (Ibis' pandas conversion is slow on columns with NULLs)."""
    try:
        return expr.to_pyarrow() if isinstance(expr, ir.Table) else expr.as_table().to_pyarrow()
    except _engine_errors() as exc:
        m = re.search(r'Error when converting column "(.+?)"', str(exc))
        if m:
            raise ConversionError(name, m.group(1), exc) from None
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


def _from_pandas(con: ibis.BaseBackend, path: Path, explicit: list[str]) -> RawSource:
    """Read a file with the pandas reader of io.transactions and register it in the engine."""
    df, info, header_rows = read_transactions_table(path, explicit)
    table = ibis.memtable(_arrow_frame(df))
    describe = (_("text, {encoding}, whitespace separated").format(encoding=info.encoding)
                if info.delimiter == "whitespace"
                else info.describe().rsplit(", ", 1)[0])  # the row count is added with the others'
    return RawSource(table, str(path), describe, header_rows, df)


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
    if is_whitespace_table(text):
        return None
    sep = sniff_delimiter(text, str(path))
    dec = sniff_decimal(text, sep)
    if dec != ".":
        return None
    header = next((r for r in csv.reader(io.StringIO(text), delimiter=sep) if r), [])
    return enc, sep, dec, header


def _read_parts(con: ibis.BaseBackend, files: list[Path], name: str, what: str) -> RawSource:
    """Parquet or CSV files read by DuckDB as one table (columns matched by name across parts)."""
    kinds = {f.suffix.lower() for f in files}
    if kinds - {".parquet", ".csv"}:
        raise InputError(name, f"{what} holds other files than Parquet or CSV parts "
                         f"({', '.join(sorted(kinds - {'.parquet', '.csv'}))})",
                         expected="parts that all end in .parquet, or all in .csv")
    if len(kinds) > 1:
        raise InputError(name, f"{what} mixes Parquet and CSV parts", expected="parts of one format")
    paths = [str(f) for f in files]
    parts = plural(len(files), _("{n} part"), _("{n} parts"))
    try:
        if kinds == {".parquet"}:
            try:
                names = pq.read_schema(files[0]).names
            except (pa.ArrowException, OSError) as exc:
                raise InputError(str(files[0]), f"not a readable Parquet file ({first_line(exc)})",
                                 expected="a Parquet file") from None
            require_distinct_header(names, str(files[0]))
            return RawSource(con.read_parquet(paths, union_by_name=True), name, f"parquet, {parts}")
        layout = _csv_layout(files[0])
        if layout is None:
            raise InputError(name, "CSV parts that are not comma, semicolon or tab separated UTF-8 with a "
                             "decimal point", expected="CSV parts the engine reads as they are")
        _enc, sep, _decimal, header = layout
        require_distinct_header(header, str(files[0]))
        def read(types: dict[str, str]) -> ir.Table:
            return con.read_csv(paths, delim=sep, header=True, union_by_name=True, types=types or None)

        shown = "csv, " + _("{delimiter} separated").format(delimiter=delimiter(sep)) + f", {parts}"
        return RawSource(read({}), name, shown, reread=read)
    except duckdb.Error as exc:
        raise _engine_error(name, exc) from None


def _parts_in(folder: Path) -> list[Path]:
    """The data files of a folder, recursively (hidden files and Spark's ``_SUCCESS`` markers left out)."""
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith((".", "_")))


def _database(con: ibis.BaseBackend, path: Path, table: str | None) -> RawSource:
    """A table of a DuckDB database file, attached read-only."""
    alias = f"casebook_db_{uuid.uuid4().hex[:12]}"
    try:
        con.attach(path, name=alias, read_only=True)
    except duckdb.Error as exc:
        raise InputError(str(path), f"not a readable DuckDB database ({first_line(exc)})",
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
    return RawSource(con.table(table, database=alias), f"{path}, table '{table}'", f"duckdb table '{table}'")


def open_raw(con: ibis.BaseBackend, source: str | Path, table: str | None, explicit: list[str]) -> RawSource:
    """Open ``source`` as it lives: a glob, a folder of parts, a database file or a single file."""
    text = str(source)
    p = Path(source)
    if table and p.suffix.lower() not in DATABASE_SUFFIXES:
        raise InputError(text, f"a table name ('{table}') is given, but this is not a database file",
                         expected=f"a {' or '.join(DATABASE_SUFFIXES)} file with the table, or no table name")
    if not p.exists() and GLOB_CHARS.search(text):
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
    enc, sep, _decimal, header = layout
    require_distinct_header(header, text)
    def read(types: dict[str, str]) -> ir.Table:
        return con.read_csv(str(p), delim=sep, header=True, types=types or None)

    try:
        t = read({})
    except duckdb.Error as exc:
        raise _engine_error(text, exc) from None
    return RawSource(t, text, f"csv, {enc}, " + _("{delimiter} separated").format(delimiter=delimiter(sep)), reread=read)
