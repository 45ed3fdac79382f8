"""The book's six claims (shared/DESIGN.md) as findings under uncertainty.

Each claim is a contrast between built-in scenarios on common random numbers. It is run over a
Saltelli design of the assumptions' plausible ranges (:mod:`alliancelab.models.order.sources`;
SALib) and, within each design point, over runs that each draw the estimated coefficients from
their sampling distribution, so both kinds of uncertainty enter. For each claim the analysis
reports the effect in a reader's units (median and 90 % interval over the design), the share of
the design where the claimed direction holds and where the effect reaches the claim's minimum
effect that matters, Sobol' total indices of the assumptions, the ablation (the effect with the
claim's mechanism switched off, at the default parameters) and a verdict in words.

A claim whose outcome is built only from assumed relations (the perceived threat of the balance
of threat: restraint, reassurance, TMD) is labelled an assumption of the model, not a finding.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from alliancelab.errors import ParameterError
from alliancelab.experiments.analysis import salib_seed
from alliancelab.models.order.compile import compile_scenario
from alliancelab.models.order.params import Params, make_params
from alliancelab.models.order.simulate import run_rows
from alliancelab.models.order.sources import SOURCES
from alliancelab.scenario import Scenario, load_scenario
from alliancelab.scenario.model import patron_spokes

__all__ = ["CLAIMS", "CLAIM_COLUMNS", "DESIGN_PARAMETERS", "Claim", "ClaimsResult", "analyse_claims"]

#: The columns of a claims table that a report reads (``alliancelab claims -o`` writes them all).
CLAIM_COLUMNS = ("claim", "text", "verdict")

#: The assumptions the claims' design varies, over their plausible ranges (sources.SOURCES).
DESIGN_PARAMETERS: tuple[str, ...] = (
    "restraint",
    "reassurance",
    "peacekeeping_reassurance",
    "tmd_provocation",
    "abandonment_reaction",
    "credibility_base",
    "crisis_support_loss",
    "institution_decay",
    "hostility_decay",
    "crisis_hostility",
    "spiral",
    "rivalry_hostility",
    "misperception_sd",
    "escalation_teeth",
)

Outputs = dict[str, np.ndarray]


def _allied_share_pp(variant: Outputs, base: Outputs, scenario: Scenario) -> np.ndarray:
    """The mean share of the baseline's largest patron's spokes, in pp of GDP."""
    hub = patron_spokes(scenario)
    if hub is None:
        raise ParameterError("baseline", "claim 1", "a scenario with a hub-and-spoke patron", scenario.name)
    ids = scenario.actor_ids
    cols = [ids.index(a) for a in hub[1]]
    out: np.ndarray = 100 * (
        variant["share"][:, :, cols].mean(axis=(1, 2)) - base["share"][:, :, cols].mean(axis=(1, 2))
    )
    return out


def _threat_pct(actors: tuple[str, ...]) -> Callable[[Outputs, Outputs, Scenario], np.ndarray]:
    def effect(variant: Outputs, base: Outputs, scenario: Scenario) -> np.ndarray:
        cols = [scenario.actor_ids.index(a) for a in actors]
        v = variant["threat"][:, :, cols].mean(axis=1)
        b = base["threat"][:, :, cols].mean(axis=1)
        out: np.ndarray = (100 * (v / np.maximum(b, 1e-30) - 1)).mean(axis=1)
        return out

    return effect


def _arms_race_pp(variant: Outputs, base: Outputs, scenario: Scenario) -> np.ndarray:
    out: np.ndarray = 100 * (variant["arms_race_index"].mean(axis=1) - base["arms_race_index"].mean(axis=1))
    return out


def _escalation_share_pp(variant: Outputs, base: Outputs, scenario: Scenario) -> np.ndarray:
    def share(o: Outputs) -> np.ndarray:
        crises = o["crisis_count"].astype(float).sum(axis=1)
        escalated = o["escalation"].astype(float).sum(axis=(1, 2))
        out: np.ndarray = escalated / np.maximum(crises, 1.0)
        return out

    out: np.ndarray = 100 * (share(variant) - share(base))
    return out


def _crises_per_decade(variant: Outputs, base: Outputs, scenario: Scenario) -> np.ndarray:
    years = variant["crisis_count"].shape[1]
    v = variant["crisis_count"].astype(float).sum(axis=1)
    b = base["crisis_count"].astype(float).sum(axis=1)
    out: np.ndarray = (v - b) * 10.0 / years
    return out


@dataclass(frozen=True)
class Claim:
    """A contrast: ``variant`` against ``baseline`` (presets), its effect per run in ``units``."""

    number: int
    text: str
    variant: str
    baseline: str
    effect: Callable[[Outputs, Outputs, Scenario], np.ndarray]
    units: str
    minimum: float  # the smallest effect that matters, in ``units`` (the claimed sign is +)
    mechanisms: tuple[str, ...]  # switched off for the ablation
    outputs: tuple[str, ...]
    assumed: bool  # the outcome is built only from assumed relations
    outcome: str = ""
    mechanism_assumed: bool = False  # the switched mechanism has no estimated part
    part: str = ""  # "b" for a claim's second half
    null: bool = False  # the claim is that there is no effect: |effect| < minimum
    levers: tuple[str, ...] = ()  # the only levers in which the two scenarios may differ


CLAIMS: tuple[Claim, ...] = (
    Claim(
        1,
        "Less certain U.S. commitment raises allied spending",
        "us-retrenchment",
        "asia-pacific-2001",
        _allied_share_pp,
        "pp of GDP (mean of the U.S. allies' shares)",
        0.05,
        ("abandonment",),
        ("share",),
        False,
        "allies' military spending, % of GDP",
        mechanism_assumed=True,
        levers=("engagement", "presence"),
    ),
    Claim(
        1,
        "... and raises the regional arms-race index",
        "us-retrenchment",
        "asia-pacific-2001",
        _arms_race_pp,
        "pp a year of hostility-weighted co-growth of rivals' spending",
        0.1,
        ("abandonment",),
        ("arms_race_index",),
        False,
        "the arms-race index",
        mechanism_assumed=True,
        levers=("engagement", "presence"),
        part="b",
    ),
    Claim(
        2,
        "Japan rearming outside the alliance provokes China and Korea more than inside it",
        "japan-outside-alliance",
        "japan-uk-model",
        _threat_pct(("chn", "kor")),
        "% of China's and Korea's perceived threat",
        1.0,
        ("restraint",),
        ("threat",),
        True,
        "perceived threat (balance of threat)",
        levers=("active",),
    ),
    Claim(
        3,
        "The 'German' model provokes China and Korea less than the 'U.K.' model",
        "japan-uk-model",
        "japan-german-model",
        _threat_pct(("chn", "kor")),
        "% of China's and Korea's perceived threat",
        1.0,
        ("peacekeeping",),
        ("threat",),
        True,
        "perceived threat (balance of threat)",
        levers=("multilateral_role", "peacekeeping"),
    ),
    Claim(
        4,
        "Dialogues without teeth prevent crises",
        "no-dialogues",
        "asia-pacific-2001",
        _crises_per_decade,
        "crisis dyad-years per decade, region-wide",
        0.5,
        ("institutions",),
        ("crisis_count",),
        False,
        "crises",
        levers=("active",),
    ),
    Claim(
        4,
        "... but do not deter once a crisis starts (no change in the share of crises that escalate)",
        "no-dialogues",
        "asia-pacific-2001",
        _escalation_share_pp,
        "pp of crises escalating",
        1.0,
        ("institutions",),
        ("crisis_count", "escalation"),
        True,
        "the escalation probability (it has no term dialogues without teeth could move)",
        levers=("active",),
        part="b",
        null=True,
    ),
    Claim(
        5,
        "Alliances and institutions together give fewer crises than neither",
        "no-alliances-no-dialogues",
        "asia-pacific-2001",
        _crises_per_decade,
        "crisis dyad-years per decade, region-wide",
        0.5,
        ("alliances", "institutions"),
        ("crisis_count",),
        False,
        "crises",
        levers=("active",),
    ),
    Claim(
        6,
        "Area-wide TMD raises China's threat more than boost-phase TMD",
        "tmd-area-wide",
        "tmd-boost-phase",
        _threat_pct(("chn",)),
        "% of China's perceived threat",
        1.0,
        ("tmd",),
        ("threat",),
        True,
        "perceived threat (balance of threat)",
        levers=("tmd_area",),
    ),
)


@functools.cache
def _scenario(name: str) -> Scenario:
    return load_scenario(name)


def _effects(claim: Claim, p: Params, runs: int, years: int, seed: int, first: int) -> np.ndarray:
    """The claim's effect per run (common random numbers), over the years from ``first`` on."""
    out: dict[str, Outputs] = {}
    for name in (claim.variant, claim.baseline):
        c = compile_scenario(_scenario(name), p, years)
        found, status, _ = run_rows(c, p, seed, runs, claim.outputs)
        if (status != 0).any():
            raise ParameterError("params", f"claim {claim.number}", "parameters under which every run is valid", p)
        out[name] = {k: np.swapaxes(v, 0, 1)[:, first:] for k, v in found.items()}  # (runs, years, ...)
    return claim.effect(out[claim.variant], out[claim.baseline], _scenario(claim.baseline))


