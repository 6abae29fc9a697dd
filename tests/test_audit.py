"""Tests of casebook.pages.audit: the figures dicts and verdicts of the page chapters, on a four-post page."""

from __future__ import annotations

import math

import altair as alt
import pandas as pd
import pytest

from casebook.pages import audit
from casebook.pages import metrics as m
from casebook.pages.simulate import SilentPageAssumptions, simulate_silent_page


@pytest.fixture
def silent(posts: pd.DataFrame) -> pd.DataFrame:
    return simulate_silent_page(posts, SilentPageAssumptions(start="2024-01-01", weeks=2, seed=1))


def test_overview_adds_brand_dates_and_first_and_last_day(posts):
    got = audit.overview(posts, "Acme", True)
    assert {k: got[k] for k in ("posts_total", "top_post_type", "brand", "dates_reconstructed")} == {
        "posts_total": 4, "top_post_type": "Video", "brand": "Acme", "dates_reconstructed": "reconstructed"}
    assert got["first_day"] == pd.Timestamp("2024-01-01 09:00") and got["last_day"] == pd.Timestamp("2024-01-12 20:00")
    assert audit.overview(posts, "Acme", False, "2023-12-30", "2024-01-12")["dates_reconstructed"] == "as exported"
    assert audit.overview(posts, "Acme", False, "2023-12-30", "2024-01-12")["posts_per_week"] == pytest.approx(2.0)


def test_cadence_figures_compare_the_real_page_and_the_silent_one_over_the_real_days(posts, silent):
    got = audit.cadence_figures(posts, silent, "Acme")
    assert got["real_longest_silence"] == 8 and got["real_active_days"] == 3 and got["real_weeks"] == 2
    assert got["real_silence_from"] == pd.Timestamp("2024-01-04")
    assert got["sim_posts_total"] == len(silent)
    assert got["sim_weeks"] == 2  # the real page's days, not the simulated page's
    assert got["sim_posts_per_week"] == pytest.approx(len(silent) / (12 / 7))
    assert isinstance(got["fig-monceau-weekly"], alt.TopLevelMixin) and "imulated" in str(
        got["fig-monceau-gaps"].to_dict()["title"])


@pytest.mark.parametrize(("trend", "verdict"), [
    ({"slope": 0.01, "low": -0.01, "high": 0.02}, "the interval includes zero, so the data show no clear trend"),
    ({"slope": 0.01, "low": 0.005, "high": 0.02}, "engagement per post rose over the period"),
    ({"slope": -0.01, "low": -0.02, "high": -0.005}, "engagement per post fell over the period"),
    ({"slope": math.nan, "low": math.nan, "high": math.nan}, "too few months to tell"),
])
def test_trend_verdict(trend, verdict):
    assert audit.trend_verdict(trend) == verdict


def test_engagement_figures(posts):
    got = audit.engagement_figures(posts, "Acme")
    assert got["er_reach_pooled"] == pytest.approx(32 / 450)
    assert got["er_impressions_median"] == pytest.approx(0.0375)
    assert got["followers_first"] == 1000 and got["followers_last"] == 1030
    assert math.isnan(got["trend_slope_points"]) and got["trend_verdict"] == "too few months to tell"
    assert "Acme" in str(got["fig-monceau-trend"].to_dict()["title"])
    no_followers = posts.assign(page_likes=pd.array([pd.NA] * 4, dtype="Int64"))
    assert math.isnan(audit.engagement_figures(no_followers, "Acme")["followers_first"])


def test_followers_are_the_first_and_last_known_counts(posts):
    posts.loc[0, "page_likes"] = pd.NA
    got = audit.engagement_figures(posts, "Acme")
    assert got["followers_first"] == 1000 and got["followers_last"] == 1030


def test_kaushik_figures(posts):
    assert audit.kaushik_figures(posts) == pytest.approx(
        {"conversation_rate": 1.0, "amplification_rate": 0.75, "applause_rate": 6.25})


def test_failing_lists_weak_and_excessive_criteria():
    card = pd.DataFrame({"criterion": ["Posts per week", "Longest silence", "Reach"],
                         "grade": ["too much", "weak", "good"]})
    assert audit.failing(card) == "posts per week (too much); longest silence (weak)"
    assert audit.failing(card.iloc[[2]]) == "none"


