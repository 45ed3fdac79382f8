"""Simulate scenarios: run, compare, scenarios, show, schema, params."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from alliancelab.cli.common import (
    DEFAULT_SCENARIO,
    BackendOpt,
    KeepOpt,
    MaxMemoryOpt,
    ParamsOpt,
    QuietOpt,
    RunsOpt,
    SeedOpt,
    WorkersOpt,
    YearsOpt,
    app,
    console,
    err_console,
    frame_table,
    guarded,
    listing,
    memory_bytes,
    print_table,
    simulate_with_progress,
    writable,
)
from alliancelab.errors import ParameterError
from alliancelab.report.files import (
    write_comparison,
    write_text,
)
from alliancelab.scenario.caveats import STALE_YEARS


def _bands_table(bands: Any, names: dict[str, str]) -> Table:
    years = list(dict.fromkeys(y for y, _ in bands.columns))
    table = Table(
        title="Military spending, % of GDP: median (10%-90% of runs)", title_justify="left", box=None, pad_edge=False
    )
    table.add_column("actor")
    for y in years:
        table.add_column(str(y), justify="right")
    for actor, row in bands.iterrows():
        cells = [f"{row[(y, 0.5)]:.2f} ({row[(y, 0.1)]:.2f}-{row[(y, 0.9)]:.2f})" for y in years]
        table.add_row(names.get(str(actor), str(actor)), *cells)
    return table


@app.command()
@guarded
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
    max_memory: MaxMemoryOpt = None,
    overwrite: Annotated[bool, typer.Option(help="replace the results already in --out")] = False,
    tables: TablesOpt = "csv,parquet",
    reviewed: Annotated[
        bool, typer.Option(help="refuse a scenario that still lists defaults to review ([scenario] review)")
    ] = False,
    stale_years: Annotated[
        int, typer.Option(min=0, max=200, help="name the facts carried more than this many years past their source")
    ] = STALE_YEARS,
    quiet: QuietOpt = False,
) -> None:
    """Simulate a scenario as a Monte Carlo ensemble; print a summary and write results.

    Besides results.nc, summary.csv, the manifest and the figures, --out gets the per-run tables
    for R, Stata or a spreadsheet: runs_actor, runs_link, runs_pair, runs_region and runs_status,
    one row per run, year and state, alliance link or pair (docs/experiments.md)."""
    from alliancelab.models.order.paramsets import load_params, set_name
    from alliancelab.report import crisis_prone_dyads, order_by_decade, spending_bands, write_results
    from alliancelab.report.files import NETCDF_COPIES, WRITERS_BYTES
    from alliancelab.report.observed import coverage_note
    from alliancelab.scenario import load_scenario
    from alliancelab.scenario.caveats import caveats, unreviewed

    formats = _table_formats(tables, "run")
    ours = {
        "results.nc",
        "summary.csv",
        "manifest.json",
        "spending_share.png",
        "threat.png",
        "regional_indices.png",
        "order_type.png",
        *(f"runs_{t}.{f}" for t in ("actor", "link", "pair", "region", "status") for f in ("csv", "parquet")),
    }
    found = sorted(p.name for p in out.iterdir()) if out.is_dir() else []
    if found and not overwrite:
        shown = ", ".join(found[:5]) + (" …" if len(found) > 5 else "")
        raise ParameterError("--out", "run", "an empty or new folder (or pass --overwrite)", f"{out} holding {shown}")
    if overwrite and set(found) - ours:
        others = sorted(set(found) - ours)
        raise ParameterError(
            "--out", "run --overwrite", "a folder of earlier results only", f"{out} also holding {others}"
        )
    writable(out)  # before the run: no result is lost at the end
    loaded = load_scenario(scenario)
    if reviewed and (why := unreviewed(loaded)) is not None:
        raise ParameterError("--reviewed", "run", "a scenario whose [scenario] review list is empty", why)
    chosen = load_params(params)
    ds = simulate_with_progress(
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
        max_memory=memory_bytes(max_memory),
        copies_after=NETCDF_COPIES,
        reserve_bytes=WRITERS_BYTES,
    )
    console.print(
        f"[bold]{ds.attrs['scenario']}[/]: {runs} runs x {ds.sizes['year']} years, "
        f"seed {seed} (scenario hash {ds.attrs['scenario_hash'][:12]}); parameters: {set_name(chosen)}"
    )
    for line in caveats(loaded, stale_years):
        console.print(Text.assemble(("data:", "yellow"), " ", line), soft_wrap=True)
    if "share" in ds:
        names = dict(zip(map(str, ds.actor.values), map(str, ds["actor_name"].values), strict=True))
        console.print(_bands_table(spending_bands(ds, every=10), names))
        note = coverage_note(ds)
        if note is not None:
            console.print(note, highlight=False)
    if "crisis" in ds:
        print_table(frame_table(crisis_prone_dyads(ds).set_index("pair"), "Most crisis-prone dyads", "{:.3f}"))
    if "order" in ds:
        print_table(frame_table(order_by_decade(ds), "Regional order type (share of run-years)"))
    failed = int((ds["status"] != 0).sum())
    if failed:
        console.print(f"[yellow]{failed} runs were flagged; see the 'status' variable[/]")
    paths = write_results(ds, out, figures=figures, tables=formats)
    console.print("wrote " + ", ".join(str(p) for p in paths.values()))


@app.command()
@guarded
def compare(
    scenarios: Annotated[list[str], typer.Argument(help="two or more presets or files; the first is the baseline")],
    runs: RunsOpt = 500,
    years: YearsOpt = None,
    seed: SeedOpt = 0,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="write comparison.csv here")] = None,
    workers: WorkersOpt = 1,
    backend: BackendOpt = "numba",
    params: ParamsOpt = "default",
    max_memory: MaxMemoryOpt = None,
    window: Annotated[
        str | None, typer.Option(help="years to average over, FIRST-LAST (default: from the fifth year on)")
    ] = None,
    states: Annotated[
        str | None, typer.Option(help="also compare these states' spending and threat, e.g. chn,jpn,kor")
    ] = None,
    only: Annotated[
        str | None, typer.Option(help="show only indicators whose name holds this text, e.g. spending")
    ] = None,
    indicator: Annotated[
        list[str] | None,
        typer.Option(
            "--indicator",
            "-i",
            help="compare these instead of the defaults, e.g. share:jpn, threat:chn,kor, order:0, "
            "or a pair's hostility:chn,jpn, crisis:chn,twn, escalation:chn,twn",
        ),
    ] = None,
    tables: TablesOpt = "csv,parquet",
    negligible: Annotated[
        float,
        typer.Option(
            min=0.0,
            max=1.0,
            help="flag differences below this share of the baseline's level as negligible (an assumption: 1 %)",
        ),
    ] = 0.01,
    quiet: QuietOpt = False,
) -> None:
    """Run several scenarios on the same seeds and show paired differences from the first.

    Each row gives the baseline's and the variant's means, the paired difference with its
    standard error and the 5-95 % of runs, each number to the precision its standard error
    allows, and a reading: negligible (below --negligible of the baseline's level, however
    precise), within noise (under two standard errors), higher or lower."""
    from alliancelab.models.order.paramsets import load_params, set_name
    from alliancelab.report.compare import (
        comparison_table,
        default_indicators,
        parse_indicator,
        reading_view,
        state_indicators,
    )
    from alliancelab.report.files import WRITERS_BYTES

    chosen = load_params(params)
    formats = _table_formats(tables, "compare")
    asked = dict(parse_indicator(text) for text in indicator or [])  # refused before anything runs
    pairs = sorted({v for spec in asked.values() for v in spec.variables if v in ("hostility", "crisis")})
    console.print(f"parameters: {set_name(chosen)} (see `alliancelab params --sources`)")
    if len(scenarios) < 2:
        raise ParameterError("SCENARIOS", "compare", "two or more scenarios: a baseline and a variant", scenarios)
    if out is not None:
        writable(out)
    span = _window(window)
    if span is not None:  # refused before anything runs (compare_scenarios checks it again)
        from alliancelab.scenario import load_scenario

        loaded = [load_scenario(sc) for sc in scenarios]
        first = max(s.start for s in loaded)
        last = min(s.start + (years or s.scenario.years) - 1 for s in loaded)
        if not first <= span[0] <= span[1] <= last:
            raise ParameterError("--window", "compare", f"years within the simulated {first}-{last}", window)
    results = {}
    for i, sc in enumerate(scenarios):  # each check counts the scenarios still to run as this one's size
        results[sc] = simulate_with_progress(
            sc,
            f"simulating {sc}",
            quiet,
            runs=runs,
            years=years,
            seed=seed,
            keep=["actor", "region", "escalation", *pairs],
            workers=workers,
            backend=backend,
            params=chosen,
            max_memory=memory_bytes(max_memory),
            copies_after=len(scenarios) - 1 - i,
            reserve_bytes=WRITERS_BYTES,
        )
    named = state_indicators([s.strip() for s in (states or "").split(",") if s.strip()])
    chosen_indicators = (asked or default_indicators(results[scenarios[0]])) | named
    if only:
        everything = list(chosen_indicators)
        chosen_indicators = {k: v for k, v in chosen_indicators.items() if only.lower() in k.lower()}
        if not chosen_indicators:
            raise ParameterError(
                "--only", "compare", f"text found in an indicator's name, e.g. one of {everything}", only
            )
    table = comparison_table(results, chosen_indicators, span)
    base = scenarios[0]
    lo, hi = table.attrs["window"]
    for sc in scenarios[1:]:
        title = (
            f"variant {sc} against baseline {base}: paired differences over the same {runs} seeds, "
            f"each run's mean over {lo}-{hi}"
        )
        print_table(reading_table(reading_view(table, sc, negligible), title))
    if any("threat" in spec.variables for spec in chosen_indicators.values()):
        from alliancelab.report.figures import THREAT_IN_WORDS

        console.print(f"note: {THREAT_IN_WORDS}.", highlight=False)
    for note in table.attrs["notes"]:
        err_console.print(f"[yellow]note:[/] {note}", highlight=False)
    if out is not None:
        console.print("wrote " + ", ".join(map(str, write_comparison(table, results, out, chosen_indicators, formats))))


@app.command()
def scenarios() -> None:
    """List the built-in presets."""
    from alliancelab.scenario import list_presets

    console.print(listing("preset", "description", list_presets()))


@app.command()
@guarded
def show(
    scenario: Annotated[str, typer.Argument(help="a preset name or a scenario TOML file")] = DEFAULT_SCENARIO,
) -> None:
    """Print a scenario as resolved (extends applied, shocks listed), as TOML."""
    from alliancelab.scenario import load_scenario, scenario_hash, scenario_toml

    sc = load_scenario(scenario)
    sys.stdout.write(f"# resolved scenario {sc.name}, hash {scenario_hash(sc)}\n")
    sys.stdout.write(scenario_toml(sc))


@app.command()
@guarded
def schema(
    out: Annotated[Path | None, typer.Option("--out", "-o", help="write to this file")] = None,
) -> None:
    """Print the JSON Schema of scenario files (for editors)."""
    from alliancelab.scenario import json_schema

    text = json.dumps(json_schema(), indent=2)
    if out is None:
        sys.stdout.write(text + "\n")
    else:
        write_text(out, text + "\n")
        console.print(f"wrote {out} (JSON Schema of scenario files, {len(text):,} bytes)", highlight=False)


@app.command("params")
@guarded
def params_list(
    sources: Annotated[
        bool, typer.Option("--sources", help="every number of the model: value, status, range and source")
    ] = False,
    params: Annotated[
        str | None, typer.Option("--params", "-p", help="the set to show (implies --sources) [default: estimated]")
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="write the table as CSV (implies --sources)")] = None,
) -> None:
    """List the named parameter sets (built-in and saved by `calibrate`), or with --sources the
    status of every number: estimated (from which data), literature, or assumption (with a range)."""
    from alliancelab.models.order.paramsets import list_params, load_params, params_dir

    if not (sources or params or out):
        console.print(listing("name", "summary", list_params(), title=f"Parameter sets ({params_dir()})"))
        return
    from alliancelab.models.order.sources import parameter_sources
    from alliancelab.report.files import save_csv

    params = params or "estimated"
    table = parameter_sources(load_params(params))
    counts = ", ".join(f"{n} {k}" for k, n in table["status"].value_counts().items())
    console.print(f"Where the numbers come from ({params}): {counts}", markup=False)
    console.print(f"{'parameter':<28} {'value':>9}  {'status':<10} {'low':>8} {'high':>8}  equations", markup=False)
    for r in table.itertuples(index=False):
        figures = f"{_number(r.value):>9}  {r.status:<10} {_number(r.low):>8} {_number(r.high):>8}"
        console.print(f"{r.parameter:<28} {figures}  {r.equations}", markup=False)
        console.print("    " + str(r.source), markup=False, style="dim")
    console.print("low/high: the 90 % interval of an estimate, or an assumption's plausible range.")
    if out is not None:
        save_csv(table, out)
        console.print(f"wrote {out}")


def _number(v: object) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return ""
    return f"{v:.4g}" if isinstance(v, (int, float)) and not isinstance(v, bool) else str(v)


TablesOpt = Annotated[
    str,
    typer.Option(
        "--tables", help="formats of the per-run tables written to --out: csv, parquet, both (csv,parquet) or none"
    ),
]


def _table_formats(text: str, command: str) -> tuple[str, ...]:
    """``--tables`` as the formats it names."""
    if text.strip() == "none":
        return ()
    chosen = tuple(dict.fromkeys(t.strip() for t in text.split(",") if t.strip()))
    if not chosen or set(chosen) - {"csv", "parquet"}:
        raise ParameterError("--tables", command, "csv, parquet, csv,parquet or none", text)
    return chosen


def reading_table(view: Any, title: str) -> Table:
    """A comparison as a plain table: the indicator wraps at its words, the numbers never."""
    table = Table(title=title, title_justify="left", box=None, pad_edge=False)
    longest = max((len(str(v)) for v in view["indicator"]), default=9)
    numbers = sum(max(len(str(c)), *(len(str(v)) for v in view[c])) + 2 for c in view.columns if c != "indicator")
    room = max(18, console.width - numbers)  # what the numbers leave of the terminal's width
    for col in view.columns:
        if col == "indicator":  # whole on one line where it fits; a longer label wraps at its words
            table.add_column(col, overflow="fold", min_width=min(longest, room), max_width=room)
        else:
            table.add_column(col, justify="left" if col == "reading" else "right", no_wrap=True)
    for row in view.itertuples(index=False):
        table.add_row(*map(str, row))
    return table


def _window(text: str | None) -> tuple[int, int] | None:
    """``--window FIRST-LAST`` as two years."""
    if text is None:
        return None
    try:
        first, last = (int(p) for p in text.split("-"))
    except ValueError:
        raise ParameterError("--window", "compare", "two years FIRST-LAST, e.g. 2005-2030", text) from None
    if last < first:
        raise ParameterError("--window", "compare", "FIRST <= LAST", text)
    return first, last


@app.command()
@guarded
def dashboard(
    port: Annotated[int, typer.Option(help="the port on 127.0.0.1 to serve on")] = 8501,
) -> None:
    """Serve the browser dashboard on 127.0.0.1 (Streamlit): levers, bands, comparisons, claims,
    forecasts. Stop it with Ctrl-C (or by ending this process: its server ends with it)."""
    import signal
    import subprocess

    from alliancelab.dashboard import command

    if not 1024 <= port <= 65535:
        raise ParameterError("--port", "dashboard", "a port between 1024 and 65535", port)
    console.print(f"serving the dashboard on http://127.0.0.1:{port} (Ctrl-C stops it)")
    server = subprocess.Popen(command(port))

    def stop(signum: int, frame: object) -> None:  # ended by its process id: the server goes too
        server.terminate()

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, stop)
    try:
        server.wait()
    except KeyboardInterrupt:
        server.terminate()
        console.print("stopped")
    finally:
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
