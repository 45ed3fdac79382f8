"""Calibration of the engine's behavioural parameters to history, and an out-of-sample backtest.

**Objective.** For a training period ``start``–``end``, the scenario built from data for
``start`` with the period's shocks (:func:`~alliancelab.experiments.history.history_scenario`) is
run as an ensemble of ``runs`` runs on a fixed seed (common random numbers make the objective a
smooth function of the parameters). For every state i with SIPRI data and every year t after
its base year t0 (the start, or the first comparable year after a series break)::

    e_it = log(median_r sim_it / sim_i,t0) − log(obs_it / obs_i,t0)
    J(θ) = mean over (i, t) of e_it²

— the mean squared error of log growth since the base year, which compares the model's
dynamics with SIPRI's constant-dollar series without needing the two in one currency unit.

**Optimiser.** Nelder–Mead (scipy.optimize.minimize) on the parameters rescaled to [0, 1] within
their bounds, from the current values (Nelder & Mead 1965, "A simplex method for function
minimization", Computer Journal 7: 308-313; bounds as in scipy ≥ 1.7).

**Backtest.** Calibrate on the training period; build the scenario from data for its last year
(nothing later is used: no growth or events after it), run it to the end of the test period and
score the median forecast, ``obs_i,train_end × sim_it / sim_i,train_end``, against the observed
series (SIPRI or COW NMC), beside four baselines on the same years: persistence (the last
training value), a linear trend (least squares line through the training years' levels, floored
at 1 % of the last value; persistence where fewer than 2 years are comparable), a per-state
AR(1) in logs with a constant (statsmodels ``AutoReg`` on the training years, iterated forward
from the last training value; persistence where fewer than 6 years are comparable) and a fixed
share of GDP (the same engine and scenario with the ``arms`` mechanism off and no growth shocks:
spending grows with the projected GDP, so the model beats it only where its behaviour adds
something). Scores:
MAPE, 100 × mean |f − o| / o, and mean absolute log error, mean |log f − log o|, per state and
over all state-years; and the share of the observed state-years inside the model's 10-90 % band
(about 80 % where the ensemble's spread is honest).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from alliancelab.errors import CalibrationError, ParameterError
from alliancelab.experiments.history import SPENDING_SOURCES, history_scenario, observed_milex, require_recorded
from alliancelab.experiments.probabilistic import (
    ar1_ensemble,
    crps_verdict,
    noisy_fixed_share,
    probabilistic_scores,
    state_year_scores,
)
from alliancelab.models.order.compile import compile_scenario
from alliancelab.models.order.estimated import spending_response
from alliancelab.models.order.params import Params
from alliancelab.models.order.simulate import run_rows
from alliancelab.scenario.model import Scenario

__all__ = [
    "BASELINES",
    "BASELINE_NAMES",
    "CALIBRATED",
    "Backtest",
    "Calibration",
    "CalibrationError",
    "backtest",
    "backtest_fit_end",
    "calibrate",
    "comparison",
    "objective",
]


#: The backtest's baselines, as they appear in its tables.
BASELINES = ("persistence", "trend", "ar1", "fixed_share")
#: How the verdict and tables name each baseline.
BASELINE_NAMES = {
    "persistence": "persistence",
    "trend": "the linear trend",
    "ar1": "a per-state AR(1)",
    "fixed_share": "a fixed share of GDP",
}

#: The parameters fitted by default, with the bounds the search stays in.
CALIBRATED: dict[str, tuple[float, float]] = {
    "threat_reaction": (0.0, 3.0),
    "burden": (0.0, 2.0),
    "adjustment": (0.05, 1.0),
    "abandonment_reaction": (0.0, 0.1),
}


@dataclass
class Calibration:
    """The fitted parameters and how well they fit."""

    params: Params
    fitted: dict[str, float]
    start: int
    end: int
    objective_before: float
    objective_after: float
    evaluations: int
    per_state: pd.DataFrame  # actor, rmse_before, rmse_after, n
    path: pd.DataFrame  # actor, year, observed, model (indexed growth since the base year)
    states_left_out: list[str] = field(default_factory=list)
    source: str = "SIPRI"

    def provenance(self) -> dict[str, Any]:
        return {
            "summary": f"calibrated to {self.source} military spending {self.start}-{self.end}: log-growth RMSE "
            f"{np.sqrt(self.objective_before):.3f} -> {np.sqrt(self.objective_after):.3f}",
            "objective": "mean squared error of log growth since the base year (docs/experiments.md)",
            "period": [self.start, self.end],
            "objective_before": self.objective_before,
            "objective_after": self.objective_after,
            "evaluations": self.evaluations,
            "fitted": self.fitted,
            "created": dt.date.today().isoformat(),
        }


class _Target:
    """The observed log growth, laid out like the model's (years × actors), with a mask."""

    def __init__(self, sc: Scenario, start: int, end: int, obs: pd.DataFrame) -> None:
        obs = obs[obs["year"].between(start, end)]
        ids = [a.id for a in sc.actor]
        years = np.arange(start, end + 1)
        table = obs.pivot_table(index="year", columns="actor", values="milex").reindex(index=years, columns=ids)
        base_year = obs.groupby("actor")["comparable_from"].first().reindex(ids)
        self.ids, self.years = ids, years
        self.base = np.zeros(len(ids), dtype=np.intp)
        self.log_obs = np.full((len(years), len(ids)), np.nan)
        self.left_out: list[str] = []
        for k, a in enumerate(ids):
            col = table[a].to_numpy(dtype=float)
            first = base_year.get(a)
            ok = np.flatnonzero(np.isfinite(col) & (years >= (first if pd.notna(first) else start)))
            if len(ok) < 2:
                self.left_out.append(a)
                continue
            b = ok[0]
            self.base[k] = b
            self.log_obs[:, k] = np.log(col / col[b])
            self.log_obs[: b + 1, k] = np.nan  # compare only after the base year
        self.mask = np.isfinite(self.log_obs)

    def errors(self, milex: np.ndarray) -> np.ndarray:
        """e_it for the model's median path ``milex`` (years, actors)."""
        base = milex[self.base, np.arange(len(self.ids))]
        return np.asarray(np.log(milex / base) - self.log_obs)


