"""The manifest every output carries: enough to reproduce a figure from its files alone."""

from __future__ import annotations

import json
import platform
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from alliancelab.data.registry import ENGINE_CITATIONS
from alliancelab.models.order.params import Params
from alliancelab.scenario.load import scenario_hash
from alliancelab.scenario.model import Scenario

__all__ = ["DATA_VERSIONS", "build_manifest", "package_version"]

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


def package_version(name: str = "alliancelab") -> str:
    try:
        return version(name)
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"


def build_manifest(scenario: Scenario, params: Params, options: dict[str, Any]) -> dict[str, Any]:
    """A JSON-ready record of what produced a result."""
    import numpy as np
    import xarray as xr

    return {
        "alliancelab": package_version(),
        "scenario": scenario.name,
        "scenario_hash": scenario_hash(scenario),
        "resolved_scenario": scenario.model_dump(mode="json"),
        "params": params.model_dump(mode="json"),
        "options": options,
        "data_versions": DATA_VERSIONS,
        "citations": list(ENGINE_CITATIONS),
        "software": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "xarray": xr.__version__,
        },
    }


def dumps(manifest: dict[str, Any]) -> str:
    return json.dumps(manifest, sort_keys=True, indent=1)
