"""The offline chart renderer (room charts): each chart a ``<div>`` and an inline script calling
``vegaEmbed`` from the bundle the book and the reports ship (:func:`write_vega_bundle`); nothing is
fetched from another host. Chart ids derive from the chart and its rank in the run, so a re-executed
notebook produces byte-identical outputs.

May import: charts.theme.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import json
from pathlib import Path
from typing import Any

import altair as alt

from casebook.charts.theme import theme

_counter = itertools.count(1)


def chart_id(spec: dict) -> str:
    """A stable element id: a digest of the spec plus the chart's rank in this run."""
    digest = hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:12]
    return f"cb-chart-{digest}-{next(_counter)}"


def script_json(value: Any) -> str:
    """JSON safe inside a ``<script>`` element: ``<``, ``>`` and ``&`` written as ``\\u003c``, ``\\u003e``,
    ``\\u0026``, so no text from data or parameters (``</script>``, ``<!--``) can end or derail the script."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render_spec(spec: dict, element_id: str | None = None) -> str:
    """HTML for one chart: a container and an inline script embedding the spec with vegaEmbed."""
    element_id = element_id or chart_id(spec)
    payload = script_json(spec)
    return (
        f'<div id="{element_id}" class="casebook-chart"></div>\n'
        "<script>(function(){"
        f'var el=document.getElementById("{element_id}");var spec={payload};'
        'if(typeof vegaEmbed==="undefined"){el.textContent="This chart needs casebook-vega.js, '
        'which the book and the casebook reports ship.";return;}'
        'vegaEmbed(el,spec,{actions:false,renderer:"svg"}).catch(function(e){el.textContent=String(e);});'
        "})();</script>"
    )


def _renderer(spec: dict, **metadata: Any) -> dict[str, str]:
    title = spec.get("title")
    text = title.get("text") if isinstance(title, dict) else title
    alt_text = html.escape(str(text)) if text else "chart"
    return {"text/html": render_spec(spec), "text/plain": f"<Chart: {alt_text}>"}


def enable() -> None:
    """Register and enable the book's theme and offline renderer (idempotent)."""
    alt.renderers.register("casebook", _renderer)
    alt.renderers.enable("casebook")
    alt.theme.register("casebook", enable=True)(theme)
    alt.data_transformers.disable_max_rows()


def _bundle_versions() -> dict[str, str]:
    from altair.vegalite.v6 import display

    return {
        "vega_version": display.VEGA_VERSION,
        "vegalite_version": display.VEGALITE_VERSION,
        "vegaembed_version": display.VEGAEMBED_VERSION,
    }


def bundle_header() -> str:
    """First line of the bundle: names what built it, so an unchanged bundle is not rebuilt."""
    from importlib.metadata import version

    return f"/* casebook-vega vl-convert {version('vl-convert-python')} {json.dumps(_bundle_versions())} */"


def vega_bundle() -> str:
    """vega + vega-lite + vega-embed as one script, wrapped so it cannot clash with Sphinx globals."""
    import vl_convert as vlc

    versions = _bundle_versions()
    major_minor = ".".join(versions["vegalite_version"].split(".")[:2])
    bundle = vlc.javascript_bundle(vl_version=major_minor)
    return f"{bundle_header()}\n(function(){{\n{bundle}\n}})();\nwindow.VEGA_DEBUG = {json.dumps(versions)};\n"


def write_vega_bundle(dest: Path) -> Path:
    """Write :func:`vega_bundle` to ``dest`` unless a bundle built by the same versions is there."""
    if dest.exists():
        with dest.open(encoding="utf-8") as f:
            if f.readline().rstrip("\n") == bundle_header():
                return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_suffix(".tmp")
    tmp.write_text(vega_bundle(), encoding="utf-8")
    tmp.replace(dest)
    return dest
