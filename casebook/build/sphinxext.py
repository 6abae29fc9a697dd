"""A small Sphinx extension that keeps the built site self-contained (room build).

- Writes the offline vega bundle into ``_static`` before the build, so a plain ``jupyter-book build``
  renders charts with no network (charts, which imports altair, is loaded only when the bundle's inputs
  changed: a build with nothing to do stays fast).
- Drops sphinx-thebe's scripts (Jupyter Book always loads the extension; the book has no live kernels,
  and its configuration names a CDN).
- The ``casebook-execution-table`` directive: each chapter's last execution by ``make book`` (when, how
  long, whether it ran without error), from ``_build/execution.json``; the page is re-read when it changes.
- The editions (:mod:`casebook.build.editions`): links between the two sites, glued numbers and the
  words Sphinx's catalogs do not reach, in the edition's language.
- The ``layouts-table`` directive: the post export layouts of ``casebook/io/layouts/*.toml`` (name,
  export, network, status, engagement-rate basis, how the header is recognised, sources); with
  ``:notes:``, each layout's columns, empty cells, notes and sources below it (``:no-table:`` leaves the
  table out). The page is re-read when a layout file changes; its words are in the edition's language.

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
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from casebook.build import book, editions
from casebook.build.editions import _
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


#: What an empty cell means, by the layout's setting (``missing``, the default, is said last; English,
#: shown through gettext: see _words).
EMPTY_WORDS = {"error": "blocking in {cols}", "zero": "read as 0 in {cols}",
               "false": "read as not paid in {cols}", "drop": "a row with an empty {cols} is left out (not a post)"}
STATUS_WORDS = {"recognised": "recognised", "mapping": "column mapping"}


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


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the extension's event handlers and directives, and the editions' (:mod:`editions`)."""
    editions.setup(app)
    app.add_directive("casebook-execution-table", ExecutionTable)
    app.add_directive("layouts-table", LayoutsTable)
    app.connect("builder-inited", _write_bundle)
    app.connect("html-page-context", _drop_thebe, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
