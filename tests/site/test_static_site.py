"""Checks of the built site (run after `python -m casebook.build.book book`): offline, complete, tidy."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from casebook.build import book
from casebook.paths import ROOT

pytestmark = pytest.mark.integration

HTML = ROOT / "_build" / "html"
REMOTE = re.compile(r"^(https?:)?//", re.I)
LOADING = {("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src"), ("source", "src"),
           ("video", "src"), ("audio", "src"), ("embed", "src"), ("object", "data"), ("image", "href")}


@pytest.fixture(autouse=True, scope="module")
def _built_site():
    if not (HTML / "index.html").exists():
        pytest.fail("the site is not built: run `make book` (make test builds it before these checks)")


class _Resources(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.remote: list[str] = []
        self.inline_css: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for t, a in LOADING:
            if tag == t and attrs.get(a) and REMOTE.match(attrs[a]):
                if tag == "link" and attrs.get("rel") not in ("stylesheet", "preload", "icon", "modulepreload"):
                    continue
                self.remote.append(f"<{tag} {a}={attrs[a]}>")
        if attrs.get("style"):
            self.inline_css.append(attrs["style"])
        self._in_style = tag == "style"

    def handle_data(self, data):
        if self._in_style:
            self.inline_css.append(data)


def pages() -> list[Path]:
    return sorted(HTML.rglob("*.html"))


def chapters() -> list[Path]:
    return sorted((HTML / "notebooks").glob("*.html"))


CSS_REMOTE = re.compile(r"(url\(\s*['\"]?(https?:)?//|@import\s+['\"]?(url\()?\s*['\"]?(https?:)?//)", re.I)


def test_no_page_loads_anything_from_another_host():
    offenders = {}
    for page in pages():
        parser = _Resources()
        parser.feed(page.read_text(encoding="utf-8"))
        bad = parser.remote + [c[:80] for c in parser.inline_css if CSS_REMOTE.search(c)]
        if bad:
            offenders[str(page.relative_to(HTML))] = bad
    assert offenders == {}


def test_no_stylesheet_or_script_fetches_remote_fonts_or_imports():
    offenders = [str(p.relative_to(HTML)) for p in HTML.rglob("*.css") if CSS_REMOTE.search(p.read_text("utf-8"))]
    assert offenders == []


REMOTE_SCRIPT = re.compile(r"https?://[^\"'\s]+\.m?js\b", re.I)


def test_no_page_names_a_remote_script_even_in_inline_code():
    # Catches loaders that fetch later (sphinx-thebe, Altair's default renderer, require.js).
    for page in pages():
        text = page.read_text(encoding="utf-8")
        assert REMOTE_SCRIPT.findall(text) == [], page


def test_every_chapter_has_charts_bundle_and_download_link():
    assert chapters(), "no chapter page was built"
    bundle = HTML / "_static" / "casebook-vega.js"
    assert bundle.exists() and bundle.stat().st_size > 500_000
    for page in chapters():
        text = page.read_text(encoding="utf-8")
        assert "casebook-vega.js" in text, page
        assert text.count('class="casebook-chart"') >= 1, page
        links = re.findall(r'href="([^"]+\.ipynb)"', text)
        assert links, f"{page.name}: no notebook download link"
        assert any((page.parent / link).resolve().exists() for link in links), page


def test_parameters_cell_collapsed_and_no_injected_parameters():
    for page in chapters():
        text = page.read_text(encoding="utf-8")
        assert "injected-parameters" not in text, page
        params = re.search(r'<div class="cell[^"]*tag_parameters[^"]*"', text)
        assert params, f"{page.name}: no parameters cell"
        assert "tag_hide-cell" in params.group(0), page


def test_search_index_is_local_and_lists_chapters():
    index = (HTML / "searchindex.js").read_text(encoding="utf-8")
    assert "survey" in index.lower()
    assert (HTML / "search.html").exists()


def test_execution_status_lists_every_chapter_as_recorded_by_the_build():
    text = (HTML / "book" / "execution-status.html").read_text(encoding="utf-8")
    table = re.search(r"<table.*?</table>", text, re.S)
    assert table, "no execution table"
    rows = re.findall(r"<tr.*?</tr>", table.group(0), re.S)[1:]
    expected = book.status_rows(book.chapters(), book.load_state())
    assert len(rows) == len(expected) == len(book.chapters())
    for row, (slug, when, _, status) in zip(rows, expected, strict=True):
        assert f'href="../notebooks/{slug}.html"' in row and when in row and status in row


def test_one_search_field_per_page_in_the_sidebar_none_in_a_top_bar():
    """pydata-sphinx-theme 0.17 fills an otherwise empty top bar with a second search field
    (executablebooks/sphinx-book-theme#986); the book turns it off (``navbar_persistent: []``)."""
    for page in pages():
        text = page.read_text(encoding="utf-8")
        if "bd-sidebar-primary" not in text:
            continue
        header = re.search(r'<header[^>]*id="pst-header".*?</header>', text, re.S)
        assert header is None or "search-button-field" not in header.group(0), f"{page}: search field in the top bar"
        assert text.count('class="btn search-button-field') == 1, f"{page}: not one search field"
