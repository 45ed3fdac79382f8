"""Named parameter sets: behavioural parameters saved under a name (e.g. by ``alliancelab
calibrate``) and used by ``run``, ``compare`` and ``sweep`` with ``--params NAME``.

A set is a TOML file ``NAME.toml`` with a ``[params]`` table (the :class:`Params` fields that
differ from the defaults, and ``mechanisms`` switched off) and a free ``[provenance]`` table
saying where the numbers come from. Sets live in ``$ALLIANCELAB_PARAMS`` or else the per-user
data folder; a path to a ``.toml`` file works anywhere a name does.

Two sets are built in: ``estimated`` (the default; ``default`` names it too) runs the crisis
hazard and the arms decision on the coefficients estimated from history, each run drawing its own;
``illustrative`` is the earlier hand-set hazard and Richardson response.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Any

import tomli_w

from alliancelab.data.files import write_text
from alliancelab.errors import AllianceLabError, ParameterError, suggest
from alliancelab.models.order.params import MECHANISMS, Params, make_params

__all__ = ["BUILTIN", "list_params", "load_params", "params_dir", "save_params", "set_name"]

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")

#: The built-in sets: the fields that differ from :class:`Params`' defaults, and a summary.
BUILTIN: dict[str, tuple[dict[str, Any], str]] = {
    "estimated": ({}, "crisis hazard and spending response estimated from history (the default)"),
    "illustrative": (
        {
            "equations": "illustrative",
            "escalation_base": 0.1,
            "crisis_hostility": 0.15,
            "escalation_hostility": 0.3,
            "growth_noise": 0.01,
            "growth_drift": 0.0,
        },
        "the earlier hand-set hazard and Richardson response (illustrative, not estimates)",
    ),
}


def set_name(params: Params) -> str:
    """The built-in or saved set (``calibrate --save``) ``params`` equals, else
    ``custom (<equations> equations)``."""
    for name, (fields, _) in BUILTIN.items():
        if params == make_params(**fields):
            return name
    for name in list_params():
        if name in BUILTIN:
            continue
        try:
            if load_params(name) == params:
                return name
        except AllianceLabError:  # a damaged saved set matches nothing
            continue
    return f"custom ({params.equations} equations)"


def params_dir() -> Path:
    """Where named sets live: ``$ALLIANCELAB_PARAMS``, else the per-user data folder."""
    env = os.environ.get("ALLIANCELAB_PARAMS")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_data_dir("alliancelab")) / "params"


def list_params() -> dict[str, str]:
    """Saved sets: name -> the first line of their provenance ``summary``."""
    out = {name: summary for name, (_, summary) in BUILTIN.items()}
    folder = params_dir()
    if folder.is_dir():
        for path in sorted(folder.glob("*.toml")):
            try:
                doc = tomllib.loads(path.read_text(encoding="utf-8"))
            except (OSError, tomllib.TOMLDecodeError):
                continue
            summary = str(doc.get("provenance", {}).get("summary", "")).strip()
            out[path.stem] = summary.splitlines()[0] if summary else ""
    return out


def save_params(name: str, params: Params, provenance: dict[str, Any], folder: Path | None = None) -> Path:
    """Write ``params`` as the set ``name`` (only fields that differ from the defaults)."""
    if not _NAME.match(name) or name == "default" or name in BUILTIN:
        raise ParameterError(
            "name", "save_params", "letters, digits, '_', '.', '-' (not 'default' or a built-in set)", name
        )
    base = Params().model_dump()
    now = params.model_dump()
    table: dict[str, Any] = {k: v for k, v in now.items() if k != "mechanisms" and v != base[k]}
    off = [m for m in MECHANISMS if not now["mechanisms"][m]]
    if off:
        table["mechanisms_off"] = off
    target = (folder or params_dir()) / f"{name}.toml"
    target.parent.mkdir(parents=True, exist_ok=True)
    write_text(target, tomli_w.dumps({"provenance": provenance, "params": table}))
    return target


def is_file(path: Path) -> bool:
    """Whether ``path`` is a file; False for a name the OS refuses (too long, a NUL byte)."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def load_params(ref: str | Path | None) -> Params:
    """A set by name, a ``.toml`` path, or None/"default" for the defaults (``estimated``).

    >>> load_params("default") == Params() == load_params("estimated")
    True
    >>> load_params("illustrative").equations
    'illustrative'
    """
    if ref is None or str(ref) == "default":
        return Params()
    if str(ref) in BUILTIN:
        return make_params(**BUILTIN[str(ref)][0])
    path = Path(ref)
    if not (path.suffix == ".toml" and is_file(path)):
        path = params_dir() / f"{ref}.toml"
    if not is_file(path):
        known = list_params()
        raise ParameterError("params", "alliancelab", "a saved set or a .toml file; " + suggest(str(ref), known), ref)
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ParameterError("params", "alliancelab", f"a valid TOML file ({exc})", str(path)) from None
    except UnicodeDecodeError as exc:
        raise ParameterError(
            "params", "alliancelab", f"a UTF-8 text file (byte {exc.start} is not)", str(path)
        ) from None
    except (OSError, RecursionError) as exc:
        raise ParameterError(
            "params", "alliancelab", f"a readable TOML file ({type(exc).__name__})", str(path)
        ) from None
    table = doc.get("params", {})
    if not isinstance(table, dict):
        raise ParameterError("params", str(path), "a [params] table of parameter = value", table)
    table = dict(table)
    off = table.pop("mechanisms_off", [])
    if not isinstance(off, list) or not all(isinstance(m, str) for m in off):
        raise ParameterError("mechanisms_off", str(path), "a list of mechanism names", off)
    return make_params(**table, mechanisms=off) if off else make_params(**table)
