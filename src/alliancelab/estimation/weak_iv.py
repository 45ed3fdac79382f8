"""Inference on stage 2 that stays valid when its instruments are weak.

NOR's 2SLS instruments lagged spending (ln milex_{t−1}) with the threat and ln GDP lagged one
and two years; on alliancelab's panel the cluster-robust first-stage F is about 5.5, below
Staiger & Stock's 10, so the 2SLS standard errors cannot be trusted. The Anderson–Rubin (1949)
test needs no first stage: under H₀: ρ = ρ₀, the excluded instruments have no place in the
regression of ln milex_t − ρ₀ ln milex_{t−1} on the included regressors and the instruments, and
a cluster-robust Wald test of their coefficients is valid whatever the instruments' strength
(Chernozhukov & Hansen 2008, "The reduced form: A simple approach to inference with weak
instruments", *Economics Letters* 100(1): 68–71). Inverting it over a grid of ρ₀ gives the AR
confidence set, which may be wide, disjoint or unbounded, and says so.

The threat effect β is an included regressor, so its weak-IV-robust interval is a projection:
for each ρ₀ in the AR set the ordinary least-squares interval of β in the regression of
ln milex_t − ρ₀ ln milex_{t−1} on the included regressors, their union over the set (conservative:
a level of at least 1 − α − α', Chaudhuri & Zivot 2011's Bonferroni argument). The regressions
are linearmodels' ``IV2SLS`` without endogenous terms, errors clustered by state.

With one endogenous regressor the Kleibergen–Paap (2006) rk Wald F equals the cluster-robust
Wald F of the excluded instruments in the first stage, which :func:`estimate_spending` reports.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import chi2, norm

__all__ = ["INSTRUMENTS", "RHO_GRID", "WeakIVRobust", "anderson_rubin"]

#: NOR's excluded instruments for ln milex_{t−1}.
INSTRUMENTS = ("threat_lag1", "threat_lag2", "ln_gdp_lag1", "ln_gdp_lag2")
#: The values of the persistence ρ₀ tested first (a set touching an end is reported as unbounded
#: there); the set's edges are then located between them by bisection.
RHO_GRID = np.round(np.arange(-0.5, 1.5001, 0.05), 4)


@dataclass(frozen=True)
class WeakIVRobust:
    """The AR confidence set of ρ and the projected interval of the threat effect β."""

    level: float
    #: rho, ar_stat, p_value, beta (OLS at ρ₀), beta_low, beta_high (at the level)
    grid: pd.DataFrame

    @property
    def accepted(self) -> pd.DataFrame:
        return self.grid[self.grid["p_value"] > 1 - self.level]

    def rho_set(self) -> list[tuple[float, float]]:
        """The accepted ρ₀ as intervals of the grid (adjacent points joined)."""
        acc = self.grid["p_value"].to_numpy() > 1 - self.level
        rho = self.grid["rho"].to_numpy()
        out, begin = [], None
        for k, ok in enumerate(acc):
            if ok and begin is None:
                begin = k
            if begin is not None and (not ok or k == len(acc) - 1):
                last = k if ok else k - 1
                out.append((float(rho[begin]), float(rho[last])))
                begin = None
        return out

    @property
    def bounded(self) -> bool:
        """Whether the set stays inside the grid (an end reached means it may go on beyond)."""
        acc = self.accepted
        rho = self.grid["rho"]
        return bool(len(acc)) and acc["rho"].min() > rho.min() and acc["rho"].max() < rho.max()

    def beta_interval(self) -> tuple[float, float]:
        """The projection: the union of β's intervals over the accepted ρ₀ (NaN: an empty set)."""
        acc = self.accepted
        if acc.empty:
            return float("nan"), float("nan")
        return float(acc["beta_low"].min()), float(acc["beta_high"].max())

    def describe(self) -> str:
        sets = self.rho_set()
        if not sets:
            first, last = self.grid["rho"].min(), self.grid["rho"].max()
            return f"the Anderson-Rubin {100 * self.level:.0f} % set of the persistence is empty on {first}-{last}"
        spans = ", ".join(f"{a:.3f} to {b:.3f}" for a, b in sets)
        low, high = self.beta_interval()
        tail = "" if self.bounded else " (it reaches the grid's end: unbounded there)"
        return (
            f"weak-IV-robust (Anderson-Rubin, {100 * self.level:.0f} %): persistence in {spans}{tail}; "
            f"the threat coefficient, projected over that set, in {low:.3f} to {high:.3f}"
        )


def _ols(y: pd.Series, x: pd.DataFrame, clusters: pd.Series) -> tuple[pd.Series, pd.DataFrame]:
    from linearmodels.iv import IV2SLS

    res = IV2SLS(y, x, None, None).fit(cov_type="clustered", clusters=clusters)
    return res.params, res.cov


def _point(df: pd.DataFrame, rho: float, exog: list[str], z: float) -> dict[str, float]:
    """The AR statistic at ρ₀ = ``rho`` and the threat coefficient's interval given it."""
    y0 = df["ln_milex"] - rho * df["ln_milex_lag1"]
    b, v = _ols(y0, df[["const", *exog, *INSTRUMENTS]], df["ccode"])
    bz = b[list(INSTRUMENTS)].to_numpy()
    vz = v.loc[list(INSTRUMENTS), list(INSTRUMENTS)].to_numpy()
    stat = float(bz @ np.linalg.solve(vz, bz))
    b0, v0 = _ols(y0, df[["const", *exog]], df["ccode"])
    beta, se = float(b0["threat"]), float(np.sqrt(v0.loc[["threat"], ["threat"]].to_numpy()[0, 0]))
    return {
        "rho": float(rho),
        "ar_stat": stat,
        "p_value": float(chi2.sf(stat, len(INSTRUMENTS))),
        "beta": beta,
        "beta_low": beta - z * se,
        "beta_high": beta + z * se,
    }


def anderson_rubin(
    panel: pd.DataFrame, exog: list[str], level: float = 0.9, grid: np.ndarray = RHO_GRID, refine: int = 6
) -> WeakIVRobust:
    """Invert the cluster-robust Anderson–Rubin test of ρ over ``grid`` on the stage-2 ``panel``
    (:func:`alliancelab.estimation.spending.spending_panel`), with ``exog`` the included
    regressors (the threat first among them), and project the threat coefficient's interval.
    Each change between accepted and rejected neighbours of the grid is located by ``refine``
    bisections (to a 64th of the grid's step with 6), and the set's ends are those points."""
    df = panel.assign(const=1.0)
    z = float(norm.ppf(0.5 + level / 2))
    points = [_point(df, float(r), exog, z) for r in grid]
    cut = 1 - level
    for left, right in zip(list(points), list(points[1:]), strict=False):
        if (left["p_value"] > cut) == (right["p_value"] > cut):
            continue
        a, b = left, right
        for _ in range(refine):
            mid = _point(df, 0.5 * (a["rho"] + b["rho"]), exog, z)
            points.append(mid)
            if (mid["p_value"] > cut) == (a["p_value"] > cut):
                a = mid
            else:
                b = mid
    table = pd.DataFrame(points).sort_values("rho", ignore_index=True)
    return WeakIVRobust(level=level, grid=table)
