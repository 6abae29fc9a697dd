"""The customer summary in the engine (Ibis over DuckDB): the pandas loader's cleaning, the published CDNOW
summary and parameters, and the same summary from every kind of source."""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from casebook import paths
from casebook.crm import bgnbd, rfm
from casebook.crm import warehouse as wh
from casebook.errors import InputError
from casebook.io.orders import open_orders, source_kind
from casebook.io.transactions import CleaningReport, load_transactions

FIX = Path(__file__).parent / "fixtures" / "transactions"
RETAIL = paths.dataset("online_retail")
CDNOW = paths.dataset("cdnow")
PUBLISHED = bgnbd.FHL2005_CDNOW  # FHL 2005, CDNOW 1/10 sample, weeks
# ibis 12.0.0 calls a method DuckDB 2.0 deprecates when it reads a table's schema.
pytestmark = pytest.mark.filterwarnings("ignore:fetch_arrow_table:DeprecationWarning")


@pytest.fixture(scope="module")
def retail() -> tuple[pd.DataFrame, CleaningReport]:
    return load_transactions(RETAIL)


@pytest.fixture(scope="module")
def cdnow() -> tuple[pd.DataFrame, CleaningReport]:
    return load_transactions(CDNOW)


@pytest.fixture(scope="module")
def parts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled retail file written as a folder of 3 Parquet parts."""
    folder = tmp_path_factory.mktemp("parts")
    table = pq.read_table(RETAIL)
    edges = [0, 200_000, 400_000, table.num_rows]
    for i, (lo, hi) in enumerate(zip(edges[:-1], edges[1:], strict=True)):
        pq.write_table(table.slice(lo, hi - lo), folder / f"part-{i}.parquet")
    (folder / "_SUCCESS").touch()  # Spark's marker is ignored
    return folder


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A DuckDB file with the retail lines in table ``orders`` and a second table."""
    path = tmp_path_factory.mktemp("db") / "shop.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(f"CREATE TABLE orders AS SELECT * FROM read_parquet('{RETAIL}')")
        con.execute("CREATE TABLE stores AS SELECT 1 AS store_id")
    return path


def _same_report(ours: CleaningReport, ref: CleaningReport, table: bool = True) -> None:
    assert ours.columns == ref.columns
    assert ours.lines_read == ref.lines_read
    assert ours.removed == ref.removed
    assert ours.zero_amount_kept == ref.zero_amount_kept
    assert ours.lines_kept == ref.lines_kept
    assert ours.customers == ref.customers
    assert ours.invoices == ref.invoices
    assert ours.first == ref.first and ours.last == ref.last
    assert ours.revenue == pytest.approx(ref.revenue, rel=1e-12)
    if table:
        assert ours.table == ref.table


def _by_hand(tx: pd.DataFrame, cal: str | pd.Timestamp, hold: str | pd.Timestamp, unit: str = "W") -> pd.DataFrame:
    """The model columns written out from the definitions (a test oracle, not a second implementation used by
    the book): purchase days of the loaded lines, the cohort who bought by ``cal``, and their counts."""
    cal, hold = pd.Timestamp(cal), pd.Timestamp(hold)
    days = tx.assign(day=tx["timestamp"].dt.normalize(), customer_id=tx["customer_id"].astype(str)).groupby(
        ["customer_id", "day"], observed=True)["amount"].sum().reset_index()
    first = days.groupby("customer_id")["day"].transform("min")
    days = days[first <= cal].assign(first=first[first <= cal])
    c = days[days["day"] <= cal].groupby("customer_id")
    h = days[(days["day"] > cal) & (days["day"] <= hold)].groupby("customer_id").size()
    width = 7.0 if unit == "W" else 1.0
    out = pd.DataFrame({"frequency": c.size() - 1,
                        "recency": (c["day"].max() - c["first"].min()).dt.days / width,
                        "T": (cal - c["first"].min()).dt.days / width,
                        "monetary_value": c["amount"].mean()})
    out["frequency_holdout"] = h.reindex(out.index, fill_value=0)
    out["duration_holdout"] = (hold - cal).days / width
    return out


