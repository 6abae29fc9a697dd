import re

import nbformat
import pandas as pd
import pytest

from casebook import clock, paths


def test_dataset_registry_points_at_shipped_files():
    for name in paths.DATASETS:
        assert paths.dataset(name).exists(), name
    with pytest.raises(KeyError, match="unknown data set 'nope'; known: cdnow, cdnow_summary, facebook_metrics"):
        paths.dataset("nope")


def test_today_is_fixed_and_overridable(monkeypatch):
    monkeypatch.delenv("CASEBOOK_TODAY", raising=False)
    assert clock.today() == pd.Timestamp(clock.BOOK_TODAY)
    monkeypatch.setenv("CASEBOOK_TODAY", "2014-12-31")
    assert clock.today() == pd.Timestamp("2014-12-31")


def test_end_of_today_is_the_last_instant_of_the_fixed_day(monkeypatch):
    monkeypatch.setenv("CASEBOOK_TODAY", "2014-12-31")
    assert clock.end_of_today() == pd.Timestamp("2014-12-31 23:59:59.999999")
    assert clock.end_of_today() < pd.Timestamp("2015-01-01") <= clock.end_of_today() + pd.Timedelta(microseconds=1)


DATA_PATH = re.compile(r"""["'][^"']*(?:data/|\.csv|\.parquet|\.xlsx|\.txt)[^"']*["']""")


@pytest.mark.parametrize("notebook", sorted(paths.NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.stem)
def test_notebooks_read_data_only_through_the_registry_or_their_parameters(notebook):
    cells = [c for c in nbformat.read(notebook, as_version=4).cells if c.cell_type == "code"]
    for cell in cells:
        found = DATA_PATH.findall(cell.source)
        if "parameters" in cell.metadata.get("tags", []):
            registered = {p.resolve() for p in paths.DATASETS.values()}
            assert all((paths.NOTEBOOKS / f.strip("\"'")).resolve() in registered for f in found), found
        else:
            assert not found, f"{notebook.name}: a data path outside the parameters cell: {found}"
