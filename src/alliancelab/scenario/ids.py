"""State ids: alliancelab names states by ISO 3166-1 alpha-3 codes, lower case (``jpn``, ``kor``).

ISO codes are what most readers and datasets outside the Correlates of War know; COW letter codes
(``rok``, ``taw``) are accepted nowhere as ids but recognised, so a file written with them gets a
message naming the ISO id to use. The table pairs each COW abbreviation that differs from its
state's ISO code with that code and the state's name: COW State System Membership (2016)
``stateabb`` and the Maddison Project Database 2020 ``countrycode`` for the same COW state.
"""

from __future__ import annotations

__all__ = ["COW_TO_ISO", "cow_alias_hint"]

#: COW abbreviation (lower case) -> (ISO 3166-1 alpha-3, lower case; state name).
COW_TO_ISO: dict[str, tuple[str, str]] = {
    "alg": ("dza", "Algeria"),
    "ang": ("ago", "Angola"),
    "aul": ("aus", "Australia"),
    "aus": ("aut", "Austria"),
    "bah": ("bhr", "Bahrain"),
    "bar": ("brb", "Barbados"),
    "bfo": ("bfa", "Burkina Faso"),
    "bng": ("bgd", "Bangladesh"),
    "bos": ("bih", "Bosnia and Herzegovina"),
    "bot": ("bwa", "Botswana"),
    "bui": ("bdi", "Burundi"),
    "bul": ("bgr", "Bulgaria"),
    "cam": ("khm", "Cambodia"),
    "cao": ("cmr", "Cameroon"),
    "cap": ("cpv", "Cape Verde"),
    "cdi": ("civ", "Ivory Coast"),
    "cen": ("caf", "Central African Republic"),
    "cha": ("tcd", "Chad"),
    "con": ("cog", "Congo"),
    "cos": ("cri", "Costa Rica"),
    "cro": ("hrv", "Croatia"),
    "cze": ("csk", "Czechoslovakia"),
    "czr": ("cze", "Czech Republic"),
    "den": ("dnk", "Denmark"),
    "drc": ("cod", "Democratic Republic of the Congo"),
    "drv": ("vnm", "Vietnam"),
    "eqg": ("gnq", "Equatorial Guinea"),
    "frn": ("fra", "France"),
    "gam": ("gmb", "Gambia"),
    "gfr": ("deu", "German Federal Republic"),
    "gmy": ("deu", "Germany"),
    "grg": ("geo", "Georgia"),
    "gua": ("gtm", "Guatemala"),
    "gui": ("gin", "Guinea"),
    "hai": ("hti", "Haiti"),
    "hon": ("hnd", "Honduras"),
    "ice": ("isl", "Iceland"),
    "ins": ("idn", "Indonesia"),
    "ire": ("irl", "Ireland"),
    "kuw": ("kwt", "Kuwait"),
    "kyr": ("kgz", "Kyrgyzstan"),
    "kzk": ("kaz", "Kazakhstan"),
    "lat": ("lva", "Latvia"),
    "leb": ("lbn", "Lebanon"),
    "les": ("lso", "Lesotho"),
    "lib": ("lby", "Libya"),
    "lit": ("ltu", "Lithuania"),
    "maa": ("mrt", "Mauritania"),
    "mac": ("mkd", "Macedonia"),
    "mag": ("mdg", "Madagascar"),
    "mal": ("mys", "Malaysia"),
    "mas": ("mus", "Mauritius"),
    "maw": ("mwi", "Malawi"),
    "mld": ("mda", "Moldova"),
    "mng": ("mne", "Montenegro"),
    "mon": ("mng", "Mongolia"),
    "mor": ("mar", "Morocco"),
    "mya": ("mmr", "Myanmar"),
    "mzm": ("moz", "Mozambique"),
    "nep": ("npl", "Nepal"),
    "new": ("nzl", "New Zealand"),
    "nig": ("nga", "Nigeria"),
    "nir": ("ner", "Niger"),
    "nth": ("nld", "Netherlands"),
    "oma": ("omn", "Oman"),
    "par": ("pry", "Paraguay"),
    "phi": ("phl", "Philippines"),
    "por": ("prt", "Portugal"),
    "rok": ("kor", "South Korea"),
    "rom": ("rou", "Romania"),
    "saf": ("zaf", "South Africa"),
    "sal": ("slv", "El Salvador"),
    "sey": ("syc", "Seychelles"),
    "sie": ("sle", "Sierra Leone"),
    "sin": ("sgp", "Singapore"),
    "slo": ("svk", "Slovakia"),
    "slu": ("lca", "St. Lucia"),
    "slv": ("svn", "Slovenia"),
    "spn": ("esp", "Spain"),
    "sri": ("lka", "Sri Lanka"),
    "sud": ("sdn", "Sudan"),
    "swa": ("swz", "Swaziland"),
    "swd": ("swe", "Sweden"),
    "swz": ("che", "Switzerland"),
    "taj": ("tjk", "Tajikistan"),
    "taw": ("twn", "Taiwan"),
    "taz": ("tza", "Tanzania"),
    "thi": ("tha", "Thailand"),
    "tog": ("tgo", "Togo"),
    "tri": ("tto", "Trinidad and Tobago"),
    "uae": ("are", "United Arab Emirates"),
    "ukg": ("gbr", "United Kingdom"),
    "uru": ("ury", "Uruguay"),
    "yar": ("yem", "Yemen Arab Republic"),
    "yug": ("srb", "Yugoslavia"),
    "zam": ("zmb", "Zambia"),
    "zim": ("zwe", "Zimbabwe"),
}


def cow_alias_hint(name: str, ids: list[str]) -> str | None:
    """A hint where ``name`` is a COW letter code and the scenario has that state under its ISO id."""
    found = COW_TO_ISO.get(name.lower())
    if found is None or found[0] not in ids:
        return None
    iso, state = found
    return f"{name!r} is COW's code for {state}, which is {iso!r} here (states are named by ISO 3166 alpha-3)"