def _same_as_by_hand(summary: pd.DataFrame, tx: pd.DataFrame, cal: str | pd.Timestamp, hold: str | pd.Timestamp,
                     unit: str = "W") -> None:
    ref = _by_hand(tx, cal, hold, unit)
    ours = wh.calibration(summary)
    assert sorted(ours.index) == sorted(ref.index)
    ref = ref.loc[ours.index]
    for col in ref.columns:
        if col in ("frequency", "frequency_holdout"):
            assert ours[col].dtype == "int64"
        np.testing.assert_allclose(ours[col].to_numpy(float), ref[col].to_numpy(float), rtol=1e-9, atol=0,
                                   err_msg=col)


def _summary(source: str | Path, cal: str | pd.Timestamp, hold: str | pd.Timestamp, **kw: object) -> pd.DataFrame:
    orders, _ = open_orders(source, **kw)
    return wh.summarise(orders, cal, hold)


# -- the same cleaning ---------------------------------------------------------------------------------------


def test_cleaning_counts_equal_the_pandas_loader_on_retail(retail) -> None:
    orders, rep = open_orders(RETAIL)
    _same_report(rep, retail[1])
    assert rep.removed["cancellation"] == 8_905 and rep.lines_kept == 397_924
    assert orders.count().to_pyarrow().as_py() == 397_924
    assert list(orders.columns) == ["customer_id", "timestamp", "amount", "quantity", "invoice"]
    assert rep.lines()[1:] == retail[1].lines()[1:]


def test_cleaning_counts_equal_the_pandas_loader_on_cdnow(cdnow) -> None:
    _, rep = open_orders(CDNOW)
    _same_report(rep, cdnow[1])
    assert rep.lines() == cdnow[1].lines()


@pytest.mark.parametrize(("name", "kwargs"), [
    ("retail_small.csv", {}),
    ("retail_small.csv", {"drop_zero_amount": True}),
    ("other_shop.csv", {}),  # ISO timestamps with a UTC offset keep their wall-clock time
    ("cdnow_style.txt", {}),
    ("whitespace_header.txt", {}),
])
def test_cleaning_counts_equal_the_pandas_loader_on_small_files(name: str, kwargs: dict) -> None:
    tx, ref = load_transactions(FIX / name, **kwargs)
    orders, rep = open_orders(FIX / name, **kwargs)
    _same_report(rep, ref)
    got = orders.to_pyarrow().to_pandas().sort_values(["timestamp", "amount"], ignore_index=True)
    want = tx.sort_values(["timestamp", "amount"], ignore_index=True)
    assert got["customer_id"].astype(str).tolist() == want["customer_id"].astype(str).tolist()
    assert (got["timestamp"].to_numpy() == want["timestamp"].to_numpy()).all()
    np.testing.assert_allclose(got["amount"], want["amount"], rtol=1e-12)


def test_ids_and_invoices_with_spaces_are_stripped_as_the_pandas_loader_does(tmp_path: Path) -> None:
    path = tmp_path / "spaces.csv"
    path.write_text("InvoiceNo,CustomerID,InvoiceDate,Quantity,UnitPrice\n"
                    "1001, k1 ,2011-01-03 10:00,2,1.5\n"
                    " C1001,k1,2011-01-04 10:00,-1,1.5\n"
                    "1002 ,k2,2011-01-05 10:00,1,4\n"
                    "1002,   ,2011-01-05 10:00,1,4\n"
                    "1003,k2,2011-02-05 10:00,3,2\n")
    tx, ref = load_transactions(path)
    orders, rep = open_orders(path)
    _same_report(rep, ref)
    assert rep.removed["cancellation"] == 1 and rep.customers == 2 and rep.invoices == 3
    got = orders.to_pyarrow().to_pandas().sort_values("timestamp")
    assert got["customer_id"].tolist() == ["k1", "k2", "k2"]
    assert got["invoice"].tolist() == ["1001", "1002", "1003"]


def test_an_excel_workbook_goes_through_the_pandas_reader(tmp_path: Path) -> None:
    path = tmp_path / "orders.xlsx"
    pd.read_csv(FIX / "retail_small.csv").to_excel(path, index=False)
    _, ref = load_transactions(path)
    _, rep = open_orders(path)
    _same_report(rep, ref)


# -- the same summary ----------------------------------------------------------------------------------------


