"""A scenario for a year past its sources' ends: every fact carried with its vintage, no state
dropped silently, and a run that says so (or refuses with --reviewed)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from alliancelab.data.coverage import set_change, value_change


@pytest.fixture(scope="module")
def built_2023(shared_data: Path):  # type: ignore[no-untyped-def]
    from alliancelab.data.scenario_builder import scenario_document
    from alliancelab.models.order.estimated import scenario_facts

    return scenario_document(2023, region="asia-pacific", facts=scenario_facts)


def test_2023_carries_each_fact_from_its_sources_last_year(built_2023) -> None:  # type: ignore[no-untyped-def]
    """Majors from COW 2016, democracy from V-Dem's last year, rivalries ongoing at TSS's end,
    alliances from ATOP (Manila Pact kept for Thailand), Vietnam from SIPRI's 2018 and North
    Korea from NMC's last milex; each carried value is listed with the year it comes from."""
    import tomllib

    from alliancelab.data import load_democracy, load_nmc, load_sipri
    from alliancelab.scenario import scenario_from_dict

    doc = built_2023.doc
    assert tomllib.loads(built_2023.text) == doc
    actors = {a["id"]: a for a in doc["actor"]}
    assert {"prk", "vnm"} <= set(actors)  # no longer left out
    # COW majors2016: the United States, Russia, China and (from 1991) Japan; not South Korea
    assert all(actors[i]["major_power"] for i in ("usa", "chn", "rus", "jpn")) and not actors["kor"]["major_power"]
    dem = load_democracy().dropna(subset=["v2x_polyarchy"])
    us = dem[dem["ccode"] == 2].sort_values("year").iloc[-1]
    assert actors["usa"]["democracy"] == pytest.approx(float(us["v2x_polyarchy"]), abs=5e-4)
    pairs = {tuple(sorted(r["pair"])) for r in doc["rivalry"]}
    assert {("chn", "twn"), ("kor", "prk"), ("chn", "jpn")} <= pairs
    thailand = [al for al in doc["alliance"] if sorted(al["members"]) == ["tha", "usa"]]
    assert thailand and thailand[0]["kind"] == "defense" and thailand[0]["atop_id"] == 3260
    vn = load_sipri().query("ccode == 816").dropna(subset=["milex_current_usd_m"]).sort_values("year").iloc[-1]
    assert int(vn["year"]) == 2018 and actors["vnm"]["milex"] == pytest.approx(
        vn["milex_current_usd_m"] * 1e6, rel=1e-5
    )
    nk = load_nmc(7).query("ccode == 731").dropna(subset=["milex"]).sort_values("year").iloc[-1]
    assert actors["prk"]["milex"] == pytest.approx(float(nk["milex"]) * 1e3, rel=1e-5)

    sc = scenario_from_dict(doc)
    by_fact = {f: (c.source, c.year) for c in sc.carried for f in c.facts}
    assert by_fact["usa.major_power"] == ("COW major powers (majors2016)", 2016)
    assert by_fact["usa.democracy"][1] == int(us["year"]) < 2023
    assert by_fact["vnm.milex"][1] == 2018 and by_fact["prk.milex"][1] == int(nk["year"])
    assert by_fact["rivalry chn-twn"][1] == 2020 and by_fact["atop-3260"] == ("ATOP 5.1", 2018)
    for fact in by_fact:  # each names a value the scenario holds
        head, _, field = fact.partition(".")
        if field:
            assert field in actors[head], fact
    # every value to review names a field the scenario holds
    for item in sc.scenario.review:
        head, _, field = item.rpartition(".")
        named = {
            **actors,
            **{al["id"]: al for al in doc["alliance"]},
            **{"-".join(r["pair"]): r for r in doc["rivalry"]},
        }
        entry = named[head]
        assert field in entry, item
    assert "usa.projection" in sc.scenario.review
    assert sc.carried_over(20) == [(next(c for c in sc.carried if "prk.milex" in c.facts), 2023 - int(nk["year"]))]


