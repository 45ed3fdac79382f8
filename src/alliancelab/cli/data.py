"""Real data: data list/get, measure, cite, scenario from-data."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from alliancelab.cli.common import (
    QuietOpt,
    app,
    cell,
    console,
    err_console,
    guarded,
    listing,
    print_table,
    writable,
)
from alliancelab.report.files import (
    write_measure,
    write_text,
)

data_app = typer.Typer(help="Real datasets: list them, download them, build derived tables.", no_args_is_help=True)


app.add_typer(data_app, name="data")


@data_app.command("list")
def data_list() -> None:
    """The datasets alliancelab reads: version, files, whether each is here, and how to get it."""
    from alliancelab.data import DATASETS, FILES, data_root
    from alliancelab.data.files import cache_dir
    from alliancelab.data.get import availability

    root = data_root()
    marks = {
        "present": "[green]✓ present[/]",
        "modified": "[bold red]✗ MODIFIED[/]",
        "buildable": "[cyan]◆ buildable[/]",
        "fetchable": "· fetchable",
        "by hand": "[yellow]! by hand[/]",
    }
    table = Table(show_edge=False, show_lines=True)
    for col in ("dataset", "version", "files (SHA-256 checked) and how to get them", "terms of use"):
        table.add_column(col, overflow="fold")
    counts: dict[str, int] = {}
    problems = []
    for d in DATASETS.values():
        files = []
        for k in d.files:
            state, how = availability(k)
            counts[state] = counts.get(state, 0) + 1
            if state in ("modified", "by hand"):
                problems.append(how)
            command = f" — `{how}`" if how.startswith("alliancelab ") else ""
            files.append(f"{marks[state]} {FILES[k].name}{command}")
        table.add_row(f"[bold]{d.name}[/]\n{d.title}", d.version, "\n".join(files), d.terms)
    console.print(table)
    console.print(", ".join(f"{n} {state}" for state, n in counts.items()), highlight=False)
    console.print(f"data root: {root or 'none (set ALLIANCELAB_DATA)'}; download cache: {cache_dir()}")
    console.print("`alliancelab data get --all` fetches and builds every fetchable file.")
    for line in dict.fromkeys(problems):
        console.print(Text(line, style="yellow"), soft_wrap=True)


@data_app.command("coverage")
@guarded
def data_coverage(
    carry: Annotated[
        bool,
        typer.Option(
            "--carry",
            help="also measure how wrong carrying a source's last year forward 5 and 10 years would have been",
        ),
    ] = False,
) -> None:
    """Each data file's first and last year, read from the file itself: where each source ends."""
    from alliancelab.data.coverage import carry_forward_error, coverage

    table = coverage()
    shown = table[table["first"].notna()].copy()
    shown["years"] = shown["first"].astype(str) + "-" + shown["last"].astype(str)
    view = Table(show_edge=False)
    for col in ("dataset", "file", "years"):
        view.add_column(col, overflow="fold")
    for row in shown.sort_values(["last", "dataset"]).itertuples():
        view.add_row(str(row.dataset), str(row.file), str(row.years))
    console.print(view)
    missing = table[~table["state"].isin(["verified", "unchecked", "modified"])]
    if len(missing):
        console.print(f"{len(missing)} file(s) not here, so without years: " + ", ".join(missing["file"]), markup=False)
    console.print("files without a year column (R data, workbooks, capitals, base sites) are left out", markup=False)
    if carry:
        errors = carry_forward_error()
        view = Table(title="Carrying a source's last year forward, tried where the record goes on", show_edge=False)
        for col in ("source", "fact", "ended", "carried", "n", "changed", "median", "90th pct"):
            view.add_column(col, overflow="fold")
        for r in errors.to_dict("records"):
            median, p90 = float(r["median"]), float(r["p90"])
            spread = ("", "") if median != median else (f"{median:.3f}", f"{p90:.3f}")
            view.add_row(
                str(r["source"]),
                str(r["fact"]),
                str(int(r["last"]) - int(r["lag"])),
                f"{int(r['lag'])} years",
                str(int(r["n"])),
                f"{100 * float(r['changed']):.0f} %",
                *spread,
            )
        console.print(view)
        console.print(
            "changed: money and GDP off by more than 10 %, polyarchy by more than 0.05, or a membership begun or ended",
            markup=False,
        )