def test_summary_on_retail_with_the_chapters_periods(retail) -> None:
    tx, ref_rep = retail
    orders, rep = open_orders(RETAIL)
    cal, hold = wh.periods(rep.first, rep.last, "", "")
    assert (cal, hold) == (pd.Timestamp("2011-09-09"), pd.Timestamp("2011-12-09"))  # 13 weeks held out
    summary = wh.summarise(orders, cal, hold)
    assert len(summary) == ref_rep.customers  # every customer of the history, cohort or not
    assert not summary["in_calibration"].all()  # customers who first bought in the holdout
    _same_as_by_hand(summary, tx, cal, hold)
    assert summary["purchase_days"].sum() == len(tx.assign(d=tx["timestamp"].dt.normalize())
                                                 .drop_duplicates(["customer_id", "d"]))
    assert summary["total_spend"].sum() == pytest.approx(tx["amount"].sum(), rel=1e-12)
    # distinct invoices per customer, summed per day in the engine: the loader's distinct invoices
    assert summary["invoices"].sum() == ref_rep.invoices == tx.groupby("customer_id")["invoice"].nunique().sum()


def test_summary_on_cdnow_in_weeks_and_days(cdnow) -> None:
    tx, _ = cdnow
    orders, _ = open_orders(CDNOW)
    days = wh.store_days(orders)  # several summaries from one pass over the lines
    for cal, hold in [wh.periods(tx["timestamp"].min(), tx["timestamp"].max()), ("1997-09-30", "1998-06-30")]:
        for unit in ("W", "D"):
            _same_as_by_hand(wh.summarise(days, cal, hold, unit), tx, cal, hold, unit)
    _same_summary(wh.summarise(days, "1997-09-30", "1998-06-30"), wh.summarise(orders, "1997-09-30", "1998-06-30"))


def test_summary_without_holdout_has_no_holdout_columns(cdnow) -> None:
    orders, _ = open_orders(CDNOW)
    s = wh.summarise(orders, "1997-09-30")
    assert "frequency_holdout" not in s.columns and len(wh.calibration(s)) == 2_357


def test_rfm_reads_the_summary(retail) -> None:
    tx, _ = retail
    orders, _ = open_orders(RETAIL)
    scores = rfm.rfm_table(wh.summarise(orders, "2011-09-09"))
    ids = tx["customer_id"].astype(str)
    assert (scores["frequency"] == tx.groupby(ids)["invoice"].nunique().loc[scores.index]).all()
    np.testing.assert_allclose(scores["monetary"], tx.groupby(ids)["amount"].sum().loc[scores.index], rtol=1e-9)
    assert scores["recency_days"].min() == 0 and scores["recency_days"].max() == 373


def test_triples_pool_the_cohort_in_pandas_or_in_the_engine(cdnow) -> None:
    orders, _ = open_orders(CDNOW)
    s = wh.summarise(orders, "1997-09-30", "1998-06-30")
    pooled = wh.triples(s)
    in_engine = wh.triples(wh.summary_table(orders, "1997-09-30", "1998-06-30"))
    pd.testing.assert_frame_equal(pooled, in_engine)
    assert pooled["count"].sum() == 2_357
    assert not pooled.duplicated(["frequency", "recency", "T"]).any()


def test_daily_repeats_count_the_summarys_purchases(cdnow) -> None:
    orders, _ = open_orders(CDNOW)
    daily = wh.daily_repeats(orders, "1997-09-30", "1998-06-30")
    cohort = wh.calibration(wh.summarise(orders, "1997-09-30", "1998-06-30"))
    assert daily["day"].is_monotonic_increasing and not daily["day"].duplicated().any()
    assert daily["first_purchases"].sum() == len(cohort) == 2_357
    in_cal = daily["day"] <= "1997-09-30"
    assert daily.loc[in_cal, "repeat_purchases"].sum() == cohort["frequency"].sum() == 2_457
    assert daily.loc[~in_cal, "repeat_purchases"].sum() == cohort["frequency_holdout"].sum()
    assert daily.loc[~in_cal, "first_purchases"].sum() == 0


# -- the same fit ----------------------------------------------------------------------------------------


def test_fit_on_the_engines_summary_reproduces_the_published_cdnow_parameters() -> None:
    orders, _ = open_orders(CDNOW)
    ours = bgnbd.fit(wh.triples(wh.summary_table(orders, "1997-09-30", "1998-06-30")))
    assert {k: round(v, 3) for k, v in ours.as_dict().items()} == PUBLISHED
    assert ours.customers == 2_357


