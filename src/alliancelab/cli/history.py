"""Against history: calibrate, backtest, validate crises."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from alliancelab.cli.common import (
    Bar,
    ParamsOpt,
    QuietOpt,
    RunsOpt,
    SeedOpt,
    app,
    console,
    err_console,
    frame_table,
    guarded,
    print_table,
    progress,
    writable,
)
from alliancelab.report.files import (
    write_calibration,
    write_validation,
)


def _best_so_far(bar: Bar | None, total: int) -> Callable[[int, float], None] | None:
    """A calibration's progress callback: evaluations done and the best objective so far."""
    if bar is None:
        return None
    best = [float("inf")]

    def update(count: int, j: float) -> None:
        best[0] = min(best[0], j)
        bar.update(min(count, total), best=best[0])

    return update


def _save_calibration(cal: Any, name: str | None, out: Path | None) -> None:
    from alliancelab.models.order.paramsets import save_params

    if name:
        path = save_params(name, cal.params, cal.provenance())
        console.print(f"saved the parameter set {name!r} ({path}); use it with --params {name}")
    if out is not None:
        path = save_params("calibrated", cal.params, cal.provenance(), folder=out)
        console.print(f"wrote {path}")


@app.command()
@guarded
def calibrate(
    start: Annotated[int, typer.Option(min=1816, max=2100, help="first year of the training period")] = 1990,
    end: Annotated[int, typer.Option(min=1816, max=2100, help="last year of the training period")] = 2005,
    runs: Annotated[
        int, typer.Option("--runs", "-n", min=1, max=100_000, help="runs per evaluation (common random numbers)")
    ] = 32,
    seed: SeedOpt = 0,
    evaluations: Annotated[
        int, typer.Option(min=1, max=100_000, help="most objective evaluations for the optimiser")
    ] = 300,
    source: Annotated[str, typer.Option(help="sipri (constant 2022 US$) or cow (NMC, current US$)")] = "sipri",
    name: Annotated[str | None, typer.Option(help="save the result as this named parameter set")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="folder for the fit's tables")] = None,
    params: ParamsOpt = "default",
    quiet: QuietOpt = False,
) -> None:
    """Fit the illustrative equations' parameters to the Asia-Pacific states' military spending
    (SIPRI, or COW NMC with --source cow)."""
    from alliancelab.experiments.calibrate import calibrate as fit
    from alliancelab.models.order.paramsets import load_params

    if out is not None:
        writable(out)
    chosen = load_params(params)
    console.print(
        "calibrating the illustrative equations' parameters (the estimated equations take theirs from "
        "`alliancelab estimate`)"
    )
    with progress("calibrating", evaluations, "evaluations", quiet, best=float("nan")) as bar:
        cal = fit(
            start,
            end,
            params=chosen,
            runs=runs,
            seed=seed,
            max_evaluations=evaluations,
            source=source,
            progress=_best_so_far(bar, evaluations),
        )
    _print_calibration(cal)
    if out is not None:
        console.print("wrote " + ", ".join(map(str, write_calibration(cal, out))))
    _save_calibration(cal, name, out)


def _print_calibration(cal: Any) -> None:
    import numpy as np

    console.print(
        f"calibrated to {cal.source} {cal.start}-{cal.end} in {cal.evaluations} evaluations: log-growth RMSE "
        f"{np.sqrt(cal.objective_before):.3f} -> {np.sqrt(cal.objective_after):.3f}"
    )
    table = Table(title="Fitted parameters", title_justify="left", box=None, pad_edge=False)
    table.add_column("parameter")
    table.add_column("value", justify="right")
    from alliancelab.experiments.calibrate import CALIBRATED

    on_bound = []
    for k, v in cal.fitted.items():
        lo, hi = CALIBRATED[k]
        edge = " (at its lower bound)" if v <= lo + 1e-9 * (hi - lo) else ""
        edge = " (at its upper bound)" if v >= hi - 1e-9 * (hi - lo) else edge
        if edge:
            on_bound.append(f"{k} = {v:.4g}{edge}")
        table.add_row(k, f"{v:.4g}{edge}")
    console.print(table)
    if on_bound:
        err_console.print(
            "warning: " + "; ".join(on_bound) + ". A parameter on its bound is not an interior optimum: the data "
            "push it past the range allowed, so read it as 'at least' or 'at most', not as an estimate.",
            markup=False,
        )
    print_table(frame_table(cal.per_state.set_index("actor"), "Log-growth RMSE per state", "{:.3f}", "actor"))
    if cal.states_left_out:
        console.print(f"left out (no {cal.source} series): " + ", ".join(cal.states_left_out))