def _median_milex(sc: Scenario, p: Params, years: int, runs: int, seed: int) -> np.ndarray:
    c = compile_scenario(sc, p, years)
    rec, status, _ = run_rows(c, p, seed, runs, ("milex",))
    m = rec["milex"].astype(np.float64)
    m[:, status != 0] = np.nan
    if (status != 0).all():
        return np.full(m.shape[::2], np.inf)
    return np.asarray(np.nanmedian(m, axis=1))


def _errors(sc: Scenario, p: Params, target: _Target, runs: int, seed: int) -> np.ndarray:
    """e_it of the median run (years, actors); NaN where there is no observation."""
    milex = _median_milex(sc, p, len(target.years), runs, seed)
    if not np.isfinite(milex).all():  # every run failed: no path to score
        return np.full(milex.shape, np.inf)
    return target.errors(np.maximum(milex, 1.0))


def _mse(errors: np.ndarray, target: _Target) -> float:
    e = errors[target.mask]
    return float(np.mean(e**2)) if np.isfinite(e).all() else float("inf")


def objective(sc: Scenario, p: Params, target: _Target, runs: int, seed: int) -> float:
    """J(θ): mean squared log-growth error (see the module docstring)."""
    return _mse(_errors(sc, p, target, runs, seed), target)


def calibrate(
    start: int = 1990,
    end: int = 2005,
    *,
    params: Params | None = None,
    names: tuple[str, ...] = tuple(CALIBRATED),
    runs: int = 32,
    seed: int = 0,
    max_evaluations: int = 200,
    region: str = "asia-pacific",
    source: str = "sipri",
    observed: pd.DataFrame | None = None,
    progress: Callable[[int, float], None] | None = None,
) -> Calibration:
    """Fit ``names`` (of :data:`CALIBRATED`) to military spending over ``start``–``end``.

    ``source``: "sipri" (constant 2022 US$) or "cow" (COW NMC, current US$: inflation counts as
    growth, so prefer SIPRI where it has data). ``observed`` replaces either with your own table
    (``actor``, ``year``, ``milex``, ``comparable_from``).
    """
    from scipy.optimize import minimize

    if end - start < 3:
        raise ParameterError("end", "calibrate", f"at least 3 years after start ({start})", end)
    if observed is None:
        require_recorded(source, end, "calibrate", "end")
    unknown = [n for n in names if n not in CALIBRATED]
    if unknown:
        raise ParameterError("names", "calibrate", f"names among {list(CALIBRATED)}", unknown)
    # the calibrated names are the illustrative equations' free parameters; the estimated
    # equations take their coefficients from `alliancelab estimate` (docs/estimation.md)
    base = (params or Params()).model_copy(update={"equations": "illustrative"})
    sc = history_scenario(start, end, region=region)
    target = _Target(sc, start, end, observed if observed is not None else observed_milex(sc, start, end, source))
    lo = np.array([CALIBRATED[n][0] for n in names])
    hi = np.array([CALIBRATED[n][1] for n in names])

    def at(u: np.ndarray) -> Params:
        x = lo + np.clip(u, 0, 1) * (hi - lo)
        return Params.model_validate({**base.model_dump(), **dict(zip(names, x.tolist(), strict=True))})

    count = 0

    def f(u: np.ndarray) -> float:
        nonlocal count
        count += 1
        j = objective(sc, at(u), target, runs, seed)
        if progress is not None:
            progress(count, j)
        return j

    u0 = np.clip((np.array([getattr(base, n) for n in names]) - lo) / (hi - lo), 0, 1)
    e_before = _errors(sc, base, target, runs, seed)
    before = _mse(e_before, target)
    res = minimize(
        f,
        u0,
        method="Nelder-Mead",
        bounds=[(0.0, 1.0)] * len(names),
        options={"maxfev": max_evaluations, "xatol": 1e-3, "fatol": 1e-6, "initial_simplex": _simplex(u0)},
    )
    best = at(res.x) if res.fun < before else base
    e_after = _errors(sc, best, target, runs, seed)
    after = _mse(e_after, target)
    if not np.isfinite(after):
        why = (
            f"calibration {start}-{end} failed: the objective is not finite at the start or at any of the "
            f"{count + 1} points tried (every run of the history scenario failed, or a state's modelled "
            f"spending is not positive)"
        )
        raise CalibrationError(
            f"{why}. Try another period or check it with scenario_from_data({start}) and simulate.",
            command_line=f"{why}. Try another period or check it with `alliancelab scenario from-data "
            f"--year {start}` and `alliancelab run`.",
        )
    return Calibration(
        params=best,
        fitted={n: float(getattr(best, n)) for n in names},
        start=start,
        end=end,
        objective_before=before,
        objective_after=after,
        evaluations=count + 1,
        per_state=_per_state(e_before, e_after, target),
        path=_path(e_after, target),
        states_left_out=target.left_out,
        source=SPENDING_SOURCES[source].name if observed is None else "user data",
    )


