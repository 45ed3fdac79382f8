"""Estimate from history: estimate crises, estimate blocks, estimate spending, estimate uncertainty."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from alliancelab.cli.common import (
    QuietOpt,
    SeedOpt,
    app,
    console,
    frame_table,
    guarded,
    print_table,
    steps,
    writable,
)
from alliancelab.errors import EstimationError, ParameterError

if TYPE_CHECKING:
    from alliancelab.estimation.onset import Outcome

estimate_app = typer.Typer(
    help="Estimate the engine's crisis hazard and spending response from history (Nordhaus, Oneal & Russett 2012).",
    no_args_is_help=True,
)


app.add_typer(estimate_app, name="estimate")


def _outcome(value: str, command: str) -> Outcome:
    """``--outcome``: ``onset`` (any MID) or ``fatal`` (fatal MIDs), as the estimators name them."""

    kinds: dict[str, Outcome] = {"onset": "onset", "fatal": "fatal_onset"}
    if value not in kinds:
        raise ParameterError("--outcome", command, "onset or fatal", value)
    return kinds[value]


@estimate_app.command("crises")
@guarded
def estimate_crises_cmd(
    outcome: Annotated[str, typer.Option(help="onset (any MID) or fatal (fatal MIDs)")] = "onset",
    train_start: Annotated[int, typer.Option(min=1816, max=2100, help="first training year")] = 1950,
    train_end: Annotated[
        int, typer.Option(min=1816, max=2100, help="last training year; scoring starts after it")
    ] = 2000,
    test_end: Annotated[int, typer.Option(min=1816, max=2100, help="last held-out year (MID 5.0 ends in 2014)")] = 2014,
    splines: Annotated[bool, typer.Option(help="Beck-Katz-Tucker peace-year splines")] = True,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="folder for tables, fits and manifest")] = None,
    quiet: QuietOpt = False,
) -> None:
    """Stage 1: fit dyadic MID onset on the training years and score it on the years after."""
    from alliancelab.estimation import estimate_crises
    from alliancelab.report.estimates import compare_with_literature, estimation_manifest, write_crisis_estimates

    kind = _outcome(outcome, "estimate crises")
    if out is not None:
        writable(out)
    est = estimate_crises(
        kind,
        (train_start, train_end),
        test_end,
        splines=splines,
        progress=steps(quiet),
    )
    fit = est.fit
    console.print(
        f"{outcome} logit, {fit.train[0]}-{fit.train[1]}: {fit.n:,} dyad-years, {fit.events:,} onsets, "
        f"{fit.dyads:,} dyads (errors clustered by dyad); {est.complete_rows:,} of {est.sample_rows:,} "
        "dyad-years have every predictor"
    )
    table = compare_with_literature(fit.table()).set_index("term")[["coef", "se", "z", "published", "agrees"]]
    print_table(frame_table(table, "Coefficients (training fit) beside the published signs", "{:.4g}", "term"))
    sc = est.scores.set_index(["dyads", "forecast"])[["events", "roc_auc", "pr_auc", "pr_auc_ratio", "brier"]]
    short = {"all dyads": "all", "politically relevant": "PRD", "model without peace-years": "model, no peace-yrs"}
    sc.index = [f"{short[d]}: {short.get(f, f)}" for d, f in sc.index]
    sc["events"] = sc["events"].astype(int)
    print_table(frame_table(sc, f"Held-out {est.test[0]}-{est.test[1]}; PRD: politically relevant dyads", "{:.4f}"))
    if out is not None:
        options = {"outcome": outcome, "train": [train_start, train_end], "test_end": test_end, "splines": splines}
        paths = write_crisis_estimates(est, out, estimation_manifest("estimate crises", options))
        console.print("wrote " + ", ".join(str(p) for p in paths))


@estimate_app.command("blocks")
@guarded
def estimate_blocks_cmd(
    fit_end: Annotated[
        int, typer.Option(min=1960, max=2013, help="last training year; the forward run starts after it")
    ] = 2000,
    end: Annotated[int, typer.Option(min=1961, max=2014, help="last held-out year (MID 5.0 ends in 2014)")] = 2014,
    seed: SeedOpt = 0,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="folder for the scores and gains")] = None,
    quiet: QuietOpt = False,
) -> None:
    """Stage 1's blocks at the engine's horizon: each dropped in turn, refitted and run forward
    from the first held-out year with its own peace-years; the gain of each, and of an
    Asia-Pacific intercept, with dyad-block bootstrap intervals."""
    from alliancelab.estimation.blocks import block_gains
    from alliancelab.report.estimates import estimation_manifest, write_block_gains

    if out is not None:
        writable(out)
    g = block_gains(fit_end, end, seed=seed, progress=steps(quiet))
    view = g.gains.set_index("block")[["brier_gain", "log_score_gain", "pr_auc_gain", "verdict"]]
    print_table(
        frame_table(view, f"Each block's out-of-sample gain, {g.window[0]}-{g.window[1]}, run forward", "{:.5f}")
    )
    for line in g.verdict():
        console.print(line, markup=False)
    if out is not None:
        options = {"fit_end": fit_end, "end": end, "seed": seed}
        paths = write_block_gains(g, out, estimation_manifest("estimate blocks", options))
        console.print("wrote " + ", ".join(str(p) for p in paths))


@estimate_app.command("spending")
@guarded
def estimate_spending_cmd(
    start: Annotated[int, typer.Option(min=1816, max=2100, help="first year of the spending panel")] = 1950,
    end: Annotated[int, typer.Option(min=1816, max=2100, help="last year of the spending panel")] = 2000,
    outcome: Annotated[str, typer.Option(help="threat from onset (any MID) or fatal (fatal MIDs)")] = "onset",
    splines: Annotated[bool, typer.Option(help="peace-years in the threat model")] = True,
    weak_iv: Annotated[
        bool, typer.Option(help="the weak-IV-robust Anderson-Rubin set of the persistence (some seconds)")
    ] = True,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="folder for tables and manifest")] = None,
    quiet: QuietOpt = False,
) -> None:
    """Stage 2: military spending on the aggregate dispute probability (NOR's 2SLS and fixed effects)."""
    from alliancelab.estimation import estimate_threat_response
    from alliancelab.report.estimates import estimation_manifest, write_spending_estimates

    kind = _outcome(outcome, "estimate spending")
    if out is not None:
        writable(out)
    est, _fit = estimate_threat_response(start, end, kind, splines, progress=steps(quiet), weak_iv=weak_iv)
    console.print(
        f"spending panel {est.years[0]}-{est.years[1]}: {est.states} states, "
        + ", ".join(f"{k} n = {v:,}" for k, v in est.n.items())
    )
    tab = est.table.pivot(index="term", columns="estimator", values=["coef", "se"])
    tab.columns = [f"{col[1]} {col[0]}" for col in tab.columns]
    print_table(frame_table(tab, "ln military spending (constant US$)", "{:.4f}", "term"))
    eff = est.effects.set_index(["estimator", "horizon"])[["effect_pct", "low_pct", "high_pct"]]
    eff.index = [f"{e}: {h}" for e, h in eff.index]
    print_table(frame_table(eff, "+1 pp of threat: % change in spending (90 % interval)", "{:.2f}"))
    rhos = est.table[est.table["term"] == "ln_milex_lag1"].set_index("estimator")["coef"].to_dict()
    long_run = est.effects[est.effects["horizon"] == "long run"]
    for name, explosive in zip(long_run["estimator"], long_run["explosive_draws"], strict=True):
        if rhos[name] >= 1:
            console.print(f"{name}: persistence {rhos[name]:.3f} >= 1, so no long run (shown as —)", markup=False)
        if explosive:
            console.print(
                f"{name}: {int(explosive):,} draws of (threat, persistence) have persistence >= 1 and are "
                "left out of the long run's interval",
                markup=False,
            )
    console.print("Nordhaus, Oneal & Russett (2012) report about +3 % per percentage point.")
    fs = est.first_stage
    console.print(
        f"2SLS first stage for ln spending(t-1): partial R² {fs['partial_r2']:.3f}, cluster-robust F "
        f"{fs['f']:.1f} over {int(fs['instruments'])} instruments"
        + (
            ": weak instruments (F < 10, Staiger & Stock 1997), so the 2SLS threat effect is not identified "
            "and its interval is too narrow; read the fixed-effects row beside it"
            if est.weak_instruments
            else ""
        ),
        markup=False,
    )
    if est.robust is not None:
        iv_rho = float(est.table.query("estimator == 'iv' and term == 'ln_milex_lag1'")["coef"].iloc[0])
        console.print(
            f"{est.robust.describe()[0].upper()}{est.robust.describe()[1:]} (2SLS: persistence {iv_rho:.3f}). "
            "The engine still draws the 2SLS estimates; this interval is the one the weak instruments allow.",
            markup=False,
        )
    if out is not None:
        options = {"start": start, "end": end, "outcome": outcome, "splines": splines, "weak_iv": weak_iv}
        paths = write_spending_estimates(est, out, estimation_manifest("estimate spending", options))
        console.print("wrote " + ", ".join(str(p) for p in paths))


@estimate_app.command("alliances")
@guarded
def estimate_alliances_cmd(
    start: Annotated[int, typer.Option(min=1951, max=2014, help="first year of the host-year panel")] = 1960,
    end: Annotated[int, typer.Option(min=1951, max=2014, help="last year (the threat ends in 2014)")] = 2014,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="folder for tables and manifest")] = None,
    quiet: QuietOpt = False,
) -> None:
    """The book's levers from history: U.S. presence, drawdowns, restraint and reassurance."""
    from alliancelab.estimation.alliances import estimate_alliances
    from alliancelab.report.estimates import estimation_manifest, write_alliance_estimates

    if out is not None:
        writable(out)
    if end <= start:
        raise ParameterError("--end", "estimate alliances", f"a year after --start ({start})", end)
    est = estimate_alliances(start, end, progress=steps(quiet))
    console.print(
        f"host-year panel {est.years[0]}-{est.years[1]}: " + ", ".join(f"{k} n = {v:,}" for k, v in est.n.items())
    )
    eff = est.effects.set_index("effect")[["estimate_pct", "low_pct", "high_pct", "verdict"]]
    eff.columns = ["estimate", "90 % low", "90 % high", "the book's claim"]
    print_table(frame_table(eff, "Effects (% of the burden; elasticities for restraint and reassurance)", "{:.3f}"))
    allies = est.episodes[est.episodes["us_ally"] == 1]
    console.print(
        f"{len(est.episodes)} drawdowns found by the rule worldwide, {len(allies)} of U.S. allies "
        "(docs/estimation.md lists the rule; --out writes every episode)",
        markup=False,
    )
    if out is not None:
        paths = write_alliance_estimates(
            est, out, estimation_manifest("estimate alliances", {"start": start, "end": end})
        )
        console.print("wrote " + ", ".join(str(p) for p in paths))


