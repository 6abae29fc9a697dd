"""A small Sphinx extension that keeps the built site self-contained (room build).

- Writes the offline vega bundle into ``_static`` before the build, so a plain ``jupyter-book build``
  renders charts with no network (charts, which imports altair, is loaded only when the bundle's inputs
  changed: a build with nothing to do stays fast).
- Drops sphinx-thebe's scripts (Jupyter Book always loads the extension; the book has no live kernels,
  and its configuration names a CDN).
- The ``casebook-execution-table`` directive: each chapter's last execution by ``make book`` (when, how
  long, whether it ran without error), from ``_build/execution.json``; the page is re-read when it changes.

May import: the foundation, charts, notebook and the executor.
"""

from __future__ import annotations

import hashlib
from importlib.metadata import version
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from casebook.build import book
from casebook.paths import STATIC

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
        header = ("Chapter", "Last executed", "Seconds", "Status")
        table = nodes.table(classes=["colwidths-auto"])
        group = nodes.tgroup(cols=len(header))
        table += group
        group += [nodes.colspec(colwidth=1) for _ in header]
        group += nodes.thead("", _row(header))
        body = nodes.tbody()
        for slug, *rest in book.status_rows(book.chapters(), book.load_state()):
            link = pending_xref("", nodes.inline(text=slug), refdoc=self.env.docname, refdomain="std",
                                reftype="doc", reftarget=f"/notebooks/{slug}", refexplicit=False, refwarn=True)
            body += _row([link, *rest])
        group += body
        return [table]


def _row(cells: Any) -> nodes.row:
    return nodes.row("", *(nodes.entry("", nodes.paragraph("", "", c if isinstance(c, nodes.Node)
                                                            else nodes.Text(c))) for c in cells))


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the extension's event handlers and directive."""
    app.add_directive("casebook-execution-table", ExecutionTable)
    app.connect("builder-inited", _write_bundle)
    app.connect("html-page-context", _drop_thebe, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
