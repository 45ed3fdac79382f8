"""Detecting conventional arms races in real spending series, by the rule of Gibler, Rider & Hutchison (2005).

The rule (GRH 2005, following Horn 1987; as summarised by Miller's ``stevedata::mmb_war``
documentation): an arms race is an episode 1) within a strategic rivalry in which 2) each rival
increases its military expenditure *or* its military personnel 3) by 8 % or more over the
previous year, 4) for at least three consecutive years. GRH then kept only episodes that
5) historical evidence shows were directed at each other; that last step is qualitative and is
not automated here, so the detector finds *mutual military build-ups*, a superset of GRH's races.

Gibler, Rider & Hutchison (2005), "Taking Arms Against a Sea of Troubles: Conventional Arms Races
during Periods of Rivalry", *Journal of Peace Research* 42(2): 131–147.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["buildup_years", "detect_arms_races", "score_against"]

#: NMC milex switches from British pounds to US dollars in 1914: growth into 1914 is undefined.
CURRENCY_BREAK = 1914


def buildup_years(nmc: pd.DataFrame, threshold: float = 0.08) -> pd.DataFrame:
    """Per state-year: growth of milex and milper over the previous year, and whether either ≥ threshold.

    Growth needs both years present and the earlier value > 0; milex growth into 1914 is NA
    (the currency break). Columns: ``ccode``, ``year``, ``g_milex``, ``g_milper``, ``buildup``.
    """
    df = nmc[["ccode", "year", "milex", "milper"]].sort_values(["ccode", "year"]).reset_index(drop=True)
    prev = df.groupby("ccode")[["year", "milex", "milper"]].shift(1)
    consecutive = (df["year"] - prev["year"]) == 1
    out = df[["ccode", "year"]].copy()
    for col in ("milex", "milper"):
        before = prev[col].astype("Float64")
        ok = consecutive & before.gt(0) & df[col].notna()
        out[f"g_{col}"] = (df[col].astype("Float64") / before - 1.0).where(ok)
    out.loc[out["year"] == CURRENCY_BREAK, "g_milex"] = pd.NA
    out["buildup"] = (out["g_milex"].ge(threshold).fillna(False) | out["g_milper"].ge(threshold).fillna(False)).astype(
        bool
    )
    return out


def detect_arms_races(
    nmc: pd.DataFrame,
    rivalries: pd.DataFrame,
    threshold: float = 0.08,
    min_years: int = 3,
    last_year: int | None = None,
) -> pd.DataFrame:
    """Mutual military build-ups within rivalries: runs of ≥ ``min_years`` years in which both rivals build up.

    ``rivalries`` needs ``ccode1``, ``ccode2``, ``start``, ``end`` (e.g. :func:`load_rivalries`).
    Returns one row per episode: ``ccode1``, ``ccode2`` (ccode1 < ccode2), ``styear``, ``endyear``
    (first and last year of the run), ``years``.
    """
    b = buildup_years(nmc, threshold)
    flag = b.set_index(["ccode", "year"])["buildup"]
    episodes = []
    for c1_, c2_, start, end in rivalries[["ccode1", "ccode2", "start", "end"]].to_numpy(np.int64):
        lo, hi = int(start), int(end if last_year is None else min(end, last_year))
        if hi < lo:
            continue
        years = np.arange(lo, hi + 1)
        a = flag.reindex(pd.MultiIndex.from_arrays([np.full(years.size, c1_), years])).fillna(False).to_numpy(bool)
        c = flag.reindex(pd.MultiIndex.from_arrays([np.full(years.size, c2_), years])).fillna(False).to_numpy(bool)
        both = a & c
        # runs of consecutive True
        edges = np.diff(np.concatenate([[0], both.astype(int), [0]]))
        for s, e in zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1), strict=True):
            if e - s >= min_years:
                c1, c2 = sorted((int(c1_), int(c2_)))
                episodes.append((c1, c2, int(years[s]), int(years[e - 1]), int(e - s)))
    out = pd.DataFrame(episodes, columns=["ccode1", "ccode2", "styear", "endyear", "years"])
    return out.drop_duplicates(["ccode1", "ccode2", "styear"]).sort_values(["styear", "ccode1"]).reset_index(drop=True)


def score_against(
    detected: pd.DataFrame, reference: pd.DataFrame, slack: int = 1
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, float]]:
    """Match detected episodes to a reference list (same unordered dyad, years overlapping within ``slack``).

    Returns (reference with a ``found`` column, detected with a ``matched`` column, and
    ``{"precision", "recall", "detected", "reference", "matched_reference"}``).
    """

    def key(df: pd.DataFrame) -> pd.DataFrame:
        out = df.copy()
        lo = np.minimum(out["ccode1"].astype(int), out["ccode2"].astype(int))
        hi = np.maximum(out["ccode1"].astype(int), out["ccode2"].astype(int))
        out["d1"], out["d2"] = lo, hi
        return out

    ref, det = key(reference), key(detected)
    pairs = ref.reset_index().merge(det.reset_index(), on=["d1", "d2"], suffixes=("_ref", "_det"))
    overlap = (pairs["styear_det"] <= pairs["endyear_ref"] + slack) & (
        pairs["endyear_det"] >= pairs["styear_ref"] - slack
    )
    hit = pairs[overlap]
    ref = reference.copy()
    ref["found"] = ref.index.isin(hit["index_ref"])
    det_out = detected.copy()
    det_out["matched"] = det_out.index.isin(hit["index_det"])
    stats = {
        "reference": float(len(ref)),
        "detected": float(len(det_out)),
        "matched_reference": float(ref["found"].sum()),
        "recall": float(ref["found"].mean()) if len(ref) else float("nan"),
        "precision": float(det_out["matched"].mean()) if len(det_out) else float("nan"),
    }
    return ref, det_out, stats
