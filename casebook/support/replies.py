"""Answering customers (room support): reply rates and first-reply times per brand, the chapter's figures.

Reply chains are rebuilt by :mod:`casebook.support.chains`, the texts read by :mod:`casebook.support.texts`;
their public names are importable from here too.

May import: the foundation, support.chains, support.texts. Never io: every function takes the canonical
message table of :mod:`casebook.io.conversations` (``message_id, author, inbound, created, reply_to, text``).

Definitions (the chapter quotes them):

- **Brand**: an author of a message that is not inbound. Every other author is a customer.
- **Reply chain**: each message points to the one it answers (``reply_to``). Following those links back
  from any message ends at its root: a message whose reply-to is empty or lies outside the file. A
  conversation is a root and every message that leads back to it; it is named by the root's id.
- **Brand reply**: a brand's message whose reply-to is an inbound message of the file. A brand's
  message answering its own previous message (a reply split in "1/2", "2/2") is not one.
- **Inbound message addressed to a brand**, in this order: the brand that answered it (the author of
  its earliest brand reply); else the brand whose message it answers; else the first known brand
  account in the run of @mentions that opens it. The rest (a customer answering a customer, a post
  naming no brand at its start) is unattributed and left out of rates and times.
- **First-reply time**: minutes from an inbound message to its earliest brand reply. A message whose
  earliest reply is dated before it (clocks that disagree) counts as answered but has no time. Medians and 90th percentiles come with
  seeded percentile-bootstrap intervals (:func:`scipy.stats.bootstrap`), messages resampled as if
  independent (messages of one conversation are not quite: the intervals are a little narrow).
- **Reply delay**: minutes from an inbound message to *each* brand reply to it, so a reply split in
  two tweets counts twice. It reproduces the figures published with the twcs subset
  (data/twcs_customer_support/README.md); the chapter's measure is the first-reply time.
- **Reply rate**: inbound messages answered ÷ inbound messages addressed to the brand. Replies beyond
  the file (a sample cuts conversations) are unseen: on a sample it is a lower bound. On twcs it is
  not a rate of customers answered: its publisher kept only conversations a brand answered, so it
  counts the follow-up messages left unanswered inside them.
- **Exchange**: an inbound message the brand answered. A conversation needs more than one exchange when
  the customer came back and the brand answered again.
- **Business hours**: inbound messages sent from ``business_hours[0]``:00 to ``business_hours[1]``:00
  on ``business_days`` (0 = Monday), in the data's clock: UTC for twcs, whatever the brand's country.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from casebook.errors import ParameterError
from casebook.i18n import gettext as _
from casebook.support.chains import (
    ATTRIBUTION,
    BUSINESS_DAYS,
    COLUMNS,
    WEEKDAYS,
    brand_accounts,
    check_business_hours,
    check_messages,
    conversations,
    conversations_from_inbound,
    day_text,
    inbound_messages,
    reply_pairs,
    scope_brands,
    threads,
)
from casebook.support.texts import PRIVATE_CHANNEL, private_channel_table, sign_off, sign_off_table, team_figures

#: The credit and licence line of every table and chart derived from the twcs data.
TWCS_CREDIT = "Data: Customer Support on Twitter, CC BY-NC-SA 4.0"
#: Fewest first-reply times a median or 90th-percentile interval is computed on.
MIN_FOR_INTERVAL = 10


def credit_line(credit: str) -> str:
    """A chart's or table's credit line in the current language: the twcs licence line, or "Data: " and a
    file's name (:attr:`casebook.io.conversations.ConversationReport.credit`); other text as given."""
    if credit == TWCS_CREDIT:
        return _("Data: Customer Support on Twitter, CC BY-NC-SA 4.0")
    if credit.startswith("Data: "):
        return _("Data: {source}").format(source=credit.removeprefix("Data: "))
    return credit


# --- intervals -----------------------------------------------------------------------------------

