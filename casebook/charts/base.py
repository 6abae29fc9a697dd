"""Charts: one theme, an offline renderer, and the chart builders every chapter shares.

The renderer writes each chart as a ``<div>`` plus an inline script that calls ``vegaEmbed`` from the
bundle the book ships in ``_static/`` (see :func:`write_vega_bundle`): nothing is fetched from another
host. Chart ids are derived from the chart and its position in the run, so a re-executed notebook
produces byte-identical outputs.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import json
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd

PALETTE = ["#1f5f8b", "#e07b39", "#3a9a6e", "#b8455a", "#7a5ea8", "#8c8c3a", "#4d4d4d"]
SIMULATED = "simulated"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
WIDTH = 560
_counter = itertools.count(1)


def theme() -> dict[str, Any]:
    """The book's Altair theme: colour-blind-safe palette, system fonts, light grid."""
    return {
        "config": {
            "view": {"continuousWidth": WIDTH, "continuousHeight": 300, "stroke": None},
            "font": FONT,
            "range": {"category": PALETTE},
            "title": {"anchor": "start", "fontSize": 15, "subtitleFontSize": 12, "subtitleColor": "#555"},
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "gridColor": "#e6e6e6", "domainColor": "#888"},
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom"},
        }
    }


def chart_id(spec: dict) -> str:
    """A stable element id: a digest of the spec plus the chart's rank in this run."""
    digest = hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:12]
    return f"cb-chart-{digest}-{next(_counter)}"


def render_spec(spec: dict, element_id: str | None = None) -> str:
    """HTML for one chart: a container and an inline script embedding the spec with vegaEmbed."""
    element_id = element_id or chart_id(spec)
    payload = json.dumps(spec, sort_keys=True, separators=(",", ":")).replace("</", "<\\/")
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


def simulated_title(title: str) -> str:
    """A chart title that says the data is simulated."""
    return title if SIMULATED in title.lower() else f"{title} (simulated)"


def titled(chart: alt.TopLevelMixin, title: str, subtitle: str | None = None) -> alt.TopLevelMixin:
    """Attach a title and an optional subtitle (source, or 'simulated') to a chart."""
    params: dict[str, Any] = {"text": title}
    if subtitle:
        params["subtitle"] = subtitle
    return chart.properties(title=alt.TitleParams(**params))


def interval_chart(
    df: pd.DataFrame,
    *,
    y: str,
    estimate: str = "estimate",
    low: str = "low",
    high: str = "high",
    color: str | None = None,
    x_title: str = "Share of respondents",
    tooltip: list[str] | None = None,
) -> alt.Chart:
    """Dot-and-whisker chart of proportions with their intervals, one row per label in ``y``."""
    base = alt.Chart(df).encode(y=alt.Y(f"{y}:N", sort=None, title=None, axis=alt.Axis(labelLimit=320)))
    enc_color = alt.Color(f"{color}:N", title=None) if color else alt.value(PALETTE[0])
    rule = base.mark_rule(strokeWidth=2).encode(
        x=alt.X(f"{low}:Q", axis=alt.Axis(format="%"), title=x_title, scale=alt.Scale(domain=[0, 1])),
        x2=f"{high}:Q",
        color=enc_color,
    )
    point = base.mark_point(filled=True, size=70).encode(
        x=f"{estimate}:Q", color=enc_color, tooltip=tooltip or [y, alt.Tooltip(f"{estimate}:Q", format=".1%")]
    )
    return (rule + point).properties(width=WIDTH, height=alt.Step(26))


def dumbbell_chart(
    df: pd.DataFrame,
    *,
    y: str,
    x: str,
    group: str,
    x_title: str = "Share",
    x_format: str = "%",
) -> alt.LayerChart:
    """Two groups compared on each row (e.g. consumers vs executives): a line between two dots."""
    base = alt.Chart(df).encode(y=alt.Y(f"{y}:N", sort=None, title=None, axis=alt.Axis(labelLimit=320)))
    line = base.mark_line(color="#bbbbbb", strokeWidth=3).encode(x=f"{x}:Q", detail=f"{y}:N")
    dots = base.mark_point(filled=True, size=110, opacity=1).encode(
        x=alt.X(f"{x}:Q", axis=alt.Axis(format=x_format), title=x_title),
        color=alt.Color(f"{group}:N", title=None),
        tooltip=[y, group, alt.Tooltip(f"{x}:Q", format=".0%" if x_format == "%" else ",")],
    )
    return (line + dots).properties(width=WIDTH, height=alt.Step(30))


def bar_chart(
    df: pd.DataFrame,
    *,
    x: str,
    y: str,
    x_title: str | None = None,
    y_title: str | None = None,
    color: str | None = None,
    horizontal: bool = True,
    value_format: str = ",",
    sort: str | list | None = "-x",
) -> alt.Chart:
    """A bar chart of an aggregated table; horizontal by default so long labels stay readable."""
    if horizontal:
        enc = {
            "x": alt.X(f"{x}:Q", title=x_title, axis=alt.Axis(format=value_format)),
            "y": alt.Y(f"{y}:N", title=y_title, sort=sort, axis=alt.Axis(labelLimit=320)),
        }
    else:
        enc = {
            "x": alt.X(f"{y}:N", title=y_title, sort=sort),
            "y": alt.Y(f"{x}:Q", title=x_title, axis=alt.Axis(format=value_format)),
        }
    enc["color"] = alt.Color(f"{color}:N", title=None) if color else alt.value(PALETTE[0])
    enc["tooltip"] = [y, alt.Tooltip(f"{x}:Q", format=value_format)] + ([color] if color else [])
    return alt.Chart(df).mark_bar().encode(**enc).properties(width=WIDTH)
