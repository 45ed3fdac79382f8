"""Fingerprints of every preset's outputs, per backend: the guard of behaviour-preserving changes.

``python -m tests.bitwise`` writes ``tests/fixtures/bitwise.json``; ``tests/test_bitwise.py``
recomputes the fingerprints and compares them bit for bit. Each fingerprint is the SHA-256 of an
output's bytes with its dtype and shape. The fused kernel's bits are the same on every machine
(strict float32, its own exp, no reassociation: ``tests/test_fused.py`` checks SSE against this
processor's widest vectors), so numba's fingerprints are exact everywhere. The NumPy and JAX
backends' bits depend on the processor as well as the library versions: NumPy picks SIMD loops
and OpenBLAS kernels by CPU at run time, and XLA compiles for the host CPU, so a sum may be taken
in another order. Their fingerprints are recorded per processor (:func:`platform`) with the
library versions; on a processor with none recorded, ``tests/test_fused.py`` and
``tests/test_engine.py`` hold them to numba's outputs within float32 rounding instead.
Writing the fixture on a new processor adds its entry and keeps the others.
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


def platform() -> str:
    """What decides NumPy's and XLA's bits on this machine: the CPU as LLVM names it, the SIMD
    targets NumPy dispatches to here, and OpenBLAS's kernel family."""
    import llvmlite.binding as ll
    import threadpoolctl
    from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__

    simd = ",".join(sorted(k for k in __cpu_dispatch__ if __cpu_features__.get(k)))
    blas = sorted(
        {str(i.get("architecture")) for i in threadpoolctl.threadpool_info() if i["internal_api"] == "openblas"}
    )
    return f"{ll.get_host_cpu_name()}; numpy SIMD {simd or 'baseline'}; OpenBLAS {','.join(blas) or 'none'}"


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


def record() -> dict[str, Any]:
    """The fixture with this machine's fingerprints: numba's (the same everywhere) replaced, and
    this processor's NumPy and JAX entry added or replaced beside the other processors'."""
    found = fingerprints(("numba", "numpy", "jax"))
    old = json.loads(FIXTURE.read_text()) if FIXTURE.is_file() else {}
    platforms = old.get("platforms", {})
    platforms[platform()] = {"versions": found["versions"], "numpy": found.pop("numpy"), "jax": found.pop("jax")}
    return found | {"platforms": platforms}


if __name__ == "__main__":
    FIXTURE.write_text(json.dumps(record(), indent=1, sort_keys=True) + "\n")
    print(f"wrote {FIXTURE} ({platform()})")
