"""The JAX backend: a family's array step, jit-compiled as one ``lax.scan`` over the years.

The draws come from the same NumPy streams as the other backends', so they agree to float32
rounding. JAX computes aligned groups of :attr:`JaxBackend.group` canonical blocks as one array
(its kernels gain from larger arrays); it is multithreaded, so its workers are fresh
interpreters, never forked.
"""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Hashable
from typing import Any, cast

import numpy as np

from alliancelab.engine.backends.base import ArrayBackend
from alliancelab.engine.family import ArrayProgram

__all__ = ["JaxBackend"]


class _TracedOps:
    """Traced arrays cannot branch on a year flag: every value is recomputed."""

    def __init__(self, xp: Any) -> None:
        self.xp = xp

    def reuse(self, fresh: Any, compute: Any, old: Any) -> Any:
        return compute()


class JaxBackend(ArrayBackend):
    name = "jax"
    group = 16
    default_chunk = 16
    start_method = "forkserver"

    def available(self) -> bool:
        return importlib.util.find_spec("jax") is not None

    def years(self, program: ArrayProgram, p: Any, plan: Hashable, carry: Any, xs: Any, static: Any) -> dict[str, Any]:
        import jax
        import jax.numpy as jnp

        def device(tree: Any) -> Any:
            return jax.tree_util.tree_map(jnp.asarray, tree)

        recs = _scan(cast(Any, program), p, plan)(device(carry), device(static), device(xs))
        return {name: np.asarray(v) for name, v in recs.items()}


@functools.lru_cache(maxsize=16)
def _scan(program: Any, p: Any, plan: Hashable) -> Any:
    import jax
    import jax.numpy as jnp

    ops = _TracedOps(jnp)

    def body(carry: Any, xs: Any) -> Any:
        state, static = carry
        new, rec = program.year(ops, p, plan, static, state, xs)
        return (new, static), rec

    def run(state: Any, static: Any, xs: Any) -> Any:
        _, recs = jax.lax.scan(body, (state, static), xs)
        return recs

    return jax.jit(run)
