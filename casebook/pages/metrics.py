"""Page audit metrics (room pages) on the canonical post table of :mod:`casebook.io.posts`.

May import: the foundation. Never io: every function takes the post table (a simulated page is one too).

Engagement rates follow ANALYTICS.md section 3 (interactions ÷ reach, ÷ impressions, ÷ followers);
Kaushik's conversation, amplification and applause rates are comments, shares and likes per post.
Every public function returns an aggregated table (what a chart embeds), never one row per post,
except :func:`engagement_rate`, the per-post helper the others build on. Groups are pandas groupby.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from casebook import i18n
from casebook.i18n import gettext as _
from casebook.schemas import BASES

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
GAP_BINS = [-1, 0, 1, 3, 7, 14, 30, np.inf]
GAP_LABELS = ["same day", "1 day", "2–3 days", "4–7 days", "8–14 days", "15–30 days", "over 30 days"]


_MORE_THAN = re.compile(r"Posting days with more than (\d+) posts")


def shown(value: object) -> str:
    """A label the tables keep in English (criterion, grade, gap band, weekday, group, post type, basis...)
    as a reader of the current language sees it; names it does not know are shown as they are."""
    text = str(value)
    m = _MORE_THAN.fullmatch(text)
    if m:
        return _("Posting days with more than {n} posts").format(n=m[1])
    return _(text)


def _label_words() -> list[str]:
    """The English labels of the tables (grades, criteria, gap bands, weekdays, groups, post types, bases,
    Kaushik's rates, the sources of the thresholds), spelled out once so ``make catalogs`` extracts them:
    :func:`shown` and :func:`source` translate them when a reader sees them."""
    return [_("good"), _("weak"), _("too much"), _("not measured"), _("Posts per week"), _("Longest silence (days)"),
            _("Weeks without a post"), _("Median engagement per post ÷ followers"), _("Content variety (post types)"),
            _("Fans' posts answered"), _("same day"), _("1 day"), _("2–3 days"), _("4–7 days"), _("8–14 days"),
            _("15–30 days"), _("over 30 days"), _("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"),
            _("Friday"), _("Saturday"), _("Sunday"), _("organic"), _("paid"), _("paid − organic"), _("(none)"),
            _("Photo"), _("Status"), _("Link"), _("Video"), _("product"), _("action"), _("inspiration"),
            _("reach"), _("impressions"), _("followers"), _("conversation"), _("amplification"), _("applause"),
            _("comments"), _("shares"), _("likes"), _("top"), _("bottom"),
            _("Socialbakers: pages averaged 6.5 posts a month in Sept 2011 (≈1.5 a week)"),
            _("Buddy Media (2012): no more than 7 posts a week; ExactTarget (2011): 44% unliked a brand for "
              "posting too often"),
            _("Buddy Media (2012): 1–2 posts a day"),
            _("book's rule: a full week without a post (at the 2011 average pace a page posts every 4.7 days)"),
            _("Rival IQ median engagement per post: 0.064% of followers (2022)"),
            _("book's rule of thumb: at least 2 post types, none above 80% of posts"),
            _("Socialbakers Q2 2012: 47.6% of wall posts answered")]


def basis_of(posts: pd.DataFrame) -> str:
    """The engagement-rate basis a post table supports: ``reach`` when any post has a reach, else
    ``impressions`` (X, LinkedIn, TikTok and YouTube exports count views or impressions, not people)."""
    return "reach" if posts["reach"].notna().any() or posts["impressions"].isna().all() else "impressions"


def engagement_rate(posts: pd.DataFrame, basis: str | None = None) -> pd.Series:
    """Per-post engagement rate: interactions ÷ reach, impressions or followers (NaN if 0 or missing);
    ``basis`` None: the table's own (:func:`basis_of`)."""
    basis = basis or basis_of(posts)
    if basis not in BASES:
        raise ValueError(f"basis must be one of {', '.join(BASES)}, not {basis!r}")
    den = posts[BASES[basis]].to_numpy(dtype="float64", na_value=np.nan)
    num = posts["interactions"].to_numpy(dtype="float64", na_value=np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        return pd.Series(np.where(den > 0, num / den, np.nan), index=posts.index, name=f"er_{basis}")


def engagement_summary(posts: pd.DataFrame) -> pd.DataFrame:
    """Engagement rate by reach, impressions and followers: posts with a rate, median, mean, pooled."""
    rows = []
    for basis, col in BASES.items():
        er = engagement_rate(posts, basis)
        ok = er.notna()
        den = posts.loc[ok, col].astype("float64").sum()
        rows.append({"basis": basis, "posts": int(ok.sum()), "median": er.median(), "mean": er.mean(),
                     "pooled": posts.loc[ok, "interactions"].sum() / den if den > 0 else np.nan})
    return pd.DataFrame(rows).set_index("basis")


def kaushik_rates(posts: pd.DataFrame) -> pd.DataFrame:
    """Conversation (comments), amplification (shares) and applause (likes) rates.

    ``per_post`` = total ÷ posts with the count; ``per_1000_followers`` = mean over posts of
    count ÷ page likes × 1,000 (NaN when the export has no follower counts).
    """
    followers = posts["page_likes"].to_numpy(dtype="float64", na_value=np.nan)
    rows = []
    for rate, col in (("conversation", "comments"), ("amplification", "shares"), ("applause", "likes")):
        v = posts[col].to_numpy(dtype="float64", na_value=np.nan)
        ok = ~np.isnan(v)
        with np.errstate(divide="ignore", invalid="ignore"):
            per_f = np.where(followers > 0, v / followers * 1000, np.nan)
        rows.append({"rate": rate, "metric": col, "posts": int(ok.sum()),
                     "per_post": v[ok].sum() / ok.sum() if ok.any() else np.nan,
                     "per_1000_followers": np.nanmean(per_f) if np.isfinite(per_f).any() else np.nan})
    return pd.DataFrame(rows).set_index("rate")


def _days(posts: pd.DataFrame) -> np.ndarray:
    """Publication day of each post (datetime64[D])."""
    return posts["published"].to_numpy().astype("datetime64[D]")


def _weekday(days: np.ndarray) -> np.ndarray:
    """Day of the week of each day, 0 = Monday (1970-01-01 was a Thursday)."""
    return (days.astype("int64") + 3) % 7


def _week_start(days: np.ndarray) -> np.ndarray:
    """Monday of each day's week."""
    return (days.astype("int64") - _weekday(days)).astype("datetime64[D]")


def _window(days: np.ndarray, start: str | pd.Timestamp | None,
            end: str | pd.Timestamp | None) -> tuple[np.datetime64, np.datetime64]:
    """First and last day of the window: the days given, else of the first and last post."""
    lo = np.datetime64(pd.Timestamp(start).date()) if start not in (None, "") else days.min()
    hi = np.datetime64(pd.Timestamp(end).date()) if end not in (None, "") else days.max()
    return lo, hi


def cadence(posts: pd.DataFrame, start: str | pd.Timestamp | None = None,
            end: str | pd.Timestamp | None = None) -> dict[str, object]:
    """Posting cadence over the window (default: first to last post day, inclusive).

    posts_per_week = posts ÷ (days in window ÷ 7); gaps are days between consecutive posting days;
    the longest silence also counts the edges of the window; a silent week is a Monday–Sunday week
    of the window with no post.
    """
    if len(posts) == 0:
        raise ValueError("cadence needs at least one post")
    days = _days(posts)
    lo, hi = _window(days, start, end)
    span = int((hi - lo).astype(int)) + 1
    uniq, per_day = np.unique(days, return_counts=True)
    edges = np.concatenate([[lo - np.timedelta64(1, "D")], uniq, [hi + np.timedelta64(1, "D")]])
    silences = np.diff(edges).astype(int) - 1  # empty days between posting days (and window edges)
    k = int(np.argmax(silences))
    gaps = np.diff(uniq).astype(int)
    first_week, last_week = _week_start(np.array([lo, hi]))
    weeks = int((last_week - first_week).astype(int)) // 7 + 1
    active = np.unique(_week_start(uniq))  # whole weeks, as weekly_posts counts them
    active = active[(active >= first_week) & (active <= last_week)]
    return {
        "posts": int(len(posts)),
        "first_day": pd.Timestamp(lo), "last_day": pd.Timestamp(hi), "days": span,
        "posts_per_week": len(posts) / (span / 7),
        "posts_per_month": len(posts) / (span / (365.25 / 12)),
        "active_days": int(len(uniq)),
        "median_gap_days": float(np.median(gaps)) if len(gaps) else np.nan,
        "longest_silence_days": int(silences[k]),
        "longest_silence_from": pd.Timestamp(edges[k] + np.timedelta64(1, "D")),
        "longest_silence_to": pd.Timestamp(edges[k + 1] - np.timedelta64(1, "D")),
        "max_posts_per_day": int(per_day.max()),
        "share_days_over_2_posts": float((per_day > 2).sum() / len(per_day)),
        "weeks": weeks,
        "silent_weeks": weeks - len(active),
    }


def weekly_posts(posts: pd.DataFrame, start: str | pd.Timestamp | np.datetime64 | None = None,
                 end: str | pd.Timestamp | np.datetime64 | None = None) -> pd.DataFrame:
    """Posts, interactions and median ER by reach per Monday-started week, silent weeks included."""
    days = _days(posts)
    lo, hi = _window(days, None if start is None else pd.Timestamp(start), None if end is None else pd.Timestamp(end))
    first, last = _week_start(np.array([lo, hi]))
    weeks = np.arange(first, last + np.timedelta64(1, "D"), np.timedelta64(7, "D"))
    frame = pd.DataFrame({"week": _week_start(days), "interactions": posts["interactions"].to_numpy(),
                          "er": engagement_rate(posts).to_numpy()})
    g = frame[(frame["week"] >= first) & (frame["week"] <= last)].groupby("week")
    out = pd.DataFrame({"posts": g.size(), "interactions": g["interactions"].sum(), "er_median": g["er"].median()})
    out = out.reindex(pd.Index(weeks, name="week").astype("datetime64[ns]"))  # silent weeks too
    out[["posts", "interactions"]] = out[["posts", "interactions"]].fillna(0).astype("int64")
    return out.reset_index()


def period_engagement(posts: pd.DataFrame, freq: str = "MS", basis: str | None = None) -> pd.DataFrame:
    """Posts and median ER per period (pandas resample rule; "MS" = calendar months), empty periods kept."""
    er = engagement_rate(posts, basis).set_axis(pd.DatetimeIndex(posts["published"].to_numpy()))
    r = er.sort_index(kind="stable").resample(freq)
    out = pd.DataFrame({"posts": r.size(), "er_median": r.median()})
    return out.rename_axis("period").reset_index()


def engagement_trend(posts: pd.DataFrame, freq: str = "MS", confidence: float = 0.95,
                     basis: str | None = None) -> dict[str, float]:
    """Theil–Sen slope of the per-period median ER (change per period), with its confidence interval.

    Uses :func:`scipy.stats.theilslopes` on the periods that have posts (robust to an odd month).
    """
    table = period_engagement(posts, freq, basis).dropna(subset=["er_median"])
    if len(table) < 3:
        return {"periods": float(len(table)), "slope": np.nan, "low": np.nan, "high": np.nan}
    x = np.arange(len(table), dtype="float64")
    idx = pd.PeriodIndex(table["period"], freq="M") if freq in ("MS", "M", "ME") else None
    if idx is not None:  # months apart, so a silent month counts as time passing
        x = (idx.year * 12 + idx.month - (idx.year[0] * 12 + idx.month[0])).to_numpy(dtype="float64")
    res = stats.theilslopes(table["er_median"].to_numpy(), x, alpha=confidence)
    return {"periods": float(len(table)), "slope": float(res.slope), "low": float(res.low_slope),
            "high": float(res.high_slope)}


def gap_table(posts: pd.DataFrame) -> pd.DataFrame:
    """How many gaps between consecutive posts fall in each length band (same day, 1 day, ...)."""
    gaps = np.diff(np.sort(_days(posts))).astype(int)
    counts = pd.Series(pd.cut(gaps, GAP_BINS, labels=GAP_LABELS)).value_counts(sort=False)  # bands (lower, upper]
    counts = counts.reindex(GAP_LABELS).to_numpy("int64")
    return pd.DataFrame({"gap": GAP_LABELS, "gaps": counts, "share": counts / max(len(gaps), 1)})


def follower_growth(posts: pd.DataFrame, freq: str = "MS") -> pd.DataFrame:
    """Followers (page likes of the period's last post) per period, net gain and growth rate.

    ``freq`` is a pandas resample rule ("MS": months labelled by their first day; "W": weeks).

    growth_rate = (followers at period end − at previous period end) ÷ previous (ANALYTICS.md §3,
    net of unlikes). Empty table when the export has no follower counts.
    """
    known = posts[posts["page_likes"].notna()]
    cols = ["period", "followers", "net_gain", "growth_rate"]
    if known.empty:
        return pd.DataFrame(columns=cols)
    last = known.set_index("published")["page_likes"].sort_index(kind="stable").resample(freq).last().dropna()
    out = pd.DataFrame({"period": last.index, "followers": last.to_numpy("int64")})
    prev = out["followers"].shift()
    out["net_gain"] = (out["followers"] - prev).astype("Int64")
    out["growth_rate"] = (out["followers"] - prev) / prev
    return out


def top_posts(posts: pd.DataFrame, n: int = 5, *, bottom: bool = False, basis: str | None = None) -> pd.DataFrame:
    """The ``n`` posts with the highest (or lowest) engagement rate: a short table."""
    basis = basis or basis_of(posts)
    er = engagement_rate(posts, basis)
    pick = er.nsmallest(n) if bottom else er.nlargest(n)
    cols = ["post_id", "published", "type", "category", "paid", "reach", "interactions"]
    out = posts.loc[pick.index, cols].copy()
    out[f"er_{basis}"] = pick.to_numpy()
    return out.reset_index(drop=True)


def _group_key(posts: pd.DataFrame, key: str) -> np.ndarray | pd.api.extensions.ExtensionArray:
    """Each post's group for ``key``: weekday names, hours 0-23, organic/paid, else the column's text;
    a missing value is the group "(none)"."""
    if key == "weekday":
        return pd.Categorical.from_codes(_weekday(_days(posts)), categories=WEEKDAYS)
    if key == "hour":
        return posts["published"].dt.hour.to_numpy().astype("int8")
    if key == "paid":
        return posts["paid"].map({False: "organic", True: "paid"}).astype("string").fillna("(none)").array
    return posts[key].astype("string").fillna("(none)").array


def engagement_by(posts: pd.DataFrame, by: str | list[str], basis: str | None = None) -> pd.DataFrame:
    """Posts, share of posts, median and mean ER and median interactions by group(s).

    Groups with no value are labelled "(none)". Sorted by median ER, highest first.
    """
    keys = [by] if isinstance(by, str) else list(by)
    frame = pd.DataFrame({**{k: _group_key(posts, k) for k in keys}, "er": engagement_rate(posts, basis).to_numpy(),
                          "interactions": posts["interactions"].to_numpy()})
    g = frame.groupby(keys, observed=True, sort=False)
    out = pd.DataFrame({"posts": g.size().astype("int64"), "er_median": g["er"].median(), "er_mean": g["er"].mean(),
                        "interactions_median": g["interactions"].median()}).reset_index()
    out["share_of_posts"] = out["posts"] / len(frame)
    out = out.sort_values(["er_median", *keys], ascending=[False] + [True] * len(keys), kind="stable")
    return out.reset_index(drop=True)


def best_time_table(posts: pd.DataFrame, basis: str | None = None) -> pd.DataFrame:
    """Weekday × hour table of posts and median ER (the best-time heatmap), observed cells only."""
    out = engagement_by(posts, ["weekday", "hour"], basis)
    return out.sort_values(["weekday", "hour"]).reset_index(drop=True)


def paid_vs_organic(posts: pd.DataFrame, *, confidence: float = 0.95, n_resamples: int = 2000,
                    seed: int = 0, max_sample: int = 5000, basis: str | None = None) -> pd.DataFrame:
    """Median ER of organic and paid posts and of their difference, with percentile bootstrap intervals.

    Uses :func:`scipy.stats.bootstrap` (seeded). Posts of unknown paid status are left out. Above
    ``max_sample`` posts per group, a seeded random sample of that size is bootstrapped (the medians
    themselves use every post).
    """
    er = engagement_rate(posts, basis)
    rng = np.random.default_rng(seed)
    groups = {}
    for name, flag in (("organic", False), ("paid", True)):
        v = er[(posts["paid"] == flag).fillna(False).to_numpy()].dropna().to_numpy()
        groups[name] = v
    rows = []
    samples = {k: (rng.choice(v, max_sample, replace=False) if len(v) > max_sample else v)
               for k, v in groups.items()}
    for name, v in groups.items():
        lo = hi = np.nan
        if len(v) >= 2:
            ci = stats.bootstrap((samples[name],), np.median, confidence_level=confidence,
                                 n_resamples=n_resamples, method="percentile", rng=rng).confidence_interval
            lo, hi = ci.low, ci.high
        rows.append({"group": name, "posts": len(v), "er_median": np.median(v) if len(v) else np.nan,
                     "ci_low": lo, "ci_high": hi})
    lo = hi = np.nan
    if min(len(v) for v in groups.values()) >= 2:

        def diff(x: np.ndarray, y: np.ndarray, axis: int = -1) -> np.ndarray:
            return np.median(y, axis=axis) - np.median(x, axis=axis)

        ci = stats.bootstrap((samples["organic"], samples["paid"]), diff, confidence_level=confidence,
                             n_resamples=n_resamples, method="percentile", rng=rng).confidence_interval
        lo, hi = ci.low, ci.high
    rows.append({"group": "paid − organic", "posts": len(groups["paid"]) + len(groups["organic"]),
                 "er_median": rows[1]["er_median"] - rows[0]["er_median"], "ci_low": lo, "ci_high": hi})
    return pd.DataFrame(rows)


def daily_activity(posts: pd.DataFrame, basis: str | None = None) -> pd.DataFrame:
    """Per posting day: posts that day and the median ER of that day's posts."""
    er = engagement_rate(posts, basis).set_axis(pd.Index(_days(posts), name="day"))
    g = er.groupby(level="day")
    return pd.DataFrame({"posts": g.size().astype("int64"), "er_median": g.median()}).reset_index()


def frequency_vs_engagement(posts: pd.DataFrame, cap: int = 5, basis: str | None = None) -> pd.DataFrame:
    """Posting days grouped by how many posts they had (1, 2, …, ``cap``+): days, posts, and the
    median, lower and upper quartile of the days' median ER per post."""
    daily = daily_activity(posts, basis)
    n = daily["posts"].clip(upper=cap)
    label = n.astype(str).where(n < cap, f"{cap}+")
    daily["posts_per_day"] = pd.Categorical(label, [*map(str, range(1, cap)), f"{cap}+"], ordered=True)
    g = daily.groupby("posts_per_day", observed=True)
    out = pd.DataFrame({"days": g.size(), "posts": g["posts"].sum(), "er_median": g["er_median"].median(),
                        "er_q1": g["er_median"].quantile(0.25), "er_q3": g["er_median"].quantile(0.75)})
    return out.reset_index()


def frequency_correlation(posts: pd.DataFrame, basis: str | None = None) -> dict[str, float]:
    """Spearman correlation, over posting days, of posts that day with the day's median ER."""
    daily = daily_activity(posts, basis).dropna()
    if len(daily) < 3 or daily["posts"].nunique() < 2:
        return {"days": float(len(daily)), "rho": np.nan, "pvalue": np.nan}
    res = stats.spearmanr(daily["posts"], daily["er_median"])
    return {"days": float(len(daily)), "rho": float(res.statistic), "pvalue": float(res.pvalue)}


@dataclass(frozen=True)
class AuditThresholds:
    """Thresholds of the animation audit, each with its source (FACTS.md §8) or stated as the book's."""

    posts_per_week_min: float = 6.5 * 12 / 52
    posts_per_week_max: float = 7.0
    posts_per_day_max: int = 2
    longest_silence_max_days: int = 7
    er_followers_benchmark: float = 0.00064
    types_min: int = 2
    top_type_share_max: float = 0.8
    response_rate_benchmark: float = 0.476


SOURCES = {
    "posts_per_week_min": "Socialbakers: pages averaged 6.5 posts a month in Sept 2011 (≈1.5 a week)",
    "posts_per_week_max": "Buddy Media (2012): no more than 7 posts a week; ExactTarget (2011): 44% "
                          "unliked a brand for posting too often",
    "posts_per_day_max": "Buddy Media (2012): 1–2 posts a day",
    "longest_silence_max_days": "book's rule: a full week without a post (at the 2011 average pace a page "
                                "posts every 4.7 days)",
    "er_followers_benchmark": "Rival IQ median engagement per post: 0.064% of followers (2022)",
    "content_variety": "book's rule of thumb: at least 2 post types, none above 80% of posts",
    "response_rate_benchmark": "Socialbakers Q2 2012: 47.6% of wall posts answered",
}


def source(key: str) -> str:
    """The source of a threshold (:data:`SOURCES`) in the current language."""
    text = SOURCES[key]
    return _(text)


def audit_scorecard(posts: pd.DataFrame, thresholds: AuditThresholds = AuditThresholds(),
                    response_rate: float | None = None, start: str | pd.Timestamp | None = None,
                    end: str | pd.Timestamp | None = None) -> pd.DataFrame:
    """The animation audit: one row per criterion with the measured value, threshold, source and grade.

    Grades: "good", "weak" (too little), "too much", or "not measured" when the export lacks the data.
    Criteria and grades stay English (keys: :func:`shown` translates them for readers); the measured
    value, threshold and source are written in the current language.
    ``response_rate`` (share of fans' posts answered) is not in post exports: pass it if known.
    """
    t = thresholds
    c = cadence(posts, start, end)
    rows = []

    def add(criterion: str, value: float, shown: str, threshold: str, source: str, grade: str) -> None:
        rows.append({"criterion": criterion, "value": value, "measured": shown, "threshold": threshold,
                     "source": source, "grade": grade})

    ppw = float(c["posts_per_week"])
    add("Posts per week", ppw, i18n.fmt(ppw, ".1f"),
        _("{low} to {high}").format(low=i18n.fmt(t.posts_per_week_min, ".1f"), high=i18n.fmt(t.posts_per_week_max, "g")),
        source("posts_per_week_min") + _("; ") + source("posts_per_week_max"),
        "weak" if ppw < t.posts_per_week_min else "too much" if ppw > t.posts_per_week_max else "good")
    over = float(c["share_days_over_2_posts"])
    add(f"Posting days with more than {t.posts_per_day_max} posts", over, i18n.fmt(over, ".0%"), _("none"),
        source("posts_per_day_max"), "good" if over == 0 else "too much")
    sil = int(c["longest_silence_days"])
    add("Longest silence (days)", sil, _("{n} days").format(n=sil),
        _("at most {n}").format(n=t.longest_silence_max_days),
        source("longest_silence_max_days"), "good" if sil <= t.longest_silence_max_days else "weak")
    silent = int(c["silent_weeks"])
    add("Weeks without a post", silent, _("{n} of {total}").format(n=silent, total=c["weeks"]), _("none"),
        source("longest_silence_max_days"), "good" if silent == 0 else "weak")
    er_f = engagement_rate(posts, "followers").median()
    add("Median engagement per post ÷ followers", er_f,
        _("not in this export") if pd.isna(er_f) else i18n.fmt(er_f, ".3%"),
        _("at least {value}").format(value=i18n.fmt(t.er_followers_benchmark, ".3%")),
        source("er_followers_benchmark"),
        "not measured" if pd.isna(er_f) else "good" if er_f >= t.er_followers_benchmark else "weak")
    types = posts["type"].dropna()
    if types.empty:
        add("Content variety (post types)", np.nan, _("not in this export"), "", source("content_variety"),
            "not measured")
    else:
        shares = types.value_counts(normalize=True)
        ok = len(shares) >= t.types_min and shares.iloc[0] <= t.top_type_share_max
        add("Content variety (post types)", float(shares.iloc[0]),
            _("{n} types, top {type} {share}").format(n=len(shares), type=shown(shares.index[0]),
                                                       share=i18n.fmt(float(shares.iloc[0]), ".0%")),
            _("≥ {n} types, none above {share}").format(n=t.types_min, share=i18n.fmt(t.top_type_share_max, ".0%")),
            source("content_variety"), "good" if ok else "weak")
    answered = _("at least {value}").format(value=i18n.fmt(t.response_rate_benchmark, ".1%"))
    if response_rate is None:
        add("Fans' posts answered", np.nan, _("not in a post export"), answered,
            source("response_rate_benchmark"), "not measured")
    else:
        add("Fans' posts answered", response_rate, i18n.fmt(response_rate, ".0%"), answered,
            source("response_rate_benchmark"), "good" if response_rate >= t.response_rate_benchmark else "weak")
    return pd.DataFrame(rows)


def chapter_figures(posts: pd.DataFrame, start: str | pd.Timestamp | None = None,
                    end: str | pd.Timestamp | None = None, basis: str | None = None) -> dict[str, object]:
    """The page chapters' glued figures: posts_total, posts_per_week, engagement_rate_median
    (interactions ÷ the basis, median over posts), paid_share (of posts with a known status),
    top_post_type (highest median engagement rate; ties go to the first name alphabetically) and
    er_basis (``reach`` or ``impressions``: :func:`basis_of` unless given)."""
    basis = basis or basis_of(posts)
    er = engagement_rate(posts, basis)
    paid = posts["paid"]
    by_type = er.groupby(posts["type"]).median()  # types in alphabetical order; posts without one left out
    return {
        "posts_total": int(len(posts)),
        "posts_per_week": float(cadence(posts, start, end)["posts_per_week"]),
        "engagement_rate_median": float(er.median()),
        "paid_share": float(paid.sum() / paid.notna().sum()) if paid.notna().any() else float("nan"),
        "top_post_type": str(by_type.sort_values(ascending=False, kind="stable").index[0]) if len(by_type) else "",
        "er_basis": basis,
    }


def page_names(posts: pd.DataFrame) -> list[str]:
    """The pages of a post table, in the order their exports were given."""
    return list(dict.fromkeys(posts["page"].tolist()))


def common_basis(posts: pd.DataFrame) -> str | None:
    """The basis every page of ``posts`` supports (reach first, then impressions), or None when there is
    none: such pages' engagement rates are not comparable."""
    pages = [posts[posts["page"] == name] for name in page_names(posts)]
    for basis in ("reach", "impressions"):
        if all(page[BASES[basis]].notna().any() for page in pages):
            return basis
    return None


def pages_figures(posts: pd.DataFrame, start: str | pd.Timestamp | None = None,
                  end: str | pd.Timestamp | None = None) -> list[dict[str, object]]:
    """One entry per page: name, network, posts_total, posts_per_week, engagement_rate_median,
    paid_share, top_post_type and er_basis. Every page is read on the basis all of them support
    (:func:`common_basis`); when there is none, each on its own, and the entries say so."""
    shared = common_basis(posts)
    out = []
    for name in page_names(posts):
        page = posts[posts["page"] == name]
        figures = chapter_figures(page, start, end, basis=shared)
        out.append({"name": name, "network": str(page["network"].iloc[0]), **figures})
    return out
