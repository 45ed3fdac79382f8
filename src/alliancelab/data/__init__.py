"""Real data: loaders for COW, ATOP, SIPRI, MID, democracy, GDP, rivalries and arms races;
dyad-years and state-years; the dataset registry, downloads and citations.

Files are found under ``$ALLIANCELAB_DATA`` or ``shared/data`` beside the checkout, or in the
per-user cache filled by ``alliancelab data get`` (see :mod:`alliancelab.data.files`).
"""

from alliancelab.data import build as _build  # noqa: F401  (it tells locate how to build a derived table)
from alliancelab.data.codes import to_cow
from alliancelab.data.cow import (
    load_alliances,
    load_contiguity,
    load_gml_mid,
    load_majors,
    load_mid,
    load_nmc,
    load_states,
    load_system,
)
from alliancelab.data.files import DataFileError, cache_dir, data_root, fetch, locate
from alliancelab.data.get import get_dataset
from alliancelab.data.registry import DATASETS, FILES, MODELS
from alliancelab.data.sources import (
    load_arms_races,
    load_atop,
    load_democracy,
    load_maddison,
    load_polity5,
    load_rivalries,
    load_sipri,
)

__all__ = [
    "DATASETS",
    "FILES",
    "MODELS",
    "DataFileError",
    "cache_dir",
    "data_root",
    "fetch",
    "get_dataset",
    "load_alliances",
    "load_arms_races",
    "load_atop",
    "load_contiguity",
    "load_democracy",
    "load_gml_mid",
    "load_maddison",
    "load_majors",
    "load_mid",
    "load_nmc",
    "load_polity5",
    "load_rivalries",
    "load_sipri",
    "load_states",
    "load_system",
    "locate",
    "to_cow",
]