def quantile_intervals(values: np.ndarray, qs: Sequence[float] = (0.5, 0.9), *, confidence: float = 0.95,
                       n_resamples: int = 2000, seed: int = 0, key: str = "all", max_sample: int = 5000
                       ) -> list[tuple[float, float, float]]:
    """Each ``qs`` quantile of ``values`` (NaN left out) with its percentile-bootstrap interval, as
    (estimate, low, high); one seeded :func:`scipy.stats.bootstrap` call resamples them all.

    The generator is seeded by ``seed`` and ``key`` (a brand's name): a brand's interval does not
    change with the other brands compared. No interval under :data:`MIN_FOR_INTERVAL` values or with
    ``n_resamples`` 0 (estimates only); above
    ``max_sample`` values a seeded random sample of that size is resampled (the estimates use all).
    """
    v = np.asarray(values, dtype="float64")
    v = v[~np.isnan(v)]
    qs = [float(q) for q in qs]
    if len(v) == 0:
        return [(np.nan, np.nan, np.nan) for _ in qs]
    points = np.quantile(v, qs)
    if len(v) < MIN_FOR_INTERVAL or n_resamples <= 0:
        return [(float(p), np.nan, np.nan) for p in points]
    rng = np.random.default_rng([int(seed), zlib.crc32(key.encode("utf-8"))])
    sample = rng.choice(v, max_sample, replace=False) if len(v) > max_sample else v

    def stat(x: np.ndarray, axis: int = -1) -> np.ndarray:
        return np.quantile(x, qs, axis=axis)

    ci = stats.bootstrap((sample,), stat, confidence_level=confidence, n_resamples=n_resamples,
                         method="percentile", rng=rng).confidence_interval
    low, high = np.atleast_1d(ci.low), np.atleast_1d(ci.high)
    return [(float(p), float(lo), float(hi)) for p, lo, hi in zip(points, low, high, strict=True)]


def _times(values: pd.Series | np.ndarray, prefix: str, **kw: object) -> dict[str, float]:
    """Median and 90th percentile of reply times with their intervals, as ``prefix_median_min`` etc."""
    (med, mlo, mhi), (p90, plo, phi) = quantile_intervals(np.asarray(values, dtype="float64"), (0.5, 0.9), **kw)
    return {f"{prefix}_median_min": med, f"{prefix}_median_low": mlo, f"{prefix}_median_high": mhi,
            f"{prefix}_p90_min": p90, f"{prefix}_p90_low": plo, f"{prefix}_p90_high": phi}


# --- tables --------------------------------------------------------------------------------------

@dataclass
class Replies:
    """The per-message tables every figure is computed from, built once by :func:`prepare`."""

    brands: list[str]
    inbound: pd.DataFrame
    conversations: pd.DataFrame
    pairs: pd.DataFrame
    brand_messages: pd.Series
    business_hours: tuple[int, int]
    business_days: tuple[int, ...]

    def scope(self, brands: Sequence[str] | str | None) -> list[str]:
        """The brands analysed: every brand account, or those given (:func:`casebook.support.chains.scope_brands`)."""
        return scope_brands(self.brands, brands)


def prepare(msgs: pd.DataFrame, business_hours: Sequence[int] = (9, 18),
            business_days: Iterable[int] = BUSINESS_DAYS) -> Replies:
    """Rebuild the reply chains of a canonical message table once: inbound messages, conversations and
    brand replies (see :func:`inbound_messages`, :func:`conversations`, :func:`reply_pairs`)."""
    start, end, days = check_business_hours(business_hours, business_days)
    inb = inbound_messages(msgs, business_hours, business_days)
    counts = msgs.loc[~msgs["inbound"].to_numpy(dtype=bool), "author"].astype(str).value_counts()
    return Replies(brands=brand_accounts(msgs), inbound=inb, conversations=conversations_from_inbound(inb),
                   pairs=reply_pairs(msgs), brand_messages=counts, business_hours=(start, end), business_days=days)


def _ready(data: pd.DataFrame | Replies, business_hours: Sequence[int] = (9, 18),
           business_days: Iterable[int] = BUSINESS_DAYS) -> Replies:
    return data if isinstance(data, Replies) else prepare(data, business_hours, business_days)


def _by_brand(frame: pd.DataFrame, columns: list[str]) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """``frame``'s ``columns`` and the row positions of each brand's rows, in order (split once, not filtered
    once per brand)."""
    return frame[columns], frame.groupby("brand", sort=False, observed=True).indices


def _rows(split: tuple[pd.DataFrame, dict[str, np.ndarray]], brand: str) -> pd.DataFrame:
    frame, positions = split
    return frame.iloc[positions.get(brand, np.array([], dtype="int64"))]


