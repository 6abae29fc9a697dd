"""Server sources of open_orders without a server: how a source is recognised, what messages may show,
and the errors raised before anything is started (the real servers are in tests/test_servers.py)."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
from pathlib import Path

import ibis
import pyarrow as pa
import pytest

from casebook.errors import InputError
from casebook.io import order_servers as srv
from casebook.io.order_sources import RawSource
from casebook.io.orders import open_orders, public_name, server_kind, source_kind


@pytest.mark.parametrize(("source", "kind"), [
    ("postgresql://shop.example/orders", "postgres"),
    ("postgres://u@h:5433/db", "postgres"),
    ("PostgreSQL:///db", "postgres"),
    ("spark://10.0.0.5:7077", "spark"),
    ("local", "spark"),
    ("local[2]", "spark"),
    ("local[*]", "spark"),
    ("local[4, 2]", "spark"),
    ("local.csv", None),
    ("exports/local[2].parquet", None),
    ("orders/*.parquet", None),
    ("http://example.org/orders.csv", None),
    (Path("data/cdnow"), None),
])
def test_server_kind_recognises_postgres_urls_and_spark_masters_only(source: object, kind: str | None) -> None:
    assert server_kind(source) == kind


def test_source_kind_names_servers_before_globs(tmp_path: Path) -> None:
    assert source_kind("local[2]") == "spark"  # brackets, yet not a glob of files
    assert source_kind("postgresql:///shop") == "postgres"
    assert source_kind(str(tmp_path / "x[0-9].parquet")) == "glob"
    assert source_kind(tmp_path) == "folder"


@pytest.mark.parametrize(("url", "shown"), [
    ("postgresql://ana:s3cret@db.shop:5433/sales", "postgresql://ana@db.shop:5433/sales"),
    ("postgres://ana:p%40ss@db/sales?sslmode=require&password=x", "postgres://ana@db/sales"),
    ("postgresql:///sales", "postgresql:///sales"),
    ("postgresql://ana@db/sales", "postgresql://ana@db/sales"),
    ("data/orders.csv", "data/orders.csv"),
])
def test_public_name_drops_the_password_and_the_query(url: str, shown: str) -> None:
    assert public_name(url) == shown


def test_open_orders_on_postgres_without_a_table_stops_before_connecting() -> None:
    with pytest.raises(InputError, match=r"^postgresql://ana@nowhere.invalid/sales: no table named; expected "
                       r"the name of the orders table \(parameter table\)$"):
        open_orders("postgresql://ana:s3cret@nowhere.invalid/sales")


def test_a_refused_connection_is_one_line_with_host_and_port_and_no_password() -> None:
    with socket.socket() as s:  # a port of this machine nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(InputError) as err:
        open_orders(f"postgresql://ana:s3cret@127.0.0.1:{port}/sales", table="orders")
    msg = str(err.value)
    assert msg.startswith(f"postgresql://ana@127.0.0.1:{port}/sales: could not connect (connection")
    assert f"port {port} failed: Connection refused" in msg
    assert "s3cret" not in msg and "\n" not in msg
    assert msg.endswith("expected a PostgreSQL server reachable with this URL and the libpq environment "
                        "(PGHOST, PGPORT, PGUSER, PGPASSWORD or ~/.pgpass)")


def test_scrub_hides_the_urls_password_wherever_a_library_wrote_it() -> None:
    assert srv._scrub('FATAL: role "ana" with password s3cret', "postgresql://ana:s3cret@h/db") == (
        'FATAL: role "ana" with password ***')
    assert srv._scrub("no password here", "postgresql://ana@h/db") == "no password here"


def test_open_orders_on_spark_without_a_table_or_path_stops_before_starting_spark() -> None:
    with pytest.raises(InputError, match=r"^local\[2\]: no table or Parquet path named; expected a catalog "
                       r"table \(db.orders\) or a Parquet path"):
        open_orders("local[2]")


@pytest.mark.parametrize(("table", "is_path"), [
    ("orders", False), ("sales.orders", False), ("orders.parquet", True), ("/data/orders", True),
    ("hdfs://nn:8020/orders", True), ("s3a://bucket/orders/", True),
])
def test_a_spark_table_is_a_path_when_it_has_a_slash_or_ends_in_parquet(table: str, is_path: bool) -> None:
    assert srv._is_path(table) is is_path


def test_split_table_reads_an_optional_schema() -> None:
    assert srv._split_table("orders") == (None, "orders")
    assert srv._split_table("sales.orders") == ("sales", "orders")
    assert srv._split_table("cat.sales.orders") == ("cat.sales", "orders")


def _raw(**columns: list) -> RawSource:
    return RawSource(ibis.memtable(pa.table(columns)), "postgresql://h/db, table 'orders'", "postgresql table 'orders'",
                     typed_only=True)


def test_servers_need_typed_dates_and_numbers() -> None:
    typed = _raw(day=[dt.date(2024, 1, 2)], at=[dt.datetime(2024, 1, 2, 9)], amount=[1.5], qty=[2])
    assert srv.require_typed(typed, "day", ["amount", "qty"]) is None
    assert srv.require_typed(typed, "at", ["amount"]) is None
    with pytest.raises(InputError, match=r"^postgresql://h/db, table 'orders': column 'day': the column holds "
                       r"string, not dates; expected a date or timestamp column \(cast text dates in a view\)$"):
        srv.require_typed(_raw(day=["2024-01-02"], amount=[1.5]), "day", ["amount"])
    with pytest.raises(InputError, match=r"column 'amount': the column holds string, not numbers; expected a "
                       r"numeric column"):
        srv.require_typed(_raw(day=[dt.date(2024, 1, 2)], amount=["1.5"]), "day", ["amount"])
    with pytest.raises(InputError, match=r"column 'amount': the column holds boolean, not numbers"):
        srv.require_typed(_raw(day=[dt.date(2024, 1, 2)], amount=[True]), "day", ["amount"])


def test_open_server_refuses_a_file() -> None:
    with pytest.raises(ValueError, match="not a server source: 'orders.csv'"):
        srv.open_server("orders.csv", "orders")


def test_spark_without_java_is_one_line_naming_the_package(tmp_path: Path) -> None:
    """In a fresh process whose JAVA_HOME names no Java: Spark's gateway cannot start."""
    code = ("from casebook.errors import InputError\nfrom casebook.io.orders import open_orders\n"
            "try:\n    open_orders('local[1]', table='orders.parquet')\nexcept InputError as e:\n    print(e)\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=tmp_path,
                          env={**os.environ, "JAVA_HOME": str(tmp_path / "no-java")})
    assert proc.stdout == ("local[1]: Spark could not start ([JAVA_GATEWAY_EXITED] Java gateway process exited "
                           "before sending its port number.); expected a Java 17 runtime (apt-get install "
                           "openjdk-17-jre-headless) and a reachable master\n")
