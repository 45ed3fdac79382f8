"""The book's six claims, each a contrast of two built-in scenarios on the same seeds.

These are findings of the model as specified, not assertions coded into it: each passes only
because the mechanisms documented in docs/models/order.md produce it. Differences are paired by
run and must exceed several standard errors.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import xarray as xr

from alliancelab.models.order.paramsets import load_params
from alliancelab.models.order.simulate import simulate
from alliancelab.report import comparison_table

#: The claims' directions under the illustrative equations (the estimated set's verdicts are the
#: claims analysis's job: docs/models/order.md, "The book's claims").
ILLUSTRATIVE = load_params("illustrative")

RUNS, YEARS, SEED = 600, 20, 2001
LATE = slice(2006, 2020)
ALLIES = ["jpn", "kor", "aus", "phl", "tha", "twn"]


@cache
def run(name: str) -> xr.Dataset:
    return simulate(
        name, runs=RUNS, years=YEARS, seed=SEED, keep=["actor", "region", "escalation"], params=ILLUSTRATIVE
    )


def paired(a: xr.DataArray, b: xr.DataArray) -> tuple[float, float]:
    d = (a - b).values.astype(float)
    return float(d.mean()), float(d.std(ddof=1) / np.sqrt(len(d)))


def per_run(ds: xr.Dataset, var: str, **sel: object) -> xr.DataArray:
    v = ds[var].sel(year=LATE, **sel).astype("float64")
    return v.mean([d for d in v.dims if d != "run"])


def test_claim1_less_certain_commitment_raises_allied_spending_and_the_arms_race_index() -> None:
    base, ret = run("asia-pacific-2001"), run("us-retrenchment")
    diff, se = paired(per_run(ret, "share", actor=ALLIES), per_run(base, "share", actor=ALLIES))
    assert diff > 5 * se and diff > 0.001
    diff, se = paired(per_run(ret, "arms_race_index"), per_run(base, "arms_race_index"))
    assert diff > 3 * se


def test_claim2_rearming_outside_the_alliance_provokes_more() -> None:
    outside, inside = run("japan-outside-alliance"), run("japan-uk-model")
    for neighbour in ("chn", "kor"):
        diff, se = paired(per_run(outside, "threat", actor=neighbour), per_run(inside, "threat", actor=neighbour))
        assert diff > 5 * se, neighbour


def test_claim3_german_model_provokes_less_than_uk_model() -> None:
    german, uk = run("japan-german-model"), run("japan-uk-model")
    for neighbour in ("chn", "kor"):
        diff, se = paired(per_run(uk, "threat", actor=neighbour), per_run(german, "threat", actor=neighbour))
        assert diff > 5 * se, neighbour


def test_claim4_arf_without_teeth_prevents_crises_but_does_not_deter() -> None:
    base, bare = run("asia-pacific-2001"), run("no-dialogues")
    diff, se = paired(per_run(bare, "crisis_count"), per_run(base, "crisis_count"))
    assert diff > 5 * se

    def escalation(ds: xr.Dataset) -> float:
        return float(ds["escalation"].sel(year=LATE).sum() / 2 / ds["crisis_count"].sel(year=LATE).sum())

    assert abs(escalation(bare) - escalation(base)) < 0.015


def test_claim5_alliances_and_institutions_together_give_the_lowest_crisis_rate() -> None:
    rates = {
        name: float(per_run(run(name), "crisis_count").mean())
        for name in ("asia-pacific-2001", "no-alliances", "no-dialogues", "no-alliances-no-dialogues")
    }
    assert rates["asia-pacific-2001"] == min(rates.values())
    diff, se = paired(per_run(run("no-alliances"), "crisis_count"), per_run(run("asia-pacific-2001"), "crisis_count"))
    assert diff > 2 * se
    assert rates["no-alliances-no-dialogues"] == max(rates.values())


def test_claim6_area_wide_tmd_raises_chinese_threat_more_than_boost_phase() -> None:
    area, boost = run("tmd-area-wide"), run("tmd-boost-phase")
    diff, se = paired(per_run(area, "threat", actor="chn"), per_run(boost, "threat", actor="chn"))
    assert diff > 5 * se


def test_comparison_table_reports_paired_differences() -> None:
    table = comparison_table({"asia-pacific-2001": run("asia-pacific-2001"), "us-retrenchment": run("us-retrenchment")})
    row = table[
        (table["indicator"] == "United States' allies' spending share (%)") & (table["scenario"] == "us-retrenchment")
    ].iloc[0]
    assert row["difference"] > 0
    assert row["q05"] <= row["difference"] <= row["q95"]
    assert row["se"] > 0 and row["runs"] == RUNS
    first = int(run("asia-pacific-2001").year[4])
    assert table.attrs["window"] == [first, int(run("asia-pacific-2001").year[-1])] and table.attrs["notes"] == []
