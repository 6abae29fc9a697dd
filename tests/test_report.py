"""The standalone HTML report: the book's Sphinx pipeline on one page, data escaped, one file, no network."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from casebook import charts
from casebook.build import report

PREFIX = "application/papermill.record/"
XSS = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def glued(name: str, text: str, html: str | None = None) -> dict:
    data = {PREFIX + "text/plain": text}
    if html is not None:
        data[PREFIX + "text/html"] = html
    return new_output("display_data", data=data, metadata={"scrapbook": {"name": name, "mime_prefix": PREFIX}})


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
            "# Demo chapter\n\nIntro with a [relative link](../book/how-to-use.md) "
            "and an [outside link](https://example.org)."
        ),
        new_markdown_cell(":::{admonition} Learning objectives\n:class: tip\n- read {glue:text}`share:.1%`\n:::"),
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
            metadata={"tags": ["remove-output"]},
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
        new_code_cell("print('hello <world>')", outputs=[new_output("stream", name="stdout", text="hello <world>\n")]),
        new_markdown_cell(
            "## Analysis\n\nAsked {glue:text}`n:,.0f` people; brand {glue:text}`who` {cite:p}`wilson1927` "
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
            "It is 42.\n```{solution-end}\n```\n\n:::{admonition} Fact check: x\n:class: fact-check\nBody.\n:::"
        ),
    ]
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


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
        data_file="my <file>.csv",
        run_at=dt.datetime(2026, 11, 23, 17, 5, tzinfo=dt.UTC),
        brand=XSS,
    )
    base.update(kw)
    return report.RunInfo(**base)


class Page(HTMLParser):
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

    def visible(self) -> str:
        return re.sub(r"\s+", " ", "".join(self.text))


def parse(html: str) -> Page:
    p = Page()
    p.feed(html)
    return p


@pytest.fixture(scope="module")
def html(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The demo notebook's report, built once for the module."""
    dest = tmp_path_factory.mktemp("report") / "demo.html"
    assert report.write_report(notebook(), info(), dest) == dest
    return dest.read_text(encoding="utf-8")


def test_the_page_is_built_by_sphinx_without_warnings(tmp_path: Path) -> None:
    page, warnings = report.build_page(notebook(), "demo", tmp_path)
    assert warnings == ""
    assert page == tmp_path / "html" / "demo.html" and page.is_file()


def test_myst_markup_is_resolved_as_the_book_resolves_it(html: str) -> None:
    text = parse(html).visible()
    assert "read 21.0%" in text  # {glue:text}`share:.1%`
    assert "Asked 1,988 people" in text  # {glue:text}`n:,.0f`
    assert "[Wilson, 1927]" in text  # {cite:p}, author_year as in the book
    assert "Brown et al. [2001]" in text  # {cite:t}
    assert "see Fig. 1," in text and "Fig. 1 The caption here." in text
    assert "Learning objectives" in text and "Fact check: x" in text
    assert "Exercise 1" in text and "Solution to Exercise 1" in text
    assert "References" in text and "Probable inference" in text  # the cited works, listed at the end
    for raw in ("{glue", "{cite", "{numref", ":::", "```", ":class:", ":label:", "{bibliography}"):
        assert raw not in text, raw
    assert 'class="tip admonition"' in html and 'class="fact-check admonition"' in html
    # the gated solution holds the code cell between its start and end
    solution = html[html.index('class="solution') :]
    assert solution.index("answer") < solution.index("It is 42.")


def test_code_cells_as_in_the_book_and_parameter_cells_removed(html: str) -> None:
    assert "secret_code_marker" in html
    assert "from casebook import book" not in html  # remove-cell
    assert "confidence = 0.95" not in html  # the parameters cell: the header shows the values used
    assert "confidence = 0.9" not in html  # papermill's injected cell
    assert "hello &lt;world&gt;" in html


