"""The scenario language: presets, extends, validation and error reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from alliancelab.errors import ScenarioError
from alliancelab.scenario import (
    json_schema,
    list_presets,
    load_scenario,
    scenario_from_dict,
    scenario_hash,
)

BOOK_VARIANTS = {
    "us-retrenchment",
    "japan-outside-alliance",
    "japan-uk-model",
    "japan-german-model",
    "arf-with-teeth",
    "tmd-boost-phase",
    "tmd-area-wide",
    "korean-reconciliation",
    "fast-chinese-rise",
}
REQUIRED_ACTORS = {
    "usa",
    "jpn",
    "chn",
    "rus",
    "kor",
    "prk",
    "twn",
    "aus",
    "phl",
    "tha",
    "idn",
    "sgp",
    "mys",
    "vnm",
    "ind",
}


def test_presets_include_base_and_the_books_variants() -> None:
    presets = list_presets()
    assert "asia-pacific-2001" in presets
    assert BOOK_VARIANTS <= set(presets)
    assert all(presets.values()), "every preset has a one-line description"


@pytest.mark.parametrize("name", sorted(list_presets()))
def test_every_preset_loads(name: str) -> None:
    sc = load_scenario(name)
    assert REQUIRED_ACTORS <= set(sc.actor_ids)
    # the book's order of 2001 and its variants, or today's (asia-pacific-2023) and its variants,
    # each resolving down its `extends` chain to its year's base
    assert sc.start in (2001, 2023)
    root = sc
    while root.scenario.extends is not None:
        root = load_scenario(root.scenario.extends)
    assert root.name == f"asia-pacific-{sc.start}"


def test_extends_keeps_base_and_adds_shocks() -> None:
    base = load_scenario("asia-pacific-2001")
    variant = load_scenario("us-retrenchment")
    assert variant.actor == base.actor
    assert len(variant.shock) == len(base.shock) + 3
    assert variant.scenario.extends == "asia-pacific-2001"


def test_extends_overrides_entries_field_by_field(tmp_path: Path) -> None:
    f = tmp_path / "variant.toml"
    f.write_text(
        '[scenario]\nname = "variant"\nextends = "asia-pacific-2001"\n'
        '[[actor]]\nid = "jpn"\nposture = 0.02\n'
        '[[alliance]]\nid = "us-japan"\npresence = 0.5\n'
    )
    sc = load_scenario(f)
    jpn = next(a for a in sc.actor if a.id == "jpn")
    base_jpn = next(a for a in load_scenario("asia-pacific-2001").actor if a.id == "jpn")
    assert jpn.posture == 0.02 and jpn.gdp == base_jpn.gdp
    assert next(a for a in sc.alliance if a.id == "us-japan").presence == 0.5


def test_extends_cycle_is_reported(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text('[scenario]\nname = "a"\nstart = 2001\nextends = "b.toml"\n')
    (tmp_path / "b.toml").write_text('[scenario]\nname = "b"\nstart = 2001\nextends = "a.toml"\n')
    with pytest.raises(ScenarioError, match="cycle"):
        load_scenario(tmp_path / "a.toml")


def test_all_errors_reported_at_once_with_locations(tmp_path: Path) -> None:
    f = tmp_path / "bad.toml"
    f.write_text(
        '[scenario]\nname = "bad"\nstart = 2001\n'
        '[[actor]]\nid = "usa"\nname = "US"\ngdp = -1\nmilex = 1e9\nlat = 0\nlon = 0\n'
        '[[actor]]\nid = "jpn"\nname = "Japan"\ngdp = 4e12\nmilex = 4e10\nlat = 0\nlon = 0\ngrowht = 0.01\n'
        '[[alliance]]\nid = "x"\nmembers = ["usa", "jpa"]\npatron = "usa"\n'
        '[[shock]]\nyear = 2005\nlever = "engagment"\ntarget = "usa"\nvalue = 0.5\n'
        '[[shock]]\nyear = 2005\nlever = "engagement"\ntarget = "usa"\nvalue = 5\n'
    )
    with pytest.raises(ScenarioError) as info:
        load_scenario(f)
    text = str(info.value)
    problems = info.value.problems
    assert len(problems) >= 5
    assert "actor[1] (id 'usa').gdp" in text and "greater than 0" in text
    assert "unknown field 'growht'" in text and "did you mean 'growth'" in text
    assert "unknown actor 'jpa'" in text and "did you mean 'jpn'" in text and "'usa'" in text
    assert "unknown lever 'engagment'" in text and "did you mean 'engagement'" in text
    assert "shock[2].value" in text and "[0.0, 1.0]" in text


def test_toml_syntax_error_is_a_scenario_error(tmp_path: Path) -> None:
    f = tmp_path / "broken.toml"
    f.write_text('[scenario\nname = "x"\n')
    with pytest.raises(ScenarioError, match="TOML syntax"):
        load_scenario(f)


def test_unknown_preset_lists_presets() -> None:
    with pytest.raises(ScenarioError, match="did you mean 'us-retrenchment'"):
        load_scenario("us-retrenchmnt")


def _two_actor_doc(milex_a: float = 1e10, **sections: object) -> dict[str, object]:
    return {
        "scenario": {"name": "s", "start": 2001},
        "actor": [
            {"id": "aaa", "name": "A", "gdp": 1e12, "milex": milex_a, "lat": 0, "lon": 0},
            {"id": "bbb", "name": "B", "gdp": 1e12, "milex": 1e10, "lat": 0, "lon": 1},
        ],
        **sections,
    }


def test_shock_target_kind_checked() -> None:
    doc = _two_actor_doc(
        shock=[
            {"year": 2001, "lever": "reconciliation", "target": "aaa", "value": 0.5},
            {"year": 2001, "lever": "teeth", "target": "aaa", "value": 0.5},
            {"year": 1990, "lever": "engagement", "target": "aaa", "value": 0.5},
        ]
    )
    with pytest.raises(ScenarioError) as info:
        scenario_from_dict(doc)
    text = str(info.value)
    assert "takes a pair of actor ids" in text
    assert "lever 'teeth' takes a institution id" in text
    assert "before the scenario start" in text


def test_a_pair_is_contiguous_by_land_or_by_sea_not_both() -> None:
    pair = {"pair": ["aaa", "bbb"], "contiguous": True, "sea_contiguous": True}
    with pytest.raises(ScenarioError, match=r"dyad\[1\] .*\.sea_contiguous: .*not both"):
        scenario_from_dict(_two_actor_doc(dyad=[pair]))
    sea = scenario_from_dict(_two_actor_doc(dyad=[{**pair, "contiguous": False}]))
    assert sea.dyad[0].sea_contiguous and not sea.dyad[0].contiguous


def test_spending_share_must_respect_bounds() -> None:
    with pytest.raises(ScenarioError, match=r"milex/gdp = 0.5000 lies outside"):
        scenario_from_dict(_two_actor_doc(milex_a=5e11))


def test_scenarios_are_immutable() -> None:
    sc = load_scenario("asia-pacific-2001")
    with pytest.raises(Exception, match="frozen"):
        sc.actor[0].gdp = 1.0  # type: ignore[misc]


def test_hash_is_stable_and_content_sensitive() -> None:
    a, b = load_scenario("asia-pacific-2001"), load_scenario("asia-pacific-2001")
    assert scenario_hash(a) == scenario_hash(b)
    assert scenario_hash(a) != scenario_hash(load_scenario("us-retrenchment"))


def test_json_schema_describes_the_file() -> None:
    schema = json_schema()
    text = json.dumps(schema)
    assert schema["title"] == "alliancelab scenario"
    for field in ("actor", "alliance", "institution", "rivalry", "trade", "shock"):
        assert field in schema["properties"]
    assert "milex" in text and "patron" in text and "teeth" in text


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"gdp": "1e9"}, "actor[1] (id 'aaa').gdp"),  # a string would skip the cross-field checks
        ({"growth": "0.05"}, "actor[1] (id 'aaa').growth"),
        ({"grievance": float("inf")}, "actor[1] (id 'aaa').grievance"),
        ({"grievance": 5.0}, "actor[1] (id 'aaa').grievance"),
        ({"milex": float("nan")}, "actor[1] (id 'aaa').milex"),
        ({"nuclear": "yes"}, "actor[1] (id 'aaa').nuclear"),
        ({"ccode": 740.5}, "actor[1] (id 'aaa').ccode"),
    ],
)
def test_numbers_must_be_finite_numbers_of_their_kind(change: dict[str, object], where: str) -> None:
    doc = _two_actor_doc()
    doc["actor"][0].update(change)  # type: ignore[index]
    with pytest.raises(ScenarioError) as info:
        scenario_from_dict(doc)
    assert where in str(info.value)


def test_a_shock_value_must_be_a_number() -> None:
    doc = _two_actor_doc(shock=[{"year": 2003, "lever": "engagement", "target": "aaa", "value": "5.0"}])
    with pytest.raises(ScenarioError, match=r"shock\[1\]\.value: must be a number"):
        scenario_from_dict(doc)


def test_errors_print_as_plain_text(tmp_path: Path) -> None:
    """A name holding [brackets] is printed as written, not read as terminal markup."""
    from typer.testing import CliRunner

    from alliancelab.cli import app

    bad = tmp_path / "[bold]x[red].toml"
    bad.write_text('[scenario]\nname = "x"\nstart = 2001\n[[actor]]\nid = "aaa"\n')
    result = CliRunner().invoke(app, ["run", str(bad), "-n", "2", "-q"])
    assert result.exit_code == 2 and "[bold]x[red].toml" in result.output and "Traceback" not in result.output


def _child(path: Path, extends: str, name: str = "c") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'[scenario]\nname = "{name}"\nextends = {json.dumps(extends)}\n')
    return path


def test_extends_chains_are_judged_by_resolved_paths(tmp_path: Path) -> None:
    """Every file of a chain may say `extends = "../s.toml"` and mean a different file."""
    (tmp_path / "s.toml").write_text('[scenario]\nname = "s"\nextends = "asia-pacific-2001"\n')
    _child(tmp_path / "a" / "s.toml", "../s.toml", "a")
    leaf = _child(tmp_path / "a" / "b" / "s.toml", "../s.toml", "b")
    assert load_scenario(str(leaf)).name == "b"
    _child(tmp_path / "loop" / "x.toml", "../loop/x.toml")
    with pytest.raises(ScenarioError, match="cycle"):
        load_scenario(str(tmp_path / "loop" / "x.toml"))


@pytest.mark.parametrize("target", [".", "", "/dev/zero", "fifo", "latin1.toml", "deep"])
def test_extends_reads_only_regular_utf8_files_in_short_chains(tmp_path: Path, target: str) -> None:
    import os

    if target == "fifo":
        os.mkfifo(tmp_path / "fifo")
        target = str(tmp_path / "fifo")
    elif target == "latin1.toml":
        (tmp_path / target).write_bytes('[scenario]\nname = "é"\n'.encode("latin-1"))
    elif target == "deep":
        for k in range(40):  # a chain of 40 files, each extending the next
            _child(tmp_path / f"d{k}.toml", f"d{k + 1}.toml")
        target = "d0.toml"
    leaf = _child(tmp_path / "leaf.toml", target)
    with pytest.raises(ScenarioError, match=r"not a regular file|empty name|not UTF-8|longer than 32"):
        load_scenario(str(leaf))


def test_states_are_named_by_iso_codes_and_cow_codes_are_read_with_a_warning(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from alliancelab.cli import app
    from alliancelab.scenario.ids import COW_TO_ISO

    assert COW_TO_ISO["rok"][0] == "kor" and COW_TO_ISO["taw"][0] == "twn"
    doc = load_scenario("asia-pacific-2001").model_dump(mode="json", exclude_none=True)
    doc["shock"] = [{"year": 2005, "lever": "reconciliation", "target": ["prk", "rok"], "value": 0.5}]
    with pytest.warns(UserWarning, match="read COW letter codes as this scenario's ISO 3166 ids: 'rok' as 'kor'"):
        sc = scenario_from_dict(doc)
    assert sc.shock[0].target == ("prk", "kor")
    path = tmp_path / "s.toml"
    path.write_text(
        '[scenario]\nname = "x"\nextends = "asia-pacific-2001"\n[[shock]]\nyear = 2005\n'
        'lever = "reconciliation"\ntarget = ["prk", "rok"]\nvalue = 0.5\n'
    )
    result = CliRunner().invoke(app, ["run", str(path), "-n", "4", "-y", "6", "-q", "--out", str(tmp_path / "o")])
    assert result.exit_code == 0 and "warning: " in result.output and "'rok' as 'kor'" in result.output
