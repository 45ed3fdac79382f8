"""Exceptions raised by alliancelab: one tree.

The hierarchy::

    AllianceLabError            every error alliancelab raises on purpose
    ├── ProblemsError           a document is invalid; ``problems`` lists every problem found
    │   ├── ScenarioError       a scenario file or object
    │   ├── ExperimentError     an experiment file
    │   └── IssueError          an issue file for the bargaining model
    ├── ParameterError          an option or model parameter is out of range (also a ValueError)
    ├── SimulationError         a run produced NaN/inf or left its valid bounds
    ├── DataFileError           a data file is missing, fails its checksum or cannot be read
    ├── StoreError              a sweep's results store cannot be used
    ├── AnalysisError           an analysis cannot run on a store as asked
    ├── CalibrationError        a calibration found no parameter values with a finite objective
    └── EstimationError         an estimation cannot be carried out

Every message says where the problem is, what is wrong and what would be valid. The library
speaks in Python terms (argument names); the command line (:mod:`alliancelab.cli`) prints
these messages without a traceback. :func:`suggest` is the one "did you mean" helper and
:func:`pydantic_problems` the one translation of pydantic's validation errors into problems.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from difflib import get_close_matches
from typing import Any

__all__ = [
    "AllianceLabError",
    "AnalysisError",
    "CalibrationError",
    "DataFileError",
    "EstimationError",
    "ExperimentError",
    "IssueError",
    "ParameterError",
    "Problem",
    "ProblemsError",
    "ScenarioError",
    "SimulationError",
    "StoreError",
    "dotted",
    "plain_message",
    "pydantic_problems",
    "suggest",
    "toml_document",
]


class AllianceLabError(Exception):
    """Base class of every error alliancelab raises on purpose.

    The message names Python arguments; where a remedy reads differently on the command line,
    ``command_line`` holds the message in its terms (options instead of arguments), which the
    command line prints instead.
    """

    def __init__(self, *args: object, command_line: str | None = None) -> None:
        super().__init__(*args)
        self.command_line = command_line


@dataclass(frozen=True)
class Problem:
    """One problem found in a document: where it is and what is wrong."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class ProblemsError(AllianceLabError):
    """A document is invalid. ``problems`` lists every problem found, not just the first."""

    def __init__(self, source: str, problems: Sequence[Problem]) -> None:
        self.source = source
        self.problems = list(problems)
        n = len(self.problems)
        head = f"{source}: {n} problem{'s' if n != 1 else ''} found"
        body = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{head}\n{body}")


class ScenarioError(ProblemsError):
    """A scenario file or object is invalid."""


class ExperimentError(ProblemsError):
    """An experiment file is invalid."""


class IssueError(ProblemsError):
    """An issue file for the bargaining model is invalid."""


class ParameterError(AllianceLabError, ValueError):
    """A parameter or option is out of range.

    The message shape is always: *the 'p' parameter of X must be …; got … instead*.
    """

    def __init__(self, name: str, owner: str, expected: str, got: object) -> None:
        self.name = name
        super().__init__(f"the {name!r} parameter of {owner} must be {expected}; got {got!r} instead")


class SimulationError(AllianceLabError):
    """A run of the engine produced a value that is not finite or leaves its bounds.

    Attributes name the first failing run (its global index), the year, the output
    variable and the mechanism that computes it.
    """

    def __init__(self, run: int, year: int, variable: str, mechanism: str, detail: str) -> None:
        self.run = run
        self.year = year
        self.variable = variable
        self.mechanism = mechanism
        super().__init__(
            f"run {run}, year {year}: {variable!r} {detail} (mechanism: {mechanism}). "
            f"Check the scenario's values and shocks feeding {mechanism}, or switch the "
            f"mechanism off to isolate it; pass throw=False to keep the other runs and "
            f"inspect the 'status' variable."
        )


class DataFileError(AllianceLabError):
    """A data file is missing, fails its checksum, or is not what it claims to be."""


class StoreError(AllianceLabError):
    """A results store that cannot be used: another experiment's, or not a sweep store."""


class AnalysisError(AllianceLabError):
    """An analysis cannot run on this store (wrong sampler, unfinished sweep, bad condition)."""


class CalibrationError(AllianceLabError):
    """A calibration found no parameter values with a finite objective."""


class EstimationError(AllianceLabError):
    """An estimation could not be carried out (no events, a singular design, no convergence)."""


