"""The book's levers from history (``estimate alliances``): the deployment data as the producers
describe them, the drawdown rule on the episodes the record shows, and the estimators held to
planted coefficients and a planted event effect they did not make."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from alliancelab.cli import app
from alliancelab.data.deployments import (
    add_us_troops,
    load_us_troops,
    us_bases,
    us_defence_pacts,
    us_territory_troops,
    us_troops_state_years,
)
from alliancelab.estimation.alliances import (
    PRESENCE_TERMS,
    drawdown_episodes,
    event_study,
    presence_effect,
    verdict,
)


def test_the_deployment_record_matches_its_provenance() -> None:
    troops = load_us_troops().set_index(["ccode", "year"])["troops"]
    # PROVENANCE.md's checked facts: South Korea, the Philippines, Taiwan, Thailand, Japan
    assert troops[732, 1969] == 66_531 and troops[732, 1971] == 40_740 and troops[732, 2007] == 27_014
    assert [troops[840, y] for y in (1990, 1991, 1992, 1993)] == [13_863, 7_761, 1_929, 53]
    assert troops[713, 1969] == 9_243 and troops[713, 1978] == 753
    assert troops[800, 1969] == 48_105 and troops[740, 1969] == 84_802
    # the 2008 double count: South Korea's 50,975 becomes the mean of its neighbours, and is flagged
    flagged = load_us_troops().set_index(["ccode", "year"])["imputed_2008"]
    assert troops[732, 2008] == pytest.approx((27_014 + 26_645) / 2) and flagged[732, 2008]
    assert not flagged[740, 2007]
    # the United States itself and the territories are not hosts; the territories are kept apart
    codes = set(troops.index.get_level_values(0))
    assert 2 not in codes and max(codes) < 1000
    assert {"Guam", "Diego Garcia"} <= set(us_territory_troops()["place"])


def test_state_and_dyad_year_joins_fill_absent_hosts_with_zero() -> None:
    states = pd.DataFrame({"ccode": [740, 740, 20, 740], "year": [1960, 1949, 1960, 2024]})
    joined = us_troops_state_years(states)
    assert joined["us_troops"].iloc[0] > 40_000 and np.isnan(joined["us_troops"].iloc[1])  # before 1950: no data
    assert joined["us_troops"].iloc[2] >= 0
    dyads = add_us_troops(pd.DataFrame({"ccode1": [732], "ccode2": [771], "year": [1969]}))
    assert dyads["us_troops1"].iloc[0] == 66_531 and dyads["us_troops2"].iloc[0] == 0  # none in North Korea


def test_us_pacts_and_bases_from_atop_and_vine() -> None:
    pacts = us_defence_pacts().set_index(["ccode", "year"])
    # the asymmetric U.S.-Japan treaty counts (the United States promises defence); Taiwan's ends in 1980
    assert pacts.loc[(740, 1960), "us_pact"] == 1 and (732, 1960) in pacts.index and (840, 1960) in pacts.index
    assert (713, 1979) in pacts.index and (713, 1981) not in pacts.index
    assert (710, 1990) not in pacts.index  # China
    bases = us_bases().set_index("ccode")
    assert bases.loc[740, "sites"] > 20 and bases.loc[732, "sites"] > 20


def test_the_drawdown_rule_finds_the_asia_pacific_episodes() -> None:
    found = drawdown_episodes(load_us_troops())
    dated = set(zip(found["ccode"], found["year"], strict=True))
    # South Korea (Guam doctrine 1969; the 2004 realignment), Thailand after Vietnam, Taiwan's
    # normalisation, the Philippine Senate's vote (1991), Japan after Vietnam and Okinawa
    for episode in [(732, 1969), (732, 2004), (800, 1975), (713, 1972), (840, 1991), (740, 1971)]:
        assert episode in dated, episode
    # the rule on a made-up series: 5,000 → 3,400 within three years is one; 5,000 → 4,000 is not
    series = pd.DataFrame({"ccode": 1, "year": range(1970, 1980), "troops": [5000] * 3 + [4000, 3400] + [3400] * 5})
    assert list(drawdown_episodes(series)["year"]) == [1973]
    shallow = series.assign(troops=[5000] * 3 + [4000] * 7)
    assert drawdown_episodes(shallow).empty


def test_the_presence_panel_recovers_planted_coefficients() -> None:
    """A synthetic host-year panel with host and year effects and known coefficients."""
    rng = np.random.default_rng(7)
    hosts, years = 80, 40
    truth = dict.fromkeys(PRESENCE_TERMS, 0.0) | {
        "ln_share_lag1": 0.6,
        "presence_lag1": -0.10,
        "presence_x_pact_lag1": -0.15,
        "us_pact_lag1": 0.05,
        "threat": 0.4,
    }
    rows = []
    for h in range(hosts):
        effect = rng.normal(0, 0.5)
        joins = 10 + h % 20 if h % 2 == 0 else years  # half the hosts sign a pact, in staggered years
        y = effect / (1 - 0.6)
        for t in range(years):
            pact = int(t >= joins)
            x = {k: rng.normal() for k in PRESENCE_TERMS if k != "ln_share_lag1"}
            x["us_pact_lag1"] = float(pact)
            x["presence_x_pact_lag1"] = x["presence_lag1"] * pact
            x["ln_share_lag1"] = y
            y = effect + 0.02 * t + sum(truth[k] * x[k] for k in PRESENCE_TERMS) + rng.normal(0, 0.1)
            rows.append({"ccode": h, "year": 1960 + t, "ln_share": y, **x})
    panel = pd.DataFrame(rows)
    table, effects, n = presence_effect(panel)
    est = table.set_index("term")
    for term in ("ln_share_lag1", "presence_lag1", "presence_x_pact_lag1", "threat"):
        assert abs(est.loc[term, "coef"] - truth[term]) < 4 * est.loc[term, "se"] + 0.02, term
    ally = effects.iloc[0]
    assert ally["verdict"] == "supports" and ally["estimate_pct"] == pytest.approx(100 * np.expm1(-0.25), abs=1.5)
    assert n == hosts * years


def test_the_event_study_recovers_a_planted_drawdown_effect() -> None:
    """Staggered drawdowns raising the (log) burden by 0.2 from the episode on; never-treated
    allies as controls."""
    rng = np.random.default_rng(3)
    rows, episodes = [], []
    for h in range(90):
        g = [0, 1975, 1982, 1990][h % 4]
        if g:
            episodes.append({"ccode": h, "year": g, "us_ally": 1})
        level = rng.normal(-3.5, 0.4)
        for t in range(1965, 2005):
            treated = 0.2 if g and t >= g else 0.0
            y = level + 0.01 * (t - 1965) + treated + rng.normal(0, 0.05)
            rows.append({"ccode": h, "year": t, "ln_share": y, "us_pact": 1})
    coefs, pooled = event_study(pd.DataFrame(rows), pd.DataFrame(episodes))
    assert pooled["coef"].iloc[0] == pytest.approx(0.2, abs=0.04)
    assert pooled["hosts"].iloc[0] == 67 and pooled["controls"].iloc[0] == 23
    pre = coefs[coefs["event_time"] < 0]["coef"]
    assert (pre.abs() < 0.05).all()  # no effect before the episode


def test_verdicts_say_which_side_of_zero_the_interval_lies() -> None:
    assert verdict(-0.3, -0.1, -1) == "supports" and verdict(0.1, 0.3, -1) == "contradicts"
    assert verdict(-0.1, 0.2, -1) == "cannot tell" and verdict(0.1, 0.3, +1) == "supports"


def test_estimate_alliances_writes_its_tables(tmp_path: Path) -> None:
    out = tmp_path / "a"
    result = CliRunner().invoke(app, ["estimate", "alliances", "-q", "-o", str(out)])
    assert result.exit_code == 0, result.output
    effects = pd.read_csv(out / "alliance_effects.csv")
    assert set(effects["design"]) == {"presence", "drawdown", "restraint", "reassurance"}
    assert set(effects["verdict"].dropna()) <= {"supports", "contradicts", "cannot tell"}
    episodes = pd.read_csv(out / "drawdown_episodes.csv")
    assert len(episodes) > 40 and {"threat", "us_ally", "group"} <= set(episodes.columns)
    bad = CliRunner().invoke(app, ["estimate", "alliances", "--start", "2000", "--end", "1990"])
    assert bad.exit_code == 2 and "a year after --start" in " ".join(bad.output.split())
