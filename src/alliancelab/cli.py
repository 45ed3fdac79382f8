"""The ``alliancelab`` command line (Typer): run, compare, scenarios, show, schema, forecast, debates, data,
measure, cite, scenario, sweep, sensitivity, discover, calibrate, backtest, estimate, validate, params."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from alliancelab.errors import AllianceLabError

if TYPE_CHECKING:
    from alliancelab.estimation.onset import Outcome

app = typer.Typer(
    name="alliancelab",
    help="A laboratory for alliance politics and regional security orders.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True)
T = TypeVar("T")

DEFAULT_SCENARIO = "asia-pacific-2001"


def _guard(fn: Callable[[], T]) -> T:
    """Run ``fn``; print alliancelab errors plainly (no traceback) and exit with status 2."""
    try:
        return fn()
    except AllianceLabError as exc:
        err_console.print(f"[bold red]error:[/] {exc}", highlight=False, markup=True, soft_wrap=True)
        raise typer.Exit(2) from None


def _writable(out: Path) -> Path:
    """Check an output directory before any simulation runs, so no result is lost at the end."""
    from alliancelab.errors import ParameterError

    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".alliancelab-write-test"
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        raise ParameterError(
            "--out", "alliancelab", "a directory that can be created and written", f"{out} ({exc.strerror})"
        ) from None
    return out


def _simulate_with_progress(scenario: str, label: str, quiet: bool, **kwargs: Any) -> Any:
    from alliancelab.models.order.simulate import simulate

    runs = kwargs["runs"]
    if quiet:
        return simulate(scenario, **kwargs)
    if kwargs.get("backend", "numba") == "numba":
        from alliancelab.models.order.kernel import compiled as kernel_cached

        if not kernel_cached():
            err_console.print("compiling the engine kernel (first run after installing; about half a minute)")
    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("runs"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err_console, transient=True) as bar:
        task = bar.add_task(label, total=runs)
        return simulate(scenario, progress=lambda n: bar.advance(task, n), **kwargs)


def _frame_table(df: Any, title: str, fmt: str = "{:.2f}", index_name: str = "") -> Table:
    table = Table(title=title, title_justify="left", box=None, pad_edge=False)
    table.add_column(index_name)
    for col in df.columns:
        table.add_column(" ".join(map(str, col)) if isinstance(col, tuple) else str(col), justify="right")
    for idx, *row in df.itertuples(name=None):  # keeps each column's type: ints print as ints
        table.add_row(str(idx), *(fmt.format(v) if isinstance(v, float) else str(v) for v in row))
    return table


def _listing(key: str, value: str, items: dict[str, str], title: str | None = None) -> Table:
    """A two-column table of names and one-line descriptions."""
    table = Table(title=title, title_justify="left", show_edge=False)
    table.add_column(key, style="bold")
    table.add_column(value)
    for name, text in items.items():
        table.add_row(name, text)
    return table


def _bands_table(bands: Any) -> Table:
    years = list(dict.fromkeys(y for y, _ in bands.columns))
    table = Table(
        title="Military spending, % of GDP: median (10%-90% of runs)", title_justify="left", box=None, pad_edge=False
    )
    table.add_column("actor")
    for y in years:
        table.add_column(str(y), justify="right")
    for actor, row in bands.iterrows():
        cells = [f"{row[(y, 0.5)]:.2f} ({row[(y, 0.1)]:.2f}-{row[(y, 0.9)]:.2f})" for y in years]
        table.add_row(str(actor), *cells)
    return table


RunsOpt = Annotated[int, typer.Option("--runs", "-n", help="ensemble size (runs)")]
YearsOpt = Annotated[int | None, typer.Option("--years", "-y", help="horizon in years (default: the scenario's)")]
SeedOpt = Annotated[int, typer.Option("--seed", "-s", help="explicit random seed")]
KeepOpt = Annotated[str, typer.Option(help="outputs to keep: all, or groups/names (actor,alliance,dyad,region)")]
WorkersOpt = Annotated[int, typer.Option(help="worker threads (numba) or processes (numpy, jax)")]
BackendOpt = Annotated[str, typer.Option(help="engine backend: numba (fused kernel), numpy or jax")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="no progress bar")]
ParamsOpt = Annotated[
    str, typer.Option("--params", "-p", help="a named parameter set (see `alliancelab params`) or a .toml file")
]


@app.command()
def run(
    scenario: Annotated[str, typer.Argument(help="a preset name or a scenario TOML file")] = DEFAULT_SCENARIO,
    runs: RunsOpt = 1000,
    years: YearsOpt = None,
    seed: SeedOpt = 0,
    out: Annotated[Path, typer.Option("--out", "-o", help="output directory")] = Path("results"),
    keep: KeepOpt = "all",
    workers: WorkersOpt = 1,
    backend: BackendOpt = "numba",
    figures: Annotated[bool, typer.Option(help="write PNG figures")] = True,
    params: ParamsOpt = "default",
    quiet: QuietOpt = False,
) -> None:
    """Simulate a scenario as a Monte Carlo ensemble; print a summary and write results."""
    from alliancelab.models.order.paramsets import load_params
    from alliancelab.report import crisis_prone_dyads, order_by_decade, spending_bands, write_results

    def go() -> None:
        chosen = load_params(params)
        ds = _simulate_with_progress(
            scenario,
            f"simulating {scenario}",
            quiet,
            runs=runs,
            years=years,
            seed=seed,
            keep=None if keep == "all" else keep,
            workers=workers,
            backend=backend,
            params=chosen,
        )
        console.print(
            f"[bold]{ds.attrs['scenario']}[/]: {runs} runs x {ds.sizes['year']} years, "
            f"seed {seed} (scenario hash {ds.attrs['scenario_hash'][:12]})"
        )
        if "share" in ds:
            console.print(_bands_table(spending_bands(ds, every=10)))
        if "crisis" in ds:
            console.print(_frame_table(crisis_prone_dyads(ds).set_index("pair"), "Most crisis-prone dyads", "{:.3f}"))
        if "order" in ds:
            console.print(_frame_table(order_by_decade(ds), "Regional order type (share of run-years)"))
        failed = int((ds["status"] != 0).sum())
        if failed:
            console.print(f"[yellow]{failed} runs were flagged; see the 'status' variable[/]")
        paths = write_results(ds, out, figures=figures)
        console.print("wrote " + ", ".join(str(p) for p in paths.values()))

    _guard(go)


@app.command()
def compare(
    scenarios: Annotated[list[str], typer.Argument(help="two or more presets or files; the first is the baseline")],
    runs: RunsOpt = 500,
    years: YearsOpt = None,
    seed: SeedOpt = 0,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="write comparison.csv here")] = None,
    workers: WorkersOpt = 1,
    backend: BackendOpt = "numba",
    params: ParamsOpt = "default",
    quiet: QuietOpt = False,
) -> None:
    """Run several scenarios on the same seeds and show paired differences from the first."""
    from alliancelab.models.order.paramsets import load_params
    from alliancelab.report import comparison_table

    def go() -> None:
        chosen = load_params(params)
        if len(scenarios) < 2:
            raise typer.BadParameter("give at least two scenarios: a baseline and a variant")
        if out is not None:
            _writable(out)
        results = {}
        for sc in scenarios:
            results[sc] = _simulate_with_progress(
                sc,
                f"simulating {sc}",
                quiet,
                runs=runs,
                years=years,
                seed=seed,
                keep=["actor", "region", "escalation"],
                workers=workers,
                backend=backend,
                params=chosen,
            )
        table = comparison_table(results)
        base = scenarios[0]
        for sc in scenarios[1:]:
            cols = [base, sc, f"{sc} − {base}", f"{sc} s.e.", f"{sc} 5%", f"{sc} 95%"]
            view = table[cols].rename(
                columns={f"{sc} − {base}": "difference", f"{sc} s.e.": "s.e.", f"{sc} 5%": "5%", f"{sc} 95%": "95%"}
            )
            console.print(
                _frame_table(view, f"{sc} vs {base} (same {runs} seeds; paired differences)", "{:.4g}", "indicator")
            )
        if out is not None:
            out.mkdir(parents=True, exist_ok=True)
            table.to_csv(out / "comparison.csv")
            manifests = {k: json.loads(v.attrs["manifest"]) for k, v in results.items()}
            (out / "manifest.json").write_text(json.dumps(manifests, indent=1, sort_keys=True))
            console.print(f"wrote {out / 'comparison.csv'} and {out / 'manifest.json'}")

    _guard(go)


@app.command()
def scenarios() -> None:
    """List the built-in presets."""
    from alliancelab.scenario import list_presets

    console.print(_listing("preset", "description", list_presets()))


@app.command()
def show(
    scenario: Annotated[str, typer.Argument(help="a preset name or a scenario TOML file")] = DEFAULT_SCENARIO,
) -> None:
    """Print a scenario as resolved (extends applied, shocks listed), as TOML."""
    import tomli_w

    from alliancelab.scenario import load_scenario, scenario_hash

    def go() -> None:
        sc = load_scenario(scenario)
        doc = sc.model_dump(mode="json", exclude_none=True)
        sys.stdout.write(f"# resolved scenario {sc.name}, hash {scenario_hash(sc)}\n")
        sys.stdout.write(tomli_w.dumps(doc))

    _guard(go)


@app.command()
def schema(
    out: Annotated[Path | None, typer.Option("--out", "-o", help="write to this file")] = None,
) -> None:
    """Print the JSON Schema of scenario files (for editors)."""
    from alliancelab.scenario import json_schema

    text = json.dumps(json_schema(), indent=2)
    if out is None:
        sys.stdout.write(text + "\n")
    else:
        out.write_text(text + "\n")


@app.command()
def forecast(
    issue: Annotated[str, typer.Argument(help="a built-in issue (see `alliancelab debates`), or a .toml/.csv file")],
    rounds: Annotated[int, typer.Option("--rounds", "-n", help="rounds of bargaining")] = 10,
    rules: Annotated[str, typer.Option(help="rule set: paper (default), net-vote or scholz-code")] = "paper",
    perturb: Annotated[int, typer.Option(help="also play this many copies with noisy positions and saliences")] = 0,
    position_sd: Annotated[float, typer.Option(help="perturbation: s.d. of position noise, share of scale")] = 0.05,
    salience_sd: Annotated[float, typer.Option(help="perturbation: s.d. of salience noise")] = 0.10,
    tol: Annotated[
        float, typer.Option(help="settle when no move exceeds this share of the scale (0: all rounds)")
    ] = 1e-6,
    seed: SeedOpt = 0,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="write tables, dataset and figure here")] = None,
    figures: Annotated[bool, typer.Option(help="write the PNG figure")] = True,
    quiet: QuietOpt = False,
) -> None:
    """Forecast a policy debate with the expected-utility model (Bueno de Mesquita; Scholz et al. 2011)."""
    from alliancelab.models.bargaining import events_table, forecast, load_issue, outcome_summary, round_table
    from alliancelab.report.forecast import write_forecast

    def go() -> None:
        if out is not None:
            _writable(out)
        iss = load_issue(issue)
        total = (perturb + 1) * rounds
        with Progress(
            TextColumn("bargaining"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=err_console,
            disable=quiet or perturb == 0,
            transient=True,
        ) as bar:
            task = bar.add_task("rounds", total=total)
            ds = forecast(
                iss,
                rounds=rounds,
                rules=rules,
                perturb=perturb,
                seed=seed,
                position_sd=position_sd,
                salience_sd=salience_sd,
                tol=tol,
                progress=lambda k: bar.advance(task, k),
            )
        console.print(f"[bold]{iss.title or iss.name}[/]")
        if iss.question:
            console.print(iss.question)
        console.print(f"scale {iss.low:g} = {iss.low_means or 'low'}; {iss.high:g} = {iss.high_means or 'high'}")
        if iss.status:
            console.print(f"[italic]inputs: {iss.status}[/]")
        table = round_table(ds)
        console.print(_frame_table(table[["mean", "median"]], f"Rounds (rules: {rules})", "{:.3f}", "round"))
        events = events_table(ds)
        ev = Table(title="Bargaining events (who accepted whose offer)", show_edge=False)
        for col in ("round", "actor", "outcome", "sender", "from", "to"):
            ev.add_column(col, justify="right" if col in ("round", "from", "to") else "left")
        for row in events.itertuples(index=False):
            ev.add_row(
                str(row.round),
                str(row.actor),
                str(row.outcome),
                str(row.sender),
                f"{row.position_before:.3f}",
                f"{row.position_after:.3f}",
            )
        console.print(ev if len(events) else "no actor moved")
        summary = outcome_summary(ds)
        settled = int(ds["settled"].sel(copy=0))
        state = (
            f"positions settled in round {settled}" if settled >= 0 else f"positions still moving after round {rounds}"
        )
        console.print(f"[bold]forecast outcome:[/] {summary['forecast']:.3f} (weighted median; {state})")
        if perturb:
            console.print(
                f"over {perturb} perturbed copies: mean {summary['perturbed_mean']:.3f}, "
                f"s.d. {summary['perturbed_sd']:.3f}, 5–95% [{summary['p05']:.3f}, {summary['p95']:.3f}]"
            )
        if out is not None:
            paths = write_forecast(ds, out, figures=figures)
            console.print("wrote " + ", ".join(str(p) for p in paths.values()))

    _guard(go)


@app.command()
def debates() -> None:
    """List the built-in issues for `alliancelab forecast`."""
    from alliancelab.models.bargaining import list_issues

    console.print(_listing("issue", "title", list_issues()))


data_app = typer.Typer(help="Real datasets: list them, download them.", no_args_is_help=True)
app.add_typer(data_app, name="data")


@data_app.command("list")
def data_list() -> None:
    """The datasets alliancelab reads: version, files, where they are found, terms of use."""
    from alliancelab.data import DATASETS, FILES, data_root
    from alliancelab.data.files import cache_dir

    root = data_root()
    table = Table(show_edge=False, show_lines=True)
    for col in ("dataset", "version", "files (✓ found)", "terms of use"):
        table.add_column(col, overflow="fold")
    for d in DATASETS.values():
        files = []
        for k in d.files:
            f = FILES[k]
            here = any(p is not None and (p / f.relpath).is_file() for p in (root, cache_dir()))
            files.append(f"{'✓' if here else '·'} {f.name}{'' if f.url else ' (local only)'}")
        table.add_row(f"[bold]{d.name}[/]\n{d.title}", d.version, "\n".join(files), d.terms)
    console.print(table)
    console.print(f"data root: {root or 'none (set ALLIANCELAB_DATA)'}; download cache: {cache_dir()}")


@data_app.command("get")
def data_get(
    names: Annotated[list[str], typer.Argument(help="dataset names (see `alliancelab data list`)")],
    quiet: QuietOpt = False,
) -> None:
    """Download datasets into the per-user cache, verifying each file's SHA-256."""
    from alliancelab.data import get_dataset

    def go() -> None:
        for name in names:
            for path in get_dataset(name, progress=not quiet):
                console.print(f"{name}: {path}")

    _guard(go)