def test_fit_on_the_retail_summary_reaches_the_no_dropout_limit() -> None:
    orders, rep = open_orders(RETAIL)
    cal, hold = wh.periods(rep.first, rep.last)
    ours = bgnbd.fit(wh.triples(wh.summary_table(orders, cal, hold)))
    assert ours.no_dropout and ours.customers == 3_370
    per_customer = bgnbd.fit(wh.calibration(wh.summarise(orders, cal, hold)))
    assert (ours.r, ours.alpha, ours.log_likelihood) == (per_customer.r, per_customer.alpha, per_customer.log_likelihood)


# -- every kind of source ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def retail_summary() -> pd.DataFrame:
    return _summary(RETAIL, *RETAIL_PERIODS)


RETAIL_PERIODS = (pd.Timestamp("2011-09-09"), pd.Timestamp("2011-12-09"))


def _same_summary(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-12)


def test_a_folder_of_parts_gives_the_same_summary(parts: Path, retail, retail_summary) -> None:
    cal, hold = RETAIL_PERIODS
    orders, rep = open_orders(parts)
    assert source_kind(parts) == "folder" and rep.table == "parquet, 3 parts, 541,909 rows"
    _same_report(rep, retail[1], table=False)
    _same_summary(wh.summarise(orders, cal, hold), retail_summary)


def test_a_glob_of_parts_gives_the_same_summary(parts: Path, retail, retail_summary) -> None:
    cal, hold = RETAIL_PERIODS
    pattern = str(parts / "part-*.parquet")
    assert source_kind(pattern) == "glob"
    _same_summary(_summary(pattern, cal, hold), retail_summary)
    one = str(parts / "part-[0].parquet")  # a subset of the parts
    assert open_orders(one)[1].lines_read == 200_000


def test_csv_parts_give_the_same_summary(tmp_path: Path) -> None:
    tx, ref = load_transactions(FIX / "other_shop.csv")
    lines = pd.read_csv(FIX / "other_shop.csv", dtype=str)
    for i, chunk in enumerate(np.array_split(np.arange(len(lines)), 2)):
        lines.iloc[chunk].to_csv(tmp_path / f"part-{i}.csv", index=False)
    orders, rep = open_orders(tmp_path)
    _same_report(rep, ref, table=False)
    cal, hold = wh.periods(rep.first, rep.last)
    _same_summary(wh.summarise(orders, cal, hold), _summary(FIX / "other_shop.csv", cal, hold))


def test_a_duckdb_database_gives_the_same_summary(database: Path, retail, retail_summary) -> None:
    cal, hold = RETAIL_PERIODS
    orders, rep = open_orders(database, table="orders")
    assert source_kind(database) == "database"
    assert rep.path == f"{database}, table 'orders'" and rep.table == "duckdb table 'orders', 541,909 rows"
    _same_report(rep, retail[1], table=False)
    _same_summary(wh.summarise(orders, cal, hold), retail_summary)


def test_a_database_with_one_table_needs_no_table_name(tmp_path: Path) -> None:
    path = tmp_path / "one.db"
    with duckdb.connect(str(path)) as con:
        con.execute(f"CREATE TABLE sales AS SELECT * FROM read_csv('{FIX / 'retail_small.csv'}')")
    _, rep = open_orders(path)
    assert rep.lines_kept == 4 and rep.customers == 3


# -- one-line errors ------------------------------------------------------------------------------------------


def _error(source: str | Path, **kw: object) -> str:
    with pytest.raises(InputError) as err:
        open_orders(source, **kw)
    msg = str(err.value)
    assert "\n" not in msg
    return msg


def test_no_such_table(database: Path) -> None:
    msg = _error(database, table="sales")
    assert f"{database}: no table named 'sales' (the database has: orders, stores)" in msg
    assert "parameter table" in msg


def test_a_database_of_several_tables_needs_a_table_name(database: Path) -> None:
    assert "the database holds 2 tables (orders, stores)" in _error(database)


def test_a_table_name_for_a_file_is_refused() -> None:
    assert "not a database file" in _error(RETAIL, table="orders")


def test_missing_column(parts: Path, database: Path) -> None:
    msg = _error(parts, customer_col="client_ref")
    assert msg.startswith(f"{parts}: column 'client_ref': no column named 'client_ref'")
    assert "CustomerID" in msg
    msg = _error(database, table="stores")
    assert "table 'stores'" in msg and "no customer id column found" in msg and "customer_col" in msg


