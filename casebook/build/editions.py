"""The editions' side of the Sphinx extension (room build): what makes the French site, its PDF and the
French reports read as written in French, from the English sources and the catalogs.

- Each page of the two sites links to the same page in the other language (``casebook_edition_links``).
- Glued numbers are written the edition's way (myst-nb's plain-text formatter wrapped), and a translated
  message finds its chapter's glued values (Sphinx parses each message as a small document of its own).
- What Sphinx's catalogs do not reach is translated from the package's catalogs: the table of contents'
  part captions, exercise titles (and the solutions that repeat them), the references (a pybtex
  style, ``casebook``: their describing fields, months, and the words pybtex's ``plain`` writes around
  the fields), the citations (a sphinxcontrib-bibtex reference style, ``casebook_author_year``: "and"
  and "n.d.") and myst-nb's toggles of hidden cells; a translated glossary is sorted again by its French
  terms.
- Nodes parsed from translated messages are handed back to their page, and docutils' default settings
  are built once: without these the French build took 2.5 times as long.

May import: the foundation (paths, i18n).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.transforms import Transform
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform


def _(message: str) -> str:
    """``message`` in the language of the build being read (from the package's catalogs)."""
    from casebook.i18n import gettext

    return gettext(message)


#: The editions and where each sits in the published site (the English one at its root).
EDITIONS = {"en": "", "fr": "fr/"}
#: The link to the other edition, in the language of that edition.
OTHER_EDITION = {"en": "Read in English", "fr": "Lire en français"}


def edition_links(pagename: str, lang: str) -> dict[str, str]:
    """The address of page ``pagename`` in every other edition, relative to the page in edition ``lang``."""
    up = "../" * (pagename.count("/") + EDITIONS[lang].count("/"))
    return {other: f"{up}{prefix}{pagename}.html" for other, prefix in EDITIONS.items() if other != lang}


def _link_editions(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    lang = app.config.language or "en"
    if not app.config.casebook_edition_links or lang not in EDITIONS or "body" not in context:
        return
    links = edition_links(pagename, lang)
    context["metatags"] = context.get("metatags", "") + "".join(
        f'\n<link rel="alternate" hreflang="{other}" href="{href}" />' for other, href in links.items())
    shown = "".join(f'<a href="{href}" hreflang="{other}" lang="{other}">{OTHER_EDITION[other]}</a>'
                    for other, href in links.items())
    context["body"] = f'<p class="casebook-edition">{shown}</p>\n' + context["body"]


#: The language of the build being read (set when each build's configuration is read).
_glue_lang = "en"


def glued_text(text: str, fmt_spec: str) -> str:
    """myst-nb's plain-text formatting of a glued value, in the language of the build being read:
    English exactly as myst-nb writes it, other languages through :func:`casebook.i18n.glued`."""
    from myst_nb.core.variables import format_plain_text

    if _glue_lang == "en":
        return format_plain_text(text, fmt_spec)
    from ast import literal_eval

    from casebook import i18n

    try:
        value = literal_eval(text)
    except (SyntaxError, ValueError):
        value = text
    return i18n.glued(value, fmt_spec, _glue_lang)


def _localise_glue(app: Sphinx, config: Any) -> None:
    """Make the build's language the one the package writes in (words of :mod:`casebook.i18n`, the
    execution table) and route myst-nb's glued-text formatting through :func:`glued_text` in it; in a
    translated edition, myst-nb's toggles of hidden code cells (``nb_code_prompt_show``/``_hide``, read
    when the builder starts) are written in its language too."""
    global _glue_lang
    from myst_nb.ext.glue import crossref, roles

    from casebook import i18n

    lang = config.language or "en"
    _glue_lang = lang if lang in i18n.LANGS else "en"
    i18n.use(_glue_lang)
    if _glue_lang != i18n.LANGS[0]:  # the book hides whole cells only: myst-nb's "{type}" is "content"
        config.nb_code_prompt_show = _("Show code cell content")
        config.nb_code_prompt_hide = _("Hide code cell content")
    roles.format_plain_text = crossref.format_plain_text = glued_text
    from myst_nb.ext.glue import directives as glue_directives

    roles.retrieve_glue_data = glue_directives.retrieve_glue_data = glue_data


def _back_to_english(app: Sphinx, exception: Exception | None) -> None:
    """After a build, the process writes English again (a French report leaves nothing behind)."""
    global _glue_lang
    from casebook import i18n

    _glue_lang = "en"
    i18n.use("en")


#: Each chapter's glued values, by document, kept for its translated messages (see :func:`glue_data`).
_glue_by_doc: dict[str, Any] = {}


def glue_data(document: nodes.document, key: str) -> Any:
    """myst-nb's lookup of glued value ``key`` in ``document``, or, for a translated message, in the
    chapter being translated.

    Sphinx parses each translated message as a document of its own, which has none of the notebook's
    glued values (myst-nb drops them when the chapter's parsing ends), so ``{glue:text}`` in a
    translation would find nothing: each lookup made while the chapter is parsed keeps them by document
    name, and a translated message's lookup falls back on them.
    """
    from myst_nb.core.variables import RetrievalError, VariableOutput
    from myst_nb.ext.glue import utils

    env = getattr(document.settings, "env", None)
    if "nb_renderer" in document and env is not None:
        _glue_by_doc[env.docname] = document["nb_renderer"]
    try:
        return utils.retrieve_glue_data(document, key)
    except RetrievalError:
        element = _glue_by_doc.get(getattr(env, "docname", None))
        if element is None or key not in element.renderer.nb_client.glue_data:
            raise
        found = element.renderer.nb_client.glue_data[key]
        return VariableOutput(data=found["data"], metadata=found.get("metadata", {}), nb_renderer=element,
                              vtype="glue")


def toc_captions(toc: Path | None = None) -> list[str]:
    """The captions of the table of contents' parts (``make catalogs`` extracts them: they are not in any
    page, so Sphinx's gettext does not see them)."""
    import yaml

    from casebook.paths import ROOT

    data = yaml.safe_load((toc or ROOT / "_toc.yml").read_text(encoding="utf-8"))
    return [part["caption"] for part in data.get("parts", []) if part.get("caption")]


def _translate_toc_captions(app: Sphinx, doctree: nodes.document) -> None:
    """In a translated edition, the table of contents' part captions (the sidebar's headings) in its language."""
    if (app.config.language or "en") == "en":
        return
    from sphinx import addnodes

    for toctree in doctree.findall(addnodes.toctree):
        for key in ("caption", "rawcaption"):
            text = toctree.get(key)
            if text:
                toctree[key] = _(text)


def sort_key(term: str) -> tuple[str, str]:
    """How a glossary term sorts in a translated edition: letters without their accents, case ignored
    (``écran`` with the E's), then the term itself."""
    import unicodedata

    bare = "".join(c for c in unicodedata.normalize("NFD", term) if not unicodedata.combining(c))
    return bare.casefold(), term


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


def _translated_style() -> type:
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


def _translated_references() -> type:
    """sphinxcontrib-bibtex's ``author_year`` citations written in the language of the build (registered as
    the ``casebook_author_year`` reference style): "and" between two authors and before the last of three
    or more (the reference lists' own words, see :func:`_translated_style`) and the year of an undated
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


#: An exercise's title in a chapter's markdown (sphinx-exercise's directives, gated or not).
EXERCISE_TITLE = re.compile(r"^(?:`{3,}|:{3,})\{exercise(?:-start)?\}[ \t]+(\S.*?)\s*$", re.M)


def exercise_titles(markdown: str) -> list[str]:
    """The titles of the exercises of a chapter's markdown (``make catalogs`` extracts them: Sphinx's
    gettext does not see a directive's argument)."""
    return EXERCISE_TITLE.findall(markdown)


class TranslateExerciseTitles(Transform):
    """sphinx-exercise writes an exercise's title (its directive's argument) as it is in the source, out of
    Sphinx's catalogs' reach: in a translated edition, a plain-text title is replaced by its translation
    from the package's catalogs (see :func:`exercise_titles`)."""

    default_priority = 21

    def apply(self, **kwargs: Any) -> None:
        if (self.document.settings.env.config.language or "en") == "en":
            return
        from sphinx_exercise.nodes import exercise_subtitle

        for node in self.document.findall(exercise_subtitle):
            if all(isinstance(child, nodes.Text) for child in node.children):
                text = node.astext()
                if _(text) != text:
                    node.children = []
                    node += nodes.Text(_(text))


class TranslateSolutionTitles(SphinxPostTransform):
    """A solution's title repeats its exercise's title, which sphinx-exercise takes from the exercise as it
    was first read (in English): after it builds those titles (priority 21), the exercise's part is put
    in the edition's language too."""

    default_priority = 22

    def run(self, **kwargs: Any) -> None:
        if (self.config.language or "en") == "en":
            return
        from sphinx_exercise.nodes import solution_node

        for solution in self.document.findall(solution_node):
            if not solution.children:
                continue
            for text in list(solution.children[0].findall(nodes.Text)):
                if _(str(text)) != str(text):
                    text.parent.replace(text, nodes.Text(_(str(text))))


class AdoptTranslatedNodes(Transform):
    """Sphinx parses each translated message as a small document of its own and moves its nodes into the
    page, where they keep pointing at that small document (docutils' ``Node._document``). Pickled with
    the page, every one of them drags its small document along: the French doctrees came out 5 to 15
    times as large as the English ones, and loading them (Sphinx loads a page's doctree for each
    ``{numref}`` to it) took most of the French build. After the Locale transform (priority 20), every
    node that points at another document is handed back to the page."""

    default_priority = 22

    def apply(self, **kwargs: Any) -> None:
        if (self.document.settings.env.config.language or "en") == "en":
            return
        for node in self.document.findall():
            if node is not self.document and node._document is not None and node._document is not self.document:
                node._document = None  # found through its parent, the page


class SortTranslatedGlossary(Transform):
    """A ``:sorted:`` glossary is sorted while the English source is read; once its terms are translated
    (Sphinx's Locale transform, priority 20), sort its entries again by their translated first term."""

    default_priority = 25

    def apply(self, **kwargs: Any) -> None:
        env = self.document.settings.env
        if (env.config.language or "en") == "en":
            return
        from sphinx import addnodes

        for glossary in self.document.findall(addnodes.glossary):
            if not glossary.get("sorted"):
                continue
            for dlist in glossary.findall(nodes.definition_list):
                items = list(dlist.children)
                items.sort(key=lambda item: sort_key(next(iter(item.findall(nodes.term))).astext()))
                dlist.children = items


def _default_settings_once() -> None:
    """docutils builds a parser's default settings from scratch on each call (3.5 ms), and myst-parser
    asks for them every time it renders a piece of markdown, even when it does not use them: once per
    translated message, 2,900 times in the French build (10 s). Build them once per set of components
    and hand out copies."""
    import copy
    import functools

    from docutils import frontend

    if getattr(frontend.get_default_settings, "casebook_cached", False):
        return
    built = functools.lru_cache(maxsize=32)(frontend.get_default_settings)

    def get_default_settings(*components: Any) -> Any:
        return copy.deepcopy(built(*components))

    get_default_settings.casebook_cached = True  # type: ignore[attr-defined]
    frontend.get_default_settings = get_default_settings


def setup(app: Sphinx) -> None:
    """Register the editions' settings, event handlers, transforms, bibliography style and citation style
    (called by :mod:`casebook.build.sphinxext`)."""
    import pybtex.plugin
    import sphinxcontrib.bibtex.plugin
    from pybtex.backends.plaintext import Backend as PlainText

    _default_settings_once()
    app.add_config_value("casebook_edition_links", False, "html", bool)
    app.connect("config-inited", _localise_glue)
    app.connect("build-finished", _back_to_english)
    app.connect("html-page-context", _link_editions)
    app.connect("doctree-read", _translate_toc_captions)
    app.add_transform(SortTranslatedGlossary)
    app.add_transform(TranslateExerciseTitles)
    app.add_transform(AdoptTranslatedNodes)
    app.add_post_transform(TranslateSolutionTitles)
    pybtex.plugin.register_plugin("pybtex.style.formatting", "casebook", _translated_style(), force=True)
    sphinxcontrib.bibtex.plugin.register_plugin("sphinxcontrib.bibtex.style.referencing", "casebook_author_year",
                                                _translated_references(), force=True)
    # sphinxcontrib-bibtex looks the plain-text backend up for every citation it resolves; registered at
    # run time, pybtex finds it without scanning the installed packages' entry points (25 ms each).
    pybtex.plugin.register_plugin("pybtex.backends", "plaintext", PlainText, force=True)
