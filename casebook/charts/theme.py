"""The book's chart theme (room charts): palette, fonts, width, and the "simulated" label.

Imports nothing from the package.
"""

from __future__ import annotations

from typing import Any

PALETTE = ["#1f5f8b", "#e07b39", "#3a9a6e", "#b8455a", "#7a5ea8", "#8c8c3a", "#4d4d4d"]
SIMULATED = "simulated"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
WIDTH = 560

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


def simulated_title(title: str) -> str:
    """A chart title that says the data is simulated."""
    return title if SIMULATED in title.lower() else f"{title} (simulated)"
