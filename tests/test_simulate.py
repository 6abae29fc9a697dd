"""Tests of casebook.pages.simulate: seeded, labelled, and faithful to its stated assumptions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from casebook.io.post_schema import validate_posts
from casebook.pages import metrics as pagemetrics
from casebook.pages.simulate import SilentPageAssumptions, simulate_silent_page
from casebook.schemas import CANONICAL, DTYPES


@pytest.fixture
def reference() -> pd.DataFrame:
    """A flat reference page: every post reach 1,000, 100 interactions (ER 0.1), 10/80/10 split."""
    n = 20
    df = pd.DataFrame({
        "post_id": [f"r{i}" for i in range(n)],
        "published": pd.date_range("2014-01-01 10:00", periods=n, freq="D"),
        "type": ["Photo", "Video"] * (n // 2), "category": "action", "paid": False,
        "reach": 1000, "impressions": 2000, "engaged_users": pd.NA, "comments": 10, "likes": 80, "shares": 10,
        "interactions": 100, "page_likes": 5000, "message": pd.NA, "saves": pd.NA, "follows": pd.NA,
        "page": "reference", "network": "Facebook",
    })
    return df[CANONICAL].astype(DTYPES)


def test_seeded_and_marked_simulated(reference):
    a = simulate_silent_page(reference)
    b = simulate_silent_page(reference)
    pd.testing.assert_frame_equal(a, b)
    assert a["simulated"].all()
    c = simulate_silent_page(reference, SilentPageAssumptions(seed=7))
    assert not a["published"].equals(c["published"])


def test_output_is_a_valid_canonical_table(reference):
    sim = simulate_silent_page(reference)
    validate_posts(sim[CANONICAL].set_axis(range(len(sim))))
    assert sim["published"].is_monotonic_increasing
    assert sim["post_id"].tolist() == [f"sim-{i:04d}" for i in range(1, len(sim) + 1)]


def test_reach_and_engagement_scale_as_assumed(reference):
    sim = simulate_silent_page(reference, SilentPageAssumptions(reach_ratio=0.05, engagement_ratio=0.6))
    assert (sim["reach"] == 50).all()  # 1,000 × 0.05
    assert (sim["interactions"] == 3).all()  # 50 × 0.1 × 0.6
    assert (sim["comments"] + sim["likes"] + sim["shares"] == sim["interactions"]).all()
    assert (sim["impressions"] == 100).all()  # reference impressions ÷ reach = 2


def test_pace_matches_assumption_over_a_long_window(reference):
    a = SilentPageAssumptions(posts_per_week=2.0, irregularity=1.5, weeks=520, seed=3)
    sim = simulate_silent_page(reference, a)
    # 1,040 posts expected; a renewal process with gap CV 1.5 has a count SD near sqrt(1040 × 1.5²) ≈ 48.
    assert 1040 - 200 < len(sim) < 1040 + 200
    gaps = np.diff(sim["published"].to_numpy().astype("datetime64[D]")).astype(int)
    assert gaps.mean() == pytest.approx(3.5, rel=0.2)


def test_followers_grow_from_the_assumed_start(reference):
    a = SilentPageAssumptions(followers=2000, follower_growth_per_week=7.0, start="2014-01-01", weeks=52)
    sim = simulate_silent_page(reference, a)
    days = (sim["published"].dt.normalize() - pd.Timestamp("2014-01-01")).dt.days
    assert ((sim["page_likes"] - 2000 - days).abs() <= 1).all()  # 1 like a day


def test_silent_page_grades_weak_on_cadence(reference):
    sim = simulate_silent_page(reference)
    card = pagemetrics.audit_scorecard(sim).set_index("criterion")
    assert card.loc["Posts per week", "grade"] == "weak"
    assert card.loc["Longest silence (days)", "grade"] == "weak"


def test_invalid_assumptions(reference):
    with pytest.raises(ValueError, match="must be positive"):
        simulate_silent_page(reference, SilentPageAssumptions(posts_per_week=0))
    with pytest.raises(ValueError, match="no posts"):
        simulate_silent_page(reference.iloc[:0])


def test_assumptions_table():
    t = SilentPageAssumptions().describe().set_index("assumption")["value"]
    assert t["posts_per_week"] == "0.7" and t["seed"] == "2011"
