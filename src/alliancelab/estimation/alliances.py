"""The book's levers from history: U.S. presence, drawdowns, restraint and reassurance.

Four designs on the host-year record (``alliancelab estimate alliances``; docs/estimation.md):

a. **Presence and reliability → an ally's effort.** A two-way fixed-effects panel (host and year
   effects, ``linearmodels.PanelOLS``, errors clustered by host) of the military burden (SIPRI's
   share of GDP, in logs) on its own lag (NOR-style dynamics), U.S. presence (ln(1 + U.S.
   active-duty personnel per 1,000 inhabitants), troopdata), a U.S. defence pact (ATOP), their
   interaction and the pact's base provision — all four a year before — and the stage-1 threat,
   allies' and rivals' real spending, GDP and fatal disputes. Deployments follow threats; the
   design answers with the lag (presence is set before the year's burden), the threat control
   and host effects (a host's constant danger), not with an instrument: a residual correlation
   of deployments with this year's shocks is not removed, and the estimate is read as an
   association net of those controls.
b. **Drawdowns → abandonment.** An event study of the burden around large U.S. drawdowns
   (:func:`drawdown_episodes`: the rule is written there and applied worldwide), dated at the
   announcement where there was one, by local-projections difference-in-differences (Dube,
   Girardi, Jordà & Taylor 2023; ``pyfixest.lpdid``) against U.S. allies no episode touched,
   errors clustered by host; split by the host's stage-1 threat at the drawdown (above or below
   the episodes' median) — the book's conditional claim.
c. **Restraint** (claim 2). Stage 2's rivals' spending split by whether the rival is bound in a
   U.S. defence pact that year; states react less to a bound foe if φ_bound < φ_free.
d. **Reassurance** (claim 3). Rivals' spending interacted with the institutions the state
   shares with its rivals (COW IGO dyadic, shared full memberships in tens, averaged over its
   rivals); the reaction falls with shared institutions if the interaction is negative.

Each result carries a verdict in plain words: *supports* (the 90 % interval lies on the book's
side of zero), *contradicts* (on the other side) or *cannot tell* (it spans zero).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from alliancelab.data.cow import load_igos, load_nmc
from alliancelab.data.deployments import load_us_troops, us_defence_pacts
from alliancelab.data.sources import load_rivalries, load_sipri
from alliancelab.estimation.onset import EstimationError
from alliancelab.estimation.spending import EXOG, _real_milex, spending_panel

__all__ = [
    "ANNOUNCED",
    "AllianceEstimates",
    "drawdown_episodes",
    "estimate_alliances",
    "event_study",
    "host_panel",
    "presence_effect",
    "reassurance_effect",
    "restraint_effect",
    "verdict",
]

#: z for a two-sided 90 % interval
Z90 = 1.6449

#: Drawdowns dated at their announcement (host COW code, first year of the fall → announced):
#: the Guam (Nixon) doctrine of July 1969 for the 7th Division's withdrawal from South Korea,
#: Carter's withdrawal plan of 1977, the Philippine Senate's rejection of the bases treaty in
#: September 1991, and the 2004 realignment (the Global Posture Review, announced August 2004).
#: Keys are the episodes as the rule finds them (South Korea's fall starts in 1970, the
#: Philippines' in 1989 though the bases' end was decided in 1991; Carter's plan moved too few
#: troops for the rule and is kept should a looser rule find it).
ANNOUNCED: dict[tuple[int, int], int] = {(732, 1970): 1969, (732, 1978): 1977, (840, 1989): 1991, (732, 2005): 2004}

#: the drawdown rule: from at least this many U.S. personnel, …
DRAWDOWN_FROM = 1000
#: … a fall of at least this share …
DRAWDOWN_SHARE = 0.30
#: … within this many years; a host's next episode starts at least this many years later
DRAWDOWN_YEARS = 3
SEPARATION = 5


def verdict(low: float, high: float, book_sign: int) -> str:
    """Supports / contradicts / cannot tell: where the 90 % interval [low, high] lies against the
    sign the book expects (``book_sign`` = −1 or +1)."""
    if low > 0 or high < 0:
        return "supports" if (low > 0) == (book_sign > 0) else "contradicts"
    return "cannot tell"


def _lagged(df: pd.DataFrame, col: str, lag: int = 1) -> pd.Series:
    g = df.groupby("ccode")
    gap = g["year"].shift(lag) != df["year"] - lag
    return g[col].shift(lag).mask(gap)


def host_panel(threat: pd.DataFrame, start: int = 1960, end: int = 2014) -> pd.DataFrame:
    """The host-year panel: stage 2's panel (:func:`~alliancelab.estimation.spending.spending_panel`)
    with SIPRI's burden (``ln_share`` and its lag), U.S. presence (``presence``, personnel per
    1,000 inhabitants as ln(1 + x)), ``us_pact`` and ``us_pact_bases`` (ATOP) and their values a
    year before (``*_lag1``). Rows lack SIPRI's share where SIPRI has none."""
    base = spending_panel(threat, start, end)
    sipri = load_sipri()[["ccode", "year", "milex_share_of_gdp"]].dropna()
    sipri = sipri[sipri["milex_share_of_gdp"] > 0].astype({"ccode": "int64", "year": "int64"})
    sipri = sipri.groupby(["ccode", "year"])["milex_share_of_gdp"].mean().reset_index()
    pop = load_nmc(6)[["ccode", "year", "tpop"]].dropna().astype({"ccode": "int64", "year": "int64"})
    troops = load_us_troops()[["ccode", "year", "troops"]]
    pacts = us_defence_pacts(start - 1, min(end, 2018))
    years = pd.DataFrame({"year": np.arange(start - 1, end + 1)})
    frame = pop[pop["year"].between(start - 1, end)].merge(sipri, on=["ccode", "year"], how="left")
    frame = frame.merge(troops, on=["ccode", "year"], how="left").merge(pacts, on=["ccode", "year"], how="left")
    frame = frame.merge(years, on="year")
    frame["troops"] = frame["troops"].fillna(0.0)
    frame[["us_pact", "us_pact_bases"]] = frame[["us_pact", "us_pact_bases"]].fillna(0.0)
    frame["presence"] = np.log1p(frame["troops"] / frame["tpop"].where(frame["tpop"] > 0))
    frame["ln_share"] = np.log(frame["milex_share_of_gdp"])
    frame = frame.sort_values(["ccode", "year"]).reset_index(drop=True)
    for col in ("ln_share", "presence", "us_pact", "us_pact_bases"):
        frame[f"{col}_lag1"] = _lagged(frame, col)
    frame["presence_x_pact_lag1"] = frame["presence_lag1"] * frame["us_pact_lag1"]
    keep = ["ccode", "year", "troops", "presence", "us_pact", "ln_share", "milex_share_of_gdp"]
    lags = ["ln_share_lag1", "presence_lag1", "us_pact_lag1", "us_pact_bases_lag1", "presence_x_pact_lag1"]
    return base.merge(frame[keep + lags], on=["ccode", "year"], how="left")


