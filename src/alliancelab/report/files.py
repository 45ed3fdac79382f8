"""Write the files of comparisons, experiments' analyses, calibrations and backtests.

Every command's files are written here (the command line only prints): CSV tables, figures,
reports and manifests, each function returning the paths it wrote. The figure modules save
through :mod:`alliancelab.report.saving` and never import this one; they are imported where a
figure is drawn, so a command that writes none does not load Matplotlib.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from alliancelab.engine.manifest import read_manifest
from alliancelab.report.saving import (
    NETCDF_COPIES,
    WRITERS_BYTES,
    replacing,
    safe_text_columns,
    save_csv,
    save_figure,
    save_netcdf,
    save_tables,
    spreadsheet_safe,
    write_text,
)

__all__ = [
    "NETCDF_COPIES",
    "WRITERS_BYTES",
    "recorded_citations",
    "replacing",
    "safe_text_columns",
    "save_csv",
    "save_figure",
    "save_netcdf",
    "spreadsheet_safe",
    "write_backtest",
    "write_calibration",
    "write_claims",
    "write_comparison",
    "write_discovery",
    "write_measure",
    "write_sensitivity",
    "write_text",
    "write_validation",
]


def write_comparison(
    table: pd.DataFrame,
    results: dict[str, Any],
    out: Path,
    indicators: dict[str, Any] | None = None,
    tables: tuple[str, ...] = ("csv", "parquet"),
) -> list[Path]:
    """``comparison.csv`` (tidy: indicator, scenario, mean, difference, se, q05, q95, runs),
    ``comparison.png`` (the paired differences), ``trajectories.png`` (each indicator's median
    year by year, per scenario), ``manifest.json`` (every scenario's manifest, by name, with
    the window and the notes) and the per-run tables of every scenario, stacked with a
    ``scenario`` column (:func:`alliancelab.report.export.stacked_runs`)."""
    from alliancelab.report.compare import actor_names, comparison_figure, default_indicators, trajectories_figure
    from alliancelab.report.export import write_stacked

    out.mkdir(parents=True, exist_ok=True)
    save_csv(table, out / "comparison.csv", index=False, float_format="%.6g")
    comparison_figure(table, out / "comparison.png", actor_names(results))
    specs = indicators or default_indicators(next(iter(results.values())))
    trajectories_figure(results, specs, out / "trajectories.png")
    manifests = {k: read_manifest(v) for k, v in results.items()}
    doc = {"scenarios": manifests, "window": table.attrs.get("window"), "notes": table.attrs.get("notes", [])}
    write_text(out / "manifest.json", json.dumps(doc, indent=1, sort_keys=True))
    runs = write_stacked(results, out, tables)
    return [out / "comparison.csv", out / "comparison.png", out / "trajectories.png", out / "manifest.json", *runs]


def write_sensitivity(name: str, table: pd.DataFrame, pairs: pd.DataFrame | None, out: Path) -> list[Path]:
    """An indicator's sensitivity indices, second-order pairs (Sobol') and their figure."""
    from alliancelab.report.experiments import sensitivity_figure

    paths = [out / f"sensitivity_{name}.csv"]
    save_csv(table, paths[0])
    if pairs is not None and len(pairs):
        paths.append(out / f"sensitivity_{name}_second_order.csv")
        save_csv(pairs, paths[-1], index=False)
    paths.append(sensitivity_figure(table, f"What drives {name}", out / f"sensitivity_{name}.png"))
    return paths


def write_discovery(found: Any, where: str, out: Path) -> list[Path]:
    """PRIM's boxes, their limits, the peeling trajectory and its figure."""
    from alliancelab.report.experiments import discovery_figure

    paths = [out / "prim_boxes.csv", out / "prim_limits.csv", out / "prim_trajectory.csv"]
    save_csv(found.stats, paths[0], index=False)
    save_csv(pd.concat(found.boxes, ignore_index=True), paths[1], index=False)
    save_csv(found.trajectories[0], paths[2], index=False)
    paths.append(discovery_figure(found.trajectories[0], found.chosen[0], where, out / "prim_tradeoff.png"))
    return paths


def write_calibration(cal: Any, out: Path) -> list[Path]:
    """A calibration's per-state fit and its search path."""
    paths = [out / "calibration_states.csv", out / "calibration_path.csv"]
    save_csv(cal.per_state, paths[0], index=False)
    save_csv(cal.path, paths[1], index=False)
    return paths


