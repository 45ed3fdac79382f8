"""Experiments: designs over scenarios, levers and parameters, resumable sweeps into a Zarr store
(locally or on Dask), Sobol'/Morris sensitivity, PRIM scenario discovery, and calibration to
history with an out-of-sample backtest. See ``docs/experiments.md``.
"""

from alliancelab.experiments.spec import Experiment, ExperimentError, load_experiment
from alliancelab.experiments.sweep import StoreError, open_store, plan_sweep, run_sweep

__all__ = ["Experiment", "ExperimentError", "StoreError", "load_experiment", "open_store", "plan_sweep", "run_sweep"]