def _states_option(states: str | None) -> list[int] | None:
    if states is None:
        return None
    try:
        return [int(s) for s in states.split(",") if s.strip()]
    except ValueError:
        from alliancelab.errors import ParameterError

        raise ParameterError(
            "--states", "alliancelab measure", "comma-separated COW codes like 2,740,710", states
        ) from None


@app.command()
def measure(
    name: Annotated[str, typer.Argument(help="cinc, concentration, similarity, network or arms-races")],
    start: Annotated[int, typer.Option(help="first year")] = 1990,
    end: Annotated[int, typer.Option(help="last year")] = 2001,
    region: Annotated[str | None, typer.Option(help="asia-pacific, northeast-asia, southeast-asia, …")] = None,
    states: Annotated[str | None, typer.Option(help="COW codes instead of a region, e.g. 2,740,710")] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="write the table as CSV (and a .json of sources)")
    ] = None,
) -> None:
    """Compute a measure from the real datasets for a region (default asia-pacific) and years."""
    from alliancelab.report.measure import measure_table

    def go() -> None:
        if out is not None:
            _writable(out.parent if out.parent != Path("") else Path("."))
        table = measure_table(name, start, end, _states_option(states), region)
        shown = table.tail(40)
        t = Table(title=f"{name}, {start}-{end} ({len(table)} rows; last 40 shown)", show_edge=False)
        for col in shown.columns:
            t.add_column(str(col), justify="right")
        for row in shown.itertuples(index=False):
            t.add_row(*[f"{v:.4g}" if isinstance(v, float) else str(v) for v in row])
        console.print(t)
        console.print("sources: " + ", ".join(table.attrs["citations"]) + " (`alliancelab cite` prints BibTeX)")
        if out is not None:
            table.to_csv(out, index=False, float_format="%.6g")
            out.with_suffix(".json").write_text(json.dumps({"measure": name, "citations": table.attrs["citations"]}))
            console.print(f"wrote {out} and {out.with_suffix('.json')}")

    _guard(go)


