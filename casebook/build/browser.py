"""Debian's Chromium, as the book's tools and tests drive it (headless, no network chatter) (room build).

May import: the foundation, charts, notebook and the executor.
"""

from __future__ import annotations

import os

#: Debian's package `chromium` (installed by .ci/run); ``CASEBOOK_CHROMIUM`` points elsewhere.
CHROMIUM = os.environ.get("CASEBOOK_CHROMIUM", "/usr/bin/chromium")
#: Flags for running as root in a sandboxed machine with no network beyond localhost.
HEADLESS_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Add to HEADLESS_ARGS to make every network request fail (a dead proxy on localhost).
OFFLINE_ARGS = ["--proxy-server=127.0.0.1:9"]
#: True once every chart has drawn its marks (or written an error text in its place).
CHARTS_DRAWN_JS = """() => Array.from(document.querySelectorAll('.casebook-chart')).every(
    el => el.querySelector('svg g.role-mark > *') || el.textContent.trim().length > 0)"""
#: Each chart's id, how many data marks vega drew (axes alone do not count) and, when no SVG was drawn,
#: the text written in its place (the first 200 characters).
CHART_STATE_JS = """() => Array.from(document.querySelectorAll('.casebook-chart')).map(el => ({
    id: el.id,
    marks: el.querySelectorAll('svg g.role-mark > *').length,
    text: el.querySelector('svg') ? '' : el.textContent.trim().slice(0, 200)}))"""
