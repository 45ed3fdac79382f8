"""Write the estimation results: coefficient tables, held-out scores, the fits as JSON and a
manifest naming the data and the command's options."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from alliancelab.estimation.crises import CrisisEstimates
from alliancelab.estimation.spending import SpendingEstimates
from alliancelab.report.saving import save_csv, save_tables, write_text

__all__ = [
    "ESTIMATION_FILES",
    "PUBLISHED_SIGNS",
    "compare_with_literature",
    "estimation_manifest",
    "write_block_gains",
    "write_crisis_estimates",
    "write_spending_estimates",
    "write_uncertainty",
]

#: The signs the literature reports for each stage-1 term: Oneal & Russett (1999), *World
#: Politics* 52(1), and Russett & Oneal (2001) for MID onset/involvement; Nordhaus, Oneal &
#: Russett (2012) use the same liberal–realist terms (GDP preponderance, not CINC). "+" raises
#: the hazard, "−" lowers it, "?" where the published sign is not settled.
PUBLISHED_SIGNS: dict[str, tuple[str, str]] = {
    "contiguous": ("+", "contiguity raises disputes (Bremer 1992; Oneal & Russett 1999)"),
    "sea_contiguous": ("+", "Oneal & Russett (1999) count up to 150 miles of water as contiguous"),
    "ln_distance": ("−", "distance between capitals lowers them (Oneal & Russett 1999)"),
    "preponderance": ("−", "preponderance lowers them (Oneal & Russett 1999; NOR 2012)"),
    "major": ("+", "a major power in the dyad raises them (Oneal & Russett 1999)"),
    "democracy_low": ("−", "the less democratic state's democracy lowers them (Oneal & Russett 1999)"),
    "democracy_high": ("+", "the more democratic state's score has a small + sign (Oneal & Russett 1999)"),
    "trade_low": ("−", "the weak link's trade dependence lowers them (Oneal & Russett 1999)"),
    "igos": ("−", "shared IGOs lower them in Oneal & Russett (1999); unstable in later work"),
    "allied": ("−", "allies fight less (Bremer 1992; Russett & Oneal 2001), a weak effect"),
    "rivalry": ("+", "strategic rivals fight more (Thompson 2001; Colaresi, Rasler & Thompson 2007)"),
    "peace_years": ("−", "disputes cluster in time (Beck, Katz & Tucker 1998)"),
}


def compare_with_literature(table: pd.DataFrame) -> pd.DataFrame:
    """The coefficient table with the published sign beside each term and whether they agree
    (at the 5 % level; ``n.s.`` where the estimate is not distinguishable from 0)."""
    out = table.copy()
    published = out["term"].map(lambda t: PUBLISHED_SIGNS.get(t, ("", ""))[0])
    sign = out["coef"].map(lambda b: "+" if b > 0 else "−")
    significant = out["z"].abs() >= 1.96
    out["published"] = published
    out["agrees"] = [
        "" if not pub else ("yes" if s == pub and sig else ("n.s." if not sig else "no"))
        for pub, s, sig in zip(published, sign, significant, strict=True)
    ]
    return out


def _write_json(path: Path, doc: Any) -> Path:
    return write_text(path, json.dumps(doc, indent=1, sort_keys=True))


def write_crisis_estimates(est: CrisisEstimates, out: Path, manifest: dict[str, Any]) -> list[Path]:
    """``onset_coefficients.csv`` (training and full fits, with the published signs),
    ``onset_scores.csv``, ``onset_fit.json`` (the full fit: what the engine reads),
    ``onset_fit_train.json`` and ``manifest.json``."""
    out.mkdir(parents=True, exist_ok=True)
    frames = []
    for label, fit in (("train", est.fit), ("full", est.full), ("train, no peace-years", est.no_history)):
        t = compare_with_literature(fit.table())
        t.insert(0, "fit", f"{label} {fit.train[0]}-{fit.train[1]}")
        frames.append(t)
    paths = [out / "onset_coefficients.csv", out / "onset_scores.csv"]
    save_csv(pd.concat(frames, ignore_index=True), paths[0], index=False, float_format="%.6g")
    save_csv(est.scores, paths[1], index=False, float_format="%.6g")
    paths.append(write_text(out / "onset_fit.json", est.full.to_json()))
    paths.append(write_text(out / "onset_fit_train.json", est.fit.to_json()))
    paths.append(_write_json(out / "manifest.json", manifest))
    return paths


def write_block_gains(gains: Any, out: Path, manifest: dict[str, Any]) -> list[Path]:
    """Stage 1's blocks at the engine's horizon (:class:`~alliancelab.estimation.blocks.BlockGains`):
    ``crisis_blocks_scores.csv`` (each model's held-out scores), ``crisis_blocks_gains.csv`` (each
    block's gain with its interval and verdict) and ``manifest.json``."""
    out.mkdir(parents=True, exist_ok=True)
    paths = save_tables({"crisis_blocks_scores.csv": gains.scores, "crisis_blocks_gains.csv": gains.gains}, out)
    paths.append(_write_json(out / "manifest.json", manifest))
    return paths


def write_spending_estimates(est: SpendingEstimates, out: Path, manifest: dict[str, Any]) -> list[Path]:
    """``spending_coefficients.csv``, ``spending_effects.csv``, ``spending_response.json`` (both
    estimators' threat response, what the engine reads), ``spending_weak_iv.csv`` (the
    Anderson–Rubin grid, where computed) and ``manifest.json``."""
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "spending_coefficients.csv", out / "spending_effects.csv"]
    save_csv(est.table, paths[0], index=False, float_format="%.6g")
    save_csv(est.effects, paths[1], index=False, float_format="%.6g")
    if est.robust is not None:
        paths.append(save_csv(est.robust.grid, out / "spending_weak_iv.csv", index=False, float_format="%.6g"))
    response = {name: est.response(name) for name in est.n}
    paths.append(_write_json(out / "spending_response.json", {**response, "threat_model": manifest.get("options")}))
    paths.append(_write_json(out / "manifest.json", manifest))
    return paths


