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
