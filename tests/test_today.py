"""Today's order: the curated facts since the datasets end (schema, dates, sources), the
asia-pacific-2023 preset as the builder writes it, and its variants."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from alliancelab.data.recent import RecentFact, apply_facts, recent_facts
from alliancelab.errors import DataFileError

TODAY_VARIANTS = (
    "japan-2-percent",
    "us-retrenchment-2025",
    "taiwan-crisis",
    "korea-japan-reconciliation",
    "russia-dprk-alignment",
    "china-slowdown",
)


def test_the_recent_facts_are_sourced_dated_and_name_real_states(shared_data: Path) -> None:
    from alliancelab.data.sources import iso3_by_cow

    facts = recent_facts()
    ids = {f.id for f in facts}
    assert {"aukus", "quad", "camp-david", "japan-australia-raa", "russia-dprk-treaty", "japan-2-percent"} <= ids
    iso = {v.lower() for v in iso3_by_cow().values()}
    for f in facts:
        assert f.url.startswith("https://") and len(f.citation) > 40
        assert dt.date(2012, 1, 1) < f.signed <= dt.date(2026, 12, 31)
        assert set(f.members) <= iso, f.id
    by = {f.id: f for f in facts}
    assert by["camp-david"].signed == dt.date(2023, 8, 18)
    assert by["russia-dprk-treaty"].year == 2024 and by["japan-australia-raa"].year == 2023
    assert by["japan-2-percent"].share_of_gdp == 0.02 and by["japan-2-percent"].by_year == 2027


def test_a_malformed_fact_is_refused_with_its_problem() -> None:
    with pytest.raises(ValueError, match="before it was signed"):
        RecentFact.model_validate(
            {
                "id": "x",
                "name": "x",
                "kind": "access",
                "members": ["jpn", "aus"],
                "signed": dt.date(2022, 1, 6),
                "in_force": dt.date(2021, 1, 1),
                "enters": ["alliance"],
                "citation": "c" * 30,
                "url": "https://a",
            }
        )
    with pytest.raises(ValueError, match="needs share_of_gdp"):
        RecentFact.model_validate(
            {
                "id": "y",
                "name": "y",
                "kind": "policy",
                "members": ["jpn"],
                "signed": dt.date(2022, 12, 16),
                "enters": ["effort"],
                "citation": "c" * 30,
                "url": "https://a",
            }
        )
    with pytest.raises(DataFileError, match="no table of recent facts"):
        recent_facts("atlantis")


def test_facts_enter_a_scenario_by_their_year_and_members() -> None:
    doc = {"actor": [{"id": i} for i in ("usa", "jpn", "kor", "aus", "rus", "prk")]}
    said = apply_facts(doc, recent_facts(), through=2023)
    alliances = {a["id"]: a for a in doc["alliance"]}
    assert alliances["camp-david"]["kind"] == "consultation" and alliances["camp-david"]["since"] == 2023
    assert alliances["japan-australia-raa"]["kind"] == "entente"
    assert "russia-dprk-treaty" not in alliances  # in force 2024: after the year
    institutions = {i["id"]: i for i in doc["institution"]}
    assert institutions["aukus"]["members"] == ["aus", "usa"] and "gbr outside" in institutions["aukus"]["source"]
    assert "quad: skipped" not in " ".join(said) and institutions["quad"]["members"] == ["usa", "jpn", "aus"]
    later = {"actor": doc["actor"]}
    apply_facts(later, recent_facts(), through=2024)
    assert any(a["id"] == "russia-dprk-treaty" and a["kind"] == "defense" for a in later["alliance"])


def test_the_2023_preset_is_what_the_builder_writes(shared_data: Path) -> None:
    """The preset holds the data of 2023 exactly as `scenario today` builds them, and every
    entry names its source."""
    import tomllib

    from alliancelab.experiments.today import today_text
    from alliancelab.scenario import load_scenario

    preset = load_scenario("asia-pacific-2023")
    built = tomllib.loads(today_text(2023))
    from alliancelab.scenario import scenario_from_dict

    assert scenario_from_dict(built) == preset
    for entry in (*preset.actor, *preset.alliance, *preset.institution, *preset.rivalry):
        assert entry.source, entry
    actors = {a.id: a for a in preset.actor}
    assert actors["usa"].major_power and actors["chn"].major_power
    assert {"prk", "vnm"} <= set(actors)
    alliances = {a.id: a for a in preset.alliance}
    assert {"us-japan", "us-rok", "anzus", "us-philippines", "us-thailand", "us-taiwan", "camp-david"} <= set(alliances)
    assert alliances["us-japan"].presence == 1.0 and 0.7 < alliances["us-rok"].presence < 0.9  # 37,605 -> 24,437
    assert {"quad", "aukus", "arf"} <= {i.id for i in preset.institution}
    assert preset.scenario.review == ["prk.milex"]  # North Korea's 2001 milex, carried 22 years, is said
    assert preset.start == 2023 and preset.start + preset.scenario.years - 1 == 2040


@pytest.mark.parametrize("name", TODAY_VARIANTS)
def test_todays_variants_extend_the_2023_base_and_change_something(name: str) -> None:
    from alliancelab.scenario import load_scenario

    base, sc = load_scenario("asia-pacific-2023"), load_scenario(name)
    assert sc.scenario.extends == "asia-pacific-2023" and sc.start == 2023
    assert sc.shock or len(sc.alliance) > len(base.alliance)
    assert all(s.year >= 2023 for s in sc.shock)


def test_presets_by_base_year() -> None:
    from alliancelab.scenario import presets_by_start

    bases = presets_by_start()
    assert "asia-pacific-2001" in bases[2001] and "us-retrenchment" in bases[2001]
    assert bases[2023][0] == "asia-pacific-2023" and set(TODAY_VARIANTS) <= set(bases[2023])


def test_todays_contrasts_run_in_compare_and_the_report(tmp_path: Path) -> None:
    """The 2023 base against a variant, in `compare` and in the report, whose scenario list says
    which facts are carried and how far."""
    from typer.testing import CliRunner

    from alliancelab.cli import app

    runner = CliRunner()
    compared = runner.invoke(
        app, ["compare", "asia-pacific-2023", "japan-2-percent", "--runs", "20", "--only", "Japan spending", "-q"]
    )
    assert compared.exit_code == 0, compared.output
    assert "variant japan-2-percent against baseline asia-pacific-2023" in " ".join(compared.output.split())
    out = tmp_path / "today.html"
    reported = runner.invoke(
        app,
        [
            "report",
            "asia-pacific-2023",
            "us-retrenchment-2025",
            "--runs",
            "20",
            "--claims-samples",
            "0",
            "-o",
            str(out),
            "-q",
        ],
    )
    assert reported.exit_code == 0, reported.output
    html = out.read_text(encoding="utf-8")
    assert "Data: carried 22 years: prk.milex from COW NMC v7 2001" in html
    assert "from 2025 engagement of usa = 0.45" in html
