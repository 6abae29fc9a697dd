"""Languages (room i18n, part of the foundation): the language a chapter runs in, its words, and numbers and dates written for it.

A chapter calls :func:`use` with its ``lang`` parameter; from then on :func:`gettext` (``_`` in the
package, ``tr`` in the notebooks) gives the words of that language from the package's catalog
(``casebook/i18n/locales/fr/LC_MESSAGES/casebook.po``, kept in step by ``make catalogs``), and :func:`fmt`,
:func:`number`, :func:`percent` and :func:`date` write numbers and dates the way that language does,
through Babel (``0,021``, ``27,8 %``, ``9 septembre 2011``). English keeps Python's own formatting, so
the English edition reads as it always did. Charts get the same conventions through :func:`vega_locale`.

May import: the standard library and Babel only.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import decimal
import re
import string
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

#: The languages of the book, the first being the source language.
LANGS = ("en", "fr")
#: The Babel locale of each language (British English: "9 September 2011").
LOCALES = {"en": "en_GB", "fr": "fr_FR"}
#: Where the package's catalogs live (one ``LANG/LC_MESSAGES/casebook.po`` per translated language).
LOCALE_DIR = Path(__file__).resolve().parent / "locales"
DOMAIN = "casebook"

_current = "en"


def check(lang: str) -> str:
    """``lang`` if the book has that language, else ValueError naming the ones it has."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}: expected one of {', '.join(LANGS)}")
    return lang


def use(lang: str) -> Callable[[str], str]:
    """Make ``lang`` the language of what is computed from now on; returns :func:`gettext`."""
    global _current
    _current = check(lang)
    return gettext


@contextlib.contextmanager
def using(lang: str) -> Iterator[Callable[[str], str]]:
    """Write in ``lang`` inside the ``with`` block (yields :func:`gettext`), then in the language before."""
    before = _current
    use(lang)
    try:
        yield gettext
    finally:
        use(before)


def current() -> str:
    """The language in use (``"en"`` until a chapter calls :func:`use`)."""
    return _current


def catalog_path(lang: str) -> Path:
    """The package's catalog of ``lang``."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def messages(lang: str) -> dict[str, str]:
    """The translated messages of ``lang`` (msgid → msgstr) from every catalog of its folder; fuzzy and
    empty entries are left out, so they fall back to English (``make test`` fails on any)."""
    if lang == LANGS[0]:
        return {}
    from babel.messages.pofile import read_po

    out: dict[str, str] = {}
    for path in sorted(catalog_path(lang).parent.glob("*.po")):
        with path.open("rb") as f:
            catalog = read_po(f)
        out.update({m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy and isinstance(m.id, str)})
    return out


def gettext(message: str) -> str:
    """``message`` in the current language (unchanged in English or when it has no translation yet)."""
    return messages(_current).get(message, message) if _current != LANGS[0] else message


_ = gettext

_SPEC = re.compile(r"^(?P<sign>[+]?)(?P<group>,?)(?:\.(?P<prec>\d+))?(?P<type>[dfg%s]?)$")


def _locale(lang: str | None) -> str:
    return LOCALES[check(lang or _current)]


def _pattern(kind: str, decimals: int | None, group: bool, lang: str | None) -> Any:
    """The language's own number pattern (decimal or percent), with ``decimals`` fixed and grouping on or off."""
    from babel import Locale
    from babel.numbers import parse_pattern

    loc = Locale.parse(_locale(lang))
    formats = loc.percent_formats if kind == "percent" else loc.decimal_formats
    pattern = copy.copy(parse_pattern(formats[None]))
    if decimals is not None:
        pattern.frac_prec = (decimals, decimals)
    if not group:
        pattern.grouping = (1000, 1000)  # no separator for numbers under 10^1000
    return pattern


def _exact(value: float | int) -> decimal.Decimal:
    """The value as an exact decimal, so rounding matches Python's format (``2.675`` → ``2.67``)."""
    return decimal.Decimal(value) if isinstance(value, float) else decimal.Decimal(int(value))


def number(value: float | int, decimals: int | None = 0, group: bool = True, lang: str | None = None) -> str:
    """A number with ``decimals`` places (None: as many as it has, up to 10) and thousands separators,
    in ``lang`` (default: the current language): ``12 345,7`` in French."""
    if check(lang or _current) == "en":
        spec = f"{',' if group else ''}.{decimals}f" if decimals is not None else ("," if group else "")
        return format(value, spec) if decimals is not None or group else repr(value)
    pattern = _pattern("decimal", decimals, group, lang)
    if decimals is None:
        pattern.frac_prec = (0, 10)
    return pattern.apply(_exact(value), _locale(lang))


def percent(share: float, decimals: int = 0, lang: str | None = None) -> str:
    """A share as a percentage with ``decimals`` places: ``27.8%`` in English, ``27,8 %`` in French."""
    if check(lang or _current) == "en":
        return format(share, f".{decimals}%")
    return _pattern("percent", decimals, True, lang).apply(_exact(share), _locale(lang))


