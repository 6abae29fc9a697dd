"""The book's chart theme (room charts): palette, fonts, width, and the "simulated" label.

May import: the foundation (i18n: the language's number and date conventions, the "simulated" label).
"""

from __future__ import annotations

from typing import Any

from casebook import i18n
from casebook.i18n import gettext as _

PALETTE = ["#1f5f8b", "#e07b39", "#3a9a6e", "#b8455a", "#7a5ea8", "#8c8c3a", "#4d4d4d"]
SIMULATED = "simulated"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
WIDTH = 560
#: How dates are written on time axes and in tooltips where a chart does not say, beyond English (whose
#: default, Vega-Lite's "%b %d, %Y", is kept): French puts the day first, "9 sept. 2011".
TIME_FORMATS = {"fr": "%-d %b %Y"}

def theme() -> dict[str, Any]:
    """The book's Altair theme: colour-blind-safe palette, system fonts, light grid; in a language other
    than English, that language's number and date conventions (axes, labels and tooltips)."""
    config: dict[str, Any] = {"config": {
            "view": {"continuousWidth": WIDTH, "continuousHeight": 300, "stroke": None},
            "font": FONT,
            "range": {"category": PALETTE},
            "title": {"anchor": "start", "fontSize": 15, "subtitleFontSize": 12, "subtitleColor": "#555"},
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "gridColor": "#e6e6e6", "domainColor": "#888"},
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom"},
    }}
    if i18n.current() != i18n.LANGS[0]:
        config["config"]["locale"] = i18n.vega_locale(i18n.current())
        config["config"]["timeFormat"] = TIME_FORMATS[i18n.current()]
    return config


def time_format() -> str | None:
    """The format of a time axis with a time unit in the current language (Vega-Lite's own, ``"%b %d, %Y"``,
    ignores ``timeFormat``), or None in English, whose charts keep Vega-Lite's."""
    return TIME_FORMATS.get(i18n.current())


def simulated_label() -> str:
    """The word that marks simulated data (:data:`SIMULATED`), in the current language."""
    return _("simulated")


def simulated_title(title: str) -> str:
    """A chart title that says the data is simulated (in the current language)."""
    word = simulated_label()
    return title if word in title.lower() else _("{title} (simulated)").format(title=title)