@data_app.command("get")
@guarded
def data_get(
    names: Annotated[list[str] | None, typer.Argument(help="dataset names (see `alliancelab data list`)")] = None,
    every: Annotated[bool, typer.Option("--all", help="every registered dataset")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="show what would be fetched and built, and stop")] = False,
    quiet: QuietOpt = False,
) -> None:
    """Download datasets into the per-user cache and build their derived tables.

    Each file comes from an address pinned at a fixed commit and is kept only if its SHA-256 is
    the registry's; tables converted from R data files are built in code and checked the same
    way. The total size is shown before anything downloads; an interrupted download resumes
    where it stopped. SIPRI's workbook is downloaded by hand (its terms): the step is printed.
    """
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TransferSpeedColumn

    from alliancelab.data import DATASETS
    from alliancelab.data.get import get, plan
    from alliancelab.data.registry import DataFile
    from alliancelab.errors import DataFileError, ParameterError

    if every == bool(names):
        raise ParameterError("NAMES", "alliancelab data get", "dataset names, or --all (not both)", names or "none")
    chosen = list(DATASETS) if every else list(names or [])
    steps = plan(chosen)
    console.print(steps.summary(), highlight=False)
    if dry_run:
        for step in steps.steps:
            if step.action != "present":
                console.print(f"  {step.action}: {step.key} {step.detail}".rstrip(), highlight=False)
        return
    bars = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        console=console,
        disable=quiet,
    )

    def bar(f: DataFile) -> Callable[[int, int], None]:
        task = bars.add_task(f.name, total=f.size or None)
        return lambda done, total: bars.update(task, completed=done, total=total or None)

    with bars:
        got = get(chosen, progress=bar)
    for key in got.built:
        console.print(f"built {got.paths[key]} (SHA-256 verified)", highlight=False)
    console.print(f"{len(got.paths)} file(s) ready in {len(chosen)} dataset(s)", highlight=False)
    if got.by_hand:
        raise DataFileError(
            "still needed by hand: "
            + "; ".join(dict.fromkeys(s.detail for s in got.by_hand))
            + "; then run the same command again"
        )


@data_app.command("verify")
@guarded
def data_verify(
    names: Annotated[list[str] | None, typer.Argument(help="datasets to check (default: every one)")] = None,
) -> None:
    """Hash every file found again, whatever the record of earlier checks says, and report any that
    differs from the registry (a file that differs is refused by every command)."""
    from alliancelab.data import DATASETS, FILES
    from alliancelab.data.files import places, sha256_of
    from alliancelab.errors import DataFileError, suggest

    chosen = names or list(DATASETS)
    for name in chosen:
        if name not in DATASETS:
            raise DataFileError(f"unknown dataset {name!r}; " + suggest(name, DATASETS))
    checked, bad = 0, []
    for name in chosen:
        for key in DATASETS[name].files:
            f = FILES[key]
            for place in places(f):
                if place.is_file() and f.sha256:
                    checked += 1
                    if sha256_of(place, fresh=True) != f.sha256:
                        bad.append(str(place))
    console.print(f"{checked} file(s) hashed again: {checked - len(bad)} match the registry", highlight=False)
    if bad:
        raise DataFileError(
            f"{len(bad)} file(s) differ from the registry's SHA-256 and will be refused: {', '.join(bad)}; "
            "restore them (`alliancelab data get` fetches verified copies into the cache)"
        )


@data_app.command("build")
@guarded
def data_build(
    names: Annotated[
        list[str] | None, typer.Argument(help="tables to build (default: every buildable one; see `data list`)")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="build again even where a verified copy is cached")] = False,
) -> None:
    """Build derived tables from the producers' own files into the per-user cache.

    Each build must reproduce the registered table byte for byte (its SHA-256), else nothing is
    kept. Tables are also built on first use, when a command needs one that is nowhere found.
    """
    from alliancelab.data.build import BUILDS, build
    from alliancelab.data.registry import FILES

    for key in names or list(BUILDS):
        path = build(key, force=force)
        sources = ", ".join(FILES[k].name for k in BUILDS[key].inputs)
        console.print(f"{key}: {path} (built from {sources}; SHA-256 verified)", highlight=False)


