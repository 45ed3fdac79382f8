"""Fuzzing (Hypothesis): a mutated scenario is refused cleanly or runs to finite results.

Each example takes a resolved built-in scenario (any preset) and applies a few mutations — a field set to a
value of another kind or outside its range (strings, huge or negative numbers, NaN, ±inf, lists,
tables), a field or a whole entry removed, an entry duplicated, an unknown field added — then
validates and simulates it. Allowed outcomes: a :class:`ScenarioError` (a clean refusal, with
every problem listed), or an ensemble whose values are finite, or failing runs reported as data
(``status``) with ``throw=False``. Anything else — another exception type, a NaN slipping
through, an example taking more than 10 s (a hang) — fails. ``ALLIANCELAB_FUZZ_EXAMPLES`` sets
the number of examples (default 2000 in CI; the README gives the nightly size).
"""

from __future__ import annotations

import copy
import os
from datetime import timedelta
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliancelab.errors import AllianceLabError, ScenarioError
from alliancelab.models.order.simulate import simulate
from alliancelab.scenario import list_presets, load_scenario, scenario_from_dict


def _resolved(name: str) -> dict[str, Any]:
    doc = load_scenario(name).model_dump(mode="json", exclude_none=True)
    doc["scenario"].pop("extends", None)
    return doc


BASES: dict[str, dict[str, Any]] = {name: _resolved(name) for name in sorted(list_presets())}
BASE = BASES["asia-pacific-2001"]
EXAMPLES = int(os.environ.get("ALLIANCELAB_FUZZ_EXAMPLES", "2000"))
# the kernel compiles (or loads) before the clock runs, for arrays laid out as the examples' are
# (with one run and one year numba would see contiguous arrays and compile another version)
simulate("asia-pacific-2001", runs=2, years=4)

values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, -0.0, 1.0, -1.0, 1e308, -1e308, 5e-324, 0.5, 2.0, 1e-9]),
    st.text(max_size=8),
    st.sampled_from(["1e9", "0.5", "", "usa", "chn", "jpn", "\x00", "é", "a b", "../x.toml"]),
    st.lists(st.sampled_from(["usa", "chn", "jpn", "kor", "zzz", 1, None]), max_size=3),
    st.dictionaries(st.sampled_from(["a", "id", "year"]), st.integers(0, 3000), max_size=2),
)


@st.composite
def mutation(draw: Any) -> tuple[str, ...]:
    kind = draw(st.sampled_from(["set", "set", "set", "drop_field", "drop_entry", "duplicate", "unknown"]))
    section = draw(st.sampled_from(sorted(k for k in BASE if BASE[k])))
    return (kind, section, draw(st.integers(0, 200)), draw(st.integers(0, 200)))


def _apply(doc: dict[str, Any], change: tuple[Any, ...], value: Any) -> None:
    kind, section, k, f = change
    target = doc.get(section)
    if isinstance(target, list):
        if not target:
            return
        if kind == "drop_entry":
            target.pop(k % len(target))
            return
        if kind == "duplicate":
            target.append(copy.deepcopy(target[k % len(target)]))
            return
        target = target[k % len(target)]
    if not isinstance(target, dict) or not target:
        return
    fields = sorted(target)
    name = fields[f % len(fields)]
    if kind == "drop_field":
        target.pop(name)
    elif kind == "unknown":
        target["colour"] = value
    else:
        target[name] = value


@settings(max_examples=EXAMPLES, deadline=timedelta(seconds=10), suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(BASES)), st.lists(st.tuples(mutation(), values), min_size=1, max_size=3))
def test_a_mutated_scenario_is_refused_cleanly_or_runs_finite(preset: str, changes: list[Any]) -> None:
    doc = copy.deepcopy(BASES[preset])
    for change, value in changes:
        _apply(doc, change, value)
    try:
        sc = scenario_from_dict(doc)
    except ScenarioError as exc:
        assert exc.problems, "a refusal lists its problems"
        return
    try:
        ds = simulate(sc, runs=2, years=4, seed=1, throw=False)
    except AllianceLabError:
        return  # a clean refusal at compilation (e.g. a parameter out of range)
    ok = ds["status"].values == 0
    for name in ds.data_vars:
        v = ds[name].values
        if v.dtype.kind == "f" and v.ndim and ok.any():
            assert np.isfinite(v[ok]).all(), f"{name} is not finite in a run reported ok"
    # a run is flagged exactly when it names the year it failed
    np.testing.assert_array_equal(ds["fail_year"].values >= 0, ~ok)
