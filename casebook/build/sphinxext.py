"""A small Sphinx extension that keeps the built site self-contained (room build).

- Writes the offline vega bundle into ``_static`` before the build, so a plain ``jupyter-book build``
  renders charts with no network (charts, which imports altair, is loaded only when the bundle's inputs
  changed: a build with nothing to do stays fast).
- Drops sphinx-thebe's scripts (Jupyter Book always loads the extension; the book has no live kernels,
  and its configuration names a CDN).
- The ``casebook-execution-table`` directive: each chapter's last execution by ``make book`` (when, how
  long, whether it ran without error), from ``_build/execution.json``; the page is re-read when it changes.
- In an edition other than English (Sphinx ``language``), glued numbers are written the language's way
  (``{glue:text}`share:.1%``` shows ``27,8 %``) through :func:`casebook.i18n.fmt`: myst-nb's
  plain-text formatter is wrapped for that build.
- With ``casebook_edition_links`` (the two sites), each page links to the same page in the other
  language (a visible link at the top and ``<link rel="alternate" hreflang>``); the English site is
  the root, the French one its ``fr/`` folder.
- The ``layouts-table`` directive: the post export layouts of ``casebook/io/layouts/*.toml`` (name,
  export, network, status, engagement-rate basis, how the header is recognised, sources); with
  ``:notes:``, each layout's columns, empty cells, notes and sources below it (``:no-table:`` leaves the
  table out). The page is re-read when a layout file changes.

May import: the foundation, charts, notebook, the executor and io.layouts (the layouts table).
"""

from __future__ import annotations

import hashlib
import re
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.transforms import Transform
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

from casebook.build import book
from casebook.paths import STATIC

if TYPE_CHECKING:
    from casebook.io.layouts import Layout

BUNDLE = STATIC / "casebook-vega.js"
BUNDLE_KEY = book.BUILD / "casebook-vega.key"


def bundle_key() -> str:
    """What the bundle depends on: the altair and vl-convert versions and the renderer's code."""
    h = hashlib.sha256()
    for package in ("altair", "vl-convert-python"):
        h.update(f"{package} {version(package)}\n".encode())
    h.update((Path(__file__).resolve().parent.parent / "charts" / "render.py").read_bytes())
    return h.hexdigest()


def _write_bundle(app: Sphinx) -> None:
    key = bundle_key()
    if BUNDLE.exists() and BUNDLE_KEY.exists() and BUNDLE_KEY.read_text(encoding="utf-8") == key:
        return
    from casebook import charts

    charts.write_vega_bundle(BUNDLE)
    BUNDLE_KEY.parent.mkdir(parents=True, exist_ok=True)
    BUNDLE_KEY.write_text(key, encoding="utf-8")


def _is_thebe(script: Any) -> bool:
    body = getattr(script, "attributes", {}).get("body", "") or ""
    filename = getattr(script, "filename", None) or str(script)
    return "thebe" in str(filename).lower() or "thebe" in body.lower()