@app.command()
def cite(
    what: Annotated[
        list[str] | None,
        typer.Argument(help="dataset/model names, or result files (.json) that record their sources; none: all"),
    ] = None,
) -> None:
    """Print BibTeX for the datasets and models a result used."""
    from alliancelab.data import DATASETS, MODELS
    from alliancelab.data.files import DataFileError
    from alliancelab.errors import suggest

    def go() -> None:
        names: list[str] = []
        for item in what or [*DATASETS, *MODELS]:
            path = Path(item)
            if path.suffix in (".json", ".nc") and path.is_file():
                names.extend(_recorded_citations(path))
            elif item in DATASETS or item in MODELS:
                names.append(item)
            else:
                raise DataFileError(
                    f"{item!r} is neither a dataset, a model nor a result .json; " + suggest(item, [*DATASETS, *MODELS])
                )
        seen: set[str] = set()
        for n in names:
            entries = [DATASETS[n].bibtex, *DATASETS[n].extra_bibtex] if n in DATASETS else [MODELS[n]]
            for e in entries:
                if e not in seen:
                    seen.add(e)
                    sys.stdout.write(e + "\n\n")

    _guard(go)


def _recorded_citations(path: Path) -> list[str]:
    """The citation names a result file records: a measure/forecast .json, a run's manifest.json or
    results.nc, or a comparison's manifest.json (one manifest per scenario)."""
    from alliancelab.data.files import DataFileError

    try:
        if path.suffix == ".nc":
            import xarray as xr

            with xr.open_dataset(path, engine="h5netcdf") as ds:
                doc = json.loads(ds.attrs["manifest"])
        else:
            doc = json.loads(path.read_text())
    except (OSError, ValueError, KeyError) as exc:
        raise DataFileError(f"{path}: not a result that records its sources ({type(exc).__name__}: {exc})") from None
    docs = [doc] if "citations" in doc else [d for d in doc.values() if isinstance(d, dict) and "citations" in d]
    if not docs:
        raise DataFileError(f"{path}: records no 'citations'; give a results.nc, manifest.json or measure .json")
    return [name for d in docs for name in d["citations"]]


