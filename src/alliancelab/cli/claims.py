"""The book's claims as findings under uncertainty: claims."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from alliancelab.cli.common import ParamsOpt, QuietOpt, SeedOpt, app, console, guarded, progress, writable
from alliancelab.engine.manifest import read_manifest
from alliancelab.errors import ParameterError


def _numbers(text: str | None) -> tuple[int, ...] | None:
    if text is None:
        return None
    try:
        found = tuple(int(t) for t in text.split(",") if t.strip())
    except ValueError:
        raise ParameterError("--only", "claims", "claim numbers 1-6, e.g. 1,4", text) from None
    if not found or any(n not in range(1, 7) for n in found):
        raise ParameterError("--only", "claims", "claim numbers 1-6, e.g. 1,4", text)
    return found


@app.command()
@guarded
def claims(
    samples: Annotated[
        int, typer.Option(min=2, max=4096, help="Saltelli base samples (a power of 2); points = samples x 16")
    ] = 16,
    runs: Annotated[
        int, typer.Option("--runs", "-n", min=1, max=100_000, help="runs per design point (common random numbers)")
    ] = 32,
    years: Annotated[
        int,
        typer.Option("--years", "-y", min=5, max=200, help="years simulated from 2001; effects from the fifth year on"),
    ] = 20,
    seed: SeedOpt = 0,
    only: Annotated[str | None, typer.Option(help="claim numbers, e.g. 1,4 (default: all six)")] = None,
    until_precise: Annotated[
        int | None,
        typer.Option(
            min=2,
            help="double each claim's design until its leading Sobol' intervals are within 0.1, up to this "
            "many samples (a power of 2)",
        ),
    ] = None,
    params: ParamsOpt = "default",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="folder for the findings, points and indices")] = None,
    quiet: QuietOpt = False,
) -> None:
    """The six claims of the book as findings: effects under parameter and estimation uncertainty,
    where the direction holds, what decides it, the ablation and a verdict."""
    from alliancelab.engine.manifest import package_version
    from alliancelab.experiments.claims import CLAIMS, DESIGN_PARAMETERS, analyse_claims
    from alliancelab.models.order.paramsets import load_params, set_name
    from alliancelab.report.files import write_claims

    chosen_claims = _numbers(only)
    if out is not None:
        writable(out)
    chosen = load_params(params)
    rows = [c for c in CLAIMS if chosen_claims is None or c.number in chosen_claims]
    if until_precise is not None and (until_precise < samples or until_precise & (until_precise - 1)):
        raise ParameterError(
            "--until-precise", "claims", f"a power of 2 of at least --samples ({samples})", until_precise
        )
    most = samples if until_precise is None else 2 * until_precise - samples  # every doubling at most
    total = most * (len(DESIGN_PARAMETERS) + 2) * len(rows)
    draws = chosen.equations == "estimated" and chosen.coefficient_draws
    console.print(
        f"parameters: {set_name(chosen)}; design: {samples} x {len(DESIGN_PARAMETERS) + 2} points over "
        f"{len(DESIGN_PARAMETERS)} assumptions, {runs} run{'s' * (runs != 1)} each"
        + (" (each run draws the estimated coefficients)" if draws else "")
    )
    with progress("claims", total, "points", quiet) as bar:
        result = analyse_claims(
            samples,
            runs,
            years,
            seed,
            chosen_claims,
            chosen,
            progress=bar.advance if bar else None,
            max_samples=until_precise,
        )
    from alliancelab.experiments.claims import PRECISE_ST

    for r in result.table.to_dict("records"):
        console.print(f"\n[bold]Claim {r['claim']}{r['part']}[/]: {r['text']} ({r['contrast']})", highlight=False)
        if until_precise is not None:
            console.print(f"  design: {r['samples']} samples", markup=False)
        console.print(
            f"  effect {r['effect_median']:+.3g} {r['units']} (90 % over the assumptions: {r['effect_q05']:+.3g} to "
            f"{r['effect_q95']:+.3g}; at the defaults {r['effect_default']:+.3g} ± {r['effect_default_se']:.2g})",
            markup=False,
        )
        console.print(
            f"  direction holds in {100 * r['share_direction']:.0f} % of the design, at least the minimum effect "
            f"({r['minimum_effect']:g}) in {100 * r['share_minimum']:.0f} %; largest Sobol' totals: {r['decided_by']} "
            f"(interval ±{r['decided_by_st_conf']:.2f}"
            + ("" if r["decided_by_st_conf"] < PRECISE_ST else f": too wide to decide, {PRECISE_ST} wanted")
            + ")",
            markup=False,
        )
        console.print(
            f"  {r['ablation']}: {r['effect_ablated']:+.3g} ± {r['effect_ablated_se']:.2g}. Verdict: {r['verdict']}",
            markup=False,
        )
    if out is not None:
        manifest = {"alliancelab": package_version(), "command": "claims", "parameter_set": set_name(chosen)}
        console.print("wrote " + ", ".join(map(str, write_claims(result, out, manifest))))


@app.command()
@guarded
def report(
    scenarios: Annotated[list[str], typer.Argument(help="one or more presets or files; the first is the baseline")],
    out: Annotated[Path, typer.Option("--out", "-o", help="the HTML file to write")] = Path("report.html"),
    runs: Annotated[int, typer.Option("--runs", "-n", min=1, max=1_000_000, help="runs per scenario")] = 500,
    years: Annotated[
        int | None, typer.Option("--years", "-y", min=1, max=200, help="horizon (default: each scenario's)")
    ] = None,
    seed: SeedOpt = 0,
    params: ParamsOpt = "default",
    claims_csv: Annotated[
        Path | None,
        typer.Option("--claims", help="a claims.csv from `alliancelab claims -o`; default: run a small design"),
    ] = None,
    claims_samples: Annotated[
        int, typer.Option(min=0, max=65_536, help="design samples for the claims (0: leave them out)")
    ] = 4,
    question: Annotated[str, typer.Option(help="the question the report answers")] = (
        "How do the scenarios differ in military effort, crises and the regional order, and what of it is "
        "estimated rather than assumed?"
    ),
    quiet: QuietOpt = False,
) -> None:
    """Write one self-contained HTML report: scenarios and their differences, figures with
    uncertainty and history, the comparison, the claims' verdicts, the numbers' sources,
    citations and manifests."""

    import pandas as pd

    from alliancelab.cli.common import simulate_with_progress
    from alliancelab.data import DATASETS, MODELS
    from alliancelab.data.files import write_text
    from alliancelab.experiments.claims import analyse_claims
    from alliancelab.models.order.paramsets import load_params
    from alliancelab.models.order.sources import parameter_sources
    from alliancelab.report.compare import comparison_table
    from alliancelab.report.html import report_html

    if out.suffix.lower() not in (".html", ".htm"):
        raise ParameterError("--out", "report", "a file name ending in .html", str(out))
    writable(out.parent if str(out.parent) else Path("."))
    chosen = load_params(params)
    results = {
        sc: simulate_with_progress(sc, f"simulating {sc}", quiet, runs=runs, years=years, seed=seed, params=chosen)
        for sc in scenarios
    }
    comparison = comparison_table(results) if len(results) > 1 else None
    if claims_csv is not None:
        try:
            claims_table: pd.DataFrame | None = pd.read_csv(claims_csv)
        except (OSError, ValueError) as exc:
            raise ParameterError(
                "--claims", "report", "a claims.csv written by `alliancelab claims -o`", str(exc)
            ) from None
        from alliancelab.experiments.claims import CLAIM_COLUMNS

        lacking = [c for c in CLAIM_COLUMNS if claims_table is not None and c not in claims_table.columns]
        if lacking:
            raise ParameterError(
                "--claims", "report", f"a claims.csv written by `alliancelab claims -o` (it lacks {lacking})",
                str(claims_csv),
            )  # fmt: skip
    elif claims_samples:
        with progress("claims", 1, "analyses", quiet):
            claims_table = analyse_claims(samples=claims_samples, runs=16, params=chosen).table
    else:
        claims_table = None
    names: list[str] = []
    for ds in results.values():
        names += [n for n in read_manifest(ds).get("citations", []) if n not in names]
    bibtex = [DATASETS[n].bibtex if n in DATASETS else MODELS[n] for n in names if n in DATASETS or n in MODELS]
    text = report_html(results, comparison, claims_table, parameter_sources(chosen), question, bibtex)
    write_text(out, text)
    console.print(f"wrote {out} ({len(text) / 1e6:.1f} MB, self-contained)")
