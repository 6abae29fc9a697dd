"""The workshop decks in a real browser (Debian's Chromium driven by playwright), after `make slides`.

Every deck of `_build/slides/` (English) and `_build/slides/fr/` (French) is opened from disk (file://),
as a trainer opens it, with the network made unreachable (OFFLINE_ARGS) and every request that is not for
a local file blocked and recorded. Checks: one deck per chapter and language, no request to another host,
no console error, every chart drawn (its SVG holds marks), a chart answers the mouse with a tooltip,
ArrowRight moves to the next slide, no slide runs off the bottom of the screen, and a French deck is
French (``<html lang="fr">``, a « Chapitre » kicker).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from casebook.build import kit, slides
from casebook.build.browser import CHART_STATE_JS, CHARTS_DRAWN_JS, CHROMIUM, HEADLESS_ARGS, OFFLINE_ARGS
from casebook.paths import ROOT

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("slides")]

SLIDES = ROOT / "_build" / "slides"
HEIGHT = slides.REVEAL_CONFIG["height"]


@dataclass
class Visit:
    """What happened while one deck was shown."""

    slug: str  # "SLUG" for an English deck, "fr/SLUG" for a French one
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    charts: list[dict] = field(default_factory=list)
    sections: int = 0
    before: dict = field(default_factory=dict)
    after: dict = field(default_factory=dict)
    too_tall: list[tuple[int, int]] = field(default_factory=list)  # (slide, height) of slides that run off
    tooltip: str = ""  # what hovering the first chart's marks showed
    lang: str = ""  # the document's lang attribute
    kicker: str = ""  # the title slide's kicker, as shown


def hover_first_chart(page, tries: int = 40) -> str:
    """Go to the deck's first chart slide and hover its marks until vega shows a tooltip; its text."""
    first = page.evaluate("Array.from(document.querySelectorAll('.reveal .slides > section'))"
                          ".findIndex(s => s.dataset.kind === 'chart')")
    page.evaluate(f"Reveal.slide({first})")
    marks = page.locator("section.present .casebook-chart g.role-mark > *")
    for i in range(min(tries, marks.count())):
        with contextlib.suppress(PlaywrightError):
            marks.nth(i).hover(force=True, timeout=2_000)
        text = page.evaluate("(() => { const t = document.getElementById('vg-tooltip-element');"
                             " return t && t.classList.contains('visible') ? t.textContent : ''; })()")
        if text:
            return text
    return ""


def decks() -> list[str]:
    """The decks built: ``SLUG`` in English, ``LANG/SLUG`` in another language."""
    folders = [SLIDES] + [SLIDES / lang for lang in slides.LANGS[1:]]
    return sorted(p.relative_to(SLIDES).with_suffix("").as_posix() for folder in folders for p in folder.glob("*.html"))


@pytest.fixture(scope="module")
def visits() -> dict[str, Visit]:
    if not decks():
        pytest.fail("the slides are not built: run `make slides` (make test builds them before these checks)")
    out = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=HEADLESS_ARGS + OFFLINE_ARGS)
        for slug in decks():
            visit = Visit(slug)
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.route(lambda url: not url.startswith("file:"),
                       lambda route, v=visit: (v.blocked.append(route.request.url), route.abort("blockedbyclient")))
            page.on("console", lambda m, v=visit: v.errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e, v=visit: v.errors.append(f"uncaught: {e}"))
            page.goto((SLIDES / f"{slug}.html").as_uri(), wait_until="load")
            with contextlib.suppress(PlaywrightError):  # a chart that never draws is reported below
                page.wait_for_function(CHARTS_DRAWN_JS, timeout=30_000)
            page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=30_000)
            visit.charts = page.evaluate(CHART_STATE_JS)
            visit.lang = page.evaluate("document.documentElement.lang")
            visit.kicker = page.evaluate("document.querySelector('section.cb-title .cb-kicker').innerText")
            visit.sections = page.evaluate("document.querySelectorAll('.reveal .slides > section').length")
            visit.before = page.evaluate("Reveal.getIndices()")
            page.keyboard.press("ArrowRight")
            page.wait_for_timeout(200)
            visit.after = page.evaluate("Reveal.getIndices()")
            for i in range(page.evaluate("Reveal.getTotalSlides()")):
                height = page.evaluate(f"(Reveal.slide({i}), Reveal.getCurrentSlide().scrollHeight)")
                if height > HEIGHT:
                    visit.too_tall.append((i + 1, height))
            visit.tooltip = hover_first_chart(page)
            page.close()
            out[slug] = visit
        browser.close()
    return out


def test_one_deck_per_chapter(visits):
    expected = {f"{lang}/{slug}" if lang != slides.LANGS[0] else slug for lang in slides.LANGS for slug in kit.slugs()}
    assert set(visits) == expected


def test_french_decks_are_french(visits):
    langs = {s: (v.lang, v.kicker.split(" · ")[-1].split()[0].upper()) for s, v in visits.items()}
    assert {s: k for s, k in langs.items() if s.startswith("fr/") and k != ("fr", "CHAPITRE")} == {}
    assert {s: k for s, k in langs.items() if "/" not in s and k != ("en", "CHAPTER")} == {}


def test_no_request_leaves_the_machine(visits):
    assert {s: v.blocked for s, v in visits.items() if v.blocked} == {}


def test_no_console_error(visits):
    assert {s: v.errors for s, v in visits.items() if v.errors} == {}


def test_every_chart_is_drawn(visits):
    assert all(v.charts for v in visits.values()), "a deck has no chart"
    bad = {s: [c for c in v.charts if c["marks"] == 0] for s, v in visits.items()}
    assert {s: c for s, c in bad.items() if c} == {}


def test_arrow_right_moves_to_the_next_slide(visits):
    for slug, visit in visits.items():
        assert visit.sections >= 4, slug
        assert (visit.before["h"], visit.after["h"]) == (0, 1), slug


def test_no_slide_runs_off_the_screen(visits):
    assert {s: v.too_tall for s, v in visits.items() if v.too_tall} == {}


def test_charts_are_interactive(visits):
    assert {s: v.tooltip for s, v in visits.items() if not v.tooltip} == {}
