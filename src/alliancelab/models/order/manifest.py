"""The manifest every result of the order model carries: enough to reproduce it from its files."""

from __future__ import annotations

from typing import Any

from alliancelab.data.registry import ENGINE_CITATIONS
from alliancelab.engine.manifest import package_version, software
from alliancelab.models.order.params import Params
from alliancelab.models.order.paramsets import set_name
from alliancelab.scenario.load import scenario_hash
from alliancelab.scenario.model import Scenario

__all__ = ["DATA_VERSIONS", "ESTIMATION_CITATIONS", "build_manifest"]

#: What the estimated equations rest on: the two-stage model, the dyadic conflict model, the
#: peace-year splines and the dispute data (docs/estimation.md).
ESTIMATION_CITATIONS = ("nor-two-stage", "kantian-peace", "btscs", "cow-mid")

#: Datasets behind the built-in presets' numbers.
DATA_VERSIONS: dict[str, str] = {
    "SIPRI Military Expenditure Database": "2024 release (data 1949-2023)",
    "COW National Material Capabilities": "v6.0",
    "COW Formal Alliances": "v4.1",
    "COW State System / major powers": "v2016",
    "ATOP": "v5.1",
    "V-Dem (v2x_polyarchy)": "v10, via peacesciencer",
    "Maddison Project Database": "2020",
    "Strategic rivalries (Thompson, Sakuwa & Suhas)": "2021",
}


def _estimates_digest() -> dict[str, str]:
    """SHA-256 of the packaged estimates the estimated equations read."""
    import hashlib
    from importlib.resources import files

    folder = files("alliancelab.models.order") / "estimates"
    return {name: hashlib.sha256((folder / name).read_bytes()).hexdigest() for name in ("onset.json", "spending.json")}


def build_manifest(scenario: Scenario, params: Params, options: dict[str, Any]) -> dict[str, Any]:
    """A JSON-ready record of what produced a result."""
    return {
        "alliancelab": package_version(),
        "scenario": scenario.name,
        "scenario_hash": scenario_hash(scenario),
        "resolved_scenario": scenario.model_dump(mode="json"),
        "params": params.model_dump(mode="json"),
        "parameter_set": set_name(params),
        "estimates": _estimates_digest() if params.equations == "estimated" else None,
        "options": options,
        "data_versions": DATA_VERSIONS,
        "citations": list(ENGINE_CITATIONS) + (list(ESTIMATION_CITATIONS) if params.equations == "estimated" else []),
        "software": software(),
    }
