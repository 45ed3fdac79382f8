"""Compare scenarios on the same seeds: paired differences with their uncertainty.

Each indicator is averaged per run over a window of years (default: from the fifth year on, so
the start's transients are left out) and compared run by run with the baseline, which shares the
run's random numbers. Indicators about named states are computed only where every scenario has
those states; what is left out, and scenarios holding different sets of states, are reported.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from alliancelab.engine.manifest import read_manifest
from alliancelab.report.style import START, colours, finish, grid, mark_shocks, observed, shock_years, styled

__all__ = [
    "INDICATORS",
    "NEGLIGIBLE",
    "Comparison",
    "actor_names",
    "compare_scenarios",
    "comparison_figure",
    "comparison_table",
    "decimals",
    "default_indicators",
    "default_window",
    "named",
    "paired_view",
    "parse_indicator",
    "reading",
    "reading_view",
    "state_indicators",
    "trajectories_figure",
]

Indicator = Callable[[xr.Dataset, slice], xr.DataArray]


def default_window(ds: xr.Dataset) -> tuple[int, int]:
    """From the fifth simulated year to the last (the whole run when shorter)."""
    years = ds.year.values
    return int(years[min(len(years) - 1, 4)]), int(years[-1])


@dataclass(frozen=True)
class Spec:
    """An indicator: how to compute it per run, and the states it needs (all of them)."""

    compute: Indicator
    states: tuple[str, ...] = ()
    variables: tuple[str, ...] = ()


def _mean_over(var: str, actors: Sequence[str] | None = None, scale: float = 1.0) -> Spec:
    def f(ds: xr.Dataset, window: slice) -> xr.DataArray:
        v = ds[var].sel(year=window).astype("float64")
        if actors is not None:
            v = v.sel(actor=list(actors))
        return v.mean([d for d in v.dims if d != "run"]) * scale

    return Spec(f, tuple(actors or ()), (var,))


def _order_share(code: int) -> Spec:
    def f(ds: xr.Dataset, window: slice) -> xr.DataArray:
        return (ds["order"].sel(year=window) == code).mean("year").astype("float64")

    return Spec(f, (), ("order",))


def _escalation_share(ds: xr.Dataset, window: slice) -> xr.DataArray:
    c = ds["crisis_count"].sel(year=window).sum("year").astype("float64")
    e = ds["escalation"].sel(year=window).sum(["year", "actor", "other"]).astype("float64") / 2
    out: xr.DataArray = (e / c.where(c > 0)).where(c > 0)
    return out


#: Indicators (per run, averaged over the window) reported by ``compare``.
INDICATORS: dict[str, Spec] = {
    "Japan spending share (%)": _mean_over("share", ["jpn"], 100),
    "China spending share (%)": _mean_over("share", ["chn"], 100),
    "China perceived threat (US$ bn)": _mean_over("threat", ["chn"], 1e-9),
    "ROK perceived threat (US$ bn)": _mean_over("threat", ["kor"], 1e-9),
    "Japan abandonment fear (0-1)": _mean_over("abandonment_fear", ["jpn"]),
    "arms-race index (%/yr)": _mean_over("arms_race_index", None, 100),
    "security-dilemma index (0-1)": _mean_over("security_dilemma_index"),
    "crises per year (count)": _mean_over("crisis_count"),
    "escalations per crisis (share)": Spec(_escalation_share, (), ("crisis_count", "escalation")),
    "hub-and-spoke share of years (share)": _order_share(0),
}


#: What ``--indicator`` accepts: outputs per state (``share:jpn``; alone, the mean over states)
#: and region-wide outputs; ``order:N`` is the share of years in order type N (0-4).
_PER_STATE = {"share": 100.0, "milex": 1e-9, "threat": 1e-9, "net_threat": 1e-9, "abandonment_fear": 1.0,
              "crises": 1.0, "gdp": 1e-9, "capability": 1e-9}  # fmt: skip
_UNITS = {"share": " (%)", "milex": " (US$ bn)", "threat": " (US$ bn)", "net_threat": " (US$ bn)", "gdp": " (US$ bn)",
          "capability": " (US$ bn)"}  # fmt: skip
#: outputs of a pair (``hostility:chn,jpn``): the scale and unit of each run's mean over the window
_PAIR = {"hostility": " (0-1)", "crisis": " (per yr)", "escalation": " (per yr)"}
_REGION = ("arms_race_index", "security_dilemma_index", "crisis_count", "concentration", "effective_poles",
           "centralization")  # fmt: skip


def _pair_mean(var: str, a: str, b: str) -> Spec:
    def f(ds: xr.Dataset, window: slice) -> xr.DataArray:
        return ds[var].sel(year=window, actor=a, other=b).astype("float64").mean("year")

    return Spec(f, (a, b), (var,))


def parse_indicator(text: str) -> tuple[str, Spec]:
    """``share:jpn``, ``threat:chn,kor``, ``hostility:chn,jpn``, ``crisis_count``, ``order:0``:
    a label and its :class:`Spec`. A state output with several states is their mean; a pair output
    (``hostility``, ``crisis``, ``escalation``) takes exactly two states.

    >>> parse_indicator("share:jpn")[0]
    'share of jpn (%)'
    >>> parse_indicator("crisis:chn,twn")[0]
    'crisis chn-twn (per yr)'
    """
    from alliancelab.errors import ParameterError

    name, _, arg = text.strip().partition(":")
    states = [s.strip() for s in arg.split(",") if s.strip()]
    valid = (
        f"one of {sorted(_PER_STATE)} (optionally :STATE[,STATE]), a pair's {sorted(_PAIR)} (:STATE,STATE), "
        f"{list(_REGION)} or order:0-4"
    )
    if name in _PAIR:
        if len(states) != 2 or states[0] == states[1]:
            raise ParameterError("--indicator", "compare", f"{name}:STATE,STATE with two different states", text)
        return f"{name} {states[0]}-{states[1]}{_PAIR[name]}", _pair_mean(name, states[0], states[1])
    if name in _PER_STATE:
        label = f"{name} of {','.join(states)}" if states else f"{name}, mean over states"
        return label + _UNITS.get(name, ""), _mean_over(name, states or None, _PER_STATE[name])
    if name in _REGION and not states:
        from alliancelab.models.order.outputs import OUTPUTS

        return f"{name} ({OUTPUTS[name].units})", _mean_over(name)
    if name == "order" and arg.strip() in {"0", "1", "2", "3", "4"}:
        from alliancelab.measures.order import ORDER_TYPES

        return f"{ORDER_TYPES[int(arg)]} share of years (share)", _order_share(int(arg))
    raise ParameterError("--indicator", "compare", valid, text)


def default_indicators(ds: xr.Dataset) -> dict[str, Spec]:
    """The default indicators for the baseline ``ds``: the allies' spending share computed from
    the scenario's own alliances (the protégés of its patron with the most spokes), then the
    standing ones (:data:`INDICATORS`, whose states a scenario may lack: left out with a note)."""

    from alliancelab.scenario import scenario_from_dict
    from alliancelab.scenario.model import patron_spokes

    scenario = scenario_from_dict(read_manifest(ds)["resolved_scenario"])
    hub = patron_spokes(scenario)
    out: dict[str, Spec] = {}
    if hub is not None:
        patron = next(a.name for a in scenario.actor if a.id == hub[0])
        owner = f"{patron}'" if patron.endswith("s") else f"{patron}'s"  # the United States' allies
        out[f"{owner} allies' spending share (%)"] = _mean_over("share", hub[1], 100)
    return out | INDICATORS


def state_indicators(states: Sequence[str]) -> dict[str, Spec]:
    """Spending share and perceived threat of each named state."""
    out: dict[str, Spec] = {}
    for s in states:
        out[f"{s} spending share (%)"] = _mean_over("share", [s], 100)
        out[f"{s} perceived threat (US$ bn)"] = _mean_over("threat", [s], 1e-9)
    return out


@dataclass
class Comparison:
    """Per-run values of each indicator per scenario, the window, and what was left out and why."""

    per_run: dict[str, pd.DataFrame]
    window: tuple[int, int]
    notes: list[str] = field(default_factory=list)


def compare_scenarios(
    results: dict[str, xr.Dataset],
    indicators: dict[str, Spec] | None = None,
    window: tuple[int, int] | None = None,
) -> Comparison:
    """Per-run indicator values for each scenario (same seeds, so runs are paired).

    The window must lie within the years every scenario simulates, and at least one indicator
    must be computable for every scenario: otherwise a :class:`ParameterError` says why.
    """
    from alliancelab.errors import ParameterError

    first = next(iter(results.values()))
    specs = default_indicators(first) if indicators is None else indicators
    lo, hi = window or default_window(first)
    start = max(int(ds.year.values[0]) for ds in results.values())
    end = min(int(ds.year.values[-1]) for ds in results.values())
    if not start <= lo <= hi <= end:
        raise ParameterError("--window", "compare", f"years within the simulated {start}-{end}", f"{lo}-{hi}")
    notes = []
    sets = {name: set(map(str, ds.actor.values)) for name, ds in results.items()}
    common = set.intersection(*sets.values())
    for name, states in sets.items():
        if states != common:
            notes.append(f"{name} holds states the others lack: {sorted(states - common)}")
    usable = {}
    for label, spec in specs.items():
        missing = [s for s in spec.states if s not in common]
        absent = [v for v in spec.variables if any(v not in ds for ds in results.values())]
        if missing:
            notes.append(f"'{label}' left out: not every scenario has {missing}")
        elif absent:
            notes.append(f"'{label}' left out: {absent} not kept")
        else:
            usable[label] = spec
    if not usable:
        raise ParameterError(
            "--indicator", "compare", f"indicators every scenario can compute (states: {sorted(common)})",
            "; ".join(notes),
        )  # fmt: skip
    per_run = {}
    for name, ds in results.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # a run without crises has no escalation share
            per_run[name] = pd.DataFrame(
                {label: spec.compute(ds, slice(lo, hi)).values for label, spec in usable.items()}
            )
    return Comparison(per_run, (lo, hi), notes)


def paired_view(table: pd.DataFrame, variant: str) -> pd.DataFrame:
    """One variant against the baseline, an indicator a row: both means, the paired difference,
    its standard error and the 5 % and 95 % of runs (from :func:`comparison_table`)."""
    base = str(table["scenario"].iloc[0])
    view = table[table["scenario"] == variant].set_index("indicator")
    view = view.assign(baseline=table[table["scenario"] == base].set_index("indicator")["mean"])
    view = view[["baseline", "mean", "difference", "se", "q05", "q95"]]
    view.columns = pd.Index([base, variant, "difference", "s.e.", "5%", "95%"])
    return view


#: A difference smaller than this share of the baseline's level is flagged negligible: an
#: assumption about what matters to a reader (1 % of the level; ``compare --negligible`` sets it).
NEGLIGIBLE = 0.01


def decimals(se: float, values: Sequence[float] = ()) -> int:
    """Decimals that show a difference to the precision its standard error allows (two
    significant digits of the s.e.), at most 6; without an s.e., three significant digits of the
    largest value.

    >>> decimals(0.00013), decimals(0.04), decimals(12.0), decimals(float("nan"), [0.0213])
    (5, 3, 0, 4)
    """
    import math

    if np.isfinite(se) and se > 0:
        return int(min(6, max(0, 1 - math.floor(math.log10(se)))))
    finite = [abs(v) for v in values if np.isfinite(v) and v != 0]
    if not finite:
        return 2
    return int(min(6, max(0, 2 - math.floor(math.log10(max(finite))))))


def reading(difference: float, se: float, baseline: float, negligible: float = NEGLIGIBLE) -> str:
    """How to read a paired difference: "negligible" where it is below ``negligible`` × the
    baseline's level (however precise), "within noise" where it is under two standard errors,
    else "higher" or "lower".

    >>> reading(0.0012, 0.00013, 2.1), reading(0.3, 0.2, 2.1), reading(-0.3, 0.05, 2.1)
    ('negligible', 'within noise', 'lower')
    """
    if not np.isfinite(difference):
        return ""
    if np.isfinite(baseline) and abs(difference) < negligible * abs(baseline):
        return "negligible"
    if not np.isfinite(se) or abs(difference) < 2 * se:
        return "within noise"
    return "higher" if difference > 0 else "lower"


def reading_view(table: pd.DataFrame, variant: str, negligible: float = NEGLIGIBLE) -> pd.DataFrame:
    """:func:`paired_view` as a reader scans it: each row's numbers in one fixed-point format (to
    the precision of its standard error), the 5-95 % range in one cell, and how to read it."""
    view = paired_view(table, variant)
    base = view.columns[0]
    rows = []
    for label, r in view.iterrows():
        values = [float(r[c]) for c in view.columns]
        d = decimals(float(r["s.e."]), values)

        def f(v: float, sign: bool = False, d: int = d) -> str:
            return "—" if not np.isfinite(v) else (f"{v:+.{d}f}" if sign else f"{v:.{d}f}")

        rows.append(
            {
                "indicator": str(label),
                "baseline": f(float(r[base])),
                "variant": f(float(r[variant])),
                "difference": f(float(r["difference"]), sign=True),
                "s.e.": f(float(r["s.e."])),
                "5-95 % of runs": f"{f(float(r['5%']), True)} to {f(float(r['95%']), True)}",
                "reading": reading(float(r["difference"]), float(r["s.e."]), float(r[base]), negligible),
            }
        )
    return pd.DataFrame(rows)


def comparison_table(
    results: dict[str, xr.Dataset],
    indicators: dict[str, Spec] | None = None,
    window: tuple[int, int] | None = None,
) -> pd.DataFrame:
    """A tidy table: per indicator and scenario, the mean over runs; for each scenario after the
    first, the paired difference from the first (mean, standard error, 5 % and 95 % of runs).

    ``attrs`` carry the window (``window``) and what was left out (``notes``).
    """
    cmp = compare_scenarios(results, indicators, window)
    names = list(cmp.per_run)
    base = cmp.per_run[names[0]]
    rows = []
    for label in base.columns:
        for name in names:
            values = cmp.per_run[name][label].to_numpy(dtype=float)
            finite = values[np.isfinite(values)]
            row: dict[str, object] = {
                "indicator": label,
                "scenario": name,
                "mean": float(finite.mean()) if len(finite) else np.nan,
            }
            if name != names[0]:
                d = values - base[label].to_numpy(dtype=float)
                d = d[np.isfinite(d)]
                row |= {
                    "difference": float(d.mean()) if len(d) else np.nan,
                    "se": float(d.std(ddof=1) / np.sqrt(len(d))) if len(d) > 1 else np.nan,
                    "q05": float(np.quantile(d, 0.05)) if len(d) else np.nan,
                    "q95": float(np.quantile(d, 0.95)) if len(d) else np.nan,
                    "runs": len(d),
                }
            rows.append(row)
    table = pd.DataFrame(rows, columns=["indicator", "scenario", "mean", "difference", "se", "q05", "q95", "runs"])
    table.attrs["window"] = list(cmp.window)
    table.attrs["notes"] = cmp.notes
    table.attrs["baseline"] = names[0]
    return table


def actor_names(results: dict[str, xr.Dataset]) -> dict[str, str]:
    """Each state's name by id, over all the scenarios."""
    names: dict[str, str] = {}
    for ds in results.values():
        if "actor_name" in ds.coords:
            names |= dict(zip(map(str, ds.actor.values), map(str, ds["actor_name"].values), strict=True))
    return names