def _states_option(states: str | None, command: str) -> list[int] | None:
    if states is None:
        return None
    try:
        return [int(s) for s in states.split(",") if s.strip()]
    except ValueError:
        from alliancelab.errors import ParameterError

        raise ParameterError(
            "--states", f"alliancelab {command}", "comma-separated COW codes like 2,740,710", states
        ) from None


@app.command()
@guarded
def measure(
    name: Annotated[str, typer.Argument(help="cinc, concentration, similarity, network or arms-races")],
    start: Annotated[int, typer.Option(min=1816, max=2100, help="first year")] = 1990,
    end: Annotated[int, typer.Option(min=1816, max=2100, help="last year")] = 2001,
    region: Annotated[str | None, typer.Option(help="asia-pacific, northeast-asia, southeast-asia, …")] = None,
    states: Annotated[str | None, typer.Option(help="COW codes instead of a region, e.g. 2,740,710")] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="write the table as CSV (and a .json of sources)")
    ] = None,
) -> None:
    """Compute a measure from the real datasets for a region (default asia-pacific) and years."""
    from alliancelab.report.measure import display_table, measure_table

    if out is not None:
        writable(out.parent if out.parent != Path("") else Path("."))
    table = measure_table(name, start, end, _states_option(states, "measure"), region)
    shown, caption = display_table(table)
    console.print(f"{name}, {start}-{end}: {caption}", highlight=False)
    if "note" in table.attrs:
        console.print(f"note: {table.attrs['note']}", highlight=False)
    t = Table(show_edge=False)
    cells = [[cell(v, "{:.4g}") for v in row] for row in shown.itertuples(index=False)]
    for k, col in enumerate(shown.columns):
        label = str(col)
        if label.startswith("state"):  # names fold onto a second line; they are never cut
            t.add_column(label, justify="left", overflow="fold", min_width=min(len(label), 8))
        else:  # numbers and codes keep their full width
            widest = max([len(label), *(len(r[k]) for r in cells)])
            t.add_column(label, justify="right", no_wrap=True, min_width=widest)
    for r in cells:
        t.add_row(*r)
    print_table(t)
    console.print("sources: " + ", ".join(table.attrs["citations"]) + " (`alliancelab cite` prints BibTeX)")
    if out is not None:
        console.print("wrote " + " and ".join(map(str, write_measure(table, name, out))))


@app.command()
@guarded
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
    from alliancelab.report.files import recorded_citations

    names: list[str] = []
    for item in what or [*DATASETS, *MODELS]:
        path = Path(item)
        if path.suffix in (".json", ".nc") and path.is_file():
            names.extend(recorded_citations(path))
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


scenario_app = typer.Typer(help="Build scenarios.", no_args_is_help=True)


app.add_typer(scenario_app, name="scenario")


@scenario_app.command("from-data")
@guarded
def scenario_from_data_cmd(
    year: Annotated[int, typer.Option(min=1816, max=2100, help="the start year whose data the scenario takes")] = 2001,
    region: Annotated[
        str, typer.Option(help="a named region or a COW block (see `alliancelab scenario regions`)")
    ] = "asia-pacific",
    states: Annotated[str | None, typer.Option(help="COW codes instead of a region, e.g. 2,740,710")] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="the scenario TOML to write")] = Path("scenario.toml"),
) -> None:
    """Write a scenario whose actors, spending and alliances come from the data for YEAR."""
    from alliancelab.data.scenario_builder import scenario_document
    from alliancelab.models.order.estimated import scenario_facts
    from alliancelab.scenario import load_scenario
    from alliancelab.scenario.caveats import stale

    writable(out.parent if str(out.parent) else Path("."))
    built = scenario_document(
        year, region=region, states=_states_option(states, "scenario from-data"), facts=scenario_facts
    )
    text = built.text
    write_text(out, text)
    sc = load_scenario(str(out))  # it must load like any preset
    console.print(f"wrote {out}: {len(sc.actor)} actors, {len(sc.alliance)} alliances, {len(sc.rivalry)} rivalries")
    console.print(
        f"{len(sc.scenario.review)} values marked REVIEW hold defaults the data cannot give (listed in "
        f"\\[scenario] review); run it: alliancelab run {out}"
    )
    for line in stale(sc, stale_years=0):
        console.print(line, markup=False, highlight=False)
    for doubt in built.warnings:
        err_console.print(Text.assemble(("plausibility:", "yellow"), " ", doubt), soft_wrap=True)


