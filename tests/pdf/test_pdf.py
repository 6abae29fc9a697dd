"""Checks of the PDF editions, English and French (run by `make pdf` after `python -m casebook.build.pdf`
built them).

- every page of the table of contents is in the PDF, in order, and the page count is sane;
- every chart of the book is in the PDF, drawn: its title (vega writes it inside the SVG) is on a page,
  and the area between that title and the figure caption below it holds ink and coloured marks.
"""

from __future__ import annotations

import html
import json
import re
import subprocess

import numpy as np
import pytest
import yaml
from babel.messages.pofile import read_po

from casebook.build import pdf as pdf_build
from casebook.paths import ROOT

pytestmark = pytest.mark.integration

DPI = 75
LANGS = tuple(pdf_build.PDFS)


@pytest.fixture(params=LANGS, scope="module")
def lang(request: pytest.FixtureRequest) -> str:
    """Each edition in turn; its PDF must be built."""
    if not pdf_build.PDFS[request.param].exists() or not pdf_build.single_page(request.param).exists():
        pytest.fail(f"the {request.param} PDF is not built: run `make pdf`")
    return request.param


def toc_documents() -> list[str]:
    """The documents of _toc.yml, root first, in reading order."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    docs = [toc["root"]]
    for part in toc.get("parts", []):
        docs += [entry["file"] for entry in part.get("chapters", [])]
    return docs


def single_page(lang: str) -> str:
    """The single-page HTML the ``lang`` PDF was printed from."""
    return pdf_build.single_page(lang).read_text(encoding="utf-8")


def page_count(lang: str) -> int:
    info = subprocess.run(["pdfinfo", str(pdf_build.PDFS[lang])], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def words_by_page(lang: str) -> list[list[tuple[str, float, float]]]:
    """Every word of the ``lang`` PDF with its top and bottom (points), page by page."""
    out = subprocess.run(
        ["pdftotext", "-bbox", str(pdf_build.PDFS[lang]), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = []
    for page in out.split("<page ")[1:]:
        pages.append(
            [
                (html.unescape(w), float(y0), float(y1))
                for y0, y1, w in re.findall(
                    r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', page
                )
            ]
        )
    return pages


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", text))).replace("#", "").strip()


def document_title(doc: str, lang: str = "en") -> str:
    """The first level-1 heading of a document's source (.md or .ipynb), in ``lang`` (from the document's
    catalog)."""
    path = next(ROOT.glob(f"{doc}.*"))
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".ipynb":
        text = "\n".join(
            "".join(c["source"]) for c in json.loads(text)["cells"] if c["cell_type"] == "markdown"
        )
    title = re.search(r"^# (.+)$", text, re.M).group(1)
    if lang != "en":
        with (ROOT / "book" / "locales" / lang / "LC_MESSAGES" / f"{doc}.po").open("rb") as f:
            title = read_po(f)[title].string
    return re.sub(r"[`*_]|\{[^}]*\}", "", title).strip()


def headings(lang: str = "en") -> list[str]:
    """The title of every document of the table of contents, in order, in ``lang``."""
    return [document_title(doc, lang) for doc in toc_documents()]


def chart_titles(lang: str) -> list[str]:
    """The title of every chart embedded in the ``lang`` single page, in order."""
    titles = []
    for payload in re.findall(r"var spec=(\{.*?\});if\(typeof vegaEmbed", single_page(lang), re.S):
        title = json.loads(payload.replace("<\\/", "</")).get("title")
        text = title.get("text") if isinstance(title, dict) else title
        titles.append(" ".join(text) if isinstance(text, list) else (text or ""))
    return titles


def find_title(pages: list[list[tuple[str, float, float]]], title: str, start: int) -> tuple[int, float]:
    """Page index and bottom y of the first occurrence of ``title``'s first words, from page ``start``."""
    want = title.split()[:5]
    for p in range(start, len(pages)):
        words = [w for w, _, _ in pages[p]]
        for i in range(len(words) - len(want) + 1):
            if words[i : i + len(want)] == want:
                return p, pages[p][i + len(want) - 1][2]
    raise AssertionError(f"chart title {title!r} not found in the PDF after page {start + 1}")