@dataclass
class ClaimsResult:
    """The findings table (one row per claim), the per-point effects and the Sobol' indices."""

    table: pd.DataFrame
    points: pd.DataFrame  # claim, point, the design's parameters, effect
    sensitivity: pd.DataFrame  # claim, parameter, ST, ST_conf
    design: dict[str, Any]


#: A verdict names the parameters that decide a claim only where their Sobol' total indices are
#: known to within this (the half-width of SALib's 95 % interval); otherwise it says the design
#: cannot yet tell and asks for more samples.
PRECISE_ST = 0.1


def _verdict(
    claim: Claim,
    share_dir: float,
    share_min: float,
    ablated: float,
    decided: str,
    default: float = float("nan"),
    default_se: float = float("nan"),
) -> str:
    """What the analysis can say of a claim, in the words that mean it:

    - *holds by construction*: the claim is that nothing changes and the model has no term that
      could change it;
    - *holds by assumption*: it holds over the design but its outcome is built from assumed
      relations, or it vanishes with an assumed mechanism off;
    - *supported by estimated terms*: it holds over the design and survives without assumed-only
      mechanisms (what carries it is said);
    - *contradicted at the defaults*: the effect at the default parameters has the opposite sign
      (beyond twice its standard error), with the share of the design where it does;
    - *not supported*: the effect reaches the smallest that matters almost nowhere in the design;
    - *cannot tell*: the design splits; ``decided`` names what decides it where the Sobol' indices
      are precise enough (:data:`PRECISE_ST`), else the verdict asks for more samples."""
    switch = "+".join(claim.mechanisms)
    if claim.null and claim.assumed:
        return f"holds by construction: {claim.outcome}"
    if share_dir >= 0.9 and share_min >= 0.5:
        if claim.assumed:
            return f"holds by assumption: {claim.outcome} is built from assumed relations, not estimated"
        if ablated < claim.minimum and claim.mechanism_assumed:
            return f"holds by assumption: it vanishes with the assumed {switch} mechanism off"
        if ablated < claim.minimum:
            return f"supported by estimated terms, carried by {switch} (it vanishes with that switch off)"
        return f"supported by estimated terms; another channel carries it with {switch} off"
    if not claim.null and default + 2 * default_se < 0 and share_dir < 0.5:
        return (
            f"contradicted at the defaults: the effect has the opposite sign ({default:+.2f} ± {2 * default_se:.2f}), "
            f"and in {100 * (1 - share_dir):.0f} % of the design"
        )
    if share_dir <= 0.1 or share_min <= 0.1:
        return f"not supported: the effect reaches the smallest that matters in {100 * share_min:.0f} % of the design"
    if decided:
        return f"cannot tell: it depends on {decided}"
    return (
        "cannot tell: the design splits, and its Sobol' intervals are too wide to say what decides it "
        f"(±{PRECISE_ST} or more; raise --samples)"
    )