def _brand_row(r: Replies, brand: str, kw: dict[str, object], splits: dict[str, tuple]) -> dict[str, object]:
    m = _rows(splits["inbound"], brand)
    c = _rows(splits["conversations"], brand)
    replied = c[c["answered"]]
    mine = _rows(splits["pairs"], brand)
    delays = mine.loc[mine["minutes"] >= 0, "minutes"]
    biz, off = m[m["business"]], m[~m["business"]]
    return {
        "brand": brand, "inbound": len(m), "answered": int(m["answered"].sum()),
        "reply_rate": float(m["answered"].mean()) if len(m) else np.nan,
        "brand_messages": int(r.brand_messages.get(brand, 0)), "brand_replies": len(mine),
        **_times(m["first_reply_min"], "first_reply", key=brand, **kw),
        "reply_delay_median_min": float(delays.median()) if len(delays) else np.nan,
        "conversations": len(c), "replied_conversations": len(replied),
        "multi_exchange_share": float((replied["exchanges"] >= 2).mean()) if len(replied) else np.nan,
        "multi_reply_share": float((replied["brand_replies"] >= 2).mean()) if len(replied) else np.nan,
        "business_inbound": len(biz), "business_median_min": float(biz["first_reply_min"].median()),
        "off_hours_inbound": len(off), "off_hours_median_min": float(off["first_reply_min"].median()),
    }


def brand_table(msgs: pd.DataFrame | Replies, brands: Sequence[str] | None = None, *,
                business_hours: Sequence[int] = (9, 18), business_days: Iterable[int] = BUSINESS_DAYS,
                confidence: float = 0.95, n_resamples: int = 2000, seed: int = 0) -> pd.DataFrame:
    """The brands side by side, one row per brand (all, or ``brands``), most inbound messages first.

    Columns: inbound (messages addressed to it), answered, reply_rate, brand_messages, brand_replies,
    first_reply_median_min / _low / _high, first_reply_p90_min / _low / _high, reply_delay_median_min
    (every reply), conversations, replied_conversations, multi_exchange_share (of replied conversations,
    those with 2+ exchanges), multi_reply_share (2+ brand replies), business_inbound, business_median_min,
    off_hours_inbound, off_hours_median_min. ``msgs`` may be a :func:`prepare` result; ``n_resamples`` 0
    leaves the intervals out (NaN).
    """
    r = _ready(msgs, business_hours, business_days)
    kw = {"confidence": confidence, "n_resamples": n_resamples, "seed": seed}
    splits = {"inbound": _by_brand(r.inbound, ["answered", "first_reply_min", "business"]),
              "conversations": _by_brand(r.conversations, ["answered", "exchanges", "brand_replies"]),
              "pairs": _by_brand(r.pairs, ["minutes"])}
    out = pd.DataFrame([_brand_row(r, b, kw, splits) for b in r.scope(brands)])
    return out.sort_values(["inbound", "brand"], ascending=[False, True], kind="stable").reset_index(drop=True)


def hour_table(msgs: pd.DataFrame | Replies, brands: Sequence[str] | None = None) -> pd.DataFrame:
    """Per hour of day (0–23, of the inbound message, in the data's clock): inbound messages addressed to
    the brands, answered, reply rate, median and 90th percentile of first-reply minutes."""
    r = _ready(msgs)
    inb = r.inbound[r.inbound["brand"].isin(r.scope(brands))]
    g = inb.groupby("hour")
    out = pd.DataFrame({"inbound": g.size(), "answered": g["answered"].sum(),
                        "first_reply_median_min": g["first_reply_min"].median(),
                        "first_reply_p90_min": g["first_reply_min"].quantile(0.9)}).reindex(range(24))
    out[["inbound", "answered"]] = out[["inbound", "answered"]].fillna(0).astype("int64")
    out["reply_rate"] = out["answered"] / out["inbound"].where(out["inbound"] > 0)
    return out.rename_axis("hour").reset_index()


