"""A self-contained HTML report for a policy reader: ``alliancelab report SCENARIO... -o report.html``.

One file (figures inlined as PNG data): the question, the scenarios and what differs between
them, figures with their uncertainty and the observed record, the paired comparison, the claims
table with its verdicts, the mechanisms' numbers and their status (estimated or assumed),
citations and the manifests.
"""

from __future__ import annotations

import base64
import html
import json
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from alliancelab.engine.manifest import read_manifest

__all__ = ["report_html", "scenario_differences"]

_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 70rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
h1 { font-size: 1.8rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; font-size: 0.85rem; margin: 0.6rem 0; }
th, td { border: 1px solid #ddd; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; } img { max-width: 100%; } pre { font-size: 0.75rem; overflow-x: auto; }
.note { color: #555; font-size: 0.9rem; }
"""


def _e(text: object) -> str:
    return html.escape(str(text))


def _img(path: Path, alt: str) -> str:
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return (
        f'<figure><img alt="{_e(alt)}" src="data:image/png;base64,{data}"><figcaption>{_e(alt)}</figcaption></figure>'
    )


def _table(df: pd.DataFrame, digits: int = 3) -> str:
    def cell(v: object) -> str:
        if isinstance(v, float):
            return "" if v != v else f"{v:.{digits}g}"
        return _e(v)

    head = "".join(f"<th>{_e(c)}</th>" for c in df.columns)
    rows = "".join("<tr>" + "".join(f"<td>{cell(v)}</td>" for v in row) + "</tr>" for row in df.itertuples(index=False))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def scenario_differences(scenarios: dict[str, Any]) -> list[str]:
    """What each scenario changes against the first: its shocks that the first lacks, in words."""
    names = list(scenarios)
    first = scenarios[names[0]]
    base = {(s.year, s.lever, str(s.target), s.value) for s in first.shock}
    lines = []
    for name in names[1:]:
        sc = scenarios[name]
        extra = [s for s in sc.shock if (s.year, s.lever, str(s.target), s.value) not in base]
        missing = base - {(s.year, s.lever, str(s.target), s.value) for s in sc.shock}
        what = [f"from {s.year} {s.lever} of {s.target} = {s.value:g}" for s in extra]
        what += [f"without {lever} of {target} = {value:g} ({year})" for year, lever, target, value in sorted(missing)]
        same_tables = sc.model_dump(exclude={"scenario", "shock"}) == first.model_dump(exclude={"scenario", "shock"})
        tail = "" if same_tables else " (its actors, alliances or other tables differ too)"
        lines.append(f"{name}: " + ("; ".join(what) or "no shock differs") + tail)
    return lines


def _caveats(scenario: Any) -> str:
    """The scenario's data caveats (values to review, stale facts) as a nested list, or nothing."""
    from alliancelab.scenario.caveats import caveats

    lines = caveats(scenario)
    if not lines:
        return ""
    return "<ul class='note'>" + "".join(f"<li>Data: {_e(line)}</li>" for line in lines) + "</ul>"


def report_html(
    results: dict[str, Any],
    comparison: pd.DataFrame | None,
    claims: pd.DataFrame | None,
    sources: pd.DataFrame,
    question: str,
    bibtex: list[str],
) -> str:
    """The report's HTML: ``results`` are simulations by scenario name (the first is the baseline)."""
    from alliancelab.report.compare import actor_names, comparison_figure, default_indicators, trajectories_figure
    from alliancelab.report.figures import THREAT_IN_WORDS, order_figure, spending_figure, threat_figure
    from alliancelab.report.observed import coverage_note
    from alliancelab.scenario import scenario_from_dict

    first = next(iter(results.values()))
    manifests = {name: read_manifest(ds) for name, ds in results.items()}
    scenarios = {name: scenario_from_dict(m["resolved_scenario"], source=name) for name, m in manifests.items()}
    m0 = manifests[next(iter(manifests))]
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>alliancelab report: {_e(', '.join(results))}</title><style>{_STYLE}</style></head><body>",
        "<h1>alliancelab report</h1>",
        f"<p><b>Question.</b> {_e(question)}</p>",
        f"<p class='note'>{len(first.run)} runs per scenario, {len(first.year)} years from {int(first.year[0])}, "
        f"seed {m0['options'].get('seed', '')}, parameter set {_e(m0.get('parameter_set', ''))}; "
        f"alliancelab {_e(m0['alliancelab'])}.</p>",
        "<h2>Scenarios</h2><ul>",
        *(f"<li><b>{_e(n)}</b>: {_e(sc.scenario.title)}{_caveats(sc)}</li>" for n, sc in scenarios.items()),
        "</ul>",
    ]
    if len(scenarios) > 1:
        parts += ["<p><b>What differs from the baseline</b></p><ul>"]
        parts += [f"<li>{_e(line)}</li>" for line in scenario_differences(scenarios)]
        parts += ["</ul>"]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        parts.append("<h2>Trajectories</h2>")
        parts.append(
            "<p class='note'>Bands: 10-90 % of runs; line: median; dots: SIPRI's observed shares where the years "
            "reach into the record (for a counterfactual scenario they show what did happen without it). "
            f"{_e(THREAT_IN_WORDS)}.</p>"
        )
        shown = (
            ("share", spending_figure, "military spending, % of GDP"),
            ("threat", threat_figure, "perceived threat, US$ bn"),
            ("order", order_figure, "order type"),
        )
        for k, (name, ds) in enumerate(results.items()):
            parts.append(f"<h3>{_e(name)}</h3>")
            for variable, draw, caption in shown:
                if variable in ds:
                    parts.append(_img(draw(ds, folder / f"{k}-{variable}.png"), f"{name}: {caption}"))
                note = coverage_note(ds) if variable == "share" else None
                if note is not None:
                    parts.append(f"<p class='note'>{_e(note)}.</p>")
        if comparison is not None:
            parts.append("<h2>Paired comparison</h2>")
            window = comparison.attrs.get("window")
            parts.append(
                f"<p class='note'>Same seeds in every scenario; each run's mean over {window}; difference from the "
                "first scenario with its standard error and 5-95 % range over runs.</p>"
            )
            names = actor_names(results)
            parts.append(_img(comparison_figure(comparison, folder / "comparison.png", names), "paired differences"))
            moves = trajectories_figure(results, default_indicators(first), folder / "trajectories.png")
            parts.append(_img(moves, "each indicator's median, year by year"))
            parts.append(_table(comparison))
            parts += [f"<p class='note'>{_e(n)}</p>" for n in comparison.attrs.get("notes", [])]
    if claims is not None:
        parts.append("<h2>The book's claims</h2>")
        parts.append(
            "<p class='note'>Each claim over a Saltelli design of the assumptions' ranges, each run drawing the "
            "estimated coefficients (<code>alliancelab claims</code>). A claim the model only assumes is labelled so."
            "</p>"
        )
        cols = ["claim", "part", "text", "effect_median", "effect_q05", "effect_q95", "units", "share_direction"]
        parts.append(_table(claims[[c for c in cols if c in claims]].assign(verdict=claims["verdict"])))
    parts.append("<h2>Where the numbers come from</h2>")
    counts = sources["status"].value_counts().to_dict()
    parts.append(
        f"<p>{counts.get('estimated', 0)} numbers are estimated from history (docs/estimation.md), "
        f"{counts.get('assumption', 0)} are assumptions with a plausible range. A result that follows only from "
        "an assumption is an assumption, not a finding.</p>"
    )
    parts.append(_table(sources[["parameter", "value", "status", "low", "high", "source", "equations"]], 4))
    parts.append("<h2>Citations</h2><pre>" + _e("\n\n".join(bibtex)) + "</pre>")
    parts.append("<h2>Manifests</h2>")
    for name, m in manifests.items():
        parts.append(f"<details><summary>{_e(name)}</summary><pre>{_e(json.dumps(m, indent=1))}</pre></details>")
    parts.append("</body></html>")
    return "\n".join(parts)
