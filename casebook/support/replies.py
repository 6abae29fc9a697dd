"""Answering customers (room support): reply chains, reply rates and first-reply times per brand.

May import: the foundation. Never io: every function takes the canonical message table of
:mod:`casebook.io.conversations` (``message_id, author, inbound, created, reply_to, text``).

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

import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from casebook.errors import ParameterError

#: The canonical message table (mirrors :data:`casebook.io.conversations.CONVERSATION_COLUMNS`).
COLUMNS = ["message_id", "author", "inbound", "created", "reply_to", "text"]
#: The credit and licence line of every table and chart derived from the twcs data.
TWCS_CREDIT = "Data: Customer Support on Twitter, CC BY-NC-SA 4.0"
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
BUSINESS_DAYS = (0, 1, 2, 3, 4)
#: How an inbound message was attributed to a brand (see the module docstring).
ATTRIBUTION = ("answered", "replies to", "mention")
#: Fewest first-reply times a median or 90th-percentile interval is computed on.
MIN_FOR_INTERVAL = 10
_LEADING_MENTIONS = re.compile(r"^\s*((?:[@\uff20]\w+[\s,:;.]*)+)")
_HANDLE = re.compile(r"[@\uff20](\w+)")


def _check(msgs: pd.DataFrame) -> None:
    missing = [c for c in COLUMNS if c not in msgs.columns]
    if missing:
        raise ValueError(f"not a canonical message table: missing {', '.join(missing)} "
                         "(read exports with casebook.io.conversations.load_conversations)")


def check_business_hours(business_hours: Sequence[int], business_days: Iterable[int] = BUSINESS_DAYS
                         ) -> tuple[int, int, tuple[int, ...]]:
    """``(start, end, days)`` checked: 0 <= start < end <= 24 and days among 0 (Monday) to 6."""
    try:
        hours = [float(h) for h in business_hours]
        days = tuple(sorted({int(d) for d in business_days}))
    except (TypeError, ValueError):
        hours = []
    if len(hours) != 2 or any(h != int(h) for h in hours):
        raise ParameterError(f"business_hours must be two whole hours like (9, 18), not {business_hours!r}")
    start, end = (int(h) for h in hours)
    if not 0 <= start < end <= 24:
        raise ParameterError(f"business_hours must be (start, end) with 0 <= start < end <= 24, not {business_hours!r}")
    if not days or any(d < 0 or d > 6 for d in days):
        raise ParameterError(f"business_days must be weekdays 0 (Monday) to 6 (Sunday), not {business_days!r}")
    return start, end, days


# --- reply chains --------------------------------------------------------------------------------

def _positions(msgs: pd.DataFrame) -> np.ndarray:
    """Position of each message's reply-to message in ``msgs``; -1 when empty or outside the file."""
    index = pd.Index(msgs["message_id"].astype(object).to_numpy(dtype=object))
    wanted = msgs["reply_to"].astype(object).where(msgs["reply_to"].notna(), None).to_numpy(dtype=object)
    return index.get_indexer(wanted)


def _roots(parent: np.ndarray) -> np.ndarray:
    """The root position of each message, by pointer doubling (a cycle's members keep themselves)."""
    n = len(parent)
    root = np.where(parent >= 0, parent, np.arange(n))
    for _ in range(64):  # depth up to 2**64
        nxt = root[root]
        if np.array_equal(nxt, root):
            return root
        root = nxt
    return np.where(parent[root] >= 0, np.arange(n), root)  # unresolved: inside a reply cycle


def threads(msgs: pd.DataFrame) -> pd.DataFrame:
    """One row per message: its id, author, inbound flag, time, the conversation it belongs to (the
    root message's id) and whether its reply-to message is in the file."""
    _check(msgs)
    parent = _positions(msgs)
    root = _roots(parent)
    ids = msgs["message_id"].to_numpy(dtype=object)
    return pd.DataFrame({"message_id": msgs["message_id"].to_numpy(), "author": msgs["author"].to_numpy(),
                         "inbound": msgs["inbound"].to_numpy(dtype=bool), "created": msgs["created"].to_numpy(),
                         "conversation": pd.array(ids[root], dtype="string"),
                         "reply_in_file": parent >= 0})


def brand_accounts(msgs: pd.DataFrame) -> list[str]:
    """Authors of messages that are not inbound, most messages first (then by name)."""
    _check(msgs)
    counts = msgs.loc[~msgs["inbound"].to_numpy(dtype=bool), "author"].value_counts()
    return sorted(counts.index.astype(str), key=lambda b: (-int(counts[b]), b))


