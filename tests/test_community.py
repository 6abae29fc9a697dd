"""Tests for casebook.community.share: the Nike+ series, share points, attribution, miles, MyBO ratios."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from casebook.charts import tooltip_problems
from casebook.community import share as community
from casebook.errors import InputError, ParameterError
from casebook.io import series as series_io

HEADER = "brand,metric,date,value,confidence\n"


def write(tmp_path: Path, text: str, name: str = "series.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def series() -> pd.DataFrame:
    return series_io.load_series()


@pytest.fixture(scope="module")
def mybo() -> pd.DataFrame:
    return series_io.load_mybo()


# --- the bundled series -------------------------------------------------------------------------


def test_bundled_series_holds_the_facts_figures(series: pd.DataFrame) -> None:
    share = series[series["metric"] == "market_share"]
    assert share["value"].tolist() == [48, 61]
    miles = series[series["metric"] == "miles_logged"]
    assert miles["value"].tolist() == [22_000_000, 50_000_000, 93_000_000]
    assert set(series["confidence"]) == {"C"}
    assert series["source_url"].str.startswith("http").all()
    assert series.attrs["path"].endswith("nike_plus_series.csv")


def test_share_gain_in_points_and_relative_terms(series: pd.DataFrame) -> None:
    gain = community.share_gain(series)
    assert gain.brand == "Nike"
    assert (gain.start_share, gain.end_share) == (48.0, 61.0)
    assert gain.points == 13.0
    assert gain.relative == pytest.approx(13 / 48)  # 0.2708
    assert gain.start_date == pd.Timestamp("2006-12-31")
    assert gain.end_date == pd.Timestamp("2008-11-06")


def test_miles_growth_between_the_three_milestones(series: pd.DataFrame) -> None:
    growth = community.miles_growth(series)
    assert len(growth) == 3
    assert np.isnan(growth.loc[0, "growth_factor"])
    assert growth["days"].tolist()[1:] == [204.0, 265.0]  # 26 Jul 2007 → 15 Feb 2008 → 6 Nov 2008
    assert growth.loc[1, "growth_factor"] == pytest.approx(50 / 22)
    assert growth.loc[2, "growth_factor"] == pytest.approx(93 / 50)
    # (50/22)^(30.4375/204) − 1 and (93/50)^(30.4375/265) − 1, worked out by hand
    assert growth.loc[1, "monthly_growth"] == pytest.approx(0.13031, abs=1e-4)
    assert growth.loc[2, "monthly_growth"] == pytest.approx(0.07388, abs=1e-4)
    assert growth.loc[1, "added_per_day"] == pytest.approx(28_000_000 / 204)
    assert growth.loc[2, "added_per_day"] == pytest.approx(43_000_000 / 265)
    assert community.miles_growth_factor(series) == pytest.approx(93 / 22)  # 4.227


def test_growth_fits_recover_an_exact_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "metric,date,value\nmiles_logged,2020-01-01,100\nmiles_logged,2020-01-11,200\n"
        "miles_logged,2020-01-31,400\n",
    )
    curves, fits = community.growth_fits(series_io.load_series(path), points=4)
    line = fits.set_index("model").loc["straight line"]
    assert line["r_squared"] == pytest.approx(1.0)
    assert line["rate"] == pytest.approx(10.0)  # 10 miles a day
    assert fits.set_index("model").loc["exponential", "r_squared"] < 1
    straight = curves[curves["model"] == "straight line"]
    assert straight["value"].tolist() == pytest.approx([100, 200, 300, 400])
    assert straight["date"].tolist() == list(
        pd.to_datetime(["2020-01-01", "2020-01-11", "2020-01-21", "2020-01-31"])
    )


def test_growth_fits_agree_with_scipy_linregress(series: pd.DataFrame) -> None:
    """numpy's least-squares line gives scipy.stats.linregress's slope and R², on the bundled milestones
    (both models) and on noisy seeded points."""
    from scipy import stats

    rows = series[series["metric"] == "miles_logged"].sort_values("date")
    t = (rows["date"] - rows["date"].iloc[0]).dt.days.to_numpy(dtype="float64")
    y = rows["value"].to_numpy(dtype="float64")
    _, fits = community.growth_fits(series)
    fits = fits.set_index("model")
    lin, exp = stats.linregress(t, y), stats.linregress(t, np.log(y))
    assert fits.loc["straight line", "rate"] == pytest.approx(lin.slope, rel=1e-12)
    assert fits.loc["straight line", "r_squared"] == pytest.approx(lin.rvalue**2, rel=1e-12)
    assert fits.loc["exponential", "r_squared"] == pytest.approx(exp.rvalue**2, rel=1e-12)
    assert fits.loc["exponential", "rate"] == pytest.approx(np.exp(exp.slope * 30.4375) - 1, rel=1e-12)
    x = np.arange(20.0)
    noisy = 3 + 2 * x + np.random.default_rng(7).normal(0, 4, 20)
    intercept, slope, r2 = community.line_fit(x, noisy)
    ref = stats.linregress(x, noisy)
    assert (intercept, slope, r2) == pytest.approx((ref.intercept, ref.slope, ref.rvalue**2), rel=1e-12)


def test_ratio_at_the_latest_common_date(series: pd.DataFrame) -> None:
    value, when = community.ratio_at(series, "miles_logged", "sport_kits_sold")
    assert value == pytest.approx(93 / 1.3)  # 71.5 miles per kit sold, Nov 2008
    assert when == pd.Timestamp("2008-11-06")
    with pytest.raises(
        InputError, match=r"column 'date': no date with both 'new_users_per_day' and 'sport_kits_sold'"
    ):
        community.ratio_at(series, "new_users_per_day", "sport_kits_sold")


def test_growth_fits_need_three_milestones(series: pd.DataFrame) -> None:
    two = series[~((series["metric"] == "miles_logged") & (series["value"] == 50_000_000))]
    two.attrs["path"] = "series.csv"
    with pytest.raises(
        InputError, match=r"series\.csv: column 'metric': 2 row\(s\) for metric 'miles_logged'"
    ):
        community.growth_fits(two)


# --- what the points are worth ------------------------------------------------------------------


def test_points_value_grid() -> None:
    grid = community.points_value_grid(13, [1e9, 2e9], [0.3, 0.4])
    assert len(grid) == 4
    row = grid[(grid["market_size_usd"] == 2e9) & (grid["margin"] == 0.4)].iloc[0]
    assert row["sales_usd"] == pytest.approx(260e6)  # 13% of $2bn
    assert row["gross_margin_usd"] == pytest.approx(104e6)
    assert grid["gross_margin_usd"].min() == pytest.approx(39e6)  # 13% × $1bn × 0.3


def test_attribution_table(series: pd.DataFrame) -> None:
    table = community.attribution_table(
        community.share_gain(series), [0, 0.25, 0.5, 1], [1e9, 2e9, 4e9], [0.3, 0.4, 0.5]
    )
    assert table["points_credited"].tolist() == [0, 3.25, 6.5, 13]
    assert table["share_without_community"].tolist() == [61, 57.75, 54.5, 48]
    quarter = table.iloc[1]
    assert quarter["sales_low_usd"] == pytest.approx(3.25 / 100 * 1e9)
    assert quarter["sales_high_usd"] == pytest.approx(3.25 / 100 * 4e9)
    assert quarter["margin_low_usd"] == pytest.approx(3.25 / 100 * 1e9 * 0.3)
    assert quarter["margin_mid_usd"] == pytest.approx(3.25 / 100 * 2e9 * 0.4)  # the median of the 3×3 grid
    assert quarter["margin_high_usd"] == pytest.approx(3.25 / 100 * 4e9 * 0.5)
    assert table["scenario"].tolist() == ["0% credited", "25% credited", "50% credited", "100% credited"]
    assert (table.iloc[0][["margin_low_usd", "margin_high_usd"]] == 0).all()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"market_size_usd": [-1e9]}, "market_size_usd values must be above 0"),
        ({"market_size_usd": []}, "market_size_usd must be a non-empty list"),
        ({"market_size_usd": ["big"]}, "market_size_usd must be a number or a list of numbers"),
        ({"margin": [0.3, 1.5]}, "margin values must be above 0 and at most 1"),
    ],
)
def test_points_value_grid_rejects_bad_assumptions(kwargs: dict, message: str) -> None:
    args = {"points": 13, "market_size_usd": [1e9], "margin": [0.3], **kwargs}
    with pytest.raises(ParameterError, match=message):
        community.points_value_grid(**args)


def test_attribution_share_must_be_between_0_and_1(series: pd.DataFrame) -> None:
    with pytest.raises(
        ParameterError, match="attributed_share must be a non-empty list of shares between 0 and 1"
    ):
        community.attribution_table(community.share_gain(series), [0.5, 1.2], [1e9], [0.3])


# --- bad series files -----------------------------------------------------------------------------


def test_share_above_100_names_file_column_and_row(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "Acme,market_share,2020-01-01,40,C\nAcme,market_share,2021-01-01,120,C\n")
    with pytest.raises(InputError) as err:
        series_io.load_series(path)
    assert str(err.value) == (
        f"{path}: column 'value', row 3: a market share above 100; "
        "expected market_share in percent, between 0 and 100"
    )


def test_text_in_value_column(tmp_path: Path) -> None:
    path = write(
        tmp_path, HEADER + "Acme,market_share,2020-01-01,40,C\nAcme,miles_logged,2021-01-01,lots,C\n"
    )
    with pytest.raises(
        InputError, match=r"column 'value', row 3: text where a number was expected \('lots'\)"
    ):
        series_io.load_series(path)


def test_missing_column_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, "metric,value\nmarket_share,40\n")
    with pytest.raises(InputError, match=r"column 'date': missing column \(the file has: metric, value\)"):
        series_io.load_series(path)


def test_bad_date_and_future_date(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "Acme,market_share,2020-01-01,40,C\nAcme,market_share,soon,41,C\n")
    with pytest.raises(InputError, match=r"column 'date', row 3: dates that do not parse \('soon'\)"):
        series_io.load_series(path)
    path = write(tmp_path, HEADER + "Acme,market_share,2099-01-01,40,C\n")
    with pytest.raises(InputError, match=r"column 'date', row 2: dates after 2026-11-23"):
        series_io.load_series(path)


def test_unknown_confidence(tmp_path: Path) -> None:
    path = write(
        tmp_path, HEADER + "Acme,market_share,2020-01-01,40,C\nAcme,market_share,2021-01-01,41,sure\n"
    )
    with pytest.raises(
        InputError,
        match=r"column 'confidence', row 3: unknown values \('sure'\); "
        r"expected one of C, P, U or an empty cell",
    ):
        series_io.load_series(path)


def test_duplicate_metric_and_date(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "Acme,market_share,2020-01-01,40,C\nAcme,market_share,2020-01-01,41,C\n")
    with pytest.raises(InputError, match=r"column 'date', row 3: the same metric and date appear twice"):
        series_io.load_series(path)


def test_brand_selection(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEADER + "Acme,market_share,2020-01-01,40,C\nAcme,market_share,2021-01-01,44,C\n"
        "Bolt,market_share,2020-01-01,20,C\nBolt,market_share,2021-01-01,18,\n",
    )
    bolt = community.share_gain(series_io.load_series(path, brand="Bolt"))
    assert (bolt.brand, bolt.points, bolt.relative) == ("Bolt", -2.0, pytest.approx(-0.1))
    with pytest.raises(ParameterError, match=r"holds several brands \(Acme, Bolt\): set brand"):
        series_io.load_series(path)
    with pytest.raises(
        InputError,
        match=r"column 'brand': no rows for brand 'Zed'; expected one of the brands "
        r"in the file: Acme, Bolt",
    ):
        series_io.load_series(path, brand="Zed")


def test_a_file_without_brand_takes_the_parameter(tmp_path: Path) -> None:
    path = write(tmp_path, "metric,date,value\nmarket_share,2020-01-01,10\nmarket_share,2022-01-01,12.5\n")
    gain = community.share_gain(series_io.load_series(path, brand="Acme"))
    assert (gain.brand, gain.points, gain.relative) == ("Acme", 2.5, 0.25)


def test_share_gain_needs_two_rows(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "Acme,market_share,2020-01-01,40,C\n")
    with pytest.raises(
        InputError,
        match=r"column 'metric': 1 row\(s\) for metric 'market_share'; expected at "
        r"least 2 dated rows",
    ):
        community.share_gain(series_io.load_series(path))


# --- MyBO -----------------------------------------------------------------------------------------


def test_claims_against_final_figures(mybo: pd.DataFrame) -> None:
    table = community.claims_vs_final(mybo).set_index("claim")
    assert table.loc["people", ["claimed", "final"]].tolist() == [1_500_000, 2_000_000]
    assert table.loc["events", ["claimed", "final"]].tolist() == [150_000, 200_000]
    assert table.loc["raised", "compared_to"] == "raised_through_2008_10_15"
    assert table.loc["raised", "difference"] == -3_000_000  # $639M claimed vs $642M to 15 Oct 2008
    assert table.loc["people", "claim_over_final"] == pytest.approx(0.75)
    assert table["claim_confidence"].tolist() == ["U", "P", "U"]


def test_mybo_ratios_and_their_bounds(mybo: pd.DataFrame) -> None:
    ratios = community.mybo_ratios(mybo).set_index("ratio")
    assert ratios.loc["events per profile", "value"] == pytest.approx(0.1)
    assert ratios.loc["profiles per group", "value"] == pytest.approx(2_000_000 / 35_000)  # 57.1
    assert ratios.loc["profiles per group", "bound"] == "at most"  # 35,000 groups is a floor
    assert ratios.loc["USD raised per personal-page fundraiser", "value"] == pytest.approx(428.5714, abs=1e-4)
    assert ratios.loc["USD raised online per online donor", "value"] == pytest.approx(500e6 / 3e6)
    assert ratios.loc["USD raised online per online donor", "bound"] == "at least"
    assert ratios.loc["personal-page money as a share of money raised online", "bound"] == "at most"
    assert ratios.loc["USD per person (the seed's claim)", "value"] == pytest.approx(426.0)
    assert ratios.loc["USD per person (the seed's claim)", "basis"] == "the seed's claim"
    share = ratios.loc["personal-page money as a share of the claimed total"]
    assert share["value"] == pytest.approx(30 / 639)  # 4.7%
    assert share["basis"] == "final figure against the seed's claim"
    assert len(ratios) == len(community.MYBO_RATIOS)


def test_ratio_bounds_combine() -> None:
    figs = pd.DataFrame(
        {
            "figure": ["x", "y", "z"],
            "kind": "final",
            "value": [10.0, 2.0, 5.0],
            "qualifier": ["at least", "at least", "about"],
        }
    )
    old = community.MYBO_RATIOS
    try:
        community.MYBO_RATIOS = [
            ("x/y", "x", "final", "y", "final"),
            ("x/z", "x", "final", "z", "final"),
            ("z/y", "z", "final", "y", "final"),
            ("x/missing", "x", "final", "w", "final"),
            ("x/y claimed", "x", "final", "y", "seed_claim"),
        ]
        ratios = community.mybo_ratios(figs).set_index("ratio")
    finally:
        community.MYBO_RATIOS = old
    assert ratios["bound"].to_dict() == {"x/y": "uncertain", "x/z": "at least", "z/y": "at most"}
    assert ratios.loc["x/y", "value"] == 5.0


def test_mybo_claim_must_name_a_final_figure(tmp_path: Path) -> None:
    text = (
        "figure,kind,value,unit,qualifier,compare_to,confidence\n"
        "profiles,final,2000000,profiles,about,,C\n"
        "people,seed_claim,1500000,people,,members,U\n"
    )
    path = write(tmp_path, text, "mybo.csv")
    with pytest.raises(
        InputError,
        match=r"mybo\.csv: column 'compare_to', row 3: a claim that names no final "
        r"figure; expected the name of a figure whose kind is final",
    ):
        series_io.load_mybo(path)


def test_mybo_kind_and_qualifier_are_checked(tmp_path: Path) -> None:
    head = "figure,kind,value,unit,qualifier,compare_to,confidence\n"
    path = write(
        tmp_path, head + "profiles,final,2000000,profiles,about,,C\nevents,guess,1,e,about,,C\n", "m.csv"
    )
    with pytest.raises(
        InputError,
        match=r"column 'kind', row 3: unknown values \('guess'\); expected one of "
        r"final, seed_claim$",
    ):
        series_io.load_mybo(path)
    path = write(tmp_path, head + "profiles,final,2000000,profiles,roughly,,C\n", "m.csv")
    with pytest.raises(InputError, match=r"column 'qualifier', row 2: unknown values \('roughly'\)"):
        series_io.load_mybo(path)


# --- charts ---------------------------------------------------------------------------------------


def _data_rows(chart) -> list[int]:
    """Row counts of every data set a chart embeds."""
    return [len(rows) for rows in chart.to_dict()["datasets"].values()]


def test_nike_charts_are_titled_and_aggregated(series: pd.DataFrame, mybo: pd.DataFrame) -> None:
    from casebook.community import charts as cc

    gain = community.share_gain(series)
    share = cc.share_chart(series, gain).to_dict()
    assert share["title"]["text"] == "Nike: +13 points of market share (+27%)"
    table = community.attribution_table(gain, [0, 0.5, 1], [1e9, 2e9], [0.3, 0.4])
    attribution = cc.attribution_chart(table, "Nike")
    assert attribution.to_dict()["title"]["text"] == "Model: what the share points would be worth to Nike"
    assert _data_rows(attribution) == [3]
    curves, _ = community.growth_fits(series, points=20)
    miles = cc.miles_chart(community.miles_growth(series), curves, "miles logged")
    assert sorted(_data_rows(miles)) == [3, 40]  # three milestones, two curves of 20 points
    claims = cc.claims_chart(community.claims_vs_final(mybo)).to_dict()
    pairs = next(iter(claims["datasets"].values()))
    assert [p["comparison"] for p in pairs] == [
        "people 1.5M vs profiles 2M",
        "events 150k vs events 200k",
        "raised 639M vs raised through 2008-10-15 642M",
    ]
    for spec in (share, attribution.to_dict(), miles.to_dict(), claims):
        assert tooltip_problems(spec) == []  # every hovered value titled and formatted for readers


# --- issue 17: wrong numbers with exit 0 -----------------------------------------------------------


def test_quoted_thousands_keep_their_size(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + 'Acme,miles_logged,2020-01-01,"1,234",C\nAcme,miles_logged,2021-01-01,"12,345.5",C\n')
    assert series_io.load_series(path)["value"].tolist() == [1234.0, 12345.5]
    path = write(tmp_path, HEADER + 'Acme,market_share,2020-01-01,"1,234",C\n')  # 1234, not 1.234
    with pytest.raises(InputError, match=r"column 'value', row 2: a market share above 100"):
        series_io.load_series(path)


def test_decimal_comma_series(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER.replace(",", ";") + "Acme;market_share;2020-01-01;12,5;C\n"
                 "Acme;miles_logged;2020-01-01;1.250.000;C\n")
    assert series_io.load_series(path)["value"].tolist() == [12.5, 1250000.0]


def test_infinite_values_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "Acme,miles_logged,2020-01-01,inf,C\n")
    with pytest.raises(InputError, match=r"column 'value', row 2: infinite or overflowing numbers \(inf\)"):
        series_io.load_series(path)
