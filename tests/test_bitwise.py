"""Every preset's outputs are bit-identical to the fingerprints saved before the last
behaviour-preserving change (see tests/bitwise.py), for every backend."""

from __future__ import annotations

import json

import pytest

from tests import bitwise

SAVED = json.loads(bitwise.FIXTURE.read_text())


def _differences(saved: dict[str, str], now: dict[str, str]) -> list[str]:
    return [name for name in sorted(set(saved) | set(now)) if saved.get(name) != now.get(name)]


def _saved(backend: str) -> dict[str, dict[str, str]]:
    """The fingerprints to hold ``backend`` to here, or a skip that says why there are none."""
    if backend == "numba":  # strict float32 with its own exp: the same bits on every processor
        recorded, versions = SAVED["numba"], SAVED["versions"]
    else:
        here = bitwise.platform()
        if here not in SAVED["platforms"]:
            # NumPy's SIMD loops, OpenBLAS's kernels and XLA's code are chosen by CPU: another
            # processor may sum in another order, so its bits are not these. The same outputs are
            # held to numba's within float32 rounding on every processor (test_fused, test_engine).
            pytest.skip(f"no {backend} fingerprints for this processor ({here}); `python -m tests.bitwise` adds them")
        recorded, versions = SAVED["platforms"][here][backend], SAVED["platforms"][here]["versions"]
    if backend != "numba" and versions.get(backend) != bitwise.versions().get(backend):
        pytest.skip(f"{backend} fingerprints recorded under {backend} {versions.get(backend)}")
    return dict(recorded)


@pytest.mark.parametrize("backend", ["numba", "numpy", "jax"])
def test_outputs_are_bit_identical(backend: str) -> None:
    from alliancelab.engine.backends import available_backends

    if backend not in available_backends():
        pytest.skip(f"{backend} is not installed")
    saved = _saved(backend)
    now = bitwise.fingerprints((backend,))[backend]
    changed = {case: _differences(saved[case], now[case]) for case in saved}
    changed = {case: names for case, names in changed.items() if names}
    assert not changed, f"outputs changed: {changed}"
