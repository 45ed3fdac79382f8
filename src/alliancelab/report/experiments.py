"""Figures for experiments: sensitivity rankings, PRIM trade-offs, backtest bands, crises against
the record."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from alliancelab.report.saving import write_text
from alliancelab.report.style import OBSERVED, OKABE_ITO, SHOCK, START, band, finish, grid, styled
from alliancelab.report.style import observed as recorded

__all__ = [
    "backtest_figure",
    "backtest_report",
    "calibration_figure",
    "discovery_figure",
    "sensitivity_figure",
    "validation_figure",
]


@styled
def sensitivity_figure(table: pd.DataFrame, title: str, path: Path) -> Path:
    """Horizontal bars ranking the inputs: Sobol' S1 and ST with their intervals, or Morris μ*."""
    names = list(table.index)[::-1]
    fig, ax = plt.subplots(figsize=(7, 0.45 * len(names) + 1.5))
    y = np.arange(len(names))
    t = table.loc[names]
    if "ST" in table:
        ax.barh(y + 0.2, t["ST"], 0.4, xerr=t["ST_conf"], label="total (ST)", color=OKABE_ITO[0], capsize=2)
        ax.barh(y - 0.2, t["S1"], 0.4, xerr=t["S1_conf"], label="first order (S1)", color=OKABE_ITO[1], capsize=2)
        ax.set_xlabel("Sobol' index (share of variance), with confidence interval")
    else:
        ax.barh(y, t["mu_star"], 0.6, xerr=t["mu_star_conf"], label="μ*", color=OKABE_ITO[0], capsize=2)
        ax.plot(t["sigma"], y, "o", color=OKABE_ITO[3], label="σ")
        ax.set_xlabel("Morris elementary effects (indicator units)")
    ax.set_yticks(y, names)
    ax.axvline(0, color=START, lw=0.8)
    ax.set_title(title)
    ax.legend(loc="lower right", frameon=False)
    fig.tight_layout()
    return finish(fig, path)


@styled
def discovery_figure(trajectory: pd.DataFrame, chosen: int, title: str, path: Path) -> Path:
    """PRIM's peeling trajectory: coverage against density, coloured by restricted dimensions."""
    fig, ax = plt.subplots(figsize=(6, 4.5))
    # the style's colour scale; its pale low end outlined
    sc = ax.scatter(
        trajectory["coverage"], trajectory["density"], c=trajectory["res_dim"], s=18, edgecolors=START, linewidths=0.4
    )
    row = trajectory.iloc[chosen]
    ax.scatter([row["coverage"]], [row["density"]], s=120, facecolors="none", edgecolors=SHOCK, label="chosen box")
    fig.colorbar(sc, ax=ax, label="restricted inputs")
    ax.set_xlabel("coverage (share of cases of interest inside the box)")
    ax.set_ylabel("density (share of the box that is of interest)")
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    ax.set_title(title)
    ax.legend(frameon=False)
    fig.tight_layout()
    return finish(fig, path)


@styled
def backtest_figure(
    bands: pd.DataFrame,
    observed: pd.DataFrame,
    train_end: int,
    path: Path,
    names: dict[str, str] | None = None,
    source: str = "sipri",
) -> Path:
    """Small multiples per state: the model's 10-90 % band and median against the observed record
    (``source``: SIPRI or COW NMC), the training years' end marked."""
    from alliancelab.experiments.history import SPENDING_SOURCES

    record = SPENDING_SOURCES[source]
    states = list(dict.fromkeys(bands["actor"]))
    cols = 4
    fig, axes = grid(len(states), cols, panel=(3.0, 2.1), title_lines=2, years=True)
    for k, (ax, st) in enumerate(zip(axes.flat, states, strict=False)):
        b = bands[bands["actor"] == st]
        o = observed[observed["actor"] == st]
        band(ax, b["year"], b["q10"] / 1e9, b["q50"] / 1e9, b["q90"] / 1e9)
        recorded(ax, o["year"], o["milex"] / 1e9, record.name)
        ax.axvline(train_end + 0.5, color=START, ls=":", lw=0.8, label="end of training")
        ax.set_title((names or {}).get(st, st))
        ax.set_ylim(bottom=0)
        if k % cols == 0:
            ax.set_ylabel(f"US$ bn ({record.unit.removesuffix(' US$')})")
    axes.flat[0].legend(loc="upper left")
    title = f"Military expenditure, {record.unit} bn ({record.name})\nmodel: 10-90 % band and median; dots: observed"
    return finish(fig, path, title)


