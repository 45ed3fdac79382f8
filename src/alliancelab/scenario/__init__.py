"""Scenario language: TOML files validated into immutable typed objects."""

from alliancelab.scenario.levers import LEVERS, Lever
from alliancelab.scenario.load import (
    list_presets,
    load_scenario,
    presets_by_start,
    scenario_from_dict,
    scenario_hash,
    scenario_toml,
)
from alliancelab.scenario.model import (
    Actor,
    Alliance,
    Institution,
    Meta,
    Rivalry,
    Scenario,
    Shock,
    Trade,
)

__all__ = [
    "LEVERS",
    "Actor",
    "Alliance",
    "Institution",
    "Lever",
    "Meta",
    "Rivalry",
    "Scenario",
    "Shock",
    "Trade",
    "json_schema",
    "list_presets",
    "load_scenario",
    "presets_by_start",
    "scenario_from_dict",
    "scenario_hash",
    "scenario_toml",
]


def json_schema() -> dict[str, object]:
    """The JSON Schema of a scenario file, for editors (``alliancelab schema``)."""
    schema = Scenario.model_json_schema()
    schema["title"] = "alliancelab scenario"
    return schema
