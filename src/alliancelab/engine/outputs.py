"""Outputs in general: how a model family describes each output, choosing outputs, checking them.

A family lists its outputs in a catalogue (``name -> Output``, in a fixed order); the engine
allocates, fills and checks them by that description alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from alliancelab.errors import ParameterError

__all__ = ["GROUPS", "Catalogue", "Output", "bounds_text", "check_records", "select_outputs"]

#: The output groups: what an output is indexed by besides run and year.
GROUPS: tuple[str, ...] = ("actor", "alliance", "dyad", "region")


@dataclass(frozen=True)
class Output:
    """One output of a model family: its group, units, meaning, mechanism and valid range."""

    name: str
    group: str  # actor | alliance | dyad | region
    units: str
    description: str
    mechanism: str
    low: float | None = None
    high: float | None = None
    dtype: str = "float32"


Catalogue = Mapping[str, Output]


def select_outputs(catalogue: Catalogue, keep: str | Sequence[str] | None) -> tuple[str, ...]:
    """Resolve a keep specification: None or "all", group names and/or output names."""
    if keep is None or keep == "all":
        return tuple(catalogue)
    items = [keep] if isinstance(keep, str) else list(keep)
    chosen: list[str] = []
    for item in items:
        for part in str(item).split(","):
            part = part.strip()
            if part in GROUPS:
                chosen += [o.name for o in catalogue.values() if o.group == part]
            elif part in catalogue:
                chosen.append(part)
            elif part:
                raise ParameterError(
                    "keep", "simulate", f"'all', a group {list(GROUPS)} or an output {list(catalogue)}", part
                )
    return tuple(dict.fromkeys(chosen))


def bounds_text(out: Output) -> str:
    """An output's valid range in words."""
    if out.high is not None:
        return f"within [{out.low}, {out.high}]"
    return f">= {out.low}" if out.low is not None else "finite"


def check_records(catalogue: Catalogue, records: Mapping[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Flag runs with a non-finite value or a value outside its output's bounds.

    ``records`` hold (years, runs, …) arrays. Returns per run the status (0 ok, else 1 + the catalogue index of the
    first failing output in the first failing year) and that year's index (−1 if none).
    Outputs that were not recorded are not checked.

    One pass per float output: a comparison with NaN is false, so ``lo <= v <= hi`` (with
    ``hi = inf`` where there is no upper bound, and ``v < inf`` then) rejects NaN and ±inf too.
    Integer outputs are 0/1 indicators, counts and codes built from comparisons.
    """
    Y, runs = next(iter(records.values())).shape[:2]
    status = np.zeros(runs, np.int8)
    fail_year = np.full(runs, -1, np.int32)
    for code, name in enumerate(catalogue, start=1):
        if name not in records:
            continue
        out = catalogue[name]
        v = records[name]
        if v.dtype.kind != "f":
            continue
        lo = -np.inf if out.low is None else out.low - 1e-4
        ok = v >= lo
        ok &= (v <= out.high + 1e-4) if out.high is not None else (v < np.inf)
        ok_yr = ok.reshape(Y, runs, -1).all(axis=2)
        if ok_yr.all():
            continue
        bad_yr = ~ok_yr
        first_bad = np.where(bad_yr.any(axis=0), bad_yr.argmax(axis=0), -1)
        new = (first_bad >= 0) & ((status == 0) | (first_bad < fail_year))
        status[new] = code
        fail_year[new] = first_bad[new]
    return status, fail_year
