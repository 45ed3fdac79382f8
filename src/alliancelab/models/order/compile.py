"""Compile a scenario into the static arrays the engine reads.

Everything that does not depend on a run is computed here once: the pair and alliance-link
layout, per-year lever values after shocks, the static part of the crisis hazard, threat
weights (reach, TMD, reassurance) and the intercepts that put the start year at rest.
Arrays carry a leading ``year`` axis where levers can move them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from alliancelab.models.order.estimated import STATIC_TERMS, coefficient_law, onset_fit
from alliancelab.models.order.params import Params
from alliancelab.models.order.step import Constants, YearInputs
from alliancelab.scenario.model import Actor, Scenario

__all__ = ["DEFAULT_FACTS", "DEFENCE_KINDS", "Compiled", "compile_scenario", "constants", "year_stack"]

F = NDArray[np.float32]
Idx = NDArray[np.intp]

#: Alliance kinds whose members defend each other (and so give cover and credibility).
DEFENCE_KINDS = frozenset({"defense", "offense", "entente", "consultation"})
_DTYPE = np.float32

#: What the estimated hazard assumes where a scenario gives no fact (assumptions: the estimation
#: sample's medians, world dyad-years 1950-2014 with complete predictors).
DEFAULT_FACTS = {"openness": 0.15, "igos": 26, "peace_years": 29}


@dataclass(frozen=True)
class Compiled:
    """A scenario as arrays. N actors, P undirected pairs, L directed defence links, Y years."""

    ids: tuple[str, ...]
    names: tuple[str, ...]
    years: NDArray[np.int64]
    pair_i: Idx
    pair_j: Idx
    pair_incidence: F  # (P, N) 1 at both members
    link_defended: Idx  # (L,) the state defended
    link_defender: Idx  # (L,) the state that defends it
    link_alliance: tuple[str, ...]
    defended_incidence: F  # (L, N)
    defender_incidence: F  # (L, N)
    link_edge: F  # (L, E) link -> undirected alliance edge
    edge_incidence: F  # (E, N)
    great: Idx  # indices of major powers
    depreciation: F
    share_min: F
    share_max: F
    gdp0: F
    milex0: F
    capability0: F
    grievance: F
    exposure: F  # (N,) start-year threat + cover (normaliser of the reaction)
    reaction: F  # (N,) threat_reaction x share0 x gdp0 / exposure
    credibility0: F  # (L,)
    support0: F  # (L,)
    burden_ratio0: F  # (L,) protégé share / defender share at the start
    net_threat0: F  # (L,) protégé net threat / GDP at the start
    # per year
    growth: F  # (Y, N)
    projected: F  # (Y, N) 1 where the year's growth is projected (drawn with uncertainty), 0 where recorded
    posture: F  # (Y, N)
    effort: F  # (Y, N) share held fixed (0: the arms decision sets it)
    engagement: F  # (Y, N)
    peacekeeping: F  # (Y, N)
    commitment: F  # (Y, L) written commitment x in force
    presence: F  # (Y, L)
    cover_factor: F  # (Y, L)
    rma_gap: F  # (Y, L)
    incidents: F  # (Y, L)
    conflict: F  # (Y, L)
    baseline: F  # (Y, P)
    shared: F  # (Y, P) institutional overlap
    teeth: F  # (Y, P)
    hazard_static: F  # (Y, P)
    sigma: F  # (Y, P) misperception s.d.
    threat_weight: F  # (Y, N, N) observer i, source j
    weight_ij: F  # (Y, P) threat weight of j as seen by i
    weight_ji: F  # (Y, P) threat weight of i as seen by j
    teeth_cover: F  # (Y, N, N) i covered by j
    decay: F  # (Y, P)
    changed: NDArray[np.bool_]  # (Y,) threat weights or sigma differ from the year before
    # the estimated equations (docs/estimation.md)
    hazard_x: F  # (Y, P, len(STATIC_TERMS)) the hazard's static predictors
    peace0: F  # (P,) years since each pair's last dispute at the start
    spline: F  # (M, 3) peace-year spline basis at 0, 1, ..., M - 1 years
    hazard_mean: F  # (len(HAZARD_TERMS),) stage-1 coefficients
    hazard_chol: F  # (terms, terms) their sampling law's Cholesky factor (0: no draws)
    spending_mean: F  # (5,) stage-2: persistence, threat, friends, foes, conflict
    spending_chol: F  # (5, 5)
    volatility: F  # (N,) s.d. of the yearly spending residual (0 without residual draws)
    growth_drift: F  # (N,) s.d. of each state's lasting deviation from its projected growth

    @property
    def n(self) -> int:
        return len(self.ids)

    @property
    def n_pairs(self) -> int:
        return len(self.pair_i)

    @property
    def n_links(self) -> int:
        return len(self.link_defended)


def _lever_path(default: float, shocks: list[tuple[int, float]], years: NDArray[np.int64]) -> F:
    out = np.full(len(years), default, dtype=np.float64)
    for year, value in sorted(shocks, key=lambda s: s[0]):
        out[years >= year] = value
    return out.astype(_DTYPE)


def _growth_paths(
    actors: list[Actor], shocks: dict[tuple[str, str, str], list[tuple[int, float]]], years: NDArray[np.int64]
) -> tuple[F, F]:
    """Each state's growth rate by year, set by ``growth`` and ``realised_growth`` shocks alike (a
    rate holds until the next), and whether it is projected (1) or recorded (0: the years a
    ``realised_growth`` shock is dated, which the engine takes as they are; after the last one
    the rate it left holds as a projection)."""
    rates, projected = [], []
    for a in actors:
        set_ = shocks.get(("growth", "entity", a.id), [])
        seen = shocks.get(("realised_growth", "entity", a.id), [])
        rates.append(_lever_path(float(a.growth), set_ + seen, years))
        projected.append(np.where(np.isin(years, [y for y, _ in seen]), 0.0, 1.0))
    return np.stack(rates, axis=1), np.stack(projected, axis=1)


def _distance_km(lat: NDArray[np.float64], lon: NDArray[np.float64]) -> NDArray[np.float64]:
    """Great-circle (haversine) distances between capitals, km."""
    la, lo = np.radians(lat), np.radians(lon)
    dla = la[:, None] - la[None, :]
    dlo = lo[:, None] - lo[None, :]
    h = np.sin(dla / 2) ** 2 + np.cos(la[:, None]) * np.cos(la[None, :]) * np.sin(dlo / 2) ** 2
    out: NDArray[np.float64] = 2 * 6371.0 * np.arcsin(np.sqrt(np.clip(h, 0, 1)))
    return out


def compile_scenario(scenario: Scenario, params: Params, years: int | None = None) -> Compiled:
    """Turn a validated scenario into :class:`Compiled` arrays for ``years`` years."""
    mech = params.mechanisms
    horizon = scenario.scenario.years if years is None else years
    yrs = np.arange(scenario.start, scenario.start + horizon, dtype=np.int64)
    Y = len(yrs)
    actors = scenario.actor
    ids = tuple(a.id for a in actors)
    idx = {a: k for k, a in enumerate(ids)}
    N = len(ids)
    pi, pj = np.triu_indices(N, k=1)
    P = len(pi)
    pair_index = np.zeros((N, N), dtype=np.intp)  # [i, j] = [j, i] = the pair's index
    pair_index[pi, pj] = pair_index[pj, pi] = np.arange(P)
    pair_inc = np.zeros((P, N), _DTYPE)
    pair_inc[np.arange(P), pi] = 1
    pair_inc[np.arange(P), pj] = 1

    def pair(a: str, b: str) -> int:
        return int(pair_index[idx[a], idx[b]])

    shocks: dict[tuple[str, str, str], list[tuple[int, float]]] = {}
    dyad_shocks: dict[tuple[str, int], list[tuple[int, float]]] = {}
    for s in scenario.shock:
        if isinstance(s.target, tuple):
            dyad_shocks.setdefault((s.lever, pair(*s.target)), []).append((s.year, s.value))
        else:
            shocks.setdefault((s.lever, "entity", s.target), []).append((s.year, s.value))

    def actor_path(a_id: str, lever: str, default: float) -> F:
        return _lever_path(default, shocks.get((lever, "entity", a_id), []), yrs)

    def stack(lever: str) -> F:
        return np.stack([actor_path(a.id, lever, float(getattr(a, lever))) for a in actors], axis=1)

    growth, projected = _growth_paths(actors, shocks, yrs)
    if not mech.economy:
        growth, projected = np.zeros((Y, N), _DTYPE), np.zeros((Y, N), _DTYPE)
    posture = stack("posture")
    effort = stack("effort")
    engagement = stack("engagement")
    tmd = stack("tmd") if mech.tmd else np.zeros((Y, N), _DTYPE)
    tmd_area = stack("tmd_area") if mech.tmd else np.zeros((Y, N), _DTYPE)
    peacekeeping = stack("peacekeeping") if mech.peacekeeping else np.zeros((Y, N), _DTYPE)
    role = stack("multilateral_role") if mech.peacekeeping else np.zeros((Y, N), _DTYPE)

    lat = np.array([a.lat for a in actors])
    lon = np.array([a.lon for a in actors])
    dist = _distance_km(lat, lon)
    proj = np.array([a.projection for a in actors])
    # reach[i, j]: share of j's capability that reaches i (Boulding 1962 loss-of-strength gradient)
    reach = proj[None, :] + (1 - proj[None, :]) * np.exp(-dist / params.distance_scale_km)
    np.fill_diagonal(reach, 0.0)
    proximity = np.exp(-dist[pi, pj] / params.distance_scale_km)

    # institutions: overlap (transparency), teeth
    shared = np.zeros((Y, P))
    teeth = np.zeros((Y, P))
    member_years: list[tuple[NDArray[np.float64], NDArray[np.float64]]] = []
    joint = np.zeros((Y, P))  # shared memberships in the scenario's institutions, as they move
    joint_written = np.zeros(P)  # ... as written for the start year, before any shock
    for inst in scenario.institution:
        active = _lever_path(1.0, shocks.get(("active", "entity", inst.id), []), yrs) > 0.5
        if inst.since is not None:
            active &= yrs >= inst.since
        depth = _lever_path(inst.depth, shocks.get(("depth", "entity", inst.id), []), yrs)
        tth = _lever_path(inst.teeth, shocks.get(("teeth", "entity", inst.id), []), yrs)
        mem = np.zeros((Y, N))
        for m in inst.members:
            mem[:, idx[m]] = active & (yrs >= inst.joined.get(m, -10_000))
        both = mem[:, pi] * mem[:, pj]
        joint += both
        listed = np.array(
            [(inst.since is None or inst.since <= yrs[0]) and inst.joined.get(a, -10_000) <= yrs[0] for a in ids]
        ) & np.isin(ids, inst.members)
        joint_written += listed[pi] & listed[pj]
        shared += depth[:, None] * both
        teeth = np.maximum(teeth, tth[:, None] * both)
        member_years.append((mem, tth.astype(np.float64)))
    shared = np.minimum(shared, 1.0)
    if not mech.institutions:
        shared[:] = 0.0
    if not mech.teeth:
        teeth[:] = 0.0

    # baseline hostility: rivalries and history, reconciliation, dyad levers
    baseline = np.zeros((Y, P))
    for r in scenario.rivalry:
        p = pair(*r.pair)
        on = yrs >= (r.since if r.since is not None else -10_000)
        baseline[:, p] = np.maximum(baseline[:, p], r.hostility * on)
    trade = np.zeros((Y, P))
    for t in scenario.trade:
        trade[:, pair(*t.pair)] = t.dependence
    for (lever, p), events in dyad_shocks.items():
        if lever == "hostility":
            path = _lever_path(np.nan, events, yrs)
            baseline[:, p] = np.where(np.isnan(path), baseline[:, p], path)
        elif lever == "trade":
            trade[:, p] = _lever_path(float(trade[0, p]), events, yrs)
    for (lever, p), events in dyad_shocks.items():
        if lever == "reconciliation":  # after hostility shocks: it reconciles the current baseline
            baseline[:, p] *= 1 - _lever_path(0.0, events, yrs)

    # alliances: undirected ties (for the hazard) and directed defence links
    ally = np.zeros((Y, P))
    defended: list[int] = []
    defender: list[int] = []
    link_alliance: list[str] = []
    commit_rows: list[F] = []
    presence_rows: list[F] = []
    rma_rows: list[F] = []
    incident_rows: list[F] = []
    support0: list[float] = []
    cred_given: list[float | None] = []
    edges: list[tuple[int, int]] = []
    link_edge_idx: list[int] = []
    for al in scenario.alliance:
        active = _lever_path(1.0, shocks.get(("active", "entity", al.id), []), yrs) > 0.5
        if al.since is not None:
            active &= yrs >= al.since
        if al.until is not None:
            active &= yrs <= al.until
        commit = _lever_path(al.written_commitment, shocks.get(("commitment", "entity", al.id), []), yrs)
        commit = commit * active
        members = [idx[m] for m in al.members]
        for a_i in range(len(members)):
            for b_i in range(a_i + 1, len(members)):
                p = pair(al.members[a_i], al.members[b_i])
                ally[:, p] = np.maximum(ally[:, p], commit)
        if al.kind not in DEFENCE_KINDS:
            continue
        if al.patron is not None:
            directed = [(m, idx[al.patron]) for m in members if m != idx[al.patron]]
        else:
            directed = [(a, b) for a in members for b in members if a != b]
        for d, g in directed:
            edge = tuple(sorted((d, g)))
            if edge not in edges:
                edges.append(edge)  # type: ignore[arg-type]
            link_edge_idx.append(edges.index(edge))  # type: ignore[arg-type]
            defended.append(d)
            defender.append(g)
            link_alliance.append(al.id)
            commit_rows.append(commit.astype(_DTYPE))
            presence_rows.append(_lever_path(al.presence, shocks.get(("presence", "entity", al.id), []), yrs))
            rma_rows.append(_lever_path(al.rma_gap, shocks.get(("rma_gap", "entity", al.id), []), yrs))
            incident_rows.append(
                _lever_path(al.base_incidents, shocks.get(("base_incidents", "entity", al.id), []), yrs)
            )
            support0.append(al.support)
            cred_given.append(al.credibility)
    L = len(defended)
    E = len(edges)
    d_idx = np.array(defended, dtype=np.intp)
    g_idx = np.array(defender, dtype=np.intp)
    onehot = np.eye(N, dtype=_DTYPE)
    defended_inc = onehot[d_idx] if L else np.zeros((0, N), _DTYPE)
    defender_inc = onehot[g_idx] if L else np.zeros((0, N), _DTYPE)
    link_edge = np.zeros((L, E), _DTYPE)
    link_edge[np.arange(L), np.array(link_edge_idx, dtype=np.intp)] = 1
    edge_inc = np.zeros((E, N), _DTYPE)
    for e, (u, v) in enumerate(edges):
        edge_inc[e, u] = edge_inc[e, v] = 1

    def rows(items: list[F]) -> F:
        return np.stack(items, axis=1).astype(_DTYPE) if items else np.zeros((Y, 0), _DTYPE)

    commitment = rows(commit_rows) if mech.alliances else np.zeros((Y, L), _DTYPE)
    presence = rows(presence_rows)
    rma_gap = rows(rma_rows) if mech.rma else np.zeros((Y, L), _DTYPE)
    incidents = rows(incident_rows) if mech.domestic else np.zeros((Y, L), _DTYPE)
    cover_factor = (0.5 + 0.5 * presence) * (reach[d_idx, g_idx][None, :] if L else presence)

    # an ally joining an institution with teeth alongside its defender's rivals (Snyder's
    # alliance-vs-concert tension): conflict[y, l] = max teeth of such institutions
    conflict = np.zeros((Y, L))
    rival = baseline[:, pair_index] >= 0.3  # (Y, N, N): j is a rival of i (the diagonal is cleared)
    rival[:, np.arange(N), np.arange(N)] = False
    for mem_k, teeth_k in member_years:
        # with_rival[y, l]: the institution counts a rival of link l's defender among its members
        with_rival = (mem_k[:, None, :] * rival[:, g_idx, :]).max(axis=2, initial=0.0) > 0
        conflict = np.maximum(conflict, teeth_k[:, None] * mem_k[:, d_idx] * with_rival)
    if not mech.teeth:
        conflict[:] = 0.0

    # threat weights: reach x TMD x reassurance (observer i, source j)
    missiles = np.array([a.missiles for a in actors], dtype=float)
    nuclear = np.array([a.nuclear for a in actors], dtype=float)
    shared_full = np.zeros((Y, N, N))
    shared_full[:, pi, pj] = shared
    shared_full[:, pj, pi] = shared
    protection = 1 - params.tmd_protection * tmd[:, :, None] * missiles[None, None, :]
    provocation = 1 + params.tmd_provocation * (tmd * tmd_area)[:, None, :] * nuclear[None, :, None]
    reassure = 1 - params.reassurance * role[:, None, :] * shared_full
    reassure -= params.peacekeeping_reassurance * peacekeeping[:, None, :]
    threat_weight = reach[None] * protection * provocation * np.clip(reassure, 0.05, 1.0)
    if not mech.threat:
        threat_weight[:] = 0.0
    teeth_full = np.zeros((Y, N, N))
    teeth_full[:, pi, pj] = teeth
    teeth_full[:, pj, pi] = teeth
    base_full = np.zeros((Y, N, N))
    base_full[:, pi, pj] = baseline
    base_full[:, pj, pi] = baseline
    # collective defence: only members the state does not distrust stand with it
    teeth_cover = teeth_full * (base_full < params.teeth_trust) * reach[None]

    democracy = np.array([a.democracy for a in actors])
    joint_dem = np.minimum(democracy[pi], democracy[pj])
    hazard_static = (
        params.hazard_base
        + params.hazard_proximity * proximity[None]
        - params.hazard_alliance * ally
        - params.hazard_democracy * joint_dem[None]
        - params.hazard_trade * trade
        - params.hazard_institutions * shared
    )
    hazard_x, peace0, spline = _hazard_inputs(
        scenario, params, pair, dist[pi, pj], ally, joint - joint_written[None], Y
    )
    sigma = params.misperception_sd * (1 - params.transparency * shared)
    if not mech.misperception:
        sigma[:] = 0.0
    decay = (params.hostility_decay + params.institution_decay * shared) if mech.history else np.zeros((Y, P))

    changed = np.ones(Y, dtype=bool)
    changed[1:] = np.any(threat_weight[1:] != threat_weight[:-1], axis=(1, 2)) | np.any(sigma[1:] != sigma[:-1], axis=1)

    f = _DTYPE
    depreciation = np.array([a.depreciation for a in actors], f)
    gdp0 = np.array([a.gdp for a in actors], np.float64)
    milex0 = np.array([a.milex for a in actors], np.float64)
    # the stock of a path on which spending grew at g for ever (perpetual inventory); a state
    # shrinking faster than half its depreciation rate (Russia in the early 1990s) would have no
    # such path, so its stock is floored at twice a year's spending over δ
    capability0 = milex0 / (depreciation + np.maximum(growth[0], -depreciation / 2))
    comp = Compiled(
        ids=ids,
        names=tuple(a.name for a in actors),
        years=yrs,
        pair_i=pi.astype(np.intp),
        pair_j=pj.astype(np.intp),
        pair_incidence=pair_inc,
        link_defended=d_idx,
        link_defender=g_idx,
        link_alliance=tuple(link_alliance),
        defended_incidence=defended_inc,
        defender_incidence=defender_inc,
        link_edge=link_edge,
        edge_incidence=edge_inc,
        great=np.array([k for k, a in enumerate(actors) if a.major_power], dtype=np.intp),
        depreciation=depreciation,
        share_min=np.array([a.share_min for a in actors], f),
        share_max=np.array([a.share_max for a in actors], f),
        gdp0=gdp0.astype(f),
        milex0=milex0.astype(f),
        capability0=capability0.astype(f),
        grievance=np.zeros(N, f),
        exposure=np.ones(N, f),
        reaction=np.zeros(N, f),
        credibility0=np.zeros(L, f),
        support0=np.array(support0, f),
        burden_ratio0=np.zeros(L, f),
        net_threat0=np.zeros(L, f),
        growth=growth.astype(f),
        projected=projected.astype(f),
        posture=posture.astype(f),
        effort=effort.astype(f),
        engagement=engagement.astype(f),
        peacekeeping=peacekeeping.astype(f),
        commitment=commitment.astype(f),
        presence=presence.astype(f),
        cover_factor=cover_factor.astype(f),
        rma_gap=rma_gap.astype(f),
        incidents=incidents.astype(f),
        conflict=conflict.astype(f),
        baseline=baseline.astype(f),
        shared=shared.astype(f),
        teeth=teeth.astype(f),
        hazard_static=hazard_static.astype(f),
        sigma=sigma.astype(f),
        threat_weight=threat_weight.astype(f),
        weight_ij=threat_weight[:, pi, pj].astype(f),
        weight_ji=threat_weight[:, pj, pi].astype(f),
        teeth_cover=teeth_cover.astype(f),
        decay=decay.astype(f),
        changed=changed | np.r_[True, np.any(hazard_x[1:] != hazard_x[:-1], axis=(1, 2))],
        hazard_x=hazard_x.astype(f),
        peace0=peace0.astype(f),
        spline=spline.astype(f),
        **coefficient_law(params.coefficient_draws, params.hazard_fit_end)._asdict(),
        volatility=_volatility(actors, params),
        growth_drift=np.full(N, params.growth_drift if mech.economy else 0.0, f),
    )
    return _at_rest(comp, params, [c for c in cred_given], [a.grievance for a in actors])


def _hazard_inputs(
    scenario: Scenario,
    params: Params,
    pair: Callable[[str, str], int],
    distance: NDArray[np.float64],
    ally: NDArray[np.float64],
    joined: NDArray[np.float64],
    Y: int,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """The estimated hazard's static predictors per year and pair (in :data:`STATIC_TERMS`
    order), each pair's starting peace-years and the spline basis table.

    The engine-state mapping (docs/estimation.md): capitals' great-circle distance; the actors'
    ``major_power``, ``democracy`` and ``openness``; the scenario's ``dyad`` facts (contiguity by
    land and by sea, shared IGOs, peace-years; defaults in :data:`DEFAULT_FACTS`); any alliance tie in force;
    and shared IGOs move with the scenario's institutions (each joint membership gained or lost
    after the start, by a shock or a late joiner, is one IGO more or less).
    """
    actors = scenario.actor
    pi, pj = np.triu_indices(len(actors), k=1)
    P = len(pi)
    contiguous = np.zeros(P)
    sea = np.zeros(P)
    igos = np.full(P, float(DEFAULT_FACTS["igos"]))
    peace = np.full(P, float(DEFAULT_FACTS["peace_years"]))
    for d in scenario.dyad:
        q = pair(*d.pair)
        contiguous[q] = float(d.contiguous)
        sea[q] = float(d.sea_contiguous)
        if d.igos is not None:
            igos[q] = d.igos
        if d.peace_years is not None:
            peace[q] = d.peace_years
    if not params.mechanisms.institutions:
        joined = np.zeros_like(joined)
    dem = np.array([a.democracy for a in actors])
    major = np.array([float(a.major_power) for a in actors])
    openness = np.array([DEFAULT_FACTS["openness"] if a.openness is None else a.openness for a in actors])
    columns = {
        "const": np.ones(P),
        "contiguous": contiguous,
        "sea_contiguous": sea,
        "ln_distance": np.log(np.maximum(distance, 10.0)),
        "major": np.maximum(major[pi], major[pj]),
        "democracy_low": np.minimum(dem[pi], dem[pj]),
        "democracy_high": np.maximum(dem[pi], dem[pj]),
        "trade_low": np.minimum(openness[pi], openness[pj]),
    }
    x = np.zeros((Y, P, len(STATIC_TERMS)))
    for k, term in enumerate(STATIC_TERMS):
        if term == "igos":
            x[:, :, k] = np.maximum(igos[None] + joined, 0.0) / 10.0  # the estimate is per 10 IGOs
        elif term == "allied":
            x[:, :, k] = ally > 0
        else:
            x[:, :, k] = columns[term][None]
    splines = onset_fit(params.hazard_fit_end).splines
    assert splines is not None
    table = splines.basis(np.arange(int(peace.max()) + Y + 2))
    return x, peace, table


def _volatility(actors: list[Actor], params: Params) -> F:
    """Each state's s.d. of the yearly spending residual: its own, else the parameter set's."""
    if not params.residual_draws:
        return np.zeros(len(actors), _DTYPE)
    sd = [params.spending_residual if a.volatility is None else a.volatility for a in actors]
    return np.array(sd, _DTYPE)


def constants(c: Compiled) -> Constants:
    """The run- and year-independent arrays the step reads."""
    eye = np.eye(c.n, dtype=_DTYPE)
    return Constants(
        grievance=c.grievance,
        reaction=c.reaction,
        depreciation=c.depreciation,
        share_min=c.share_min,
        share_max=c.share_max,
        incidence_i=eye[c.pair_i],
        incidence_j=eye[c.pair_j],
        pair_incidence=c.pair_incidence,
        pair_incidence_t=np.ascontiguousarray(c.pair_incidence.T),
        defended_incidence=c.defended_incidence,
        defender_incidence=c.defender_incidence,
        gather_i=np.ascontiguousarray(eye[c.pair_i].T),
        gather_j=np.ascontiguousarray(eye[c.pair_j].T),
        gather_defended=np.ascontiguousarray(c.defended_incidence.T),
        gather_defender=np.ascontiguousarray(c.defender_incidence.T),
        support0=c.support0,
        burden_ratio0=c.burden_ratio0,
        net_threat0=c.net_threat0,
        gdp0=c.gdp0,
        share0=(c.milex0 / c.gdp0).astype(_DTYPE),
        posture0=c.posture[0],
        spline=c.spline,
        volatility=c.volatility,
        growth_drift=c.growth_drift,
    )


def year_stack(c: Compiled) -> YearInputs:
    """All years' run-independent inputs, stacked on a leading year axis."""
    return YearInputs(
        growth=c.growth,
        projected=c.projected,
        posture=c.posture,
        effort=c.effort,
        engagement_defender=c.engagement[:, c.link_defender],
        peacekeeping_defended=c.peacekeeping[:, c.link_defended],
        commitment=c.commitment,
        presence=c.presence,
        cover_factor=c.cover_factor,
        rma_gap=c.rma_gap,
        incidents=c.incidents,
        conflict=c.conflict,
        baseline=c.baseline,
        teeth=c.teeth,
        hazard_static=c.hazard_static,
        sigma=c.sigma,
        weight_ij=c.weight_ij,
        weight_ji=c.weight_ji,
        teeth_cover=c.teeth_cover,
        decay=c.decay,
        hazard_x=c.hazard_x,
        first=(np.arange(len(c.years)) == 0).astype(_DTYPE),
    )


