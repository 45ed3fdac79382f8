"""What the dashboard's editors hand back, made into the library's inputs by the library's checks."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from alliancelab.models.bargaining.issue import Issue, issue_from_table

__all__ = ["edited_issue"]


def edited_issue(issue: Issue, edited: pd.DataFrame, name: str) -> Issue:
    """The issue with the stakeholder table as the editor returns it: a blank cell (None, NaN or
    pandas' NA, as added or cleared rows hold) is a missing field, so each problem is said with
    its row and field by the same checks as an issue file's (an :class:`IssueError`)."""
    rows: list[dict[str, Any]] = []
    for record in edited.to_dict("records"):
        row: dict[str, Any] = {}
        for k, v in record.items():
            if v is None or (np.ndim(v) == 0 and bool(pd.isna(v))):
                continue
            row[str(k)] = v.item() if isinstance(v, np.generic) else v
        rows.append(row)
    return issue_from_table(issue.model_dump(exclude={"stakeholders"}), rows, name)