def _finding(
    claim: Claim,
    Y: np.ndarray,
    st: pd.Series,
    st_conf_all: Any,
    names: list[str],
    base: Params,
    run: tuple[int, int, int, int],
) -> dict[str, Any]:
    """One row of the findings table: the design's effects ``Y`` and Sobol' totals ``st`` (with
    their intervals), the effect at the defaults and with the claim's mechanism off (``run``:
    runs per point, years, seed, first year scored), and the verdict."""
    runs, years, seed, first = run
    leaders = list(st.sort_values(ascending=False).index[:2])
    top = ", ".join(leaders)
    st_conf = max(float(st_conf_all[names.index(n)]) for n in leaders)
    nominal = _effects(claim, base, runs * 4, years, seed, first)
    off = base.model_copy(
        update={"mechanisms": base.mechanisms.model_copy(update=dict.fromkeys(claim.mechanisms, False))}
    )
    ablated = _effects(claim, off, runs * 4, years, seed, first)
    if claim.null:  # the claim is that nothing changes
        share_dir = share_min = float((np.abs(Y) < claim.minimum).mean())
    else:
        share_dir = float((Y > 0).mean())
        share_min = float((Y >= claim.minimum).mean())
    default, default_se = float(nominal.mean()), float(nominal.std(ddof=1) / np.sqrt(len(nominal)))
    return {
        "claim": claim.number,
        "part": claim.part,
        "text": claim.text,
        "contrast": f"{claim.variant} - {claim.baseline}",
        "units": claim.units,
        "minimum_effect": claim.minimum,
        "effect_default": default,
        "effect_default_se": default_se,
        "effect_median": float(np.median(Y)),
        "effect_q05": float(np.quantile(Y, 0.05)),
        "effect_q95": float(np.quantile(Y, 0.95)),
        "share_direction": share_dir,
        "share_minimum": share_min,
        "decided_by": top,
        "decided_by_st_conf": st_conf,  # the leaders' widest Sobol' ST interval (half-width)
        "ablation": "+".join(claim.mechanisms) + " off",
        "effect_ablated": float(ablated.mean()),
        "effect_ablated_se": float(ablated.std(ddof=1) / np.sqrt(len(ablated))),
        "assumed": claim.assumed,
        "verdict": _verdict(
            claim,
            share_dir,
            share_min,
            float(abs(ablated.mean()) if claim.null else ablated.mean()),
            top if st_conf < PRECISE_ST else "",
            default,
            default_se,
        ),
    }


