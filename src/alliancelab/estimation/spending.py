"""Stage 2: military spending on the threat environment (Nordhaus, Oneal & Russett 2012).

A state's threat in year t is the probability that it has a dispute with anyone,

    threat_it = 1 − Π_j (1 − p_ijt),

with p_ijt from the stage-1 onset model (covariates of t − 1, so the threat is ex ante). The
spending equation (NOR's design; their replicators' variable names in brackets):

    ln milex_it = ρ ln milex_i,t−1 + β threat_it + γ ln GDP_it + φ_f ln friends_it + φ_a ln foes_it
                  + δ democracy_it + κ conflict_it + c + e_it

with milex in constant 2011 US$ (COW NMC current dollars deflated by the U.S. price level), GDP
from Anders, Fariss & Markowitz (2020), friends = the summed spending of ATOP defence allies,
foes = of TSS strategic rivals, democracy = V-Dem polyarchy, conflict = in a fatal dispute this
year. Two estimators, both from linearmodels:

- ``iv``: NOR's 2SLS, ln milex_{t−1} instrumented by threat and ln GDP lagged one and two years,
  no country effects, errors clustered by state;
- ``fe``: country and year effects (within estimator, ``PanelOLS``), errors clustered by state;
  with T ≈ 50 years the Nickell bias of ρ is of order 1/T.

+1 percentage point of threat changes spending by 100 (e^{0.01 β} − 1) % in the year (short run)
and by 100 (e^{0.01 β / (1 − ρ)} − 1) % once the lag has worked through (long run); intervals
come from 20,000 draws of (β, ρ) from the estimates' normal distribution.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from alliancelab.data.cow import load_nmc
from alliancelab.data.mids import mid_dyad_years
from alliancelab.data.sources import load_atop, load_democracy, load_gdp_estimates, load_rivalries
from alliancelab.estimation.onset import EstimationError, OnsetFit, Outcome, fit_onset
from alliancelab.estimation.sample import MID_LAST_YEAR, PREDICTORS, conflict_dyad_years, us_price_level
from alliancelab.estimation.weak_iv import WeakIVRobust, anderson_rubin

__all__ = [
    "SpendingEstimates",
    "estimate_spending",
    "estimate_threat_response",
    "spending_panel",
    "state_threat",
    "threat_effects",
]

EXOG = ["threat", "ln_gdp", "ln_friends", "ln_foes", "democracy", "conflict"]
#: Panels spanning fewer years than this get a warning: below it the fixed-effects persistence's
#: Nickell (1981) bias (:func:`nickell_bias`) exceeds 0.2 in size at a persistence of 0.8.
SHORT_PANEL = 11
#: Staiger, D. & J. H. Stock (1997), "Instrumental Variables Regression with Weak Instruments",
#: Econometrica 65(3): 557-586: a first-stage F below 10 marks weak instruments.
WEAK_F = 10.0


def state_threat(fit: OnsetFit, sample: pd.DataFrame) -> pd.DataFrame:
    """``ccode``, ``year``, ``threat`` = 1 − Π_j (1 − p_ij) over the state's dyads with complete
    predictors, and ``dyads`` (how many entered). Ongoing-dispute years count: the threat is
    the chance of a new dispute, whatever the state is already in."""
    rows = sample[sample["complete"].to_numpy(bool)]
    p = np.clip(fit.predict(rows), 0.0, 1.0 - 1e-12)
    log_safe = np.log1p(-p)
    both = pd.concat(
        [
            pd.DataFrame({"ccode": rows["ccode1"].to_numpy(), "year": rows["year"].to_numpy(), "ls": log_safe}),
            pd.DataFrame({"ccode": rows["ccode2"].to_numpy(), "year": rows["year"].to_numpy(), "ls": log_safe}),
        ]
    )
    agg = both.groupby(["ccode", "year"], as_index=False).agg(ls=("ls", "sum"), dyads=("ls", "size"))
    agg["threat"] = -np.expm1(agg["ls"])
    return agg[["ccode", "year", "threat", "dyads"]]


def _real_milex() -> pd.DataFrame:
    nmc = load_nmc(6)[["ccode", "year", "milex"]].dropna()
    nmc = nmc.astype({"ccode": "int64", "year": "int64", "milex": float})
    price = us_price_level()
    nmc = nmc[(nmc["year"] >= 1914) & nmc["year"].isin(price.index)]
    nmc["milex_real"] = nmc["milex"] * 1000.0 / nmc["year"].map(price)
    return nmc[["ccode", "year", "milex_real"]]


def _partner_spending(milex: pd.DataFrame, pairs: pd.DataFrame, name: str) -> pd.DataFrame:
    """Summed real spending of each state's partners (``pairs``: ``ccode``, ``other``, ``year``)."""
    m = pairs.merge(milex.rename(columns={"ccode": "other"}), on=["other", "year"])
    out: pd.DataFrame = m.groupby(["ccode", "year"], as_index=False).agg(**{name: ("milex_real", "sum")})
    return out


