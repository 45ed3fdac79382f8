"""The ``alliancelab`` command line (Typer), one module per group of commands:

- :mod:`.run`: run, compare, scenarios, show, schema, params;
- :mod:`.forecast`: forecast, debates;
- :mod:`.data`: data list/get, measure, cite, scenario from-data;
- :mod:`.experiments`: sweep, sensitivity, discover;
- :mod:`.history`: calibrate, backtest, validate crises;
- :mod:`.estimate`: estimate crises, estimate spending;
- :mod:`.claims`: claims.

Every command runs under one guard (:func:`~.common.guarded`): the library's errors are
printed plainly, without a traceback, and the exit status is 2.
"""

import importlib

from alliancelab.cli.common import app

#: The command modules, in the order the help lists their commands.
GROUPS = ("run", "forecast", "data", "experiments", "history", "estimate", "claims")
for _group in GROUPS:
    importlib.import_module(f"alliancelab.cli.{_group}")

__all__ = ["GROUPS", "app", "main"]


def main() -> None:  # pragma: no cover - console entry
    app()