def write_backtest(bt: Any, out: Path) -> list[Path]:
    """A backtest's scores, forecasts, bands, figure and report."""
    from alliancelab.report.experiments import backtest_figure, backtest_report

    paths = [out / "backtest_scores.csv", out / "backtest_forecasts.csv", out / "backtest_bands.csv"]
    save_csv(bt.scores, paths[0], index=False)
    save_csv(bt.forecasts, paths[1], index=False)
    save_csv(bt.bands, paths[2], index=False)
    if len(bt.probabilistic):
        paths += [out / "backtest_crps.csv", out / "backtest_state_year_scores.csv"]
        save_csv(bt.probabilistic, paths[-2], index=False, float_format="%.6g")
        save_csv(bt.state_year_scores, paths[-1], index=False, float_format="%.6g")
    paths.append(backtest_figure(bt.bands, bt.observed, bt.train[1], out / "backtest.png", bt.names, bt.source))
    paths.append(backtest_report(bt, out / "backtest.md"))
    return paths


def write_validation(v: Any, out: Path) -> list[Path]:
    """The crisis validation's pairs (observed, simulated and estimated onsets), its scores per
    pair-year against persistence, by horizon, its reliability tables and scored pair-years, and
    its figures."""
    from alliancelab.report.experiments import calibration_figure, validation_figure

    tables = {"pairs": v.pairs, "scores": v.scores, "horizons": v.horizons, "reliability": v.reliability}
    tables["pair_years"] = v.pair_years
    paths = save_tables({f"crisis_validation_{k}.csv": t for k, t in tables.items()}, out, skip_empty=True)
    paths.append(validation_figure(v, out / "crisis_validation.png"))
    if len(v.pair_years):
        paths.append(calibration_figure(v, out / "crisis_validation_calibration.png"))
    return paths


def write_measure(table: pd.DataFrame, name: str, out: Path) -> list[Path]:
    """A measure's table (CSV) and its sources beside it (JSON)."""
    save_csv(table, out, index=False, float_format="%.6g")
    meta = out.with_suffix(".json")
    write_text(meta, json.dumps({"measure": name, "citations": table.attrs["citations"]}))
    return [out, meta]


def recorded_citations(path: Path) -> list[str]:
    """The citation names a result file records: a measure/forecast .json, a run's manifest.json or
    results.nc, or a comparison's manifest.json (one manifest per scenario); each must be a
    dataset or model alliancelab knows."""
    from alliancelab.data import DATASETS, MODELS
    from alliancelab.errors import DataFileError, suggest

    try:
        if path.suffix == ".nc":
            import xarray as xr

            with xr.open_dataset(path, engine="h5netcdf") as ds:
                doc = read_manifest(ds)
        else:
            doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, RecursionError) as exc:
        raise DataFileError(f"{path}: not a result that records its sources ({type(exc).__name__}: {exc})") from None
    if not isinstance(doc, dict):
        raise DataFileError(f"{path}: not a result that records its sources (a JSON object with 'citations')")
    nested: dict[str, Any] = doc["scenarios"] if isinstance(doc.get("scenarios"), dict) else doc  # a comparison
    docs = [doc] if "citations" in doc else [d for d in nested.values() if isinstance(d, dict) and "citations" in d]
    if not docs:
        raise DataFileError(f"{path}: records no 'citations'; give a results.nc, manifest.json or measure .json")
    names: list[str] = []
    for d in docs:
        cited = d["citations"]
        if not isinstance(cited, list) or not all(isinstance(n, str) for n in cited):
            raise DataFileError(f"{path}: 'citations' must be a list of names; got {cited!r}")
        for n in cited:
            if n not in DATASETS and n not in MODELS:
                raise DataFileError(f"{path}: cites {n!r}, no dataset or model; " + suggest(n, [*DATASETS, *MODELS]))
        names += cited
    return names


def write_claims(result: Any, out: Path, manifest: dict[str, Any]) -> list[Path]:
    """The claims' findings (``claims.csv``), each design point's effect, the Sobol' total
    indices and the manifest (the design, the parameter set, the version)."""
    out.mkdir(parents=True, exist_ok=True)
    paths = [
        save_csv(result.table, out / "claims.csv", index=False),
        save_csv(result.points, out / "claims_points.csv", index=False),
        save_csv(result.sensitivity, out / "claims_sensitivity.csv", index=False),
    ]
    path = out / "manifest.json"
    write_text(path, json.dumps(manifest | {"design": result.design}, indent=1, default=str) + "\n")
    return [*paths, path]