def named(label: str, names: dict[str, str]) -> str:
    """An indicator's label with the states' ids replaced by their names (``share of jpn (%)``
    becomes ``share of Japan (%)``)."""
    import re

    if not names:
        return label
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(names, key=len, reverse=True))) + r")\b")
    return pattern.sub(lambda m: names[m.group(1)], label)


def _unit(label: str) -> str:
    """The unit in an indicator's label (its last parenthesis), or "" where it names none."""
    _, sep, tail = label.rpartition("(")
    return tail.rstrip(")") if sep and tail.endswith(")") else ""


@styled
def comparison_figure(table: pd.DataFrame, path: Path, names: dict[str, str] | None = None) -> Path:
    """Paired differences from the baseline with their 5-95 % ranges, one panel per indicator
    (each on its own scale, in the indicator's unit, zero marked), one row per scenario."""
    diffs = table.dropna(subset=["difference"])
    labels = list(dict.fromkeys(diffs["indicator"]))
    scenarios = list(dict.fromkeys(diffs["scenario"]))
    width = max(len(s) for s in scenarios) * 0.055 + 0.2 if scenarios else 1.0
    fig, axes = grid(
        max(len(labels), 1), 3, panel=(3.1, 0.3 * len(scenarios) + 0.9), left=width, title_lines=2, bottom=0.5, gap=0.8
    )
    marks = colours(len(scenarios))
    for ax, label in zip(axes.ravel(), labels, strict=False):
        part = diffs[diffs["indicator"] == label].set_index("scenario").reindex(scenarios)
        y = np.arange(len(scenarios))
        for k, (colour, _) in enumerate(marks):
            # the mean can lie outside the 5-95 % range of a skewed difference: bars from the mean to the range
            d, lo, hi = (float(part[c].iloc[k]) for c in ("difference", "q05", "q95"))
            ax.errorbar([d], [y[k]], xerr=[[max(d - lo, 0.0)], [max(hi - d, 0.0)]], fmt="o", color=colour, ms=4)
        ax.axvline(0, color=START, lw=0.8)
        ax.set_yticks(y, scenarios)
        ax.set_ylim(-0.6, len(scenarios) - 0.4)
        ax.invert_yaxis()
        ax.grid(axis="x")
        ax.set_title(named(label, names or {}))
        ax.set_xlabel(f"difference ({_unit(label)})" if _unit(label) else "difference")
    for k, ax in enumerate(axes.ravel()):
        if k % axes.shape[1]:
            ax.set_yticklabels([])
    lo, hi = table.attrs.get("window", ["?", "?"])
    return finish(
        fig,
        path,
        f"difference from {table.attrs.get('baseline', 'the baseline')}\n(same seeds; mean over {lo}-{hi}; "
        "bars: 5-95 % of runs)",
    )


