"""Experiment files: which scenarios, which inputs vary and how, the sampler, replicates, seed and
the outcome indicators to keep.

An experiment is a TOML file::

    [experiment]
    name = "commitment-drivers"
    scenarios = ["asia-pacific-2001"]   # presets or files (relative to this file)
    years = 30
    replicates = 10                     # runs per point; every point uses the same streams
    seed = 7
    sampler = "saltelli"                # grid | lhs | saltelli | morris
    samples = 64                        # base samples (a power of 2 for saltelli)

    [[input]]                           # a behavioural parameter (see Params)
    param = "threat_reaction"
    range = [0.5, 1.5]

    [[input]]                           # a scenario lever, from `year` on
    lever = "engagement"
    target = "usa"
    year = 2005
    range = [0.3, 1.0]

    [[indicator]]
    name = "arms_race_2030"
    output = "arms_race_index"          # any engine output
    year = 2030                         # default: the last year

Every problem in a file is reported at once, each with its place, as for scenarios.
"""

from __future__ import annotations

import hashlib
import json
import math
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError

from alliancelab.errors import (
    AllianceLabError,
    ExperimentError,
    Problem,
    ScenarioError,
    plain_message,
    pydantic_problems,
    suggest,
)
from alliancelab.models.order.outputs import OUTPUTS
from alliancelab.models.order.params import MECHANISMS, Params
from alliancelab.scenario.levers import LEVERS
from alliancelab.scenario.load import MAX_FILE_BYTES, load_scenario, scenario_from_dict
from alliancelab.scenario.model import Scenario

__all__ = ["SAMPLERS", "Experiment", "ExperimentError", "Indicator", "Input", "load_experiment"]

SAMPLERS = ("grid", "lhs", "saltelli", "morris")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Meta(_Frozen):
    name: str = Field(min_length=1)
    description: str = ""
    scenarios: list[str] = Field(min_length=1, description="presets or scenario files")
    years: int = Field(30, ge=1, le=200)
    replicates: int = Field(10, ge=1, le=1024, description="runs per point (common random numbers)")
    seed: int = Field(0, ge=0, le=2**63 - 1)
    sampler: Literal["grid", "lhs", "saltelli", "morris"] = "lhs"
    samples: int = Field(64, ge=1, le=1_000_000, description="base samples (lhs/saltelli) or trajectories (morris)")
    levels: int = Field(4, ge=2, le=100, description="grid levels per ranged input; Morris levels")
    second_order: bool = Field(True, description="saltelli: also sample for second-order indices")
    params: str | None = Field(None, description="a named parameter set (see `alliancelab params`) or a file")
    chunk: int | None = Field(None, ge=1, description="points per chunk written to the store")


class Input(_Frozen):
    """One varied input: a parameter (``param``) or a lever (``lever``, ``target``, ``year``)."""

    name: str | None = None
    param: str | None = None
    lever: str | None = None
    target: str | list[str] | None = None
    year: int | None = None
    range: tuple[float, float] | None = None
    values: list[float] | None = Field(None, min_length=1)
    dist: Literal["uniform", "triangular"] = "uniform"
    mode: float | None = Field(None, description="peak of a triangular distribution")

    @property
    def label(self) -> str:
        if self.name:
            return self.name
        if self.param:
            return self.param
        tgt = "-".join(self.target) if isinstance(self.target, list) else self.target
        return f"{self.lever}:{tgt}"

    @property
    def bounds(self) -> tuple[float, float]:
        if self.range is not None:
            return self.range
        assert self.values is not None
        return (min(self.values), max(self.values))


class Indicator(_Frozen):
    """An outcome kept per point and replicate: ``output`` in ``year`` (default: the last year),
    for an ``actor``, a ``pair`` of actors or an alliance ``link`` where the output has one."""

    name: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", description="a Python identifier (used in --where)")
    output: str
    year: int | None = None
    actor: str | None = None
    pair: tuple[str, str] | None = None
    link: str | None = None