def spending_panel(threat: pd.DataFrame, start: int = 1950, end: int = 2000) -> pd.DataFrame:
    """The stage-2 state-year panel, ``start``–``end``, with lags (rows lacking any are dropped)."""
    milex = _real_milex()
    gdp = load_gdp_estimates()[["ccode", "year", "gdp"]].dropna().astype({"ccode": "int64", "year": "int64"})
    dem = load_democracy()[["ccode", "year", "v2x_polyarchy"]].dropna().astype({"ccode": "int64", "year": "int64"})
    atop = load_atop("dyad_year")
    allies = atop[atop["atop_defense"] == 1][["ccode1", "ccode2", "year"]].astype("int64")
    allies = allies.rename(columns={"ccode1": "ccode", "ccode2": "other"}).drop_duplicates()
    riv = load_rivalries()[["ccode1", "ccode2", "start", "end"]].astype("int64")
    yrs = pd.DataFrame({"year": np.arange(start - 2, end + 1)})
    r = riv.merge(yrs, how="cross")
    r = r[(r["year"] >= r["start"]) & (r["year"] <= r["end"])]
    foes = pd.concat(
        [
            r[["ccode1", "ccode2", "year"]].set_axis(["ccode", "other", "year"], axis=1),
            r[["ccode2", "ccode1", "year"]].set_axis(["ccode", "other", "year"], axis=1),
        ]
    ).drop_duplicates()
    fatal = mid_dyad_years(start - 2, end)
    fatal = fatal[fatal["fatal_ongoing"] == 1]
    sides = [fatal[[f"ccode{k}", "year"]].set_axis(["ccode", "year"], axis=1) for k in (1, 2)]
    conflict = pd.concat(sides).drop_duplicates().assign(conflict=1)

    panel = milex.merge(gdp, on=["ccode", "year"]).merge(threat[["ccode", "year", "threat"]], on=["ccode", "year"])
    panel = panel.merge(dem.rename(columns={"v2x_polyarchy": "democracy"}), on=["ccode", "year"], how="left")
    panel = panel.merge(_partner_spending(milex, allies, "friends"), on=["ccode", "year"], how="left")
    panel = panel.merge(_partner_spending(milex, foes, "foes"), on=["ccode", "year"], how="left")
    panel = panel.merge(conflict, on=["ccode", "year"], how="left")
    panel[["friends", "foes", "conflict"]] = panel[["friends", "foes", "conflict"]].fillna(0.0)
    panel = panel[panel["milex_real"] > 0]
    panel["ln_milex"] = np.log(panel["milex_real"])
    panel["ln_gdp"] = np.log(panel["gdp"])
    panel["ln_friends"] = np.log1p(panel["friends"] / 1e6)  # US$ million, +1 so no allies is 0
    panel["ln_foes"] = np.log1p(panel["foes"] / 1e6)
    panel = panel.sort_values(["ccode", "year"])
    g = panel.groupby("ccode")
    for col, lag in (("ln_milex", 1), ("threat", 1), ("threat", 2), ("ln_gdp", 1), ("ln_gdp", 2)):
        shifted = g[col].shift(lag)
        # a lag counts only if it is really the year before (no gaps in membership or data)
        gap = g["year"].shift(lag) != panel["year"] - lag
        panel[f"{col}_lag{lag}"] = shifted.mask(gap)
    keep = panel["year"].between(start, end)
    cols = ["ln_milex", "ln_milex_lag1", *EXOG, "threat_lag1", "threat_lag2", "ln_gdp_lag1", "ln_gdp_lag2"]
    out = panel[keep].dropna(subset=cols)
    return out[["ccode", "year", *cols]].reset_index(drop=True)


