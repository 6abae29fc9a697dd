"""The standalone HTML report: MyST resolved, code folded, data escaped, nothing fetched from the network."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from casebook import charts
from casebook.build import report

PREFIX = "application/papermill.record/"
XSS = "<script>alert(1)</script>"
HEAD_END = "</head>\n<body>\n<main>"  # the bundle itself contains "</head>" inside a JS string


def glued(name: str, text: str, html: str | None = None) -> dict:
    data = {PREFIX + "text/plain": text}
    if html is not None:
        data[PREFIX + "text/html"] = html
    return new_output(
        "display_data", data=data, metadata={"scrapbook": {"name": name, "mime_prefix": PREFIX}}
    )


SPEC = {
    "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
    "mark": "bar",
    "data": {"values": [{"x": "a", "y": 1}]},
    "title": XSS,
}


def notebook() -> nbformat.NotebookNode:
    chart_html = charts.render_spec(SPEC, "cb-chart-test")
    cells = [
        new_markdown_cell(
            "# Demo chapter\n\nIntro with a [relative link](../book/how-to-use.md), "
            "an [outside link](https://example.org) and raw <img src=x onerror=alert(2)>."
        ),
        new_markdown_cell(
            ":::{admonition} Learning objectives\n:class: tip\n- read {glue:text}`share:.1%`\n:::"
        ),
        new_code_cell("from casebook import book", metadata={"tags": ["remove-cell"]}),
        new_code_cell("confidence = 0.95  # level", metadata={"tags": ["parameters", "hide-cell"]}),
        new_code_cell("confidence = 0.9\n", metadata={"tags": ["injected-parameters", "remove-cell"]}),
        new_code_cell(
            "book.glue('share', 0.2098)\nsecret_code_marker = 1",
            outputs=[
                glued("share", "0.2098"),
                glued("n", "1988"),
                glued("who", repr(XSS)),
                glued("fig-a", "<Chart>", chart_html),
            ],
        ),
        new_code_cell(
            "df",
            outputs=[
                new_output(
                    "execute_result",
                    data={
                        "text/html": '<table class="dataframe"><tr><td>&lt;b&gt;</td></tr></table>',
                        "text/plain": "df",
                    },
                    execution_count=1,
                )
            ],
        ),
        new_code_cell(
            "print('hello <world>')", outputs=[new_output("stream", name="stdout", text="hello <world>\n")]
        ),
        new_markdown_cell(
            "Asked {glue:text}`n:,.0f` people; brand {glue:text}`who` {cite:p}`wilson1927` "
            "and {cite:t}`brown2001`, see {numref}`fig-a`, math $x^2$.\n\n"
            "```{glue:figure} fig-a\n:name: fig-a\n\nThe caption *here*.\n```"
        ),
        new_markdown_cell(
            "```{exercise-start}\n:label: ex-1\n```\nCompute it.\n```{exercise-end}\n```\n\n"
            "```{solution-start} ex-1\n:class: dropdown\n```"
        ),
        new_code_cell(
            "answer = 42",
            outputs=[new_output("execute_result", data={"text/plain": "42"}, execution_count=2)],
        ),
        new_markdown_cell(
            "It is 42.\n```{solution-end}\n```\n\n:::{admonition} Fact check: x\n"
            ":class: fact-check\nBody.\n:::\n\n```{bibliography}\n```"
        ),
    ]
    return new_notebook(cells=cells)


def info(**kw) -> report.RunInfo:
    base = dict(
        slug="demo",
        title="Demo chapter",
        parameters=[
            ("confidence", 0.9, True),
            ("brand", XSS, True),
            ("shares", [0, 0.5], False),
            ("since", "", False),
        ],
        data_file="/data/my <file>.csv",
        run_at=dt.datetime(2026, 11, 23, 17, 5, tzinfo=dt.UTC),
        brand=XSS,
    )
    base.update(kw)
    return report.RunInfo(**base)


class Visible(HTMLParser):
    """Text outside <script> and <style>, and every tag with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.text: list[str] = []
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if not self.depth:
            self.text.append(data)


def parse(html: str) -> Visible:
    p = Visible()
    p.feed(html)
    return p


def test_myst_markup_is_resolved() -> None:
    html = report.render_report(notebook(), info())
    text = " ".join(parse(html).text)
    assert "read 21.0%" in text  # {glue:text}`share:.1%`
    assert "Asked 1,988 people" in text  # {glue:text}`n:,.0f`
    assert "(Wilson 1927)" in text
    assert "Brown et al. (2001)" in text
    assert "see Figure 1," in text
    assert "Figure 1. The caption here." in "".join(parse(html).text)
    assert "Learning objectives" in text and "Fact check: x" in text
    assert "Exercise 1" in text and "Solution" in text
    for raw in ("{glue", "{cite", "{numref", ":::", "```", ":class:", ":label:", "{bibliography}"):
        assert raw not in text, raw
    assert '<aside class="admonition tip">' in html and '<aside class="admonition fact-check">' in html
    # the gated solution wraps the code cell between its start and end
    sol = html[html.index('<details class="solution">') :]
    assert sol.index("answer = 42") < sol.index("It is 42.") < sol.index("</details>\n<aside")


def test_code_is_folded_and_removed_cells_are_gone() -> None:
    html = report.render_report(notebook(), info())
    assert html.count('<details class="code">') == 4
    assert "secret_code_marker" in html.split('<details class="code">')[1]
    assert "from casebook import book" not in html  # remove-cell
    assert "confidence = 0.95" not in html  # the parameters cell: the header shows values
    assert "confidence = 0.9" not in html  # papermill's injected cell
    assert "hello &lt;world&gt;" in html


