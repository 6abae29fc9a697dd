"""The references in both editions (room build): the ``casebook`` pybtex style writes the French reference
lists in French (authors joined by « et », « vol. », « n° », « p. », « In : », « URL : », months and
« s. d. »), and the English ones exactly as pybtex's ``plain`` style does."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import yaml
from pybtex.database import Entry, Person, parse_file
from pybtex.style.formatting.plain import Style as Plain

from casebook import i18n
from casebook.build import editions
from casebook.paths import ROOT

NBSP, NNBSP = "\u00a0", "\u202f"
Style = editions._translated_style()
BIB = parse_file(ROOT / "book" / "references.bib").entries
VOLVO = parse_file(ROOT / "book" / "bib" / "volvo.bib").entries


@pytest.fixture(autouse=True)
def english_after() -> Iterator[None]:
    """Every test leaves the book in English, whatever language it switched to."""
    yield
    i18n.use("en")


def written(entry: Entry, lang: str, backend: str = "text") -> str:
    """``entry`` as the reference list of the ``lang`` edition writes it."""
    with i18n.using(lang):
        return Style().format_entry("x", entry).text.render_as(backend)


def _entry(kind: str, persons: dict[str, list[str]], **fields: str) -> Entry:
    return Entry(kind, fields=fields, persons={role: [Person(p) for p in names] for role, names in persons.items()})


#: Entries of types and fields the book's bibliography does not use yet, for the words around them.
SYNTHETIC = {
    "pages only": _entry("article", {"author": ["Doe, Jane"]}, title="A title", journal="J", pages="5--9",
                         year="2001"),
    "editors": _entry("inproceedings", {"author": ["Doe, Jane"], "editor": ["Roe, Ann", "Poe, Ed"]},
                      title="A talk", booktitle="Proceedings", pages="1--2", year="2003"),
    "one editor": _entry("inproceedings", {"author": ["Doe, Jane"], "editor": ["Roe, Ann"]},
                         title="A talk", booktitle="Proceedings", year="2003"),
    "visited": _entry("misc", {"author": ["Doe, Jane"]}, title="A page", howpublished="Web", year="2020",
                      url="https://example.org/p", urldate="2024-03-01"),
}


def test_an_article_in_french():
    assert written(BIB["brown2001"], "fr") == (
        "Lawrence D. Brown, T. Tony Cai et Anirban DasGupta. Interval estimation for a binomial proportion. "
        f"Statistical Science, vol.{NBSP}16, n°{NBSP}2, p.{NBSP}101–133, 2001. doi:10.1214/ss/1009213286.")
    assert written(BIB["theil1950"], "fr").endswith(
        f"Series A, vol.{NBSP}53, p.{NBSP}386–392, 521–525, 1397–1412, 1950.")
    assert written(SYNTHETIC["pages only"], "fr") == f"Jane Doe. A title. J, p.{NBSP}5–9, 2001."


def test_a_conference_paper_in_french():
    assert written(BIB["hutto2014vader"], "fr") == (
        "C. J. Hutto et Eric Gilbert. VADER: a parsimonious rule-based model for sentiment analysis of social "
        f"media text. In{NBSP}: Proceedings of the Eighth International AAAI Conference on Weblogs and Social "
        f"Media (ICWSM-14). Ann Arbor, MI, 2014. URL{NBSP}: "
        "https://www.aaai.org/ocs/index.php/ICWSM/ICWSM14/paper/view/8109/8122.")
    assert written(SYNTHETIC["editors"], "fr") == (
        f"Jane Doe. A talk. In{NBSP}: Ann Roe et Ed Poe, éd., Proceedings, 1–2. 2003.")
    assert written(SYNTHETIC["one editor"], "fr") == f"Jane Doe. A talk. In{NBSP}: Ann Roe, éd., Proceedings. 2003."


def test_web_references_in_french():
    assert written(BIB["metaigmediainsights"], "fr") == (
        f"Meta for Developers. Instagram media insights, reference. Documentation Instagram Platform{NNBSP}; "
        f"page non datée, s.{NBSP}d. URL{NBSP}: "
        "https://developers.facebook.com/docs/instagram-platform/reference/instagram-media/insights.")
    assert written(BIB["hampton2011sns"], "fr").startswith(
        "Keith N. Hampton, Lauren Sessions Goulet, Lee Rainie et Kristen Purcell. ")
    assert written(SYNTHETIC["visited"], "fr") == (
        f"Jane Doe. A page. Web, 2020. URL{NBSP}: https://example.org/p (consulté le 2024-03-01).")
    html = written(BIB["kaushik2011"], "fr", "html")
    assert f'URL{NBSP}: <a href="https://www.kaushik.net/avinash/' in html and "URL:" not in html


def test_months_in_french_with_a_capital_when_they_open_a_sentence():
    assert ", juillet 2008. " in written(VOLVO["oto2008"], "fr")
    assert written(VOLVO["internetetopinion2008"], "fr").startswith(
        "Internet et opinion. Relativiser le rôle de l'UGC. Août 2008. ")


def test_the_english_references_are_pybtex_plain_ones():
    assert written(BIB["brown2001"], "en") == (
        "Lawrence D. Brown, T. Tony Cai, and Anirban DasGupta. Interval estimation for a binomial proportion. "
        "Statistical Science, 16(2):101–133, 2001. doi:10.1214/ss/1009213286.")
    assert written(VOLVO["internetetopinion2008"], "en").startswith(
        "Internet et opinion. Relativiser le rôle de l'UGC. August 2008. ")
    entries = [*SYNTHETIC.values()]
    for name in yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["bibtex_bibfiles"]:
        entries += parse_file(ROOT / name).entries.values()
    for entry in entries:
        plain = Plain().format_entry("x", entry).text
        for backend in ("html", "text", "latex"):
            assert written(entry, "en", backend) == plain.render_as(backend), entry.fields.get("title")


def test_bib_pattern_fills_fields_between_the_words():
    from pybtex.style.template import field

    template = editions.bib_pattern("vol. {volume}, p. {pages}", volume=field("volume"), pages=field("pages"))
    assert template.format_data({"entry": Entry("article", fields={"volume": "3", "pages": "7"})}).render_as(
        "text") == "vol. 3, p. 7"


def test_bib_between_and_bib_month():
    assert editions.bib_between("{first} and {second}") == " and "
    assert editions.bib_between("{others} et {last}") == " et "
    assert editions.bib_month("July") == "July"
    with i18n.using("fr"):
        assert editions.bib_month("July") == "juillet"
        assert editions.bib_month("December") == "décembre"
        assert editions.bib_month("Summer") == "Summer"