def reply_pairs(msgs: pd.DataFrame) -> pd.DataFrame:
    """One row per brand reply: the reply, its brand, the inbound message it answers and the minutes
    between them (negative when the clocks disagree)."""
    _check(msgs)
    parent = _positions(msgs)
    inbound = msgs["inbound"].to_numpy(dtype=bool)
    is_reply = ~inbound & (parent >= 0)
    is_reply[is_reply] = inbound[parent[is_reply]]
    r = np.flatnonzero(is_reply)
    p = parent[r]
    created = msgs["created"].to_numpy()
    minutes = (created[r] - created[p]) / np.timedelta64(1, "s") / 60
    return pd.DataFrame({"reply_id": msgs["message_id"].to_numpy()[r], "brand": msgs["author"].to_numpy()[r],
                         "inbound_id": msgs["message_id"].to_numpy()[p], "position": r, "inbound_position": p,
                         "asked": created[p], "replied": created[r], "minutes": minutes})


def _leading_brand(texts: pd.Series, brands: Iterable[str]) -> pd.Series:
    """The first known brand account among the @mentions that open each text (case ignored), else NA."""
    known = {b.lower(): b for b in brands}
    lead = texts.astype("string").str.extract(_LEADING_MENTIONS, expand=False)

    def first(block: object) -> object:
        if not isinstance(block, str):
            return None
        return next((known[h.lower()] for h in _HANDLE.findall(block) if h.lower() in known), None)

    return pd.Series(pd.array([first(b) for b in lead], dtype="string"), index=texts.index)


def inbound_messages(msgs: pd.DataFrame, business_hours: Sequence[int] = (9, 18),
                     business_days: Iterable[int] = BUSINESS_DAYS) -> pd.DataFrame:
    """One row per inbound message: who it is addressed to and how that was decided, the conversation,
    the hour and weekday it was sent, whether in business hours, whether a brand answered it, how many
    brand replies it got and the first-reply time in minutes (NaN if unanswered)."""
    start, end, days = check_business_hours(business_hours, business_days)
    t = threads(msgs)
    pairs = reply_pairs(msgs)
    brands = brand_accounts(msgs)
    inbound = t["inbound"].to_numpy()
    pos = np.flatnonzero(inbound)
    out = pd.DataFrame({"message_id": t["message_id"].to_numpy()[pos], "customer": t["author"].to_numpy()[pos],
                        "created": t["created"].to_numpy()[pos], "conversation": t["conversation"].to_numpy()[pos]},
                       index=pos)
    first = pairs.sort_values(["inbound_position", "replied", "position"], kind="stable").drop_duplicates(
        "inbound_position")
    answered_by = pd.Series(first["brand"].to_numpy(), index=first["inbound_position"].to_numpy(), dtype="string")
    first_min = pd.Series(first["minutes"].where(first["minutes"] >= 0).to_numpy(),
                          index=first["inbound_position"].to_numpy())
    parent = _positions(msgs)
    par = parent[pos]
    replies_to = pd.Series(pd.NA, index=pos, dtype="string")
    to_brand = (par >= 0)
    to_brand[to_brand] = ~inbound[par[to_brand]]
    replies_to[to_brand] = msgs["author"].to_numpy()[par[to_brand]]
    mention = _leading_brand(msgs["text"].iloc[pos].set_axis(pos), brands)
    answered = answered_by.reindex(pos)
    out["brand"] = answered.fillna(replies_to).fillna(mention).astype("string")
    out["attributed_by"] = pd.Series(np.select([answered.notna().to_numpy(), replies_to.notna().to_numpy(),
                                                mention.notna().to_numpy()], list(ATTRIBUTION), ""), index=pos)
    out["attributed_by"] = out["attributed_by"].replace("", pd.NA).astype("string")
    out["answered"] = answered.notna().to_numpy()
    out["brand_replies"] = pairs.groupby("inbound_position").size().reindex(pos, fill_value=0).to_numpy("int64")
    out["first_reply_min"] = first_min.reindex(pos).to_numpy(dtype="float64")
    stamp = pd.DatetimeIndex(out["created"])
    out["hour"] = stamp.hour.to_numpy("int64")
    out["weekday"] = stamp.day_of_week.to_numpy("int64")
    out["business"] = (out["hour"] >= start) & (out["hour"] < end) & out["weekday"].isin(days)
    return out.reset_index(drop=True)