def business_table(msgs: pd.DataFrame | Replies, brands: Sequence[str] | None = None, *,
                   business_hours: Sequence[int] = (9, 18), business_days: Iterable[int] = BUSINESS_DAYS,
                   confidence: float = 0.95, n_resamples: int = 2000, seed: int = 0) -> pd.DataFrame:
    """Business hours against the rest, over the brands: inbound messages, reply rate, and median and
    90th percentile first-reply minutes with intervals (rows "business hours", "off hours").

    Brands answer from different countries and the clock is the data's: compare a brand with itself
    (:func:`brand_table`'s business and off-hours columns) before comparing the pooled rows.
    """
    r = _ready(msgs, business_hours, business_days)
    inb = r.inbound[r.inbound["brand"].isin(r.scope(brands))]
    rows = []
    for label, mask in (("business hours", inb["business"]), ("off hours", ~inb["business"])):
        m = inb[mask.to_numpy(dtype=bool)]
        rows.append({"period": label, "inbound": len(m), "answered": int(m["answered"].sum()),
                     "reply_rate": float(m["answered"].mean()) if len(m) else np.nan,
                     **_times(m["first_reply_min"], "first_reply", key=label, confidence=confidence,
                              n_resamples=n_resamples, seed=seed)})
    out = pd.DataFrame(rows)
    start, end = r.business_hours
    out["definition"] = (f"{start:02d}:00–{end:02d}:00, " + ", ".join(WEEKDAYS[d][:3] for d in r.business_days)
                         + " (data's clock)")
    return out


def exchanges_table(msgs: pd.DataFrame | Replies, brands: Sequence[str] | None = None, cap: int = 4) -> pd.DataFrame:
    """Replied conversations per brand by number of exchanges (1, 2, …, ``cap``+) and their share."""
    r = _ready(msgs)
    scope = r.scope(brands)
    conv = r.conversations[r.conversations["answered"] & r.conversations["brand"].isin(scope)]
    n = conv["exchanges"].clip(upper=cap)
    labels = [*map(str, range(1, cap)), f"{cap}+"]
    conv = conv.assign(exchanges=pd.Categorical(n.astype(str).where(n < cap, f"{cap}+"), labels, ordered=True),
                       brand=pd.Categorical(conv["brand"].astype(str), scope))
    counts = conv.groupby(["brand", "exchanges"], observed=False).size().rename("conversations").reset_index()
    totals = counts.groupby("brand", observed=False)["conversations"].transform("sum")
    counts["share"] = counts["conversations"] / totals.where(totals > 0)
    counts["brand"] = counts["brand"].astype(str)
    counts["exchanges"] = counts["exchanges"].astype(str)
    return counts


# --- the chapter's figures -------------------------------------------------------------------------

def fastest(table: pd.DataFrame, min_conversations: int = 20) -> tuple[str, float]:
    """The brand with the lowest median first reply among those with at least ``min_conversations``
    replied conversations (ties: first by name); ("", NaN) when none qualifies."""
    ok = table[(table["replied_conversations"] >= min_conversations) & table["first_reply_median_min"].notna()]
    if ok.empty:
        return "", float("nan")
    best = ok.sort_values(["first_reply_median_min", "brand"], kind="stable").iloc[0]
    return str(best["brand"]), float(best["first_reply_median_min"])


def slowest(table: pd.DataFrame, min_conversations: int = 20) -> tuple[str, float]:
    """The brand with the highest median first reply among those of ``table`` with at least
    ``min_conversations`` replied conversations (ties: first by name); ("", NaN) when none qualifies."""
    ok = table[(table["replied_conversations"] >= min_conversations) & table["first_reply_median_min"].notna()]
    if ok.empty:
        return "", float("nan")
    worst = ok.sort_values(["first_reply_median_min", "brand"], ascending=[False, True], kind="stable").iloc[0]
    return str(worst["brand"]), float(worst["first_reply_median_min"])