scenario_app = typer.Typer(help="Build scenarios.", no_args_is_help=True)
app.add_typer(scenario_app, name="scenario")


@scenario_app.command("from-data")
def scenario_from_data_cmd(
    year: Annotated[int, typer.Option(help="the start year whose data the scenario takes")] = 2001,
    region: Annotated[str, typer.Option(help="a named region (see alliancelab.data.dyads.REGIONS)")] = "asia-pacific",
    states: Annotated[str | None, typer.Option(help="COW codes instead of a region, e.g. 2,740,710")] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="the scenario TOML to write")] = Path("scenario.toml"),
) -> None:
    """Write a scenario whose actors, spending and alliances come from the data for YEAR."""
    from alliancelab.data.scenario_builder import scenario_from_data
    from alliancelab.scenario import load_scenario

    def go() -> None:
        _writable(out.parent if str(out.parent) else Path("."))
        text = scenario_from_data(year, region=region, states=_states_option(states))
        out.write_text(text)
        sc = load_scenario(str(out))  # it must load like any preset
        review = text.count("REVIEW")
        console.print(f"wrote {out}: {len(sc.actor)} actors, {len(sc.alliance)} alliances, {len(sc.rivalry)} rivalries")
        console.print(f"{review} lines marked REVIEW hold defaults the data cannot give; run it: alliancelab run {out}")

    _guard(go)


