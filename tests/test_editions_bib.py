"""The references in both editions (room build): the ``casebook`` pybtex style writes the French reference
lists in French (authors joined by « et », « vol. », « n° », « p. », « In : », « URL : », months and
« s. d. »), and the English ones exactly as pybtex's ``plain`` style does; the ``casebook_author_year``
citation style writes the French citations in French (« Watts et Dodds, 2007 », « s. d. ») and the English
ones exactly as sphinxcontrib-bibtex's ``author_year`` does."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
import yaml
from pybtex.database import Entry, Person, parse_file
from pybtex.richtext import Text
from pybtex.style import FormattedEntry
from pybtex.style.formatting.plain import Style as Plain
from pybtex_docutils import Backend as Docutils
from sphinxcontrib.bibtex.style.referencing import format_references
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle
from sphinxcontrib.bibtex.style.template import SphinxReferenceInfo

from casebook import i18n
from casebook.build import editions, references
from casebook.paths import ROOT

NBSP, NNBSP = "\u00a0", "\u202f"
Style = references.reference_list_style()
BIB = parse_file(ROOT / "book" / "references.bib").entries
VOLVO = parse_file(ROOT / "book" / "bib" / "volvo.bib").entries
References = references.citation_style()
ALL = {key: entry for name in yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["bibtex_bibfiles"]
       for key, entry in parse_file(ROOT / name).entries.items()}


@pytest.fixture(autouse=True)
def english_after() -> Iterator[None]:
    """Every test leaves the book in English, whatever language it switched to."""
    yield
    i18n.use("en")


@functools.cache
def made(style: type, lang: str) -> Any:
    """Style ``style`` made as a build in ``lang`` makes it when it starts (once: finding its plugins takes 20 ms)."""
    with i18n.using(lang):
        return style()


def written(entry: Entry, lang: str, backend: str = "text") -> str:
    """``entry`` as the reference list of the ``lang`` edition writes it."""
    with i18n.using(lang):
        return made(Style, lang).format_entry("x", entry).text.render_as(backend)


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
        plain = made(Plain, "en").format_entry("x", entry).text
        for backend in ("html", "text", "latex"):
            assert written(entry, "en", backend) == plain.render_as(backend), entry.fields.get("title")


def test_bib_pattern_fills_fields_between_the_words():
    from pybtex.style.template import field

    template = references.bib_pattern("vol. {volume}, p. {pages}", volume=field("volume"), pages=field("pages"))
    assert template.format_data({"entry": Entry("article", fields={"volume": "3", "pages": "7"})}).render_as(
        "text") == "vol. 3, p. 7"


def test_bib_between_and_bib_month():
    assert references.bib_between("{first} and {second}") == " and "
    assert references.bib_between("{others} et {last}") == " et "
    assert references.bib_month("July") == "July"
    with i18n.using("fr"):
        assert references.bib_month("July") == "juillet"
        assert references.bib_month("December") == "décembre"
        assert references.bib_month("Summer") == "Summer"


def cited(keys: list[str], role: str, lang: str, style: type = References) -> list:
    """The docutils nodes of citation ``{cite:ROLE}`keys``` in the ``lang`` edition."""
    info = SphinxReferenceInfo(builder=SimpleNamespace(name="html"), fromdocname="x", todocname="x",
                               citation_id="c", title="tip", pre_text="", post_text="")
    with i18n.using(lang):
        text = format_references(made(style, lang), role,
                                 [(ALL[key], FormattedEntry(key, Text(), "L"), info) for key in keys])
        return text.render(Docutils())


def cited_text(keys: list[str], role: str, lang: str) -> str:
    return "".join(node.astext() for node in cited(keys, role, lang))


def test_citations_in_french():
    assert cited_text(["watts2007influentials"], "p", "fr") == "[Watts et Dodds, 2007]"
    assert cited_text(["hutto2014vader"], "t", "fr") == "Hutto et Gilbert [2014]"
    assert cited_text(["hampton2011sns"], "p", "fr") == "[Hampton et al., 2011]"  # et al. is French too
    assert cited_text(["hampton2011sns"], "ps", "fr") == "[Hampton, Goulet, Rainie et Purcell, 2011]"
    assert cited_text(["watts2007influentials", "hutto2014vader"], "author", "fr") == "Watts et Dodds, Hutto et Gilbert"


def test_undated_citations_in_french():
    assert cited_text(["metaigmediainsights"], "p", "fr") == f"[Meta for Developers, s.{NBSP}d.]"  # year "n.d."
    assert cited_text(["bfm_capgemini_carsonline"], "t", "fr") == f"BFM Business [s.{NBSP}d.]"  # no year
    assert cited_text(["bfm_capgemini_carsonline"], "year", "fr") == f"s.{NBSP}d."


def test_the_english_citations_are_sphinxcontrib_bibtex_author_year_ones():
    assert cited_text(["watts2007influentials"], "p", "en") == "[Watts and Dodds, 2007]"
    assert cited_text(["bfm_capgemini_carsonline"], "t", "en") == "BFM Business [n.d.]"
    roles = made(AuthorYearReferenceStyle, "en").role_names()
    assert len(roles) > 10
    for key in ALL:
        for role in roles:
            ours = [node.pformat() for node in cited([key], role, "en")]
            assert ours == [node.pformat() for node in cited([key], role, "en", AuthorYearReferenceStyle)], (key, role)


def test_translated_entry_writes_the_books_words_in_the_language_in_use():
    undated = BIB["metaigmediainsights"]
    assert references.translated_entry(undated) is undated  # English: the entry itself
    with i18n.using("fr"):
        french = references.translated_entry(undated)
    assert french.fields["year"] == f"s.{NBSP}d." and french.fields["howpublished"].startswith("Documentation")
    assert french.key == undated.key and french.persons == undated.persons and undated.fields["year"] == "n.d."


def test_with_fields_copies_an_entry_only_when_a_field_changes():
    entry = BIB["brown2001"]
    assert references.with_fields(entry, {"year": "2001"}) is entry
    changed = references.with_fields(entry, {"year": "1999"})
    assert changed.fields["year"] == "1999" and changed.key == "brown2001" and entry.fields["year"] == "2001"
    assert changed.fields["journal"] == entry.fields["journal"] and changed.persons == entry.persons


def test_the_books_citation_style_is_registered_under_its_configured_name():
    from sphinxcontrib.bibtex.plugin import find_plugin

    calls: list[str] = []
    app = SimpleNamespace(**{name: lambda *a, **k: calls.append(a[0] if a else "")
                             for name in ("add_config_value", "connect", "add_transform", "add_post_transform")})
    editions.setup(app)
    name = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["sphinx"]["config"]["bibtex_reference_style"]
    style = find_plugin("sphinxcontrib.bibtex.style.referencing", name)
    assert issubclass(style, AuthorYearReferenceStyle) and style.__name__ == "TranslatedAuthorYear"
    assert "config-inited" in calls
