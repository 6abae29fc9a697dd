"""The page line of the page chapters' load report (room io): a page named by the chapter's default
(``brand``, a catalog message) is written in the report's language; other names and English unchanged."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from casebook import i18n, paths
from casebook.io.exports import load_pages

NBSP = "\u00a0"
DEFAULT = "A cosmetics brand's page (UCI)"  # the page chapters' ``brand`` default


@pytest.fixture(autouse=True)
def english_after() -> Iterator[None]:
    """Every test leaves the book in English, whatever language it switched to."""
    yield
    i18n.use("en")


def _page_lines(lang: str, names: list[str] | None, *more: Path) -> list[str]:
    data = [paths.dataset("facebook_metrics"), *more]
    with i18n.using(lang):
        return [line for line in load_pages(data, names=names).lines() if line.startswith(("page", "pages"))]


def test_the_default_page_name_is_written_in_french():
    assert _page_lines("fr", [DEFAULT]) == [f"page{NBSP}: La page d’une marque de cosmétiques (UCI)"]


def test_english_keeps_the_default_name():
    assert _page_lines("en", [DEFAULT]) == [f"page: {DEFAULT}"]


def test_a_name_from_the_export_or_the_reader_is_kept():
    assert _page_lines("fr", None) == [f"page{NBSP}: dataset_Facebook"]
    assert _page_lines("fr", ["Monceau Fleurs"]) == [f"page{NBSP}: Monceau Fleurs"]


def test_several_pages_each_in_the_reports_language(tmp_path: Path):
    other = tmp_path / "other.csv"
    shutil.copyfile(paths.dataset("facebook_metrics"), other)
    lines = _page_lines("fr", [DEFAULT, "Monceau Fleurs"], other)
    assert lines == [f"page{NBSP}: La page d’une marque de cosmétiques (UCI)", f"page{NBSP}: Monceau Fleurs"]