def _points_progress(label: str, total: int, done: int, quiet: bool) -> Any:
    """A rich progress bar over design points, with the time left; None when quiet."""
    if quiet:
        return None
    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("points"),
        TimeRemainingColumn(),
    )
    bar = Progress(*columns, console=err_console, transient=True)
    bar.add_task(label, total=total, completed=done)
    return bar


@app.command()
def sweep(
    experiment: Annotated[Path, typer.Argument(help="an experiment TOML file")],
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="the Zarr store to write, resumed if it exists (default: EXPERIMENT.zarr)"),
    ] = None,
    workers: Annotated[
        int | None, typer.Option(help="local worker processes (default: all cores; ignored with --scheduler)")
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

    from alliancelab.experiments.spec import load_experiment
    from alliancelab.experiments.sweep import default_store, elapsed, plan_sweep, run_sweep

    def go() -> None:
        exp = load_experiment(experiment)
        store = out if out is not None else default_store(experiment)
        plan = plan_sweep(exp, store, chunk=chunk, overwrite=overwrite)
        meta = exp.experiment
        n_workers = workers if workers is not None else (os.cpu_count() or 1)
        n_chunks, left = plan.done.size, len(plan.tasks)
        console.print(
            f"[bold]{exp.name}[/]: {len(plan.points)} points x {plan.done.shape[0]} scenario(s) x "
            f"{meta.replicates} replicates, {meta.years} years ({meta.sampler}); "
            f"{n_chunks} chunks of {plan.chunk_points} points"
        )
        if left < n_chunks:
            console.print(f"resuming {store}: {n_chunks - left} of {n_chunks} chunks already done, {left} to run")
        where = f"on the Dask cluster at {scheduler}" if scheduler else f"with {n_workers} local worker(s)"
        console.print(f"running {left} chunks {where}")
        t0 = time.perf_counter()
        done_points = plan.total_points - plan.points_left
        bar = _points_progress("sweeping", plan.total_points, done_points, quiet)
        if bar is None:
            ds = run_sweep(plan, workers=n_workers, scheduler=scheduler)
        else:
            with bar:
                task = bar.task_ids[0]
                ds = run_sweep(plan, workers=n_workers, scheduler=scheduler, progress=lambda n: bar.advance(task, n))
        flagged = int((ds["status"] > 0).sum())
        console.print(f"finished in {elapsed(t0)}; store: {store}")
        if flagged:
            console.print(f"[yellow]{flagged} runs were flagged by the engine (NaN indicators; see 'status')[/]")

    _guard(go)


@app.command()
def sensitivity(
    store: Annotated[
        Path, typer.Argument(help="an experiment file (its default store) or a sweep store; saltelli or morris")
    ],
    indicator: Annotated[
        str | None, typer.Option(help="the indicator to analyse (default: the first; 'all' for every one)")
    ] = None,
    scenario: Annotated[str | None, typer.Option(help="which scenario of the store (default: the first)")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="folder for the tables and the figure")] = None,
    seed: SeedOpt = 0,
) -> None:
    """Sobol' (first, total, second order, with intervals) or Morris indices of an indicator."""
    from alliancelab.experiments.analysis import indicator_names, morris_indices, sobol_indices
    from alliancelab.experiments.sweep import open_results
    from alliancelab.report.experiments import sensitivity_figure

    def go() -> None:
        if out is not None:
            _writable(out)
        ds = open_results(store)
        names = indicator_names(ds)
        chosen = names if indicator == "all" else [indicator or names[0]]
        for name in chosen:
            if ds.attrs.get("sampler") == "morris":
                table = morris_indices(ds, name, scenario, seed=seed)
                console.print(_frame_table(table, f"Morris screening of {name} (ranked by mu*)", "{:.4g}", "input"))
                pairs = None
            else:
                table, pairs = sobol_indices(ds, name, scenario, seed=seed)
                title = f"Sobol' indices of {name} (ranked by total order)"
                console.print(_frame_table(table, title, "{:.3f}", "input"))
                if len(pairs):
                    console.print(_frame_table(pairs.set_index(["input_1", "input_2"]), "Second order", "{:.3f}"))
            if out is not None:
                table.to_csv(out / f"sensitivity_{name}.csv")
                if pairs is not None and len(pairs):
                    pairs.to_csv(out / f"sensitivity_{name}_second_order.csv", index=False)
                fig = sensitivity_figure(table, f"What drives {name}", out / f"sensitivity_{name}.png")
                console.print(f"wrote {out / f'sensitivity_{name}.csv'} and {fig}")

    _guard(go)


