"""Derived tables built in code from the files they were converted from.

A table that is a conversion of another file need not be copied from anyone: :func:`build` makes
it from that file and writes it into the cache, where :func:`~alliancelab.data.files.locate` finds
it. The sources are the producers' own release files (SIPRI's and Maddison's workbooks) and the R
data files that the peacesciencer R package (Miller 2022) publishes in its source repository, read
with pyreadr (:func:`build_from_rda`). Each build writes the
very bytes of the registered table, so the registry's SHA-256 verifies it like any other file,
and :func:`~alliancelab.data.files.locate` builds a missing table on first use.

``alliancelab data build [NAME...]`` runs them; ``tests/test_data_build.py`` checks each build
against the table in the shared data folder, byte for byte.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from alliancelab.data.files import (
    DataFileError,
    cache_dir,
    cache_folder,
    dataset_of,
    file_status,
    locate,
    replacing,
    set_builder,
    sha256_of,
)
from alliancelab.data.registry import FILES

__all__ = [
    "BUILDS",
    "SIPRI_REGIONS",
    "SIPRI_SHEETS",
    "Build",
    "build",
    "build_from_rda",
    "build_maddison",
    "build_on_first_use",
    "build_sipri_long",
    "rda_frame",
]


def rda_frame(path: Path) -> pd.DataFrame:
    """The one data frame an R data file (``.rda``) holds, read with pyreadr; a file that is not
    R data, or holds no single data frame, is a :class:`DataFileError`."""
    import pyreadr

    try:
        objects = pyreadr.read_r(str(path))
    except Exception as exc:  # pyreadr raises its own LibrdataError or ValueError on a damaged file
        raise DataFileError(f"{path}: not a readable R data file ({type(exc).__name__}: {exc})") from None
    if len(objects) != 1:
        raise DataFileError(f"{path}: holds {len(objects)} R objects ({', '.join(objects)}); expected one data frame")
    frame = next(iter(objects.values()))
    if not isinstance(frame, pd.DataFrame):
        raise DataFileError(f"{path}: holds an R {type(frame).__name__}, not a data frame")
    return frame


def build_from_rda(inputs: dict[str, Path]) -> pd.DataFrame:
    """A peacesciencer table as the shared data folder's CSV holds it: the R data frame unchanged,
    but for numeric columns whose values are all whole numbers, which become integers (R stores
    them as doubles), and R's NA, written as an empty cell (each folder's PROVENANCE.md)."""
    (path,) = inputs.values()
    frame = rda_frame(path)
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_float_dtype(values):
            known = values.dropna().to_numpy()
            if len(known) and np.isfinite(known).all() and (known == np.round(known)).all():
                frame[column] = values.astype("Int64")
    return frame


def build_maddison(inputs: dict[str, Path]) -> pd.DataFrame:
    """Maddison Project Database 2020, the workbook's 'Full data' sheet as it stands
    (``countrycode``, ``country``, ``year``, ``gdppc``, ``pop``)."""
    try:
        return pd.read_excel(inputs["maddison_xlsx"], sheet_name="Full data")
    except ValueError as exc:
        raise DataFileError(f"{inputs['maddison_xlsx']}: no 'Full data' sheet ({exc})") from None


#: SIPRI's sheets and the column each becomes.
SIPRI_SHEETS = {
    "Constant (2022) US$": "milex_const2022_usd_m",
    "Current US$": "milex_current_usd_m",
    "Share of GDP": "milex_share_of_gdp",
    "Per capita": "milex_per_capita_current_usd",
    "Share of Govt. spending": "milex_share_of_govt_spending",
}
#: SIPRI's regions; the other headings without values are sub-regions.
SIPRI_REGIONS = ("Africa", "Americas", "Asia & Oceania", "Europe", "Middle East")


def _sipri_sheet(raw: pd.DataFrame, sheet: str) -> pd.DataFrame:
    """One sheet as long rows: country, region, subregion, year and the raw cell."""
    head = raw.index[raw.iloc[:, 0].astype(str).str.strip().eq("Country")]
    if len(head) == 0:
        raise DataFileError(f"SIPRI workbook, sheet {sheet!r}: no header row starting with 'Country'")
    header = [str(int(v)) if isinstance(v, float) and v == v else str(v) for v in raw.iloc[head[0]]]
    body = raw.iloc[head[0] + 1 :].set_axis(header, axis=1)
    years = [c for c in header if c.isdigit()]
    region = subregion = None
    rows = []
    for name, values in zip(body["Country"], body[years].to_numpy(object), strict=True):
        if not isinstance(name, str) or not name.strip():
            continue
        if pd.isna(values).all():  # a heading: a region, or a sub-region within it
            region, subregion = (name.strip(), None) if name.strip() in SIPRI_REGIONS else (region, name.strip())
            continue
        rows += [(name.strip(), region, subregion, int(y), v) for y, v in zip(years, values, strict=True)]
    return pd.DataFrame(rows, columns=["country", "region", "subregion", "year", "cell"])


def build_sipri_long(inputs: dict[str, Path]) -> pd.DataFrame:
    """SIPRI's workbook as one tidy row per country and year, 1949–2023: the five value sheets
    side by side ('...' and 'xxx' empty), the region and sub-region from the sheets' headings,
    and ``status`` from the constant-dollar sheet (ok, missing, or not_independent for 'xxx')."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # openpyxl: "workbook contains no default style"
        try:
            book = pd.read_excel(inputs["sipri_xlsx"], sheet_name=list(SIPRI_SHEETS), header=None)
        except ValueError as exc:
            raise DataFileError(f"{inputs['sipri_xlsx']}: not SIPRI's milex workbook ({exc})") from None
    frames: list[pd.DataFrame | pd.Series] = []
    for sheet, column in SIPRI_SHEETS.items():
        long = _sipri_sheet(book[sheet], sheet)
        if sheet == "Constant (2022) US$":
            base = long[["country", "region", "subregion", "year"]].set_index(["country", "year"])
            cell = long.set_index(["country", "year"])["cell"]
        values = pd.to_numeric(long["cell"].replace({"...": np.nan, "xxx": np.nan, ". .": np.nan}), errors="coerce")
        frames.append(values.set_axis(pd.MultiIndex.from_frame(long[["country", "year"]])).rename(column))
    out = base.join(frames, how="left")
    cell = cell.reindex(out.index)
    out["status"] = np.where(
        cell.astype(str).str.strip().eq("xxx"),
        "not_independent",
        np.where(pd.to_numeric(cell, errors="coerce").notna(), "ok", "missing"),
    )
    out = out.reset_index()[["country", "region", "subregion", "year", *SIPRI_SHEETS.values(), "status"]]
    return out.sort_values(["country", "year"], kind="stable").reset_index(drop=True)


