"""Every preset's outputs are bit-identical to the fingerprints saved before the last
behaviour-preserving change (see tests/bitwise.py), for every backend."""

from __future__ import annotations

import json

import pytest

from tests import bitwise

SAVED = json.loads(bitwise.FIXTURE.read_text())


def _differences(saved: dict[str, str], now: dict[str, str]) -> list[str]:
    return [name for name in sorted(set(saved) | set(now)) if saved.get(name) != now.get(name)]


@pytest.mark.parametrize("backend", ["numba", "numpy", "jax"])
def test_outputs_are_bit_identical(backend: str) -> None:
    from alliancelab.engine.backends import available_backends

    if backend not in available_backends():
        pytest.skip(f"{backend} is not installed")
    library = {"numba": "numba", "numpy": "numpy", "jax": "jax"}[backend]
    recorded = SAVED["versions"].get(library)
    if backend != "numba" and recorded != bitwise.versions().get(library):
        # BLAS and XLA builds may sum in another order: bits are comparable under one version
        pytest.skip(f"fingerprints recorded under {library} {recorded}")
    now = bitwise.fingerprints((backend,))[backend]
    changed = {case: _differences(SAVED[backend][case], now[case]) for case in SAVED[backend]}
    changed = {case: names for case, names in changed.items() if names}
    assert not changed, f"outputs changed: {changed}"