@dataclass(frozen=True)
class SpendingEstimates:
    """Stage 2's results: a coefficient table per estimator and the threat effects."""

    table: pd.DataFrame  # estimator, term, coef, se
    effects: pd.DataFrame  # estimator, horizon, effect of +1 pp threat in %, 5 %, 95 %
    n: dict[str, int]
    states: int
    years: tuple[int, int]
    covariances: dict[str, list[list[float]]]  # estimator -> cov of (threat, ln_milex_lag1)
    full_covariances: dict[str, pd.DataFrame] = field(default_factory=dict)  # estimator -> cov of all terms
    #: the 2SLS first stage for ln milex(t-1): partial R² of the excluded instruments, their
    #: cluster-robust Wald statistic as an F (chi² / instruments) and the number of instruments
    first_stage: dict[str, float] = field(default_factory=dict)
    #: the weak-IV-robust Anderson–Rubin set of the persistence and the threat effect projected
    #: over it (:func:`alliancelab.estimation.weak_iv.anderson_rubin`), where asked for
    robust: WeakIVRobust | None = None

    @property
    def weak_instruments(self) -> bool:
        """The rule of thumb of Staiger & Stock (1997): a first-stage F below 10 is weak."""
        return bool(self.first_stage) and self.first_stage["f"] < WEAK_F

    def response(self, estimator: str = "iv") -> dict[str, object]:
        """What the engine's arms decision reads: β (threat), ρ (lagged spending), their
        covariance; every term's coefficient (``terms``, ``coef``) with the full covariance
        (``vcov``), from which the engine draws each run's response; and where they come from."""
        if estimator not in self.n:
            raise EstimationError(f"no estimator {estimator!r}; have {sorted(self.n)}")
        coef = self.table[self.table["estimator"] == estimator].set_index("term")["coef"].to_dict()
        out: dict[str, object] = {
            "estimator": estimator,
            "threat": float(coef["threat"]),
            "ln_milex_lag1": float(coef["ln_milex_lag1"]),
            "ln_gdp": float(coef["ln_gdp"]),
            "cov_threat_lag": self.covariances[estimator],
            "years": list(self.years),
            "n": self.n[estimator],
            "states": self.states,
        }
        if estimator in self.full_covariances:
            cov = self.full_covariances[estimator]
            out["terms"] = list(map(str, cov.index))
            out["coef"] = [float(coef[t]) for t in cov.index]
            out["vcov"] = cov.to_numpy(float).tolist()
        return out


def threat_effects(beta: float, rho: float, cov: np.ndarray, draws: int = 20_000, seed: int = 0) -> pd.DataFrame:
    """Percent change in spending from +1 pp of threat, short and long run, with 90 % intervals.

    ``cov`` is the 2×2 covariance of (β, ρ). Draws with ρ ≥ 1 (no long run) are set aside and
    counted in ``explosive_draws``."""
    rng = np.random.default_rng(seed)
    b, r = rng.multivariate_normal([beta, rho], cov, size=draws).T
    short = 100 * np.expm1(0.01 * b)
    stable = r < 1
    with np.errstate(over="ignore"):  # ρ just below 1: a long run beyond any float is +inf, as it should be
        long = 100 * np.expm1(0.01 * b[stable] / (1 - r[stable]))
    rows = [
        ("short run", 100 * np.expm1(0.01 * beta), *np.quantile(short, [0.05, 0.95])),
        ("long run", 100 * np.expm1(0.01 * beta / (1 - rho)) if rho < 1 else np.nan, *np.quantile(long, [0.05, 0.95])),
    ]
    out = pd.DataFrame(rows, columns=["horizon", "effect_pct", "low_pct", "high_pct"])
    out["explosive_draws"] = [0, int((~stable).sum())]
    return out


def nickell_bias(rho: float, periods: int) -> float:
    """The large-N limit of ρ̂ − ρ for the within (fixed-effects) estimator of a stationary AR(1)
    with country effects over ``periods`` periods (Nickell, S. (1981), "Biases in Dynamic Models
    with Fixed Effects", Econometrica 49(6): 1417-1426, eq. 18)::

        A = 1 − (1 − ρ^T) / (T (1 − ρ))
        bias = −(1 + ρ)/(T − 1) · A / (1 − 2ρ/((1 − ρ)(T − 1)) · A)
    """
    t = periods
    a = 1 - (1 - rho**t) / (t * (1 - rho))
    return float(-(1 + rho) / (t - 1) * a / (1 - 2 * rho / ((1 - rho) * (t - 1)) * a))