@app.command()
def discover(
    store: Annotated[Path, typer.Argument(help="an experiment file (its default store) or a finished sweep store")],
    where: Annotated[str, typer.Option(help="the outcome of interest, e.g. 'jpn_share_2020 > 0.02'")],
    scenario: Annotated[str | None, typer.Option(help="one scenario of the store (default: all)")] = None,
    threshold: Annotated[float, typer.Option(help="the density a box must reach")] = 0.8,
    boxes: Annotated[int, typer.Option(help="boxes to find, one after another")] = 1,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="folder for the tables and the figure")] = None,
) -> None:
    """Scenario discovery: PRIM boxes over the inputs that explain when a condition holds."""
    from alliancelab.experiments.analysis import discover as run_prim
    from alliancelab.experiments.sweep import open_results
    from alliancelab.report.experiments import discovery_figure

    def go() -> None:
        if out is not None:
            _writable(out)
        ds = open_results(store)
        found = run_prim(ds, where, scenario, threshold=threshold, max_boxes=boxes)
        console.print(f"{where!r} holds in {found.of_interest} of {found.cases} runs")
        console.print(_frame_table(found.stats.set_index("box"), "PRIM boxes", "{:.3f}", "box"))
        for box in found.boxes:
            view = box.drop(columns="box").set_index("input") if len(box) else box
            console.print(_frame_table(view, f"box {int(box['box'].iloc[0]) if len(box) else ''}: limits", "{:.4g}"))
        if out is not None:
            found.stats.to_csv(out / "prim_boxes.csv", index=False)
            import pandas as pd

            pd.concat(found.boxes, ignore_index=True).to_csv(out / "prim_limits.csv", index=False)
            found.trajectories[0].to_csv(out / "prim_trajectory.csv", index=False)
            fig = discovery_figure(found.trajectories[0], found.chosen[0], where, out / "prim_tradeoff.png")
            console.print(f"wrote {out / 'prim_boxes.csv'}, {out / 'prim_limits.csv'} and {fig}")

    _guard(go)


def _evaluation_progress(label: str, total: int, quiet: bool) -> tuple[Any, Callable[[int, float], None] | None]:
    if quiet:
        return None, None
    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("evaluations, best J {task.fields[best]:.4f}"),
    )
    bar = Progress(*columns, console=err_console, transient=True)
    task = bar.add_task(label, total=total, best=float("nan"))
    best = [float("inf")]

    def update(count: int, j: float) -> None:
        best[0] = min(best[0], j)
        bar.update(task, completed=min(count, total), best=best[0])

    return bar, update


def _save_calibration(cal: Any, name: str | None, out: Path | None) -> None:
    from alliancelab.models.order.paramsets import save_params

    if name:
        path = save_params(name, cal.params, cal.provenance())
        console.print(f"saved the parameter set {name!r} ({path}); use it with --params {name}")
    if out is not None:
        path = save_params("calibrated", cal.params, cal.provenance(), folder=out)
        console.print(f"wrote {path}")


@app.command()
def calibrate(
    start: Annotated[int, typer.Option(help="first year of the training period")] = 1990,
    end: Annotated[int, typer.Option(help="last year of the training period")] = 2005,
    runs: Annotated[int, typer.Option(help="runs per evaluation (common random numbers)")] = 32,
    seed: SeedOpt = 0,
    evaluations: Annotated[int, typer.Option(help="most objective evaluations for the optimiser")] = 300,
    source: Annotated[str, typer.Option(help="sipri (constant 2022 US$) or cow (NMC, current US$)")] = "sipri",
    name: Annotated[str | None, typer.Option(help="save the result as this named parameter set")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="folder for the fit's tables")] = None,
    params: ParamsOpt = "default",
    quiet: QuietOpt = False,
) -> None:
    """Fit the behavioural parameters to SIPRI military spending of the Asia-Pacific states."""
    from alliancelab.experiments.calibrate import calibrate as fit
    from alliancelab.models.order.paramsets import load_params

    def go() -> None:
        if out is not None:
            _writable(out)
        bar, update = _evaluation_progress("calibrating", evaluations, quiet)
        chosen = load_params(params)
        if bar is None:
            cal = fit(start, end, params=chosen, runs=runs, seed=seed, max_evaluations=evaluations, source=source)
        else:
            with bar:
                cal = fit(
                    start,
                    end,
                    params=chosen,
                    runs=runs,
                    seed=seed,
                    max_evaluations=evaluations,
                    source=source,
                    progress=update,
                )
        _print_calibration(cal)
        if out is not None:
            cal.per_state.to_csv(out / "calibration_states.csv", index=False)
            cal.path.to_csv(out / "calibration_path.csv", index=False)
        _save_calibration(cal, name, out)

    _guard(go)


estimate_app = typer.Typer(
    help="Estimate the engine's crisis hazard and spending response from history (Nordhaus, Oneal & Russett 2012).",
    no_args_is_help=True,
)
app.add_typer(estimate_app, name="estimate")


def _steps(quiet: bool) -> Callable[[str], None] | None:
    """Progress for multi-step work: each step is printed as it starts (with the elapsed time)."""
    if quiet:
        return None
    import time

    t0 = time.perf_counter()

    def say(msg: str) -> None:
        err_console.print(f"[dim]{time.perf_counter() - t0:6.1f} s[/] {msg}", highlight=False)

    return say


