"""Tables for readers (casebook.charts.tables): no index, formatted cells, stable output."""

import numpy as np
import pandas as pd
import pytest

from casebook import charts
from casebook.charts import tables


def _frame() -> pd.DataFrame:
    return pd.DataFrame({"basis": ["reach", "impressions"], "posts": [1500, 400],
                         "er_median": [0.02134, float("nan")], "value": [1265.8227848101264, 3.14159265]})


def test_readable_formats_cells_and_hides_the_index():
    table = tables.readable(_frame(), {"er_median": "{:.1%}"}, {"basis": "Basis", "posts": "Posts",
                                                                 "er_median": "Median rate", "value": "Value"})
    html = table.to_html()
    assert "<th class=\"blank" not in html and "row_heading" not in html  # no index column
    assert list(table.data.columns) == ["Basis", "Posts", "Median rate", "Value"]
    assert table.data["Posts"].tolist() == ["1,500", "400"]
    assert table.data["Median rate"].tolist() == ["2.1%", tables.EMPTY]
    assert table.data["Value"].tolist() == ["1,265.82", "3.14"]
    assert "1265.8227" not in html and "er_median" not in html


def test_years_have_no_thousands_separator():
    table = tables.readable(pd.DataFrame({"year": [2008, 2011], "first_year": [2006, 2007], "n": [1988, 4000]}))
    assert table.data.to_dict("list") == {"Year": ["2008", "2011"], "First year": ["2006", "2007"],
                                          "N": ["1,988", "4,000"]}


def test_headers_choose_and_order_the_columns():
    table = tables.readable(_frame(), headers={"value": "V", "basis": "B"})
    assert list(table.data.columns) == ["V", "B"]


def test_unknown_column_is_named():
    with pytest.raises(KeyError, match="er_q1"):
        tables.readable(_frame(), headers={"er_q1": "Q1"})


def test_named_index_becomes_a_column_and_default_index_is_dropped():
    named = tables.readable(_frame().set_index("basis"))
    assert list(named.data.columns)[0] == "Basis"
    plain = tables.readable(_frame())
    assert "0" not in plain.data.iloc[:, 0].tolist()


def test_plain_text_form_is_the_table_not_an_object_address():
    text = repr(tables.readable(_frame(), {"er_median": "{:.1%}"}))
    assert "Styler" not in text and " at 0x" not in text
    assert text.splitlines()[0].split() == ["Basis", "Posts", "Er", "median", "Value"]


def test_html_is_stable_between_runs_and_offline():
    a = tables.readable(_frame()).to_html()
    b = tables.readable(_frame()).to_html()
    assert a == b
    assert "http" not in a and "<script" not in a
    assert 'class="dataframe casebook-table"' in a
    other = tables.readable(_frame().assign(posts=[1, 2])).to_html()
    assert other.split('id="')[1][:12] != a.split('id="')[1][:12]


def test_label_turns_keys_into_headers():
    assert tables.label("posts_per_day") == "Posts per day"
    assert tables.label(2008) == "2008"


@pytest.mark.parametrize(("value", "pattern", "expected"), [
    (None, None, tables.EMPTY), (float("nan"), "{:.1%}", tables.EMPTY), (0.2151, "{:.1%}", "21.5%"),
    (True, None, "yes"), (np.bool_(False), None, "no"), (np.int64(7), None, "7"), (12345, None, "12,345"), (2401.0, None, "2,401"), (0.71428, None, "0.71"),
    (pd.Timestamp("2006-12-31"), None, "2006-12-31"), (pd.Timestamp("2014-11-11 10:00"), None, "2014-11-11 10:00"),
    (7.0, lambda v: f"{v:.0f} days", "7 days"), ("text", None, "text"),
])
def test_fmt(value, pattern, expected):
    assert tables.fmt(value, pattern) == expected


def test_figures_table_shows_labelled_rows_only():
    table = tables.figures_table({"k": 0.144, "organisers": 584.1121495327103, "internal": 1},
                                 {"k": "K-factor", "organisers": "Organisers in all"},
                                 {"k": "{:.2f}", "organisers": "{:,.0f}"})
    assert table.data.to_dict("list") == {"Figure": ["K-factor", "Organisers in all"], "Value": ["0.14", "584"]}
    named = tables.figures_table({"k": 1}, {"k": "K"}, headers=("marksandspencer", "value"))
    assert list(named.data.columns) == ["marksandspencer", "value"]  # headers shown as given


def test_reexported_from_charts():
    assert charts.readable is tables.readable and charts.figures_table is tables.figures_table


@pytest.mark.parametrize(("digits", "value", "expected"), [
    (3, 151915.902, "152,000"), (3, 428.571, "429"), (3, 57.1428, "57.1"), (2, 0.0973, "0.097"),
    (3, -0.0021, "-0.00210"), (3, 0, "0"), (1, 0.75, "0.8"),
])
def test_significant_rounds_without_exponent(digits, value, expected):
    assert tables.significant(digits)(value) == expected


def test_in_units_divides_and_formats():
    assert tables.in_units(1e6)(39e6) == "39"
    assert tables.in_units(1e6, "{:,.1f}")(1_234_567_890) == "1,234.6"


def test_cells_and_headers_are_escaped_in_html_but_not_in_text():
    table = tables.readable(pd.DataFrame({"<b>page</b>": ["Tom & Jerry <script>alert(1)</script>"]}))
    html = table.to_html()
    assert "<script>" not in html and "<b>" not in html
    assert "Tom & Jerry &lt;script&gt;" in html and "&lt;b&gt;page&lt;/b&gt;" in html
    assert "Tom & Jerry <script>" in repr(table)