def write_alliance_estimates(est: Any, out: Path, manifest: dict[str, Any]) -> list[Path]:
    """``alliance_coefficients.csv``, ``alliance_effects.csv`` (with verdicts),
    ``drawdown_episodes.csv``, ``drawdown_event_times.csv`` and ``manifest.json``."""
    out.mkdir(parents=True, exist_ok=True)
    frames = {
        "alliance_coefficients.csv": est.coefficients,
        "alliance_effects.csv": est.effects,
        "drawdown_episodes.csv": est.episodes,
        "drawdown_event_times.csv": est.event_times,
    }
    paths = save_tables(frames, out)
    paths.append(_write_json(out / "manifest.json", {**manifest, "n": est.n, "years": list(est.years)}))
    return paths


def write_uncertainty(
    volatility: pd.DataFrame, growth: pd.DataFrame, out: Path, manifest: dict[str, Any]
) -> list[Path]:
    """``spending_volatility.csv`` (σ_i per state and where it comes from), ``growth_projection.csv``
    (the robust s.d. of the GDP projection's log error by horizon) and ``manifest.json``."""
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "spending_volatility.csv", out / "growth_projection.csv"]
    save_csv(volatility, paths[0], index=False, float_format="%.6g")
    save_csv(growth, paths[1], index=False, float_format="%.6g")
    paths.append(_write_json(out / "manifest.json", manifest))
    return paths


#: The data files the estimates read (registry keys): the two stages, and the uncertainty the
#: engine draws (SIPRI's shares, Maddison's GDP).
ESTIMATION_FILES: tuple[str, ...] = (
    "midb",
    "system",
    "majors",
    "contdir",
    "capitals",
    "atop_ddy",
    "rivalries",
    "igo_ndy",
    "democracy",
    "trade_sy",
    "sdp_gdp",
    "sipri_long",
    "nmc6",
    "maddison",
)


def estimation_manifest(command: str, options: dict[str, Any]) -> dict[str, Any]:
    """What produced an estimate: the command and its options, alliancelab's version and the
    data files with their registry SHA-256."""
    import linearmodels
    import statsmodels

    from alliancelab.data.registry import FILES
    from alliancelab.engine.manifest import package_version

    return {
        "alliancelab": package_version(),
        "command": command,
        "options": options,
        "data_files": {FILES[k].relpath: FILES[k].sha256 for k in ESTIMATION_FILES},
        "software": {"statsmodels": statsmodels.__version__, "linearmodels": linearmodels.__version__},
        "citations": ["nor-two-stage", "kantian-peace", "btscs", "cow-mid"],
    }