def suggest(name: str, existing: Iterable[str]) -> str:
    """A hint listing the names that exist, the closest first.

    >>> suggest("jpa", ["jpn", "usa", "chn"])
    "did you mean 'jpn'? Known: 'chn', 'jpn', 'usa'"
    """
    names = sorted(set(existing))
    close = get_close_matches(name, names, n=1)
    known = ", ".join(repr(n) for n in names)
    if close:
        return f"did you mean {close[0]!r}? Known: {known}"
    return f"known: {known}"


def dotted(loc: tuple[Any, ...]) -> str:
    """A location as a reader writes it: ``input[2].low`` (counting from 1)."""
    out = ""
    for item in loc:
        out += f"[{item + 1}]" if isinstance(item, int) else ("." if out else "") + str(item)
    return out


_PLAIN: dict[str, str] = {
    "greater_than": "must be greater than {gt}",
    "greater_than_equal": "must be at least {ge}",
    "less_than": "must be less than {lt}",
    "less_than_equal": "must be at most {le}",
    "float_parsing": "must be a number",
    "float_type": "must be a number",
    "int_parsing": "must be a whole number",
    "int_type": "must be a whole number",
    "int_from_float": "must be a whole number",
    "bool_parsing": "must be true or false",
    "bool_type": "must be true or false",
    "string_type": "must be text",
    "list_type": "must be a list",
    "tuple_type": "must be a list",
    "dict_type": "must be a table",
    "model_type": "must be a table",
    "model_attributes_type": "must be a table",
    "finite_number": "must be a finite number",
    "string_too_long": "must be at most {max_length} characters",
    "string_too_short": "must be at least {min_length} characters",
    "too_short": "must hold at least {min_length} items",
    "too_long": "must hold at most {max_length} items",
    "literal_error": "must be {expected}",
    "enum": "must be {expected}",
}


def toml_document(text: str, label: str, error: type[ProblemsError]) -> dict[str, Any]:
    """A TOML document, or ``error`` (a :class:`ProblemsError`) naming ``label``: a syntax error
    with its place, or a document nested deeper than Python reads."""
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(label, [Problem("TOML syntax", str(exc))]) from None
    except RecursionError:
        raise error(label, [Problem("TOML syntax", "nested too deeply")]) from None


def plain_message(err: Any) -> str:
    """A pydantic error in plain words: "must be at least 0" rather than "Input should be greater
    than or equal to 0", a check's own sentence without pydantic's "Value error, " prefix.

    >>> plain_message({"type": "greater_than", "msg": "Input should be greater than 0", "ctx": {"gt": 0}})
    'must be greater than 0'
    >>> plain_message({"type": "value_error", "msg": "Value error, the pair repeats"})
    'the pair repeats'
    """
    kind, msg, ctx = err.get("type", ""), str(err.get("msg", "")), dict(err.get("ctx") or {})
    for key, value in ctx.items():  # 0 rather than 0.0, 1e+15 rather than 1000000000000000.0
        if isinstance(value, float):
            ctx[key] = f"{value:g}"
    if kind in _PLAIN:
        try:
            return _PLAIN[kind].format(**ctx)
        except (KeyError, IndexError):
            pass
    for prefix in ("Value error, ", "Assertion failed, "):
        if msg.startswith(prefix):
            return msg[len(prefix) :]
    return msg.replace("Input should be", "must be").replace("Input ", "the value ")


def pydantic_problems(
    exc: Any,
    where: Callable[[tuple[Any, ...]], str] = dotted,
    fields: Callable[[tuple[Any, ...]], Iterable[str]] | None = None,
) -> list[Problem]:
    """The problems of a pydantic ``ValidationError``, one per error.

    ``where`` names a location (default :func:`dotted`); ``fields`` gives the fields valid at
    the location of an unknown one, for a suggestion. Model-level checks (errors without a
    location) are left out: the caller lists them with their own locations.
    """
    problems = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        kind = err["type"]
        if kind == "value_error" and not loc:
            continue
        if kind == "extra_forbidden":
            field = str(loc[-1])
            hint = f"; {suggest(field, fields(loc[:-1]))}" if fields is not None else ""
            problems.append(Problem(where(loc[:-1]), f"unknown field {field!r}{hint}"))
        elif kind == "missing":
            problems.append(Problem(where(loc[:-1]), f"missing required field {loc[-1]!r}"))
        elif kind == "string_pattern_mismatch" and "\\x00" in str(err.get("ctx", {}).get("pattern", "")):
            problems.append(Problem(where(loc), f"must not hold control characters; got {err.get('input')!r}"))
        else:
            problems.append(Problem(where(loc), f"{plain_message(err)}; got {err.get('input')!r}"))
    return problems
