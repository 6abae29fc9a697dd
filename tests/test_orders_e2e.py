"""``casebook run volvo`` on a PostgreSQL table: the chapter's model fitted by the server's summary
reproduces the published CDNOW parameters, and the password given in the URL is written nowhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from casebook.crm import bgnbd
from tests.test_servers import PASSWORD, shop  # noqa: F401 (the fixture: CDNOW in table orders)

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("servers")]


def test_casebook_run_volvo_on_postgres_reproduces_the_published_parameters(shop: dict, tmp_path: Path) -> None:  # noqa: F811
    url = f"postgresql://reader:{PASSWORD}@{shop['tcp']}/shop"
    out = tmp_path / "report"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    proc = subprocess.run(
        [sys.executable, "-m", "casebook", "run", "volvo", "--data", url, "--table", "orders",
         "-p", "calibration_end=1997-09-30", "-p", "holdout_end=1998-06-30", "--out", str(out)],
        capture_output=True, text=True, timeout=900, cwd=tmp_path, env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    figures = json.loads((out / "figures.json").read_text())
    assert figures["lines_read"] == 6_919 and figures["bgnbd_customers"] == 2_357
    assert {k: round(figures[f"bgnbd_{k}"], 3) for k in bgnbd.FHL2005_CDNOW} == bgnbd.FHL2005_CDNOW
    # The bundled CDNOW section of the page and the reader's table give the same fit.
    assert {k: figures[f"bgnbd_{k}"] for k in bgnbd.FHL2005_CDNOW} == {
        k: figures[f"cdnow_bgnbd_{k}"] for k in bgnbd.FHL2005_CDNOW}
    written = [f.read_text(errors="replace") for f in out.rglob("*") if f.is_file()]
    assert written and not any(PASSWORD in text for text in [*written, proc.stdout, proc.stderr])


def _run_volvo(data: Path | str, out: Path, *extra: str) -> dict:
    """``casebook run volvo`` on CDNOW's calibration and holdout periods; its figures."""
    proc = subprocess.run(
        [sys.executable, "-m", "casebook", "run", "volvo", "--data", str(data), *extra,
         "-p", "calibration_end=1997-09-30", "-p", "holdout_end=1998-06-30", "--out", str(out)],
        capture_output=True, text=True, timeout=900, cwd=out.parent)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads((out / "figures.json").read_text())


def test_casebook_run_volvo_gives_the_same_figures_on_a_file_parts_and_a_duckdb_table(tmp_path: Path) -> None:
    import duckdb
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from casebook import paths
    from casebook.io.transactions import load_transactions

    tx, _ = load_transactions(paths.dataset("cdnow"))
    orders = pa.table({"customer_id": tx["customer_id"].astype(str), "date": tx["timestamp"],
                       "amount": tx["amount"]})
    single = tmp_path / "orders.parquet"
    pq.write_table(orders, single)
    parts = tmp_path / "parts"
    (parts / "year=1997").mkdir(parents=True)
    (parts / "year=1998").mkdir()
    year = pc.year(orders["date"])
    pq.write_table(orders.filter(pc.equal(year, 1997)).slice(0, 3000), parts / "year=1997" / "a.parquet")
    pq.write_table(orders.filter(pc.equal(year, 1997)).slice(3000), parts / "year=1997" / "b.parquet")
    pq.write_table(orders.filter(pc.equal(year, 1998)), parts / "year=1998" / "a.parquet")
    database = tmp_path / "shop.duckdb"
    with duckdb.connect(str(database)) as con:
        con.register("cdnow", orders)
        con.execute("CREATE TABLE orders AS SELECT * FROM cdnow")

    base = _run_volvo(single, tmp_path / "file")
    assert {k: round(base[f"bgnbd_{k}"], 3) for k in bgnbd.FHL2005_CDNOW} == bgnbd.FHL2005_CDNOW
    for name, figures in [("parts", _run_volvo(parts, tmp_path / "from-parts")),
                          ("duckdb", _run_volvo(database, tmp_path / "from-duckdb", "--table", "orders"))]:
        differ = {k for k in base.keys() | figures.keys() if base.get(k) != figures.get(k)}
        assert differ <= {"data_name"}, (name, sorted(differ))
        assert figures["data_name"] != base["data_name"]
