"""What every result records of the software that made it."""

from __future__ import annotations

import json
import platform
from importlib.metadata import PackageNotFoundError, version
from typing import Any

__all__ = ["dumps", "package_version", "software"]


def package_version(name: str = "alliancelab") -> str:
    try:
        return version(name)
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"


def software() -> dict[str, str]:
    """Python, NumPy and xarray versions."""
    import numpy as np
    import xarray as xr

    return {"python": platform.python_version(), "numpy": np.__version__, "xarray": xr.__version__}


def dumps(manifest: dict[str, Any]) -> str:
    return json.dumps(manifest, sort_keys=True, indent=1)
