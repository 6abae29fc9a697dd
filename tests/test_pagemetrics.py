"""Tests of casebook.pages.metrics against values computed by hand on a four-post page."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from casebook.io.posts import CANONICAL, DTYPES
from casebook.pages import metrics as m


def table(rows: list[dict]) -> pd.DataFrame:
    """A canonical post table from a few dicts (absent columns empty)."""
    df = pd.DataFrame(rows)
    for c in CANONICAL:
        if c not in df:
            df[c] = {"page": "page", "network": "Facebook"}.get(c, pd.NA)
    if df["post_id"].isna().all():
        df["post_id"] = [f"p{i + 1}" for i in range(len(df))]
    df["published"] = pd.to_datetime(df["published"])
    return df[CANONICAL].astype(DTYPES)


@pytest.fixture
def page() -> pd.DataFrame:
    # ER by reach: 0.1, 0.05, 0.2, 0.02. 1 Jan 2024 is a Monday.
    return table([
        dict(published="2024-01-01 09:00", type="Photo", category="action", paid=False, reach=100,
             impressions=200, comments=1, likes=8, shares=1, interactions=10, page_likes=1000),
        dict(published="2024-01-01 15:00", type="Photo", category="product", paid=True, reach=200,
             impressions=400, comments=2, likes=6, shares=2, interactions=10, page_likes=1000),
        dict(published="2024-01-03 09:00", type="Video", category="action", paid=False, reach=50,
             impressions=100, comments=0, likes=10, shares=0, interactions=10, page_likes=1010),
        dict(published="2024-01-12 20:00", type="Status", category=None, paid=None, reach=100,
             impressions=100, comments=1, likes=1, shares=0, interactions=2, page_likes=1030),
    ])


def test_engagement_rate_bases(page):
    assert m.engagement_rate(page).tolist() == pytest.approx([0.1, 0.05, 0.2, 0.02])
    assert m.engagement_rate(page, "impressions").tolist() == pytest.approx([0.05, 0.025, 0.1, 0.02])
    assert m.engagement_rate(page, "followers").tolist() == pytest.approx([0.01, 0.01, 10 / 1010, 2 / 1030])


def test_engagement_rate_zero_or_missing_denominator_is_nan(page):
    page.loc[0, "reach"] = 0
    page.loc[1, "page_likes"] = pd.NA
    assert np.isnan(m.engagement_rate(page).iloc[0])
    assert np.isnan(m.engagement_rate(page, "followers").iloc[1])
    with pytest.raises(ValueError, match="basis must be one of"):
        m.engagement_rate(page, "fans")


def test_engagement_summary(page):
    s = m.engagement_summary(page)
    assert s.loc["reach", "median"] == pytest.approx(0.075)
    assert s.loc["reach", "mean"] == pytest.approx(0.0925)
    assert s.loc["reach", "pooled"] == pytest.approx(32 / 450)
    assert s.loc["impressions", "median"] == pytest.approx(0.0375)
    assert s.loc["followers", "posts"] == 4


def test_kaushik_rates(page):
    k = m.kaushik_rates(page)
    assert k.loc["conversation", "per_post"] == pytest.approx(1.0)
    assert k.loc["amplification", "per_post"] == pytest.approx(0.75)
    assert k.loc["applause", "per_post"] == pytest.approx(6.25)
    assert k.loc["conversation", "per_1000_followers"] == pytest.approx((1 + 2 + 0 + 1000 / 1030) / 4)


def test_kaushik_rates_skip_missing_counts(page):
    page.loc[0, "shares"] = pd.NA
    k = m.kaushik_rates(page)
    assert k.loc["amplification", "posts"] == 3
    assert k.loc["amplification", "per_post"] == pytest.approx(2 / 3)


def test_cadence(page):
    c = m.cadence(page)
    assert c["days"] == 12 and c["active_days"] == 3
    assert c["posts_per_week"] == pytest.approx(4 / (12 / 7))
    assert c["median_gap_days"] == pytest.approx(5.5)
    assert c["longest_silence_days"] == 8
    assert c["longest_silence_from"] == pd.Timestamp("2024-01-04")
    assert c["longest_silence_to"] == pd.Timestamp("2024-01-11")
    assert c["max_posts_per_day"] == 2 and c["share_days_over_2_posts"] == 0
    assert (c["weeks"], c["silent_weeks"]) == (2, 0)


def test_cadence_window_counts_edges(page):
    c = m.cadence(page, "2023-12-25", "2024-01-14")
    assert c["days"] == 21 and c["posts_per_week"] == pytest.approx(4 / 3)
    assert (c["weeks"], c["silent_weeks"]) == (3, 1)
    assert c["longest_silence_days"] == 8
    lead = m.cadence(page, "2023-12-01", "2024-01-14")
    assert lead["longest_silence_days"] == 31 and lead["longest_silence_from"] == pd.Timestamp("2023-12-01")


def test_weekly_posts(page):
    w = m.weekly_posts(page)
    assert w["week"].tolist() == [pd.Timestamp("2024-01-01"), pd.Timestamp("2024-01-08")]
    assert w["posts"].tolist() == [3, 1] and w["interactions"].tolist() == [30, 2]
    assert w["er_median"].tolist() == pytest.approx([0.1, 0.02])


def test_gap_table(page):
    g = m.gap_table(page).set_index("gap")["gaps"]
    assert g["same day"] == 1 and g["2–3 days"] == 1 and g["8–14 days"] == 1 and g.sum() == 3


def test_follower_growth(page):
    f = m.follower_growth(page, "W")
    assert f["followers"].tolist() == [1010, 1030]
    assert pd.isna(f["net_gain"].iloc[0]) and f["net_gain"].iloc[1] == 20
    assert f["growth_rate"].iloc[1] == pytest.approx(20 / 1010)
    page["page_likes"] = pd.array([pd.NA] * 4, dtype="Int64")
    assert m.follower_growth(page).empty


def test_top_and_bottom_posts(page):
    assert m.top_posts(page, 2)["post_id"].tolist() == ["p3", "p1"]
    bottom = m.top_posts(page, 2, bottom=True)
    assert bottom["post_id"].tolist() == ["p4", "p2"]
    assert bottom["er_reach"].tolist() == pytest.approx([0.02, 0.05])


def test_engagement_by_type_and_category(page):
    t = m.engagement_by(page, "type")
    assert t["type"].tolist() == ["Video", "Photo", "Status"]
    assert t["er_median"].tolist() == pytest.approx([0.2, 0.075, 0.02])
    assert t["share_of_posts"].tolist() == pytest.approx([0.25, 0.5, 0.25])
    c = m.engagement_by(page, "category").set_index("category")
    assert c.loc["action", "er_median"] == pytest.approx(0.15) and c.loc["action", "posts"] == 2
    assert c.loc["(none)", "posts"] == 1
    p = m.engagement_by(page, "paid").set_index("paid")
    assert p.loc["organic", "posts"] == 2 and p.loc["(none)", "posts"] == 1


def test_best_time_table(page):
    b = m.best_time_table(page)
    assert list(zip(b["weekday"].astype(str), b["hour"], strict=True)) == [
        ("Monday", 9), ("Monday", 15), ("Wednesday", 9), ("Friday", 20)]
    assert b["er_median"].tolist() == pytest.approx([0.1, 0.05, 0.2, 0.02])


def test_paid_vs_organic_small(page):
    t = m.paid_vs_organic(page).set_index("group")
    assert t.loc["organic", "er_median"] == pytest.approx(0.15) and t.loc["organic", "posts"] == 2
    assert t.loc["paid", "posts"] == 1 and np.isnan(t.loc["paid", "ci_low"])
    assert t.loc["paid − organic", "er_median"] == pytest.approx(-0.1)
    assert np.isnan(t.loc["paid − organic", "ci_low"])  # one paid post: no interval


def test_paid_vs_organic_interval_covers_difference():
    rows = [dict(published=f"2024-01-{d:02d} 10:00", type="Photo", paid=d % 2 == 0, reach=100,
                 interactions=(20 if d % 2 == 0 else 10) + (d % 4 > 1) * 2) for d in range(1, 29)]
    page = table(rows)
    t = m.paid_vs_organic(page, seed=1).set_index("group")
    diff = t.loc["paid − organic"]
    assert diff["er_median"] == pytest.approx(0.1)
    assert 0.08 <= diff["ci_low"] <= 0.1 <= diff["ci_high"] <= 0.12
    again = m.paid_vs_organic(page, seed=1)
    assert again["ci_low"].tolist() == t["ci_low"].tolist()


def test_frequency_vs_engagement(page):
    f = m.frequency_vs_engagement(page).set_index("posts_per_day")
    assert f.loc["1", "days"] == 2 and f.loc["1", "er_median"] == pytest.approx(0.11)
    assert f.loc["2", "days"] == 1 and f.loc["2", "posts"] == 2 and f.loc["2", "er_median"] == pytest.approx(0.075)
    assert "5+" not in f.index  # only observed buckets


def test_frequency_correlation(page):
    r = m.frequency_correlation(page)
    assert r["days"] == 3 and r["rho"] == pytest.approx(0.0)


def test_audit_scorecard(page):
    s = m.audit_scorecard(page).set_index("criterion")
    assert s.loc["Posts per week", "grade"] == "good"
    assert s.loc["Longest silence (days)", "value"] == 8 and s.loc["Longest silence (days)", "grade"] == "weak"
    assert s.loc["Weeks without a post", "grade"] == "good"
    er = s.loc["Median engagement per post ÷ followers"]
    assert er["value"] == pytest.approx((0.01 + 10 / 1010) / 2) and er["grade"] == "good"
    assert s.loc["Content variety (post types)", "grade"] == "good"
    assert s.loc["Fans' posts answered", "grade"] == "not measured"
    assert "Buddy Media" in s.loc["Posts per week", "source"]
    answered = m.audit_scorecard(page, response_rate=0.3).set_index("criterion")
    assert answered.loc["Fans' posts answered", "grade"] == "weak"


def test_audit_scorecard_flags_overposting_and_missing_followers(page):
    busy = table([dict(published=f"2024-01-01 {h:02d}:00", type="Photo", reach=100, interactions=5)
                  for h in range(10)])
    s = m.audit_scorecard(busy).set_index("criterion")
    assert s.loc["Posts per week", "value"] == pytest.approx(70) and s.loc["Posts per week", "grade"] == "too much"
    assert s.loc["Posting days with more than 2 posts", "grade"] == "too much"
    assert s.loc["Median engagement per post ÷ followers", "grade"] == "not measured"
    assert s.loc["Content variety (post types)", "grade"] == "weak"


def test_chapter_figures(page):
    f = m.chapter_figures(page)
    assert f == {"posts_total": 4, "posts_per_week": pytest.approx(7 / 3), "engagement_rate_median":
                 pytest.approx(0.075), "paid_share": pytest.approx(1 / 3), "top_post_type": "Video",
                 "er_basis": "reach"}


def test_basis_is_reach_when_the_export_has_it_else_impressions():
    fb = table([dict(published="2024-01-01", reach=100, impressions=400, interactions=8)])
    x = table([dict(published="2024-01-01", impressions=400, interactions=8)])
    assert m.basis_of(fb) == "reach" and m.basis_of(x) == "impressions"
    assert m.engagement_rate(x).iloc[0] == pytest.approx(0.02)
    assert m.chapter_figures(x)["er_basis"] == "impressions"
    assert m.chapter_figures(x)["engagement_rate_median"] == pytest.approx(0.02)


def test_pages_figures_one_entry_per_page_in_the_order_given():
    two = table([dict(published="2024-01-01", page="B", network="Facebook", type="Photo", reach=100,
                      impressions=200, interactions=10, paid=True),
                 dict(published="2024-01-08", page="B", network="Facebook", type="Video", reach=100,
                      impressions=200, interactions=20, paid=False),
                 dict(published="2024-01-01", page="A", network="Instagram", type="Reel", reach=50,
                      impressions=100, interactions=1, paid=False)])
    got = m.pages_figures(two)
    assert [p["name"] for p in got] == ["B", "A"]
    assert got[0]["posts_total"] == 2 and got[0]["paid_share"] == pytest.approx(0.5)
    assert got[0]["top_post_type"] == "Video" and got[0]["engagement_rate_median"] == pytest.approx(0.15)
    assert got[1]["network"] == "Instagram" and got[1]["engagement_rate_median"] == pytest.approx(0.02)
    assert {p["er_basis"] for p in got} == {"reach"}


def test_pages_without_a_shared_basis_are_read_on_impressions_or_each_on_its_own():
    mixed = table([dict(published="2024-01-01", page="fb", reach=100, impressions=400, interactions=8),
                   dict(published="2024-01-01", page="x", impressions=400, interactions=4)])
    assert m.common_basis(mixed) == "impressions"
    got = m.pages_figures(mixed)
    assert [p["er_basis"] for p in got] == ["impressions", "impressions"]
    assert got[0]["engagement_rate_median"] == pytest.approx(0.02)
    apart = table([dict(published="2024-01-01", page="fb", reach=100, interactions=8),
                   dict(published="2024-01-01", page="x", impressions=400, interactions=4)])
    assert m.common_basis(apart) is None
    assert [p["er_basis"] for p in m.pages_figures(apart)] == ["reach", "impressions"]


def test_top_post_type_ties_go_alphabetically():
    tie = table([dict(published="2024-01-01", type="Video", reach=10, interactions=1),
                 dict(published="2024-01-02", type="Link", reach=10, interactions=1)])
    assert m.chapter_figures(tie)["top_post_type"] == "Link"


def test_period_engagement_keeps_empty_periods(page):
    t = m.period_engagement(page, "W")
    assert t["posts"].tolist() == [3, 1]
    assert t["er_median"].tolist() == pytest.approx([0.1, 0.02])
    months = table([dict(published=d, type="Photo", reach=100, interactions=i)
                    for d, i in (("2024-01-05", 1), ("2024-03-05", 3), ("2024-03-06", 5))])
    t = m.period_engagement(months)
    assert t["posts"].tolist() == [1, 0, 2] and np.isnan(t["er_median"].iloc[1])


def test_engagement_trend_theil_sen():
    # Monthly median ER 0.01, 0.02, (silent March), 0.04, 0.05: +0.01 a month, exactly.
    rows = [dict(published=f"2024-{mo:02d}-10", type="Photo", reach=100, interactions=mo)
            for mo in (1, 2, 4, 5)]
    t = m.engagement_trend(table(rows))
    assert t["periods"] == 4 and t["slope"] == pytest.approx(0.01)
    assert t["low"] <= 0.01 <= t["high"]
    short = m.engagement_trend(table(rows[:2]))
    assert np.isnan(short["slope"])


# --- chart builders (casebook.pages.charts): aggregated data only, "simulated" in titles ----------

def _rows(chart) -> list[int]:
    return sorted(len(v) for v in chart.to_dict()["datasets"].values())


def test_charts_embed_aggregated_tables(page):
    from casebook.pages import charts as pc

    weekly = pd.concat([m.weekly_posts(page).assign(page="real"), m.weekly_posts(page).assign(page="sim")])
    chart = pc.weekly_posts_chart(weekly, "Posts per week", simulated=True)
    assert _rows(chart) == [4] and chart.to_dict()["title"]["text"] == "Posts per week (simulated)"
    gaps = m.gap_table(page).assign(page="real")
    assert _rows(pc.gap_chart(gaps, "Gaps")) == [len(m.GAP_LABELS)]
    card = m.audit_scorecard(page).assign(page="real")
    chart = pc.scorecard_chart(card, "Audit", simulated=True)
    assert _rows(chart) == [len(card)] and "simulated" in chart.to_dict()["title"]["text"]
    assert _rows(pc.trend_chart(m.period_engagement(page, "W"), "Trend")) == [2]
    assert _rows(pc.group_chart(m.engagement_by(page, "type"), "type", "Types")) == [3]
    assert _rows(pc.median_interval_chart(m.paid_vs_organic(page), "Paid")) == [1, 3]
    assert _rows(pc.frequency_chart(m.frequency_vs_engagement(page), "Frequency")) == [2]


def test_heatmap_leaves_out_small_cells(page):
    from casebook.pages import charts as pc

    cells = m.best_time_table(page)
    assert _rows(pc.heatmap_chart(cells, "Heat")) == [4]
    cells.loc[0, "posts"] = 5
    assert _rows(pc.heatmap_chart(cells, "Heat", min_posts=2)) == [1]


METRIC_CALLS = {
    "summary": lambda p: m.engagement_summary(p), "kaushik": lambda p: m.kaushik_rates(p),
    "cadence": lambda p: m.cadence(p), "cadence_window": lambda p: m.cadence(p, "2023-12-30", "2024-01-20"),
    "weekly": lambda p: m.weekly_posts(p), "gaps": lambda p: m.gap_table(p), "growth": lambda p: m.follower_growth(p),
    "top": lambda p: m.top_posts(p, 2), "by_type": lambda p: m.engagement_by(p, "type"),
    "by_type_paid": lambda p: m.engagement_by(p, ["type", "paid"]), "best": lambda p: m.best_time_table(p),
    "daily": lambda p: m.daily_activity(p), "frequency": lambda p: m.frequency_vs_engagement(p),
    "card": lambda p: m.audit_scorecard(p), "figures": lambda p: m.chapter_figures(p),
    "months": lambda p: m.period_engagement(p),
}


@pytest.mark.parametrize("name", list(METRIC_CALLS))
def test_metrics_leave_the_posts_untouched(page, name):
    before = page.copy()
    METRIC_CALLS[name](page)
    pd.testing.assert_frame_equal(page, before)


def test_weekly_and_daily_medians_follow_posts_in_any_order(page):
    shuffled = page.iloc[[2, 0, 3, 1]]
    pd.testing.assert_frame_equal(m.weekly_posts(shuffled), m.weekly_posts(page))
    pd.testing.assert_frame_equal(m.daily_activity(shuffled), m.daily_activity(page))
    pd.testing.assert_frame_equal(m.engagement_by(shuffled, "type"), m.engagement_by(page, "type"))
    assert m.daily_activity(page)["er_median"].tolist() == [pytest.approx(0.075), 0.2, 0.02]
