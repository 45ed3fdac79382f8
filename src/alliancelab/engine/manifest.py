"""What every result records of the software that made it."""

from __future__ import annotations

import json
import platform
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from alliancelab.errors import StoreError

__all__ = ["dumps", "package_version", "read_manifest", "software"]


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


def read_manifest(ds: Any) -> dict[str, Any]:
    """The run manifest a result carries (``ds.attrs["manifest"]``, written by every run), parsed:
    the one reader of it, so a result without one, or with one that is not a JSON object, is
    refused in the same words everywhere."""
    text = getattr(ds, "attrs", {}).get("manifest")
    if text is None:
        raise StoreError(
            "these results carry no run manifest (attrs['manifest']): they were not written by an alliancelab "
            "run, or the attribute was dropped; run the scenario again to get results that do"
        )
    try:
        doc = json.loads(text)
    except (TypeError, json.JSONDecodeError) as exc:
        raise StoreError(f"the results' run manifest is not JSON ({exc}); run the scenario again") from None
    if not isinstance(doc, dict):
        raise StoreError(f"the results' run manifest is a JSON {type(doc).__name__}, not an object; run it again")
    return doc
