"""Stage 1: the dyadic crisis-onset model, a logit of MID onset on the liberal–realist
predictors (Oneal & Russett 1999; Nordhaus, Oneal & Russett 2012) with Beck–Katz–Tucker
peace-year splines, estimated with statsmodels and dyad-clustered standard errors.

Rows are non-directed dyad-years from :func:`alliancelab.estimation.sample.conflict_dyad_years`;
years in which the dyad was still in a dispute begun earlier (and began none) are dropped, as in
Oneal & Russett's onset models. Predictors are scaled to unit spread for the optimiser and the
coefficients and covariance mapped back, so the table is in the predictors' own units.
"""

from __future__ import annotations

import json
import warnings
from dataclasses import asdict, dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from alliancelab.errors import EstimationError
from alliancelab.estimation.sample import PREDICTORS
from alliancelab.estimation.splines import PeaceSplines

__all__ = ["EstimationError", "OnsetFit", "fit_onset", "king_zeng_bias", "onset_rows"]

Outcome = Literal["onset", "fatal_onset"]


def onset_rows(sample: pd.DataFrame, first: int, last: int) -> pd.DataFrame:
    """The rows an onset model uses: years ``first``–``last``, complete predictors, no continuing
    dispute years."""
    keep = sample["year"].between(first, last) & sample["complete"] & (sample["continuing"] == 0)
    return sample[keep.to_numpy(bool)]


@dataclass(frozen=True)
class OnsetFit:
    """A fitted onset model: enough to predict anywhere (data or engine) and to draw from."""

    outcome: str
    names: tuple[str, ...]
    coef: tuple[float, ...]
    vcov: tuple[tuple[float, ...], ...]
    knots: tuple[float, ...] | None
    train: tuple[int, int]
    n: int
    events: int
    dyads: int
    log_likelihood: float
    converged: bool
    covariance: str = "dyad-clustered (statsmodels cluster)"
    bias_correction: tuple[float, ...] = field(default_factory=tuple)

    @property
    def predictors(self) -> list[str]:
        return [n for n in self.names if n != "const" and not n.startswith("peace_spline")]

    @property
    def splines(self) -> PeaceSplines | None:
        return None if self.knots is None else PeaceSplines(self.knots)

    def design(self, rows: pd.DataFrame) -> np.ndarray:
        """The design matrix for ``rows`` (columns in :attr:`names` order)."""
        return _design(rows, self.predictors, self.splines)

    def predict(self, rows: pd.DataFrame, coef: np.ndarray | None = None) -> np.ndarray:
        """Onset probability for each row (``coef`` overrides the point estimates)."""
        b = np.asarray(self.coef if coef is None else coef, dtype=float)
        z = self.design(rows) @ b
        p: np.ndarray = 1.0 / (1.0 + np.exp(-z))
        return p

    def table(self) -> pd.DataFrame:
        """Coefficient, standard error, z and the odds ratio per predictor."""
        b = np.asarray(self.coef)
        se = np.sqrt(np.diag(np.asarray(self.vcov)))
        out = pd.DataFrame({"term": self.names, "coef": b, "se": se, "z": b / se, "odds_ratio": np.exp(b)})
        if self.bias_correction:
            out["coef_rare_events"] = b - np.asarray(self.bias_correction)
        return out

    def draw(self, n: int, seed: int) -> np.ndarray:
        """``n`` coefficient vectors from the estimates' asymptotic normal distribution."""
        rng = np.random.default_rng(seed)
        out: np.ndarray = rng.multivariate_normal(
            np.asarray(self.coef), np.asarray(self.vcov), size=n, method="cholesky"
        )
        return out

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=1)

    @classmethod
    def from_json(cls, text: str) -> OnsetFit:
        d = json.loads(text)
        d["names"] = tuple(d["names"])
        d["coef"] = tuple(d["coef"])
        d["vcov"] = tuple(tuple(r) for r in d["vcov"])
        d["knots"] = None if d["knots"] is None else tuple(d["knots"])
        d["train"] = tuple(d["train"])
        d["bias_correction"] = tuple(d.get("bias_correction", ()))
        return cls(**d)