def support_figures(msgs: pd.DataFrame, brands: Sequence[str] | None = None, business_hours: Sequence[int] = (9, 18),
                    confidence: float = 0.95, seed: int = 0, *, min_conversations: int = 20, top: int = 10,
                    n_resamples: int = 2000, business_days: Iterable[int] = BUSINESS_DAYS,
                    credit: str = TWCS_CREDIT) -> dict[str, object]:
    """The chapter's glued figures, the brands' table (records) and its charts (``fig-`` keys).

    ``brands`` None: every brand account (the headline counts cover the whole file; the side-by-side
    table and charts show the ``top`` brands by inbound messages); else only those accounts.
    ``credit`` ends every chart's subtitle: keep the default (the twcs licence line) for the bundled
    data, pass ``ConversationReport.credit`` for a reader's own export.

    Keys: inbound_messages, inbound_attributed, unattributed_inbound, brand_messages, brand_replies,
    replies_unmatched, answered, reply_rate, first_reply_median_min (+ _low, _high), first_reply_p90_min
    (+ _low, _high), reply_delay_median_min, brands, brands_compared, fastest_brand,
    fastest_brand_median_min, fastest_min_conversations, conversations, replied_conversations,
    multi_exchange_share, multi_reply_share, business_hours, business_median_min, off_hours_median_min,
    business_reply_rate, off_hours_reply_rate, confidence, credit, brand_figures (one record per brand
    compared, the columns of :func:`brand_table`), and the charts fig-support-first-reply,
    fig-support-reply-rate, fig-support-hours, fig-support-business, fig-support-exchanges.
    """
    from casebook.support import charts  # altair is slow to import: only when charts are drawn

    credit = credit_line(credit)
    r = prepare(msgs, business_hours, business_days)
    scope = r.scope(brands)
    everyone = len(scope) == len(r.brands) and (brands is None or len(brands) == 0)
    kw = {"confidence": confidence, "n_resamples": n_resamples, "seed": seed}
    table = brand_table(r, scope, confidence=confidence, n_resamples=0, seed=seed)  # intervals: compared only
    mine = r.inbound[r.inbound["brand"].isin(scope)]
    pairs = r.pairs[r.pairs["brand"].isin(scope)]
    not_inbound = ~msgs["inbound"].to_numpy(dtype=bool)
    brand_msgs = msgs[not_inbound & msgs["author"].isin(scope).to_numpy(dtype=bool)]
    conv = r.conversations[r.conversations["brand"].isin(scope)]
    replied = conv[conv["answered"]]
    biz = business_table(r, scope, **kw).set_index("period")
    best, best_min = fastest(table, min_conversations)
    names = (table.head(top) if everyone else table)["brand"].tolist()
    compared = brand_table(r, names, **kw)
    start, end = r.business_hours
    figures: dict[str, object] = {
        "inbound_messages": int(len(r.inbound)) if everyone else int(len(mine)),
        "inbound_attributed": int(len(mine)),
        "unattributed_inbound": int(r.inbound["brand"].isna().sum()) if everyone else 0,
        "brand_messages": int(len(brand_msgs)),
        "brand_replies": int(len(pairs)),
        "replies_unmatched": int(brand_msgs["reply_to"].notna().sum() - len(pairs)),
        "answered": int(mine["answered"].sum()),
        "reply_rate": float(mine["answered"].mean()) if len(mine) else float("nan"),
        **_times(mine["first_reply_min"], "first_reply", key="all", **kw),
        "reply_delay_median_min": float(pairs.loc[pairs["minutes"] >= 0, "minutes"].median()),
        "brands": len(scope),
        "brands_compared": ", ".join(names),
        "fastest_brand": best,
        "fastest_brand_median_min": best_min,
        "fastest_min_conversations": int(min_conversations),
        "conversations": int(len(conv)),
        "replied_conversations": int(len(replied)),
        "multi_exchange_share": float((replied["exchanges"] >= 2).mean()) if len(replied) else float("nan"),
        "multi_reply_share": float((replied["brand_replies"] >= 2).mean()) if len(replied) else float("nan"),
        "business_hours": f"{start:02d}:00–{end:02d}:00",
        "business_median_min": float(biz.loc["business hours", "first_reply_median_min"]),
        "off_hours_median_min": float(biz.loc["off hours", "first_reply_median_min"]),
        "business_reply_rate": float(biz.loc["business hours", "reply_rate"]),
        "off_hours_reply_rate": float(biz.loc["off hours", "reply_rate"]),
        "confidence": float(confidence),
        "credit": credit,
        "brand_figures": compared.to_dict("records"),
    }
    figures.update({
        "fig-support-first-reply": charts.first_reply_chart(
            compared, _("How long until a brand first answers?"), credit=credit, confidence=confidence),
        "fig-support-reply-rate": charts.reply_rate_chart(
            compared, _("Share of customers' messages a brand answers"), credit=credit),
        "fig-support-hours": charts.hour_chart(
            hour_table(r, scope), _("When customers write, and how fast they are answered"), credit=credit),
        "fig-support-business": charts.business_chart(
            compared, _("Answering in business hours ({hours}) and outside them").format(
                hours=figures["business_hours"]), credit=credit),
        "fig-support-exchanges": charts.exchanges_chart(
            exchanges_table(r, names), _("How many exchanges a conversation needs"), credit=credit),
    })
    return figures


