import json
import re
from pathlib import Path

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


def test_tip_titles_and_formats_by_kind():
    assert charts.tip("er_q1", "percent", "lower quartile").to_dict() == {
        "field": "er_q1", "type": "quantitative", "format": ".1%", "title": "lower quartile"}
    assert charts.tip("posts_per_day").to_dict() == {"field": "posts_per_day", "type": "nominal",
                                                     "title": "Posts per day"}
    assert charts.tip("week", "date").to_dict()["format"] == "%-d %B %Y"
    with pytest.raises(KeyError):
        charts.tip("x", "percentage")


def test_tips_infer_kinds_from_values_and_keep_built_entries():
    df = pd.DataFrame({"n": [1.0, 20.0], "low": [0.19242984, 0.3], "who": ["a", "b"],
                       "day": pd.to_datetime(["2020-01-01", "2020-01-02"]), "k": [1, 2]})
    built = charts.tip("low", "percent", "interval from")
    got = [t.to_dict() for t in charts.tips(df, ["n", built, "who", "day", "k", "absent"], titles={"n": "base"})]
    assert [(t["type"], t.get("format"), t["title"]) for t in got] == [
        ("quantitative", ",.0f", "base"), ("quantitative", ".1%", "interval from"), ("nominal", None, "Who"),
        ("temporal", "%-d %B %Y", "Day"), ("quantitative", ",.0f", "K"), ("nominal", None, "Absent")]
    assert charts.tips(df, ["low"])[0].to_dict()["format"] == ",.2f"


def test_tooltip_problems_finds_raw_entries_in_layers_and_concats():
    df = pd.DataFrame({"label": ["a"], "low": [0.19242984]})
    raw = alt.Chart(df).mark_point().encode(x="low:Q", tooltip=["label", "low"])
    good = alt.Chart(df).mark_point().encode(x="low:Q", tooltip=charts.tips(df, ["label", "low"]))
    assert charts.tooltip_problems(alt.vconcat(good, raw + good).to_dict()) == [
        "label: no title", "low: no title", "low: quantitative without a format"]
    assert charts.tooltip_problems((good + good).to_dict()) == []
    assert charts.tooltip_problems(alt.Chart(df).mark_point(tooltip=True).to_dict()) == []


def test_generic_builders_tooltips_are_readable():
    df = pd.DataFrame({"label": ["x", "y"], "estimate": [0.2, 0.4], "low": [0.1, 0.3], "high": [0.3, 0.5],
                       "who": ["a", "b"], "n": [10, 20]})
    built = [charts.interval_chart(df, y="label", color="who"),
             charts.interval_chart(df, y="label", tooltip=["label", "n", "low", "high"]),
             charts.dumbbell_chart(df, y="label", x="estimate", group="who"),
             charts.dumbbell_chart(df, y="label", x="n", group="who", x_format=","),
             charts.bar_chart(df, x="n", y="label", color="who")]
    for chart in built:
        assert charts.tooltip_problems(chart.to_dict()) == []
    claims = charts.bar_chart(df, x="estimate", y="label", x_title="Claim ÷ final", value_format="%").to_dict()
    assert claims["encoding"]["tooltip"][1] == {"field": "estimate", "type": "quantitative", "format": ".1%",
                                                "title": "Claim ÷ final"}  # not "%": six decimals


def _stored_specs(slug: str) -> list[tuple[str, dict]]:
    """Every chart spec a chapter's stored outputs carry (the charts the site shows)."""
    nb = json.loads((Path(__file__).parent.parent / "notebooks" / f"{slug}.ipynb").read_text(encoding="utf-8"))
    specs = []
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            for mime, html in output.get("data", {}).items():
                if mime.endswith("text/html") and "var spec=" in "".join(html):
                    specs.append((cell.get("id", "?"), _spec_of("".join(html))))
    return specs


@pytest.mark.parametrize("slug", sorted(p.stem for p in (Path(__file__).parent.parent / "notebooks").glob("*.ipynb")))
def test_every_stored_chart_tooltip_is_readable(slug):
    specs = _stored_specs(slug)
    assert specs, f"{slug}: no stored chart"
    problems = [f"cell {cell}: {p}" for cell, spec in specs for p in charts.tooltip_problems(spec)]
    assert problems == []


def test_tooltips_on_a_reader_empty_column_warn_nothing() -> None:
    """A reader's export may leave a column empty: Altair must not infer a type (its warning would land in
    the chapter's output, with a folder of this machine in it)."""
    import warnings

    from casebook.charts.tooltips import tip

    empty = pd.DataFrame({"period": pd.Series([], dtype="datetime64[ns]"), "page": pd.Series([], dtype=object),
                          "rate": pd.Series([], dtype=float)})
    chart = alt.Chart(empty).mark_point().encode(
        tooltip=[tip("period", "date"), tip("page"), tip("rate", "percent")])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        entries = chart.to_dict()["encoding"]["tooltip"]
    assert [e["type"] for e in entries] == ["temporal", "nominal", "quantitative"]
