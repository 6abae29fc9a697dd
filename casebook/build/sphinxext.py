"""A small Sphinx extension that keeps the built site self-contained.

- Writes the offline vega bundle into ``_static`` before the build, so a plain ``jupyter-book build``
  renders charts with no network.
- Drops sphinx-thebe's scripts (Jupyter Book always loads the extension; the book has no live kernels,
  and its configuration names a CDN).
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from casebook import charts
from casebook.paths import STATIC


def _write_bundle(app: Sphinx) -> None:
    charts.write_vega_bundle(STATIC / "casebook-vega.js")


def _is_thebe(script: Any) -> bool:
    body = getattr(script, "attributes", {}).get("body", "") or ""
    filename = getattr(script, "filename", None) or str(script)
    return "thebe" in str(filename).lower() or "thebe" in body.lower()


def _drop_thebe(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    if "script_files" in context:
        context["script_files"] = [s for s in context["script_files"] if not _is_thebe(s)]


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the extension's event handlers."""
    app.connect("builder-inited", _write_bundle)
    app.connect("html-page-context", _drop_thebe, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
