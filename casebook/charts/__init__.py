"""Charts (room charts): the theme, the offline renderer and the generic builders.

May import: the foundation. Charts take tables, never files.
"""

from casebook.charts.builders import bar_chart, dumbbell_chart, interval_chart, titled
from casebook.charts.render import (
    bundle_header,
    chart_id,
    enable,
    render_spec,
    script_json,
    vega_bundle,
    write_vega_bundle,
)
from casebook.charts.tables import figures_table, readable
from casebook.charts.theme import FONT, PALETTE, SIMULATED, WIDTH, simulated_title, theme
from casebook.charts.tooltips import KINDS, kind_of, tip, tips, tooltip_problems

__all__ = [
    "FONT", "KINDS", "PALETTE", "SIMULATED", "WIDTH", "bar_chart", "bundle_header", "chart_id", "dumbbell_chart",
    "enable", "figures_table", "interval_chart", "kind_of", "readable", "render_spec", "script_json", "simulated_title",
    "theme", "tip", "tips", "titled", "tooltip_problems", "vega_bundle", "write_vega_bundle",
]