def _observed_share(ds: xr.Dataset, spec: Spec) -> pd.Series | None:
    """The observed record of a spending-share indicator (SIPRI, % of GDP, the mean over its
    states in the years all of them are recorded); None for other indicators or without data."""
    if spec.variables != ("share",) or not spec.states:
        return None
    from alliancelab.report.observed import observed_shares

    table = observed_shares(ds)
    if table is None or not set(spec.states) <= set(table.index):
        return None
    seen = table.loc[list(spec.states)].dropna(axis=1).mean(axis=0)
    return seen if len(seen) else None


@styled
def trajectories_figure(results: dict[str, xr.Dataset], indicators: dict[str, Spec], path: Path) -> Path:
    """Each indicator year by year: the median over runs of every scenario (one line each, the
    same seeds), so a reader sees when the scenarios part, not only the averaged difference; the
    observed record (SIPRI) under spending-share indicators where the years reach into it."""
    first = next(iter(results.values()))
    names = actor_names(results)
    usable = {
        label: spec
        for label, spec in indicators.items()
        if all(v in ds for ds in results.values() for v in spec.variables)
        and all(st in map(str, ds.actor.values) for ds in results.values() for st in spec.states)
    }
    labels = list(usable)[:9]
    fig, axes = grid(max(len(labels), 1), 3, panel=(3.3, 2.1), title_lines=1, years=True)
    years = first.year.values
    lines = colours(len(results))
    shocks = sorted({y for ds in results.values() for y in shock_years(ds)})
    for ax, label in zip(axes.ravel(), labels, strict=False):
        for (name, ds), (colour, dash) in zip(results.items(), lines, strict=True):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                path_ = [float(np.nanmedian(usable[label].compute(ds, slice(int(y), int(y))).values)) for y in years]
            ax.plot(years, path_, color=colour, ls=dash, label=name)
        seen = _observed_share(first, usable[label])
        if seen is not None:
            observed(ax, seen.index, seen.to_numpy(float), "SIPRI")
        mark_shocks(ax, shocks)
        ax.set_title(named(label, names))
        ax.set_ylabel(_unit(label))
    if labels:
        axes.ravel()[0].legend()
    return finish(
        fig, path, "median over runs, year by year (same seeds in every scenario; dashed: shock years; dots: observed)"
    )