def _simplex(u0: np.ndarray) -> np.ndarray:
    """A starting simplex of steps of 0.25 (a quarter of each range), inward from the bounds."""
    pts = [u0]
    for k in range(len(u0)):
        v = u0.copy()
        v[k] = v[k] + 0.25 if v[k] + 0.25 <= 1 else v[k] - 0.25
        pts.append(v)
    return np.array(pts)


def _per_state(eb: np.ndarray, ea: np.ndarray, t: _Target) -> pd.DataFrame:
    """RMSE of log growth per state, before (``eb``) and after (``ea``) the fit."""
    rows = []
    for k, a in enumerate(t.ids):
        m = t.mask[:, k]
        if m.any():
            rmse_b, rmse_a = (float(np.sqrt(np.mean(e[m, k] ** 2))) for e in (eb, ea))
            rows.append((a, rmse_b, rmse_a, int(m.sum())))
    return pd.DataFrame(rows, columns=["actor", "rmse_before", "rmse_after", "n"])


def _path(errors: np.ndarray, t: _Target) -> pd.DataFrame:
    """Observed and modelled growth since the base year, from the fitted errors."""
    rows = [
        (a, int(y), float(np.exp(t.log_obs[i, k])), float(np.exp(t.log_obs[i, k] + errors[i, k])))
        for k, a in enumerate(t.ids)
        for i, y in enumerate(t.years)
        if t.mask[i, k]
    ]
    return pd.DataFrame(rows, columns=["actor", "year", "observed_growth", "model_growth"])


def comparison(model: float, baseline: float, tie: float = 0.005) -> str:
    """ "beats", "ties with" or "loses to": errors within ``tie`` of each other are a tie.

    >>> comparison(0.205, 0.203), comparison(0.150, 0.203), comparison(0.219, 0.164)
    ('ties with', 'beats', 'loses to')
    """
    if abs(model - baseline) <= tie:
        return "ties with"
    return "beats" if model < baseline else "loses to"


