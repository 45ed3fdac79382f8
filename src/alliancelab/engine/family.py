"""What a model family gives the engine: its outputs, draws, store layout and two programs.

The engine (blocks, backends, ensembles) is written against these protocols only; the order
model (:mod:`alliancelab.models.order.family`) is the first family. A family provides

- an :class:`ArrayProgram`: the yearly step as a function of an array namespace, which the
  NumPy backend loops over and the JAX backend scans (both compute whole canonical blocks);
- a :class:`FusedProgram`: a compiled kernel that makes its own draws and writes a span of runs
  straight into the output store (the ``numba`` backend).

Both must give every run a result that depends only on ``(seed, run)``.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, Protocol, TypeVar

import numpy as np

from alliancelab.engine.outputs import Catalogue

__all__ = ["ArrayOps", "ArrayProgram", "FusedProgram", "ModelFamily"]

T = TypeVar("T")


class ArrayOps(Protocol):
    """What an array backend lends the step: its namespace, and how to reuse a value."""

    xp: Any

    def reuse(self, fresh: Any, compute: Callable[[], T], old: T) -> T:
        """``compute()`` where ``fresh`` (a year flag) says the old value is stale, else ``old``.

        Eager backends skip the work; traced ones (JAX) always compute.
        """
        ...


class ArrayProgram(Protocol):
    """The yearly step of a family for array backends, over a whole unit of rows."""

    def plan(self, c: Any, keep: tuple[str, ...]) -> Hashable:
        """What the step must record to give ``keep`` (a hashable, static description)."""
        ...

    def inputs(self, c: Any, draws: Any, rows: int) -> tuple[Any, Any, Any]:
        """(start carry, per-year inputs stacked on a leading year axis, per-run constants)."""
        ...

    def year(self, ops: ArrayOps, p: Any, plan: Any, static: Any, carry: Any, xs: Any) -> tuple[Any, dict[str, Any]]:
        """One year: the next carry and the recorded fields, as (runs, …) arrays."""
        ...

    def finish(self, c: Any, p: Any, records: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Outputs derived from the records over all years at once (e.g. region measures)."""
        ...


class FusedProgram(Protocol):
    """A family's compiled kernel: its own draws, checks and writes, for a span of runs."""

    tile: int  # runs per tile: spans are made of whole tiles where possible

    def prepare(self, c: Any, p: Any, store: dict[str, np.ndarray]) -> Any: ...

    def run_span(
        self,
        prepared: Any,
        seed: int,
        first_run: int,
        runs: int,
        first_row: int,
        status: np.ndarray,
        fail_year: np.ndarray,
    ) -> None:
        """Simulate runs ``first_run …`` into rows ``first_row …`` of the store; fill the checks."""
        ...

    def compiled(self) -> bool:
        """Whether the kernel is compiled here or in the on-disk cache (else the first run compiles)."""
        ...


class ModelFamily(Protocol):
    """A model family: what the generic engine needs to run, store and check it."""

    name: str
    outputs: Catalogue
    arrays: ArrayProgram
    fused: FusedProgram

    def years(self, c: Any) -> np.ndarray:
        """The calendar years simulated."""
        ...

    def shape(self, c: Any, group: str) -> tuple[int, ...]:
        """The store's trailing dimensions of an output group (after run and year)."""
        ...

    def draws(self, c: Any, seed: int, first_run: int, runs: int, reuse: bool = False) -> Any:
        """The random draws of runs ``first_run … first_run + runs − 1`` (kept for the next
        call with the same arguments where ``reuse``)."""
        ...

    def to_store(self, c: Any, name: str, target: np.ndarray, values: np.ndarray) -> None:
        """Write records (runs, years, …) of output ``name`` into its store rows ``target``."""
        ...

    def from_store(self, c: Any, name: str, by_year: np.ndarray) -> np.ndarray:
        """Store values (years, runs, …) of ``name`` in the records' form."""
        ...