@app.command()
@guarded
def backtest(
    train_start: Annotated[int, typer.Option(min=1816, max=2100, help="first training year")] = 1990,
    train_end: Annotated[
        int, typer.Option(min=1816, max=2100, help="last training year; the forecast starts after it")
    ] = 2005,
    test_end: Annotated[int, typer.Option(min=1816, max=2100, help="last forecast year")] = 2023,
    runs: Annotated[int, typer.Option("--runs", "-n", min=1, max=1_000_000, help="forecast ensemble size")] = 200,
    seed: SeedOpt = 0,
    evaluations: Annotated[
        int, typer.Option(min=1, max=100_000, help="most objective evaluations for the calibration")
    ] = 300,
    out: Annotated[Path, typer.Option("--out", "-o", help="folder for tables, figure and report")] = Path("backtest"),
    save: Annotated[str | None, typer.Option(help="save the training calibration as this parameter set")] = None,
    source: Annotated[str, typer.Option(help="sipri (constant 2022 US$) or cow (NMC, current US$, to 2016)")] = "sipri",
    params: ParamsOpt = "default",
    fit_end: Annotated[
        int | None,
        typer.Option(help="last year of the stage-1 fit: 2000 or 2014 (default: the latest before the forecast)"),
    ] = None,
    quiet: QuietOpt = False,
) -> None:
    """Train on one period, forecast the next blind, and score it against four baselines and by
    how much of the record its 10-90 % band holds.

    With the estimated equations (the default set) nothing is fitted to the training years; with
    `--params illustrative` the illustrative equations are calibrated on them first."""
    from alliancelab.experiments.calibrate import BASELINES
    from alliancelab.experiments.calibrate import backtest as run_backtest
    from alliancelab.experiments.history import SPENDING_SOURCES
    from alliancelab.models.order.paramsets import load_params, set_name
    from alliancelab.report.files import write_backtest

    writable(out)
    train = (train_start, train_end)
    chosen = load_params(params)
    fitting = chosen.equations == "illustrative"
    console.print(
        f"parameters: {set_name(chosen)}"
        + ("; calibrated on the training years" if fitting else "; nothing is fitted to the training years")
    )
    with progress("calibrating", evaluations, "evaluations", quiet or not fitting, best=float("nan")) as bar:
        bt = run_backtest(
            train,
            test_end,
            runs=runs,
            seed=seed,
            max_evaluations=evaluations,
            source=source,
            params=chosen,
            fit_end=fit_end,
            progress=_best_so_far(bar, evaluations),
        )
    if bt.calibration is not None:
        _print_calibration(bt.calibration)
    scores = bt.scores.set_index("actor")
    for metric, label, fmt in (("mape", "MAPE (%)", "{:.1f}"), ("log_error", "mean |log error|", "{:.3f}")):
        view = scores[[f"{m}_{metric}" for m in ("model", *BASELINES)]]
        view.columns = ["model", "persistence", "trend", "AR(1)", "fixed share"]
        title = f"Forecast {bt.test[0]}-{bt.test[1]} vs {SPENDING_SOURCES[bt.source].name}: {label}"
        print_table(frame_table(view, title, fmt, "actor"))
    if len(bt.probabilistic):
        crps = bt.probabilistic.set_index("horizon")
        view = crps[["n", "crps_model", "crps_fixed_noisy", "crps_ar1", "is80_model", "is80_fixed_noisy", "is80_ar1"]]
        view.columns = ["n", "CRPS model", "fixed share+noise", "AR(1)", "IS80 model", "fixed share+noise ", "AR(1) "]
        title = "CRPS and 80 % interval score on log spending, by horizon (years after the forecast's start)"
        print_table(frame_table(view, title, "{:.3f}", "horizon"))
    for line in bt.verdict():
        console.print(line)
    console.print("wrote " + ", ".join(map(str, write_backtest(bt, out))))
    if bt.calibration is not None:
        _save_calibration(bt.calibration, save, None)
    elif save is not None:
        err_console.print("warning: --save is ignored: the estimated equations calibrate nothing", markup=False)


