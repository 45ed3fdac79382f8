"""A stage-1 fit run forward: each year's observed covariates, peace-years of its own making.

From a start year the fit knows only the start's dispute history, as the engine does: each
dyad's peace-years begin at their recorded value in the start year and are then counted by the
fit itself, reset to 0 in any year a history draws an onset (Beck, Katz & Tucker 1998's clock,
driven by the model instead of the record). Every other predictor takes its recorded value.

The linear predictor's static part (everything but peace-years and their splines) is computed
once per row; the peace-year terms are added per history, so a run over every dyad in the world
is a few array operations a year.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from alliancelab.errors import EstimationError
from alliancelab.estimation.onset import OnsetFit

__all__ = ["ForwardRun", "forward_onsets"]


@dataclass(frozen=True)
class ForwardRun:
    """The fit's forecasts per pair (``ids``, the rows' ``row`` values, sorted) and year."""

    ids: np.ndarray
    years: np.ndarray
    #: (pairs, years): the onset probability averaged over histories (NaN: no row that year)
    hazard: np.ndarray
    #: (pairs, years, draws) whether each history drew an onset (kept when asked for)
    onsets: np.ndarray | None

    @property
    def expected(self) -> pd.Series:
        """Expected onsets per pair over the years (each year's mean hazard, summed)."""
        return pd.Series(np.nansum(self.hazard, axis=1), index=self.ids)


def _static_and_peace(fit: OnsetFit, rows: pd.DataFrame) -> tuple[np.ndarray, float, np.ndarray]:
    """Each row's linear predictor without the peace-year terms, the peace-years coefficient
    and the spline coefficients."""
    X = fit.design(rows)
    b = np.asarray(fit.coef, dtype=float)
    names = list(fit.names)
    peace = [i for i, n in enumerate(names) if n == "peace_years" or n.startswith("peace_spline")]
    keep = np.ones(len(names), bool)
    keep[peace] = False
    static = X[:, keep] @ b[keep]
    b_py = float(b[names.index("peace_years")]) if "peace_years" in names else 0.0
    b_spl = np.array([b[i] for i, n in enumerate(names) if n.startswith("peace_spline")])
    return static, b_py, b_spl


def forward_onsets(
    fit: OnsetFit, rows: pd.DataFrame, start: int, draws: int, seed: int, keep_draws: bool = False
) -> ForwardRun:
    """Run ``fit`` forward from ``start`` over ``rows`` (dyad-years with a ``row`` column naming
    the pair, each predictor of the fit and ``peace_years``): ``draws`` histories per pair, the
    start year's recorded peace-years, then the fit's own. Each year's hazard is averaged over
    the histories, so only the histories are random; ``keep_draws`` keeps every history's onsets
    (for count forecasts)."""
    if draws < 1:
        raise EstimationError(f"draws must be at least 1; got {draws}")
    rows = rows.sort_values(["year", "row"])
    ids = np.sort(rows["row"].unique())
    years = np.sort(rows["year"].unique())
    if len(years) == 0 or years[0] != start:
        raise EstimationError(f"the rows must begin in the start year {start}; they begin in {years[:1]}")
    static, b_py, b_spl = _static_and_peace(fit, rows)
    splines = fit.splines
    rng = np.random.default_rng([seed, start])
    first = rows[rows["year"] == start].set_index("row")["peace_years"].reindex(ids).to_numpy(float)
    peace = np.repeat(first[:, None], draws, axis=1)
    hazard = np.full((len(ids), len(years)), np.nan)
    onsets = np.zeros((len(ids), len(years), draws), bool) if keep_draws else None
    pos = np.searchsorted(ids, rows["row"].to_numpy())
    year_of = rows["year"].to_numpy()
    for t, year in enumerate(years):
        now = year_of == year
        at = pos[now]
        py = peace[at]
        z = static[now][:, None] + b_py * py
        if splines is not None:
            z = z + (splines.basis(py.reshape(-1)) @ b_spl).reshape(py.shape)
        h = 1.0 / (1.0 + np.exp(-z))
        hazard[at, t] = h.mean(axis=1)
        onset = rng.random(h.shape) < h
        if onsets is not None:
            onsets[at, t] = onset
        peace[at] = np.where(onset, 0.0, py + 1.0)
    return ForwardRun(ids=ids, years=years, hazard=hazard, onsets=onsets)