def test_header_shows_title_parameters_data_file_and_date(html: str) -> None:
    start = html.index('<header class="cb-header" lang="en">')
    header = html[start : html.index("</header>", start)]
    assert "<h1>Demo chapter</h1>" in header
    assert html[html.index("<article") :].count("<h1") == 1  # the header replaces the notebook's title
    assert "2026-11-23 17:05 UTC" in header
    assert "<code>my &lt;file&gt;.csv</code>" in header
    assert '<th scope="row">confidence</th><td><code>0.9</code></td><td>set for this run</td>' in header
    assert "<td><code>[0, 0.5]</code></td><td>default</td>" in header
    assert '<th scope="row">since</th><td><span class="empty">(empty)</span></td><td>default</td>' in header
    assert f"<title>Demo chapter — {ESCAPED}</title>" in html


def test_text_from_data_and_parameters_is_escaped(html: str) -> None:
    assert XSS not in html
    assert "alert(1)" in parse(html).visible()  # shown as text ...
    assert html.count(ESCAPED) >= 4  # page title, brand and parameter in the header, glued text
    assert f'<span class="pasted-text">{ESCAPED}</span>' in html  # the glued text, escaped by myst-nb
    # inside the chart's inline script no markup survives: < > & are JSON escapes
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in html


def test_render_header_escapes_every_field() -> None:
    header = report.render_header(info(slug="<s>", title="<t>", data_file="<d>"))
    assert "<s>" not in header and "<t>" not in header and "<d>" not in header and XSS not in header
    assert "<h1>&lt;t&gt;</h1>" in header and "<code>&lt;d&gt;</code>" in header
    assert "Data file" not in report.render_header(info(data_file=None))
    assert "<table" not in report.render_header(info(parameters=[]))


def test_display_value_reads_as_typed() -> None:
    assert report.display_value("plain text") == "plain text"
    assert report.display_value([0, 0.5]) == "[0, 0.5]"
    assert report.display_value({"budget": "partly"}) == '{"budget": "partly"}'
    assert report.display_value(0.1) == "0.1" and report.display_value(20000) == "20000"


def test_one_file_with_no_network_or_file_reference(html: str) -> None:
    p = parse(html)
    for tag, attrs in p.tags:
        assert tag != "link", attrs  # every stylesheet is inlined, nothing preloaded
        assert tag not in ("iframe", "object", "embed", "form"), tag
        src = attrs.get("src")
        assert src is None or src.startswith("data:"), (tag, src)
        if "href" in attrs:  # only anchors, to this page or to the web (a click, not a load)
            assert tag == "a" and re.match(r"^(#|https://|mailto:)", attrs["href"]), (tag, attrs["href"])
    assert "https://example.org" in [a.get("href") for t, a in p.tags if t == "a"]
    assert "relative link" in p.visible()  # a link to another page of the book becomes text
    styles = re.findall(r"<style[^>]*>(.*?)</style>", html, re.S)
    assert styles and not any(re.search(r"@import|url\(\s*(?!['\"]?data:)", s) for s in styles)
    assert html.count("window.VEGA_DEBUG") == 1 and "vegaEmbed" in html  # the vega bundle, once
    assert '<div class="casebook-chart" id="cb-chart-test"></div>' in html


def test_inline_css_embeds_local_files_and_keeps_woff2_only(tmp_path: Path) -> None:
    (tmp_path / "f.woff2").write_bytes(b"font")
    (tmp_path / "f.ttf").write_bytes(b"big")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "base.css").write_text("q{background:url(../f.woff2)}")
    css = (
        '@import "sub/base.css";src:url(f.woff2) format("woff2"),url(f.ttf) format("truetype");'
        'b:url("x.png");c:url(data:a)'
    )
    out = report.inline_css(css, tmp_path)
    assert out.startswith('q{background:url("data:font/woff2;base64,Zm9udA==")}src:')
    assert 'url("data:font/woff2;base64,Zm9udA==") format("woff2");' in out
    assert "f.ttf" not in out and 'url("x.png")' in out and "url(data:a)" in out  # missing file kept as is


