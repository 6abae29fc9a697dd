"""The two editions of the built site (after `make book`): the English one at the root of `_build/html`,
the French one in `_build/html/fr/`.

- every page exists in both, and each links to the same page in the other language;
- the French pages say they are French (``<html lang="fr">``, the French stemmer for search);
- the French text follows French typography (no-break spaces before : ; ! ? %, « »);
- the French chapters' citations and toggles of hidden cells are in French;
- the French chapters were executed in French and glue the same numbers as the English ones.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup

from casebook.build import book
from casebook.build.catalogs import french_typography
from casebook.notebook import glued_scalars

pytestmark = pytest.mark.integration

EN = book.site_dir("en")
FR = book.site_dir("fr")
#: Pages Sphinx writes for itself (index of terms, search) rather than from the book's sources.
GENERATED = {"genindex.html", "search.html"}


@pytest.fixture(scope="module", autouse=True)
def _built() -> None:
    if not (EN / "index.html").exists() or not (FR / "index.html").exists():
        pytest.fail("the sites are not built: run `make book`")


def pages(site: Path) -> set[str]:
    """The pages of one edition's site, relative to its folder (the other edition's folder left out)."""
    return {str(p.relative_to(site)) for p in site.rglob("*.html")
            if not p.relative_to(site).parts[0].startswith("_") and p.relative_to(site).parts[0] != "fr"}


def test_every_page_exists_in_both_editions() -> None:
    english, french = pages(EN), pages(FR)
    assert len(english) > 20
    assert english == french


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_each_page_links_to_the_same_page_in_the_other_language(lang: str) -> None:
    site, other = book.site_dir(lang), ("fr" if lang == "en" else "en")
    checked = 0
    for rel in sorted(pages(site) - GENERATED - {"index.html"}):
        soup = BeautifulSoup((site / rel).read_text(encoding="utf-8"), "html.parser")
        link = soup.select_one(f"p.casebook-edition a[hreflang='{other}']")
        alternate = soup.select_one(f"link[rel='alternate'][hreflang='{other}']")
        assert link is not None and alternate is not None, f"{lang}/{rel}: no link to the {other} edition"
        target = ((site / rel).parent / link["href"]).resolve()
        assert target == (book.site_dir(other) / rel).resolve() and target.is_file(), f"{lang}/{rel} -> {link['href']}"
        checked += 1
    assert checked > 20


def test_the_french_pages_are_french_and_searched_with_the_french_stemmer() -> None:
    for rel in sorted(pages(FR) - {"index.html"}):  # index.html only redirects to the first page
        assert '<html lang="fr"' in (FR / rel).read_text(encoding="utf-8"), rel
    assert "FrenchStemmer" in (FR / "_static" / "language_data.js").read_text(encoding="utf-8")
    assert "FrenchStemmer" not in (EN / "_static" / "language_data.js").read_text(encoding="utf-8")


#: Elements whose text is code, data or drawing, or the title of another work (a link out of the book, an
#: entry of a reference list: titles keep their own language and punctuation), not the book's prose.
NOT_PROSE = ("script, style, pre, code, .cell_input, .highlight, .math, svg, kbd, .casebook-edition, "
             "a.reference.external, .citation, .bibliography, .bibtex-citation")


def prose_blocks(path: Path) -> list[str]:
    """The text of each paragraph, list item, heading, caption and table cell of a page's article."""
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article") or soup
    for el in article.select(NOT_PROSE):
        el.replace_with("X")  # code stands for a word: what follows it is still checked
    blocks = article.select("p, li, h1, h2, h3, figcaption, td, th, dt")
    return [re.sub(r"[ \t\r\n]+", " ", el.get_text()).strip() for el in blocks]  # no-break spaces kept


def test_the_french_text_follows_french_typography() -> None:
    problems = []
    for rel in sorted(pages(FR) - GENERATED):
        for text in prose_blocks(FR / rel):
            problems += [f"fr/{rel}: {p}" for p in french_typography(text)]
    assert problems == [], f"{len(problems)} problem(s), first ones:\n" + "\n".join(problems[:15])


def test_the_typography_check_finds_what_it_should(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text("<article><p>Le taux : 27%.</p><p>Bien\u00a0: 27\u00a0% <code>a: b</code>.</p></article>")
    found = [p for t in prose_blocks(page) for p in french_typography(t)]
    assert len(found) == 2 and "plain space" in found[0] and "'%'" in found[1]


def test_the_french_reference_lists_write_no_english_words() -> None:
    import yaml
    from pybtex.database import parse_file
    from pybtex.style.formatting.plain import Style

    style, config = Style(), yaml.safe_load((book.ROOT / "_config.yml").read_text(encoding="utf-8"))
    last_authors = {style.format_name(e.persons["author"][-1]).format().render_as("text")  # "and" comes before them
                    for name in config["bibtex_bibfiles"] for e in parse_file(book.ROOT / name).entries.values()
                    if len(e.persons.get("author", [])) > 1}
    lists = " ".join(el.get_text() for rel in sorted(pages(FR) - GENERATED)
                     for el in BeautifulSoup((FR / rel).read_text(encoding="utf-8"), "html.parser").select(".citation"))
    spaced = lists.replace("\u00a0", " ")  # names are tied with no-break spaces
    assert len(last_authors) > 5 and "URL\u00a0: http" in lists and "URL:" not in lists and not [
        name for name in last_authors if f" and {name}" in spaced or f" et {name}" not in spaced]


def test_the_french_chapters_cite_and_toggle_hidden_cells_in_french() -> None:
    chapters = {p.name: p.read_text(encoding="utf-8") for p in sorted((FR / "notebooks").glob("*.html"))}
    citations = " ".join(el.get_text() for page in chapters.values()
                         for el in BeautifulSoup(page, "html.parser").select(".bibtex-citation"))
    assert len(chapters) > 5 and "[Watts et Dodds, 2007]" in citations and "Hutto and" not in citations
    assert "s.\u00a0d.]" in citations and "n.d." not in citations  # undated: « s. d. »
    toggled = [name for name, page in chapters.items() if '<details class="admonition hide' in page]
    assert len(toggled) > 3 and not [name for name, page in chapters.items() if "Show code cell" in page] and all(
        "Afficher le contenu de la cellule" in chapters[name] for name in toggled)


@pytest.mark.parametrize("path", book.chapters(), ids=lambda p: p.stem)
def test_the_french_chapter_glues_the_numbers_of_the_english_one(path: Path) -> None:
    english = glued_scalars(nbformat.read(path, as_version=4))
    french = glued_scalars(nbformat.read(book.executed_path(path, "fr"), as_version=4))
    assert english.keys() == french.keys()

    def numbers(figures: dict) -> dict:
        return {k: v for k, v in figures.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}

    assert numbers(french) == numbers(english)
    assert len(numbers(english)) >= 10
