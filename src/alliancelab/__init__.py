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

from alliancelab.engine.manifest import package_version as _package_version
from alliancelab.errors import AllianceLabError, ParameterError, ScenarioError, SimulationError
from alliancelab.models.bargaining import Issue, forecast, load_issue
from alliancelab.models.order.params import Mechanisms, Params, make_params
from alliancelab.models.order.simulate import simulate
from alliancelab.scenario import Scenario, list_presets, load_scenario

__version__ = _package_version()

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
