"""alliancelab: a laboratory for alliance politics and regional security orders.

The pipeline: a scenario (:mod:`alliancelab.scenario`) is compiled into arrays and simulated
by the security-order engine (:mod:`alliancelab.models.order`, :mod:`alliancelab.engine`) as a
Monte Carlo ensemble; results are labelled ``xarray`` datasets, summarised and drawn by
:mod:`alliancelab.report` and driven from the command line (:mod:`alliancelab.cli`).
Policy debates are forecast with the expected-utility model (:func:`forecast` on an issue from
:func:`load_issue`; :mod:`alliancelab.models.bargaining`).

>>> import alliancelab as al
>>> ds = al.simulate("asia-pacific-2001", runs=4, years=3, seed=0)
>>> sorted(ds.sizes)
['actor', 'link', 'other', 'run', 'year']
"""

from __future__ import annotations

import typing as _typing

if _typing.TYPE_CHECKING:
    from alliancelab.errors import AllianceLabError, ParameterError, ScenarioError, SimulationError
    from alliancelab.models.bargaining import Issue, forecast, load_issue
    from alliancelab.models.order.params import Mechanisms, Params, make_params
    from alliancelab.models.order.simulate import simulate
    from alliancelab.scenario import Scenario, list_presets, load_scenario

#: Where each public name lives: imported on first use (PEP 562), so that ``import alliancelab``
#: and every subpackage import stay quick (the engine brings numba, the report Matplotlib).
_HOMES = {
    "AllianceLabError": "alliancelab.errors",
    "ParameterError": "alliancelab.errors",
    "ScenarioError": "alliancelab.errors",
    "SimulationError": "alliancelab.errors",
    "Issue": "alliancelab.models.bargaining",
    "forecast": "alliancelab.models.bargaining",
    "load_issue": "alliancelab.models.bargaining",
    "Mechanisms": "alliancelab.models.order.params",
    "Params": "alliancelab.models.order.params",
    "make_params": "alliancelab.models.order.params",
    "simulate": "alliancelab.models.order.simulate",
    "Scenario": "alliancelab.scenario",
    "list_presets": "alliancelab.scenario",
    "load_scenario": "alliancelab.scenario",
}


def __getattr__(name: str) -> _typing.Any:
    import importlib

    if name == "__version__":
        from alliancelab.engine.manifest import package_version

        value: _typing.Any = package_version()
    elif name in _HOMES:
        value = getattr(importlib.import_module(_HOMES[name]), name)
    else:
        raise AttributeError(f"module 'alliancelab' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "AllianceLabError",
    "Issue",
    "Mechanisms",
    "ParameterError",
    "Params",
    "Scenario",
    "ScenarioError",
    "SimulationError",
    "__version__",
    "forecast",
    "list_presets",
    "load_issue",
    "load_scenario",
    "make_params",
    "simulate",
]
