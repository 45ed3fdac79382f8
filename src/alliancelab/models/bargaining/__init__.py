"""Forecasting policy debates with Bueno de Mesquita's expected-utility group-decision model.

As specified by Scholz, Calbert & Smith (2011), *Journal of Theoretical Politics* 23(4): 510–531.

- :mod:`.issue`: issue files (TOML or CSV) and the built-in debates;
- :mod:`.rules`: the model's equations, vectorised over actor pairs and copies;
- :mod:`.forecasting`: rounds, perturbed copies and labelled results;
- :mod:`.reference`: a plain pair-by-pair implementation of the same rules, for checking and benchmarks.
"""

from alliancelab.models.bargaining.forecasting import events_table, forecast, outcome_summary, round_table
from alliancelab.models.bargaining.issue import Issue, IssueError, Stakeholder, list_issues, load_issue
from alliancelab.models.bargaining.rules import EVENTS, READINGS, RULESETS, Rules, rules_named

__all__ = [
    "EVENTS",
    "READINGS",
    "RULESETS",
    "Issue",
    "IssueError",
    "Rules",
    "Stakeholder",
    "events_table",
    "forecast",
    "list_issues",
    "load_issue",
    "outcome_summary",
    "round_table",
    "rules_named",
]
