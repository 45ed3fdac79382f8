"""The Composite Index of National Capability (CINC) from the six NMC components."""

from __future__ import annotations

import pandas as pd

from alliancelab.errors import ParameterError

__all__ = ["COMPONENTS", "cinc"]

COMPONENTS = ("milex", "milper", "irst", "pec", "tpop", "upop")


def cinc(nmc: pd.DataFrame, by: str = "year") -> pd.Series:
    """CINC_it = (1/6) Σ_c X_cit / Σ_j X_cjt (Singer, Bremer & Stuckey 1972).

    Each component is a state's share of the system total in its year; the index is the mean of
    the six shares. Totals skip missing values (as COW does), and a state-year missing a
    component gets NA, never a silently shortened average.

    >>> df = pd.DataFrame({"year": [1, 1, 1], "milex": [600, 400, 50], "milper": [1400, 2000, 240],
    ...     "irst": [100, 80, 10], "pec": [9000, 4000, 500], "tpop": [1300, 1400, 125], "upop": [600, 500, 100]})
    >>> [round(float(v), 4) for v in cinc(df)]
    [0.5182, 0.4267, 0.0551]
    """
    missing = [c for c in (*COMPONENTS, by) if c not in nmc.columns]
    if missing:
        raise ParameterError("nmc", "cinc", f"a table with the NMC columns {[*COMPONENTS, by]}", f"missing {missing}")
    parts = nmc[list(COMPONENTS)].astype("Float64")
    totals = parts.groupby(nmc[by]).transform("sum")
    shares = parts / totals
    return shares.mean(axis=1, skipna=False).rename("cinc")
