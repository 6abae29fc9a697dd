"""What every chapter notebook calls first (foundation): set-up, and gluing numbers and charts into the prose.

May import: charts, i18n.
"""

from __future__ import annotations

import ast
import numbers
from collections.abc import Callable, Mapping
from typing import Any

# altair, numpy, pandas and charts are imported where they are used: reading glued values back
# (glued_scalars, in `casebook run` and the build) needs none of them.


def setup() -> None:
    """Enable the book's chart theme and offline renderer and its table display settings."""
    import pandas as pd

    from casebook import charts

    charts.enable()
    pd.set_option("display.max_columns", 30)
    pd.set_option("display.width", 120)
    pd.set_option("display.precision", 3)


def language(lang: str) -> Callable[[str], str]:
    """Run the rest of the chapter in ``lang`` (its ``lang`` parameter, ``"en"`` or ``"fr"``): words from
    the catalog, numbers and dates written the language's way, charts with its conventions. Returns the
    function that translates a chapter's own words: ``tr = book.language(lang)``, then ``tr("Posts a week")``."""
    from casebook import i18n

    return i18n.use(lang)


def plain(value: Any) -> Any:
    """Turn numpy and pandas scalars into Python ones, so glued text reads ``0.21``, not ``np.float64(0.21)``."""
    import numpy as np
    import pandas as pd

    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return float(value)
    return value


def plain_data(value: Any) -> Any:
    """A list of dicts of scalars (one entry per page) as plain Python data: NaN becomes None."""
    if isinstance(value, Mapping):
        return {str(k): plain_data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain_data(v) for v in value]
    value = plain(value)
    if isinstance(value, float) and value != value:
        return None
    if value is not None and not isinstance(value, (int, float, str, bool)):
        raise TypeError(f"expected numbers, text, lists or dicts, got {type(value).__name__}")
    return value


def glue(name: str, value: Any) -> None:
    """Glue a scalar, a list of records or a chart under ``name``, hidden where it is computed.

    Scalars become Python numbers or strings, so ``{glue:text}`name:.1%``` formats them and the
    command line can write them to ``figures.json``; a list (of dicts of scalars) goes there as it is.
    Charts are placed with ``{glue:figure}``.
    """
    import altair as alt
    from myst_nb import glue as _glue

    if isinstance(value, alt.TopLevelMixin):
        _glue(name, value, display=False)
        return
    if isinstance(value, list):
        _glue(name, plain_data(value), display=False)
        return
    value = plain(value)
    if not isinstance(value, (int, float, str, bool)):
        raise TypeError(f"glue {name!r}: expected a number, a string, a list or a chart, got {type(value).__name__}")
    _glue(name, value, display=False)


def glue_all(figures: Mapping[str, Any], prefix: str = "") -> None:
    """Glue every entry of ``figures`` (an analysis's figures dict: numbers, text or charts), each under
    ``prefix + name``; the prose quotes them with ``{glue:text}`name:.1%```."""
    for name, value in figures.items():
        glue(prefix + name, value)


def glued_scalars(notebook: dict) -> dict[str, Any]:
    """Every glued scalar of an executed notebook (nbformat dict), by name, in glue order.

    A missing value (glued NaN) comes back as None, so ``figures.json`` holds ``null``, valid JSON.
    """
    out: dict[str, Any] = {}
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        for output in cell.get("outputs", []):
            meta = output.get("metadata", {}).get("scrapbook")
            if not meta:
                continue
            data = output.get("data", {})
            prefix = meta.get("mime_prefix", "")
            if any(k.startswith(prefix + "text/html") for k in data):
                continue  # a chart or a table, not a scalar
            text = data.get(prefix + "text/plain")
            if text is None:
                continue
            text = "".join(text) if isinstance(text, list) else text
            if text in ("nan", "inf", "-inf"):
                out[meta["name"]] = None if text == "nan" else float(text)
                continue
            try:
                out[meta["name"]] = ast.literal_eval(text)
            except (SyntaxError, ValueError):
                out[meta["name"]] = text
    return out