class Experiment(_Frozen):
    """A validated experiment, with its scenarios resolved (in ``resolved``)."""

    experiment: Meta
    input: list[Input] = Field(min_length=1)
    indicator: list[Indicator] = Field(min_length=1)
    source: str = "<experiment>"
    base_dir: str = "."
    #: the scenarios as resolved when the experiment was checked (each file is read once)
    _resolved: list[Scenario] | None = PrivateAttr(None)
    _digest: str | None = PrivateAttr(None)

    @property
    def name(self) -> str:
        return self.experiment.name

    @property
    def input_names(self) -> list[str]:
        return [i.label for i in self.input]

    def scenarios(self) -> list[Scenario]:
        """The scenarios, resolved (relative paths from the experiment file's folder), read once."""
        if self._resolved is None:
            self._resolved = [load_scenario(_scenario_ref(s, Path(self.base_dir))) for s in self.experiment.scenarios]
        return list(self._resolved)

    def digest(self) -> str:
        """SHA-256 of what determines the results (not the chunking): guards a store on resume."""
        if self._digest is None:
            doc = self.model_dump(mode="json", exclude={"source", "base_dir"})
            doc["experiment"].pop("chunk", None)
            doc["resolved"] = [s.model_dump(mode="json") for s in self.scenarios()]
            self._digest = hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()
        return self._digest


def _scenario_ref(ref: str, base: Path) -> str:
    path = base / ref
    return str(path) if ref.endswith(".toml") and path.exists() else ref


def load_experiment(ref: str | Path) -> Experiment:
    """Read and check an experiment TOML; raises :class:`ExperimentError` listing every problem."""
    path = Path(ref)
    source = str(path)
    if not path.is_file():
        raise ExperimentError(source, [Problem(source, "no such experiment file")])
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ExperimentError(source, [Problem("file", f"larger than {MAX_FILE_BYTES:,} bytes")])
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ExperimentError(source, [Problem("file", f"not valid TOML: {exc}")]) from None
    except RecursionError:
        raise ExperimentError(source, [Problem("file", "not valid TOML: nested too deeply")]) from None
    try:
        return experiment_from_dict(doc, source, path.parent)
    except RecursionError:
        raise ExperimentError(source, [Problem("file", "nested too deeply")]) from None


def experiment_from_dict(doc: dict[str, Any], source: str = "<experiment>", base_dir: Path | None = None) -> Experiment:
    problems: list[Problem] = []
    for section in doc:
        if section not in ("experiment", "input", "indicator"):
            problems.append(
                Problem(section, "unknown table; " + suggest(section, ["experiment", "input", "indicator"]))
            )
    clean = {k: v for k, v in doc.items() if k in ("experiment", "input", "indicator")}
    exp: Experiment | None = None
    try:
        exp = Experiment.model_validate({**clean, "source": source, "base_dir": str(base_dir or Path("."))})
    except ValidationError as exc:
        problems.extend(pydantic_problems(exc, fields=_fields))
    if exp is not None:
        problems.extend(_check(exp))
    if problems:
        raise ExperimentError(source, list(dict.fromkeys(problems)))
    assert exp is not None
    return exp


def _fields(loc: tuple[Any, ...]) -> list[str]:
    """The fields valid at a location of an experiment document."""
    models: dict[str, type[BaseModel]] = {"experiment": Meta, "input": Input, "indicator": Indicator}
    model = models.get(str(loc[0])) if loc else None
    return list(model.model_fields) if model is not None else list(models)


