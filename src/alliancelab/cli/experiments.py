"""Experiments over designs: sweep, sensitivity, discover."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from alliancelab.cli.common import (
    QuietOpt,
    SeedOpt,
    app,
    console,
    err_console,
    frame_table,
    guarded,
    plain,
    print_table,
    progress,
    writable,
)


@app.command()
@guarded
def sweep(
    experiment: Annotated[Path, typer.Argument(help="an experiment TOML file")],
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="the Zarr store to write, resumed if it exists (default: EXPERIMENT.zarr)"),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(min=1, max=1024, help="local worker processes (default: all cores; ignored with --scheduler)"),
    ] = None,
    scheduler: Annotated[
        str | None, typer.Option(help="address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786")
    ] = None,
    chunk: Annotated[int | None, typer.Option(help="design points per chunk (default: about 2,000 runs)")] = None,
    overwrite: Annotated[bool, typer.Option(help="discard an existing store at --out and start again")] = False,
    quiet: QuietOpt = False,
) -> None:
    """Run an experiment's design into a Zarr store; a killed sweep resumes where it stopped."""
    import time
    import warnings

    from alliancelab.experiments.spec import load_experiment
    from alliancelab.experiments.sweep import (
        check_scheduler,
        default_store,
        elapsed,
        experiment_params,
        inert_inputs,
        plan_sweep,
        probe_scheduler,
        run_sweep,
    )
    from alliancelab.models.order.paramsets import set_name

    if scheduler is not None:  # checked before any work; the warning printed once, here
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            check_scheduler(scheduler)
        for w in caught:
            err_console.print(f"[yellow]warning:[/] {w.message}", highlight=False)
        probe_scheduler(scheduler)  # something answers, and it is a scheduler: before the store is made
    exp = load_experiment(experiment)
    store = out if out is not None else default_store(experiment)
    plan = plan_sweep(exp, store, chunk=chunk, overwrite=overwrite)
    meta = exp.experiment
    n_workers = workers if workers is not None else (os.cpu_count() or 1)
    n_chunks, left = plan.done.size, len(plan.tasks)
    console.print(
        f"[bold]{escape(plain(exp.name))}[/]: {len(plan.points)} points x {plan.done.shape[0]} scenario(s) x "
        f"{meta.replicates} replicates, {meta.years} years ({meta.sampler}); "
        f"{n_chunks} chunks of {plan.chunk_points} points"
    )
    params = experiment_params(exp)
    console.print(f"parameters: {set_name(params)} (see `alliancelab params --sources`)")
    for name in inert_inputs(exp, params):
        err_console.print(
            f"[yellow]warning:[/] input {name!r} is not used by the {params.equations} equations: it varies nothing, "
            "and its sensitivity indices will be 0 (see the 'equations' column of `alliancelab params --sources`)",
            highlight=False,
        )
    if left < n_chunks:
        console.print(f"resuming {store}: {n_chunks - left} of {n_chunks} chunks already done, {left} to run")
    where = f"on the Dask cluster at {scheduler}" if scheduler else f"with {n_workers} local worker(s)"
    console.print(f"running {left} chunks {where}")
    t0 = time.perf_counter()
    done_points = plan.total_points - plan.points_left
    with progress("sweeping", plan.total_points, "points", quiet, done=done_points) as bar, warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="the Dask scheduler")
        ds = run_sweep(plan, workers=n_workers, scheduler=scheduler, progress=bar.advance if bar else None)
    flagged = int((ds["status"] > 0).sum())
    console.print(f"finished in {elapsed(t0)}; store: {store}")
    if flagged:
        console.print(f"[yellow]{flagged} runs were flagged by the engine (NaN indicators; see 'status')[/]")


@app.command()
@guarded
def sensitivity(
    store: Annotated[
        Path, typer.Argument(help="an experiment file (its default store) or a sweep store; saltelli or morris")
    ],
    indicator: Annotated[
        str | None,
        typer.Option("--indicator", "-i", help="the indicator to analyse (default: the first; 'all' for every one)"),
    ] = None,
    scenario: Annotated[str | None, typer.Option(help="which scenario of the store (default: the first)")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="folder for the tables and the figure")] = None,
    seed: SeedOpt = 0,
) -> None:
    """Sobol' (first, total, second order, with intervals) or Morris indices of an indicator."""
    import warnings

    from alliancelab.experiments.analysis import SamplingWarning, indicator_names, morris_indices, sobol_indices
    from alliancelab.experiments.sweep import open_results, parameter_set
    from alliancelab.report.files import write_sensitivity

    if out is not None:
        writable(out)
    ds = open_results(store)
    console.print(f"parameters of the sweep: {parameter_set(ds)} (see `alliancelab params --sources`)")
    names = indicator_names(ds)
    chosen = names if indicator == "all" else [indicator or names[0]]
    for name in chosen:
        if ds.attrs.get("sampler") == "morris":
            table = morris_indices(ds, name, scenario, seed=seed)
            print_table(frame_table(table, f"Morris screening of {name} (ranked by mu*)", "{:.4g}", "input"))
            pairs = None
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", SamplingWarning)  # printed below, beside the table
                table, pairs = sobol_indices(ds, name, scenario, seed=seed)
            title = f"Sobol' indices of {name} (ranked by total order)"
            print_table(frame_table(table, title, "{:.3f}", "input"))
            if len(pairs):
                print_table(frame_table(pairs.set_index(["input_1", "input_2"]), "Second order", "{:.3f}"))
            for message in table.attrs.get("warnings", []):
                err_console.print(f"[yellow]warning:[/] {message}", highlight=False)
        if out is not None:
            console.print("wrote " + ", ".join(map(str, write_sensitivity(name, table, pairs, out))))


@app.command()
@guarded
def discover(
    store: Annotated[Path, typer.Argument(help="an experiment file (its default store) or a finished sweep store")],
    where: Annotated[str, typer.Option(help="the outcome of interest, e.g. 'jpn_share_2020 > 0.02'")],
    scenario: Annotated[str | None, typer.Option(help="one scenario of the store (default: all)")] = None,
    threshold: Annotated[float, typer.Option(help="the density a box must reach")] = 0.8,
    boxes: Annotated[int, typer.Option(min=1, max=100, help="boxes to find, one after another")] = 1,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="folder for the tables and the figure")] = None,
) -> None:
    """Scenario discovery: PRIM boxes over the inputs that explain when a condition holds."""
    from alliancelab.experiments.analysis import discover as run_prim
    from alliancelab.experiments.analysis import indicator_names
    from alliancelab.experiments.sweep import open_results, parameter_set
    from alliancelab.report.files import write_discovery

    if out is not None:
        writable(out)
    ds = open_results(store)
    console.print(f"parameters of the sweep: {parameter_set(ds)} (see `alliancelab params --sources`)")
    found = run_prim(ds, where, scenario, threshold=threshold, max_boxes=boxes)
    units = ", ".join(
        f"{n} in {ds[n].attrs['units']}" for n in indicator_names(ds) if n in where and "units" in ds[n].attrs
    )
    console.print(f"{where!r} holds in {found.of_interest} of {found.cases} runs" + (f" ({units})" if units else ""))
    print_table(frame_table(found.stats.set_index("box"), "PRIM boxes", "{:.3f}", "box"))
    for box in found.boxes:
        view = box.drop(columns="box").set_index("input") if len(box) else box
        print_table(frame_table(view, f"box {int(box['box'].iloc[0]) if len(box) else ''}: limits", "{:.4g}"))
    if out is not None:
        console.print("wrote " + ", ".join(map(str, write_discovery(found, where, out))))
