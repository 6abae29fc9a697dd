"""For every chapter, the standalone report says what the book page says: the same glued numbers, figures
with their captions, citations and exercise numbers.

The book is built once for the module with Jupyter Book's own command (the book's configuration, stored
outputs, no execution) into a temporary folder; each report is built from the same committed notebook.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml
from bs4 import BeautifulSoup

from casebook.build import report
from casebook.cli import params
from casebook.paths import NOTEBOOKS, ROOT

pytestmark = pytest.mark.integration
SLUGS = params.chapter_slugs()


def words(text: str) -> str:
    """Text with runs of white space made one space, and a trailing heading link mark dropped."""
    return re.sub(r"\s+", " ", text).strip().removesuffix("#").strip()


def facts(html: str) -> dict[str, list]:
    """What a chapter page says, in page order: glued numbers, figures, citations and exercises."""
    article = BeautifulSoup(html, "html.parser").select_one("article.bd-article")
    return {
        "glued": [words(s.get_text()) for s in article.select("span.pasted-text")],
        "figures": [(f.get("id"), words(f.figcaption.get_text())) for f in article.select("figure")],
        "charts": [c.get("id") for c in article.select("figure .casebook-chart")],
        "citations": [
            (words(c.get_text()), [a.get("title") for a in c.select("a")])
            for c in article.select("span.bibtex-citation")
        ],
        "exercises": [
            words(t.get_text()) for t in article.select(".exercise > .admonition-title, .solution > .admonition-title")
        ],
    }


@pytest.fixture(scope="module")
def book_pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The book built by ``jupyter-book build`` with its own configuration, execution off."""
    tmp = tmp_path_factory.mktemp("book")
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    config.setdefault("execute", {})["execute_notebooks"] = "off"
    (tmp / "_config.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    proc = subprocess.run(
        [
            str(Path(sys.executable).with_name("jupyter-book")),
            "build",
            str(ROOT),
            "--config",
            str(tmp / "_config.yml"),
            "--path-output",
            str(tmp),
            "--keep-going",
            "-q",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return tmp / "_build" / "html" / "notebooks"


@pytest.mark.parametrize("slug", SLUGS)
def test_report_says_what_the_book_page_says(book_pages: Path, tmp_path: Path, slug: str) -> None:
    nb = nbformat.read(NOTEBOOKS / f"{slug}.ipynb", as_version=4)
    page, warnings = report.build_page(nb, slug, tmp_path / "build")
    assert warnings == ""
    info = report.RunInfo(slug=slug, title=params.load_chapter(slug).title, run_at=dt.datetime(2026, 1, 1))
    html = report.write_report(nb, info, tmp_path / f"{slug}.html").read_text(encoding="utf-8")
    book, ours = facts((book_pages / f"{slug}.html").read_text(encoding="utf-8")), facts(html)
    assert book["glued"] and book["citations"] and book["exercises"]  # the comparison compares something
    assert len(book["figures"]) == len(book["charts"]) > 0
    for kind in book:
        assert ours[kind] == book[kind], kind