def _check(exp: Experiment) -> list[Problem]:
    """Cross checks: names exist, ranges lie inside what the parameter or lever allows."""
    problems: list[Problem] = []
    meta = exp.experiment
    scenarios: list[Scenario] = []
    for k, ref in enumerate(meta.scenarios):
        try:
            scenarios.append(load_scenario(_scenario_ref(ref, Path(exp.base_dir))))
        except AllianceLabError as exc:
            lines = [ln.strip(" -") for ln in str(exc).splitlines()]
            problems.append(Problem(f"experiment.scenarios[{k + 1}]", "; ".join(lines)))
    if len(scenarios) == len(meta.scenarios):
        exp._resolved = scenarios
    if meta.sampler == "saltelli" and meta.samples & (meta.samples - 1):
        low = 2 ** int(math.log2(meta.samples))
        problems.append(
            Problem(
                "experiment.samples", f"saltelli needs a power of 2 (Sobol' sequence); got {meta.samples}, try {low}"
            )
        )
    if meta.sampler == "morris" and meta.levels % 2:
        problems.append(Problem("experiment.levels", f"Morris needs an even number of levels; got {meta.levels}"))
    base = Params()
    seen: set[str] = set()
    for k, inp in enumerate(exp.input):
        where = f"input[{k + 1}] ({inp.label})"
        if inp.label in seen:
            problems.append(Problem(where, "a second input with this name; give each a distinct `name`"))
        seen.add(inp.label)
        if (inp.param is None) == (inp.lever is None):
            problems.append(Problem(where, "give exactly one of `param` (a parameter) or `lever` (a scenario lever)"))
            continue
        if (inp.range is None) == (inp.values is None):
            problems.append(Problem(where, "give exactly one of `range = [low, high]` or `values = [...]`"))
            continue
        lo, hi = inp.bounds
        if inp.range is not None and not lo < hi:
            problems.append(Problem(where, f"range must have low < high; got {list(inp.range)}"))
        if inp.values is not None and meta.sampler != "grid":
            problems.append(Problem(where, f"`values` needs sampler 'grid'; the {meta.sampler} sampler needs a range"))
        if inp.dist == "triangular" and (inp.mode is None or not lo <= inp.mode <= hi):
            problems.append(Problem(where, f"a triangular input needs `mode` within its range {[lo, hi]}"))
        if inp.param is not None:
            fields = [f for f in Params.model_fields if f != "mechanisms"]
            if inp.param not in fields:
                hint = " (mechanism switches are not sampled)" if inp.param in MECHANISMS else ""
                problems.append(Problem(where, f"unknown parameter {inp.param!r}{hint}; " + suggest(inp.param, fields)))
                continue
            for v in (lo, hi):
                try:
                    Params.model_validate({**base.model_dump(), inp.param: v})
                except ValidationError as exc:
                    problems.append(
                        Problem(where, f"{v} is outside what {inp.param} allows: {plain_message(exc.errors()[0])}")
                    )
        else:
            problems.extend(_check_lever(inp, where, scenarios, lo, hi))
    for k, ind in enumerate(exp.indicator):
        problems.extend(_check_indicator(ind, f"indicator[{k + 1}] ({ind.name})", scenarios, meta.years))
    names = [i.name for i in exp.indicator]
    for dup in sorted({n for n in names if names.count(n) > 1}):
        problems.append(Problem("indicator", f"two indicators are named {dup!r}"))
    return problems


def _check_lever(inp: Input, where: str, scenarios: list[Scenario], lo: float, hi: float) -> list[Problem]:
    kinds = [k for (name, k) in LEVERS if name == inp.lever]
    if not kinds:
        return [Problem(where, f"unknown lever {inp.lever!r}; " + suggest(str(inp.lever), {n for n, _ in LEVERS}))]
    if inp.target is None:
        return [Problem(where, "a lever input needs a `target` (an actor, alliance, institution or pair)")]
    problems: list[Problem] = []
    for sc in scenarios:
        year = sc.start if inp.year is None else inp.year
        target: Any = list(inp.target) if isinstance(inp.target, list) else inp.target
        doc = sc.model_dump(mode="json")
        same = (year, inp.lever, repr(target))
        # the input replaces the scenario's own shock on that lever, target and year (as apply_inputs does)
        kept = [x for x in doc["shock"] if (x["year"], x["lever"], repr(x["target"])) != same]
        for v in (lo, hi):
            doc["shock"] = [*kept, {"year": year, "lever": inp.lever, "target": target, "value": v}]
            try:
                scenario_from_dict(doc, source=sc.name)
            except ScenarioError as exc:
                problems.extend(Problem(where, f"in {sc.name}: {p.message}") for p in exc.problems)
                break
    return problems


def _check_indicator(ind: Indicator, where: str, scenarios: list[Scenario], years: int) -> list[Problem]:
    if ind.output not in OUTPUTS:
        return [Problem(where, f"unknown output {ind.output!r}; " + suggest(ind.output, OUTPUTS))]
    group = OUTPUTS[ind.output].group
    given = {"actor": ind.actor, "dyad": ind.pair, "alliance": ind.link}
    problems = []
    for g, v in given.items():
        if g != group and v is not None:
            problems.append(Problem(where, f"{ind.output!r} is a {group} output: drop `{_KEY[g]}`"))
    if group != "region" and given[group] is None:
        problems.append(Problem(where, f"{ind.output!r} is a {group} output: give `{_KEY[group]}`"))
    for sc in scenarios:
        if ind.year is not None and not sc.start <= ind.year < sc.start + years:
            problems.append(Problem(where, f"year {ind.year} is outside {sc.name}'s {sc.start}-{sc.start + years - 1}"))
        ids = sc.actor_ids
        for a in ([ind.actor] if ind.actor else []) + (list(ind.pair) if ind.pair else []):
            if a not in ids:
                problems.append(Problem(where, f"no actor {a!r} in {sc.name}; " + suggest(a, ids)))
        if ind.pair and ind.pair[0] == ind.pair[1]:
            problems.append(Problem(where, "a pair needs two different actors"))
    return problems


_KEY = {"actor": "actor", "dyad": "pair", "alliance": "link", "region": ""}