def test_a_year_inside_every_source_carries_nothing(shared_data: Path) -> None:
    """2001 lies inside every source: nothing is carried and the preset-style hash is unchanged
    by the new (empty) sections."""
    from alliancelab.data.scenario_builder import scenario_document
    from alliancelab.scenario import load_scenario, scenario_from_dict, scenario_hash

    doc = scenario_document(2001, region="asia-pacific").doc
    assert "carried" not in doc
    sc = scenario_from_dict(doc)
    assert sc.carried == [] and sc.carried_over(0) == []
    preset = load_scenario("asia-pacific-2001")
    dumped = preset.model_dump(mode="json")
    assert dumped["carried"] == [] and dumped["scenario"]["review"] == []
    import hashlib
    import json

    del dumped["carried"], dumped["scenario"]["review"]
    old = hashlib.sha256(json.dumps(dumped, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
    assert scenario_hash(preset) == old


def test_run_says_what_is_unreviewed_and_stale_and_reviewed_refuses(
    built_2023,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    from typer.testing import CliRunner

    from alliancelab.cli import app

    path = tmp_path / "y2023.toml"
    path.write_text(built_2023.text, encoding="utf-8")
    runner = CliRunner()
    refused = runner.invoke(
        app, ["run", str(path), "--reviewed", "--runs", "4", "--years", "2", "-o", str(tmp_path / "a")]
    )
    assert refused.exit_code == 2, refused.output
    assert "--reviewed" in refused.output and "not yet reviewed" in refused.output
    assert not (tmp_path / "a" / "results.nc").exists()
    ran = runner.invoke(
        app,
        ["run", str(path), "--runs", "4", "--years", "2", "--no-figures", "--tables", "csv", "-o", str(tmp_path / "b")],
    )
    assert ran.exit_code == 0, ran.output
    said = " ".join(ran.output.split())
    assert "not yet reviewed" in said and "carried 7 years: usa.major_power" in said
    assert "carried 3 years" not in said  # the default names facts older than 3 years only
    # reviewed: the list emptied, the refusal lifts
    text = built_2023.text
    start = text.index("review = [")
    end = text.index("]", text.index("\n]", start)) + 1
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    again = runner.invoke(
        app,
        [
            "run",
            str(path),
            "--reviewed",
            "--runs",
            "4",
            "--years",
            "2",
            "--no-figures",
            "--tables",
            "csv",
            "-o",
            str(tmp_path / "c"),
        ],
    )
    assert again.exit_code == 0, again.output


def test_carry_forward_error_on_hand_computed_cases() -> None:
    frame = pd.DataFrame(
        {"ccode": [1, 1, 2, 2, 3], "year": [2000, 2005, 2000, 2005, 2005], "x": [100.0, 110.0, 50.0, 25.0, 9.0]}
    )
    got = value_change(frame, "x", 2005, 5, relative=True, threshold=0.1)
    # |log(100/110)| = 0.0953 (unchanged at 10 %), |log(50/25)| = 0.693 (changed); state 3 has no 2000
    assert got["n"] == 2 and got["changed"] == 0.5
    assert got["median"] == pytest.approx((0.09531 + 0.69315) / 2, abs=1e-4)
    assert value_change(frame, "x", 2005, 0, relative=False, threshold=0.0)["changed"] == 0.0
    assert set_change({(1,), (2,)}, {(2,), (3,)}) == {"n": 3, "changed": 2 / 3}


def test_carry_forward_error_on_the_record(shared_data: Path) -> None:
    """Carrying nothing is never wrong; carrying further is wrong more often."""
    from alliancelab.data.coverage import carry_forward_error

    table = carry_forward_error((0, 5, 10)).set_index(["source", "fact", "lag"])["changed"]
    assert (table.xs(0, level="lag") == 0).all()
    for (source, fact), row in table.unstack("lag").iterrows():
        assert 0 <= row[5] <= row[10], (source, fact)