def conversations(msgs: pd.DataFrame, business_hours: Sequence[int] = (9, 18),
                  business_days: Iterable[int] = BUSINESS_DAYS) -> pd.DataFrame:
    """One row per conversation holding an inbound message addressed to a brand: its brand (that of its
    earliest addressed inbound message), when it started, inbound messages, exchanges (those a brand
    answered), brand replies, whether it was answered, and the first-reply time of its opening message."""
    return _conversations(inbound_messages(msgs, business_hours, business_days))


def _conversations(inb: pd.DataFrame) -> pd.DataFrame:
    inb = inb[inb["brand"].notna()].sort_values(["created"], kind="stable")
    g = inb.groupby("conversation", sort=False)
    opening = inb.drop_duplicates("conversation").set_index("conversation")  # its earliest addressed message
    out = pd.DataFrame({
        "brand": opening["brand"],
        "started": opening["created"],
        "inbound": g.size().astype("int64"),
        "exchanges": g["answered"].sum().astype("int64"),
        "brand_replies": g["brand_replies"].sum().astype("int64"),
        "first_reply_min": opening["first_reply_min"],
    })
    out["answered"] = out["exchanges"] > 0
    return out.rename_axis("conversation").reset_index()


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
        """The brands analysed: every brand account, or those given (a list, or one text with commas; each
        must be one, case and a leading @ ignored)."""
        if brands is None or (not isinstance(brands, str) and len(brands) == 0):
            return list(self.brands)
        wanted = [b for b in re.split(r"[,\s]+", brands) if b] if isinstance(brands, str) else [str(b) for b in brands]
        by_lower = {b.lower(): b for b in self.brands}
        unknown = [b for b in wanted if b.strip().lstrip("@").lower() not in by_lower]
        if unknown:
            shown = ", ".join(self.brands[:8]) + (", …" if len(self.brands) > 8 else "")
            raise ParameterError(f"brands: {', '.join(map(repr, unknown))} wrote no brand message in this export; "
                                 f"expected brand accounts among: {shown}")
        return list(dict.fromkeys(by_lower[b.strip().lstrip("@").lower()] for b in wanted))


def prepare(msgs: pd.DataFrame, business_hours: Sequence[int] = (9, 18),
            business_days: Iterable[int] = BUSINESS_DAYS) -> Replies:
    """Rebuild the reply chains of a canonical message table once: inbound messages, conversations and
    brand replies (see :func:`inbound_messages`, :func:`conversations`, :func:`reply_pairs`)."""
    start, end, days = check_business_hours(business_hours, business_days)
    inb = inbound_messages(msgs, business_hours, business_days)
    counts = msgs.loc[~msgs["inbound"].to_numpy(dtype=bool), "author"].astype(str).value_counts()
    return Replies(brands=brand_accounts(msgs), inbound=inb, conversations=_conversations(inb),
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
            compared, "How long until a brand first answers?", credit=credit, confidence=confidence),
        "fig-support-reply-rate": charts.reply_rate_chart(
            compared, "Share of customers' messages a brand answers", credit=credit),
        "fig-support-hours": charts.hour_chart(
            hour_table(r, scope), "When customers write, and how fast they are answered", credit=credit),
        "fig-support-business": charts.business_chart(
            compared, f"Answering in business hours ({figures['business_hours']}) and outside them",
            credit=credit),
        "fig-support-exchanges": charts.exchanges_chart(
            exchanges_table(r, names), "How many exchanges a conversation needs", credit=credit),
    })
    return figures


# --- what the texts of the brand's messages say about the team and the channel ---------------------

#: What a reply carries after its words and is set aside before a sign-off is looked for: links and
#: "1/2" counters of a reply split in several messages.
_TRAILER = re.compile(r"(?:\s*https?://\S+|\s*\(?\d/\d\)?)+\s*$")
#: A sign-off ending a brand's message: a marker (``^``, ``*``, ``~``, ``/`` or a dash) then initials or a
#: first name, as support teams sign ("^FJ", "*TJN", "-Becky", "- James", "/BH").
_SIGN_OFF = re.compile(r"(?:^|[\s.!?)\]:;,\d])(?:[\^*~/]|[-\u2013\u2014]{1,2})\s?([A-Z][A-Za-z]{0,15}(?:\s[A-Z]{1,3})?)\s*$")
#: Words that name a private channel in a brand's reply (case ignored). Web forms and links ("send us a
#: note via https://…") are not counted.
PRIVATE_CHANNEL = re.compile(r"\bDMs?\b|\bDM'?d\b|direct messag|private messag|\bPM us\b", re.IGNORECASE)