def _drop_thebe(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    if "script_files" in context:
        context["script_files"] = [s for s in context["script_files"] if not _is_thebe(s)]


class ExecutionTable(SphinxDirective):
    """``casebook-execution-table``: one row per chapter, from the build's execution records."""

    def run(self) -> list[nodes.Node]:
        """The table, linking each chapter to its page."""
        self.env.note_dependency(str(book.STATE))
        from casebook.i18n import gettext as _

        header = (_("Chapter"), _("Last executed"), _("Seconds"), _("Status"))
        table = nodes.table(classes=["colwidths-auto"])
        group = nodes.tgroup(cols=len(header))
        table += group
        group += [nodes.colspec(colwidth=1) for _ in header]
        group += nodes.thead("", _row(header))
        body = nodes.tbody()
        lang = self.env.config.language if self.env.config.language in book.LANGS else book.LANGS[0]
        for slug, *rest in book.status_rows(book.chapters(), book.load_state(), lang):
            link = pending_xref("", nodes.inline(text=slug), refdoc=self.env.docname, refdomain="std",
                                reftype="doc", reftarget=f"/notebooks/{slug}", refexplicit=False, refwarn=True)
            body += _row([link, *rest])
        group += body
        return [table]


def _row(cells: Any) -> nodes.row:
    return nodes.row("", *(nodes.entry("", nodes.paragraph("", "", c if isinstance(c, nodes.Node)
                                                            else nodes.Text(c))) for c in cells))


#: What an empty cell means, as the layouts table says it (``missing`` is the default, said last).
#: What an empty cell means, by the layout's setting (English; shown through gettext, see _words).
EMPTY_WORDS = {"error": "blocking in {cols}", "zero": "read as 0 in {cols}",
               "false": "read as not paid in {cols}", "drop": "a row with an empty {cols} is left out (not a post)"}
STATUS_WORDS = {"recognised": "recognised", "mapping": "column mapping"}


def _(message: str) -> str:
    """``message`` in the language of the build being read (the layouts' words and the notes of their
    files are translated like the package's: casebook/locales)."""
    from casebook.i18n import gettext

    return gettext(message)


def _words() -> None:  # what make catalogs extracts for the words above (never called)
    _("blocking in {cols}"), _("read as 0 in {cols}"), _("read as not paid in {cols}")
    _("a row with an empty {cols} is left out (not a post)"), _("recognised"), _("column mapping")


def layout_messages() -> list[tuple[str, str]]:
    """The words of the layout files shown to readers (title, network, notes, what each source supports),
    with the file they come from: ``make catalogs`` extracts them for translation."""
    out = []
    for lay in shown_layouts():
        where = f"casebook/io/layouts/{lay.name}.toml"
        out += [(text, where) for text in (lay.title, lay.network, *lay.notes, *(s.supports for s in lay.sources))]
    return out


def shown_layouts() -> list[Layout]:
    """The layouts the book documents: every layout file (recognised first), not the caller's mapping.
    (io.layouts, which loads pandas, is imported here: a build whose pages have no layouts table
    does not pay for it.)"""
    from casebook.io.layouts import layouts

    return [lay for lay in layouts().values() if lay.name != "mapping"]


def _host(url: str) -> str:
    return re.sub(r"^www\.", "", re.sub(r"^https?://", "", url).split("/", 1)[0]).lower()


def link(url: str, text: str, title: str = "") -> nodes.Node:
    """A link to ``url`` (``title``: shown on hover)."""
    ref = nodes.reference("", text, refuri=url)
    if title:
        ref["reftitle"] = title
    return ref


def _cell(*parts: nodes.Node | str) -> nodes.entry:
    para = nodes.paragraph()
    for part in parts:
        para += nodes.Text(part) if isinstance(part, str) else part
    return nodes.entry("", para)


def _basis(lay: Layout) -> str:
    from casebook.io.layouts import norm

    spec = lay.columns.get(lay.basis)
    name = spec.names[0] if spec else ""
    return f"{lay.basis} ({name})" if name and norm(name) != lay.basis else lay.basis


def _detected_by(lay: Layout) -> str:
    from casebook.io.layouts import norm

    names = " + ".join(norm(group[0]) for group in lay.detect if group)
    if lay.status != "recognised":
        return _("{names}, only with a column_mapping").format(names=names) if names else _("a column_mapping")
    return names


def _sources_cell(lay: Layout) -> nodes.entry:
    """The layout's sources as numbered links (numbered as in :func:`layout_notes`; the title on hover)."""
    parts: list[nodes.Node | str] = []
    for i, src in enumerate(lay.sources, start=1):
        if i > 1:
            parts.append(" ")
        parts.append(link(src.url, str(i), f"{src.title}: {_host(src.url)}"))
    return _cell(*parts)


def layouts_table(lays: list[Layout] | None = None) -> nodes.table:
    """The layouts table: one row per layout (name and network, export, status, engagement-rate basis,
    detected by, sources as numbered links). Six columns, so that it fits the book's text width."""
    lays = shown_layouts() if lays is None else lays
    header = (_("Layout"), _("Export"), _("Status"), _("Engagement rate ÷"), _("Detected by"), _("Sources"))
    table = nodes.table(classes=["colwidths-auto", "casebook-layouts"])
    group = nodes.tgroup(cols=len(header))
    table += group
    group += [nodes.colspec(colwidth=1) for _ in header]
    group += nodes.thead("", _row(header))
    body = nodes.tbody()
    for lay in lays:
        name = nodes.entry("", nodes.paragraph("", "", nodes.literal(text=lay.name)),
                           nodes.paragraph(text=_(lay.network)))
        body += nodes.row("", name, _cell(_(lay.title)), _cell(_(STATUS_WORDS[lay.status])), _cell(_basis(lay)),
                          _cell(_detected_by(lay)), _sources_cell(lay))
    group += body
    return table


def empty_cells(lay: Layout) -> str:
    """What an empty cell means in a layout's columns, in one sentence, then the rows it skips, the
    values it takes from inside a link or from the post id, and the words it reads as empty."""
    clauses = []
    for meaning, template in EMPTY_WORDS.items():
        cols = [_q(spec.names[0]) for spec in lay.columns.values() if spec.empty == meaning]
        if cols:
            clauses.append(_(template).format(cols=_and(cols)))
    sentence = _("; ").join([*clauses, _("left unknown elsewhere") if clauses else _("left unknown")])
    out = [sentence[0].upper() + sentence[1:] + "."]
    if lay.missing_words:
        out.append(_("{words} in a count is read as an empty cell.").format(
            words=_and([_q(w) for w in lay.missing_words])))
    for canon, spec in lay.columns.items():
        what = canon.replace("_", " ")
        if spec.skip:
            out.append(_("Rows whose {column} is {words} are left out.").format(
                column=_q(spec.names[0]), words=_and([_q(w) for w in spec.skip])))
        if spec.pattern:
            out.append(_("The {what} is taken from inside {column}.").format(what=_(what), column=_q(spec.names[0])))
        if spec.derive == "id_unix_seconds":
            out.append(_("{column} is not read: the publication time comes from the post id.").format(
                column=_q(spec.names[0])))
    return " ".join(out)


def _q(name: str) -> str:
    """A column name or a cell's word, marked to be shown as code (see :func:`_marked`)."""
    return f"\x00{name}\x01"


def _marked(text: str) -> list[nodes.Node]:
    """Text whose marked parts (:func:`_q`) become code literals."""
    out: list[nodes.Node] = []
    for i, part in enumerate(re.split(r"\x00(.*?)\x01", text)):
        if part:
            out.append(nodes.literal(text=part) if i % 2 else nodes.Text(part))
    return out


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else _("{items} and {last}").format(items=", ".join(items[:-1]), last=items[-1])


def layout_notes(lays: list[Layout] | None = None) -> list[nodes.Node]:
    """Each layout below the table: a heading-like rubric, the columns it reads, its empty cells, its
    notes and its sources (title, link, what each supports)."""
    lays = shown_layouts() if lays is None else lays
    out: list[nodes.Node] = []
    for lay in lays:
        out.append(nodes.rubric(text=f"{_(lay.title)} ({lay.name})"))
        columns = _("; ").join(_("{column} as {name}").format(column=_q(spec.names[0]), name=canon)
                               for canon, spec in lay.columns.items())
        out.append(nodes.paragraph("", "", nodes.strong(text=_("Columns read: ")), *_marked(columns + ".")))
        if lay.status == "recognised":
            out.append(nodes.paragraph("", "", nodes.strong(text=_("Empty cells: ")), *_marked(empty_cells(lay))))
        else:
            out.append(nodes.paragraph("", "", nodes.strong(text=_("Not read on its own: ")), nodes.Text(
                _("run it with a column_mapping (see the notes); its header then selects this layout, whose "
                  "names, dates and words apply.")), *_marked(" " + empty_cells(lay))))
        if lay.notes:
            notes = nodes.bullet_list()
            notes += [nodes.list_item("", nodes.paragraph(text=_(note))) for note in lay.notes]
            out.append(notes)
        sources = nodes.enumerated_list(enumtype="arabic", prefix="", suffix=".")
        for src in lay.sources:
            sources += nodes.list_item("", nodes.paragraph("", "", link(src.url, src.title),
                                                          nodes.Text(_(": {supports}.").format(
                                                              supports=_(src.supports)))))
        out += [nodes.paragraph("", "", nodes.strong(text=_("Sources"))), sources]
    return out


class LayoutsTable(SphinxDirective):
    """``layouts-table``: the post export layouts, from their TOML files (``:notes:`` adds each layout's
    columns, empty cells, notes and sources below the table; ``:no-table:`` leaves the table out)."""

    option_spec = {"notes": directives.flag, "no-table": directives.flag}

    def run(self) -> list[nodes.Node]:
        """The table, and the notes when asked."""
        from casebook.io.layouts import HERE

        for path in sorted(HERE.glob("*.toml")):
            self.env.note_dependency(str(path))
        lays = shown_layouts()
        table = [] if "no-table" in self.options else [layouts_table(lays)]
        return [*table, *(layout_notes(lays) if "notes" in self.options else [])]


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
    English exactly as myst-nb writes it, other languages through :func:`casebook.i18n.fmt`."""
    from myst_nb.core.variables import format_plain_text

    if _glue_lang == "en":
        return format_plain_text(text, fmt_spec)
    from ast import literal_eval

    from casebook import i18n

    try:
        value = literal_eval(text)
    except (SyntaxError, ValueError):
        value = text
    kind = fmt_spec[-1:] if fmt_spec else ""
    if kind in ("d", "f", "g", "%"):  # the type the spec asks for, as myst-nb converts it ("nan" is a float)
        value = int(value) if kind == "d" else float(value)
    return i18n.fmt(value, "" if kind == "s" else fmt_spec, _glue_lang)


def _localise_glue(app: Sphinx, config: Any) -> None:
    """Make the build's language the one the package writes in (words of :mod:`casebook.i18n`, the
    execution table) and route myst-nb's glued-text formatting through :func:`glued_text` in it."""
    global _glue_lang
    from myst_nb.ext.glue import crossref, roles

    from casebook import i18n

    lang = config.language or "en"
    _glue_lang = lang if lang in i18n.LANGS else "en"
    i18n.use(_glue_lang)
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


