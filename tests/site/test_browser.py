"""The built site in a real browser (Debian's Chromium driven by playwright), after `make book`.

The site is served on a localhost port from a thread; every page of `_build/html` is opened once with
every request to another host blocked and recorded. The tests then check, page by page: no request
left the machine, no console error, no failed request, every Altair chart drawn (its SVG holds marks),
and the page weight (HTML plus chart data, the shared `_static/` files excluded) under 1 MB. Chapters
are screenshotted (full page) into `_build/screenshots/`; the search page and the notebook download
links are exercised too.
"""

from __future__ import annotations

import contextlib
import functools
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, sync_playwright

from casebook.build.browser import CHART_STATE_JS, CHARTS_DRAWN_JS, CHROMIUM, HEADLESS_ARGS
from casebook.paths import NOTEBOOKS, ROOT

#: Integration stage; the tests share one crawl of the site, so they run on one xdist worker.
pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("browser")]

HTML = ROOT / "_build" / "html"
SHOTS = ROOT / "_build" / "screenshots"
MAX_PAGE_BYTES = 1_000_000
SEARCH_WORD = "engagement"


@dataclass
class Visit:
    """What happened while one page loaded."""

    path: str
    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    local: list[tuple[str, str]] = field(default_factory=list)  # (resource type, path)
    charts: list[dict] = field(default_factory=list)
    screenshot: Path | None = None


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature of the base class
        pass


def site_pages() -> list[str]:
    """Every HTML page of the site, as a path relative to `_build/html`."""
    return sorted(
        str(p.relative_to(HTML))
        for p in HTML.rglob("*.html")
        if not any(part.startswith("_") for part in p.relative_to(HTML).parts)  # each edition's _static
    )


@pytest.fixture(scope="module")
def server():
    if not (HTML / "index.html").exists():
        pytest.fail("the site is not built: run `make book` (make test builds it before these checks)")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(HTML)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser_context(server):
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=HEADLESS_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.blocked = []  # requests to other hosts, from every page

        def deny_other_hosts(route):
            context.blocked.append(route.request.url)
            route.abort("blockedbyclient")

        context.route(lambda url: not url.startswith(server + "/"), deny_other_hosts)
        yield context
        context.close()
        browser.close()


def open_page(context, server: str, path: str) -> tuple[Page, Visit]:
    """Open one page, recording console errors, failed, blocked and local requests."""
    visit = Visit(path)
    page = context.new_page()
    page.on("console", lambda m: visit.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: visit.console_errors.append(f"uncaught: {e}"))

    def on_request(request):
        if request.url.startswith(server + "/"):
            visit.local.append((request.resource_type, unquote(urlsplit(request.url).path)))
        else:
            visit.blocked.append(request.url)

    page.on("request", on_request)
    page.on(
        "requestfailed",
        lambda r: visit.failed.append(f"{r.url}: {r.failure}") if r.url.startswith(server + "/") else None,
    )
    page.on(
        "response", lambda r: visit.failed.append(f"{r.url}: HTTP {r.status}") if r.status >= 400 else None
    )
    page.goto(f"{server}/{path}", wait_until="load")
    with contextlib.suppress(PlaywrightError):  # best effort: late requests are still recorded above
        page.wait_for_load_state("networkidle", timeout=10_000)
    return page, visit


@pytest.fixture(scope="module")
def visits(browser_context, server) -> dict[str, Visit]:
    """Every page opened once; chapters screenshotted into `_build/screenshots/`."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    out = {}
    for path in site_pages():
        page, visit = open_page(browser_context, server, path)
        with contextlib.suppress(PlaywrightError):  # a chart that never draws is reported below
            page.wait_for_function(CHARTS_DRAWN_JS, timeout=30_000)
        visit.charts = page.evaluate(CHART_STATE_JS)
        if path.startswith("notebooks/"):
            visit.screenshot = SHOTS / (Path(path).stem + ".png")
            page.screenshot(path=str(visit.screenshot), full_page=True)
        page.close()
        out[path] = visit
    return out


def toc_chapters() -> list[str]:
    """The notebook chapters listed in _toc.yml (file stems)."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [e["file"] for part in toc.get("parts", []) for e in part.get("chapters", [])]
    return [Path(f).name for f in files if (NOTEBOOKS / f"{Path(f).name}.ipynb").exists()]


def visited_chapters(visits: dict[str, Visit]) -> list[str]:
    """The chapter pages among the pages opened."""
    return [p for p in visits if p.startswith("notebooks/")]


def test_the_site_has_pages_and_chapters(visits):
    assert "index.html" in visits and "search.html" in visits
    chapters = {Path(p).stem for p in visited_chapters(visits)}
    assert chapters == set(toc_chapters()), "the site and _toc.yml differ: rebuild the site"


def test_no_request_leaves_the_machine(visits, browser_context):
    offenders = {p: v.blocked for p, v in visits.items() if v.blocked}
    assert offenders == {}
    assert browser_context.blocked == []


def test_no_console_error(visits):
    assert {p: v.console_errors for p, v in visits.items() if v.console_errors} == {}


def test_no_failed_request(visits):
    assert {p: v.failed for p, v in visits.items() if v.failed} == {}


