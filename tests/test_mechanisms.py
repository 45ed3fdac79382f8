"""Each mechanism of the order engine: the direction of its effect, and its switch.

Deterministic checks use QUIET parameters (no perceptual bias, no crises, no noise), so a
difference between two scenarios is the mechanism's effect alone. Stochastic checks compare
means over many runs on the same seeds and require a difference of several standard errors.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import xarray as xr

from alliancelab.models.order.params import MECHANISMS, Params
from alliancelab.models.order.params import make_params as _make_params
from alliancelab.models.order.paramsets import BUILTIN
from alliancelab.models.order.simulate import simulate as _simulate
from alliancelab.scenario import load_scenario, scenario_from_dict


# These tests hold each mechanism of the illustrative equations to its direction; the estimated
# equations' own tests are in tests/test_estimated_engine.py.
def make_params(**kw: Any) -> Params:
    return _make_params(**(BUILTIN["illustrative"][0] | kw))


def simulate(*args: Any, **kw: Any) -> xr.Dataset:
    kw.setdefault("params", make_params())
    return _simulate(*args, **kw)


QUIET = make_params(mechanisms=["misperception", "crises"], growth_noise=0.0, growth_drift=0.0, support_noise=0.0)

YEARS = 20
LATE = slice(2010, 2020)


def quiet(name: Any, **kw: Any) -> xr.Dataset:
    params = kw.pop("params", QUIET)
    return simulate(name, runs=1, years=YEARS, params=params, **kw)


def off(*names: str, **extra: Any) -> Any:
    return make_params(
        mechanisms=["misperception", "crises", *names], growth_noise=0.0, growth_drift=0.0, support_noise=0.0, **extra
    )


def late(ds: xr.Dataset, var: str, **sel: Any) -> float:
    return float(ds[var].sel(year=LATE, **sel).mean())


def with_shocks(*shocks: dict[str, Any], base: str = "asia-pacific-2001") -> Any:
    doc = load_scenario(base).model_dump(mode="json", exclude_none=True)
    doc["shock"] = doc.get("shock", []) + list(shocks)
    return scenario_from_dict(doc)


def significant(a: np.ndarray, b: np.ndarray, k: float = 4.0) -> bool:
    """a > b by more than k paired standard errors."""
    d = np.asarray(a, float) - np.asarray(b, float)
    return bool(d.mean() > k * d.std(ddof=1) / np.sqrt(len(d)))


def test_every_mechanism_has_a_switch() -> None:
    expected = {
        "economy",
        "threat",
        "misperception",
        "arms",
        "alliances",
        "abandonment",
        "entrapment",
        "restraint",
        "institutions",
        "teeth",
        "crises",
        "spiral",
        "history",
        "domestic",
        "tmd",
        "rma",
        "peacekeeping",
    }
    assert set(MECHANISMS) == expected


def test_economy_grows_gdp_on_its_path_and_switches_off() -> None:
    ds = quiet("asia-pacific-2001")
    sc = load_scenario("asia-pacific-2001")
    usa = next(a for a in sc.actor if a.id == "usa")
    got = ds["gdp"].sel(actor="usa").isel(run=0).values
    np.testing.assert_allclose(got, usa.gdp * (1 + usa.growth) ** np.arange(YEARS), rtol=1e-4)
    flat = quiet("asia-pacific-2001", params=off("economy"))
    gdp = flat["gdp"].isel(run=0).values
    np.testing.assert_array_equal(gdp, np.broadcast_to(gdp[0], gdp.shape))


def test_start_year_is_at_rest() -> None:
    """Calibrated intercepts: without shocks and noise the start year reproduces the data."""
    ds = quiet("asia-pacific-2001")
    sc = load_scenario("asia-pacific-2001")
    share0 = np.array([a.milex / a.gdp for a in sc.actor])
    np.testing.assert_allclose(ds["share"].isel(run=0, year=0).values, share0, rtol=1e-4)


def test_lower_us_engagement_raises_japans_abandonment_fear_and_spending() -> None:
    base, ret = quiet("asia-pacific-2001"), quiet("us-retrenchment")
    assert late(ret, "abandonment_fear", actor="jpn") > late(base, "abandonment_fear", actor="jpn") + 0.1
    assert late(ret, "share", actor="jpn") > late(base, "share", actor="jpn") * 1.1
    for ally in ("kor", "aus", "phl", "tha"):
        assert late(ret, "share", actor=ally) > late(base, "share", actor=ally), ally


def test_abandonment_switch_weakens_the_self_help_response() -> None:
    p = off("abandonment")
    gain_on = late(quiet("us-retrenchment"), "share", actor="jpn") - late(
        quiet("asia-pacific-2001"), "share", actor="jpn"
    )
    gain_off = late(quiet("us-retrenchment", params=p), "share", actor="jpn") - late(
        quiet("asia-pacific-2001", params=p), "share", actor="jpn"
    )
    assert 0 < gain_off < gain_on
    assert float(quiet("us-retrenchment", params=p)["abandonment_fear"].max()) == 0.0


def test_arms_switch_freezes_shares() -> None:
    ds = quiet("us-retrenchment", params=off("arms"))
    share = ds["share"].isel(run=0).values
    np.testing.assert_array_equal(share, np.broadcast_to(share[0], share.shape))


def test_alliances_provide_cover() -> None:
    with_allies = quiet("asia-pacific-2001")
    without = quiet("asia-pacific-2001", params=off("alliances"))
    for ally in ("jpn", "kor", "aus"):
        assert late(without, "net_threat", actor=ally) > late(with_allies, "net_threat", actor=ally), ally
    assert float(without["credibility"].max()) == 0.0


def test_restraint_makes_an_anchored_ally_less_threatening() -> None:
    on = quiet("asia-pacific-2001")
    no = quiet("asia-pacific-2001", params=off("restraint"))
    assert late(no, "threat", actor="chn") > late(on, "threat", actor="chn")


def test_threat_switch() -> None:
    ds = quiet("asia-pacific-2001", params=off("threat"))
    assert float(abs(ds["threat"]).max()) == 0.0


def test_misperception_varies_runs_and_institutions_narrow_it() -> None:
    p = make_params(mechanisms=["crises"], growth_noise=0.0, growth_drift=0.0, support_noise=0.0)
    base = simulate("asia-pacific-2001", runs=400, years=2, params=p, seed=3)
    bare = simulate("no-dialogues", runs=400, years=2, params=p, seed=3)
    spread = {
        k: float(np.log(ds["threat"].sel(actor="jpn", year=2001)).std()) for k, ds in (("base", base), ("bare", bare))
    }
    assert spread["base"] > 0.01
    assert spread["bare"] > spread["base"] * 1.05
    none = simulate("asia-pacific-2001", runs=20, years=2, params=off())
    assert float((none["threat"].max("run") - none["threat"].min("run")).max()) == 0.0


def test_dialogues_lower_crises_and_spiral_hostility() -> None:
    base = simulate("asia-pacific-2001", runs=400, years=15, seed=5, keep="region")
    bare = simulate("no-dialogues", runs=400, years=15, seed=5, keep="region")
    assert significant(bare["crisis_count"].mean("year"), base["crisis_count"].mean("year"))
    assert significant(bare["security_dilemma_index"].mean("year"), base["security_dilemma_index"].mean("year"))


def test_institutions_switch_removes_the_dialogue_effect() -> None:
    p = make_params(mechanisms=["institutions"])
    a = simulate("asia-pacific-2001", runs=200, years=10, seed=5, keep="region", params=p)
    b = simulate("no-dialogues", runs=200, years=10, seed=5, keep="region", params=p)
    np.testing.assert_array_equal(a["crisis_count"].values, b["crisis_count"].values)


def _escalation_share(ds: xr.Dataset) -> float:
    return float(ds["escalation"].sum() / 2 / ds["crisis_count"].sum())


def test_teeth_deter_escalation_once_a_crisis_starts() -> None:
    kw: dict[str, Any] = {"runs": 1500, "years": 20, "seed": 11, "keep": ["escalation", "crisis_count"]}
    base = simulate("asia-pacific-2001", **kw)
    teeth = simulate("arf-with-teeth", **kw)
    assert _escalation_share(teeth) < _escalation_share(base) - 0.008
    bare = simulate("no-dialogues", **kw)
    # dialogues without teeth: fewer crises, but no less escalation once one starts
    assert abs(_escalation_share(bare) - _escalation_share(base)) < 0.006
    assert float(bare["crisis_count"].mean()) > float(base["crisis_count"].mean())


def test_teeth_conflict_with_the_bilateral_alliance() -> None:
    base, teeth = quiet("asia-pacific-2001"), quiet("arf-with-teeth")
    link = "us-japan:jpn<-usa"
    assert late(teeth, "credibility", link=link) < late(base, "credibility", link=link)
    no_teeth = off("teeth")
    np.testing.assert_allclose(
        quiet("arf-with-teeth", params=no_teeth)["credibility"].values,
        quiet("asia-pacific-2001", params=no_teeth)["credibility"].values,
    )


def _two_rivals(hostility: float) -> Any:
    actor = {"gdp": 1e12, "milex": 2e10, "lat": 0.0, "democracy": 0.2}
    return scenario_from_dict(
        {
            "scenario": {"name": "rivals", "start": 2000},
            "actor": [{"id": "aaa", "name": "A", "lon": 0.0, **actor}, {"id": "bbb", "name": "B", "lon": 5.0, **actor}],
            "rivalry": [{"pair": ["aaa", "bbb"], "hostility": hostility}],
        }
    )


def test_crisis_hazard_rises_with_hostility_and_switches_off() -> None:
    kw: dict[str, Any] = {"runs": 1000, "years": 10, "seed": 2, "keep": "region"}
    low = simulate(_two_rivals(0.2), **kw)["crisis_count"].mean("year")
    high = simulate(_two_rivals(0.8), **kw)["crisis_count"].mean("year")
    assert significant(high, low)
    none = simulate(_two_rivals(0.8), params=make_params(mechanisms=["crises"]), **kw)
    assert int(none["crisis_count"].sum()) == 0


def test_crises_raise_hostility() -> None:
    ds = simulate(
        _two_rivals(0.5),
        runs=600,
        years=6,
        seed=4,
        keep=["crisis", "hostility"],
        params=make_params(mechanisms=["spiral"]),
    )
    c = ds["crisis"].isel(actor=0, other=1).values[:, :-1].astype(bool)
    h = ds["hostility"].isel(actor=0, other=1).values
    jump = h[:, 1:] - h[:, :-1]
    assert jump[c].mean() > jump[~c].mean() + 0.05


def test_spiral_turns_buildups_into_hostility() -> None:
    base, uk = quiet("asia-pacific-2001"), quiet("japan-uk-model")
    assert late(uk, "hostility", actor="chn", other="jpn") > late(base, "hostility", actor="chn", other="jpn")
    p = off("spiral")
    np.testing.assert_allclose(
        quiet("japan-uk-model", params=p)["hostility"].values, quiet("asia-pacific-2001", params=p)["hostility"].values
    )


def test_reconciliation_lowers_hostility_through_history() -> None:
    base, rec = quiet("asia-pacific-2001"), quiet("korean-reconciliation")
    for pair in (("kor", "prk"), ("jpn", "kor")):
        assert (
            late(rec, "hostility", actor=pair[0], other=pair[1])
            < late(base, "hostility", actor=pair[0], other=pair[1]) - 0.1
        )
    p = off("history")
    np.testing.assert_array_equal(
        quiet("korean-reconciliation", params=p)["hostility"].values,
        quiet("asia-pacific-2001", params=p)["hostility"].values,
    )


def test_base_incidents_erode_support_and_credibility() -> None:
    sc = with_shocks({"year": 2005, "lever": "base_incidents", "target": "us-japan", "value": 0.8})
    base, hit = quiet("asia-pacific-2001"), quiet(sc)
    link = "us-japan:jpn<-usa"
    assert late(hit, "support", link=link) < late(base, "support", link=link) - 0.1
    assert late(hit, "credibility", link=link) < late(base, "credibility", link=link)
    p = off("domestic")
    support = quiet(sc, params=p)["support"]
    assert float((support.max("year") - support.min("year")).max()) == 0.0


def test_entrapment_costs_the_patron_support() -> None:
    kw: dict[str, Any] = {"runs": 400, "years": 15, "seed": 8, "keep": ["support", "entrapment"]}
    on = simulate("asia-pacific-2001", **kw)
    no = simulate("asia-pacific-2001", params=make_params(mechanisms=["entrapment"]), **kw)
    link = "us-rok:kor<-usa"
    assert significant(no["support"].sel(link=link).mean("year"), on["support"].sel(link=link).mean("year"))
    assert float(on["entrapment"].sel(actor="usa").sum()) > 0
    assert float(no["entrapment"].sum()) == 0


def test_tmd_protects_and_area_wide_provokes() -> None:
    base, boost, area = quiet("asia-pacific-2001"), quiet("tmd-boost-phase"), quiet("tmd-area-wide")
    assert late(boost, "threat", actor="jpn") < late(base, "threat", actor="jpn")
    assert late(area, "threat", actor="chn") > late(boost, "threat", actor="chn")
    p = off("tmd")
    np.testing.assert_allclose(
        quiet("tmd-area-wide", params=p)["threat"].values, quiet("asia-pacific-2001", params=p)["threat"].values
    )


def test_rma_gap_lowers_credibility() -> None:
    sc = with_shocks({"year": 2005, "lever": "rma_gap", "target": "us-rok", "value": 0.8})
    link = "us-rok:kor<-usa"
    assert late(quiet(sc), "credibility", link=link) < late(quiet("asia-pacific-2001"), "credibility", link=link) - 0.1
    p = off("rma")
    np.testing.assert_allclose(
        quiet(sc, params=p)["credibility"].values, quiet("asia-pacific-2001", params=p)["credibility"].values
    )


def test_multilateral_role_reassures_neighbours() -> None:
    uk, german = quiet("japan-uk-model"), quiet("japan-german-model")
    for neighbour in ("chn", "kor"):
        assert late(german, "threat", actor=neighbour) < late(uk, "threat", actor=neighbour), neighbour
    p = off("peacekeeping")
    assert (
        late(quiet("japan-german-model", params=p), "threat", actor="kor")
        >= late(quiet("japan-uk-model", params=p), "threat", actor="kor") * 0.999
    )


def test_dyad_levers_move_baseline_hostility_and_trade() -> None:
    hot = with_shocks({"year": 2004, "lever": "hostility", "target": ["jpn", "kor"], "value": 0.7})
    base = quiet("asia-pacific-2001")
    assert (
        late(quiet(hot), "hostility", actor="jpn", other="kor")
        > late(base, "hostility", actor="jpn", other="kor") + 0.3
    )
    kw: dict[str, Any] = {"runs": 800, "years": 12, "seed": 9, "keep": ["crisis"]}
    rivals = _two_rivals(0.6)
    doc = rivals.model_dump(mode="json", exclude_none=True)
    doc["shock"] = [{"year": 2000, "lever": "trade", "target": ["aaa", "bbb"], "value": 0.3}]
    trading = simulate(scenario_from_dict(doc), **kw)["crisis"].isel(actor=0, other=1).mean("year")
    plain = simulate(rivals, **kw)["crisis"].isel(actor=0, other=1).mean("year")
    assert significant(plain, trading)


def test_equal_growth_is_a_rest_point_for_thirty_years() -> None:
    """On a balanced-growth path (every state growing at one rate; no shocks, noise or crises)
    every share stays where it started: the start is a rest point beyond the start year."""
    doc = load_scenario("asia-pacific-2001").model_dump(mode="json", exclude_none=True)
    for actor in doc["actor"]:
        actor["growth"] = 0.03
    doc["shock"] = []
    quiet = make_params(mechanisms=["misperception", "crises"], growth_noise=0.0, growth_drift=0.0, support_noise=0.0)
    ds = simulate(scenario_from_dict(doc), runs=4, years=30, params=quiet, seed=0)
    share = ds["share"].values[0]
    np.testing.assert_allclose(share[-1], share[0], rtol=0.01)


def test_the_order_thresholds_are_parameters_both_backends_read() -> None:
    """Raising the hegemony threshold above the U.S.'s share of great-power capability ends the
    hub-and-spoke type; the kernel and the NumPy path classify alike."""
    strict = make_params(hegemony_share=0.99)
    for backend in ("numba", "numpy"):
        base = simulate("asia-pacific-2001", runs=16, years=10, seed=3, backend=backend)
        high = simulate("asia-pacific-2001", runs=16, years=10, seed=3, backend=backend, params=strict)
        assert (base["order"].values == 0).mean() > 0.9
        assert (high["order"].values == 0).mean() == 0
        np.testing.assert_array_equal(high["share"].values, base["share"].values)  # only the label moves
    assert strict.order_thresholds().hegemony_share == 0.99