def _scoped(msgs: pd.DataFrame, brands: Sequence[str] | str | None) -> list[str]:
    """The brands asked for, checked as :meth:`Replies.scope` does, without rebuilding the chains."""
    r = Replies(brands=brand_accounts(msgs), inbound=pd.DataFrame(), conversations=pd.DataFrame(),
                pairs=pd.DataFrame(), brand_messages=pd.Series(dtype="int64"), business_hours=(9, 18),
                business_days=BUSINESS_DAYS)
    return r.scope(brands)


def sign_off(texts: pd.Series) -> pd.Series:
    """The sign-off closing each text (initials or a first name after ``^``, ``*``, ``~``, ``/`` or a dash,
    trailing links and "1/2" counters set aside), else NA."""
    body = texts.astype("string").str.replace(_TRAILER, "", regex=True)
    return body.str.extract(_SIGN_OFF, expand=False).astype("string")


def sign_off_table(msgs: pd.DataFrame, brands: Sequence[str] | str | None = None) -> pd.DataFrame:
    """Per brand (all, or ``brands``, in that order): its messages, those ending with a sign-off, the
    distinct sign-offs, and the same on its busiest day (the calendar day of the data's clock with most
    of its messages; ties: the earliest).

    Distinct sign-offs are a floor on the people writing for the account, not a count: agents who do not
    sign are missed, and two agents with the same initials count once.
    """
    _check(msgs)
    scope = _scoped(msgs, brands)
    mine = msgs[~msgs["inbound"].to_numpy(dtype=bool)]
    mine = mine.assign(sign_off=sign_off(mine["text"]))
    rows = []
    for brand in scope:
        m = mine[mine["author"] == brand]
        day = m["created"].dt.normalize()
        counts = day.value_counts().sort_index(kind="stable").sort_values(ascending=False, kind="stable")
        busiest = m[day == counts.index[0]] if len(m) else m
        rows.append({"brand": brand, "brand_messages": len(m), "signed": int(m["sign_off"].notna().sum()),
                     "sign_offs": int(m["sign_off"].nunique()),
                     "signed_share": float(m["sign_off"].notna().mean()) if len(m) else np.nan,
                     "busiest_day": counts.index[0].strftime("%Y-%m-%d") if len(m) else "",
                     "busiest_day_messages": len(busiest), "busiest_day_sign_offs": int(busiest["sign_off"].nunique())})
    return pd.DataFrame(rows)


def private_channel_table(msgs: pd.DataFrame, brands: Sequence[str] | str | None = None) -> pd.DataFrame:
    """Per brand (all, or ``brands``): its replies to customers (:func:`reply_pairs`), those naming a
    private channel (:data:`PRIVATE_CHANNEL`: DM, direct or private message) and their share.

    A count of words, not of conversations moved: a reply may name a DM without asking for one, and a link
    to a web form takes the customer away without naming a private channel.
    """
    _check(msgs)
    scope = _scoped(msgs, brands)
    pairs = reply_pairs(msgs)
    texts = msgs["text"].astype("string").to_numpy(dtype=object)[pairs["position"].to_numpy()]
    named = pd.Series(texts, dtype="string").str.contains(PRIVATE_CHANNEL).fillna(False).to_numpy(dtype=bool)
    pairs = pairs.assign(private=named)
    rows = []
    for brand in scope:
        p = pairs[pairs["brand"] == brand]
        rows.append({"brand": brand, "brand_replies": len(p), "private_channel": int(p["private"].sum()),
                     "private_share": float(p["private"].mean()) if len(p) else np.nan})
    return pd.DataFrame(rows)


