"""The NumPy backend: a family's array step, looped over the years eagerly (the reference)."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import numpy as np

from alliancelab.engine.backends.base import ArrayBackend, EagerOps, at_year
from alliancelab.engine.family import ArrayProgram

__all__ = ["NumpyBackend"]

_OPS = EagerOps(np)


class NumpyBackend(ArrayBackend):
    """Whole canonical blocks, one chunk per task; workers are forked and share the store."""

    name = "numpy"
    group = 1
    default_chunk = 1  # one block keeps the working set in cache
    start_method = "fork"

    def years(self, program: ArrayProgram, p: Any, plan: Hashable, carry: Any, xs: Any, static: Any) -> dict[str, Any]:
        Y = len(xs[0][0])
        out: dict[str, np.ndarray] = {}
        for t in range(Y):
            carry, rec = program.year(_OPS, p, plan, static, carry, at_year(xs, t))
            for name, v in rec.items():
                if t == 0:
                    out[name] = np.empty((Y, *np.shape(v)), dtype=np.asarray(v).dtype)
                out[name][t] = v
        return out