@dataclass(frozen=True)
class Build:
    """A registered table (``key``) made from producer files (``inputs``) by ``make``."""

    key: str
    inputs: tuple[str, ...]
    make: Callable[[dict[str, Path]], pd.DataFrame]
    what: str


BUILDS: dict[str, Build] = {
    b.key: b
    for b in [
        Build("maddison", ("maddison_xlsx",), build_maddison, "the 'Full data' sheet of Maddison's workbook"),
        Build("sipri_long", ("sipri_xlsx",), build_sipri_long, "SIPRI's workbook, five sheets as one long table"),
        *(
            Build(key, (f"{key}_rda",), build_from_rda, f"peacesciencer's {FILES[f'{key}_rda'].url_path} (pyreadr)")
            for key in sorted(k.removesuffix("_rda") for k in FILES if k.endswith("_rda"))
        ),
    ]
}


def build(key: str, force: bool = False) -> Path:
    """Build table ``key`` from its producer files into the cache; returns its path.

    The producer files are located (verified by SHA-256) as any other; the table is written as
    CSV and must match the registry's SHA-256, else nothing is kept. An existing verified copy in
    the cache is kept unless ``force``.
    """
    if key not in BUILDS:
        from alliancelab.errors import suggest

        raise DataFileError(f"no build for {key!r}; " + suggest(key, BUILDS))
    b, f = BUILDS[key], FILES[key]
    target = cache_dir() / f.relpath
    if target.is_file() and not force and sha256_of(target) == f.sha256:
        return target
    inputs = {k: locate(k) for k in b.inputs}
    text = b.make(inputs).to_csv(index=False)
    cache_folder(target.parent)
    with replacing(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
        found = sha256_of(tmp)
        if found != f.sha256:
            raise DataFileError(
                f"building {f.relpath} from {', '.join(FILES[k].name for k in b.inputs)} gave SHA-256 {found}, "
                f"not the registry's {f.sha256}: the producer's file is not the registered release; nothing was kept"
            )
    return target


def build_on_first_use(key: str) -> tuple[Path | None, str]:
    """A derived table missing everywhere, built from its producer's files when they are here
    (:mod:`alliancelab.data.build`); else None and how to get those files ("" if not buildable)."""
    if key not in BUILDS:
        return None, ""
    missing = [k for k in BUILDS[key].inputs if file_status(k)[0] == "missing"]
    if missing:
        names = ", ".join(FILES[k].name for k in missing)
        dataset = dataset_of(key)
        by_hand = [FILES[k].manual for k in missing if FILES[k].manual]
        if by_hand:
            return None, f"it is built from {names} ({'; '.join(by_hand)}), then `alliancelab data build {key}`"
        return None, f"it is built from {names}: run `alliancelab data get {dataset}`, which fetches and builds it"
    return build(key), ""


set_builder(build_on_first_use)
