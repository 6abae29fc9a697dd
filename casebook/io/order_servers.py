"""Order histories on servers (room io): a PostgreSQL table by URL, a Spark table or Parquet path by master URL.

Two kinds of ``source`` name a server rather than a file:

- ``postgresql://[user@][host][:port]/database`` (or ``postgres://``) with ``table`` (``orders`` or
  ``schema.orders``): libpq reads the URL, so whatever it leaves out comes from the usual environment
  (``PGHOST``, ``PGPORT``, ``PGUSER``, ``PGPASSWORD``, ``PGDATABASE``, ``PGSERVICE``...) and from
  ``~/.pgpass``; a password is never shown in a message or a report (:func:`public_name`).
- a Spark master URL, ``spark://host:7077`` or ``local``, ``local[2]``, ``local[*]`` (Spark on this
  machine), with ``table``: a path (it contains ``/`` or ends in ``.parquet``: a Parquet file or folder the
  cluster can read, ``hdfs://...`` and ``s3a://...`` included) or a catalog table (``orders``,
  ``db.orders``). The running Spark session is reused if there is one.

The server does all the work: the cleaning counts and the summaries of :mod:`casebook.crm.warehouse`
run there and only their results come back. Dates and numbers must be typed columns there (a date or
timestamp, a number): text dates are parsed only by the embedded engine.

May import: the foundation and io, ibis (psycopg and pyspark are imported when a server is named).
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import ibis
import ibis.expr.types as ir
from ibis.common.exceptions import IbisError

from casebook.errors import InputError
from casebook.i18n import gettext as _
from casebook.io.order_sources import RawSource, first_line

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

POSTGRES_SCHEMES = ("postgresql", "postgres")
_SPARK_LOCAL = re.compile(r"^local(\[(\d+|\*)(,\s*\d+)?\])?$")
#: Settings of a Spark session started here: UTC timestamps, no web UI or progress bars, few partitions.
SPARK_CONFIG = {
    "spark.sql.session.timeZone": "UTC",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.shuffle.partitions": "8",
}
#: How to install what a server source needs, for the messages.
JAVA_INSTALL = "apt-get install openjdk-17-jre-headless"


def server_kind(source: object) -> str | None:
    """"postgres" or "spark" when ``source`` names a server (a URL or a Spark master), else None."""
    text = str(source).strip()
    scheme = text.split("://", 1)[0].lower() if "://" in text else ""
    if scheme in POSTGRES_SCHEMES:
        return "postgres"
    if scheme == "spark" or _SPARK_LOCAL.match(text):
        return "spark"
    return None


def public_name(source: object) -> str:
    """``source`` as messages and reports may show it: a server URL without its password or query."""
    text = str(source).strip()
    if server_kind(text) != "postgres":
        return text
    parts = urlsplit(text)
    netloc = parts.netloc.rsplit("@", 1)
    if len(netloc) == 2:
        netloc = [netloc[0].split(":", 1)[0], netloc[1]]
    return f"{parts.scheme}://{'@'.join(netloc)}{parts.path}"


def _scrub(text: str, source: str) -> str:
    """``text`` with the URL's password (if any) replaced, whatever the server library wrote."""
    password = urlsplit(source).password
    return text.replace(password, "***") if password else text


def _split_table(table: str) -> tuple[str | None, str]:
    schema, _dot, name = table.rpartition(".")
    return schema or None, name


