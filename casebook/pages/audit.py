"""What the page-audit chapters glue (room pages): each section's numbers, verdicts and charts as one dict.

May import: the foundation, charts, pages. Never io: every function takes frames (the canonical post
table, a simulated page) or the tables of :mod:`casebook.pages.metrics`.

A notebook glues a section with ``book.glue_all(audit.<section>_figures(...))``; the keys are the glue
names its prose quotes. Verdicts (the sentences that depend on a result) are functions of their own.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from casebook.pages import charts, metrics
from casebook.pages.simulate import SILENT


def _days(posts: pd.DataFrame) -> tuple[str, str]:
    """First and last publication day of ``posts`` (YYYY-MM-DD): the window a comparison page is read over."""
    return str(posts["published"].min().date()), str(posts["published"].max().date())


def overview(posts: pd.DataFrame, brand: str, dates_reconstructed: bool, start: str | None = None,
             end: str | None = None) -> dict[str, object]:
    """The page in figures: :func:`~casebook.pages.metrics.chapter_figures`, the brand, whether the
    dates were reconstructed and the first and last publication day."""
    figures = metrics.chapter_figures(posts, start, end)
    phrase = {"reach": "of the people it reached (interactions ÷ reach)",
              "impressions": "of the times it was shown (interactions ÷ views or impressions: the export has no reach)"}
    return {**figures, "er_basis_phrase": phrase[figures["er_basis"]], "brand": brand,
            "dates_reconstructed": "reconstructed" if dates_reconstructed else "as exported",
            "first_day": posts["published"].min(), "last_day": posts["published"].max()}


def cadence_figures(posts: pd.DataFrame, silent: pd.DataFrame, brand: str, start: str | None = None,
                    end: str | None = None) -> dict[str, object]:
    """Cadence of the real page (over its window) and of the simulated silent page (over the real page's
    days), with the weekly posts and gap charts of both (Monceau Fleurs)."""
    real = metrics.cadence(posts, start, end)
    sim = metrics.cadence(silent, *_days(posts))
    weekly = pd.concat([metrics.weekly_posts(posts).assign(page=brand), metrics.weekly_posts(silent).assign(page=SILENT)])
    gaps = pd.concat([metrics.gap_table(posts).assign(page=brand), metrics.gap_table(silent).assign(page=SILENT)])
    return {
        "real_longest_silence": real["longest_silence_days"], "real_silence_from": real["longest_silence_from"],
        "real_silence_to": real["longest_silence_to"], "real_silent_weeks": real["silent_weeks"],
        "real_weeks": real["weeks"], "real_median_gap": real["median_gap_days"],
        "real_active_days": real["active_days"],
        "sim_posts_total": len(silent), "sim_posts_per_week": sim["posts_per_week"],
        "sim_longest_silence": sim["longest_silence_days"], "sim_silent_weeks": sim["silent_weeks"],
        "sim_weeks": sim["weeks"], "sim_median_gap": sim["median_gap_days"],
        "fig-monceau-weekly": charts.weekly_posts_chart(
            weekly, "Posts per week: a real page and a silent one", simulated=True,
            subtitle="Top: real posts; bottom: simulated silent page"),
        "fig-monceau-gaps": charts.gap_chart(gaps, "How long between two posts?", simulated=True,
                                             subtitle="Share of the gaps between consecutive posts, by length"),
    }


def trend_verdict(trend: Mapping[str, float]) -> str:
    """What a Theil–Sen trend (:func:`~casebook.pages.metrics.engagement_trend`) says, in words."""
    if trend["low"] <= 0 <= trend["high"]:
        return "the interval includes zero, so the data show no clear trend"
    if np.isnan(trend["slope"]):
        return "too few months to tell"
    return "engagement per post rose over the period" if trend["low"] > 0 else "engagement per post fell over the period"


def engagement_figures(posts: pd.DataFrame, brand: str) -> dict[str, object]:
    """Engagement rates by base, the monthly trend with its verdict, follower counts and their two charts."""
    summary = metrics.engagement_summary(posts)
    trend = metrics.engagement_trend(posts)
    followers = posts["page_likes"].dropna()
    return {
        "er_reach_pooled": summary.loc["reach", "pooled"],
        "er_impressions_median": summary.loc["impressions", "median"],
        "er_followers_median": summary.loc["followers", "median"],
        "trend_slope_points": trend["slope"] * 100, "trend_low_points": trend["low"] * 100,
        "trend_high_points": trend["high"] * 100, "trend_verdict": trend_verdict(trend),
        "fig-monceau-trend": charts.trend_chart(
            metrics.period_engagement(posts), f"Median engagement rate per post, by month: {brand}",
            subtitle=f"Interactions ÷ {metrics.basis_of(posts)}; months without posts are left out"),
        "followers_first": followers.iloc[0] if len(followers) else float("nan"),
        "followers_last": followers.iloc[-1] if len(followers) else float("nan"),
        "fig-monceau-followers": charts.trend_chart(
            metrics.follower_growth(posts), f"Page likes at the end of each month: {brand}", y="followers",
            y_title="Page likes (followers)", y_format=",d",
            subtitle="From the page's total likes recorded with each post"),
    }


def kaushik_figures(posts: pd.DataFrame) -> dict[str, float]:
    """Comments, shares and likes per post: Kaushik's conversation, amplification and applause rates."""
    rates = metrics.kaushik_rates(posts)["per_post"]
    return {f"{rate}_rate": rates[rate] for rate in ("conversation", "amplification", "applause")}