@dataclass
class Backtest:
    """Out-of-sample scores of the calibrated model and the two baselines."""

    calibration: Calibration | None  # None: the estimated equations, nothing fitted to the training years
    scores: pd.DataFrame  # actor (and "all"), n, MAPE and log error of the model and each baseline
    forecasts: pd.DataFrame  # actor, year, observed, model (median), persistence, trend, ar1, fixed_share
    bands: pd.DataFrame  # actor, year, q10, q50, q90 (constant 2022 US$)
    observed: pd.DataFrame  # actor, year, milex over the whole span
    train: tuple[int, int]
    test: tuple[int, int]
    names: dict[str, str] = field(default_factory=dict)  # each state's name by id
    source: str = "sipri"  # the observed series (a key of SPENDING_SOURCES)
    #: CRPS and 80 % interval score on log spending by horizon: the engine, the noisy fixed share,
    #: the AR(1) (:mod:`alliancelab.experiments.probabilistic`), and the same per state-year
    probabilistic: pd.DataFrame = field(default_factory=pd.DataFrame)
    state_year_scores: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: the last year of the stage-1 fit the engine's hazard read (None: the illustrative hazard)
    fit_end: int | None = None

    def verdict(self, tie: float = 0.005) -> list[str]:
        """Plain sentences on where the model wins and loses against each baseline; states whose mean
        absolute log errors differ by less than ``tie`` count as ties."""
        s = self.scores.set_index("actor")
        states = s.drop(index="all")
        overall = s.loc["all"]
        lines = []
        names = BASELINE_NAMES
        for base in BASELINES:
            diff = states["model_log_error"] - states[f"{base}_log_error"]
            worse, ties = states.index[diff > tie].tolist(), states.index[diff.abs() <= tie].tolist()
            errors = overall.to_dict()
            verb = comparison(float(errors["model_log_error"]), float(errors[f"{base}_log_error"]), tie)
            line = (
                f"Overall the model {verb} {names[base]} (mean absolute log error {overall['model_log_error']:.3f} vs "
                f"{overall[f'{base}_log_error']:.3f}; MAPE {overall['model_mape']:.1f} % vs "
                f"{overall[f'{base}_mape']:.1f} %). It loses to {names[base]} in {len(worse)} of {len(states)} states"
                + (f" ({', '.join(worse)})" if worse else "")
            )
            line += f" and ties in {len(ties)} ({', '.join(ties)})." if ties else "."
            lines.append(line)
        if "model_band_coverage" in s:
            totals = overall.to_dict()
            cover, n = float(totals["model_band_coverage"]), int(totals["n"])
            lines.append(
                f"The model's 10-90 % band holds {100 * cover:.0f} % of the {n} observed state-years "
                "(an honest spread holds about 80 %; less: the ensemble is too sure of itself)."
            )
        if len(self.probabilistic):
            lines.append(crps_verdict(self.probabilistic))
        if self.fit_end is not None:
            first = self.test[0]
            lines.append(
                f"Stage-1 fit: 1950-{self.fit_end}, "
                + (
                    f"so the forecast years {first}-{self.test[1]} are out of sample for the crisis hazard."
                    if self.fit_end < first
                    else f"which has seen the dispute record of {first}-{self.fit_end}: in sample for those years "
                    "(no packaged fit ends before the forecast starts)."
                )
            )
        return lines


def backtest_fit_end(forecast_start: int) -> int:
    """The packaged stage-1 fit a forecast from ``forecast_start`` reads by default: the latest
    that ends before it (out of sample), else the earliest there is (in sample for its overlap,
    and the backtest says so)."""
    from alliancelab.models.order.estimated import FITS

    before = [e for e in FITS if e < forecast_start]
    return max(before) if before else min(FITS)