def caption_below(words: list[tuple[str, float, float]], y: float) -> float | None:
    """Top y of the first 'Fig. N.M' caption below ``y`` on a page, if any."""
    tops = [
        words[i][1]
        for i in range(len(words) - 1)
        if words[i][0] == "Fig." and re.fullmatch(r"\d+(\.\d+)*", words[i + 1][0]) and words[i][1] > y
    ]
    return min(tops) if tops else None


def render(page: int, lang: str) -> np.ndarray:
    """One page (0-based) of the ``lang`` PDF as an RGB array at DPI."""
    ppm = subprocess.run(
        ["pdftoppm", "-r", str(DPI), "-f", str(page + 1), "-l", str(page + 1), str(pdf_build.PDFS[lang])],
        capture_output=True,
        check=True,
    ).stdout
    m = re.match(rb"P6\s+(\d+)\s+(\d+)\s+(\d+)\s", ppm)
    w, h = int(m.group(1)), int(m.group(2))
    return np.frombuffer(ppm[m.end() : m.end() + w * h * 3], dtype=np.uint8).reshape(h, w, 3)


def ink(region: np.ndarray) -> tuple[float, int]:
    """Share of non-white pixels and count of coloured (saturated) pixels."""
    rgb = region.astype(int)
    non_white = (rgb.min(axis=2) < 235).mean()
    coloured = int(((rgb.max(axis=2) - rgb.min(axis=2)) > 50).sum())
    return float(non_white), coloured


def test_ink_measure_tells_blank_from_drawn():
    blank = np.full((50, 50, 3), 255, np.uint8)
    drawn = blank.copy()
    drawn[10:20, 10:40] = (31, 95, 139)
    assert ink(blank) == (0.0, 0)
    assert ink(drawn) == (300 / 2500, 300)


def test_every_page_of_the_toc_is_in_the_pdf_in_order(lang: str):
    titles = headings(lang)
    text = " ".join(w for page in words_by_page(lang) for w, _, _ in page)
    pos = -1
    for title in titles:
        found = text.find(" ".join(title.split()[:6]), pos + 1)
        assert found > pos, f"{title!r} missing from the PDF or out of order"
        pos = found


def test_page_count_is_sane(lang: str):
    docs = len(toc_documents())
    pages = page_count(lang)
    assert docs <= pages <= 30 * docs, f"{pages} pages for {docs} documents"


def test_every_chart_is_drawn_in_the_pdf(lang: str):
    titles = chart_titles(lang)
    assert titles, "no chart in the single page"
    assert all(titles), "a chart has no title: give every chart a title (charts.titled)"
    pages = words_by_page(lang)
    page, checked = 0, []
    for title in titles:
        page, top = find_title(pages, title, page)
        bottom = caption_below(pages[page], top)
        image = render(page, lang)
        scale = DPI / 72
        y1 = int((bottom if bottom is not None else 792) * scale)
        share, coloured = ink(image[int(top * scale) : y1])
        checked.append((title, page + 1, round(share, 3), coloured))
        assert share > 0.01 and coloured >= 30, (
            f"chart {title!r} on page {page + 1} looks blank: {checked[-1]}"
        )
    assert len(checked) == len(titles)


def test_the_french_pdf_is_in_french_with_the_same_charts():
    if not all(p.exists() for p in pdf_build.PDFS.values()):
        pytest.fail("the PDFs are not built: run `make pdf`")
    assert len(chart_titles("fr")) == len(chart_titles("en"))
    assert set(chart_titles("fr")).isdisjoint(chart_titles("en")), "a chart of the French PDF has an English title"
    assert '<html lang="fr"' in single_page("fr")
    text = " ".join(w for page in words_by_page("fr") for w, _, _ in page)
    assert "Vérification des faits" in text and "Objectifs pédagogiques" in text
