"""Similarity of alliance portfolios: Signorino–Ritter S and Kendall's tau-b, for every dyad at once.

A portfolio is a row of the state × state matrix of alliance ties coded on the ordinal scale of
Signorino & Ritter (1999, and Bueno de Mesquita 1975): 3 defense pact, 2 neutrality or
non-aggression pact, 1 entente, 0 none; a state is coded 3 with itself.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy.spatial.distance import cdist

from alliancelab.errors import ParameterError

__all__ = ["alliance_portfolios", "s_score", "tau_b"]

F = NDArray[np.float64]


def s_score(
    portfolios: F,
    weights: F | None = None,
    distance: Literal["absolute", "squared"] = "absolute",
    d_max: float = 3.0,
) -> F:
    """Signorino–Ritter S for every pair of rows: S_ij = 1 − 2 Σ_k w_k d(x_ik, x_jk) / (Σ_k w_k d_max).

    ``distance="absolute"`` uses |x − y| (Signorino & Ritter 1999); ``"squared"`` uses (x − y)²
    with d_max² (the later variant). ``weights`` (e.g. capability shares) default to 1.
    Signorino & Ritter (1999), "Tau-b or Not Tau-b", *ISQ* 43(1): 115–144.

    >>> a = np.array([[0, 1, 2, 3], [3, 2, 1, 0]], dtype=float)
    >>> round(float(s_score(a)[0, 1]), 4)
    -0.3333
    """
    x = np.asarray(portfolios, dtype=np.float64)
    w = np.ones(x.shape[1]) if weights is None else np.asarray(weights, dtype=np.float64)
    if distance == "absolute":
        d = cdist(x, x, "minkowski", p=1, w=w)
        dm = d_max
    elif distance == "squared":
        d = cdist(x, x, "sqeuclidean", w=w)
        dm = d_max**2
    else:
        raise ParameterError("distance", "s_score", "'absolute' or 'squared'", distance)
    return np.asarray(1.0 - 2.0 * d / (w.sum() * dm))


def tau_b(portfolios: F) -> F:
    """Kendall's tau-b between every pair of rows, vectorised (Kendall 1938; Bueno de Mesquita 1975).

    tau_b = (n_c − n_d) / sqrt((n_0 − n_1)(n_0 − n_2)): with the sign matrices
    σ_i[k, l] = sign(x_ik − x_il), n_c − n_d = ½ Σ σ_i σ_j and the untied pair counts are
    ½ Σ |σ_i|. A row with no variation gives NaN against every row (tau-b is undefined there),
    as :func:`scipy.stats.kendalltau` does.
    """
    x = np.asarray(portfolios, dtype=np.float64)
    m = x.shape[0]
    sig = np.sign(x[:, :, None] - x[:, None, :]).reshape(m, -1).astype(np.float32)
    num = (sig @ sig.T).astype(np.float64) / 2.0
    untied = np.abs(sig).sum(axis=1).astype(np.float64) / 2.0
    denom = np.sqrt(np.outer(untied, untied))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denom > 0, num / np.where(denom > 0, denom, 1.0), np.nan)


def alliance_portfolios(ties: pd.DataFrame, states: list[int]) -> F:
    """The state × state portfolio matrix from directed dyad ties coded 0–3 (``ccode1``, ``ccode2``, ``level``)."""
    index = {s: k for k, s in enumerate(states)}
    out = np.zeros((len(states), len(states)))
    np.fill_diagonal(out, 3.0)
    rows = ties[ties["ccode1"].isin(index) & ties["ccode2"].isin(index)]
    i = rows["ccode1"].map(index).to_numpy(int)
    j = rows["ccode2"].map(index).to_numpy(int)
    lv = rows["level"].to_numpy(float)
    np.maximum.at(out, (i, j), lv)
    np.maximum.at(out, (j, i), lv)
    return out