def backtest(
    train: tuple[int, int] = (1990, 2005),
    test_end: int = 2023,
    *,
    runs: int = 200,
    calibration_runs: int = 32,
    seed: int = 0,
    max_evaluations: int = 200,
    region: str = "asia-pacific",
    params: Params | None = None,
    source: str = "sipri",
    progress: Callable[[int, float], None] | None = None,
    fit_end: int | None = None,
) -> Backtest:
    """Calibrate on ``train``, forecast ``train[1] + 1``–``test_end`` blind, score against baselines.

    With the estimated equations (``params.equations == "estimated"``, the default set) nothing is
    fitted to the training years: the coefficients come from ``alliancelab estimate`` (stage 2 on
    1952–2000), and the training years only give the trend and AR(1) baselines. The crisis
    hazard reads the packaged stage-1 fit ending in ``fit_end``; by default the latest that ends
    before the forecast starts (:func:`backtest_fit_end`: 1950–2000 for a forecast from 2006), so
    the forecast years are out of sample for it; the verdict says which fit was read.

    ``source``: "sipri" (constant 2022 US$, 1949–2023) or "cow" (COW NMC 6.0, current US$, to
    2016: the longer series, in which inflation counts as growth).
    """
    from alliancelab.models.order.simulate import simulate

    start, end = train
    if end - start < 3:  # as calibrate: the trend and AR(1) baselines need a training series
        raise ParameterError("train_end", "backtest", f"at least 3 years after the training start ({start})", end)
    if test_end <= end:
        raise ParameterError("test_end", "backtest", f"a year after the training period's end ({end})", test_end)
    require_recorded(source, test_end, "backtest", "test_end")
    chosen = params or Params()
    if fit_end is None:
        fit_end = backtest_fit_end(end + 1)
    from alliancelab.models.order.estimated import FITS

    if fit_end not in FITS:
        raise ParameterError("fit_end", "backtest", f"one of the packaged fits' last years {sorted(FITS)}", fit_end)
    if chosen.equations == "estimated":
        chosen = chosen.model_copy(update={"hazard_fit_end": fit_end})
    cal: Calibration | None = None
    if chosen.equations == "illustrative":
        cal = calibrate(
            start,
            end,
            params=chosen,
            runs=calibration_runs,
            seed=seed,
            max_evaluations=max_evaluations,
            region=region,
            source=source,
            progress=progress,
        )
        chosen = cal.params
    sc = history_scenario(end, end, region=region)  # the forecast's start: data up to `end` only
    horizon = test_end - end + 1
    ds = simulate(sc, runs=runs, years=horizon, seed=seed, params=chosen, keep=["milex", "gdp"], throw=False)
    milex = ds["milex"].where(ds["status"] == 0)
    fixed = simulate(sc, runs=runs, years=horizon, seed=seed, params=_fixed_share(chosen), keep=["milex"])
    fixed_median = fixed["milex"].median("run")
    observed = observed_milex(sc, start, test_end, source)
    last = observed[observed["year"] == end].set_index("actor")["milex"]
    quant = milex.quantile([0.1, 0.5, 0.9], dim="run")
    rows, frows, prows = [], [], []
    rho = float(spending_response()["ln_milex_lag1"])  # type: ignore[arg-type]
    for k, a in enumerate(sc.actor_ids):
        if a not in last.index:
            continue
        scale = float(last[a]) / float(milex.sel(actor=a, year=end).median())
        fixed_scale = float(last[a]) / float(fixed_median.sel(actor=a, year=end))
        for y in range(end, test_end + 1):
            q = quant.sel(actor=a, year=y).values * scale
            rows.append((a, y, *map(float, q)))
        hist = observed[(observed["actor"] == a) & observed["year"].between(start, end)]
        hist = hist[hist["year"] >= hist["comparable_from"]]
        slope, icpt = np.polyfit(hist["year"], hist["milex"], 1) if len(hist) >= 2 else (0.0, float(last[a]))
        ar1 = _ar1_forecast(hist.sort_values("year")["milex"].to_numpy(float), float(last[a]), end, test_end)
        ensembles = _ensembles(
            ds, milex, a, scale, float(last[a]), hist.sort_values("year")["milex"].to_numpy(float),
            rho, _volatility(sc, a, chosen), np.random.default_rng([seed, k]),
        )  # fmt: skip
        for y in range(end + 1, test_end + 1):
            o = observed[(observed["actor"] == a) & (observed["year"] == y)]["milex"]
            if o.empty:
                continue
            trend = max(icpt + slope * y, 0.01 * float(last[a]))
            low, model, high = (float(v) * scale for v in quant.sel(actor=a, year=y).values)
            share = float(fixed_median.sel(actor=a, year=y)) * fixed_scale
            frows.append((a, y, float(o.iloc[0]), model, float(last[a]), trend, ar1[y], share, low, high))
            h = y - end
            at_h = {name: ens[:, h - 1] for name, ens in ensembles.items()}
            prows.append({"actor": a, "year": y, "horizon": h, **state_year_scores(np.log(float(o.iloc[0])), at_h)})
    if not frows:
        raise ParameterError(
            "train_end", "backtest", f"a year in which a state has a {SPENDING_SOURCES[source].name} figure "
            f"and later figures to {test_end} to score", end
        )  # fmt: skip
    bands = pd.DataFrame(rows, columns=["actor", "year", "q10", "q50", "q90"])
    forecasts = pd.DataFrame(
        frows, columns=["actor", "year", "observed", "model", *BASELINES, "model_q10", "model_q90"]
    )
    return Backtest(
        fit_end=fit_end if chosen.equations == "estimated" else None,
        calibration=cal,
        scores=_scores(forecasts).assign(model_band_coverage=_band_coverage(forecasts)),
        probabilistic=probabilistic_scores(pd.DataFrame(prows), seed=seed),
        state_year_scores=pd.DataFrame(prows),
        forecasts=forecasts,
        bands=bands,
        observed=observed[observed["year"] >= observed["comparable_from"]]
        .sort_values(["actor", "year"])[["actor", "year", "milex"]]
        .reset_index(drop=True),
        train=train,
        test=(end + 1, test_end),
        names={a.id: a.name for a in sc.actor},
        source=source,
    )


