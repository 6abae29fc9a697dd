"""What the page-audit chapters glue (room pages): each section's numbers, verdicts and charts as one dict.

May import: the foundation, charts, pages. Never io: every function takes frames (the canonical post
table, a simulated page) or the tables of :mod:`casebook.pages.metrics`.

A notebook glues a section with ``book.glue_all(audit.<section>_figures(...))``; the keys are the glue
names its prose quotes. Verdicts (the sentences that depend on a result) are functions of their own.
Glued words, titles and verdicts are in the current language (:mod:`casebook.i18n`); numbers are not.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from casebook import i18n
from casebook.i18n import gettext as _
from casebook.pages import charts, metrics, simulate
from casebook.pages.metrics import shown
from casebook.pages.simulate import silent_name

#: The simulated page's English name (its name in the current language: :func:`silent_name`).
SILENT = simulate.SILENT


def _days(posts: pd.DataFrame) -> tuple[str, str]:
    """First and last publication day of ``posts`` (YYYY-MM-DD): the window a comparison page is read over."""
    return str(posts["published"].min().date()), str(posts["published"].max().date())


def day_text(day: pd.Timestamp) -> object:
    """A day as the chapters glue it: the day itself in English (printed ``2014-01-15``, as the English
    edition always did), written out in other languages (``15 janvier 2014``)."""
    return day if i18n.current() == "en" else i18n.date(day)


def overview(posts: pd.DataFrame, brand: str, dates_reconstructed: bool, start: str | None = None,
             end: str | None = None) -> dict[str, object]:
    """The page in figures: :func:`~casebook.pages.metrics.chapter_figures`, the brand, whether the
    dates were reconstructed and the first and last publication day."""
    figures = metrics.chapter_figures(posts, start, end)
    phrase = {"reach": _("of the people it reached (interactions ÷ reach)"),
              "impressions": _("of the times it was shown (interactions ÷ views or impressions: the export has no reach)")}
    return {**figures, "er_basis": shown(figures["er_basis"]), "top_post_type": shown(figures["top_post_type"]),
            "er_basis_phrase": phrase[figures["er_basis"]], "brand": brand,
            "dates_reconstructed": _("reconstructed") if dates_reconstructed else _("as exported"),
            "first_day": day_text(posts["published"].min()), "last_day": day_text(posts["published"].max())}


def cadence_figures(posts: pd.DataFrame, silent: pd.DataFrame, brand: str, start: str | None = None,
                    end: str | None = None) -> dict[str, object]:
    """Cadence of the real page (over its window) and of the simulated silent page (over the real page's
    days), with the weekly posts and gap charts of both (Monceau Fleurs)."""
    real = metrics.cadence(posts, start, end)
    sim = metrics.cadence(silent, *_days(posts))
    name = silent_name()
    weekly = pd.concat([metrics.weekly_posts(posts).assign(page=brand), metrics.weekly_posts(silent).assign(page=name)])
    gaps = pd.concat([metrics.gap_table(posts).assign(page=brand), metrics.gap_table(silent).assign(page=name)])
    return {
        "real_longest_silence": real["longest_silence_days"], "real_silence_from": day_text(real["longest_silence_from"]),
        "real_silence_to": day_text(real["longest_silence_to"]), "real_silent_weeks": real["silent_weeks"],
        "real_weeks": real["weeks"], "real_median_gap": real["median_gap_days"],
        "real_active_days": real["active_days"],
        "sim_posts_total": len(silent), "sim_posts_per_week": sim["posts_per_week"],
        "sim_longest_silence": sim["longest_silence_days"], "sim_silent_weeks": sim["silent_weeks"],
        "sim_weeks": sim["weeks"], "sim_median_gap": sim["median_gap_days"],
        "fig-monceau-weekly": charts.weekly_posts_chart(
            weekly, _("Posts per week: a real page and a silent one"), simulated=True,
            subtitle=_("Top: real posts; bottom: simulated silent page")),
        "fig-monceau-gaps": charts.gap_chart(gaps, _("How long between two posts?"), simulated=True,
                                             subtitle=_("Share of the gaps between consecutive posts, by length")),
    }


def trend_verdict(trend: Mapping[str, float]) -> str:
    """What a Theil–Sen trend (:func:`~casebook.pages.metrics.engagement_trend`) says, in words."""
    if trend["low"] <= 0 <= trend["high"]:
        return _("the interval includes zero, so the data show no clear trend")
    if np.isnan(trend["slope"]):
        return _("too few months to tell")
    return (_("engagement per post rose over the period") if trend["low"] > 0
            else _("engagement per post fell over the period"))


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
            metrics.period_engagement(posts), _("Median engagement rate per post, by month: {brand}").format(brand=brand),
            subtitle=_("Interactions ÷ {basis}; months without posts are left out").format(
                basis=shown(metrics.basis_of(posts)))),
        "followers_first": followers.iloc[0] if len(followers) else float("nan"),
        "followers_last": followers.iloc[-1] if len(followers) else float("nan"),
        "fig-monceau-followers": charts.trend_chart(
            metrics.follower_growth(posts), _("Page likes at the end of each month: {brand}").format(brand=brand),
            y="followers", y_title=_("Page likes (followers)"), y_format=",d",
            subtitle=_("From the page's total likes recorded with each post")),
    }


def kaushik_figures(posts: pd.DataFrame) -> dict[str, float]:
    """Comments, shares and likes per post: Kaushik's conversation, amplification and applause rates."""
    rates = metrics.kaushik_rates(posts)["per_post"]
    return {f"{rate}_rate": rates[rate] for rate in ("conversation", "amplification", "applause")}