validate_app = typer.Typer(help="Set the engine beside the historical record.", no_args_is_help=True)


app.add_typer(validate_app, name="validate")


@validate_app.command("crises")
@guarded
def validate_crises_cmd(
    start: Annotated[int, typer.Option(min=1816, max=2100, help="historical start year")] = 2001,
    end: Annotated[int, typer.Option(min=1816, max=2100, help="last year (MID 5.0 ends in 2014)")] = 2014,
    runs: RunsOpt = 300,
    seed: SeedOpt = 0,
    params: ParamsOpt = "default",
    fit_end: Annotated[
        int | None,
        typer.Option(help="last year of the stage-1 fit: 2000 or 2014 (default: the latest before --start)"),
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="folder for the per-pair table")] = None,
    quiet: QuietOpt = False,
) -> None:
    """Crises from a historical start against MID onsets among the same states, scored against
    each pair's own record in the years before (persistence)."""
    from alliancelab.experiments.validate import validate_crises
    from alliancelab.models.order.paramsets import load_params

    if out is not None:
        writable(out)
    chosen = load_params(params)
    with progress("simulating", runs, "runs", quiet) as bar:
        v = validate_crises(
            start, end, runs=runs, seed=seed, params=chosen, progress=bar.advance if bar else None, fit_end=fit_end
        )
    top = v.pairs.head(15).assign(pair=lambda d: d["actor1"] + "-" + d["actor2"]).set_index("pair")
    view = top[["observed", "simulated", "estimated", "forward", "recent"]]
    title = (
        f"Crisis onsets {v.start}-{v.end}: MID record, engine mean, estimated model (observed history; forward), "
        "the pair's onsets in as many years before"
    )
    print_table(frame_table(view, title))
    for line in v.verdict():
        console.print(line)
    if out is not None:
        console.print("wrote " + ", ".join(map(str, write_validation(v, out))))


@validate_app.command("order")
@guarded
def validate_order_cmd(
    scenario: Annotated[str, typer.Argument(help="a preset name or a scenario TOML file")] = "security-community",
    runs: RunsOpt = 200,
    years: Annotated[
        int | None, typer.Option("--years", "-y", min=1, max=500, help="horizon (default: the scenario's)")
    ] = None,
    seed: SeedOpt = 0,
    params: ParamsOpt = "default",
    delta: Annotated[float, typer.Option(min=0.01, max=0.9, help="relative move of each threshold")] = 0.2,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="folder for the two tables")] = None,
    quiet: QuietOpt = False,
) -> None:
    """Do the order labels mean what they say? Each label against the great powers' crises in the
    same runs, and the eight assumed thresholds moved by ±delta."""
    from alliancelab.experiments.order_check import check_order_labels
    from alliancelab.models.order.paramsets import load_params
    from alliancelab.report.saving import save_tables
    from alliancelab.scenario import load_scenario

    if out is not None:
        writable(out)
    loaded = load_scenario(scenario)
    if not quiet:
        err_console.print(f"[dim]simulating {runs} runs, then 16 threshold variants of the same runs[/]")
    check = check_order_labels(loaded, runs=runs, years=years, seed=seed, params=load_params(params), delta=delta)
    print_table(frame_table(check.labels.set_index("label"), f"Order labels in {check.scenario}", "{:.3f}"))
    for line in check.verdict():
        console.print(line, markup=False)
    if out is not None:
        tables = {"order_labels.csv": check.labels, "order_thresholds.csv": check.sensitivity}
        console.print("wrote " + ", ".join(map(str, save_tables(tables, out))))
