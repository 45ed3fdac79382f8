"""The backends, one module each, behind one protocol and one registry.

- ``numba`` (default): the family's fused kernel (:mod:`.numba`);
- ``numpy``: the family's reference array step, looped eagerly (:mod:`.numpy`);
- ``jax``: the same step jit-compiled as a scan (:mod:`.jax`; needs ``jax`` installed).

All share the random streams and agree to float32 rounding. :func:`get_backend` is the one
place a backend is chosen by name.
"""

from __future__ import annotations

from alliancelab.engine.backends.base import ArrayBackend, Backend, RowsResult
from alliancelab.engine.backends.jax import JaxBackend
from alliancelab.engine.backends.numba import NumbaBackend
from alliancelab.engine.backends.numpy import NumpyBackend
from alliancelab.errors import ParameterError

__all__ = ["BACKENDS", "ArrayBackend", "Backend", "RowsResult", "available_backends", "get_backend", "register"]

_REGISTRY: dict[str, Backend] = {}


def register(backend: Backend) -> Backend:
    """Add a backend under its name (the last registered under a name wins)."""
    _REGISTRY[backend.name] = backend
    return backend


for _backend in (NumbaBackend(), NumpyBackend(), JaxBackend()):
    register(_backend)

#: The registered backends' names, the default first.
BACKENDS: tuple[str, ...] = tuple(_REGISTRY)


def available_backends() -> list[str]:
    """The backends installed here (found without importing their libraries)."""
    return [name for name, b in _REGISTRY.items() if b.available()]


def get_backend(name: str, where: str = "simulate") -> Backend:
    """The backend called ``name``; a clear error where it is unknown or not installed."""
    if name not in _REGISTRY:
        raise ParameterError("backend", where, f"one of {list(_REGISTRY)}", name)
    backend = _REGISTRY[name]
    if not backend.available():
        raise ParameterError("backend", where, "an installed backend " + str(available_backends()), name)
    return backend
