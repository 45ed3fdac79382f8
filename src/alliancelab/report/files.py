"""Write the files of comparisons, experiments' analyses, calibrations and backtests.

Every command's files are written here (the command line only prints): CSV tables, figures,
reports and manifests, each function returning the paths it wrote.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = [
    "write_backtest",
    "write_calibration",
    "write_comparison",
    "write_discovery",
    "write_measure",
    "write_sensitivity",
    "write_text",
    "write_validation",
]


def write_text(path: Path, text: str) -> Path:
    """A text file, written whole (a partial file never replaces a good one)."""
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(text)
    tmp.replace(path)
    return path


def write_comparison(table: pd.DataFrame, results: dict[str, Any], out: Path) -> list[Path]:
    """``comparison.csv`` and ``manifest.json`` (every scenario's manifest, by name)."""
    out.mkdir(parents=True, exist_ok=True)
    table.to_csv(out / "comparison.csv")
    manifests = {k: json.loads(v.attrs["manifest"]) for k, v in results.items()}
    write_text(out / "manifest.json", json.dumps(manifests, indent=1, sort_keys=True))
    return [out / "comparison.csv", out / "manifest.json"]


def write_sensitivity(name: str, table: pd.DataFrame, pairs: pd.DataFrame | None, out: Path) -> list[Path]:
    """An indicator's sensitivity indices, second-order pairs (Sobol') and their figure."""
    from alliancelab.report.experiments import sensitivity_figure

    paths = [out / f"sensitivity_{name}.csv"]
    table.to_csv(paths[0])
    if pairs is not None and len(pairs):
        paths.append(out / f"sensitivity_{name}_second_order.csv")
        pairs.to_csv(paths[-1], index=False)
    paths.append(sensitivity_figure(table, f"What drives {name}", out / f"sensitivity_{name}.png"))
    return paths


def write_discovery(found: Any, where: str, out: Path) -> list[Path]:
    """PRIM's boxes, their limits, the peeling trajectory and its figure."""
    from alliancelab.report.experiments import discovery_figure

    paths = [out / "prim_boxes.csv", out / "prim_limits.csv", out / "prim_trajectory.csv"]
    found.stats.to_csv(paths[0], index=False)
    pd.concat(found.boxes, ignore_index=True).to_csv(paths[1], index=False)
    found.trajectories[0].to_csv(paths[2], index=False)
    paths.append(discovery_figure(found.trajectories[0], found.chosen[0], where, out / "prim_tradeoff.png"))
    return paths


def write_calibration(cal: Any, out: Path) -> list[Path]:
    """A calibration's per-state fit and its search path."""
    paths = [out / "calibration_states.csv", out / "calibration_path.csv"]
    cal.per_state.to_csv(paths[0], index=False)
    cal.path.to_csv(paths[1], index=False)
    return paths


def write_backtest(bt: Any, out: Path) -> list[Path]:
    """A backtest's scores, forecasts, bands, figure and report."""
    from alliancelab.report.experiments import backtest_figure, backtest_report

    paths = [out / "backtest_scores.csv", out / "backtest_forecasts.csv", out / "backtest_bands.csv"]
    bt.scores.to_csv(paths[0], index=False)
    bt.forecasts.to_csv(paths[1], index=False)
    bt.bands.to_csv(paths[2], index=False)
    paths.append(backtest_figure(bt.bands, bt.observed, bt.train[1], out / "backtest.png"))
    paths.append(backtest_report(bt, out / "backtest.md"))
    return paths


def write_validation(v: Any, out: Path) -> list[Path]:
    """The crisis validation's pairs: observed, simulated and estimated onsets."""
    path = out / "crisis_validation_pairs.csv"
    v.pairs.to_csv(path, index=False, float_format="%.6g")
    return [path]


def write_measure(table: pd.DataFrame, name: str, out: Path) -> list[Path]:
    """A measure's table (CSV) and its sources beside it (JSON)."""
    table.to_csv(out, index=False, float_format="%.6g")
    meta = out.with_suffix(".json")
    write_text(meta, json.dumps({"measure": name, "citations": table.attrs["citations"]}))
    return [out, meta]
