"""The built-in Asia-Pacific 2001 preset checked against the real datasets in shared/data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from alliancelab.scenario import load_scenario

SIPRI_NAMES = {
    "usa": "United States of America",
    "jpn": "Japan",
    "chn": "China",
    "rus": "Russia",
    "kor": "Korea, South",
    "twn": "Taiwan",
    "aus": "Australia",
    "phl": "Philippines",
    "tha": "Thailand",
    "idn": "Indonesia",
    "sgp": "Singapore",
    "mys": "Malaysia",
    "ind": "India",
}
COW_MILEX = {"prk"}
YEAR = 2001


@pytest.fixture(scope="module")
def preset() -> dict[str, object]:
    return {a.id: a for a in load_scenario("asia-pacific-2001").actor}


@pytest.fixture(scope="module")
def sipri(shared_data: Path) -> pd.DataFrame:
    df = pd.read_csv(shared_data / "sipri_milex" / "sipri_milex_1949_2023_long.csv")
    return df[df.year == YEAR].set_index("country")


def test_sipri_numbers(preset: dict, sipri: pd.DataFrame) -> None:
    for aid, country in SIPRI_NAMES.items():
        row = sipri.loc[country]
        actor = preset[aid]
        milex = row.milex_current_usd_m * 1e6
        assert actor.milex == pytest.approx(milex, rel=1e-3), aid
        assert actor.gdp == pytest.approx(milex / row.milex_share_of_gdp, rel=1e-3), aid
        assert "SIPRI" in actor.source


def test_cow_milex_where_sipri_has_none(preset: dict, sipri: pd.DataFrame, shared_data: Path) -> None:
    nmc = pd.read_csv(shared_data / "cow_nmc" / "NMC-60-abridged.csv")
    nmc = nmc[nmc.year == YEAR].set_index("ccode")
    for aid in COW_MILEX:
        actor = preset[aid]
        assert actor.milex == pytest.approx(nmc.loc[actor.ccode, "milex"] * 1e3, rel=1e-3), aid
        assert "COW NMC" in actor.source


def test_vietnam_bridges_the_gap_in_sipris_series(preset: dict, sipri: pd.DataFrame, shared_data: Path) -> None:
    """SIPRI's Vietnam series has a gap 1995-2002: the preset interpolates its share of GDP
    between 1994 and 2003 and carries its 2003 GDP back by Maddison's real growth (COW NMC's 2001
    figure, $2.35 bn, is three times the result)."""
    assert pd.isna(sipri.loc["Viet Nam", "milex_current_usd_m"])
    df = pd.read_csv(shared_data / "sipri_milex" / "sipri_milex_1949_2023_long.csv")
    vnm = df[(df.country == "Viet Nam") & df.milex_current_usd_m.notna()].set_index("year")
    assert vnm.index[vnm.index < YEAR].max() == 1994 and vnm.index[vnm.index > YEAR].min() == 2003
    share = vnm.milex_share_of_gdp[1994] + (vnm.milex_share_of_gdp[2003] - vnm.milex_share_of_gdp[1994]) * 7 / 9
    mpd = pd.read_csv(shared_data / "gdp" / "mpd2020_full_data.csv")
    real = mpd[mpd.countrycode == "VNM"].set_index("year").eval("gdppc * pop")
    gdp = vnm.milex_current_usd_m[2003] * 1e6 / vnm.milex_share_of_gdp[2003] * real[YEAR] / real[2003]
    actor = preset["vnm"]
    assert actor.gdp == pytest.approx(gdp, rel=1e-3)
    assert actor.milex / actor.gdp == pytest.approx(share, rel=1e-3)
    assert "interpolated 1994-2003" in actor.source


def test_democracy_scores_are_vdem_2001(preset: dict, shared_data: Path) -> None:
    dem = pd.read_csv(shared_data / "democracy" / "ccode_democracy_from_peacesciencer.csv")
    dem = dem[dem.year == YEAR].set_index("ccode")
    for actor in preset.values():
        assert actor.democracy == pytest.approx(dem.loc[actor.ccode, "v2x_polyarchy"], abs=1e-3), actor.id


def test_major_powers_follow_cow(preset: dict, shared_data: Path) -> None:
    majors = pd.read_csv(shared_data / "cow_states" / "majors2016.csv")
    current = set(majors[(majors.styear <= YEAR) & (majors.endyear >= YEAR)].ccode)
    for actor in preset.values():
        assert actor.major_power == (actor.ccode in current), actor.id


def test_rivalries_ongoing_in_2001_are_in_the_preset(shared_data: Path) -> None:
    sc = load_scenario("asia-pacific-2001")
    code = {a.ccode: a.id for a in sc.actor}
    tss = pd.read_csv(shared_data / "rivalries" / "tss_rivalries_from_peacesciencer.csv")
    ongoing = tss[(tss.start <= YEAR) & (tss.end >= YEAR) & tss.ccode1.isin(code) & tss.ccode2.isin(code)]
    assert len(ongoing) >= 5
    pairs = {frozenset(r.pair): r for r in sc.rivalry}
    for row in ongoing.itertuples():
        r = pairs[frozenset((code[row.ccode1], code[row.ccode2]))]
        assert r.kind == "rivalry" and r.since == row.start, row.rivalry
        assert r.hostility >= 0.2
        assert f"TSS #{row.tssr_id}" in r.source
    # pairs marked as rivalries must really be TSS rivalries; the rest is history
    tss_pairs = {frozenset((code[a], code[b])) for a, b in zip(ongoing.ccode1, ongoing.ccode2, strict=True)}
    for r in sc.rivalry:
        assert (r.kind == "rivalry") == (frozenset(r.pair) in tss_pairs), r.pair


def test_alliances_match_cow(shared_data: Path) -> None:
    sc = load_scenario("asia-pacific-2001")
    code = {a.id: a.ccode for a in sc.actor}
    cow = pd.read_csv(shared_data / "cow_alliances" / "alliance_v4.1_by_dyad.csv")
    for al in sc.alliance:
        if al.cow_id is None:
            continue
        rows = cow[cow.version4id == al.cow_id]
        members = {code[m] for m in al.members}
        dyads = [{a, b} for a, b in zip(rows.ccode1, rows.ccode2, strict=True)]
        assert members in dyads, al.id
        row = rows[[{a, b} == members for a, b in zip(rows.ccode1, rows.ccode2, strict=True)]].iloc[0]
        assert row.dyad_st_year == al.since, al.id
        assert pd.isna(row.dyad_end_year) or row.dyad_end_year >= YEAR, al.id
        kind_flag = {"defense": "defense", "entente": "entente", "nonaggression": "nonaggression"}[al.kind]
        assert row[kind_flag] == 1, al.id


def test_us_japan_is_asymmetric_in_atop(shared_data: Path) -> None:
    sc = load_scenario("asia-pacific-2001")
    al = next(a for a in sc.alliance if a.id == "us-japan")
    atop = pd.read_csv(shared_data / "atop" / "atop5_1m.csv")
    rows = atop[atop.atopid == al.atop_id].set_index("member")
    assert rows.loc[2, "defense"] == 1 and rows.loc[740, "defense"] == 0
    assert al.patron == "usa"


def test_figures_draw_the_observed_record_over_the_bands(shared_data: Path, tmp_path: Path, monkeypatch: Any) -> None:
    """A run reaching into SIPRI's years carries the observed shares of its states (by COW code)."""
    from alliancelab.data import load_sipri
    from alliancelab.models.order.simulate import simulate
    from alliancelab.report.figures import write_figures
    from alliancelab.report.observed import observed_shares

    monkeypatch.setenv("ALLIANCELAB_DATA", str(shared_data))
    ds = simulate("asia-pacific-2001", runs=8, years=25, seed=1)
    seen = observed_shares(ds)
    assert seen is not None and {"usa", "jpn", "chn"} <= set(seen.index)
    sipri = load_sipri()
    japan = sipri[(sipri["ccode"] == 740) & (sipri["year"] == 2010)]["milex_share_of_gdp"].iloc[0]
    assert seen.loc["jpn", 2010] == pytest.approx(100 * japan)
    assert list(seen.columns) == list(range(2001, 2024))  # the record ends in 2023; the run in 2025
    paths = write_figures(ds, tmp_path)
    assert (tmp_path / "spending_share.png") in paths
    # how much of the record after the start lies inside the runs' 10-90 % band, counted by hand
    from alliancelab.report.observed import band_coverage

    band = (100 * ds["share"]).quantile([0.1, 0.9], dim="run")
    cells = [(a, y, v) for a in seen.index for y, v in seen.loc[a].dropna().items() if y > 2001]
    inside = [
        band.sel(actor=a, year=y, quantile=0.1) <= v <= band.sel(actor=a, year=y, quantile=0.9) for a, y, v in cells
    ]
    assert band_coverage(ds) == (pytest.approx(np.mean(inside)), len(cells))
    assert len(cells) > 250  # 14 states with SIPRI series (North Korea has none), 2002-2023
    monkeypatch.setenv("ALLIANCELAB_DATA", str(tmp_path / "nothing"))
    monkeypatch.setenv("ALLIANCELAB_CACHE", str(tmp_path / "empty-cache"))
    from alliancelab.report.observed import RecordWarning

    # without the data the figures are drawn without the record, and the output says so
    with pytest.warns(RecordWarning, match="SIPRI's record is left out"):
        assert observed_shares(ds) is None
    with pytest.warns(RecordWarning, match="SIPRI's record is left out"):
        assert band_coverage(ds) is None


