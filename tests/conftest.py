"""Shared fixtures: the real datasets in ../shared/data and small reference scenarios."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from alliancelab.models.order.params import make_params

REPO = Path(__file__).resolve().parents[1]


def data_dir() -> Path | None:
    """``$ALLIANCELAB_DATA``, else ``shared/data`` beside the repository (or one level up)."""
    env = os.environ.get("ALLIANCELAB_DATA")
    candidates = [Path(env)] if env else []
    candidates += [REPO.parent / "shared" / "data", REPO / "shared" / "data"]
    return next((c for c in candidates if (c / "README.md").exists()), None)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    found = data_dir()
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("shared/data not found: set ALLIANCELAB_DATA to the datasets folder")
        pytest.skip("shared/data not found (set ALLIANCELAB_DATA)")
    return found


QUIET = make_params(
    mechanisms=["misperception", "crises"], growth_noise=0.0, growth_drift=0.0, support_noise=0.0, residual_draws=False
)
"""Deterministic parameters: no perceptual bias, no crises, no growth, support or spending noise."""


def two_state(**actor_overrides: Any) -> dict[str, Any]:
    """A two-state scenario document (rivals 2000 km apart), for closed-form checks."""
    base = {
        "gdp": 1000.0,
        "milex": 20.0,
        "growth": 0.0,
        "share_max": 1.0,
        "share_min": 0.0,
        "lat": 0.0,
        "projection": 0.0,
        "democracy": 0.0,
    }
    a = {"id": "aaa", "name": "A", "lon": 0.0, **base}
    b = {"id": "bbb", "name": "B", "lon": 17.99, **base}
    for key, value in actor_overrides.items():
        who, field = key.split("__")
        (a if who == "a" else b)[field] = value
    return {
        "scenario": {"name": "two-state", "start": 2000, "years": 60},
        "actor": [a, b],
        "rivalry": [{"pair": ["aaa", "bbb"], "hostility": 0.5}],
    }


@pytest.fixture(autouse=True)
def _own_working_directory(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test runs in a fresh, empty working folder: what a user left in the checkout (the
    README's ``results/``, say) cannot change a result, and a command's default output folder
    never lands in the checkout."""
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))
