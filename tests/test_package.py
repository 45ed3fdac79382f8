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
    "engine",
    "models",
    "experiments",
    "report",
    "dashboard",
    "cli",
]
#: Modules of the root that only start the package: they may import any stage.
ENTRY = {"__init__", "__main__"}


def test_public_names_are_exported() -> None:
    for name in alliancelab.__all__:
        assert hasattr(alliancelab, name), name
    public = {n for n in vars(alliancelab) if not n.startswith("_")}
    modules = {n for n in public if type(getattr(alliancelab, n)).__name__ == "module"}
    assert public - modules <= set(alliancelab.__all__) | {"annotations"}


def test_the_stages_are_what_exists() -> None:
    """Every module and subpackage of the root is a stage of ORDER or an entry point, and back."""
    found = {p.stem for p in SRC.iterdir() if (p.suffix == ".py" or (p / "__init__.py").exists())}
    assert found == set(ORDER) | ENTRY


def _stage(module: str) -> int:
    parts = module.split(".")
    if parts == ["alliancelab"]:
        return len(ORDER)  # the package root: above every stage
    return ORDER.index(parts[1]) if len(parts) > 1 and parts[1] in ORDER else -1


def _imports(tree: ast.AST) -> list[str]:
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
        elif isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "import_module" and node.args:
            arg = node.args[0]
            if isinstance(arg, ast.JoinedStr) and isinstance(arg.values[0], ast.Constant):
                names.append(str(arg.values[0].value).rstrip("."))
    return [n for n in names if n == "alliancelab" or n.startswith("alliancelab.")]


def test_imports_flow_one_way() -> None:
    """errors → scenario → data → measures → estimation → engine → models → experiments → report
    → dashboard → cli, the package root on top; no module imports the root (the entry points may import any)."""
    bad = []
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC.parent).with_suffix("")
        me = ".".join(rel.parts)
        if rel.parts[1:] and rel.parts[1] in ENTRY:
            continue
        mine = _stage(me)
        assert mine >= 0, f"{me} is in no stage"
        for theirs_name in _imports(ast.parse(path.read_text())):
            theirs = _stage(theirs_name)
            if theirs > mine:
                bad.append(f"{me} imports {theirs_name}")
    assert not bad, bad


def test_the_engine_imports_no_model_family() -> None:
    """The generic engine knows model families only through its protocol."""
    bad = []
    for path in (SRC / "engine").rglob("*.py"):
        for name in _imports(ast.parse(path.read_text())):
            if name.startswith(("alliancelab.models", "alliancelab.scenario", "alliancelab.measures")):
                bad.append(f"{path.relative_to(SRC)} imports {name}")
    assert not bad, bad
