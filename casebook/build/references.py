"""The references in the edition's language (room build): the pybtex style of the reference lists and the
sphinxcontrib-bibtex style of the citations, both written from the package's catalogs.

- ``casebook`` (:func:`reference_list_style`): pybtex's ``plain`` with the references' describing fields
  (:data:`BIB_FIELDS`), months, "n.d." and the words ``plain`` writes around the fields translated.
- ``casebook_author_year`` (:func:`citation_style`): sphinxcontrib-bibtex's ``author_year`` with "and"
  and "n.d." translated.

In English both write exactly what the styles they extend write. Registered by
:func:`casebook.build.editions.setup`; ``make catalogs`` extracts the describing fields
(:func:`bib_messages`).

May import: the foundation (paths, i18n) and build.editions (its ``_``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from casebook.build.editions import _

#: The fields of a reference that describe it in the book's words (not the work's own title or publisher).
BIB_FIELDS = ("howpublished", "note")


def bib_messages(config: Path | None = None) -> list[tuple[str, str]]:
    """The describing fields (:data:`BIB_FIELDS`) of every reference of the book's bibliography files,
    with the file they come from: ``make catalogs`` extracts them for translation."""
    import yaml
    from pybtex.database import parse_file

    from casebook.paths import ROOT

    config = config or ROOT / "_config.yml"
    out = []
    for name in yaml.safe_load(config.read_text(encoding="utf-8")).get("bibtex_bibfiles", []):
        for entry in parse_file(ROOT / name).entries.values():
            out += [(entry.fields[f], name) for f in BIB_FIELDS if entry.fields.get(f)]
    return out


def bib_pattern(pattern: str, **parts: Any) -> Any:
    """A pybtex template from a pattern of the catalog (``"vol. {volume}, p. {pages}"``): its words as
    written, each ``{name}`` the template ``parts[name]``."""
    import string

    from pybtex.style.template import join

    pieces: list[Any] = []
    for literal, name, _spec, _conv in string.Formatter().parse(pattern):
        pieces += [literal] if literal else []
        pieces += [parts[name]] if name is not None else []
    return join[pieces]


def bib_between(pattern: str) -> str:
    """The words between a pattern's two fields: ``" and "`` in ``"{first} and {second}"``."""
    import string

    return [literal for literal, *_rest in string.Formatter().parse(pattern)][1]


def bib_month(month: str) -> str:
    """A reference's month as pybtex writes it (``July``, from the macro ``jul``) in the language in use
    (``juillet``, Babel's name); a month it does not know stays as written."""
    import datetime as dt

    from babel.dates import get_month_names

    from casebook import i18n

    if i18n.current() == i18n.LANGS[0]:
        return month
    number = {name: n for n, name in get_month_names("wide", locale=i18n.LOCALES["en"]).items()}.get(month.strip())
    return month if number is None else i18n.date(dt.date(2000, number, 1), "MMMM")


def with_fields(entry: Any, fields: dict[str, str]) -> Any:
    """A copy of pybtex entry ``entry`` (same key, type and persons) with ``fields`` replacing its own;
    ``entry`` itself when they change nothing."""
    from pybtex.database import Entry

    if all(entry.fields.get(f) == value for f, value in fields.items()):
        return entry
    copy = Entry(entry.type, fields={**entry.fields, **fields}, persons=entry.persons)
    copy.key = entry.key
    return copy


def translated_entry(entry: Any) -> Any:
    """pybtex entry ``entry`` with the fields the book writes in its own words in the language in use: its
    describing fields (:data:`BIB_FIELDS`, from the catalog), its month (:func:`bib_month`) and the year
    "n.d." of an undated reference; in English, ``entry`` itself."""
    fields = {f: _(entry.fields[f]) for f in BIB_FIELDS if entry.fields.get(f)}
    if entry.fields.get("month"):
        fields["month"] = bib_month(entry.fields["month"])
    if entry.fields.get("year") == "n.d.":
        fields["year"] = _("n.d.")  # the year of an undated reference
    return with_fields(entry, fields)