PRESENCE_TERMS = [
    "ln_share_lag1",
    "presence_lag1",
    "us_pact_lag1",
    "presence_x_pact_lag1",
    "us_pact_bases_lag1",
    "threat",
    "ln_friends",
    "ln_foes",
    "ln_gdp",
    "conflict",
]


def _fe(panel: pd.DataFrame, y: str, terms: list[str]) -> object:
    from linearmodels.panel import PanelOLS

    df = panel.dropna(subset=[y, *terms]).set_index(["ccode", "year"])
    if len(df) < 100:
        raise EstimationError(f"the panel for {y} has {len(df)} complete rows; too few to estimate")
    return PanelOLS(df[y], df[terms], entity_effects=True, time_effects=True, drop_absorbed=True).fit(
        cov_type="clustered", cluster_entity=True
    )


def _table(res: object, design: str) -> pd.DataFrame:
    params, se = res.params, res.std_errors  # type: ignore[attr-defined]
    return pd.DataFrame(
        {
            "design": design,
            "term": params.index,
            "coef": params.values,
            "se": se.values,
            "low": params.values - Z90 * se.values,
            "high": params.values + Z90 * se.values,
        }
    )


def _combination(res: object, weights: dict[str, float]) -> tuple[float, float]:
    """A linear combination of coefficients and its standard error."""
    params, cov = res.params, res.cov  # type: ignore[attr-defined]
    names = list(weights)
    w = np.array([weights[n] for n in names])
    est = float(params[names].to_numpy() @ w)
    se = float(np.sqrt(w @ cov.loc[names, names].to_numpy() @ w))
    return est, se


