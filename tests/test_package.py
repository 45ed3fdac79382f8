"""Package hygiene: the public surface, and imports flowing one way down the pipeline."""

from __future__ import annotations

import ast
from pathlib import Path

import alliancelab

SRC = Path(alliancelab.__file__).parent
ORDER = [
    "errors",
    "scenario",
    "data",
    "measures",
    "estimation",
    "models",
    "engine",
    "experiments",
    "report",
    "dashboard",
    "cli",
]


def test_public_names_are_exported() -> None:
    for name in alliancelab.__all__:
        assert hasattr(alliancelab, name), name
    public = {n for n in vars(alliancelab) if not n.startswith("_")}
    modules = {n for n in public if type(getattr(alliancelab, n)).__name__ == "module"}
    assert public - modules <= set(alliancelab.__all__) | {"annotations"}


def _stage(module: str) -> int:
    parts = module.split(".")
    return ORDER.index(parts[1]) if len(parts) > 1 and parts[1] in ORDER else -1


def test_imports_flow_one_way() -> None:
    """scenario → data → measures → models → engine → experiments → report/dashboard/cli."""
    bad = []
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC.parent).with_suffix("")
        me = ".".join(rel.parts)
        mine = _stage(me)
        if mine < 0:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("alliancelab."):
                theirs = _stage(node.module)
                if theirs > mine:
                    bad.append(f"{me} imports {node.module}")
    assert not bad, bad