def test_scorecard_figures(posts, silent):
    card = m.audit_scorecard(posts)
    got = audit.scorecard_figures(card, silent, posts, "Acme")
    assert got["criteria"] == 7 and got["criteria_measured"] == 6
    assert got["real_good"] == int((card["grade"] == "good").sum())
    assert got["real_failing"] == audit.failing(card)
    sim_card = m.audit_scorecard(silent, start="2024-01-01", end="2024-01-12")
    assert got["sim_good"] == int((sim_card["grade"] == "good").sum()) and got["sim_failing"] == audit.failing(sim_card)
    pages = {row["page"] for row in got["fig-monceau-audit"].to_dict()["datasets"].popitem()[1]}
    assert pages == {"Acme", audit.SILENT}


def test_action_phrase():
    table = pd.DataFrame({"category": ["product", "inspiration", "action"]})
    assert audit.action_phrase(table) == "action posts (offers and contests) rank 3 of 3 categories by median rate"
    assert audit.action_phrase(table.iloc[:2]) == "this export has no action category"


def test_content_figures(posts):
    by_category = m.engagement_by(posts, "category")
    by_type = m.engagement_by(posts, "type")
    got = audit.content_figures(by_category, by_type, "Acme")
    assert (got["best_category"], got["worst_category"]) == ("action", "(none)")
    assert got["best_category_er"] == pytest.approx(0.15) and got["worst_category_share"] == pytest.approx(0.25)
    assert got["action_phrase"].startswith("action posts (offers and contests) rank 1 of 3")
    assert got["top_type_posts"] == 1 and got["smallest_type_posts"] == 1
    assert isinstance(got["fig-flowers-type"], alt.TopLevelMixin)


def test_best_slot_keeps_cells_with_enough_posts_and_prefers_more_posts_on_ties():
    cells = pd.DataFrame({"weekday": ["Monday", "Tuesday", "Friday"], "hour": [9, 10, 20], "posts": [1, 3, 2],
                          "er_median": [0.5, 0.1, 0.1]})
    assert audit.best_slot(cells, 1) == {"best_slot": "Monday at 9:00", "best_slot_er": 0.5, "best_slot_posts": 1}
    assert audit.best_slot(cells, 2) == {"best_slot": "Tuesday at 10:00", "best_slot_er": 0.1, "best_slot_posts": 3}
    none = audit.best_slot(cells, 4)
    assert none["best_slot"] == "no slot" and none["best_slot_posts"] == 0 and math.isnan(none["best_slot_er"])


def test_best_time_figures(posts):
    got = audit.best_time_figures(posts, "Acme", min_posts=1)
    assert got["heat_cells"] == 4 and got["heat_min_posts"] == 1
    assert got["best_slot"] == "Wednesday at 9:00" and got["best_slot_er"] == pytest.approx(0.2)
    assert audit.best_time_figures(posts, "Acme", min_posts=2)["best_slot"] == "no slot"


@pytest.mark.parametrize(("low", "high", "verdict"), [
    (-0.01, 0.02, "cannot tell paid from organic posts"),
    (0.01, 0.02, "paid posts engage more per person reached"),
    (-0.03, -0.01, "paid posts engage fewer of the people they reach"),
    (math.nan, math.nan, "has too few posts in a group to say"),
])
def test_paid_verdict(low, high, verdict):
    assert audit.paid_verdict(low, high) == verdict


def test_paid_figures():
    paid = pd.DataFrame({"group": ["organic", "paid", "paid − organic"], "posts": [30, 20, 50],
                         "er_median": [0.02, 0.03, 0.01], "ci_low": [0.01, 0.02, 0.002], "ci_high": [0.03, 0.04, 0.02]})
    got = audit.paid_figures(paid, 0.9, "Acme")
    assert got["paid_diff_points"] == pytest.approx(1.0) and got["paid_low_points"] == pytest.approx(0.2)
    assert got["paid_high_points"] == pytest.approx(2.0) and got["confidence_pct"] == pytest.approx(90.0)
    assert got["paid_verdict"] == "paid posts engage more per person reached"
    assert "90%" in str(got["fig-flowers-paid"].to_dict()["title"])


def test_frequency_figures(posts):
    frequency = m.frequency_vs_engagement(posts, cap=2)
    got = audit.frequency_figures(posts, frequency, 2, "Acme")
    assert got["freq_days"] == 3 and got["freq_rho"] == pytest.approx(0.0)  # ranks (3, 1.5, 1.5) and (2, 3, 1)
    assert got["freq_one_er"] == pytest.approx(0.11)  # days of one post: medians 0.2 and 0.02
    assert got["freq_busy_days"] == 1  # with a cap of 2, "2+" counts as busy
    assert got["busy_share"] == 0.0
    assert audit.frequency_figures(posts, m.frequency_vs_engagement(posts, cap=5), 5, "Acme")["freq_busy_days"] == 0