def test_header_shows_title_parameters_data_file_and_date() -> None:
    html = report.render_report(notebook(), info())
    header = html[html.index('<header class="cb-header">') : html.index("</header>")]
    assert "<h1>Demo chapter</h1>" in header
    assert html.count("<h1>") == 1  # the notebook's own title is not repeated
    assert "2026-11-23 17:05 UTC" in header
    assert "<code>/data/my &lt;file&gt;.csv</code>" in header
    assert '<th scope="row">confidence</th><td><code>0.9</code></td><td>set for this run</td>' in header
    assert "<td><code>[0, 0.5]</code></td><td>default</td>" in header
    assert '<th scope="row">since</th><td><span class="empty">(empty)</span></td><td>default</td>' in header


def test_text_from_data_and_parameters_is_escaped() -> None:
    html = report.render_report(notebook(), info())
    assert XSS not in html.split(HEAD_END, 1)[1]
    assert "alert(1)" in " ".join(parse(html).text)  # shown as text ...
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 4  # brand, title, parameter, glued text
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(2)&gt;" in html
    # inside the chart's inline script no markup survives: < > & are JSON escapes
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in html


def test_one_inline_vega_bundle_and_no_network_resource() -> None:
    html = report.render_report(notebook(), info())
    head = html[: html.index(HEAD_END)]
    bundle = report.inline_bundle()
    assert html.count(bundle) == 1 and bundle in head
    assert "vegaEmbed" in bundle
    p = parse(html)
    for tag, attrs in p.tags:
        for attr in ("src", "href"):
            value = attrs.get(attr) or ""
            if tag != "a":
                assert not re.match(r"(https?:)?//", value), (tag, value)
    assert [a.get("href") for t, a in p.tags if t == "a"] == ["https://example.org"]
    assert not re.search(r"@import|url\(\s*['\"]?https?:", html)
    assert "relative link" in " ".join(p.text)  # relative links become plain text
    assert '<div id="cb-chart-test" class="casebook-chart"></div>' in html


def test_glue_text_matches_myst_nb_formatting() -> None:
    g = {"a": {"text/plain": "0.20975"}, "b": {"text/plain": "1988"}, "c": {"text/plain": "'Acme & co'"}}
    assert report.glue_text(g, "a:.1%") == "21.0%"
    assert report.glue_text(g, "b:,d") == "1,988"
    assert report.glue_text(g, "b") == "1988"
    assert report.glue_text(g, "c") == "Acme &amp; co"
    assert 'class="missing"' in report.glue_text(g, "zzz:.1f")


def test_citations_are_short_author_year() -> None:
    assert (
        report.cite("wilson1927,brown2001", textual=False)
        == '<span class="cite">(Wilson 1927; Brown et al. 2001)</span>'
    )
    assert report.cite("seed002", textual=True) == '<span class="cite">Management synthesis (2010)</span>'
    assert report.cite("no-such-key", textual=False) == '<span class="cite">(no-such-key)</span>'


def test_split_directive_options_and_body() -> None:
    assert report.split_directive(":name: fig-a\n:class: x y\n\nCaption") == (
        {"name": "fig-a", "class": "x y"},
        "\nCaption",
    )
    assert report.split_directive("---\nclass: tip\n---\nBody") == ({"class": "tip"}, "Body")


def test_reports_of_every_chapter_render_offline_in_chromium(tmp_path: Path) -> None:
    """Reports built from the committed chapters, opened from disk in Chromium with every non-file request
    aborted: no request, no console error, every chart drawn (its SVG holds data marks)."""
    from playwright.sync_api import sync_playwright

    from casebook.build.browser import CHROMIUM, HEADLESS_ARGS, OFFLINE_ARGS
    from casebook.paths import NOTEBOOKS

    pages = {}
    for nb_path in sorted(NOTEBOOKS.glob("*.ipynb")):
        nb = nbformat.read(nb_path, as_version=4)
        dest = tmp_path / f"{nb_path.stem}.html"
        report.write_report(nb, info(slug=nb_path.stem, title=nb_path.stem), dest)
        pages[nb_path.stem] = (dest, len(report.glued_outputs(nb)))
    requests, errors = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=HEADLESS_ARGS + OFFLINE_ARGS)
        page = browser.new_page(viewport={"width": 1100, "height": 1400})
        page.route(
            re.compile(r"^(?!file:|data:).*"),
            lambda route: (requests.append(route.request.url), route.abort()),
        )
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        drawn = {}
        for slug, (dest, _) in pages.items():
            page.goto(dest.as_uri())
            page.wait_for_function(
                """() => Array.from(document.querySelectorAll('.casebook-chart')).every(
                el => el.querySelector('svg g.role-mark > *') || el.textContent.trim().length > 0)""",
                timeout=20_000,
            )
            drawn[slug] = page.eval_on_selector_all(
                ".casebook-chart", "els => els.map(e => e.querySelectorAll('svg g.role-mark > *').length)"
            )
            if slug == "survey-evidence":
                page.screenshot(path=str(tmp_path / "survey-evidence.png"), full_page=True)
        browser.close()
    assert requests == [] and errors == []
    assert len(drawn["survey-evidence"]) == 2
    for slug, marks in drawn.items():
        assert marks and all(n > 0 for n in marks), (slug, marks)
    assert (tmp_path / "survey-evidence.png").stat().st_size > 50_000