def _translated_style() -> type:
    """pybtex's ``plain`` style whose describing fields (:data:`BIB_FIELDS`) are written in the language of
    the build, from the package's catalogs (registered as the ``casebook`` style)."""
    from pybtex.database import Entry
    from pybtex.style.formatting.plain import Style

    class TranslatedStyle(Style):
        def format_entry(self, label: str, entry: Any, bib_data: Any = None) -> Any:
            fields = {f: _(entry.fields[f]) for f in BIB_FIELDS if entry.fields.get(f)}
            if any(fields[f] != entry.fields[f] for f in fields):
                translated = Entry(entry.type, fields={**entry.fields, **fields}, persons=entry.persons)
                translated.key = entry.key
                entry = translated
            return super().format_entry(label, entry, bib_data=bib_data)

    return TranslatedStyle


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


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the extension's event handlers and directives."""
    _default_settings_once()
    app.add_config_value("casebook_edition_links", False, "html", bool)
    app.connect("config-inited", _localise_glue)
    app.connect("build-finished", _back_to_english)
    app.add_transform(SortTranslatedGlossary)
    app.add_transform(TranslateExerciseTitles)
    app.add_transform(AdoptTranslatedNodes)
    app.add_post_transform(TranslateSolutionTitles)
    import pybtex.plugin
    from pybtex.backends.plaintext import Backend as PlainText

    pybtex.plugin.register_plugin("pybtex.style.formatting", "casebook", _translated_style(), force=True)
    # sphinxcontrib-bibtex looks the plain-text backend up for every citation it resolves; registered at
    # run time, pybtex finds it without scanning the installed packages' entry points (25 ms each, 4 s a
    # build).
    pybtex.plugin.register_plugin("pybtex.backends", "plaintext", PlainText, force=True)
    app.connect("html-page-context", _link_editions)
    app.connect("doctree-read", _translate_toc_captions)
    app.add_directive("casebook-execution-table", ExecutionTable)
    app.add_directive("layouts-table", LayoutsTable)
    app.connect("builder-inited", _write_bundle)
    app.connect("html-page-context", _drop_thebe, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
