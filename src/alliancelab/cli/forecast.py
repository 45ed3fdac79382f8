"""Forecast policy debates with the expected-utility model: forecast, debates."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from alliancelab.cli.common import (
    MaxMemoryOpt,
    QuietOpt,
    SeedOpt,
    app,
    console,
    frame_table,
    guarded,
    listing,
    memory_bytes,
    plain,
    print_table,
    progress,
    writable,
)


@app.command()
@guarded
def forecast(
    issue: Annotated[str, typer.Argument(help="a built-in issue (see `alliancelab debates`), or a .toml/.csv file")],
    rounds: Annotated[int, typer.Option("--rounds", "-r", min=1, max=10_000, help="rounds of bargaining")] = 10,
    rules: Annotated[str, typer.Option(help="rule set: paper (default), net-vote or scholz-code")] = "paper",
    perturb: Annotated[
        int, typer.Option(min=0, max=1_000_000, help="also play this many copies with noisy positions and saliences")
    ] = 0,
    position_sd: Annotated[float, typer.Option(help="perturbation: s.d. of position noise, share of scale")] = 0.05,
    salience_sd: Annotated[float, typer.Option(help="perturbation: s.d. of salience noise")] = 0.10,
    tol: Annotated[
        float, typer.Option(help="settle when no move exceeds this share of the scale (0: all rounds)")
    ] = 1e-6,
    seed: SeedOpt = 0,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="write tables, dataset and figure here")] = None,
    figures: Annotated[bool, typer.Option(help="write the PNG figure")] = True,
    max_memory: MaxMemoryOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Forecast a policy debate with the expected-utility model (Bueno de Mesquita; Scholz et al. 2011)."""
    from alliancelab.models.bargaining import events_table, forecast, load_issue, outcome_summary, round_table
    from alliancelab.models.bargaining.forecasting import unsettled_note
    from alliancelab.report.files import WRITERS_BYTES
    from alliancelab.report.forecast import write_forecast

    if out is not None:
        writable(out)
    iss = load_issue(issue)
    total = (perturb + 1) * rounds
    with progress("bargaining", total, "rounds", quiet or perturb == 0) as bar:
        ds = forecast(
            iss,
            rounds=rounds,
            rules=rules,
            perturb=perturb,
            seed=seed,
            position_sd=position_sd,
            salience_sd=salience_sd,
            tol=tol,
            progress=bar.advance if bar else None,
            max_memory=memory_bytes(max_memory),
            reserve_bytes=WRITERS_BYTES,
        )
    console.print(Text(plain(iss.title or iss.name), style="bold"))  # the file's text is text, never markup
    if iss.question:
        console.print(Text(plain(iss.question)))
    console.print(f"scale {iss.low:g} = {iss.low_means or 'low'}; {iss.high:g} = {iss.high_means or 'high'}")
    if iss.status:
        console.print(Text("inputs: " + plain(iss.status), style="italic"))
    table = round_table(ds)
    print_table(frame_table(table[["mean", "median"]], f"Rounds (rules: {rules})", "{:.3f}", "round"))
    events = events_table(ds)
    ev = Table(title="Bargaining events (who accepted whose offer)", show_edge=False)
    for col in ("round", "actor", "outcome", "sender", "from", "to"):
        ev.add_column(col, justify="right" if col in ("round", "from", "to") else "left")
    for row in events.itertuples(index=False):
        ev.add_row(
            str(row.round),
            Text(plain(row.actor)),
            str(row.outcome),
            Text(plain(row.sender)),
            f"{row.position_before:.3f}",
            f"{row.position_after:.3f}",
        )
    console.print(ev if len(events) else "no actor moved")
    summary = outcome_summary(ds)
    settled = int(ds["settled"].sel(copy=0))
    state = f"positions settled in round {settled}" if settled >= 0 else f"positions still moving after round {rounds}"
    console.print(f"[bold]forecast outcome:[/] {summary['forecast']:.3f} (weighted median; {state})")
    doubt = unsettled_note(ds)
    if doubt is not None:
        console.print(f"[yellow]note:[/] {doubt}", highlight=False)
    if perturb:
        console.print(
            f"over {perturb} perturbed copies: mean {summary['perturbed_mean']:.3f}, "
            f"s.d. {summary['perturbed_sd']:.3f}, 5–95% [{summary['p05']:.3f}, {summary['p95']:.3f}]"
        )
    if out is not None:
        paths = write_forecast(ds, out, figures=figures)
        console.print("wrote " + ", ".join(str(p) for p in paths.values()))


@app.command()
def debates() -> None:
    """List the built-in issues for `alliancelab forecast`."""
    from alliancelab.models.bargaining import list_issues

    console.print(listing("issue", "title", list_issues()))