def _outcome(value: str, command: str) -> Outcome:
    """``--outcome``: ``onset`` (any MID) or ``fatal`` (fatal MIDs), as the estimators name them."""
    from alliancelab.errors import ParameterError

    kinds: dict[str, Outcome] = {"onset": "onset", "fatal": "fatal_onset"}
    if value not in kinds:
        raise ParameterError("--outcome", command, "onset or fatal", value)
    return kinds[value]


@estimate_app.command("crises")
def estimate_crises_cmd(
    outcome: Annotated[str, typer.Option(help="onset (any MID) or fatal (fatal MIDs)")] = "onset",
    train_start: Annotated[int, typer.Option(help="first training year")] = 1950,
    train_end: Annotated[int, typer.Option(help="last training year; scoring starts after it")] = 2000,
    test_end: Annotated[int, typer.Option(help="last held-out year (MID 5.0 ends in 2014)")] = 2014,
    splines: Annotated[bool, typer.Option(help="Beck-Katz-Tucker peace-year splines")] = True,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="folder for tables, fits and manifest")] = None,
    quiet: QuietOpt = False,
) -> None:
    """Stage 1: fit dyadic MID onset on the training years and score it on the years after."""
    from alliancelab.estimation import estimate_crises
    from alliancelab.report.estimates import compare_with_literature, estimation_manifest, write_crisis_estimates

    def go() -> None:
        kind = _outcome(outcome, "estimate crises")
        if out is not None:
            _writable(out)
        est = estimate_crises(
            kind,
            (train_start, train_end),
            test_end,
            splines=splines,
            progress=_steps(quiet),
        )
        fit = est.fit
        console.print(
            f"{outcome} logit, {fit.train[0]}-{fit.train[1]}: {fit.n:,} dyad-years, {fit.events:,} onsets, "
            f"{fit.dyads:,} dyads (errors clustered by dyad); {est.complete_rows:,} of {est.sample_rows:,} "
            "dyad-years have every predictor"
        )
        table = compare_with_literature(fit.table()).set_index("term")[["coef", "se", "z", "published", "agrees"]]
        console.print(_frame_table(table, "Coefficients (training fit) beside the published signs", "{:.4g}", "term"))
        sc = est.scores.set_index(["dyads", "forecast"])[["events", "roc_auc", "pr_auc", "pr_auc_ratio", "brier"]]
        short = {"all dyads": "all", "politically relevant": "PRD", "model without peace-years": "model, no peace-yrs"}
        sc.index = [f"{short[d]}: {short.get(f, f)}" for d, f in sc.index]
        sc["events"] = sc["events"].astype(int)
        console.print(
            _frame_table(sc, f"Held-out {est.test[0]}-{est.test[1]}; PRD: politically relevant dyads", "{:.4f}")
        )
        if out is not None:
            options = {"outcome": outcome, "train": [train_start, train_end], "test_end": test_end, "splines": splines}
            paths = write_crisis_estimates(est, out, estimation_manifest("estimate crises", options))
            console.print("wrote " + ", ".join(str(p) for p in paths))

    _guard(go)


@estimate_app.command("spending")
def estimate_spending_cmd(
    start: Annotated[int, typer.Option(help="first year of the spending panel")] = 1950,
    end: Annotated[int, typer.Option(help="last year of the spending panel")] = 2000,
    outcome: Annotated[str, typer.Option(help="threat from onset (any MID) or fatal (fatal MIDs)")] = "onset",
    splines: Annotated[bool, typer.Option(help="peace-years in the threat model")] = True,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="folder for tables and manifest")] = None,
    quiet: QuietOpt = False,
) -> None:
    """Stage 2: military spending on the aggregate dispute probability (NOR's 2SLS and fixed effects)."""
    from alliancelab.estimation import estimate_threat_response
    from alliancelab.report.estimates import estimation_manifest, write_spending_estimates

    def go() -> None:
        kind = _outcome(outcome, "estimate spending")
        if out is not None:
            _writable(out)
        est, _fit = estimate_threat_response(start, end, kind, splines, progress=_steps(quiet))
        console.print(
            f"spending panel {est.years[0]}-{est.years[1]}: {est.states} states, "
            + ", ".join(f"{k} n = {v:,}" for k, v in est.n.items())
        )
        tab = est.table.pivot(index="term", columns="estimator", values=["coef", "se"])
        tab.columns = [f"{col[1]} {col[0]}" for col in tab.columns]
        console.print(_frame_table(tab, "ln military spending (constant US$)", "{:.4f}", "term"))
        eff = est.effects.set_index(["estimator", "horizon"])[["effect_pct", "low_pct", "high_pct"]]
        eff.index = [f"{e}: {h}" for e, h in eff.index]
        console.print(_frame_table(eff, "+1 pp of threat: % change in spending (90 % interval)", "{:.2f}"))
        console.print("Nordhaus, Oneal & Russett (2012) report about +3 % per percentage point.")
        if out is not None:
            options = {"start": start, "end": end, "outcome": outcome, "splines": splines}
            paths = write_spending_estimates(est, out, estimation_manifest("estimate spending", options))
            console.print("wrote " + ", ".join(str(p) for p in paths))

    _guard(go)


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
    console.print(_frame_table(cal.per_state.set_index("actor"), "Log-growth RMSE per state", "{:.3f}", "actor"))
    if cal.states_left_out:
        console.print("left out (no SIPRI series): " + ", ".join(cal.states_left_out))


