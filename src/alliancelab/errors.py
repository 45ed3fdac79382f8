"""Exceptions raised by alliancelab.

The hierarchy::

    AllianceLabError
    ├── ScenarioError        a scenario file or object is invalid (every problem listed)
    ├── ParameterError       a simulation option or model parameter is out of range
    └── SimulationError      a run produced NaN/inf or left its valid bounds

Every message says where the problem is, what is wrong and what would be valid.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import get_close_matches

__all__ = [
    "AllianceLabError",
    "ParameterError",
    "Problem",
    "ScenarioError",
    "SimulationError",
    "suggest",
]


class AllianceLabError(Exception):
    """Base class of every error alliancelab raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One problem found in a scenario: where it is and what is wrong."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class ScenarioError(AllianceLabError):
    """A scenario is invalid. ``problems`` lists every problem found, not just the first."""

    def __init__(self, source: str, problems: Sequence[Problem]) -> None:
        self.source = source
        self.problems = list(problems)
        n = len(self.problems)
        head = f"{source}: {n} problem{'s' if n != 1 else ''} found"
        body = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{head}\n{body}")


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
