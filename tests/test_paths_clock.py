import pandas as pd
import pytest

from casebook import clock, paths


def test_dataset_registry_points_at_shipped_files():
    for name in paths.DATASETS:
        assert paths.dataset(name).exists(), name
    with pytest.raises(KeyError, match="unknown data set 'nope'; known: facebook_metrics"):
        paths.dataset("nope")


def test_today_is_fixed_and_overridable(monkeypatch):
    monkeypatch.delenv("CASEBOOK_TODAY", raising=False)
    assert clock.today() == pd.Timestamp(clock.BOOK_TODAY)
    monkeypatch.setenv("CASEBOOK_TODAY", "2014-12-31")
    assert clock.today() == pd.Timestamp("2014-12-31")