@scenario_app.command("today")
@guarded
def scenario_today_cmd(
    year: Annotated[
        int, typer.Option(min=2013, max=2030, help="the start year: today's order as the data give it")
    ] = 2023,
    horizon: Annotated[int, typer.Option(min=2014, max=2200, help="the last year a run reaches")] = 2040,
    out: Annotated[Path, typer.Option("--out", "-o", help="the scenario TOML to write")] = Path("today.toml"),
) -> None:
    """Write the Asia-Pacific order of YEAR: the data (facts carried with their vintage), the
    alliances and dialogues since the datasets end, and the book's preset's assumptions for the rest.
    For 2023 it is the built-in asia-pacific-2023 preset."""
    from alliancelab.errors import ParameterError
    from alliancelab.experiments.today import today_text
    from alliancelab.scenario import load_scenario
    from alliancelab.scenario.caveats import caveats

    if horizon <= year:
        raise ParameterError("--horizon", "scenario today", f"a year after --year ({year})", str(horizon))
    writable(out.parent if str(out.parent) else Path("."))
    write_text(out, today_text(year, horizon))
    sc = load_scenario(str(out))
    console.print(
        f"wrote {out}: {len(sc.actor)} actors, {len(sc.alliance)} alliances, {len(sc.institution)} institutions"
    )
    for line in caveats(sc):
        console.print(line, markup=False, highlight=False)


@scenario_app.command("history")
@guarded
def scenario_history_cmd(
    start: Annotated[int, typer.Option(min=1816, max=2100, help="the start year whose data the scenario takes")] = 2001,
    end: Annotated[int, typer.Option(min=1816, max=2100, help="the last year whose shocks it carries")] = 2014,
    region: Annotated[
        str, typer.Option(help="a named region or a COW block (see `alliancelab scenario regions`)")
    ] = "asia-pacific",
    out: Annotated[Path, typer.Option("--out", "-o", help="the scenario TOML to write")] = Path("history.toml"),
) -> None:
    """Write the history scenario `validate crises` and `backtest` run: the data for START with the
    shocks of the years to END (realised growth, alliances ending, dated political events)."""
    from alliancelab.data.dyads import maddison_by_cow
    from alliancelab.errors import ParameterError
    from alliancelab.experiments.history import history_scenario
    from alliancelab.scenario import load_scenario, scenario_hash, scenario_toml

    last = int(maddison_by_cow()["year"].max())
    if not start <= end <= last:  # a growth shock holds until the next: past the data it would hold for good
        raise ParameterError(
            "end", "scenario history", f"a year from the start ({start}) to {last} (Maddison's last)", end
        )
    writable(out.parent if str(out.parent) else Path("."))
    sc = history_scenario(start, end, region=region)
    header = [
        f"# History scenario {start}-{end} by `alliancelab scenario history` (the one `validate crises` and",
        f"# `backtest` run): the data for {start} (see `alliancelab scenario from-data`) with the shocks of",
        f"# {start + 1}-{end}: realised growth (Maddison 2020; the `realised_growth` shock of year t is the growth",
        "# from t to t + 1, taken as recorded: no growth uncertainty), alliances the COW data end, and dated",
        "# political events (alliancelab.experiments.history.POLITICAL_SHOCKS: judgements on a shock's size, each",
        "# with its note; Russia's 1992 posture is sized to SIPRI's 1992 share).",
        f"# scenario hash {scenario_hash(sc)}",
        "",
    ]
    write_text(out, "\n".join(header) + scenario_toml(sc))
    again = load_scenario(str(out))  # it must load like any preset
    for doubt in (again.scenario.description or "").split("Plausibility: ")[1:]:
        err_console.print(Text.assemble(("plausibility:", "yellow"), " ", doubt.strip().rstrip(".")), soft_wrap=True)
    kinds = sorted({s.lever for s in again.shock})
    console.print(
        f"wrote {out}: {len(again.actor)} actors, {len(again.shock)} shocks ({', '.join(kinds)}), {start}-{end}; "
        f"run it: alliancelab run {out}",
        highlight=False,
    )


@scenario_app.command("regions")
def scenario_regions() -> None:
    """List the regions `scenario from-data` and `measure` take: named sets and COW's code blocks."""
    from alliancelab.data.dyads import region_names

    console.print(listing("region", "states", region_names(), title="Regions"))
