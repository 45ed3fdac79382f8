"""A hostile user's corpus: bad option values and hostile text for every command, damaged input
files, links planted at the names a command writes, and scenario files mutated field by field
(each value of the built-in scenario's first entries set to a number out of range, text, a list,
NaN or a boolean; each field dropped; each section's entry duplicated). Each case must end in a
clean refusal (exit 2, a message) or a clean run (exit 0, finite results) within
:data:`BOUND_SECONDS` — never a traceback, a hang, a write through a link, or a duplicate run as
if it were one entry (silently wrong). ``ALLIANCELAB_CORPUS_CASES`` sets how many cases run
(default: 200 of the deterministic list, spread by a fixed seed; 0: all, the nightly size); the
tally is printed (``pytest -s``) in the closing note's table."""

from __future__ import annotations

import copy
import math
import os
import random
import signal
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from alliancelab.cli import app
from alliancelab.scenario import load_scenario

runner = CliRunner()

#: commands and the numeric options a hostile user would try (with the other arguments they need)
COMMANDS: dict[str, tuple[list[str], list[str]]] = {
    "run": (
        ["run", "-y", "3", "-q", "--tables", "none", "--no-figures", "-o", "{out}"],
        ["-n", "-y", "--seed", "--workers", "--max-memory"],
    ),
    "compare": (
        ["compare", "asia-pacific-2001", "us-retrenchment", "-y", "4", "-q", "--tables", "none"],
        ["-n", "--seed", "--negligible"],
    ),
    "forecast": (["forecast", "ec-emissions-1994", "-q"], ["--rounds", "--perturb", "--seed"]),
    "measure": (["measure", "cinc"], ["--start", "--end"]),
    "estimate uncertainty": (["estimate", "uncertainty"], ["--year"]),
    "claims": (["claims", "--samples", "2", "-n", "2", "-y", "5", "-q"], ["--seed", "--samples", "-n", "-y"]),
    "scenario from-data": (["scenario", "from-data", "-o", "{out}/s.toml"], ["--year"]),
    "scenario history": (["scenario", "history", "-o", "{out}/h.toml"], ["--start", "--end"]),
    "validate crises": (["validate", "crises", "-q", "-o", "{out}"], ["--start", "--end", "--runs", "--seed"]),
    "estimate crises": (["estimate", "crises"], ["--train-start", "--train-end", "--test-end"]),
    "estimate spending": (["estimate", "spending"], ["--start", "--end"]),
    "report": (
        ["report", "-n", "2", "-y", "3", "--claims-samples", "0", "-o", "{out}/r.html"],
        ["-n", "-y", "--seed", "--claims-samples"],
    ),
}
#: options that take text, and the text a hostile user would give them
TEXT_OPTIONS: dict[str, tuple[list[str], list[str]]] = {
    "run": (
        ["run", "-n", "4", "-y", "3", "-q", "--tables", "none", "--no-figures", "-o", "{out}"],
        ["--keep", "--backend", "--params", "--tables"],
    ),
    "compare": (
        ["compare", "asia-pacific-2001", "us-retrenchment", "-n", "4", "-y", "4", "-q", "--tables", "none"],
        ["-i", "--states", "--only", "--window"],
    ),
    "forecast": (["forecast", "ec-emissions-1994", "-q"], ["--rules"]),
    "measure": (["measure", "cinc", "--start", "1990", "--end", "1991"], ["--region", "--states"]),
    "data get": (["data", "get", "--dry-run"], []),
}
HOSTILE_TEXT = ["", "zzz", "../../x", "\x1b[2J", "[bold red]x[/]", "a" * 5000, "usa,,chn", "$\\frac{1}{$", "=1+1"]
BAD = ["-1", "0", "1e300", "abc", "nan", "inf", str(10**30), "", "3.5"]
#: names the commands write, where a link is planted before they run
WRITTEN = {
    "run": (
        ["run", "-n", "4", "-y", "3", "-q", "--no-figures", "-o", "{out}"],
        ["summary.csv", "manifest.json", "results.nc", "runs_actor.csv", "runs_pair.parquet"],
    ),
    "compare": (
        ["compare", "asia-pacific-2001", "us-retrenchment", "-n", "4", "-y", "4", "-q", "-o", "{out}"],
        ["comparison.csv", "comparison.png", "manifest.json", "runs_region.csv"],
    ),
    "forecast": (
        ["forecast", "ec-emissions-1994", "-q", "-o", "{out}"],
        ["rounds.csv", "events.csv", "forecast.nc", "forecast.json", "positions.png"],
    ),
}
DAMAGED = {
    "run": (["run", "{file}", "-n", "4", "-y", "3", "-q", "--tables", "none", "--no-figures", "-o", "{out}"], ".toml"),
    "forecast": (["forecast", "{file}", "-q"], ".csv"),
    "cite": (["cite", "{file}"], ".nc"),
    "sweep": (["sweep", "{file}", "-q", "--out", "{out}/s.zarr"], ".toml"),
}
GARBAGE = [b"", b"\x00\xff" * 50, b"[scenario\n", b"x = " + b"[" * 5000, "é".encode("latin-1") * 10, b"a,b\n1,2\n"]


#: the scenario whose fields are mutated, resolved; its first entries of each section are changed
SCENARIO = load_scenario("asia-pacific-2001").model_dump(mode="json", exclude_none=True)
ENTRIES = 4
MUTANTS: list[object] = [-1, 1e300, "text", [], math.nan, True]
MUTATED_RUN = ["run", "{file}", "-n", "4", "-y", "3", "-q", "--tables", "none", "--no-figures", "-o", "{out}"]
#: the most seconds a case may take before it counts as a hang
BOUND_SECONDS = 120


