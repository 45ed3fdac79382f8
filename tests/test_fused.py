"""The numba backend (fused kernel), the counter-based random streams and the float32 functions.

The NumPy step is the reference: the fused kernel must reproduce it run by run (to float32
rounding, on the same random streams), for every preset and with each mechanism switched off,
and flag the same runs. The streams are checked against Random123's published known answers.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pytest
import xarray as xr
from scipy import stats

from alliancelab.engine import BLOCK
from alliancelab.engine.random import key
from alliancelab.engine.vecmath import evaluate
from alliancelab.errors import SimulationError
from alliancelab.models.order import arrays as arrays_module
from alliancelab.models.order import kernel as kernel_module
from alliancelab.models.order.family import ORDER
from alliancelab.models.order.noise import block_draws
from alliancelab.models.order.outputs import OUTPUTS
from alliancelab.models.order.params import make_params
from alliancelab.models.order.simulate import simulate
from alliancelab.scenario.load import list_presets

KW: dict[str, Any] = {"years": 12, "seed": 7}

#: Random123's known-answer vectors for Philox4x32-10 (its tests/kat_vectors): counter, key, output.
PHILOX_KAT = [
    ((0, 0, 0, 0), (0, 0), (0x6627E8D5, 0xE169C58D, 0xBC57AC4C, 0x9B00DBD8)),
    ((0xFFFFFFFF,) * 4, (0xFFFFFFFF,) * 2, (0x408F276D, 0x41C83B0E, 0xA20BC7C6, 0x6D5451FD)),
    (
        (0x243F6A88, 0x85A308D3, 0x13198A2E, 0x03707344),
        (0xA4093822, 0x299F31D0),
        (0xD16CFE09, 0x94FDCCEB, 0x5001E420, 0x24126EA1),
    ),
]


def _philox(counter: tuple[int, ...], k: tuple[int, int]) -> tuple[int, ...]:
    from numba import njit

    from alliancelab.engine.random import philox4x32

    @njit
    def call(c: Any, kk: Any) -> Any:
        return philox4x32(c[0], c[1], c[2], c[3], kk[0], kk[1])

    return tuple(int(w) for w in call(np.array(counter, np.uint64), np.array(k, np.uint64)))


@pytest.mark.parametrize(("counter", "k", "expected"), PHILOX_KAT)
def test_philox_matches_random123_known_answers(counter: Any, k: Any, expected: Any) -> None:
    assert _philox(counter, k) == expected


def _ulps(got: np.ndarray, exact: np.ndarray) -> float:
    return float(np.max(np.abs(got.astype(np.float64) - exact) / np.spacing(np.abs(exact).astype(np.float32))))


def test_float32_functions_are_within_a_few_ulp_of_float64() -> None:
    rng = np.random.default_rng(0)
    x = np.concatenate([rng.uniform(-87, 88, 50_000), rng.normal(0, 3, 50_000)]).astype(np.float32)
    assert _ulps(evaluate("exp32", x), np.exp(x.astype(np.float64))) <= 2
    u = (rng.integers(0, 2**32, 100_000).astype(np.float32) * np.float32(2**-32)) + np.float32(2**-33)
    u = np.concatenate([u, np.float32([2**-33, 0.25, 0.5, 0.75, 1.0])])
    assert _ulps(evaluate("log32", u), np.log(u.astype(np.float64))) <= 2
    sin, cos = evaluate("sincos_turn32", u)
    theta = 2 * np.pi * u.astype(np.float64)
    assert np.max(np.abs(sin - np.sin(theta))) < 2e-7 and np.max(np.abs(cos - np.cos(theta))) < 2e-7


def test_wide_vectors_are_asked_for_where_the_processor_has_them() -> None:
    """The kernel's vector-width hint reaches LLVM: a loop compiled with it uses 512-bit
    registers on an AVX-512 processor. Whether the same loop without it does depends on the
    processor: LLVM tunes Intel's AVX-512 cores to prefer 256-bit vectors (the hint lifts that),
    while on others (AMD's Zen 4, say) it uses 512-bit vectors unasked and the hint changes
    nothing; the processor is asked, not assumed."""
    import llvmlite.binding as ll
    from numba import njit

    from alliancelab.engine.vecmath import prefer_wide_vectors

    if "+avx512f" not in ll.get_host_cpu_features().flatten().split(","):
        pytest.skip("the processor has no 512-bit vectors")

    def scale(a: Any, out: Any) -> None:
        for i in range(a.shape[0]):
            out[i] = a[i] * np.float32(3.0) + np.float32(1.0)

    plain = njit(scale)
    inlined = njit(inline="always")(scale)

    @njit
    def hinted(a: Any, out: Any) -> None:
        prefer_wide_vectors()
        inlined(a, out)

    a = np.arange(1000, dtype=np.float32)
    for f in (plain, hinted):
        out = np.zeros_like(a)
        f(a, out)
        np.testing.assert_array_equal(out, a * np.float32(3.0) + np.float32(1.0))
    assert "zmm" in hinted.inspect_asm(hinted.signatures[0])
    cpu = ll.get_host_cpu_name()
    unasked = "zmm" in plain.inspect_asm(plain.signatures[0])
    if cpu.startswith(("skylake-avx512", "cascadelake", "cooperlake", "icelake", "tigerlake", "sapphirerapids")):
        assert not unasked, f"{cpu}: LLVM prefers 256-bit vectors here, so only the hint should give 512"


def test_draws_have_the_right_distributions() -> None:
    Z, Zc, Zt, noise = block_draws(3, 0, BLOCK, 40, 15, 105, 11)
    u = noise.crisis.ravel()
    assert u.min() > 0 and u.max() <= 1
    assert stats.kstest(u[:200_000], "uniform").pvalue > 1e-3
    for z in (Z.ravel(), Zc.ravel(), Zt.ravel(), noise.growth.ravel(), noise.support.ravel(), noise.residual.ravel()):
        assert stats.kstest(z[:200_000], "norm").pvalue > 1e-3
    # consecutive runs and consecutive slots are uncorrelated
    g = noise.growth[:, :, 0]
    assert abs(np.corrcoef(g[:, :-1].ravel(), g[:, 1:].ravel())[0, 1]) < 0.02
    assert abs(np.corrcoef(Z[:, 0, :-1].ravel(), Z[:, 0, 1:].ravel())[0, 1]) < 0.02


def test_seeds_give_different_keys_and_streams() -> None:
    assert key(1) != key(2)
    a = block_draws(1, 0, 8, 3, 4, 6, 2)[3].crisis
    b = block_draws(2, 0, 8, 3, 4, 6, 2)[3].crisis
    assert not np.array_equal(a, b)


def _compare(a: xr.Dataset, b: xr.Dataset) -> None:
    """b (numba) reproduces a (numpy) to float32 rounding; discrete outputs almost everywhere."""
    assert set(a.data_vars) == set(b.data_vars)
    for name in OUTPUTS:
        x, y = a[name].values, b[name].values
        if x.dtype.kind == "f":
            # net threat is a difference of large sums: judge its rounding on the scale of the sums
            scale = float(np.abs(x).max()) if x.size else 0.0
            np.testing.assert_allclose(y, x, rtol=5e-4, atol=2e-5 + 1e-6 * scale, err_msg=name)
        else:
            assert (x != y).mean() < 1e-3, name
    np.testing.assert_array_equal(a["status"].values, b["status"].values)


def test_numba_reproduces_the_numpy_step_on_the_same_streams() -> None:
    a = simulate("asia-pacific-2001", runs=300, backend="numpy", **KW)
    b = simulate("asia-pacific-2001", runs=300, backend="numba", **KW)
    _compare(a, b)
    # GDP uses only the growth shocks and the same float32 products: identical bits
    np.testing.assert_array_equal(a["gdp"].values, b["gdp"].values)
    assert int(b["crisis"].values.sum()) > 100  # crises happen, so the comparison bites


@pytest.mark.parametrize("preset", sorted(list_presets()))
def test_numba_reproduces_numpy_on_every_preset(preset: str) -> None:
    a = simulate(preset, runs=40, backend="numpy", keep="all", years=10, seed=3)
    b = simulate(preset, runs=40, backend="numba", keep="all", years=10, seed=3)
    _compare(a, b)


@pytest.mark.parametrize(
    "off", ["arms", "abandonment", "restraint", "crises", "alliances", "entrapment", "domestic", "spiral", "economy"]
)
def test_numba_follows_each_mechanism_switch(off: str) -> None:
    p = make_params(mechanisms=[off])
    a = simulate("asia-pacific-2001", runs=64, params=p, backend="numpy", **KW)
    b = simulate("asia-pacific-2001", runs=64, params=p, backend="numba", **KW)
    _compare(a, b)


def test_numba_runs_do_not_depend_on_ensemble_size_or_threads() -> None:
    small = simulate("asia-pacific-2001", runs=10, backend="numba", **KW)
    big = simulate("asia-pacific-2001", runs=2 * BLOCK + 5, backend="numba", keep="all", **KW)
    threads = simulate("asia-pacific-2001", runs=2 * BLOCK + 5, backend="numba", workers=3, keep="all", **KW)
    xr.testing.assert_equal(small.drop_attrs(), big.isel(run=slice(0, 10)).drop_attrs())
    xr.testing.assert_equal(big.drop_attrs(), threads.drop_attrs())


_NARROW_RUN = """
import sys
import numpy as np
from alliancelab.models.order.simulate import simulate
ds = simulate("asia-pacific-2001", runs=300, years=12, seed=5, keep="all")
np.savez(sys.argv[1], **{name: ds[name].values for name in ds.data_vars})
from alliancelab.models.order.kernel import _kernel
asm = _kernel.inspect_asm(_kernel.signatures[0])
print("ymm" in asm or "zmm" in asm)
"""


def test_runs_do_not_depend_on_the_processors_vector_width(tmp_path: Any) -> None:
    """The kernel compiled for SSE only (4 float32 lanes, no AVX) gives the same bits as the
    kernel compiled for this processor (8 or 16 lanes): lanes never mix and no operation is
    contracted or reassociated."""
    import os
    import platform
    import subprocess
    import sys

    import llvmlite.binding as ll

    if platform.machine().lower() not in ("x86_64", "amd64"):
        pytest.skip("the narrow build is an x86 one")
    features = ll.get_host_cpu_features().flatten().split(",")
    wide = ("avx", "fma", "f16c", "vaes", "vpclmul", "amx")  # all need the AVX registers
    narrow = [("-" + f[1:]) if f[1:].startswith(wide) else f for f in features]
    env = {**os.environ, "NUMBA_CPU_FEATURES": ",".join(narrow), "NUMBA_CACHE_DIR": str(tmp_path / "cache")}
    out = tmp_path / "narrow.npz"
    child = subprocess.run(
        [sys.executable, "-c", _NARROW_RUN, str(out)], env=env, check=True, timeout=600, capture_output=True, text=True
    )
    assert child.stdout.split()[-1] == "False", "the narrow kernel still uses AVX registers"
    ds = simulate("asia-pacific-2001", runs=300, years=12, seed=5, keep="all")
    with np.load(out) as narrow_run:
        assert set(narrow_run.files) == set(ds.data_vars)
        for name in ds.data_vars:
            np.testing.assert_array_equal(narrow_run[name], ds[name].values, err_msg=name)


def _poisoned_growth(real: Any, year: int, actor: int) -> Any:
    def year_stack(c: Any) -> Any:
        ys = real(c)
        growth = ys.growth.copy()
        growth[year, actor] = np.nan
        return ys._replace(growth=growth)

    return year_stack


def test_a_nan_is_caught_at_the_same_run_year_and_variable_by_both_backends(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kernel_module, "year_stack", _poisoned_growth(kernel_module.year_stack, 3, 2))
    monkeypatch.setattr(arrays_module, "year_stack", _poisoned_growth(arrays_module.year_stack, 3, 2))
    errors = []
    for backend in ("numpy", "numba"):
        with pytest.raises(SimulationError) as info:
            simulate("asia-pacific-2001", runs=20, backend=backend, **KW)
        errors.append(info.value)
    assert [(e.run, e.year, e.variable, e.mechanism) for e in errors] == [(0, 2005, "gdp", "economy")] * 2
    a, b = (simulate("asia-pacific-2001", runs=20, backend=x, throw=False, **KW) for x in ("numpy", "numba"))
    assert (b["status"].values == 1).all()
    np.testing.assert_array_equal(a["status"].values, b["status"].values)
    np.testing.assert_array_equal(a["fail_year"].values, b["fail_year"].values)


def test_bounds_are_checked_like_the_numpy_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    # a tighter bound on shares (0.125 instead of 1: North Korea starts at 0.11) fails about half the
    # runs, in various years
    outputs = dict(OUTPUTS)
    outputs["share"] = dataclasses.replace(OUTPUTS["share"], high=0.125)
    monkeypatch.setattr(kernel_module, "OUTPUTS", outputs)
    monkeypatch.setattr(ORDER, "outputs", outputs)
    a = simulate("asia-pacific-2001", runs=200, backend="numpy", throw=False, **KW)
    b = simulate("asia-pacific-2001", runs=200, backend="numba", throw=False, **KW)
    flagged = a["status"].values != 0
    assert 0.2 < flagged.mean() < 0.8
    assert len(set(a["fail_year"].values[flagged].tolist())) > 3
    np.testing.assert_array_equal(a["status"].values, b["status"].values)
    np.testing.assert_array_equal(a["fail_year"].values, b["fail_year"].values)


def test_one_compiled_kernel_serves_every_scenario_shape() -> None:
    """One run of one year (whose year inputs are C- and F-contiguous at once), a scenario
    without alliances, without alliances or dialogues, and every output group kept or not: the
    kernel compiled for the built-in scenario serves them all, with no second compile."""
    simulate("asia-pacific-2001", runs=4, years=3)
    before = list(kernel_module._kernel.signatures)
    for name, runs, years, keep in [
        ("asia-pacific-2001", 1, 1, None),
        ("asia-pacific-2001", 3, 1, "region"),
        ("asia-pacific-2001", 1, 6, "dyad"),
        ("no-alliances", 1, 1, None),
        ("no-alliances-no-dialogues", 2, 2, "actor"),
        ("great-power-concert", 1, 2, None),
    ]:
        simulate(name, runs=runs, years=years, keep=keep)
        assert list(kernel_module._kernel.signatures) == before, (name, runs, years, keep)
