"""Country names and ISO3 codes to COW country codes, with every unmatched name reported.

Names are matched to the COW State System list (``statenme``) after folding case, accents and
punctuation; the table below gives the names SIPRI and Maddison spell differently. A few names
map by year: Maddison's "Former USSR" is COW 365 until 1991 and "Russian Federation" from 1992
(the same for "Former Yugoslavia" and "Serbia", 345); SIPRI's "Germany" is the German Federal
Republic (COW 260) before 1991 and Germany (255) after; "Yemen" before 1990 is the Yemen Arab
Republic (678). Entities that are not COW states (the European Union, Hong Kong, Puerto Rico,
Palestine) stay unmatched: their rows are kept with ``ccode`` NA and their names listed in the
result's ``attrs["unmatched"]``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import pandas as pd

from alliancelab.data.cow import load_states

__all__ = ["ALIASES", "cow_code_table", "state_names", "to_cow"]

#: Source spellings → COW ccode (SIPRI 2024 release; Maddison Project Database 2020).
ALIASES: dict[str, int] = {
    "Congo, DR": 490,
    "D.R. of the Congo": 490,
    "Congo, Republic": 484,
    "Cote d'Ivoire": 437,
    "Côte d'Ivoire": 437,
    "Czechia": 316,
    "Eswatini": 572,
    "Gambia, The": 420,
    "Korea, North": 731,
    "D.P.R. of Korea": 731,
    "Korea, South": 732,
    "Republic of Korea": 732,
    "Kyrgyz Republic": 703,
    "North Macedonia": 343,
    "TFYR of Macedonia": 343,
    "Serbia": 345,
    "Former Yugoslavia": 345,
    "Timor Leste": 860,
    "Türkiye": 640,
    "USSR": 365,
    "Former USSR": 365,
    "Russian Federation": 365,
    "Yemen, North": 678,
    "Bolivia (Plurinational State of)": 145,
    "Cabo Verde": 402,
    "Iran (Islamic Republic of)": 630,
    "Lao People's DR": 812,
    "Saint Lucia": 56,
    "Republic of Moldova": 359,
    "Sudan (Former)": 625,
    "Syrian Arab Republic": 652,
    "Taiwan, Province of China": 713,
    "U.R. of Tanzania: Mainland": 510,
    "United States": 2,
    "Venezuela (Bolivarian Republic of)": 101,
}
#: (name, last year) → ccode, for names whose COW state changes over time.
_BY_YEAR: dict[str, tuple[int, int, int]] = {
    "germany": (1990, 260, 255),  # until 1990: German Federal Republic; then Germany
    "yemen": (1989, 678, 679),  # until 1989: Yemen Arab Republic; then Yemen
}

#: Names that stand for a COW state only within a span of years (first, last; None = open).
#: Maddison's "Former USSR" and "Former Yugoslavia" run on to 2018 as aggregates of the
#: successor states, so they are COW 365 and 345 only until the break-up (1991); the successor
#: series ("Russian Federation", "Serbia") take the codes from 1992.
_SPANS: dict[str, tuple[int | None, int | None]] = {
    "formerussr": (None, 1991),
    "ussr": (None, 1991),
    "russianfederation": (1992, None),
    "formeryugoslavia": (None, 1991),
    "serbia": (1992, None),
}


def _fold(name: str) -> str:
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z]", "", s)


@cache
def cow_code_table(states_path: str | None = None) -> dict[str, int]:
    """Folded name → ccode, from the COW state list (the latest spell wins) and :data:`ALIASES`."""
    states = load_states(Path(states_path) if states_path else None).sort_values("styear")
    table = {_fold(str(n)): int(c) for n, c in zip(states["statenme"], states["ccode"], strict=True)}
    table.update({_fold(k): v for k, v in ALIASES.items()})
    return table


def to_cow(
    names: Iterable[str], years: Iterable[int] | None = None, states_path: str | None = None
) -> tuple[pd.Series, list[str]]:
    """COW codes for ``names`` (optionally per ``years``); returns (codes as Int64, unmatched names)."""
    names = pd.Series(list(names), dtype="string")
    table = cow_code_table(states_path)
    folded = names.map(lambda n: _fold(str(n)))
    codes = folded.map(table).astype("Int64")
    if years is not None:
        yrs = pd.Series(list(years)).astype("Int64")
        for key, (last, before, after) in _BY_YEAR.items():
            hit = folded == key
            codes[hit] = yrs[hit].le(last).map({True: before, False: after}).astype("Int64")
        for key, (lo, hi) in _SPANS.items():
            outside = (yrs < (-(10**6) if lo is None else lo)) | (yrs > (10**6 if hi is None else hi))
            codes = codes.mask((folded == key) & outside.fillna(False))
    unmatched = sorted(set(names[codes.isna() & ~folded.isin(_SPANS)].astype(str)))
    return codes, unmatched


def state_names(column: str = "statenme") -> dict[int, str]:
    """COW code → the State System's name (``statenme``) or letters (``stateabb``), as of the
    state's latest entry."""
    states = load_states().drop_duplicates("ccode", keep="last")
    return dict(zip(states["ccode"].astype(int), states[column].astype(str), strict=True))