def fmt(value: Any, spec: str = "", lang: str | None = None) -> str:
    """``value`` as ``format(value, spec)`` writes it in English, in ``lang`` (default: the current one).

    The specs the book uses: ``d``, ``,d``, ``.2f``, ``,.0f``, ``.1%``, ``+.0%``, ``.3g``, ``s`` and none.
    A number without a spec keeps its digits (a year stays ``2011``); text is returned as it is.
    """
    lang = check(lang or _current)
    if hasattr(value, "item") and hasattr(value, "dtype"):  # a numpy scalar
        value = value.item()
    if lang == "en" or isinstance(value, (str, bool)) or not isinstance(value, (int, float)):
        return format(value, spec) if spec else str(value)
    m = _SPEC.match(spec)
    if m is None:
        raise ValueError(f"format {spec!r} is not one the book writes in {lang} (d, ,d, .Nf, ,.Nf, .N%, +.N%, .Ng)")
    kind, prec, group = m["type"], m["prec"], bool(m["group"])
    if value != value:  # NaN
        return "NaN"
    if kind == "%":
        text = percent(value, int(prec or 6), lang)
    elif kind == "g":
        from babel.numbers import format_decimal

        digits = int(prec or 6)
        text = "0" if value == 0 else format_decimal(_exact(value), format="@" + "#" * (digits - 1), locale=_locale(lang))
    elif kind == "d":
        text = number(value, 0, group, lang)
    elif kind == "f" or prec is not None:
        text = number(value, int(prec or 6), group, lang)
    elif not spec and isinstance(value, int):
        text = str(value)
    else:
        text = number(value, None, group, lang)
    return "+" + text if m["sign"] and value >= 0 else text


def glued(value: Any, spec: str = "", lang: str | None = None) -> str:
    """A glued value as ``{glue:text}`name:spec``` shows it, in ``lang``: first turned into the type the
    spec asks for, as myst-nb does (``"nan"`` and a glued NaN, ``None``, are floats), then :func:`fmt`."""
    kind = spec[-1:]
    if value is None:
        value = float("nan")
    if kind in ("d", "f", "g", "%") and isinstance(value, (int, float, str)):
        value = int(value) if kind == "d" else float(value)
    return fmt(value, "" if kind == "s" else spec, lang)


def format_pattern(pattern: str, value: Any, lang: str | None = None) -> str:
    """A ``str.format`` pattern with one field (``"{:,.0f} people"``) filled in ``lang``: the field through
    :func:`fmt`, the words around it as given (translate them with :func:`gettext` first)."""
    out = []
    for literal, field, spec, _conv in string.Formatter().parse(pattern):
        out.append(literal)
        if field is not None:
            out.append(fmt(value, spec or "", lang))
    return "".join(out)


def date(day: dt.date | dt.datetime | Any, form: str = "d MMMM y", lang: str | None = None) -> str:
    """A date in ``lang``, by a CLDR pattern: ``9 September 2011`` / ``9 septembre 2011`` (default),
    ``"d MMM y"`` for ``9 Sept 2011`` / ``9 sept. 2011``, ``"MMMM y"`` for the month."""
    from babel.dates import format_date

    if hasattr(day, "to_pydatetime"):
        day = day.to_pydatetime()
    return format_date(day, form, locale=_locale(lang))


@cache
def vega_locale(lang: str) -> dict[str, Any]:
    """Vega's number and time locale for ``lang`` (d3-format and d3-time-format definitions), from
    Babel's data: charts' axes, labels and tooltips then write numbers and dates the language's way."""
    from babel import Locale
    from babel.numbers import get_decimal_symbol, get_group_symbol, parse_pattern

    loc = Locale.parse(_locale(lang))
    name = _locale(lang)
    percent_suffix = parse_pattern(loc.percent_formats[None]).suffix[0]
    days = loc.days["format"]["wide"]
    short_days = loc.days["format"]["abbreviated"]
    sunday_first = [6, 0, 1, 2, 3, 4, 5]
    return {
        "number": {
            "decimal": get_decimal_symbol(name), "thousands": get_group_symbol(name), "grouping": [3],
            "currency": ["", "\u00a0€"] if lang == "fr" else ["£", ""], "percent": percent_suffix,
        },
        "time": {
            "dateTime": "%A %e %B %Y à %X" if lang == "fr" else "%a %e %b %X %Y",
            "date": "%d/%m/%Y", "time": "%H:%M:%S", "periods": ["AM", "PM"],
            "days": [days[i] for i in sunday_first], "shortDays": [short_days[i] for i in sunday_first],
            "months": [loc.months["format"]["wide"][i] for i in range(1, 13)],
            "shortMonths": [loc.months["format"]["abbreviated"][i] for i in range(1, 13)],
        },
    }