def failing(card: pd.DataFrame) -> str:
    """The criteria an audit scorecard grades "weak" or "too much", as one phrase ("none" if none)."""
    bad = card[card["grade"].isin(["weak", "too much"])]
    return "; ".join(f"{r.criterion.lower()} ({r.grade})" for r in bad.itertuples()) or "none"


def scorecard_figures(card: pd.DataFrame, silent: pd.DataFrame, posts: pd.DataFrame,
                      brand: str) -> dict[str, object]:
    """The real page's audit ``card`` beside the silent page's (graded over the days of ``posts``): the
    criteria met and failed by each, and the chart of both."""
    sim_card = metrics.audit_scorecard(silent, start=_days(posts)[0], end=_days(posts)[1])
    both = pd.concat([card.assign(page=brand), sim_card.assign(page=SILENT)])
    return {
        "fig-monceau-audit": charts.scorecard_chart(
            both, "Animation audit: a real page and a silent one", simulated=True,
            subtitle="Thresholds from published benchmarks or stated rules"),
        "real_good": int((card["grade"] == "good").sum()), "sim_good": int((sim_card["grade"] == "good").sum()),
        "criteria": len(card), "criteria_measured": int((card["grade"] != "not measured").sum()),
        "real_failing": failing(card), "sim_failing": failing(sim_card),
    }


def action_phrase(by_category: pd.DataFrame) -> str:
    """Where action posts (offers and contests) rank among the categories of ``engagement_by(.., "category")``."""
    cats = by_category["category"].astype(str).tolist()
    if "action" not in cats:
        return "this export has no action category"
    return f"action posts (offers and contests) rank {cats.index('action') + 1} of {len(cats)} categories by median rate"


def content_figures(by_category: pd.DataFrame, by_type: pd.DataFrame, brand: str) -> dict[str, object]:
    """Best and worst content category, where action posts rank, the sizes of the post types, two charts."""
    return {
        "best_category": str(by_category["category"].iloc[0]), "best_category_er": by_category["er_median"].iloc[0],
        "worst_category": str(by_category["category"].iloc[-1]),
        "worst_category_er": by_category["er_median"].iloc[-1],
        "worst_category_share": by_category["share_of_posts"].iloc[-1],
        "action_phrase": action_phrase(by_category),
        "top_type_posts": int(by_type["posts"].iloc[0]),
        "smallest_type": str(by_type.sort_values("posts")["type"].iloc[0]),
        "smallest_type_posts": int(by_type["posts"].min()),
        "fig-flowers-category": charts.group_chart(by_category, "category",
                                                   f"Median engagement rate by content category: {brand}"),
        "fig-flowers-type": charts.group_chart(by_type, "type", f"Median engagement rate by post type: {brand}"),
    }