def open_postgres(source: str, table: str | None) -> RawSource:
    """A PostgreSQL table, read by the server (connection settings from the URL and libpq's environment)."""
    import psycopg

    name = public_name(source)
    if not table:
        raise InputError(name, "no table named", expected="the name of the orders table (parameter table)")
    try:
        conn = psycopg.connect(source.strip(), autocommit=True, connect_timeout=10)
    except psycopg.Error as exc:
        raise InputError(name, f"could not connect ({_scrub(first_line(exc), source)})",
                         expected="a PostgreSQL server reachable with this URL and the libpq environment "
                         "(PGHOST, PGPORT, PGUSER, PGPASSWORD or ~/.pgpass)") from None
    backend = ibis.postgres.from_connection(conn)
    schema, bare = _split_table(table)
    where = f"schema '{schema}'" if schema else "the database"
    try:
        names = backend.list_tables(database=schema) if schema else backend.list_tables()
    except psycopg.Error as exc:
        raise InputError(name, f"could not list the tables of {where} ({_scrub(first_line(exc), source)})",
                         expected="a schema the user may read") from None
    if bare not in names:
        listed = ", ".join(names[:12]) + (", …" if len(names) > 12 else "") if names else "no table"
        raise InputError(f"{name}, table '{table}'", f"no such table among those the user may read in {where} "
                         f"({listed})", expected="the name of a table the user may read (parameter table)")
    return RawSource(backend.table(bare, database=schema), f"{name}, table '{table}'", _("postgresql table '{table}'").format(table=table),
                     typed_only=True)


def _is_path(table: str) -> bool:
    return "/" in table or table.lower().endswith(".parquet")


def spark_session(master: str) -> SparkSession:
    """The running Spark session, or a new one on ``master`` with :data:`SPARK_CONFIG` (local masters bind
    to 127.0.0.1 only and keep their catalog folder in the system's temporary folder)."""
    from pyspark.errors import PySparkException
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.master(master).appName("casebook")
    if _SPARK_LOCAL.match(master):  # on this machine: loopback only, the catalog's folder out of the way
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        builder = builder.config("spark.sql.warehouse.dir", str(Path(tempfile.gettempdir()) / "casebook-spark"))
    for key, value in SPARK_CONFIG.items():
        builder = builder.config(key, value)
    try:
        session = builder.getOrCreate()
    except (PySparkException, OSError) as exc:
        raise InputError(master, f"Spark could not start ({first_line(exc)})",
                         expected=f"a Java 17 runtime ({JAVA_INSTALL}) and a reachable master") from None
    session.sparkContext.setLogLevel("ERROR")
    return session


def open_spark(master: str, table: str | None) -> RawSource:
    """A Spark catalog table or Parquet path, read by a Spark session on ``master``."""
    from pyspark.errors import PySparkException

    master = master.strip()
    if not table:
        raise InputError(master, "no table or Parquet path named",
                         expected="a catalog table (db.orders) or a Parquet path (parameter table)")
    backend = ibis.pyspark.connect(spark_session(master))
    name = f"{master}, {'path' if _is_path(table) else 'table'} '{table}'"
    try:
        if _is_path(table):
            t: ir.Table = backend.read_parquet(table)
            return RawSource(t, name, "spark parquet", typed_only=True)
        schema, bare = _split_table(table)
        return RawSource(backend.table(bare, database=schema), name, _("spark table '{table}'").format(table=table),
                         typed_only=True)
    except (PySparkException, IbisError) as exc:
        raise InputError(name, f"Spark could not read it ({first_line(exc)})",
                         expected="a Parquet file or folder, or a table of the session's catalog") from None


def open_server(source: str, table: str | None) -> RawSource:
    """The raw table of a server source (see :func:`server_kind`)."""
    kind = server_kind(source)
    if kind == "postgres":
        return open_postgres(source, table)
    if kind == "spark":
        return open_spark(source, table)
    raise ValueError(f"not a server source: {public_name(source)!r}")


def require_typed(raw: RawSource, date: str, numbers: list[str]) -> None:
    """On a server, the date column must be a date or timestamp and the measures numbers (text is parsed
    only by the embedded engine)."""
    t = raw.table
    if not (t[date].type().is_timestamp() or t[date].type().is_date()):
        raise InputError(raw.name, f"the column holds {t[date].type()}, not dates", column=date,
                         expected="a date or timestamp column (cast text dates in a view)")
    for col in numbers:
        if not t[col].type().is_numeric() or t[col].type().is_boolean():
            raise InputError(raw.name, f"the column holds {t[col].type()}, not numbers", column=col,
                             expected="a numeric column (cast text numbers in a view)")


__all__ = ["JAVA_INSTALL", "POSTGRES_SCHEMES", "SPARK_CONFIG", "open_postgres", "open_server", "open_spark",
           "public_name", "require_typed", "server_kind", "spark_session"]
