import json
import re

import altair as alt
import pandas as pd
import pytest

from casebook import charts


def _spec_of(html: str) -> dict:
    return json.loads(re.search(r"var spec=(\{.*?\});if", html).group(1))


def test_render_spec_is_offline_and_escapes_script_end():
    html = charts.render_spec({"title": "</script><b>x", "mark": "bar"}, element_id="cb-1")
    assert '<div id="cb-1"' in html and "vegaEmbed(el" in html
    assert "http" not in html
    assert "</script><b>" not in html.split("<script>", 1)[1].rsplit("</script>", 1)[0]


def test_chart_ids_are_stable_digests():
    a, b = charts.chart_id({"x": 1}), charts.chart_id({"x": 1})
    assert a.rsplit("-", 1)[0] == b.rsplit("-", 1)[0]
    assert int(b.rsplit("-", 1)[1]) == int(a.rsplit("-", 1)[1]) + 1
    assert charts.chart_id({"x": 2}).rsplit("-", 1)[0] != a.rsplit("-", 1)[0]


def test_enable_renders_with_theme_and_no_cdn():
    charts.enable()
    chart = charts.bar_chart(pd.DataFrame({"k": ["a", "b"], "v": [1, 2]}), x="v", y="k")
    bundle = chart._repr_mimebundle_()
    html = bundle["text/html"] if isinstance(bundle, dict) else bundle[0]["text/html"]
    assert "<script src" not in html and not re.search(r"https?://[^\"']+\.m?js\b", html)
    spec = _spec_of(html)
    assert spec["config"]["range"]["category"] == charts.PALETTE
    assert len(next(iter(spec["datasets"].values()))) == 2


def test_simulated_title_and_titled():
    assert charts.simulated_title("Posts per week") == "Posts per week (simulated)"
    assert charts.simulated_title("Simulated page") == "Simulated page"
    chart = charts.titled(alt.Chart(pd.DataFrame({"a": [1]})).mark_point(), "T", "S")
    assert chart.to_dict()["title"] == {"text": "T", "subtitle": "S"}


def test_builders_embed_only_the_given_rows():
    df = pd.DataFrame({"label": ["a", "b", "c"], "estimate": [0.1, 0.2, 0.3], "low": [0, 0.1, 0.2],
                       "high": [0.2, 0.3, 0.4], "who": ["x", "y", "x"]})
    for chart in (charts.interval_chart(df, y="label", color="who"),
                  charts.dumbbell_chart(df, y="label", x="estimate", group="who")):
        spec = chart.to_dict()
        assert [len(v) for v in spec["datasets"].values()] == [3]
        assert spec["layer"][0]["mark"]["type"] in ("rule", "line")


def test_vega_bundle_defines_globals_and_versions(tmp_path):
    text = charts.vega_bundle()
    assert text.startswith(charts.bundle_header() + "\n(function(){") and "window.vegaEmbed=" in text
    assert "window.VEGA_DEBUG" in text and '"vegalite_version": "6.' in text
    dest = charts.write_vega_bundle(tmp_path / "v.js")
    assert dest.read_text() == text
    mtime = dest.stat().st_mtime_ns
    charts.write_vega_bundle(dest)
    assert dest.stat().st_mtime_ns == mtime
    dest.write_text("/* casebook-vega old */\n")
    charts.write_vega_bundle(dest)
    assert dest.read_text() == text


@pytest.mark.parametrize("text", ["Acme <!--<script>", "</script><script>alert(1)</script>", "A & B > C"])
def test_chart_json_in_a_script_holds_no_markup(text: str) -> None:
    html = charts.render_spec({"title": text, "data": {"values": [{"x": text}]}})
    script = html.split("<script>", 1)[1].rsplit("</script>", 1)[0]
    assert not any(ch in script.split("var spec=", 1)[1].split(";if(", 1)[0] for ch in "<>&")
    spec = json.loads(script.split("var spec=", 1)[1].split(";if(", 1)[0])
    assert spec["title"] == text and spec["data"]["values"][0]["x"] == text
