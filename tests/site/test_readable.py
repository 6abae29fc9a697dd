"""Tables and outputs for readers on the built site: no raw object repr, no unrounded float, no bare index.

Run after the site is built (`make book`, or `make test`, which builds it first). To check a private build,
point CASEBOOK_SITE_HTML at its html folder. The detectors are checked on small snippets first, so that a
clean site means clean pages, not blind checks.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from casebook.paths import ROOT

HTML = Path(os.environ.get("CASEBOOK_SITE_HTML", ROOT / "_build" / "html"))

#: An output that starts like Python's repr: ``ShareGain(``, a dict ``{'k': ...`` or a tuple of numbers.
RAW_REPR = re.compile(r"^\s*(?:[A-Z][A-Za-z0-9_]*\(|\{\s*['\"0-9]|\(\s*-?[0-9])")
#: A number with more than 6 decimals, as pandas or Python print an unrounded float.
LONG_FLOAT = re.compile(r"(?<![\w.])-?[0-9]+\.[0-9]{7,}(?![0-9])")


def raw_outputs(soup: BeautifulSoup) -> list[str]:
    """The plain-text outputs of notebook cells that begin like a Python repr (first 80 characters)."""
    found = []
    for block in soup.select("div.cell_output div.output pre, div.cell_output pre"):
        text = block.get_text()
        if RAW_REPR.match(text):
            found.append(text.strip()[:80])
    return list(dict.fromkeys(found))


def long_floats(soup: BeautifulSoup) -> list[str]:
    """Numbers with more than 6 decimals in the text a reader sees (scripts and styles left out)."""
    soup = BeautifulSoup(str(soup), "html.parser")
    for tag in soup(["script", "style"]):
        tag.decompose()
    return sorted(set(LONG_FLOAT.findall(soup.get_text(" "))))


def index_columns(soup: BeautifulSoup) -> list[str]:
    """Tables that show a DataFrame index: an empty top-left header cell, or row headers 0, 1, 2, …"""
    found = []
    for n, table in enumerate(soup.find_all("table")):
        first = table.select_one("thead tr th, thead tr td")
        if first is not None and first.name == "th" and not first.get_text(strip=True):
            found.append(f"table {n + 1}: blank index header")
            continue
        heads = [row.find(["th", "td"]) for row in table.select("tbody tr")]
        labels = [h.get_text(strip=True) for h in heads if h is not None and h.name == "th"]
        if labels and labels == [str(i) for i in range(len(labels))]:
            found.append(f"table {n + 1}: index column 0, 1, 2, …")
    return found


def _pages() -> list[Path]:
    if not (HTML / "index.html").exists():
        pytest.fail(f"the site is not built at {HTML}: run `make book` (make test builds it before these checks)")
    skip = {"_static", "_sources", "_images"}
    return sorted(p for p in HTML.rglob("*.html") if not skip & set(p.relative_to(HTML).parts))


def _offenders(check) -> dict[str, list[str]]:
    out = {}
    for page in _pages():
        found = check(BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser"))
        if found:
            out[str(page.relative_to(HTML))] = found
    return out


# --- the detectors, on snippets ---------------------------------------------------------------------

def _cell(text: str) -> BeautifulSoup:
    return BeautifulSoup(f'<div class="cell_output"><div class="output text_plain"><pre>{text}</pre></div></div>',
                         "html.parser")


@pytest.mark.parametrize("text", ["ShareGain(brand='Nike', start_date=Timestamp('2006-12-31'))",
                                  "{'k': 0.21, 'organisers': 1265.8}", "(385, 2401)", "{1: 9604}"])
def test_raw_repr_is_caught(text: str) -> None:
    assert raw_outputs(_cell(text))


@pytest.mark.parametrize("text", ["layout: UCI Facebook metrics", "K = 1.12 ≥ 1: every trip seeds one more",
                                  "Figure  Value\nK  0.21"])
def test_plain_outputs_pass(text: str) -> None:
    assert raw_outputs(_cell(text)) == []


def test_long_floats_are_caught_outside_scripts_only() -> None:
    soup = BeautifulSoup("<p>1265.8227848101264 and 0.97 and 12.1234567</p><script>var x = 0.123456789;</script>"
                         "<p>3.141593 and 2017-10-31 and v1.2.3</p>", "html.parser")
    assert long_floats(soup) == ["12.1234567", "1265.8227848101264"]


def test_index_columns_are_caught() -> None:
    pandas_default = ("<table><thead><tr><th></th><th>rate</th></tr></thead>"
                      "<tbody><tr><th>0</th><td>0.1</td></tr></tbody></table>")
    row_numbers = ("<table><thead><tr><th>n</th><th>rate</th></tr></thead>"
                   "<tbody><tr><th>0</th><td>a</td></tr><tr><th>1</th><td>b</td></tr></tbody></table>")
    readable = ("<table><thead><tr><th>Rate basis</th><th>Posts</th></tr></thead>"
                "<tbody><tr><td>reach</td><td>500</td></tr></tbody></table>")
    found = index_columns(BeautifulSoup(pandas_default + row_numbers + readable, "html.parser"))
    assert found == ["table 1: blank index header", "table 2: index column 0, 1, 2, …"]


# --- the built site -----------------------------------------------------------------------------------

@pytest.mark.integration
def test_no_output_is_a_raw_python_repr() -> None:
    assert _offenders(raw_outputs) == {}


@pytest.mark.integration
def test_no_page_shows_an_unrounded_float() -> None:
    assert _offenders(long_floats) == {}


@pytest.mark.integration
def test_no_table_shows_an_index_column() -> None:
    assert _offenders(index_columns) == {}


@pytest.mark.integration
def test_chapters_have_readable_tables() -> None:
    """The checks above look at something: the chapters' tables come from charts.readable."""
    pages = [p for p in _pages() if p.parent.name == "notebooks"]
    with_tables = [p.name for p in pages if 'class="dataframe casebook-table"' in p.read_text(encoding="utf-8")]
    assert len(with_tables) >= 6, with_tables
