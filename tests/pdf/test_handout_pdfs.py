"""Checks of the handouts (after `make handouts` printed `_build/handouts/SLUG.pdf` and `_build/handouts/fr/SLUG.pdf`).

For every chapter, in English and in French: the PDF is one or two A4 pages; its title and a glued
figure of its key figures are in its text (in French, the title of the chapter's catalog and the figure
written the French way); its chart is drawn: the area between the chart's title (vega writes it inside
the SVG) and the figure caption below it holds ink and coloured marks (poppler's pdftoppm, the PDF
edition's measure).
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest
from bs4 import BeautifulSoup

from casebook import i18n
from casebook.build import kit
from casebook.paths import ROOT
from tests.pdf.test_pdf import ink

pytestmark = pytest.mark.integration

HANDOUTS = ROOT / "_build" / "handouts"
DPI = 75
A4_POINTS = (595.3, 841.9)  # 210 mm x 297 mm; Chromium rounds to hundredths of an inch
#: Every handout: (language, chapter slug).
HANDOUT_KEYS = [(lang, slug) for lang in i18n.LANGS for slug in kit.slugs()]


def folder(lang: str) -> Path:
    return HANDOUTS if lang == i18n.LANGS[0] else HANDOUTS / lang


def pdf_of(slug: str, lang: str = "en") -> Path:
    path = folder(lang) / f"{slug}.pdf"
    if not path.exists():
        pytest.fail(f"{path} is not built: run `make handouts` (make test builds it before these checks)")
    return path


def info(pdf: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return dict(re.findall(r"^([^:]+):\s+(.*)$", out, re.M))


def plain_text(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", " ", out)


def words(pdf: Path) -> list[tuple[str, float, float]]:
    """The words of page 1 with their top and bottom (points)."""
    out = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    return [(BeautifulSoup(w, "html.parser").get_text(), float(y0), float(y1)) for y0, y1, w in re.findall(
        r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', out)]


def render(pdf: Path) -> np.ndarray:
    """Page 1 as an RGB array at DPI."""
    ppm = subprocess.run(["pdftoppm", "-r", str(DPI), "-f", "1", "-l", "1", str(pdf)],
                         capture_output=True, check=True).stdout
    m = re.match(rb"P6\s+(\d+)\s+(\d+)\s+(\d+)\s", ppm)
    w, h = int(m.group(1)), int(m.group(2))
    return np.frombuffer(ppm[m.end() : m.end() + w * h * 3], dtype=np.uint8).reshape(h, w, 3)


def chart_title(slug: str, lang: str = "en") -> str:
    """The title of the handout's chart, from the spec in the handout's HTML."""
    source = (folder(lang) / f"{slug}.html").read_text(encoding="utf-8")
    spec = json.loads(re.search(r"var spec=(\{.*?\});if\(typeof", source).group(1))
    title = spec.get("title")
    return title.get("text") if isinstance(title, dict) else title


@pytest.mark.parametrize(("lang", "slug"), HANDOUT_KEYS)
def test_one_or_two_a4_pages(lang, slug):
    meta = info(pdf_of(slug, lang))
    assert 1 <= int(meta["Pages"]) <= 2, meta["Pages"]
    width, height = (float(x) for x in re.match(r"([\d.]+) x ([\d.]+)", meta["Page size"]).groups())
    assert abs(width - A4_POINTS[0]) < 1.5 and abs(height - A4_POINTS[1]) < 1.5, meta["Page size"]


@pytest.mark.parametrize(("lang", "slug"), HANDOUT_KEYS)
def test_title_and_a_glued_figure_are_printed(lang, slug):
    text = plain_text(pdf_of(slug, lang))
    notebook = kit.load_notebook(slug, lang)
    title = next(c for c in notebook["cells"] if c["cell_type"] == "markdown")
    title = re.match(r"#\s+(.+)", "".join(title["source"])).group(1).strip()
    translations = kit.prose_catalog(slug, lang)
    if lang != "en":
        assert title in translations, f"the chapter's title has no {lang} translation"
    title = BeautifulSoup(kit.inline_html(translations.get(title, title), {}, lang), "html.parser").get_text()
    assert re.sub(r"\s+", " ", title) in text
    first = kit.key_figures(notebook, lang=lang, translations=translations)[0]
    number = re.sub(r"\s+", " ", BeautifulSoup(first, "html.parser").strong.get_text())
    assert number in text, (number, first)
    if lang == "fr":  # written the French way: 0,21, never 0.21
        assert not re.search(r"\d\.\d", number), number


@pytest.mark.parametrize(("lang", "slug"), HANDOUT_KEYS)
def test_the_chart_has_ink(lang, slug):
    pdf = pdf_of(slug, lang)
    title, page_words = chart_title(slug, lang), words(pdf)
    first = title.split()[:3]
    tops = [page_words[i][1] for i in range(len(page_words) - 2)
            if [w for w, _, _ in page_words[i : i + 3]] == first[: len(page_words[i : i + 3])]]
    assert tops, f"chart title {title!r} not found on page 1"
    top = tops[0]
    below = [y0 for w, y0, _ in page_words if w.startswith("Fig.") and y0 > top]
    assert below, "no figure caption below the chart"
    image = render(pdf)
    scale = DPI / 72
    share, coloured = ink(image[int(top * scale) : int(below[0] * scale)])
    assert share > 0.01 and coloured >= 30, (slug, title, share, coloured)