def best_slot(cells: pd.DataFrame, min_posts: int) -> dict[str, object]:
    """The weekday-hour cell of :func:`~casebook.pages.metrics.best_time_table` with the highest median ER
    among those of at least ``min_posts`` posts (ties: more posts first), or "no slot"."""
    kept = cells[cells["posts"] >= min_posts]
    if not len(kept):
        return {"best_slot": "no slot", "best_slot_er": float("nan"), "best_slot_posts": 0}
    best = kept.sort_values(["er_median", "posts"], ascending=[False, False]).iloc[0]
    return {"best_slot": f"{best['weekday']} at {int(best['hour'])}:00", "best_slot_er": float(best["er_median"]),
            "best_slot_posts": int(best["posts"])}


def best_time_figures(posts: pd.DataFrame, brand: str, min_posts: int) -> dict[str, object]:
    """The best-time heatmap (cells of at least ``min_posts`` posts), how many cells it keeps, the best slot."""
    cells = metrics.best_time_table(posts)
    return {
        "heat_cells": int((cells["posts"] >= min_posts).sum()), "heat_min_posts": int(min_posts),
        **best_slot(cells, min_posts),
        "fig-flowers-heatmap": charts.heatmap_chart(cells, f"Median engagement rate by weekday and hour: {brand}",
                                                    subtitle=f"Cells with at least {min_posts} posts",
                                                    min_posts=min_posts),
    }


def paid_verdict(low: float, high: float) -> str:
    """What the interval of paid minus organic median ER says, completing "at that confidence the data ..."."""
    if low <= 0 <= high:
        return "cannot tell paid from organic posts"
    if np.isnan(low):
        return "has too few posts in a group to say"
    return "paid posts engage more per person reached" if low > 0 else "paid posts engage fewer of the people they reach"


def paid_figures(paid: pd.DataFrame, confidence: float, brand: str) -> dict[str, object]:
    """Paid minus organic median ER in percentage points with its interval (from
    :func:`~casebook.pages.metrics.paid_vs_organic`), its verdict and the chart."""
    diff = paid.set_index("group").loc["paid − organic"]
    return {
        "paid_diff_points": diff["er_median"] * 100, "paid_low_points": diff["ci_low"] * 100,
        "paid_high_points": diff["ci_high"] * 100, "confidence_pct": confidence * 100,
        "paid_verdict": paid_verdict(diff["ci_low"], diff["ci_high"]),
        "fig-flowers-paid": charts.median_interval_chart(paid, f"Paid and organic posts: {brand}",
                                                         subtitle=f"Medians with {confidence:.0%} bootstrap intervals"),
    }


def frequency_figures(posts: pd.DataFrame, frequency: pd.DataFrame, cap: int, brand: str, start: str | None = None,
                      end: str | None = None) -> dict[str, object]:
    """Posts per day against engagement per post: the rank correlation, single-post and busy days (3 posts or
    more; ``frequency`` is :func:`~casebook.pages.metrics.frequency_vs_engagement` with this ``cap``), the chart."""
    corr = metrics.frequency_correlation(posts)
    one = frequency[frequency["posts_per_day"] == "1"]
    busy = frequency[frequency["posts_per_day"].astype(str).isin([str(k) for k in range(3, cap)] + [f"{cap}+"])]
    return {
        "freq_rho": corr["rho"], "freq_p": corr["pvalue"], "freq_days": int(corr["days"]),
        "freq_one_er": float(one["er_median"].iloc[0]) if len(one) else float("nan"),
        "freq_busy_days": int(busy["days"].sum()),
        "busy_share": metrics.cadence(posts, start, end)["share_days_over_2_posts"],
        "fig-flowers-frequency": charts.frequency_chart(frequency, f"Engagement per post on busier days: {brand}"),
    }