def estimate_spending(panel: pd.DataFrame, weak_iv: bool = False) -> SpendingEstimates:
    """Fit NOR's 2SLS and the two-way fixed-effects model on ``panel`` (from :func:`spending_panel`);
    ``weak_iv`` adds the Anderson–Rubin set and the projected threat interval (some seconds)."""
    from linearmodels.iv import IV2SLS
    from linearmodels.panel import PanelOLS

    if len(panel) < 50:
        raise EstimationError(f"the spending panel has {len(panel)} rows; too few to estimate")
    span = int(panel["year"].nunique())
    if span < SHORT_PANEL:
        warnings.warn(
            f"the spending panel spans {span} years: with a lagged dependent variable and country effects the "
            f"fixed-effects persistence is biased toward zero by a term of order 1/T (Nickell 1981: "
            f"{nickell_bias(0.8, span):+.2f} at a persistence of 0.8), and the long run with it; NOR's panel "
            "spans 1950-2000",
            stacklevel=2,
        )
    tables, effects, n, covs, full = [], [], {}, {}, {}
    df = panel.assign(const=1.0)
    iv = IV2SLS(
        df["ln_milex"],
        df[["const", *EXOG]],
        df[["ln_milex_lag1"]],
        df[["threat_lag1", "threat_lag2", "ln_gdp_lag1", "ln_gdp_lag2"]],
    ).fit(cov_type="clustered", clusters=df["ccode"])
    pdf = panel.set_index(["ccode", "year"])
    fe = PanelOLS(
        pdf["ln_milex"], pdf[["ln_milex_lag1", *EXOG]], entity_effects=True, time_effects=True, drop_absorbed=True
    ).fit(cov_type="clustered", cluster_entity=True)
    for name, res in (("iv", iv), ("fe", fe)):
        params, cov = res.params, res.cov
        tables.append(
            pd.DataFrame({"estimator": name, "term": params.index, "coef": params.values, "se": res.std_errors.values})
        )
        pair = ["threat", "ln_milex_lag1"]
        eff = threat_effects(float(params["threat"]), float(params["ln_milex_lag1"]), cov.loc[pair, pair].to_numpy())
        effects.append(eff.assign(estimator=name))
        n[name] = int(res.nobs)
        covs[name] = cov.loc[pair, pair].to_numpy().tolist()
        full[name] = cov.copy()
    years = (int(panel["year"].min()), int(panel["year"].max()))
    fitted: Any = iv  # linearmodels' IV results carry the first stage
    diag = fitted.first_stage.diagnostics.loc["ln_milex_lag1"]
    instruments = 4
    first = {
        "partial_r2": float(diag["partial.rsquared"]),
        "f": float(diag["f.stat"]) / instruments,
        "instruments": float(instruments),
    }
    return SpendingEstimates(
        table=pd.concat(tables, ignore_index=True),
        effects=pd.concat(effects, ignore_index=True)[
            ["estimator", "horizon", "effect_pct", "low_pct", "high_pct", "explosive_draws"]
        ],
        n=n,
        states=int(panel["ccode"].nunique()),
        years=years,
        covariances=covs,
        full_covariances=full,
        first_stage=first,
        robust=anderson_rubin(panel, EXOG) if weak_iv else None,
    )


def estimate_threat_response(
    start: int = 1950,
    end: int = 2000,
    outcome: Outcome = "onset",
    splines: bool = True,
    onset_years: tuple[int, int] = (1950, MID_LAST_YEAR),
    sample: pd.DataFrame | None = None,
    progress: Callable[[str], None] | None = None,
    weak_iv: bool = False,
) -> tuple[SpendingEstimates, OnsetFit]:
    """Both stages for the spending equation: fit the onset model on ``onset_years`` (pooled, as
    NOR do), aggregate it into each state's threat, and estimate spending ``start``–``end``."""
    say = progress or (lambda _msg: None)
    if not (onset_years[0] <= start <= end <= onset_years[1]):
        raise EstimationError(
            f"the spending years {start}-{end} must lie inside the onset model's {onset_years[0]}-{onset_years[1]}"
        )
    if end <= start:  # the equation's lag leaves nothing of a one-year panel (a short one is warned of)
        raise EstimationError(
            f"the spending years {start}-{end} are one year; the dynamic panel needs at least 2 (a lag)"
        )
    if sample is None:
        say(f"building dyad-years {onset_years[0]}-{onset_years[1]}")
        sample = conflict_dyad_years(*onset_years)
    say(f"fitting the {outcome} logit on {onset_years[0]}-{onset_years[1]}")
    predictors = PREDICTORS if splines else tuple(p for p in PREDICTORS if p != "peace_years")
    fit = fit_onset(sample, outcome, onset_years, predictors=predictors, splines=splines)
    say("aggregating dyadic probabilities into each state's threat")
    threat = state_threat(fit, sample)
    say(f"estimating the spending equation on {start}-{end}")
    return estimate_spending(spending_panel(threat, start, end), weak_iv=weak_iv), fit