def test_every_chart_is_drawn(visits):
    chapters = visited_chapters(visits)
    assert chapters and all(visits[c].charts for c in chapters), "a chapter page has no chart"
    bad = {p: [c for c in v.charts if c["marks"] == 0] for p, v in visits.items()}
    assert {p: c for p, c in bad.items() if c} == {}


def test_every_chapter_is_screenshotted(visits):
    assert visited_chapters(visits)
    for path in visited_chapters(visits):
        shot = visits[path].screenshot
        assert shot is not None and shot.exists(), path
        png = shot.read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n", shot
        width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
        assert width == 1280 and height > 900, f"{shot}: {width}×{height}"


def page_weight(visit: Visit) -> int:
    """Bytes of the page's HTML plus any chart data it fetched (shared `_static/` files not counted)."""
    paths = {
        p for kind, p in visit.local if kind in ("document", "fetch", "xhr") and not p.startswith("/_static/")
    }
    paths.add("/" + visit.path)
    return sum((HTML / p.lstrip("/")).stat().st_size for p in paths if (HTML / p.lstrip("/")).is_file())


def test_page_weight_under_1_mb(visits):
    weights = {p: page_weight(v) for p, v in visits.items()}
    assert all(w > 1000 for w in weights.values()), weights
    assert {p: w for p, w in weights.items() if w >= MAX_PAGE_BYTES} == {}


def chapters_using(word: str) -> set[str]:
    """Chapter pages (of the table of contents) whose notebook's text (markdown cells) uses ``word``."""
    out = set()
    for nb in (NOTEBOOKS / f"{stem}.ipynb" for stem in toc_chapters()):
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        text = " ".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
        if re.search(rf"\b{word}\b", text, re.I):
            out.add(f"notebooks/{nb.stem}.html")
    return out


def search(context, server: str, path: str, done: str) -> tuple[set[str], Visit]:
    """Open a search page and wait for its summary to say it is done (``done``: a regular expression of
    the page's language); the paths of the pages it lists, and the visit."""
    page, visit = open_page(context, server, path)
    page.wait_for_function(
        "(done) => document.querySelector('#search-results .search-summary') !== null "
        "&& new RegExp(done, 'i').test(document.querySelector('#search-results .search-summary').textContent)",
        arg=done, timeout=30_000,
    )
    hrefs = page.eval_on_selector_all("#search-results ul.search li a", "els => els.map(a => a.href)")
    page.close()
    return {urlsplit(h).path.lstrip("/") for h in hrefs}, visit


def test_search_lists_the_chapters_that_use_the_word(browser_context, server):
    expected = chapters_using(SEARCH_WORD)
    assert expected, f"no chapter uses {SEARCH_WORD!r}: the page-audit chapters should"
    found, visit = search(browser_context, server, f"search.html?q={SEARCH_WORD}", "found")
    assert expected <= found, f"missing from the results: {sorted(expected - found)}"
    assert visit.console_errors == [] and visit.failed == [] and visit.blocked == []


def chapters_in_french_using(stem: str) -> set[str]:
    """French chapter pages whose translated text (their catalog) has a word starting with ``stem``."""
    from babel.messages.pofile import read_po

    out = set()
    for name in toc_chapters():
        with (ROOT / "book" / "locales" / "fr" / "LC_MESSAGES" / "notebooks" / f"{name}.po").open("rb") as f:
            text = " ".join(m.string for m in read_po(f) if m.id and m.string)
        if re.search(rf"\b{stem}\w*", text, re.I):
            out.add(f"fr/notebooks/{name}.html")
    return out


def test_the_french_search_finds_french_words_in_any_form(browser_context, server):
    expected = chapters_in_french_using("publication")  # "publication" and "publications": one French stem
    assert expected, "no French chapter speaks of publications: the page chapters should"
    found, visit = search(browser_context, server, "fr/search.html?q=publications", "trouvé|résultat")
    assert expected <= found, f"missing from the French results: {sorted(expected - found)}"
    assert all(p.startswith("fr/") for p in found), "the French search lists pages of the English edition"
    assert visit.console_errors == [] and visit.failed == [] and visit.blocked == []


def test_each_chapter_download_link_returns_its_notebook(visits, browser_context, server):
    assert visited_chapters(visits)
    for path in visited_chapters(visits):
        page, _ = open_page(browser_context, server, path)
        links = page.eval_on_selector_all("a.download[href$='.ipynb']", "els => els.map(a => a.href)")
        links += page.eval_on_selector_all("a[href$='.ipynb']:not(.download)", "els => els.map(a => a.href)")
        title = page.eval_on_selector("h1", "h => h.textContent").replace("#", "").strip()
        page.close()
        assert links and "/_downloads/" in links[0], f"{path}: no {{download}} link to the notebook"
        for link in links:
            response = browser_context.request.get(link)
            assert response.status == 200, f"{link}: HTTP {response.status}"
            notebook = json.loads(response.body())
            assert notebook["nbformat"] == 4 and notebook["cells"], link
            assert Path(urlsplit(link).path).name == Path(path).stem + ".ipynb", link
            first = "".join(notebook["cells"][0]["source"])
            assert first.startswith("# ") and " ".join(first[2:].split("\n")[0].split()) == " ".join(
                title.split()
            ), f"{link}: its first cell is not the page's title {title!r}"