def mutations() -> Iterator[tuple[str, tuple[object, ...]]]:
    """Each change to the scenario: (what, change) with change = (kind, section, entry, field, value)."""
    for section, body in SCENARIO.items():
        entries = [(None, body)] if isinstance(body, dict) else list(enumerate(body[:ENTRIES]))
        for k, entry in entries:
            for field in sorted(entry):
                for m, value in enumerate(MUTANTS):
                    yield f"{section}[{k}].{field}={value!r}", ("set", section, k, field, m)
                if k in (None, 0):
                    yield f"{section}[{k}].{field} dropped", ("drop", section, k, field, None)
        if isinstance(body, list) and body:
            yield f"{section}[0] duplicated", ("duplicate", section, 0, None, None)


def mutated(change: tuple[object, ...]) -> dict[str, object]:
    """The scenario with one change applied."""
    kind, section, k, field, m = change
    doc = copy.deepcopy(SCENARIO)
    body = doc[section] if k is None else doc[section][k]  # type: ignore[index]
    if kind == "duplicate":
        doc[section].append(copy.deepcopy(doc[section][0]))  # type: ignore[union-attr]
    elif kind == "drop":
        body.pop(field)  # type: ignore[union-attr]
    else:
        body[field] = MUTANTS[m]  # type: ignore[index]
    return doc


def cases() -> Iterator[tuple[str, list[str], str]]:
    """Every case: (kind, arguments, what is planted or damaged)."""
    for name, (args, options) in COMMANDS.items():
        for option in options:
            for value in BAD:
                yield "bad option", [*args, option, value], f"{name} {option} {value!r}"
    for name, (args, options) in TEXT_OPTIONS.items():
        for option in options or [None]:
            for value in HOSTILE_TEXT:
                extra = [option, value] if option else [value]
                yield "hostile text", [*args, *extra], f"{name} {option or 'NAME'} {value[:20]!r}"
    for what, _change in mutations():
        yield "mutated scenario", MUTATED_RUN, what
    for name, (args, names) in WRITTEN.items():
        for written in names:
            yield "planted link", args, f"{name}:{written}"
    for name, (args, suffix) in DAMAGED.items():
        for k in range(len(GARBAGE)):
            yield "damaged file", args, f"{name}:{suffix}:{k}"


def _selected() -> list[tuple[str, list[str], str]]:
    everything = list(cases())
    wanted = int(os.environ.get("ALLIANCELAB_CORPUS_CASES", "200"))
    if wanted == 0 or wanted >= len(everything):
        return everything
    return random.Random(20011).sample(everything, wanted)  # a fixed, spread-out selection


def _finite(out: Path) -> bool:
    """No infinity in the tables a clean run wrote (an empty cell is a value the run does not
    have, said in the table's own terms; the engine's status marks flagged runs)."""
    for csv in out.glob("*.csv") if out.is_dir() else []:
        numbers = pd.read_csv(csv).select_dtypes("number").to_numpy(float)
        if numbers.size and not all(math.isfinite(v) or v != v for v in numbers.ravel()):
            return False
    return True


def run_case(kind: str, args: list[str], what: str, tmp: Path) -> str:
    """The outcome of one case: refused, ran finite, traceback, NaN or writes through links."""
    out = tmp / "out"
    victim = tmp / "victim.txt"
    victim.write_text("the user's own file\n")
    if kind == "planted link":
        out.mkdir()
        (out / what.split(":")[1]).symlink_to(victim)
    if kind == "damaged file":
        _, suffix, k = what.split(":")
        file = tmp / f"input{suffix}"
        file.write_bytes(GARBAGE[int(k)])
        args = [a.replace("{file}", str(file)) for a in args]
    if kind == "mutated scenario":
        import tomli_w

        change = dict(mutations())[what]
        file = tmp / "mutated.toml"
        file.write_text(tomli_w.dumps(mutated(change)))
        args = [a.replace("{file}", str(file)) for a in args]
    args = [a.replace("{out}", str(out)) for a in args]
    try:
        result = _bounded(args)
    except _Hang:
        return "hang"
    if victim.read_text() != "the user's own file\n":
        return "writes through links"
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        return "traceback"
    if "Traceback" in result.output:
        return "traceback"
    if result.exit_code == 0:
        if what.endswith(" duplicated"):
            return "silently wrong"  # two entries for one state, link or pair, run as if one
        return "ran finite" if _finite(out) else "NaN"
    return "refused" if result.exit_code == 2 else f"exit {result.exit_code}"


class _Hang(BaseException):  # not an Exception: the runner passes it on
    pass


def _bounded(args: list[str]) -> object:
    """The command run in this process, stopped as a hang after :data:`BOUND_SECONDS`."""

    def stop(signum: int, frame: object) -> None:
        raise _Hang

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(BOUND_SECONDS)
    try:
        return runner.invoke(app, args, catch_exceptions=True)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_the_corpus_refuses_cleanly_or_runs_finite(tmp_path: Path) -> None:
    tally: Counter[str] = Counter()
    bad: list[str] = []
    for n, (kind, args, what) in enumerate(_selected()):
        folder = tmp_path / f"case{n}"
        folder.mkdir()
        outcome = run_case(kind, list(args), what, folder)
        tally[outcome] += 1
        if outcome not in ("refused", "ran finite"):
            bad.append(f"{what}: {outcome}")
    print(
        "\ncorpus: n", sum(tally.values()), "| " + " | ".join(f"{k} {v}" for k, v in sorted(tally.items()))
    )  # the table in the closing note
    assert not bad, bad


@pytest.mark.parametrize("kind", ["bad option", "hostile text", "planted link", "damaged file", "mutated scenario"])
def test_every_kind_of_case_is_in_the_corpus(kind: str) -> None:
    assert any(k == kind for k, _, _ in cases())