def _at_rest(c: Compiled, params: Params, cred_given: list[float | None], grievance: list[float | None]) -> Compiled:
    """Initial credibility at its target and intercepts that make the start year a rest point.

    The reaction to net threat per unit of GDP is scale-free:
    ``reaction_i = r * share0_i * gdp0_i / exposure_i`` with
    ``exposure_i = threat0_i + cover_weight * cover0_i``, so a state whose net threat rises by
    its whole start-year exposure (relative to its GDP) raises its target share by r times its
    start share, whatever its size. The
    Richardson intercept g_i (Richardson's "grievance") is solved from
    ``share0 = g + posture + reaction * net0 / gdp0 + b * fear0 - burden * share0`` with the
    deterministic start-year values (no misperception), unless the scenario gives ``grievance``.
    """
    from alliancelab.models.order.step import Bias, abandonment_fear, cover, credibility_target, perceived_threat

    p = params
    share0 = (c.milex0 / c.gdp0).astype(np.float64)
    support0 = c.support0[None].astype(np.float64)
    engaged = c.engagement[0][c.link_defender][None] if c.n_links else np.zeros((1, 0))
    target = credibility_target(np, p, support0, engaged, c.presence[0], c.rma_gap[0], c.conflict[0], c.commitment[0])
    cred = np.array([g if g is not None else float(t) for g, t in zip(cred_given, target[0], strict=True)], np.float64)[
        None
    ]
    K = c.capability0[None].astype(np.float64)
    H = c.baseline[0][None].astype(np.float64)
    at_rest = Bias(a_ij=c.weight_ij[0][None], a_ji=c.weight_ji[0][None], inflation=np.zeros_like(H))
    threat = perceived_threat(np, p, constants(c), H, at_rest, K, cred, c.commitment[0])
    cov = cover(
        np, K, cred, c.commitment[0], c.cover_factor[0], c.defended_incidence, c.defender_incidence.T, c.teeth_cover[0]
    )
    net = (threat - p.cover_weight * cov)[0]
    fear = abandonment_fear(np, p, cred, c.commitment[0], c.defended_incidence)[0]
    arms = p.mechanisms.arms
    exposure = np.maximum(threat[0] + p.cover_weight * cov[0], 1e-9)
    reaction = p.threat_reaction * share0 * c.gdp0 / exposure
    g = share0 * (1 + p.burden) - c.posture[0] - reaction * net / c.gdp0 - p.abandonment_reaction * fear
    g = np.array([gv if gv is not None else float(x) for gv, x in zip(grievance, g, strict=True)])
    if not arms:
        g = share0
    d, s = c.link_defended, c.link_defender
    return replace(
        c,
        grievance=g.astype(_DTYPE),
        exposure=exposure.astype(_DTYPE),
        reaction=reaction.astype(_DTYPE),
        credibility0=cred[0].astype(_DTYPE),
        burden_ratio0=(share0[d] / share0[s]).astype(_DTYPE),
        net_threat0=(reaction * net / c.gdp0)[d].astype(_DTYPE),
    )
