"""Reading a data file with its shape checked: the right columns, enough rows, the right version."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from alliancelab.data.files import DataFileError, locate

__all__ = ["read_checked", "read_table", "to_na"]


def read_checked(
    key: str,
    path: str | Path | None,
    columns: Iterable[str],
    dtypes: Mapping[str, Any] | None = None,
    min_rows: int = 1,
    what: str = "",
) -> pd.DataFrame:
    """Read CSV file ``key`` (or ``path``), checking that it has ``columns`` and ``min_rows`` rows.

    Returns only ``columns``, cast to ``dtypes`` (pandas nullable types, so missing stays NA).
    Errors name the file, what was expected and what was found.
    """
    p = locate(key, path)
    columns = list(columns)
    label = f"{p} ({what or key})"
    try:
        header = pd.read_csv(p, nrows=0)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise DataFileError(f"{label}: not a readable CSV ({exc}); expected columns {columns}") from None
    found = [str(c) for c in header.columns]
    missing = [c for c in columns if c not in found]
    if missing:
        raise DataFileError(
            f"{label}: missing column(s) {missing}; expected {columns}; found {found[:20]}"
            + (" …" if len(found) > 20 else "")
        )
    try:
        df = pd.read_csv(p, usecols=columns, low_memory=False)
    except (pd.errors.ParserError, ValueError) as exc:
        raise DataFileError(f"{label}: could not be parsed ({exc}); the file may be truncated") from None
    if len(df) < min_rows:
        raise DataFileError(f"{label}: {len(df)} rows; expected at least {min_rows} (truncated file?)")
    if dtypes:
        for col, dtype in dtypes.items():
            try:
                df[col] = df[col].astype(dtype)
            except (TypeError, ValueError) as exc:
                bad = df[col][pd.to_numeric(df[col], errors="coerce").isna() & df[col].notna()].head(3).tolist()
                raise DataFileError(
                    f"{label}: column {col!r} should be {dtype}; found values like {bad} ({exc})"
                ) from None
    return df[columns]


def to_na(df: pd.DataFrame, columns: Iterable[str], codes: Iterable[float] = (-9,)) -> pd.DataFrame:
    """Replace the source's missing-value codes (COW: −9) with NA in ``columns``."""
    codes = list(codes)
    for col in columns:
        df[col] = df[col].mask(df[col].isin(codes))
    return df


def read_table(
    tables: Mapping[str, tuple[str, list[str], int]],
    table: str,
    path: str | Path | None,
    label: str,
    text: Iterable[str] = (),
    missing_codes: Iterable[float] | None = None,
) -> pd.DataFrame:
    """Read one of a dataset's tables, ``tables[table] = (file key, columns, minimum rows)``.

    Columns named in ``text`` become strings, the rest nullable integers; ``missing_codes``
    (e.g. COW's −9) become NA first.
    """
    if table not in tables:
        raise DataFileError(f"{label} table must be one of {sorted(tables)}; got {table!r}")
    key, cols, rows = tables[table]
    df = read_checked(key, path, cols, None, rows, f"{label} {table}")
    text = [c for c in text if c in df]
    numeric = [c for c in cols if c not in text]
    if missing_codes is not None:
        df = to_na(df, numeric, missing_codes)
    df = df.astype({**dict.fromkeys(numeric, "Int64"), **dict.fromkeys(text, "string")})
    return df