def business_contrast(table: pd.DataFrame, min_messages: int = 10) -> dict[str, object]:
    """Each brand against itself, in business hours and outside them (:func:`brand_table`'s columns):
    the brands with at least ``min_messages`` inbound messages in both, and those of them answered faster
    (a lower median first reply) in business hours.

    Keys: business_min_messages, business_brands (how many), business_brands_list, business_faster (how
    many), business_faster_list ("none" when empty, in the current language).
    """
    ok = table[(table["business_inbound"] >= min_messages) & (table["off_hours_inbound"] >= min_messages)
               & table["business_median_min"].notna() & table["off_hours_median_min"].notna()]
    faster = ok[ok["business_median_min"] < ok["off_hours_median_min"]]
    return {"business_min_messages": int(min_messages), "business_brands": int(len(ok)),
            "business_brands_list": ", ".join(ok["brand"].astype(str)) or _("none"),
            "business_faster": int(len(faster)),
            "business_faster_list": ", ".join(faster["brand"].astype(str)) or _("none")}


def time_concentration(msgs: pd.DataFrame, window: int = 3) -> dict[str, object]:
    """How bunched in time a file is: its busiest day and that day's share of the messages, and the
    ``window`` consecutive hours of the day (in the data's clock, wrapping past midnight) in which most
    inbound messages were written, with their share of the inbound messages.

    Keys: busiest_day (YYYY-MM-DD; in French "31 octobre 2017"), busiest_day_share, peak_hours ("21:00–00:00"), peak_hours_share.
    """
    check_messages(msgs)
    if not 1 <= int(window) <= 24:
        raise ParameterError(f"window must be 1 to 24 hours, not {window!r}")
    days = msgs["created"].dt.normalize().value_counts()
    days = days.sort_index(kind="stable").sort_values(ascending=False, kind="stable")
    inbound = msgs.loc[msgs["inbound"].to_numpy(dtype=bool), "created"]
    by_hour = np.bincount(inbound.dt.hour.to_numpy(dtype="int64"), minlength=24)
    sums = [int(by_hour[[(h + k) % 24 for k in range(window)]].sum()) for h in range(24)]
    start = int(np.argmax(sums))
    end = (start + window) % 24
    return {"busiest_day": day_text(days.index[0]),
            "busiest_day_share": float(days.iloc[0] / len(msgs)),
            "peak_hours": f"{start:02d}:00\u2013{end:02d}:00",
            "peak_hours_share": float(sums[start] / len(inbound)) if len(inbound) else float("nan")}


def conversation_concentration(data: pd.DataFrame | Replies, brand: str) -> dict[str, object]:
    """How a brand's inbound messages spread over conversations: how many there are, the share that sit in
    its largest conversation, the share attributed to it only by an @mention, and its reply rate with and
    without that conversation (a crowded thread naming several brands lowers a brand's reply rate).

    Keys: brand, inbound, conversations, largest_share, mention_share, reply_rate, reply_rate_without_largest
    (NaN when nothing is left).
    """
    r = _ready(data)
    (brand,) = r.scope([brand])
    m = r.inbound[r.inbound["brand"] == brand]
    sizes = m["conversation"].value_counts(sort=False)
    sizes = sizes.sort_index(kind="stable").sort_values(ascending=False, kind="stable")
    rest = m[m["conversation"] != sizes.index[0]] if len(m) else m
    return {"brand": brand, "inbound": int(len(m)), "conversations": int(len(sizes)),
            "largest_share": float(sizes.iloc[0] / len(m)) if len(m) else float("nan"),
            "mention_share": float((m["attributed_by"] == "mention").mean()) if len(m) else float("nan"),
            "reply_rate": float(m["answered"].mean()) if len(m) else float("nan"),
            "reply_rate_without_largest": float(rest["answered"].mean()) if len(rest) else float("nan")}


__all__ = ["ATTRIBUTION", "BUSINESS_DAYS", "COLUMNS", "PRIVATE_CHANNEL", "Replies", "TWCS_CREDIT", "WEEKDAYS",
           "brand_accounts", "brand_table", "business_contrast", "business_table", "check_business_hours",
           "check_messages", "conversation_concentration", "conversations", "conversations_from_inbound", "credit_line", "day_text", "exchanges_table", "fastest", "hour_table",
           "inbound_messages", "prepare", "private_channel_table", "quantile_intervals", "reply_pairs",
           "scope_brands", "sign_off", "sign_off_table", "slowest", "support_figures", "team_figures", "threads",
           "time_concentration"]