def test_figures_mark_the_shock_years() -> None:
    from alliancelab.models.order.simulate import simulate
    from alliancelab.report.style import shock_years

    assert shock_years(simulate("us-retrenchment", runs=2, years=10)) == [2005]
    assert shock_years(simulate("asia-pacific-2001", runs=2, years=10)) == []


def test_volatility_is_the_sd_of_sipris_yearly_changes(preset: dict, shared_data: Path) -> None:
    """Each actor's volatility, recomputed from SIPRI's CSV by hand: the sd of Δ ln s − (1 − ρ)
    (mean ln s − ln s_{t−1}) over 1987–2001, ρ the packaged persistence; North Korea (no SIPRI
    share) has the pooled value of all the states' changes."""
    from alliancelab.models.order.estimated import spending_response

    rho = float(spending_response()["ln_milex_lag1"])  # type: ignore[arg-type]
    df = pd.read_csv(shared_data / "sipri_milex" / "sipri_milex_1949_2023_long.csv")
    df = df[df.year.between(YEAR - 14, YEAR) & (df.milex_share_of_gdp > 0)]
    changes = []
    for aid, country in {**SIPRI_NAMES, "vnm": "Viet Nam"}.items():
        rows = df[df.country == country].sort_values("year")
        ln = np.log(rows.milex_share_of_gdp.to_numpy())
        follows = np.diff(rows.year.to_numpy()) == 1
        e = (np.diff(ln) - (1 - rho) * (ln.mean() - ln[:-1]))[follows]
        changes.append(e)
        assert preset[aid].volatility == pytest.approx(e.std(ddof=1), abs=6e-5), aid
    assert preset["prk"].volatility == pytest.approx(np.concatenate(changes).std(ddof=1), abs=6e-5)
    assert preset["jpn"].volatility < 0.02 < preset["usa"].volatility < 0.1 < preset["mys"].volatility
