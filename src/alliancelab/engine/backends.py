"""Array backends that run the yearly step: NumPy (everywhere) and JAX (jit-compiled scan).

Both call the same :func:`~alliancelab.models.order.step.step`; the random draws come from the
same NumPy streams, so the two agree to float32 rounding.
"""

from __future__ import annotations

import functools
from typing import Any, NamedTuple

import numpy as np

from alliancelab.errors import ParameterError
from alliancelab.models.order.compile import Compiled, constants, year_stack
from alliancelab.models.order.params import Params
from alliancelab.models.order.step import Constants, Noise, State, YearInputs, perceptual_bias, step

__all__ = ["BACKENDS", "Years", "available_backends", "run_years"]

BACKENDS = ("numpy", "numba", "jax")


def available_backends() -> list[str]:
    """The backends installed here (found without importing them)."""
    import importlib.util

    return [b for b in BACKENDS if b == "numpy" or importlib.util.find_spec(b) is not None]


class Years(NamedTuple):
    """One unit of rows to run through all years.

    ``Z`` (runs, 2, P) is the standardised perceptual bias (z_ij, z_ji) of each pair; ``needed``
    names the record fields to keep, where ``hostility_gp`` asks for hostility among
    ``gp_pairs`` only (the order measure's input when the dyadic output is not kept):
    recording is a large share of the cost.
    """

    c: Compiled
    p: Params
    state: State
    Z: np.ndarray
    noise: Noise
    needed: tuple[str, ...]
    gp_pairs: tuple[int, ...]


def run_years(backend: str, job: Years) -> dict[str, np.ndarray]:
    """Run all years; returns the needed record fields stacked as (years, runs, ...) arrays."""
    if backend == "numpy":
        return _numpy_years(job)
    if backend == "jax":
        return _jax_years(job)
    raise ParameterError("backend", "simulate", f"one of {list(BACKENDS)}", backend)


def _select(rec: Any, needed: tuple[str, ...], gp_pairs: tuple[int, ...]) -> dict[str, Any]:
    out = {name: getattr(rec, name) for name in needed if name != "hostility_gp"}
    if "hostility_gp" in needed:
        out["hostility_gp"] = rec.hostility[:, list(gp_pairs)]
    return out


def _numpy_years(job: Years) -> dict[str, np.ndarray]:
    c, p, state, Z, noise, needed, gp_pairs = job
    ys = year_stack(c)
    const = constants(c)
    z_ij, z_ji = Z[:, 0], Z[:, 1]
    out: dict[str, np.ndarray] = {}
    bias = None
    for t in range(len(c.years)):
        y = YearInputs(*(f[t] for f in ys))
        if bias is None or c.changed[t]:
            bias = perceptual_bias(np, y, z_ij, z_ji)
        e = Noise(*(f[t] for f in noise))
        state, rec = step(np, p, const, y, bias, state, e)
        for name, v in _select(rec, needed, gp_pairs).items():
            if t == 0:
                out[name] = np.empty((len(c.years), *np.shape(v)), dtype=np.asarray(v).dtype)
            out[name][t] = v
    return out


@functools.lru_cache(maxsize=16)
def _jax_scan(p: Params, needed: tuple[str, ...], gp_pairs: tuple[int, ...]) -> Any:
    import jax
    import jax.numpy as jnp

    def body(carry: Any, xs: Any) -> Any:
        state, const, z_ij, z_ji = carry
        y, e = xs
        new, rec = step(jnp, p, const, y, perceptual_bias(jnp, y, z_ij, z_ji), state, e)
        return (new, const, z_ij, z_ji), _select(rec, needed, gp_pairs)

    def run(state: Any, const: Any, z_ij: Any, z_ji: Any, ys: Any, noise: Any) -> Any:
        _, recs = jax.lax.scan(body, (state, const, z_ij, z_ji), (ys, noise))
        return recs

    return jax.jit(run)


def _jax_years(job: Years) -> dict[str, np.ndarray]:
    c, p, state, Z, noise, needed, gp_pairs = job
    try:
        import jax.numpy as jnp
    except ImportError:
        raise ParameterError(
            "backend", "simulate", "an installed backend " + str(available_backends()), "jax"
        ) from None
    recs = _jax_scan(p, needed, gp_pairs)(
        State(*map(jnp.asarray, state)),
        Constants(*map(jnp.asarray, constants(c))),
        jnp.asarray(Z[:, 0]),
        jnp.asarray(Z[:, 1]),
        YearInputs(*map(jnp.asarray, year_stack(c))),
        Noise(*map(jnp.asarray, noise)),
    )
    return {name: np.asarray(v) for name, v in recs.items()}