def failing(card: pd.DataFrame) -> str:
    """The criteria an audit scorecard grades "weak" or "too much", as one phrase ("none" if none), in the
    current language."""
    bad = card[card["grade"].isin(["weak", "too much"])]
    return _("; ").join(_("{criterion} ({grade})").format(criterion=shown(r.criterion).lower(), grade=shown(r.grade))
                        for r in bad.itertuples()) or _("none")


def scorecard_figures(card: pd.DataFrame, silent: pd.DataFrame, posts: pd.DataFrame,
                      brand: str) -> dict[str, object]:
    """The real page's audit ``card`` beside the silent page's (graded over the days of ``posts``): the
    criteria met and failed by each, and the chart of both."""
    sim_card = metrics.audit_scorecard(silent, start=_days(posts)[0], end=_days(posts)[1])
    both = pd.concat([card.assign(page=brand), sim_card.assign(page=silent_name())])
    return {
        "fig-monceau-audit": charts.scorecard_chart(
            both, _("Animation audit: a real page and a silent one"), simulated=True,
            subtitle=_("Thresholds from published benchmarks or stated rules")),
        "real_good": int((card["grade"] == "good").sum()), "sim_good": int((sim_card["grade"] == "good").sum()),
        "criteria": len(card), "criteria_measured": int((card["grade"] != "not measured").sum()),
        "real_failing": failing(card), "sim_failing": failing(sim_card),
    }


def action_phrase(by_category: pd.DataFrame) -> str:
    """Where action posts (offers and contests) rank among the categories of ``engagement_by(.., "category")``."""
    cats = by_category["category"].astype(str).tolist()
    if "action" not in cats:
        return _("this export has no action category")
    return _("action posts (offers and contests) rank {rank} of {n} categories by median rate").format(
        rank=cats.index("action") + 1, n=len(cats))


def content_figures(by_category: pd.DataFrame, by_type: pd.DataFrame, brand: str) -> dict[str, object]:
    """Best and worst content category, where action posts rank, the sizes of the post types, two charts."""
    return {
        "best_category": shown(by_category["category"].iloc[0]), "best_category_er": by_category["er_median"].iloc[0],
        "worst_category": shown(by_category["category"].iloc[-1]),
        "worst_category_er": by_category["er_median"].iloc[-1],
        "worst_category_share": by_category["share_of_posts"].iloc[-1],
        "action_phrase": action_phrase(by_category),
        "top_type_posts": int(by_type["posts"].iloc[0]),
        "smallest_type": shown(by_type.sort_values("posts")["type"].iloc[0]),
        "smallest_type_posts": int(by_type["posts"].min()),
        "fig-flowers-category": charts.group_chart(by_category, "category",
                                                   _("Median engagement rate by content category: {brand}").format(
                                                       brand=brand)),
        "fig-flowers-type": charts.group_chart(by_type, "type",
                                               _("Median engagement rate by post type: {brand}").format(brand=brand)),
    }


def best_slot(cells: pd.DataFrame, min_posts: int) -> dict[str, object]:
    """The weekday-hour cell of :func:`~casebook.pages.metrics.best_time_table` with the highest median ER
    among those of at least ``min_posts`` posts (ties: more posts first), or "no slot" (in the current language)."""
    kept = cells[cells["posts"] >= min_posts]
    if not len(kept):
        return {"best_slot": _("no slot"), "best_slot_er": float("nan"), "best_slot_posts": 0}
    best = kept.sort_values(["er_median", "posts"], ascending=[False, False]).iloc[0]
    slot = _("{weekday} at {hour}:00").format(weekday=shown(best["weekday"]), hour=int(best["hour"]))
    return {"best_slot": slot, "best_slot_er": float(best["er_median"]),
            "best_slot_posts": int(best["posts"])}


def best_time_figures(posts: pd.DataFrame, brand: str, min_posts: int) -> dict[str, object]:
    """The best-time heatmap (cells of at least ``min_posts`` posts), how many cells it keeps, the best slot."""
    cells = metrics.best_time_table(posts)
    return {
        "heat_cells": int((cells["posts"] >= min_posts).sum()), "heat_min_posts": int(min_posts),
        **best_slot(cells, min_posts),
        "fig-flowers-heatmap": charts.heatmap_chart(cells, _("Median engagement rate by weekday and hour: {brand}").format(
                                                        brand=brand),
                                                    subtitle=_("Cells with at least {n} posts").format(n=min_posts),
                                                    min_posts=min_posts),
    }


def paid_verdict(low: float, high: float) -> str:
    """What the interval of paid minus organic median ER says, completing "at that confidence the data ..."."""
    if low <= 0 <= high:
        return _("cannot tell paid from organic posts")
    if np.isnan(low):
        return _("has too few posts in a group to say")
    return (_("paid posts engage more per person reached") if low > 0
            else _("paid posts engage fewer of the people they reach"))


def paid_figures(paid: pd.DataFrame, confidence: float, brand: str) -> dict[str, object]:
    """Paid minus organic median ER in percentage points with its interval (from
    :func:`~casebook.pages.metrics.paid_vs_organic`), its verdict and the chart."""
    diff = paid.set_index("group").loc["paid − organic"]
    return {
        "paid_diff_points": diff["er_median"] * 100, "paid_low_points": diff["ci_low"] * 100,
        "paid_high_points": diff["ci_high"] * 100, "confidence_pct": confidence * 100,
        "paid_verdict": paid_verdict(diff["ci_low"], diff["ci_high"]),
        "fig-flowers-paid": charts.median_interval_chart(
            paid, _("Paid and organic posts: {brand}").format(brand=brand),
            subtitle=_("Medians with {level} bootstrap intervals").format(level=i18n.fmt(confidence, ".0%"))),
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
        "fig-flowers-frequency": charts.frequency_chart(
            frequency, _("Engagement per post on busier days: {brand}").format(brand=brand)),
    }