def _design(rows: pd.DataFrame, predictors: list[str], splines: PeaceSplines | None) -> np.ndarray:
    missing = [p for p in predictors if p not in rows.columns]
    if missing:
        raise EstimationError(f"rows lack predictor column(s) {missing}")
    cols = [np.ones(len(rows))] + [rows[p].to_numpy(float) for p in predictors]
    X = np.column_stack(cols)
    if splines is not None:
        X = np.column_stack([X, splines.basis(rows["peace_years"].to_numpy(float))])
    if not np.isfinite(X).all():
        raise EstimationError("the design has missing or infinite values; keep only complete rows")
    return X


def king_zeng_bias(X: np.ndarray, p: np.ndarray) -> np.ndarray:
    """The small-sample bias of logit coefficients in rare-events data (King & Zeng 2001,
    "Logistic Regression in Rare Events Data", *Political Analysis* 9(2), eq. 12, no weights):
    bias = (X'WX)⁻¹ X'W ξ, ξ_i = ½ Q_ii (2π_i − 1), Q_ii = x_i'(X'WX)⁻¹x_i, W = diag(π(1 − π)).
    Subtract it from the estimates to correct them."""
    w = p * (1.0 - p)
    info_inv = np.linalg.inv(X.T @ (X * w[:, None]))
    q = np.einsum("ij,jk,ik->i", X, info_inv, X)
    xi = 0.5 * q * (2.0 * p - 1.0)
    return np.asarray(info_inv @ (X.T @ (w * xi)))


def fit_onset(
    sample: pd.DataFrame,
    outcome: Outcome = "onset",
    train: tuple[int, int] = (1950, 2000),
    predictors: tuple[str, ...] = PREDICTORS,
    splines: bool = True,
    interior_knots: int = 3,
) -> OnsetFit:
    """Fit the onset logit on the training years.

    ``outcome``: ``onset`` (any MID) or ``fatal_onset``. ``splines``: add Beck–Katz–Tucker
    natural cubic splines of peace-years (knots at the training sample's quantiles). Standard
    errors are clustered by dyad. The King–Zeng rare-events bias is computed and stored beside
    the estimates (``OnsetFit.bias_correction``); the point estimates are the ordinary ones.
    """
    import statsmodels.api as sm

    if outcome not in ("onset", "fatal_onset"):
        raise EstimationError(f"outcome must be 'onset' or 'fatal_onset'; got {outcome!r}")
    rows = onset_rows(sample, *train)
    y = rows[outcome].to_numpy(float)
    if y.sum() < 10:
        raise EstimationError(f"{int(y.sum())} {outcome} events in {train[0]}-{train[1]}; too few to estimate")
    knots = PeaceSplines.fit(rows["peace_years"], interior_knots) if splines else None
    preds = [p for p in predictors if p != "peace_years"] + (["peace_years"] if "peace_years" in predictors else [])
    X = _design(rows, preds, knots)
    names = ["const", *preds, *(knots.names if knots else [])]
    scale = np.maximum(np.abs(X).max(axis=0), 1e-12)
    scale[0] = 1.0
    groups = (rows["ccode1"].to_numpy(np.int64) * 1000 + rows["ccode2"].to_numpy(np.int64)).astype(np.int64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # statsmodels' convergence chatter is checked below
        try:
            res = sm.Logit(y, X / scale).fit(
                method="newton", maxiter=100, disp=False, cov_type="cluster", cov_kwds={"groups": groups}
            )
        except np.linalg.LinAlgError as exc:
            raise EstimationError(f"the design is singular ({exc}); drop a constant or collinear predictor") from None
    b = np.asarray(res.params) / scale
    V = np.asarray(res.cov_params()) / np.outer(scale, scale)
    converged = bool(res.mle_retvals.get("converged", False))
    if not converged or not np.isfinite(b).all():
        raise EstimationError(f"the {outcome} logit did not converge on {train[0]}-{train[1]}")
    p = 1.0 / (1.0 + np.exp(-(X @ b)))
    bias = king_zeng_bias(X, p)
    return OnsetFit(
        outcome=outcome,
        names=tuple(names),
        coef=tuple(map(float, b)),
        vcov=tuple(tuple(map(float, r)) for r in V),
        knots=None if knots is None else knots.knots,
        train=(int(train[0]), int(train[1])),
        n=len(rows),
        events=int(y.sum()),
        dyads=len(np.unique(groups)),
        log_likelihood=float(res.llf),
        converged=converged,
        bias_correction=tuple(map(float, bias)),
    )
