"""Order histories on real servers: a throwaway PostgreSQL cluster and Spark in local mode, against DuckDB.

The server computes the cleaning counts and the customer summary; they must equal the embedded DuckDB
engine's on the same lines, every column exactly (amounts are added as exact decimals by
casebook.crm.warehouse, so sums do not depend on the order of the additions); the report's revenue, a sum
of floats, to 1e-12. The BG/NBD parameters fitted on the server's triples match DuckDB's to 1e-6.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import psycopg
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from casebook import paths
from casebook.crm import bgnbd
from casebook.crm import warehouse as wh
from casebook.errors import InputError
from casebook.io.orders import open_orders, source_kind

# ibis 12.0.0 calls a method DuckDB 2.0 deprecates when it reads a table's schema; pyspark 4.0 and ibis 12
# use pandas options pandas 3 deprecates.
pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("servers"),
              pytest.mark.filterwarnings("ignore:fetch_arrow_table:DeprecationWarning"),
              pytest.mark.filterwarnings("ignore:The copy keyword is deprecated:pandas.errors.Pandas4Warning"),
              pytest.mark.filterwarnings("ignore:The 'future.infer_string' option:pandas.errors.Pandas4Warning")]

CDNOW = paths.dataset("cdnow")
CAL, HOLD = "1997-09-30", "1998-06-30"
PASSWORD = "s3cret-Pa55"  # the reader role's, for the credential tests


def _cdnow_rows() -> list[tuple[str, str, int, str]]:
    """CDNOW's lines as written: customer id (text, zeros kept), ISO date, quantity, amount (text, exact)."""
    rows = []
    for line in CDNOW.read_text().splitlines():
        cust, _, day, qty, amount = line.split()
        rows.append((cust, f"{day[:4]}-{day[4:6]}-{day[6:]}", int(qty), amount))
    return rows


@pytest.fixture(scope="module")
def shop(postgres_server: dict) -> dict:
    """Database ``shop`` on the throwaway cluster: CDNOW in ``orders`` (typed columns), the same lines with
    text dates in ``orders_text``, and a role ``reader`` with a password, allowed to read them."""
    admin = dict(host=postgres_server["host"], port=postgres_server["port"], user=postgres_server["user"])
    found = {**postgres_server, "socket_url": "postgresql:///shop", "tcp": f"127.0.0.1:{postgres_server['port']}"}
    with psycopg.connect(dbname="postgres", autocommit=True, **admin) as con:
        if con.execute("SELECT 1 FROM pg_database WHERE datname = 'shop'").fetchone():
            return found  # made by another module of this session (tests/test_orders_e2e.py)
        con.execute("CREATE DATABASE shop")
        con.execute(f"CREATE ROLE reader LOGIN PASSWORD '{PASSWORD}'")
    with psycopg.connect(dbname="shop", autocommit=True, **admin) as con:
        con.execute("CREATE TABLE orders (customer_id text, order_date date, quantity integer, amount numeric(10, 2))")
        with con.cursor().copy("COPY orders FROM STDIN") as copy:
            for row in _cdnow_rows():
                copy.write_row(row)
        con.execute("CREATE TABLE orders_text AS SELECT customer_id, order_date::text AS order_date, amount FROM orders")
        con.execute("CREATE TABLE secret AS SELECT 1 AS x")  # not granted to reader
        con.execute("GRANT SELECT ON orders, orders_text TO reader")
    return found