@app.command()
def backtest(
    train_start: Annotated[int, typer.Option(help="first training year")] = 1990,
    train_end: Annotated[int, typer.Option(help="last training year; the forecast starts after it")] = 2005,
    test_end: Annotated[int, typer.Option(help="last forecast year")] = 2023,
    runs: Annotated[int, typer.Option(help="forecast ensemble size")] = 200,
    seed: SeedOpt = 0,
    evaluations: Annotated[int, typer.Option(help="most objective evaluations for the calibration")] = 300,
    out: Annotated[Path, typer.Option("--out", "-o", help="folder for tables, figure and report")] = Path("backtest"),
    save: Annotated[str | None, typer.Option(help="save the training calibration as this parameter set")] = None,
    source: Annotated[str, typer.Option(help="sipri (constant 2022 US$) or cow (NMC, current US$, to 2016)")] = "sipri",
    quiet: QuietOpt = False,
) -> None:
    """Train on one period, forecast the next blind, and score it against four baselines."""
    from alliancelab.experiments.calibrate import BASELINES
    from alliancelab.experiments.calibrate import backtest as run_backtest
    from alliancelab.report.experiments import backtest_figure, backtest_report

    def go() -> None:
        _writable(out)
        bar, update = _evaluation_progress("calibrating", evaluations, quiet)
        train = (train_start, train_end)
        if bar is None:
            bt = run_backtest(train, test_end, runs=runs, seed=seed, max_evaluations=evaluations, source=source)
        else:
            with bar:
                bt = run_backtest(
                    train, test_end, runs=runs, seed=seed, max_evaluations=evaluations, source=source, progress=update
                )
        _print_calibration(bt.calibration)
        scores = bt.scores.set_index("actor")
        for metric, label, fmt in (("mape", "MAPE (%)", "{:.1f}"), ("log_error", "mean |log error|", "{:.3f}")):
            view = scores[[f"{m}_{metric}" for m in ("model", *BASELINES)]]
            view.columns = ["model", "persistence", "trend", "AR(1)", "fixed share"]
            console.print(_frame_table(view, f"Forecast {bt.test[0]}-{bt.test[1]} vs SIPRI: {label}", fmt, "actor"))
        for line in bt.verdict():
            console.print(line)
        bt.scores.to_csv(out / "backtest_scores.csv", index=False)
        bt.forecasts.to_csv(out / "backtest_forecasts.csv", index=False)
        bt.bands.to_csv(out / "backtest_bands.csv", index=False)
        fig = backtest_figure(bt.bands, bt.observed, train_end, out / "backtest.png")
        report = backtest_report(bt, out / "backtest.md")
        console.print(f"wrote {out / 'backtest_scores.csv'}, {fig} and {report}")
        _save_calibration(bt.calibration, save, None)

    _guard(go)


validate_app = typer.Typer(help="Set the engine beside the historical record.", no_args_is_help=True)
app.add_typer(validate_app, name="validate")


@validate_app.command("crises")
def validate_crises_cmd(
    start: Annotated[int, typer.Option(help="historical start year")] = 2001,
    end: Annotated[int, typer.Option(help="last year (MID 5.0 ends in 2014)")] = 2014,
    runs: RunsOpt = 300,
    seed: SeedOpt = 0,
    params: ParamsOpt = "default",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="folder for the per-pair table")] = None,
    quiet: QuietOpt = False,
) -> None:
    """Crises from a historical start against MID onsets among the same states."""
    from alliancelab.experiments.validate import validate_crises
    from alliancelab.models.order.paramsets import load_params

    def go() -> None:
        if out is not None:
            _writable(out)
        chosen = load_params(params)
        if quiet:
            v = validate_crises(start, end, runs=runs, seed=seed, params=chosen)
        else:
            columns = (TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("runs"))
            with Progress(*columns, console=err_console, transient=True) as bar:
                task = bar.add_task("simulating", total=runs)
                v = validate_crises(
                    start, end, runs=runs, seed=seed, params=chosen, progress=lambda n: bar.advance(task, n)
                )
        top = v.pairs.head(15).assign(pair=lambda d: d["actor1"] + "-" + d["actor2"]).set_index("pair")
        view = top[["observed", "simulated", "estimated"]]
        console.print(_frame_table(view, f"Crisis onsets {v.start}-{v.end}: MID record, engine mean, estimated model"))
        for line in v.verdict():
            console.print(line)
        if out is not None:
            v.pairs.to_csv(out / "crisis_validation_pairs.csv", index=False, float_format="%.6g")
            console.print(f"wrote {out / 'crisis_validation_pairs.csv'}")

    _guard(go)


@app.command("params")
def params_list() -> None:
    """List the named parameter sets (built-in defaults and those saved by `calibrate`)."""
    from alliancelab.models.order.paramsets import list_params, params_dir

    console.print(_listing("name", "summary", list_params(), title=f"Parameter sets ({params_dir()})"))


def main() -> None:  # pragma: no cover - console entry
    app()