def test_text_in_the_amount_column(tmp_path: Path) -> None:
    folder = tmp_path / "orders"
    folder.mkdir()
    pq.write_table(pa.table({"customer_id": ["a", "b"], "date": ["2020-01-02", "2020-01-03"],
                             "amount": ["12.5", "1,250.00"]}), folder / "part-0.parquet")
    pq.write_table(pa.table({"customer_id": ["c"], "date": ["2020-01-04"], "amount": ["twelve"]}),
                   folder / "part-1.parquet")
    msg = _error(folder)
    assert msg == (f"{folder}: column 'amount': text where a number was expected ('twelve'); "
                   "expected numbers only")
    pq.write_table(pa.table({"customer_id": ["c"], "date": ["2020-01-04"], "amount": ["7"]}),
                   folder / "part-1.parquet")
    _, rep = open_orders(folder)
    assert rep.revenue == 12.5 + 1250 + 7  # thousands separated in groups of three are numbers


def test_a_csv_typed_from_its_first_lines_is_read_again_as_text(tmp_path: Path) -> None:
    """DuckDB types CSV columns from a sample of lines: a later value of another kind is not an error
    of the file when it is a number (the column is read again as text), and names the value when not."""
    lines = pd.DataFrame({"customer_id": np.arange(25_000) % 50, "date": "2020-01-02", "amount": "3"})
    lines.loc[24_999, "amount"] = "12.5"
    lines.to_csv(tmp_path / "late_decimal.csv", index=False)
    _, rep = open_orders(tmp_path / "late_decimal.csv")
    assert rep.revenue == 3 * 24_999 + 12.5
    lines.loc[24_999, "amount"] = "twelve"
    lines.to_csv(tmp_path / "late_text.csv", index=False)
    assert _error(tmp_path / "late_text.csv") == (f"{tmp_path / 'late_text.csv'}: column 'amount': text where a "
                                                  "number was expected ('twelve'); expected numbers only")


def test_an_empty_folder(tmp_path: Path) -> None:
    msg = _error(tmp_path)
    assert msg == f"{tmp_path}: the folder holds no Parquet or CSV part; expected a folder of .parquet or .csv files"


def test_a_pattern_matching_nothing(tmp_path: Path) -> None:
    assert "no file matches this pattern" in _error(str(tmp_path / "*.parquet"))


def test_a_folder_mixing_formats(tmp_path: Path) -> None:
    (tmp_path / "a.parquet").write_bytes(b"")
    (tmp_path / "b.csv").write_text("x\n1\n")
    assert "mixes Parquet and CSV parts" in _error(tmp_path)


def test_a_corrupt_part(tmp_path: Path) -> None:
    (tmp_path / "a.parquet").write_bytes(b"not parquet")
    assert "not a readable Parquet file" in _error(tmp_path)


@pytest.mark.parametrize(("name", "parts"), [
    ("bad_dates.csv", ["column 'order_date'", "'2011-31-31'", "expected dates like"]),
    ("text_amount.csv", ["column 'amount'", "'twelve'", "numbers only"]),
    ("no_date_column.csv", ["no date column found", "InvoiceDate, date or order_date"]),
    ("no_amount.csv", ["no amount column", "Quantity and UnitPrice"]),
    ("header_only.csv", ["no rows"]),
    ("future_dates.csv", ["column 'date'", "2031-05-01", "no later than the export"]),
    ("all_cancelled.csv", ["no transaction is left", "2 cancellations"]),
    ("missing.csv", ["no such file or folder"]),
])
def test_the_loaders_bad_files_give_one_line_errors(name: str, parts: list[str]) -> None:
    msg = _error(FIX / name)
    assert msg.startswith(str(FIX / name))
    for part in parts:
        assert part in msg, (part, msg)


def test_the_engine_has_bounded_memory_a_spill_folder_and_no_progress_bar(tmp_path: Path) -> None:
    from casebook.io.orders import connect

    con = connect(memory_limit="512MB", threads=1, temp_directory=tmp_path / "spill")
    settings = dict(con.raw_sql(
        "SELECT name, value FROM duckdb_settings() WHERE name IN "
        "('enable_progress_bar', 'threads', 'temp_directory', 'memory_limit')").fetchall())
    assert settings["enable_progress_bar"] == "false"
    assert settings["threads"] == "1"
    assert Path(settings["temp_directory"]) == tmp_path / "spill"
    assert settings["memory_limit"].startswith("488")  # 512 MB as DuckDB shows it (MiB)