def backtest_report(bt: Any, path: Path) -> Path:
    """A short Markdown report: the set-up, the fitted parameters, the scores and the verdict."""
    from alliancelab.experiments.calibrate import BASELINES
    from alliancelab.experiments.history import SPENDING_SOURCES

    record = SPENDING_SOURCES[bt.source]
    cal = bt.calibration
    s = bt.scores.set_index("actor")
    lines = [
        f"# Backtest: train {bt.train[0]}-{bt.train[1]}, forecast {bt.test[0]}-{bt.test[1]}",
        "",
        f"Military expenditure of the Asia-Pacific states ({record.name}, {record.unit}). "
        + (
            f"The engine's illustrative parameters were fitted to {bt.train[0]}-{bt.train[1]} (log-growth RMSE "
            f"{np.sqrt(cal.objective_before):.3f} -> {np.sqrt(cal.objective_after):.3f}, "
            f"{cal.evaluations} evaluations);"
            if cal is not None
            else "The engine runs its estimated equations: nothing is fitted to the training years (stage 1 was"
            f" estimated on 1950-{bt.fit_end}, stage 2 on 1952-2000);"
        ),
        f"the forecast starts from the data for {bt.train[1]} and uses nothing later. Baselines: persistence",
        f"(the {bt.train[1]} value), a linear trend fitted to the training years, a per-state AR(1) in logs,",
        "and a fixed share of GDP",
        "(the same engine with the arms decisions switched off).",
        "",
        ("Fitted: " + ", ".join(f"{k} = {v:.4g}" for k, v in cal.fitted.items()) + ".") if cal else "",
        "",
        "## Verdict",
        "",
        *[f"- {v}" for v in bt.verdict()],
        "",
        "## Scores (MAPE in %, mean absolute log error)",
        "",
        "| state | n | MAPE: model | persistence | trend | AR(1) | fixed share "
        "| log error: model | persistence | trend | AR(1) | fixed share | in the model's 10-90 % band |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for a, r in s.iterrows():
        mape = " | ".join(f"{r[f'{m}_mape']:.1f}" for m in ("model", *BASELINES))
        log = " | ".join(f"{r[f'{m}_log_error']:.3f}" for m in ("model", *BASELINES))
        lines.append(f"| {a} | {int(r['n'])} | {mape} | {log} | {100 * r['model_band_coverage']:.0f} % |")
    if cal is not None and cal.states_left_out:
        lines += ["", f"Left out (no {record.name} series): " + ", ".join(cal.states_left_out) + "."]
    lines += _crps_lines(getattr(bt, "probabilistic", pd.DataFrame()))
    write_text(path, "\n".join(lines) + "\n")
    return path


def _crps_lines(table: pd.DataFrame) -> list[str]:
    """The backtest's probabilistic scores by horizon as a Markdown table (none where not scored)."""
    if table.empty:
        return []
    lines = [
        "",
        "## Probabilistic scores (log spending; lower is better)",
        "",
        "CRPS and the 80 % interval score of the engine's ensemble, of a fixed share of GDP carrying the",
        "engine's own noise and of a per-state AR(1); the CRPS ratio's interval is a 90 % state-block bootstrap.",
        "",
        "| horizon | n | CRPS: engine | fixed share + noise | AR(1) | IS80: engine | fixed share + noise "
        "| AR(1) | engine ÷ fixed share + noise (90 %) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in table.itertuples():
        r_: Any = r
        lines.append(
            f"| {r_.horizon} | {int(r_.n)} | {r_.crps_model:.3f} | {r_.crps_fixed_noisy:.3f} | {r_.crps_ar1:.3f} | "
            f"{r_.is80_model:.3f} | {r_.is80_fixed_noisy:.3f} | {r_.is80_ar1:.3f} | "
            f"{r_.crps_ratio_fixed_noisy:.3f} ({r_.ratio_low:.3f}-{r_.ratio_high:.3f}) |"
        )
    return lines


@styled
def validation_figure(v: Any, path: Path, label: int = 8) -> Path:
    """Crises against the MID record (:class:`~alliancelab.experiments.validate.CrisisValidation`):
    region-wide, the engine's median and 90 % interval beside the record, and over the pairs the
    packaged onset model can score, the engine's mean beside the model's two references; per
    pair, simulated against observed onsets (the busiest pairs and the largest misses named)."""
    fig, (total, pairs) = plt.subplots(1, 2, figsize=(11, 5.0), gridspec_kw={"width_ratios": [1, 2.2]})
    d = v.pairs
    scored = d.dropna(subset=["forward"])
    total.errorbar(
        [0], [v.simulated_median], [[v.simulated_median - v.simulated_low], [v.simulated_high - v.simulated_median]],
        fmt="o", color=OKABE_ITO[0], capsize=6, label="engine (median and 90 % of runs; mean)",
    )  # fmt: skip
    total.plot([1], [scored["simulated"].sum()], "o", color=OKABE_ITO[0])
    total.plot([0, 1], [v.observed, scored["observed"].sum()], "D", color=OBSERVED, ls="none", label="MID 5.0 record")
    total.plot([1.15], [v.forward_total], "s", color=OKABE_ITO[1], label="onset model run forward")
    total.plot([1.15], [v.estimated_total], "^", color=OKABE_ITO[2], label="onset model, observed history")
    total.set_xticks([0, 1], [f"all {len(d)} pairs", f"{len(scored)} pairs the\nonset model scores"])
    total.set_xlim(-0.6, 1.7)
    total.set_ylim(bottom=0)
    total.set_ylabel(f"dyad-years with a crisis onset, {v.start}-{v.end}")
    total.legend(loc="lower left", frameon=False, fontsize=8)
    top = max(float(d["observed"].max()), float(d["simulated_high"].max())) * 1.08 + 0.5
    # pairs with the same observed count side by side (within ±0.3), so their intervals do not overlap
    rank = d.groupby("observed")["simulated"].rank(method="first") - 1
    size = d.groupby("observed")["simulated"].transform("size")
    x = d["observed"] + np.where(size > 1, 0.6 * (rank / (size - 1).clip(lower=1) - 0.5), 0.0)
    pairs.plot([0, top], [0, top], color=START, lw=0.8, ls=":", label="simulated = observed")
    pairs.vlines(x, d["simulated_low"], d["simulated_high"], color=OKABE_ITO[0], lw=0.8, alpha=0.35,
                 label="engine: 90 % of runs")  # fmt: skip
    pairs.scatter(x, d["simulated"], s=16, color=OKABE_ITO[0], label="engine (mean over runs)", zorder=3)
    pairs.scatter(
        x[scored.index], scored["forward"], s=14, marker="s", facecolors="none", edgecolors=OKABE_ITO[1],
        label="onset model run forward",
    )  # fmt: skip
    busiest = d.assign(most=d[["observed", "simulated"]].max(axis=1)).nlargest(label, "most")
    misses = d.assign(miss=(d["simulated"] - d["observed"]).abs()).nlargest(4, "miss")
    for r in pd.concat([busiest, misses]).drop_duplicates(["actor1", "actor2"]).itertuples():
        pairs.annotate(f"{r.actor1}-{r.actor2}", (x[r.Index], r.simulated), fontsize=7, xytext=(3, 3),
                       textcoords="offset points")  # fmt: skip
    pairs.set_xlabel(f"observed onsets, {v.start}-{v.end} (MID 5.0; pairs with the same count side by side)")
    pairs.set_xlim(-0.5, top)
    pairs.set_ylim(-0.3, top)
    pairs.set_ylabel("simulated onsets")
    pairs.set_title(f"per pair: rank correlation {v.rank_correlation:.2f} over {len(d)} pairs")
    pairs.legend(loc="upper left", frameon=False, fontsize=8)
    fig.tight_layout(rect=(0, 0, 1, 0.9))
    title = (
        f"Crises from {v.start} ({v.runs} runs) against the MID record of the same states\n"
        "the onset model (docs/estimation.md) scores the pairs with every predictor: Taiwan has no COW trade series"
    )
    return finish(fig, path, title)


#: The forecasts drawn in the calibration figure, in the order of the colour cycle.
CALIBRATION_FORECASTS = ("engine", "persistence", "stage 1 forward", "peace-years only")


@styled
def calibration_figure(v: Any, path: Path) -> Path:
    """The crisis forecasts' calibration (:class:`~alliancelab.experiments.validate.CrisisValidation`):
    a reliability diagram (each bin's observed share of onsets, with its Wilson 90 % interval,
    against the bin's mean forecast; on the diagonal a forecast means what it says) and a
    separation plot per forecast (Greenhill, Ward & Sacks 2011: the pair-years ordered by forecast,
    a dark line at each recorded onset, the forecast drawn across; a good model gathers the onsets
    at the right)."""
    names = [n for n in CALIBRATION_FORECASTS if n in v.pair_years]
    fig = plt.figure(figsize=(11, 5.2))
    layout = fig.add_gridspec(len(names), 2, width_ratios=[1, 1.6], hspace=0.6)
    diagram = fig.add_subplot(layout[:, 0])
    top = max(float(v.reliability[["mean_forecast", "high"]].to_numpy().max()), 0.05) * 1.05
    diagram.plot([0, top], [0, top], color=START, lw=0.8, ls=":", label="forecast = observed share")
    for k, name in enumerate(names):
        r = v.reliability[v.reliability["forecast"] == name]
        colour = OKABE_ITO[k % len(OKABE_ITO)]
        diagram.errorbar(
            r["mean_forecast"], r["observed_share"],
            [r["observed_share"] - r["low"], r["high"] - r["observed_share"]],
            fmt="o-", ms=4, lw=1, capsize=2, color=colour, label=name,
        )  # fmt: skip
    diagram.set_xlim(0, top)
    diagram.set_ylim(0, top)
    diagram.set_xlabel("mean forecast probability in the bin")
    diagram.set_ylabel(f"share of pair-years with an onset, {v.start}-{v.end}")
    diagram.set_title("reliability (Wilson 90 % intervals)")
    diagram.legend(loc="upper left", frameon=False, fontsize=8)
    d = v.pair_years
    for k, name in enumerate(names):
        ax = fig.add_subplot(layout[k, 1])
        order = np.argsort(d[name].to_numpy(), kind="stable")
        p, y = d[name].to_numpy()[order], d["onset"].to_numpy()[order]
        x = np.arange(len(p))
        ax.vlines(x[y == 1], 0, 1, color=OBSERVED, lw=0.8)
        ax.plot(x, p, color=OKABE_ITO[k % len(OKABE_ITO)], lw=1.2)
        ax.set_xlim(0, len(p))
        ax.set_ylim(0, 1)
        ax.set_yticks([0, 1])
        ax.set_xticks([])
        ax.set_title(f"{name}: {int(y.sum())} onsets among {len(p)} pair-years", fontsize=8, loc="left")
    ax.set_xlabel("pair-years, ordered by the forecast (separation plot)")
    title = (
        f"Crisis forecasts from {v.start} against the MID record: calibration and separation\n"
        f"the {d[['actor1', 'actor2']].drop_duplicates().shape[0]} pairs every forecast covers; "
        f"stage-1 fit 1950-{v.fit_end}"
    )
    return finish(fig, path, title)