@estimate_app.command("uncertainty")
@guarded
def estimate_uncertainty_cmd(
    year: Annotated[
        int,
        typer.Option(
            min=1816,
            max=2100,
            help="the last year of data read (a scenario's start; the packaged GDP terms read to 2000)",
        ),
    ] = 2000,
    region: Annotated[
        str, typer.Option(help="a named region or a COW block (see `alliancelab scenario regions`)")
    ] = "asia-pacific",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="folder for tables and manifest")] = None,
    quiet: QuietOpt = False,
) -> None:
    """What the engine draws beside the coefficients: each state's spending volatility (SIPRI) and
    GDP's departure from its projection (Maddison), from the data up to YEAR."""
    import pandas as pd

    from alliancelab.data.codes import state_names
    from alliancelab.data.dyads import state_years
    from alliancelab.estimation.growth import growth_uncertainty
    from alliancelab.estimation.volatility import spending_volatility
    from alliancelab.models.order.estimated import spending_response
    from alliancelab.report.estimates import estimation_manifest, write_uncertainty

    if out is not None:
        writable(out)
    say = steps(quiet) or (lambda _message: None)
    codes = [int(c) for c in state_years(year, year, region=region)["ccode"]]
    say(f"spending volatility of {len(codes)} states to {year}")
    rho = float(spending_response()["ln_milex_lag1"])  # type: ignore[arg-type]
    vol = spending_volatility(codes, year, rho)
    name = state_names()
    rows = [(c, name.get(c, str(c)), *vol.of(c)) for c in vol.measured(codes)]
    table = pd.DataFrame(rows, columns=["ccode", "state", "volatility", "source"])
    if table.empty:
        raise EstimationError(f"no SIPRI share of GDP for these states in {vol.years[0]}-{vol.years[1]}")
    print_table(
        frame_table(
            table.set_index("state").drop(columns="ccode"),
            f"Spending residual: s.d. of the log share's yearly change, SIPRI {vol.years[0]}-{vol.years[1]} "
            f"(persistence {rho:.2f} taken out)",
            "{:.4f}",
            "state",
        )
    )
    say(f"GDP projection errors to {year}")
    g = growth_uncertainty(codes, year)
    spread = g.spread.rename("sd_log_error").rename_axis("horizon").reset_index()
    print_table(
        frame_table(
            spread.set_index("horizon").iloc[sorted({0, 4, 9, len(spread) - 1} & set(range(len(spread))))],
            f"GDP projected at the previous five years' mean growth: robust s.d. of the log error ({g.errors:,} "
            f"errors realised by {year})",
            "{:.3f}",
            "horizon",
        )
    )
    console.print(
        f"growth_drift (a run's lasting deviation of the growth rate) {g.trend:.4f}; growth_noise (yearly shock) "
        f"{g.yearly:.4f}; the packaged set: 0.02 and 0.03 (data to 2000)",
        markup=False,
    )
    if out is not None:
        options = {"year": year, "region": region, "persistence": rho}
        manifest = estimation_manifest("estimate uncertainty", options)
        paths = write_uncertainty(table, spread, out, manifest)
        console.print("wrote " + ", ".join(str(p) for p in paths))