def reference_list_style() -> type:
    """pybtex's ``plain`` style written in the language of the build, from the package's catalogs
    (registered as the ``casebook`` style): its describing fields (:data:`BIB_FIELDS`), months and
    "n.d.", and the words the style writes around the fields of the book's references (articles,
    misc, inproceedings): "and" between authors, "In", "editor(s)", "pages", volume and number, "URL:",
    "visited on". In English every pattern is the plain style's own, so the references are unchanged."""
    from pybtex.style.formatting import toplevel
    from pybtex.style.formatting.plain import Style
    from pybtex.style.formatting.unsrt import date, pages
    from pybtex.style.template import field, first_of, href, join, names, optional, optional_field, sentence, tag

    from casebook import i18n

    class TranslatedStyle(Style):
        def format_entry(self, label: str, entry: Any, bib_data: Any = None) -> Any:
            return super().format_entry(label, translated_entry(entry), bib_data=bib_data)

        def format_names(self, role: str, as_sentence: bool = True) -> Any:
            formatted = names(role, sep=", ", sep2=bib_between(_("{first} and {second}")),
                              last_sep=bib_between(_("{others}, and {last}")))
            return sentence[formatted] if as_sentence else formatted

        def format_editor(self, e: Any, as_sentence: bool = True) -> Any:
            editors = self.format_names("editor", as_sentence=False)
            if "editor" not in e.persons:
                return editors  # formatting it raises pybtex's FieldIsMissing, as in the plain style
            word = _("editors") if len(e.persons["editor"]) > 1 else _("editor")
            result = join(sep=", ")[editors, word]
            return sentence[result] if as_sentence else result

        def get_article_template(self, e: Any) -> Any:
            volume_and_pages = first_of[
                optional[bib_pattern(_("{volume}({number}):{pages}"), volume=field("volume"),
                                     number=field("number"), pages=pages)],
                optional[bib_pattern(_("{volume}:{pages}"), volume=field("volume"), pages=pages)],
                bib_pattern(_("pages {pages}"), pages=pages),
            ]
            return toplevel[
                self.format_names("author"),
                self.format_title(e, "title"),
                sentence[tag("em")[field("journal")], optional[volume_and_pages], date],
                sentence[optional_field("note")],
                self.format_web_refs(e),
            ]

        def get_inproceedings_template(self, e: Any) -> Any:
            book = sentence[
                optional[self.format_editor(e, as_sentence=False)],
                self.format_btitle(e, "booktitle", as_sentence=False),
                self.format_volume_and_series(e, as_sentence=False),
                optional[pages],
            ]
            return toplevel[
                sentence[self.format_names("author")],
                self.format_title(e, "title"),
                join(sep=" ")[bib_pattern(_("In {book}"), book=book),
                              self.format_address_organization_publisher_date(e)],
                sentence[optional_field("note")],
                self.format_web_refs(e),
            ]

        def get_misc_template(self, e: Any) -> Any:
            # a month or "n.d." opening a sentence (no howpublished) starts with a capital in a translation
            translated = i18n.current() != i18n.LANGS[0]
            return toplevel[
                optional[sentence[self.format_names("author")]],
                optional[self.format_title(e, "title")],
                first_of[
                    optional[sentence[field("howpublished"), optional[date]]],
                    sentence(capfirst=translated)[optional[date]],
                ],
                sentence[optional_field("note")],
                self.format_web_refs(e),
            ]

        def format_web_refs(self, e: Any) -> Any:
            return sentence[
                optional[self.format_url(e),
                         optional[bib_pattern(_(" (visited on {urldate})"), urldate=field("urldate"))]],
                optional[self.format_eprint(e)],
                optional[self.format_pubmed(e)],
                optional[self.format_doi(e)],
            ]

        def format_url(self, e: Any) -> Any:
            url = field("url", raw=True)
            return bib_pattern(_("URL: {url}"), url=href(url)[url])

    return TranslatedStyle


def citation_style() -> type:
    """sphinxcontrib-bibtex's ``author_year`` citations written in the language of the build (registered as
    the ``casebook_author_year`` reference style): "and" between two authors and before the last of three
    or more (the reference lists' own words, see :func:`reference_list_style`) and the year of an undated
    reference, "n.d." ("et al." is French usage too). In English the style is ``author_year`` itself."""
    from dataclasses import dataclass, field

    from pybtex.style.template import node
    from sphinxcontrib.bibtex.style.referencing import PersonStyle
    from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle

    from casebook import i18n

    @node
    def in_edition_words(children: list, data: dict[str, Any]) -> Any:
        """Template ``children[0]`` formatted on the entry in the edition's words (:func:`translated_entry`),
        an entry with no year dated "n.d." in them (sphinxcontrib-bibtex's ``year`` writes "n.d.")."""
        entry = translated_entry(data["entry"])
        if not entry.fields.get("year"):
            entry = with_fields(entry, {"year": _("n.d.")})
        return children[0].format_data({**data, "entry": entry})

    def translated_person() -> PersonStyle:
        return PersonStyle(sep2=bib_between(_("{first} and {second}")),
                           last_sep=bib_between(_("{others}, and {last}")))

    @dataclass
    class TranslatedAuthorYear(AuthorYearReferenceStyle):
        #: The names' separators in the language of the build when the style is made (builder-inited).
        person: PersonStyle = field(default_factory=translated_person)

        def inner(self, role_name: str) -> Any:
            template = super().inner(role_name)
            return template if i18n.current() == i18n.LANGS[0] else in_edition_words[template]

    return TranslatedAuthorYear
