"""Array backends that run the yearly step: NumPy (everywhere) and JAX (jit-compiled scan).

Both call the same :func:`~alliancelab.models.order.step.step`; the random draws come from the
same NumPy streams, so the two agree to float32 rounding.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from alliancelab.errors import ParameterError
from alliancelab.models.order.compile import Compiled
from alliancelab.models.order.params import Params
from alliancelab.models.order.step import Constants, Noise, State, YearInputs, step

__all__ = ["BACKENDS", "available_backends", "run_years"]

BACKENDS = ("numpy", "jax")


def available_backends() -> list[str]:
    """The backends importable here."""
    out = ["numpy"]
    try:
        import jax  # noqa: F401
    except ImportError:
        pass
    else:
        out.append("jax")
    return out


def year_stack(c: Compiled) -> YearInputs:
    """All years' run-independent inputs, stacked on a leading year axis."""
    return YearInputs(
        growth=c.growth,
        posture=c.posture,
        engagement_defender=c.engagement[:, c.link_defender],
        peacekeeping_defended=c.peacekeeping[:, c.link_defended],
        commitment=c.commitment,
        presence=c.presence,
        cover_factor=c.cover_factor,
        rma_gap=c.rma_gap,
        incidents=c.incidents,
        conflict=c.conflict,
        baseline=c.baseline,
        teeth=c.teeth,
        hazard_static=c.hazard_static,
        sigma=c.sigma,
        teeth_cover=c.teeth_cover,
        decay=c.decay,
    )


def bias_weight(xp: Any, threat_weight: Any, sigma: Any, full_index: Any, Z: Any) -> Any:
    """Threat weight times the perceptual bias, m_ij = exp(σ_ij z_ij − σ_ij²/2) (mean one).

    Jervis (1976): misperception is persistent, so z is drawn once per run; institutions
    narrow σ over time (transparency).
    """
    n = Z.shape[-1]
    sig = xp.concat([sigma, xp.zeros((1,), dtype=sigma.dtype)])
    sig = xp.reshape(xp.take(sig, full_index, axis=0), (n, n))
    return threat_weight * xp.exp(sig * Z - 0.5 * sig * sig)


def _pairs_positive(Z: np.ndarray, c: Compiled) -> np.ndarray:
    Zpos = np.maximum(Z, 0)
    out: np.ndarray = Zpos[:, c.pair_i, c.pair_j] + Zpos[:, c.pair_j, c.pair_i]
    return out


def run_years(
    backend: str, c: Compiled, p: Params, const: Constants, state: State, Z: np.ndarray, noise: Noise
) -> dict[str, np.ndarray]:
    """Run all years; returns each record field stacked as (years, runs, ...) NumPy arrays."""
    if backend == "numpy":
        return _numpy_years(c, p, const, state, Z, noise)
    if backend == "jax":
        return _jax_years(c, p, const, state, Z, noise)
    raise ParameterError("backend", "simulate", f"one of {list(BACKENDS)}", backend)


def _numpy_years(
    c: Compiled, p: Params, const: Constants, state: State, Z: np.ndarray, noise: Noise
) -> dict[str, np.ndarray]:
    Zp = _pairs_positive(Z, c)
    ys = year_stack(c)
    out: dict[str, np.ndarray] = {}
    weight = None
    for t in range(len(c.years)):
        if weight is None or c.changed[t]:
            weight = bias_weight(np, c.threat_weight[t], c.sigma[t], c.full_index, Z)
        y = YearInputs(*(f[t] for f in ys))
        e = Noise(*(f[t] for f in noise))
        state, rec = step(np, p, const, y, weight, Zp, state, e)
        for name, v in rec._asdict().items():
            if t == 0:
                out[name] = np.empty((len(c.years), *np.shape(v)), dtype=np.asarray(v).dtype)
            out[name][t] = v
    return out


@functools.lru_cache(maxsize=16)
def _jax_scan(p: Params) -> Any:
    import jax
    import jax.numpy as jnp

    def body(carry: Any, xs: Any) -> Any:
        const, Z, Zp, tw = carry[1], carry[2], carry[3], None
        state = carry[0]
        y, e, tw = xs
        weight = bias_weight(jnp, tw, y.sigma, const.full_index, Z)
        new, rec = step(jnp, p, const, y, weight, Zp, state, e)
        return (new, const, Z, Zp), rec

    def run(state: Any, const: Any, Z: Any, Zp: Any, ys: Any, noise: Any, tw: Any) -> Any:
        _, recs = jax.lax.scan(body, (state, const, Z, Zp), (ys, noise, tw))
        return recs

    return jax.jit(run)


def _jax_years(
    c: Compiled, p: Params, const: Constants, state: State, Z: np.ndarray, noise: Noise
) -> dict[str, np.ndarray]:
    try:
        import jax.numpy as jnp
    except ImportError:
        raise ParameterError(
            "backend", "simulate", "an installed backend " + str(available_backends()), "jax"
        ) from None
    Zp = _pairs_positive(Z, c)
    as_j = functools.partial(jnp.asarray)
    recs = _jax_scan(p)(
        State(*map(as_j, state)),
        Constants(*map(as_j, const)),
        as_j(Z),
        as_j(Zp),
        YearInputs(*map(as_j, year_stack(c))),
        Noise(*map(as_j, noise)),
        as_j(c.threat_weight),
    )
    return {name: np.asarray(v) for name, v in recs._asdict().items()}