def _volatility(sc: Scenario, actor: str, p: Params) -> float:
    """The s.d. of the state's yearly spending residual, as the engine draws it: its own
    volatility where the scenario gives one, else the parameter set's."""
    own = next(x.volatility for x in sc.actor if x.id == actor)
    return float(own) if own is not None else float(p.spending_residual)


def _ensembles(
    ds: Any,
    milex: Any,
    actor: str,
    scale: float,
    last: float,
    history: np.ndarray,
    rho: float,
    sigma: float,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    """Log spending ensembles (runs × horizon, from the first forecast year) of the engine, the
    fixed share carrying the engine's noise and the AR(1) with its residual."""
    model = np.log(milex.sel(actor=actor).to_numpy()[:, 1:] * scale)
    gdp = ds["gdp"].sel(actor=actor).to_numpy()
    fixed = noisy_fixed_share(last, gdp, rho, sigma, rng)
    steps = model.shape[1]
    return {"model": model, "fixed_noisy": fixed, "ar1": ar1_ensemble(history, last, steps, len(gdp), rng)}


def _ar1_forecast(history: np.ndarray, last: float, end: int, test_end: int) -> dict[int, float]:
    """Forecasts ``end + 1``–``test_end`` of ln m_t = c + φ ln m_{t−1} + e fitted on ``history``
    (statsmodels ``AutoReg``), iterated from ``last``; persistence with fewer than 6 years."""
    years = range(end + 1, test_end + 1)
    if len(history) < 6 or not (history > 0).all():
        return dict.fromkeys(years, last)
    from statsmodels.tsa.ar_model import AutoReg

    c, phi = AutoReg(np.log(history), lags=1, trend="c").fit().params
    out, level = {}, np.log(last)
    for y in years:
        level = c + phi * level
        out[y] = float(np.exp(level))
    return out


def _fixed_share(p: Params) -> Params:
    """``p`` with the arms decisions off and GDP on its projected path (no growth shocks or
    deviations): every state keeps its start share of the projected GDP, a point forecast."""
    mech = p.mechanisms.model_copy(update={"arms": False})
    return p.model_copy(update={"mechanisms": mech, "growth_noise": 0.0, "growth_drift": 0.0})


def _band_coverage(f: pd.DataFrame) -> list[float]:
    """The share of observed state-years inside the model's 10-90 % band, per state (in the
    order of :func:`_scores`) and over all: about 0.8 where the ensemble's spread is honest."""
    inside = (f["observed"] >= f["model_q10"]) & (f["observed"] <= f["model_q90"])
    per_state = inside.groupby(f["actor"], sort=False).mean()
    return [*map(float, per_state), float(inside.mean())]


def _scores(f: pd.DataFrame) -> pd.DataFrame:
    def score(g: pd.DataFrame) -> dict[str, float]:
        out: dict[str, float] = {"n": float(len(g))}
        for m in ("model", *BASELINES):
            out[f"{m}_mape"] = float(100 * np.mean(np.abs(g[m] - g["observed"]) / g["observed"]))
            out[f"{m}_log_error"] = float(np.mean(np.abs(np.log(g[m] / g["observed"]))))
        return out

    rows = [{"actor": a, **score(g)} for a, g in f.groupby("actor", sort=False)]
    rows.append({"actor": "all", **score(f)})
    out = pd.DataFrame(rows)
    out["n"] = out["n"].astype(int)
    return out
