"""Reach vs relay (room community): a message's first audience and a Galton–Watson cascade of relays.

No SNCF data exists: every default is an ASSUMPTION and every output a *model* or *simulated* figure.

Reach vs relay: a message goes to a first audience (``size`` people, each converting with
``conversion`` and passing it on with ``relay``); everyone who passes it on shows it to a Poisson
number (mean ``fanout``) of friends, who convert and pass it on with the network's rates: a
Galton–Watson branching process with mean offspring m = fanout × relay.

May import: the foundation and community.funnel (its parameter checks).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from casebook import i18n
from casebook.community.funnel import MAX_SIMULATIONS, check_count, check_known, check_number
from casebook.errors import ParameterError
from casebook.i18n import gettext as _

DEFAULT_REACH: dict[str, float] = {"size": 1000, "conversion": 0.002, "relay": 0.005}
DEFAULT_RELAYS: dict[str, float] = {"size": 10, "conversion": 0.1, "relay": 0.5}
DEFAULT_NETWORK: dict[str, float] = {"fanout": 50, "conversion": 0.01, "relay": 0.01}


# --- reach vs relay: a branching process ------------------------------------------------------


def check_audience(
    name: str, audience: Mapping[str, float] | None, default: Mapping[str, float]
) -> dict[str, float]:
    """A first audience: size (whole number ≥ 1), conversion and relay (probabilities)."""
    given = dict(audience or {})
    check_known(f"key of {name}", given, ("size", "conversion", "relay"))
    merged = {**default, **given}
    out = {"size": float(check_count(f"{name}['size']", merged["size"]))}
    for key in ("conversion", "relay"):
        value = check_number(f"{name}[{key!r}]", merged[key])
        if not 0 <= value <= 1:
            raise ParameterError(f"{name}[{key!r}] must be a probability between 0 and 1, got {value!r}")
        out[key] = value
    return out


def check_network(network: Mapping[str, float] | None = None) -> dict[str, float]:
    """The friends a relay reaches: fanout ≥ 0, conversion and relay probabilities; fanout × relay < 1."""
    given = dict(network or {})
    check_known("key of network", given, ("fanout", "conversion", "relay"))
    merged = {**DEFAULT_NETWORK, **given}
    out = {"fanout": check_number("network['fanout']", merged["fanout"])}
    if out["fanout"] < 0:
        raise ParameterError(f"network['fanout'] must be 0 or more, got {merged['fanout']!r}")
    for key in ("conversion", "relay"):
        value = check_number(f"network[{key!r}]", merged[key])
        if not 0 <= value <= 1:
            raise ParameterError(f"network[{key!r}] must be a probability between 0 and 1, got {value!r}")
        out[key] = value
    m = out["fanout"] * out["relay"]
    if m >= 1:
        raise ParameterError(
            f"network fanout × relay = {m:.3g} ≥ 1: the cascade never dies out in this model; "
            "lower fanout or relay"
        )
    return out


def _per_relayer(net: dict[str, float]) -> float:
    """Expected conversions downstream of one person who passes the message on: f·p/(1−m)."""
    return net["fanout"] * net["conversion"] / (1 - net["fanout"] * net["relay"])


def expected_cascade(
    audience: Mapping[str, float] | None = None, network: Mapping[str, float] | None = None
) -> dict[str, float]:
    """Model expectations for one first audience: direct, downstream and total conversions, and reach."""
    aud = check_audience("audience", audience, DEFAULT_REACH)
    net = check_network(network)
    m = net["fanout"] * net["relay"]
    relayers = aud["size"] * aud["relay"]
    direct = aud["size"] * aud["conversion"]
    downstream = relayers * _per_relayer(net)
    return {
        "direct": direct,
        "downstream": downstream,
        "conversions": direct + downstream,
        "reached": aud["size"] + relayers * net["fanout"] / (1 - m),
        "offspring_mean": m,
    }


def simulate_cascade(
    audience: Mapping[str, float] | None = None,
    network: Mapping[str, float] | None = None,
    simulations: int = 10_000,
    rng: np.random.Generator | int = 2011,
    max_generations: int = 200,
) -> pd.DataFrame:
    """Seeded branching process: one row per simulation with people reached, conversions and waves."""
    aud = check_audience("audience", audience, DEFAULT_REACH)
    net = check_network(network)
    sims = check_count("simulations", simulations, maximum=MAX_SIMULATIONS)
    if not isinstance(rng, np.random.Generator):
        rng = np.random.default_rng(check_count("seed", rng, minimum=0))
    size = int(aud["size"])
    conversions = rng.binomial(size, aud["conversion"], sims).astype("int64")
    relayers = rng.binomial(size, aud["relay"], sims).astype("int64")
    reached = np.full(sims, size, dtype="int64")
    waves = np.zeros(sims, dtype="int64")
    idx = np.flatnonzero(relayers > 0)
    current = relayers[idx]
    for _wave in range(check_count("max_generations", max_generations)):
        if idx.size == 0:
            break
        seen = rng.poisson(net["fanout"] * current)
        conversions[idx] += rng.binomial(seen, net["conversion"])
        reached[idx] += seen
        waves[idx] += 1
        passing = rng.binomial(seen, net["relay"])
        alive = passing > 0
        idx, current = idx[alive], passing[alive]
    return pd.DataFrame({"reached": reached, "conversions": conversions, "waves": waves})


@dataclass(frozen=True)
class Comparison:
    """Reach vs relay, simulated in pairs: summaries, who wins, and the aggregated distributions."""

    summary: pd.DataFrame  # one row per strategy: model and simulated conversions
    relay_wins: float  # share of paired runs in which the relays convert more people
    ties: float  # share of paired runs with as many conversions each
    distribution: pd.DataFrame  # strategy, conversions, simulations, share (aggregated counts)


def compare_reach_relay(
    reach: Mapping[str, float] | None = None,
    relays: Mapping[str, float] | None = None,
    network: Mapping[str, float] | None = None,
    simulations: int = 10_000,
    seed: int = 2011,
) -> Comparison:
    """Model and simulated conversions for both strategies, and how often the relays win outright."""
    reach = check_audience("reach", reach, DEFAULT_REACH)
    relays = check_audience("relays", relays, DEFAULT_RELAYS)
    rng = np.random.default_rng(check_count("seed", seed, minimum=0))
    rows, runs, dists = [], {}, []
    for label, aud in (("reach", reach), ("relay", relays)):
        sim = simulate_cascade(aud, network, simulations, rng)
        model = expected_cascade(aud, network)
        conv = sim["conversions"].to_numpy()
        runs[label] = conv
        p05, median, p95 = np.quantile(conv, [0.05, 0.5, 0.95])
        rows.append(
            {
                "strategy": label,
                "first_audience": int(aud["size"]),
                "model_conversions": model["conversions"],
                "simulated_mean": conv.mean(),
                "std_error": conv.std(ddof=1) / np.sqrt(conv.size) if conv.size > 1 else float("nan"),
                "simulated_median": median,
                "p05": p05,
                "p95": p95,
                "share_zero": float((conv == 0).mean()),
                "model_reached": model["reached"],
                "simulated_reached": sim["reached"].mean(),
            }
        )
        counts = np.bincount(conv)
        dists.append(
            pd.DataFrame(
                {
                    "strategy": label,
                    "conversions": np.arange(counts.size),
                    "simulations": counts,
                    "share": counts / conv.size,
                }
            )
        )
    return Comparison(
        summary=pd.DataFrame(rows),
        relay_wins=float((runs["relay"] > runs["reach"]).mean()),
        ties=float((runs["relay"] == runs["reach"]).mean()),
        distribution=pd.concat(dists, ignore_index=True),
    )


def relay_break_even(
    reach: Mapping[str, float] | None = None,
    relays: Mapping[str, float] | None = None,
    network: Mapping[str, float] | None = None,
) -> float:
    """The relay probability of the small group at which both strategies expect the same conversions.

    Above it the relays win (in expectation). A value below 0 means the relays win even if none of
    them passes the message on; above 1, they cannot win; NaN, relaying downstream converts nobody.
    """
    reach = check_audience("reach", reach, DEFAULT_REACH)
    relays = check_audience("relays", relays, DEFAULT_RELAYS)
    net = check_network(network)
    target = expected_cascade(reach, net)["conversions"]
    slope = relays["size"] * _per_relayer(net)
    if slope == 0:
        return float("nan")
    return float((target - relays["size"] * relays["conversion"]) / slope)


def reach_vs_relay_curve(
    reach: Mapping[str, float] | None = None,
    relays: Mapping[str, float] | None = None,
    network: Mapping[str, float] | None = None,
    points: int = 21,
) -> pd.DataFrame:
    """Model conversions of both strategies as the relays' relay probability runs from 0 to 1 (long form)."""
    reach = check_audience("reach", reach, DEFAULT_REACH)
    relays = check_audience("relays", relays, DEFAULT_RELAYS)
    net = check_network(network)
    q = np.linspace(0, 1, check_count("points", points, minimum=2))
    relay_conv = relays["size"] * relays["conversion"] + relays["size"] * q * _per_relayer(net)
    reach_conv = np.full(q.size, expected_cascade(reach, net)["conversions"])
    return pd.concat(
        [
            pd.DataFrame(
                {
                    "relay_probability": q,
                    "strategy": _("{n} contacts (reach)").format(n=i18n.number(int(reach["size"]))),
                    "model_conversions": reach_conv,
                }
            ),
            pd.DataFrame(
                {
                    "relay_probability": q,
                    "strategy": _("{n} relays").format(n=i18n.number(int(relays["size"]))),
                    "model_conversions": relay_conv,
                }
            ),
        ],
        ignore_index=True,
    )


def relay_figures(comparison: Comparison, reach: Mapping[str, float], relays: Mapping[str, float],
                  network: Mapping[str, float]) -> dict[str, object]:
    """The figures of the reach-or-relay section: both first audiences and their expected conversions, the
    relays' probability of passing on and its break-even, how often the relays win or tie in paired runs,
    and each strategy's share of runs without any conversion."""
    s = comparison.summary.set_index("strategy")
    return {
        "reach_size": int(s.loc["reach", "first_audience"]),
        "relay_size": int(s.loc["relay", "first_audience"]),
        "reach_expected": s.loc["reach", "model_conversions"],
        "relay_expected": s.loc["relay", "model_conversions"],
        "relay_probability": float(relays["relay"]),
        "relay_break_even": relay_break_even(reach, relays, network),
        "relay_wins": comparison.relay_wins,
        "relay_ties": comparison.ties,
        "reach_zero": s.loc["reach", "share_zero"],
        "relay_zero": s.loc["relay", "share_zero"],
    }
