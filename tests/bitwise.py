"""Fingerprints of every preset's outputs, per backend: the guard of behaviour-preserving changes.

``python -m tests.bitwise`` writes ``tests/fixtures/bitwise.json``; ``tests/test_bitwise.py``
recomputes the fingerprints and compares them bit for bit. Each fingerprint is the SHA-256 of an
output's bytes with its dtype and shape. The fused kernel's bits are the same on every machine
(strict float32, its own exp); the NumPy and JAX backends' bits depend on the BLAS and XLA
builds, so their fingerprints are recorded with the library versions they were made under.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np

FIXTURE = Path(__file__).parent / "fixtures" / "bitwise.json"
RUNS = 300  # more than one tile of the fused kernel (256), less than a canonical block
YEARS = 12  # past every preset's shock year
SEED = 20011


def digest(a: Any) -> str:
    a = np.ascontiguousarray(np.asarray(a))
    h = hashlib.sha256(f"{a.dtype.str}{a.shape}".encode())
    h.update(a.tobytes())
    return h.hexdigest()[:20]


def ensemble(preset: str, backend: str, params: str = "illustrative") -> dict[str, str]:
    """Every output and the status of ``simulate`` on one preset under a named parameter set."""
    import alliancelab as al
    from alliancelab.models.order.paramsets import load_params

    ds = al.simulate(preset, runs=RUNS, years=YEARS, seed=SEED, backend=backend, params=load_params(params))
    return {name: digest(ds[name].values) for name in sorted(ds.data_vars)}


def rows(preset: str, backend: str) -> dict[str, str]:
    """The experiments' path: ``run_rows`` on the first 100 runs."""
    from alliancelab.models.order.compile import compile_scenario
    from alliancelab.models.order.outputs import OUTPUTS
    from alliancelab.models.order.paramsets import load_params
    from alliancelab.models.order.simulate import run_rows
    from alliancelab.scenario import load_scenario

    p = load_params("illustrative")
    c = compile_scenario(load_scenario(preset), p, YEARS)
    out, status, fail_year = run_rows(c, p, SEED, 100, tuple(OUTPUTS), backend=backend)
    found = {name: digest(v) for name, v in sorted(out.items())}
    return found | {"status": digest(status), "fail_year": digest(fail_year)}


def versions() -> dict[str, str]:
    import numba
    import numpy

    found = {"numpy": numpy.__version__, "numba": numba.__version__}
    try:
        import jax

        found["jax"] = jax.__version__
    except ImportError:
        pass
    return found


def fingerprints(backends: tuple[str, ...]) -> dict[str, Any]:
    from alliancelab import list_presets

    out: dict[str, Any] = {"versions": versions(), "runs": RUNS, "years": YEARS, "seed": SEED}
    for backend in backends:
        table: dict[str, Any] = {}
        for preset in sorted(list_presets()):
            table[preset] = ensemble(preset, backend)
            table["estimated:" + preset] = ensemble(preset, backend, "estimated")
        if backend != "jax":
            table["rows:asia-pacific-2001"] = rows("asia-pacific-2001", backend)
            table["rows:us-retrenchment"] = rows("us-retrenchment", backend)
        out[backend] = table
    return out


if __name__ == "__main__":
    FIXTURE.write_text(json.dumps(fingerprints(("numba", "numpy", "jax")), indent=1, sort_keys=True) + "\n")
    print(f"wrote {FIXTURE}")