def presence_effect(panel: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """Design (a): the coefficient table and the effects a reader uses: the change in an ally's
    burden (%) from +1 log point of U.S. presence, in the year and in the long run (through the
    lag), for a state with a U.S. pact and one without. The book expects an ally to carry less
    where the United States is present (a negative effect)."""
    res = _fe(panel, "ln_share", PRESENCE_TERMS)
    rho = float(res.params["ln_share_lag1"])  # type: ignore[attr-defined]
    rows = []
    for who, weights in (
        ("U.S. ally", {"presence_lag1": 1.0, "presence_x_pact_lag1": 1.0}),
        ("no U.S. pact", {"presence_lag1": 1.0}),
    ):
        est, se = _combination(res, weights)
        for horizon, scale in (("short run", 1.0), ("long run", 1.0 / (1.0 - rho) if rho < 1 else np.nan)):
            lo, hi = est - Z90 * se, est + Z90 * se
            rows.append(
                {
                    "design": "presence",
                    "effect": f"+1 log point of U.S. presence, {who}, {horizon}",
                    "estimate_pct": 100 * np.expm1(est * scale),
                    "low_pct": 100 * np.expm1(lo * scale),
                    "high_pct": 100 * np.expm1(hi * scale),
                    "verdict": verdict(lo, hi, -1) if who == "U.S. ally" else "",
                }
            )
    return _table(res, "presence"), pd.DataFrame(rows), int(res.nobs)  # type: ignore[attr-defined]


def drawdown_episodes(troops: pd.DataFrame) -> pd.DataFrame:
    """Large U.S. drawdowns: host ``ccode``, ``year`` (the first year of the fall, or its
    announcement from :data:`ANNOUNCED`), ``fall_year``, ``before`` and ``after`` (personnel).

    The rule: in year t, the host held at least :data:`DRAWDOWN_FROM` U.S. personnel the year
    before and the count falls by at least :data:`DRAWDOWN_SHARE` of that within
    :data:`DRAWDOWN_YEARS` years (by t + 2), with t the first year below the year before; a
    host's next episode counts from :data:`SEPARATION` years later. Applied to every host."""
    rows = []
    for _, g in troops.sort_values("year").groupby("ccode"):
        ccode = int(g["ccode"].iloc[0])
        series = g.set_index("year")["troops"]
        series = series.reindex(range(int(series.index.min()), int(series.index.max()) + 1), fill_value=0.0)
        last = -10_000
        for t in series.index[1:]:
            before = float(series.get(t - 1, 0.0))
            if before < DRAWDOWN_FROM or series[t] >= before or t - last < SEPARATION:
                continue
            window = series.loc[t : t + DRAWDOWN_YEARS - 1]
            low = float(window.min())
            if low <= (1 - DRAWDOWN_SHARE) * before:
                dated = ANNOUNCED.get((ccode, int(t)), int(t))
                rows.append({"ccode": ccode, "year": dated, "fall_year": int(t), "before": before, "after": low})
                last = int(t)
    return pd.DataFrame(rows, columns=["ccode", "year", "fall_year", "before", "after"])


def event_study(
    panel: pd.DataFrame, episodes: pd.DataFrame, pre: int = 4, post: int = 6
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Design (b) on one set of episodes: the event-time coefficients (log burden, relative to
    the year before) and the pooled post-treatment effect, by local-projections DiD
    (``pyfixest.lpdid``) with the never-treated U.S. allies as controls; one episode per host
    (its first in the panel); where ``episodes`` has ``us_ally``, only those of U.S. allies
    (the year before) are treated: abandonment is an ally's question."""
    import pyfixest as pf

    episodes = episodes[episodes["us_ally"] == 1] if "us_ally" in episodes else episodes
    first = episodes.sort_values("year").drop_duplicates("ccode")
    allies = set(panel.loc[panel["us_pact"] == 1, "ccode"])
    treated = set(first["ccode"])
    ever = set(episodes["ccode"])
    sample = panel[panel["ccode"].isin((allies - ever) | treated)].dropna(subset=["ln_share"])
    sample = sample.merge(first[["ccode", "year"]].rename(columns={"year": "g"}), on="ccode", how="left")
    sample["g"] = sample["g"].fillna(0).astype(int)
    sample = sample[["ccode", "year", "g", "ln_share"]]
    if sample.loc[sample["g"] > 0, "ccode"].nunique() < 2:
        raise EstimationError("fewer than two drawdown hosts in the panel's years: no event study")
    vcov = {"CRV1": "ccode"}
    kw = {"yname": "ln_share", "idname": "ccode", "tname": "year", "gname": "g", "vcov": vcov}
    with warnings.catch_warnings():  # pyfixest 0.60 sorts in place, which pandas 3.1 deprecates
        warnings.filterwarnings("ignore", message="The inplace keyword", module="pyfixest")
        dyn = pf.lpdid(sample, pre_window=pre, post_window=post, att=False, **kw).tidy()
        att = pf.lpdid(sample, pre_window=pre, post_window=post, att=True, **kw).tidy()
    times = [int(str(i).split("::")[1]) for i in dyn.index]
    coefs = pd.DataFrame({"event_time": times, "coef": dyn["Estimate"].to_numpy(), "se": dyn["Std. Error"].to_numpy()})
    pooled = pd.DataFrame(
        {
            "coef": [float(att["Estimate"].iloc[0])],
            "se": [float(att["Std. Error"].iloc[0])],
            "hosts": [int(sample.loc[sample["g"] > 0, "ccode"].nunique())],
            "controls": [int(sample.loc[sample["g"] == 0, "ccode"].nunique())],
        }
    )
    return coefs, pooled


def _foe_pairs(start: int, end: int) -> pd.DataFrame:
    riv = load_rivalries()[["ccode1", "ccode2", "start", "end"]].astype("int64")
    r = riv.merge(pd.DataFrame({"year": np.arange(start, end + 1)}), how="cross")
    r = r[(r["year"] >= r["start"]) & (r["year"] <= r["end"])]
    both = pd.concat(
        [
            r[["ccode1", "ccode2", "year"]].set_axis(["ccode", "other", "year"], axis=1),
            r[["ccode2", "ccode1", "year"]].set_axis(["ccode", "other", "year"], axis=1),
        ]
    )
    return both.drop_duplicates().reset_index(drop=True)


def foes_split(panel: pd.DataFrame) -> pd.DataFrame:
    """``panel`` with rivals' real spending split by the rival's U.S. defence pact
    (``ln_foes_bound``, ``ln_foes_free``, US$ million as ln(1 + x)) and ``foe_igos``: shared
    full IGO memberships with its rivals, in tens, averaged over them (NA without rivals)."""
    start, end = int(panel["year"].min()), int(panel["year"].max())
    pairs = _foe_pairs(start, end)
    milex = _real_milex().rename(columns={"ccode": "other"})
    pacts = us_defence_pacts(start, min(end, 2018)).rename(columns={"ccode": "other"})[["other", "year", "us_pact"]]
    m = pairs.merge(milex, on=["other", "year"]).merge(pacts, on=["other", "year"], how="left")
    m["us_pact"] = m["us_pact"].fillna(0)
    sums = m.pivot_table(index=["ccode", "year"], columns="us_pact", values="milex_real", aggfunc="sum", fill_value=0.0)
    sums = sums.reindex(columns=[0.0, 1.0], fill_value=0.0)
    split = pd.DataFrame(
        {
            "ln_foes_free": np.log1p(sums[0.0] / 1e6),
            "ln_foes_bound": np.log1p(sums[1.0] / 1e6),
        }
    ).reset_index()
    igos = load_igos().astype("int64")
    und = pd.concat(
        [
            igos.rename(columns={"ccode1": "ccode", "ccode2": "other"}),
            igos.rename(columns={"ccode2": "ccode", "ccode1": "other"}),
        ]
    ).drop_duplicates(["ccode", "other", "year"])
    shared = pairs.merge(und, on=["ccode", "other", "year"], how="left")
    shared = shared.groupby(["ccode", "year"], as_index=False).agg(foe_igos=("dyadigos", "mean"))
    shared["foe_igos"] = shared["foe_igos"] / 10.0
    out = panel.merge(split, on=["ccode", "year"], how="left").merge(shared, on=["ccode", "year"], how="left")
    out[["ln_foes_free", "ln_foes_bound"]] = out[["ln_foes_free", "ln_foes_bound"]].fillna(0.0)
    return out


_STAGE2 = ["ln_milex_lag1", *(t for t in EXOG if t != "ln_foes")]


def restraint_effect(panel: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """Design (c): stage 2 (two-way effects) with rivals' spending split by the rival's U.S. pact.
    The book expects less reaction to a bound foe: φ_bound − φ_free < 0."""
    res = _fe(panel, "ln_milex", [*_STAGE2, "ln_foes_free", "ln_foes_bound"])
    effect = "reaction to a U.S.-bound rival's spending minus an unbound rival's (elasticity)"
    return _stage2_effect(res, "restraint", effect, {"ln_foes_bound": 1.0, "ln_foes_free": -1.0})


def _stage2_effect(
    res: object, design: str, effect: str, weights: dict[str, float]
) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """A stage-2 design's coefficient table, its effect (a combination of coefficients, 90 %
    interval, the book expecting a negative sign) and its sample size."""
    est, se = _combination(res, weights)
    lo, hi = est - Z90 * se, est + Z90 * se
    row = {
        "design": design,
        "effect": effect,
        "estimate_pct": est,
        "low_pct": lo,
        "high_pct": hi,
        "verdict": verdict(lo, hi, -1),
    }
    return _table(res, design), pd.DataFrame([row]), int(res.nobs)  # type: ignore[attr-defined]


def reassurance_effect(panel: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """Design (d): stage 2 with rivals' spending × the IGOs shared with them. The book expects
    the reaction to fall with shared institutions: a negative interaction."""
    df = panel.dropna(subset=["foe_igos"]).copy()
    df["ln_foes"] = np.log1p(np.expm1(df["ln_foes_free"]) + np.expm1(df["ln_foes_bound"]))
    df["foes_x_igos"] = df["ln_foes"] * df["foe_igos"]
    res = _fe(df, "ln_milex", [*_STAGE2, "ln_foes", "foe_igos", "foes_x_igos"])
    effect = "change in the reaction to rivals' spending per 10 more shared IGOs (elasticity)"
    return _stage2_effect(res, "reassurance", effect, {"foes_x_igos": 1.0})


@dataclass(frozen=True)
class AllianceEstimates:
    """Every design's coefficients, the effects in a reader's units with verdicts, the drawdown
    episodes the rule found, the event studies (all, high-threat, low-threat) and sample sizes."""

    coefficients: pd.DataFrame  # design, term, coef, se, low, high (90 %)
    effects: pd.DataFrame  # design, effect, estimate, low, high, verdict
    episodes: pd.DataFrame  # ccode, year, fall_year, before, after, threat, us_ally, group
    event_times: pd.DataFrame  # group, event_time, coef, se
    n: dict[str, int]
    years: tuple[int, int]


def estimate_alliances(
    start: int = 1960,
    end: int = 2014,
    progress: Callable[[str], None] | None = None,
    threat: pd.DataFrame | None = None,
) -> AllianceEstimates:
    """All four designs, ``start``–``end`` (the stage-1 threat, fitted on 1950–2014, ends in 2014;
    ATOP in 2018)."""
    say = progress or (lambda _msg: None)
    if not 1951 <= start < end <= 2014:
        raise EstimationError(f"the years {start}-{end} must lie within 1951-2014 (the threat's) and span two or more")
    if threat is None:
        from alliancelab.estimation.onset import fit_onset
        from alliancelab.estimation.sample import PREDICTORS, conflict_dyad_years
        from alliancelab.estimation.spending import state_threat

        say("building dyad-years 1950-2014 and fitting the onset logit (the threat)")
        sample = conflict_dyad_years(1950, 2014)
        threat = state_threat(fit_onset(sample, "onset", (1950, 2014), predictors=PREDICTORS, splines=True), sample)
    say("building the host-year panel (SIPRI, troopdata, ATOP)")
    panel = foes_split(host_panel(threat, start, end))
    say("(a) presence and reliability")
    coef_a, eff_a, n_a = presence_effect(panel)
    say("(b) drawdowns: episodes and event studies")
    episodes = drawdown_episodes(load_us_troops())
    episodes = episodes[episodes["year"].between(start, end)]
    episodes = episodes.merge(threat[["ccode", "year", "threat"]], on=["ccode", "year"], how="left")
    allies = panel.loc[panel["us_pact_lag1"] == 1, ["ccode", "year"]].assign(us_ally=1)
    episodes = episodes.merge(allies, on=["ccode", "year"], how="left")
    episodes["us_ally"] = episodes["us_ally"].fillna(0).astype(int)
    median = float(episodes.loc[episodes["us_ally"] == 1, "threat"].median())
    episodes["group"] = np.select(
        [episodes["threat"].isna(), episodes["threat"] >= median], ["threat unknown", "high threat"], "low threat"
    )
    times, effects_b = [], []
    for group, chosen in (
        ("all", episodes),
        ("high threat", episodes[episodes["group"] == "high threat"]),
        ("low threat", episodes[episodes["group"] == "low threat"]),
    ):
        coefs, pooled = event_study(panel, chosen)
        times.append(coefs.assign(group=group))
        est, se = float(pooled["coef"].iloc[0]), float(pooled["se"].iloc[0])
        lo, hi = est - Z90 * se, est + Z90 * se
        effects_b.append(
            {
                "design": "drawdown",
                "effect": f"burden after a large U.S. drawdown, {group} "
                f"({int(pooled['hosts'].iloc[0])} hosts, {int(pooled['controls'].iloc[0])} control allies)",
                "estimate_pct": 100 * np.expm1(est),
                "low_pct": 100 * np.expm1(lo),
                "high_pct": 100 * np.expm1(hi),
                "verdict": verdict(lo, hi, +1) if group != "low threat" else "",
            }
        )
    say("(c) restraint and (d) reassurance")
    coef_c, eff_c, n_c = restraint_effect(panel)
    coef_d, eff_d, n_d = reassurance_effect(panel)
    return AllianceEstimates(
        coefficients=pd.concat([coef_a, coef_c, coef_d], ignore_index=True),
        effects=pd.concat([eff_a, pd.DataFrame(effects_b), eff_c, eff_d], ignore_index=True),
        episodes=episodes.reset_index(drop=True),
        event_times=pd.concat(times, ignore_index=True)[["group", "event_time", "coef", "se"]],
        n={"presence": n_a, "restraint": n_c, "reassurance": n_d},
        years=(start, end),
    )