def test_inline_assets_inlines_and_unwraps(tmp_path: Path) -> None:
    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "a.css").write_text("p{color:red}</style>")
    (tmp_path / "_static" / "a.js").write_text("var s='</script>';")
    (tmp_path / "_static" / "searchtools.js").write_text("search()")
    (tmp_path / "i.png").write_bytes(b"png")
    page = tmp_path / "p.html"
    page.write_text(
        '<html><head><link rel="stylesheet" href="_static/a.css?v=1"><link rel="index" href="genindex.html">'
        '<script src="_static/a.js"></script><script src="_static/searchtools.js"></script></head>'
        '<body><img src="i.png"><a href="other.html">other</a><a href="#x">x</a>'
        '<form action="search.html"><input></form></body></html>'
    )
    out = str(report.inline_assets(page))
    assert "<style>p{color:red}<\\/style></style>" in out
    assert "<script>var s='<\\/script>';</script>" in out and "search()" not in out
    assert '<img src="data:image/png;base64,cG5n"/>' in out
    assert "<link" not in out and "<form" not in out and 'href="other.html"' not in out
    assert "other" in out and '<a href="#x">x</a>' in out


def test_chapter_numbers_follow_the_table_of_contents(tmp_path: Path) -> None:
    assert report.chapter_number("survey-evidence") == 1
    assert report.chapter_number("no-such-chapter") is None
    toc = tmp_path / "_toc.yml"
    toc.write_text(
        "root: intro\nparts:\n- caption: A\n  numbered: true\n  chapters:\n  - file: notebooks/a\n"
        "- caption: B\n  chapters:\n  - file: notebooks/b\n"
        "- caption: C\n  numbered: true\n  chapters:\n  - file: notebooks/c.ipynb\n"
    )
    assert [report.chapter_number(s, toc) for s in "abc"] == [1, None, 2]


def test_a_numbered_chapter_carries_the_books_numbers(tmp_path: Path) -> None:
    page, warnings = report.build_page(notebook(), "volvo", tmp_path)  # chapter 5 of the book
    text = parse(page.read_text(encoding="utf-8")).visible()
    assert warnings == ""
    assert "5.1. Analysis" in text and "Fig. 5.1 The caption here." in text and "Exercise 5.1" in text


def test_warm_up_builds_a_page_in_the_background() -> None:
    import sys

    thread = report.warm_up()
    assert thread.daemon
    thread.join(timeout=300)
    assert not thread.is_alive()
    assert {"sphinx.application", "myst_nb.sphinx_ext", "sphinx_book_theme", "sphinxcontrib.bibtex"} <= set(sys.modules)


HOSTILE = "Acme <!--<script>"


def _hostile_report(dest: Path) -> Path:
    """A report whose middle chart carries a brand name that once derailed every script after it."""
    import altair as alt
    import pandas as pd

    charts.enable()
    table = pd.DataFrame({"label": ["a", "b"], "value": [1, 2]})
    cells = [nbformat.v4.new_markdown_cell("# A brand page\n\nText.")]  # prose is the book's, never data
    for title in ("Before", HOSTILE, "After"):
        chart = alt.Chart(table).mark_bar().encode(x="label", y="value").properties(title=title)
        out = nbformat.v4.new_output("display_data", data={"text/html": charts.render_spec(chart.to_dict()),
                                                            "text/plain": "<Chart>"})
        cells.append(nbformat.v4.new_code_cell("chart", outputs=[out]))
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return report.write_report(nb, info(slug="hostile", title=HOSTILE, brand=HOSTILE), dest)