def _point_effect(
    claim: Claim,
    base: Params,
    names: list[str],
    x: np.ndarray,
    run: tuple[int, int, int, int],
    progress: Callable[[int], None] | None,
) -> float:
    """The claim's mean effect at one design point ``x`` (values of ``names``)."""
    runs, years, seed, first = run
    p = make_params(**(base.model_dump() | dict(zip(names, map(float, x), strict=True))))
    effect = float(_effects(claim, p, runs, years, seed, first).mean())
    if progress:
        progress(1)
    return effect


def analyse_claims(
    samples: int = 16,
    runs: int = 32,
    years: int = 20,
    seed: int = 0,
    claims: tuple[int, ...] | None = None,
    params: Params | None = None,
    progress: Callable[[int], None] | None = None,
    max_samples: int | None = None,
) -> ClaimsResult:
    """Run every claim (or ``claims``) over a Saltelli design of :data:`DESIGN_PARAMETERS`
    (``samples`` base samples, a power of 2: samples × (K + 2) points) with ``runs`` runs per
    point, the effects averaged over the years from the fifth on. With ``max_samples`` each
    claim's design doubles until the Sobol' intervals of its two largest total indices are within
    :data:`PRECISE_ST`, or the next design would pass ``max_samples``; the table says how many
    samples each claim took."""
    from SALib.analyze import sobol
    from SALib.sample import sobol as sobol_sample

    if samples < 2 or samples & (samples - 1):
        raise ParameterError("samples", "analyse_claims", "a power of 2, at least 2 (a Sobol' sequence)", samples)
    if max_samples is not None and max_samples < samples:
        raise ParameterError("max_samples", "analyse_claims", f"at least samples ({samples})", max_samples)
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**63:
        raise ParameterError("seed", "analyse_claims", "a whole number from 0 to 2**63 - 1", seed)
    if years < 6:
        raise ParameterError(
            "years", "analyse_claims", "at least 6 (effects are averaged from the fifth year on)", years
        )
    chosen = [c for c in CLAIMS if claims is None or c.number in claims]
    if not chosen:
        raise ParameterError("claims", "analyse_claims", "numbers among 1-6", claims)
    base = params or Params()
    names = list(DESIGN_PARAMETERS)
    bounds = [[SOURCES[n].low, SOURCES[n].high] for n in names]
    problem = {"num_vars": len(names), "names": names, "bounds": bounds}
    first = 4
    rows, point_rows, sens_rows, used = [], [], [], {}
    for claim in chosen:
        label = f"{claim.number}{claim.part}"
        n = samples
        while True:  # a doubling design until the leaders' intervals are precise (or max_samples)
            X = sobol_sample.sample(problem, n, calc_second_order=False, seed=seed)
            Y = np.array([_point_effect(claim, base, names, x, (runs, years, seed, first), progress) for x in X])
            Si = sobol.analyze(problem, Y, calc_second_order=False, seed=salib_seed(seed))
            st = pd.Series(Si["ST"], index=names).fillna(0.0)
            conf = pd.Series(Si["ST_conf"], index=names).fillna(np.inf)
            if max_samples is None or n * 2 > max_samples or conf[st.nlargest(2).index].max() < PRECISE_ST:
                break
            n *= 2
        used[label] = n
        point_rows += [{"claim": label, "point": k, **dict(zip(names, x, strict=True)), "effect": y}
                       for k, (x, y) in enumerate(zip(X, Y, strict=True))]  # fmt: skip
        sens_rows += [{"claim": label, "parameter": m, "ST": float(st[m]), "ST_conf": float(Si["ST_conf"][k])}
                      for k, m in enumerate(names)]  # fmt: skip
        rows.append(_finding(claim, Y, st, Si["ST_conf"], names, base, (runs, years, seed, first)) | {"samples": n})
    design = {
        "sampler": "saltelli (SALib sobol, first-order and total indices)",
        "samples": samples if max_samples is None else used,
        "points": samples * (len(names) + 2)
        if max_samples is None
        else {k: v * (len(names) + 2) for k, v in used.items()},
        "runs_per_point": runs,
        "years": years,
        "window": f"years {first + 1}-{years}",
        "seed": seed,
        "parameters": {n: b for n, b in zip(names, bounds, strict=True)},
        "equations": base.equations,
    }
    return ClaimsResult(pd.DataFrame(rows), pd.DataFrame(point_rows), pd.DataFrame(sens_rows), design)