@pytest.fixture
def libpq_env(shop: dict, monkeypatch: pytest.MonkeyPatch) -> dict:
    """libpq's environment pointing at the throwaway cluster's socket, as its superuser."""
    for key in ("PGPASSWORD", "PGPASSFILE", "PGSERVICE", "PGDATABASE"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("PGHOST", shop["host"])
    monkeypatch.setenv("PGPORT", str(shop["port"]))
    monkeypatch.setenv("PGUSER", shop["user"])
    return shop


@pytest.fixture(scope="module")
def duckdb_cdnow() -> tuple[pd.DataFrame, object, bgnbd.BGNBDParams]:
    """The reference: CDNOW read by the embedded DuckDB engine, its summary, report and fit."""
    orders, report = open_orders(CDNOW)
    summary = wh.summarise(orders, CAL, HOLD)
    return summary, report, bgnbd.fit(wh.triples(summary))


def _same_summary(ours: pd.DataFrame, ref: pd.DataFrame) -> None:
    assert list(ours.columns) == list(ref.columns)
    assert ours.index.equals(ref.index)
    for col in ref.columns:
        pd.testing.assert_series_equal(ours[col], ref[col], check_exact=True, obj=col)


def _same_counts(ours: object, ref: object) -> None:
    for key in ("lines_read", "removed", "zero_amount_kept", "lines_kept", "customers", "invoices", "first", "last"):
        assert getattr(ours, key) == getattr(ref, key), key
    assert ours.revenue == pytest.approx(ref.revenue, rel=1e-12)


def _same_fit(ours: bgnbd.BGNBDParams, ref: bgnbd.BGNBDParams) -> None:
    for key, value in ref.as_dict().items():
        assert ours.as_dict()[key] == pytest.approx(value, rel=1e-6, abs=1e-9), key


# -- PostgreSQL ------------------------------------------------------------------------------------------


def test_postgres_cleans_and_summarises_cdnow_in_the_server_exactly_as_duckdb(libpq_env: dict, duckdb_cdnow) -> None:
    ref_summary, ref_report, ref_fit = duckdb_cdnow
    orders, report = open_orders(libpq_env["socket_url"], table="orders")
    assert orders.get_backend().name == "postgres"  # the summary below runs in the server
    assert source_kind(libpq_env["socket_url"]) == "postgres"
    assert report.table == "postgresql table 'orders', 6,919 rows"
    assert report.columns == {"customer_id": "customer_id", "timestamp": "order_date", "amount": "amount",
                              "quantity": "quantity"}
    _same_counts(report, ref_report)
    summary = wh.summarise(orders, CAL, HOLD)
    _same_summary(summary, ref_summary)
    in_server = wh.triples(wh.summary_table(orders, CAL, HOLD))  # grouped by PostgreSQL
    pd.testing.assert_frame_equal(in_server, wh.triples(ref_summary), check_exact=True)
    _same_fit(bgnbd.fit(in_server), ref_fit)


def test_postgres_schema_qualified_table_and_url_user(libpq_env: dict) -> None:
    url = f"postgres://{libpq_env['user']}@/shop"
    _, report = open_orders(url, table="public.orders")
    assert report.path == f"{url}, table 'public.orders'" and report.lines_kept == 6_919


def test_postgres_password_from_pgpassword_or_pgpass_is_never_shown(
    shop: dict, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for key in ("PGPASSWORD", "PGPASSFILE", "PGHOST", "PGPORT", "PGUSER"):
        monkeypatch.delenv(key, raising=False)
    url = f"postgresql://reader@{shop['tcp']}/shop"  # TCP: the server asks for the password
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    _, report = open_orders(url, table="orders")
    assert report.lines_kept == 6_919 and PASSWORD not in repr(report)

    monkeypatch.delenv("PGPASSWORD")
    passfile = tmp_path / "pgpass"
    passfile.write_text(f"127.0.0.1:{shop['port']}:shop:reader:{PASSWORD}\n")
    passfile.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(passfile))
    _, report = open_orders(url, table="orders")
    assert report.customers == 2_357

    wrong = "not-the-Pa55word"
    monkeypatch.delenv("PGPASSFILE")
    with pytest.raises(InputError) as err:
        open_orders(f"postgresql://reader:{wrong}@{shop['tcp']}/shop", table="orders")
    msg = str(err.value)
    assert msg.startswith(f"postgresql://reader@{shop['tcp']}/shop: could not connect (")
    assert "password authentication failed" in msg and wrong not in msg and "\n" not in msg


def test_postgres_errors_name_the_table_the_column_and_what_was_expected(libpq_env: dict) -> None:
    url = libpq_env["socket_url"]
    with pytest.raises(InputError, match=r"^postgresql:///shop, table 'purchases': no such table among those "
                       r"the user may read in the database \(orders, orders_text, secret\); expected the name of a table"):
        open_orders(url, table="purchases")
    with pytest.raises(InputError, match=r"^postgresql://reader@/shop, table 'secret': no such table among those "
                       r"the user may read in the database \(orders, orders_text\)"):
        open_orders(f"postgresql://reader@/shop?password={PASSWORD}", table="secret")  # exists, not granted
    with pytest.raises(InputError, match=r"^postgresql:///shop, table 'sales.orders': no such table among those "
                       r"the user may read in schema 'sales' \(no table\)"):
        open_orders(url, table="sales.orders")
    with pytest.raises(InputError, match=r"^postgresql:///shop: no table named; expected the name of the orders"):
        open_orders(url)
    with pytest.raises(InputError, match=r"^postgresql:///shop, table 'orders': column 'client': no column "
                       r"named 'client' for the customer id"):
        open_orders(url, table="orders", customer_col="client")
    with pytest.raises(InputError, match=r"^postgresql:///shop, table 'orders_text': column 'order_date': the "
                       r"column holds string, not dates; expected a date or timestamp column"):
        open_orders(url, table="orders_text")


# -- Spark, local mode -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def spark_master() -> str:
    """Spark on this machine (2 cores); the session is stopped after the module."""
    from casebook.io.order_servers import spark_session

    session = spark_session("local[2]")
    yield "local[2]"
    session.stop()


def _spark_vs_duckdb(master: str, spark_table: str, duckdb_source: str | Path,
                     periods: tuple[str, str] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Spark's cleaning counts, summary and triples equal DuckDB's; Spark's triples and DuckDB's summary."""
    orders, report = open_orders(master, table=spark_table)
    assert orders.get_backend().name == "pyspark"
    ref_orders, ref_report = open_orders(duckdb_source)
    _same_counts(report, ref_report)
    cal, hold = periods or wh.periods(ref_report.first, ref_report.last)
    summary, ref = wh.summarise(orders, cal, hold), wh.summarise(ref_orders, cal, hold)
    _same_summary(summary, ref)
    in_spark = wh.triples(wh.summary_table(orders, cal, hold))  # grouped by Spark
    pd.testing.assert_frame_equal(in_spark, wh.triples(ref), check_exact=True)
    return in_spark, ref


def test_spark_summarises_cdnow_exactly_as_duckdb(spark_master: str, tmp_path: Path, duckdb_cdnow) -> None:
    rows = _cdnow_rows()
    path = tmp_path / "cdnow.parquet"
    pq.write_table(pa.table({
        "customer_id": [r[0] for r in rows],
        "order_date": pa.array(pd.to_datetime([r[1] for r in rows]).date, pa.date32()),
        "quantity": pa.array([r[2] for r in rows], pa.int32()),
        "amount": [float(r[3]) for r in rows],
    }), path)
    assert source_kind(spark_master) == "spark"
    in_spark, _ = _spark_vs_duckdb(spark_master, str(path), CDNOW, (CAL, HOLD))
    _same_fit(bgnbd.fit(in_spark), duckdb_cdnow[2])


def test_spark_summarises_a_million_line_sample_exactly_as_duckdb(spark_master: str, tmp_path: Path) -> None:
    """bench/orders.py's seeded generator: retail-like lines with cancellations and anonymous lines."""
    from bench.orders import generate

    folder = tmp_path / "orders"
    generate(1_000_000, folder)
    (folder / "_SUCCESS").touch()  # as Spark writes it; both readers skip it
    in_spark, ref = _spark_vs_duckdb(spark_master, str(folder), folder)
    assert len(ref) > 5_000 and in_spark["count"].sum() == wh.calibration(ref).shape[0]


def test_spark_errors_name_the_path_or_table(spark_master: str, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"^local\[2\], path '.*nowhere.parquet': Spark could not read it "
                       r"\(\[PATH_NOT_FOUND\]"):
        open_orders(spark_master, table=str(tmp_path / "nowhere.parquet"))
    with pytest.raises(InputError, match=r"^local\[2\], table 'sales.orders': Spark could not read it "
                       r"\(\[(SCHEMA|TABLE_OR_VIEW)_NOT_FOUND\]"):
        open_orders(spark_master, table="sales.orders")