@pytest.mark.integration
def test_reports_of_every_chapter_render_offline_in_chromium(tmp_path: Path) -> None:
    """Reports built from the committed chapters, opened from disk in Chromium with every non-file request
    aborted: no request, no console error, every chart drawn (its SVG holds data marks)."""
    from playwright.sync_api import sync_playwright

    from casebook.build.browser import CHARTS_DRAWN_JS, CHROMIUM, HEADLESS_ARGS, OFFLINE_ARGS
    from casebook.paths import NOTEBOOKS

    pages = {}
    for nb_path in sorted(NOTEBOOKS.glob("*.ipynb")):
        nb = nbformat.read(nb_path, as_version=4)
        dest = tmp_path / f"{nb_path.stem}.html"
        report.write_report(nb, info(slug=nb_path.stem, title=nb_path.stem), dest)
        pages[nb_path.stem] = dest
    pages["hostile"] = _hostile_report(tmp_path / "hostile.html")
    requests, errors = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=HEADLESS_ARGS + OFFLINE_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1400})
        page.route(
            re.compile(r"^(?!file:|data:).*"),
            lambda route: (requests.append(route.request.url), route.abort()),
        )
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        drawn = {}
        for slug, dest in pages.items():
            page.goto(dest.as_uri())
            page.wait_for_function(CHARTS_DRAWN_JS, timeout=20_000)
            drawn[slug] = page.eval_on_selector_all(
                ".casebook-chart", "els => els.map(e => e.querySelectorAll('svg g.role-mark > *').length)"
            )
            if slug == "survey-evidence":
                page.screenshot(path=str(tmp_path / "survey-evidence.png"), full_page=True)
        browser.close()
    assert requests == [] and errors == []
    assert len(drawn["survey-evidence"]) == 2
    assert len(drawn["hostile"]) == 3  # a brand name with <!--<script> breaks no chart, before or after it
    for slug, marks in drawn.items():
        assert marks and all(n > 0 for n in marks), (slug, marks)
    assert (tmp_path / "survey-evidence.png").stat().st_size > 50_000


def test_the_header_is_written_in_the_reports_language() -> None:
    info = report.RunInfo(slug="sncf", title="SNCF : le social commerce", parameters=[("n", 5, True), ("x", "", False)],
                          data_file="a.csv", lang="fr")
    header = report.render_header(info)
    assert '<header class="cb-header" lang="fr">' in header and "<caption>Paramètres</caption>" in header
    assert "<dt>Fichier de données</dt>" in header and "défini pour cette exécution" in header
    assert "(vide)" in header and "par défaut" in header
    english = report.render_header(dataclasses.replace(info, lang="en"))
    assert "<caption>Parameters</caption>" in english and "<dt>Data file</dt>" in english
    from casebook import i18n

    assert i18n.current() == "en"  # the header leaves the language as it found it


def test_the_default_page_name_is_written_in_the_reports_language() -> None:
    uci, french_uci = "A cosmetics brand's page (UCI)", "La page d’une marque de cosmétiques (UCI)"
    french = report.RunInfo(slug="1800-flowers", title="1-800-Flowers", brand=uci, lang="fr")
    assert report.brand_name(french) == french_uci
    assert f'<p class="cb-brand">{french_uci}</p>' in report.render_header(french)
    english = dataclasses.replace(french, lang="en")
    assert report.brand_name(english) == uci
    assert f'<p class="cb-brand">{report.esc(uci)}</p>' in report.render_header(english)
    assert report.brand_name(dataclasses.replace(french, brand="Ma marque")) == "Ma marque"  # a name as given
    assert report.brand_name(dataclasses.replace(french, brand=None)) is None
    page = "<html><head><title>x</title></head><body><article><h1>1-800-Flowers</h1></article></body></html>"
    finished = report._finish(report.BeautifulSoup(page, "html.parser"), french)
    assert f"<title>1-800-Flowers — {french_uci}</title>" in finished and "brand's" not in finished
    finished = report._finish(report.BeautifulSoup(page, "html.parser"), english)
    assert f"<title>1-800-Flowers — {uci}</title>" in finished
    from casebook import i18n

    assert i18n.current() == "en"


def test_a_french_page_reads_the_chapters_catalog() -> None:
    config = report.page_config("sncf", "fr")
    assert config["language"] == "fr" and config["gettext_compact"] == "notebooks/sncf"
    assert config["locale_dirs"] == [str(report.ROOT / "book" / "locales")]
    assert "language" not in report.page_config("sncf") or report.page_config("sncf")["language"] == "en"
