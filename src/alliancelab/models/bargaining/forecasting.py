"""Forecasting an issue: play the rounds, over many perturbed copies at once, into labelled results.

Copy 0 is always the issue as given. With ``perturb=K`` copies 1..K are noisy variants: each
position gets normal noise with standard deviation ``position_sd`` × the scale's width, clipped to
the scale, and each salience normal noise with standard deviation ``salience_sd``, clipped to
[0, 1]. Capabilities are kept. The spread of the copies' forecasts shows how much the forecast
depends on inputs an analyst can only estimate.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import xarray as xr

from alliancelab.engine.resources import check_memory
from alliancelab.errors import ParameterError
from alliancelab.models.bargaining.issue import Issue
from alliancelab.models.bargaining.rules import (
    EVENTS,
    Rules,
    play_round,
    rules_named,
    weighted_mean,
    weighted_median,
)

__all__ = ["events_table", "forecast", "outcome_summary", "round_table", "unsettled_note"]

#: Largest number of (copy × actor³) elements a chunk of copies may hold in one pair-vote tensor.
_CHUNK_ELEMENTS = 1 << 22
#: The most rounds a forecast plays (positions settle within tens of rounds).
MAX_ROUNDS = 10_000


def _inputs(issue: Issue, perturb: int, seed: int, position_sd: float, salience_sd: float) -> tuple[np.ndarray, ...]:
    x = np.array([st.position for st in issue.stakeholders], dtype=np.float64)
    c = np.array([st.capability for st in issue.stakeholders], dtype=np.float64)
    s = np.array([st.salience for st in issue.stakeholders], dtype=np.float64)
    copies = perturb + 1
    xs = np.repeat(x[None], copies, 0)
    ss = np.repeat(s[None], copies, 0)
    if perturb:
        rng = np.random.default_rng(seed)
        xs[1:] = np.clip(xs[1:] + rng.normal(0.0, position_sd * issue.width, (perturb, x.size)), issue.low, issue.high)
        ss[1:] = np.clip(ss[1:] + rng.normal(0.0, salience_sd, (perturb, s.size)), 0.0, 1.0)
        # a copy in which nobody cares at all cannot be played: give it back its original saliences
        dead = (c[None] * ss).sum(-1) <= 0
        ss[dead] = s
    return xs, np.repeat(c[None], copies, 0), ss


def forecast(
    issue: Issue,
    rounds: int = 10,
    rules: str | Rules = "paper",
    perturb: int = 0,
    seed: int = 0,
    position_sd: float = 0.05,
    salience_sd: float = 0.10,
    tol: float = 1e-6,
    progress: Callable[[int], None] | None = None,
    max_memory: int | None = None,
    reserve_bytes: int = 0,
) -> xr.Dataset:
    """Play ``rounds`` rounds of the expected-utility model on ``issue`` (and ``perturb`` noisy copies).

    Returns a Dataset over (copy, round, actor): ``position``, ``risk`` (r_i used in the round),
    ``event`` (code, see ``event_names`` attribute), ``sender`` (index of the actor whose offer was
    accepted, −1 none), ``eu_target``/``eu_sender``; per (copy, round) ``mean`` and ``median``; per
    copy ``forecast`` (the weighted median after the last round, BDM's predicted outcome) and
    ``settled`` (the round in which the copy settled, −1 if it was still moving after the last).
    Round 0 holds the inputs (r = 1, no event).

    Work whose estimated peak (what the process holds, the tables, their summaries and
    ``reserve_bytes`` the caller will add, such as its writers' libraries) is above ``max_memory``
    bytes (default: 80 % of physical memory) is refused before it starts.

    A copy settles when no actor moves more than ``tol`` × the scale's width in a round; it then
    stops bargaining and keeps its positions for the remaining rounds (compromises approach a
    position geometrically, so exact rest may never come; ``tol=0`` plays every round).

    >>> from alliancelab.models.bargaining import load_issue
    >>> ds = forecast(load_issue("ec-emissions-1994"), rounds=3, rules="scholz-code")
    >>> [round(float(v), 3) for v in ds["mean"].sel(copy=0)]
    [7.39, 7.461, 7.553, 7.59]
    """
    rules = rules_named(rules)
    if isinstance(rounds, bool) or not isinstance(rounds, int) or not 1 <= rounds <= MAX_ROUNDS:
        raise ParameterError("rounds", "forecast", f"a whole number from 1 to {MAX_ROUNDS:,}", rounds)
    if isinstance(perturb, bool) or not isinstance(perturb, int) or perturb < 0:
        raise ParameterError("perturb", "forecast", "a whole number of copies ≥ 0", perturb)
    for name, value in (("position_sd", position_sd), ("salience_sd", salience_sd), ("tol", tol)):
        if not (np.isfinite(value) and value >= 0):
            raise ParameterError(name, "forecast", "a finite standard deviation ≥ 0", value)

    n_actors = len(issue.stakeholders)
    tables = (perturb + 1) * (rounds + 1) * n_actors * 49  # five float64 or int64 tables and one int8 table
    # the tables, and as much again for the dataset's summaries and the bargaining's working arrays
    # (measured: 2.0-2.3 x the tables at 20,000 and 80,000 copies of a 9-actor issue)
    needed = max(2 * tables, 6 * 8 * n_actors**3) + int(reserve_bytes)  # a round compares every offer to every pair
    check_memory(needed, f"{perturb + 1:,} copies x {rounds + 1} rounds", "forecast", max_memory)
    x, c, s = _inputs(issue, perturb, seed, position_sd, salience_sd)
    copies, n = x.shape
    shape = (copies, rounds + 1, n)
    position = np.empty(shape)
    risk = np.ones(shape)
    event = np.zeros(shape, dtype=np.int8)
    sender = np.full(shape, -1, dtype=np.int64)
    eu_target = np.zeros(shape)
    eu_sender = np.zeros(shape)
    position[:, 0] = x

    settled = np.full(copies, -1, dtype=np.int64)
    step = max(1, _CHUNK_ELEMENTS // max(n**3, 1))
    for lo in range(0, copies, step):
        hi = min(copies, lo + step)
        xc = x[lo:hi]
        active = np.ones(hi - lo, dtype=bool)
        for k in range(1, rounds + 1):
            res = play_round(xc, c[lo:hi], s[lo:hi], issue.width, rules)
            keep = active[:, None]
            position[lo:hi, k] = np.where(keep, res.position, xc)
            risk[lo:hi, k] = np.where(keep, res.risk, risk[lo:hi, k - 1])
            event[lo:hi, k] = np.where(keep, res.event, 0)
            sender[lo:hi, k] = np.where(keep, res.sender, -1)
            eu_target[lo:hi, k] = np.where(keep, res.eu_target, 0.0)
            eu_sender[lo:hi, k] = np.where(keep, res.eu_sender, 0.0)
            if progress is not None:
                progress(hi - lo)
            still = np.abs(position[lo:hi, k] - xc).max(-1) > tol * issue.width
            settled[lo:hi][active & ~still] = k
            active &= still
            xc = position[lo:hi, k]
            if not active.any():
                position[lo:hi, k + 1 :] = xc[:, None]
                risk[lo:hi, k + 1 :] = risk[lo:hi, k][:, None]
                if progress is not None:
                    progress((hi - lo) * (rounds - k))
                break

    w = np.repeat((c * s)[:, None, :], rounds + 1, 1)
    median = weighted_median(position, w)
    ds = xr.Dataset(
        {
            "position": (("copy", "round", "actor"), position),
            "risk": (("copy", "round", "actor"), risk),
            "event": (("copy", "round", "actor"), event),
            "sender": (("copy", "round", "actor"), sender),
            "eu_target": (("copy", "round", "actor"), eu_target),
            "eu_sender": (("copy", "round", "actor"), eu_sender),
            "mean": (("copy", "round"), weighted_mean(position, w)),
            "median": (("copy", "round"), median),
            "forecast": (("copy",), median[:, -1]),
            "settled": (("copy",), settled),
            "capability": (("copy", "actor"), c),
            "salience": (("copy", "actor"), s),
        },
        coords={"copy": np.arange(copies), "round": np.arange(rounds + 1), "actor": issue.actors},
        attrs={
            "issue": issue.name,
            "title": issue.title,
            "low": issue.low,
            "high": issue.high,
            "low_means": issue.low_means,
            "high_means": issue.high_means,
            "probability": rules.probability,
            "offer_choice": rules.offer_choice,
            "q": rules.q,
            "t": rules.t,
            "mu": rules.mu,
            "capitulation": int(rules.capitulation),
            "perturb": perturb,
            "seed": seed,
            "position_sd": position_sd,
            "salience_sd": salience_sd,
            "tol": tol,
            "event_names": ", ".join(f"{k}={v}" for k, v in EVENTS.items()),
        },
    )
    ds["position"].attrs["units"] = issue.units or "issue scale"
    return ds


def round_table(ds: xr.Dataset, copy: int = 0) -> pd.DataFrame:
    """Round by round for one copy: the weighted mean and median, and each actor's position."""
    one = ds.sel(copy=copy)
    table = pd.DataFrame(
        one["position"].values, index=pd.Index(one["round"].values, name="round"), columns=ds["actor"].values
    )
    table.insert(0, "median", one["median"].values)
    table.insert(0, "mean", one["mean"].values)
    return table


def events_table(ds: xr.Dataset, copy: int = 0) -> pd.DataFrame:
    """The bargaining events of one copy: who accepted whose offer in which round, and the move.

    Columns: round, actor (the target who moved), outcome (conflict/compromise/capitulation),
    sender, position_before, position_after, eu_target, eu_sender.
    """
    one = ds.sel(copy=copy)
    ev = one["event"].values
    rounds, actors = np.nonzero(ev)
    names = [str(a) for a in ds["actor"].values]
    pos = one["position"].values
    return pd.DataFrame(
        {
            "round": one["round"].values[rounds],
            "actor": [names[a] for a in actors],
            "outcome": [EVENTS[int(ev[r, a])] for r, a in zip(rounds, actors, strict=True)],
            "sender": [names[int(one["sender"].values[r, a])] for r, a in zip(rounds, actors, strict=True)],
            "position_before": pos[rounds - 1, actors],
            "position_after": pos[rounds, actors],
            "eu_target": one["eu_target"].values[rounds, actors],
            "eu_sender": one["eu_sender"].values[rounds, actors],
        }
    )


def outcome_summary(ds: xr.Dataset) -> pd.Series:
    """The forecast as given (copy 0) and, over perturbed copies, its distribution."""
    out = {"forecast": float(ds["forecast"].sel(copy=0)), "mean_position": float(ds["mean"].sel(copy=0)[-1])}
    if ds.sizes["copy"] > 1:
        f = ds["forecast"].sel(copy=slice(1, None)).values
        out |= {
            "copies": float(f.size),
            "perturbed_mean": float(f.mean()),
            "perturbed_sd": float(f.std(ddof=1)) if f.size > 1 else 0.0,
            "p05": float(np.quantile(f, 0.05)),
            "p50": float(np.quantile(f, 0.50)),
            "p95": float(np.quantile(f, 0.95)),
            "settled_share": float((ds["settled"].sel(copy=slice(1, None)).values >= 0).mean()),
        }
    return pd.Series(out)


def unsettled_note(ds: xr.Dataset) -> str | None:
    """Where positions have not settled (copy 0), what a reader needs to weigh the forecast: the
    range the weighted median moves over in the later half of the rounds, and the actors still
    moving; None where they settled. Under some rules offers chase one another round after round
    (a cycle), and the forecast is then where the last round happens to cut it."""
    if int(ds["settled"].sel(copy=0)) >= 0:
        return None
    median = ds["median"].sel(copy=0).values
    rounds = ds["round"].values
    half = len(median) // 2
    lo, hi = float(np.min(median[half:])), float(np.max(median[half:]))
    events = np.asarray(ds["event"].sel(copy=0).isel(round=slice(half, None)).values)
    movers = [str(a) for k, a in enumerate(ds["actor"].values) if events[:, k].any()]
    who = f" ({', '.join(movers)} still move)" if movers else ""
    since = int(rounds[half])
    if hi - lo < 1e-9:
        return f"the weighted median has held at {lo:.3f} since round {since}, but positions still move{who}"
    return (
        f"the weighted median has not settled: over rounds {since}-{int(rounds[-1])} it moves between "
        f"{lo:.3f} and {hi:.3f}{who}, so the forecast is where the last round leaves it; read the range, not "
        "the point (more --rounds, or --perturb, show how much the stopping round matters)"
    )
