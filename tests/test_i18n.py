"""The language layer (casebook.i18n): the language in use, the package's catalogs, numbers and dates
written the French way through Babel, English exactly as Python writes it, and Vega's locale."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from casebook import i18n

NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.fixture(autouse=True)
def _english_after() -> None:
    yield
    i18n.use("en")


@pytest.mark.parametrize(("value", "spec", "english", "french"), [
    (0.2784, ".1%", "27.8%", f"27,8{NBSP}%"),
    (0.5, ".0%", "50%", f"50{NBSP}%"),
    (0.12, "+.0%", "+12%", f"+12{NBSP}%"),
    (12345, ",d", "12,345", f"12{NNBSP}345"),
    (7, "d", "7", "7"),
    (1234567.5, ",.0f", "1,234,568", f"1{NNBSP}234{NNBSP}568"),
    (2.675, ".2f", "2.67", "2,67"),  # rounded as Python rounds the binary value
    (0.05123, ".3g", "0.0512", "0,0512"),
    (1.5, ".2g", "1.5", "1,5"),
    (0.0, ".2g", "0", "0"),
    (2011, "", "2011", "2011"),  # a year keeps its digits
    (0.21, "", "0.21", "0,21"),
    ("Paid posts", "s", "Paid posts", "Paid posts"),
    (np.float64(0.25), ".0%", "25%", f"25{NBSP}%"),
    (np.int64(1500), ",d", "1,500", f"1{NNBSP}500"),
])
def test_fmt_writes_numbers_as_each_language_does(value: object, spec: str, english: str, french: str) -> None:
    assert i18n.fmt(value, spec, "en") == english == format(value, spec)
    assert i18n.fmt(value, spec, "fr") == french


def test_fmt_refuses_a_spec_the_book_does_not_write_in_french() -> None:
    with pytest.raises(ValueError, match="'x'"):
        i18n.fmt(255, "x", "fr")
    assert i18n.fmt(float("nan"), ".2f", "fr") == "NaN"


def test_number_percent_and_pattern() -> None:
    assert i18n.number(1234.5, 1, lang="fr") == f"1{NNBSP}234,5"
    assert i18n.number(1234.5, 1, group=False, lang="fr") == "1234,5"
    assert i18n.number(1234.5, 1, lang="en") == "1,234.5"
    assert i18n.number(0.125, None, lang="fr") == "0,125"
    assert i18n.percent(0.278, 1, "fr") == f"27,8{NBSP}%" and i18n.percent(0.278, 1, "en") == "27.8%"
    assert i18n.format_pattern("{:,.0f} people", 12345.6, "fr") == f"12{NNBSP}346 people"
    assert i18n.format_pattern("{:,.0f} people", 12345.6, "en") == "12,346 people"


def test_dates_in_each_language() -> None:
    day = dt.date(2011, 9, 9)
    assert i18n.date(day, lang="en") == "9 September 2011"
    assert i18n.date(day, lang="fr") == "9 septembre 2011"
    assert i18n.date(pd.Timestamp("2011-09-09"), "d MMM y", lang="fr") == "9 sept. 2011"


def test_the_language_in_use_and_its_words() -> None:
    assert i18n.current() == "en" and i18n.gettext("simulated") == "simulated"
    tr = i18n.use("fr")
    assert i18n.current() == "fr" and tr("simulated") == "simulé"
    assert tr("a sentence no catalog has") == "a sentence no catalog has"
    assert i18n.fmt(0.5, ".0%") == f"50{NBSP}%"  # the language in use
    with i18n.using("en") as tr_en:
        assert tr_en("simulated") == "simulated" and i18n.current() == "en"
    assert i18n.current() == "fr"
    with pytest.raises(ValueError, match="unknown language 'de'"):
        i18n.use("de")


def test_the_words_come_from_every_catalog_of_the_language_and_skip_fuzzy_ones(tmp_path, monkeypatch) -> None:
    folder = tmp_path / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "casebook.po").write_text('msgid "Posts"\nmsgstr "Publications"\n\n#, fuzzy\nmsgid "Reach"\n'
                                        'msgstr "Portée"\n', encoding="utf-8")
    (folder / "casebook-extra.po").write_text('msgid "Views"\nmsgstr "Vues"\n\nmsgid "Empty"\nmsgstr ""\n',
                                              encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n.messages.cache_clear()
    try:
        assert i18n.messages("fr") == {"Posts": "Publications", "Views": "Vues"}
        assert i18n.messages("en") == {}
    finally:
        i18n.messages.cache_clear()


def test_vega_locale_comes_from_babel() -> None:
    fr = i18n.vega_locale("fr")
    assert fr["number"]["decimal"] == "," and fr["number"]["thousands"] == NNBSP
    assert fr["number"]["percent"] == f"{NBSP}%"
    assert fr["time"]["months"][8] == "septembre" and fr["time"]["days"][0] == "dimanche"
    assert len(fr["time"]["shortMonths"]) == 12 and len(fr["time"]["shortDays"]) == 7
    assert i18n.vega_locale("en")["number"]["decimal"] == "."


def test_time_axes_put_the_day_first_in_french_only() -> None:
    from casebook.charts.theme import theme, time_format

    assert time_format() is None and "timeFormat" not in theme()["config"]
    i18n.use("fr")
    assert time_format() == "%-d %b %Y" and theme()["config"]["timeFormat"] == "%-d %b %Y"
    assert theme()["config"]["locale"]["number"]["decimal"] == ","


def test_a_glued_value_is_converted_as_myst_nb_does_then_written_in_the_language() -> None:
    assert i18n.glued("0.5", ".0%", "fr") == f"50{NBSP}%"
    assert i18n.glued(12.0, "d", "fr") == "12"
    assert i18n.glued(None, ".2f", "fr") == "NaN" and i18n.glued("nan", ".2f", "fr") == "NaN"
    assert i18n.glued("Publications", "s", "fr") == "Publications"
    assert i18n.glued(0.25, ".1%", "en") == "25.0%"