def team_figures(signs: pd.DataFrame, private: pd.DataFrame) -> dict[str, object]:
    """The chapter's figures on the people and the channel behind the accounts, from
    :func:`sign_off_table` and :func:`private_channel_table` of the same brands.

    Keys: signing_brands (brands with a sign-off), sign_off_brand (most distinct sign-offs; ties by name),
    sign_off_count, sign_off_messages, sign_off_day, sign_off_day_messages, sign_off_day_count (its busiest
    day: messages and distinct sign-offs), private_replies, private_share (over every reply of
    the brands), private_top_brand and private_top_share (highest share among brands with 20 replies or
    more; "" and NaN when none has).
    """
    figures: dict[str, object] = {"signing_brands": int((signs["sign_offs"] > 0).sum())}
    if len(signs) and int(signs["sign_offs"].max()) > 0:
        top = signs.sort_values(["sign_offs", "brand"], ascending=[False, True], kind="stable").iloc[0]
        figures.update(sign_off_brand=str(top["brand"]), sign_off_count=int(top["sign_offs"]),
                       sign_off_messages=int(top["brand_messages"]), sign_off_day=str(top["busiest_day"]),
                       sign_off_day_messages=int(top["busiest_day_messages"]),
                       sign_off_day_count=int(top["busiest_day_sign_offs"]))
    else:
        figures.update(sign_off_brand="", sign_off_count=0, sign_off_messages=0, sign_off_day="",
                       sign_off_day_messages=0, sign_off_day_count=0)
    replies_n = int(private["brand_replies"].sum())
    figures["private_replies"] = int(private["private_channel"].sum())
    figures["private_share"] = figures["private_replies"] / replies_n if replies_n else float("nan")
    big = private[private["brand_replies"] >= 20]
    if len(big):
        top = big.sort_values(["private_share", "brand"], ascending=[False, True], kind="stable").iloc[0]
        figures.update(private_top_brand=str(top["brand"]), private_top_share=float(top["private_share"]))
    else:
        figures.update(private_top_brand="", private_top_share=float("nan"))
    return figures


def business_contrast(table: pd.DataFrame, min_messages: int = 10) -> dict[str, object]:
    """Each brand against itself, in business hours and outside them (:func:`brand_table`'s columns):
    the brands with at least ``min_messages`` inbound messages in both, and those of them answered faster
    (a lower median first reply) in business hours.

    Keys: business_min_messages, business_brands (how many), business_brands_list, business_faster (how
    many), business_faster_list ("none" when empty).
    """
    ok = table[(table["business_inbound"] >= min_messages) & (table["off_hours_inbound"] >= min_messages)
               & table["business_median_min"].notna() & table["off_hours_median_min"].notna()]
    faster = ok[ok["business_median_min"] < ok["off_hours_median_min"]]
    return {"business_min_messages": int(min_messages), "business_brands": int(len(ok)),
            "business_brands_list": ", ".join(ok["brand"].astype(str)) or "none",
            "business_faster": int(len(faster)),
            "business_faster_list": ", ".join(faster["brand"].astype(str)) or "none"}


def time_concentration(msgs: pd.DataFrame, window: int = 3) -> dict[str, object]:
    """How bunched in time a file is: its busiest day and that day's share of the messages, and the
    ``window`` consecutive hours of the day (in the data's clock, wrapping past midnight) in which most
    inbound messages were written, with their share of the inbound messages.

    Keys: busiest_day (YYYY-MM-DD), busiest_day_share, peak_hours ("21:00–00:00"), peak_hours_share.
    """
    _check(msgs)
    if not 1 <= int(window) <= 24:
        raise ParameterError(f"window must be 1 to 24 hours, not {window!r}")
    days = msgs["created"].dt.normalize().value_counts()
    days = days.sort_index(kind="stable").sort_values(ascending=False, kind="stable")
    inbound = msgs.loc[msgs["inbound"].to_numpy(dtype=bool), "created"]
    by_hour = np.bincount(inbound.dt.hour.to_numpy(dtype="int64"), minlength=24)
    sums = [int(by_hour[[(h + k) % 24 for k in range(window)]].sum()) for h in range(24)]
    start = int(np.argmax(sums))
    end = (start + window) % 24
    return {"busiest_day": days.index[0].strftime("%Y-%m-%d"),
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


__all__ = ["ATTRIBUTION", "BUSINESS_DAYS", "COLUMNS", "PRIVATE_CHANNEL", "Replies", "TWCS_CREDIT", "brand_accounts",
           "brand_table", "business_contrast", "business_table", "check_business_hours",
           "conversation_concentration", "conversations", "exchanges_table", "fastest", "hour_table",
           "inbound_messages", "prepare", "private_channel_table", "quantile_intervals", "reply_pairs", "sign_off",
           "sign_off_table", "slowest", "support_figures", "team_figures", "threads", "time_concentration"]
