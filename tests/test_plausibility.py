"""Plausibility said where the reader sees it: a data-built level outside the record, a
counterfactual set beside the record, and what "perceived threat" counts."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

import alliancelab as al
from alliancelab.cli import app
from alliancelab.data.scenario_builder import implausible_share
from alliancelab.report.observed import counterfactual_changes, coverage_note

runner = CliRunner()


def test_a_share_outside_the_record_is_named_with_the_record() -> None:
    own = pd.Series([0.01, 0.012, 0.009])
    assert implausible_share("Japan", 0.011, 2001, own, pd.DataFrame(), "SIPRI") is None
    said = implausible_share("Japan", 0.03, 2001, own, pd.DataFrame(), "COW NMC")
    assert said is not None and "outside SIPRI's record for it (0.9-1.2 %)" in said and "COW NMC" in said
    others = pd.DataFrame(
        {"year": [2001, 2001, 2000], "country": ["A", "B", "C"], "milex_share_of_gdp": [0.02, 0.05, 0.4]}
    )
    assert implausible_share("X", 0.04, 2001, pd.Series(dtype=float), others, "NMC") is None
    high = implausible_share("X", 0.17, 2001, pd.Series(dtype=float), others, "NMC")
    assert high is not None and "the highest: B, 5.0 %" in high  # C's 40 % is another year


def test_north_koreas_data_built_share_is_flagged_in_the_file_and_the_output(tmp_path: Path) -> None:
    """SIPRI has no series for North Korea; COW's spending over Maddison's GDP gives 33.9 % of GDP
    in 1990 and 17.4 % in 2001, four times the highest share SIPRI records for the region."""
    out = tmp_path / "fd.toml"
    result = runner.invoke(app, ["scenario", "from-data", "--year", "2001", "-o", str(out)])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "plausibility: North Korea's 2001 share of GDP, 17.4 %" in said and "Singapore, 4.8 %" in said
    assert "# PLAUSIBILITY: North Korea's 2001 share of GDP" in out.read_text()
    history = runner.invoke(app, ["scenario", "history", "--start", "1990", "--end", "1995", "-o", str(tmp_path / "h")])
    assert history.exit_code == 0 and "North Korea's 1990 share of GDP, 33.9 %" in " ".join(history.output.split())


def test_a_counterfactual_scored_against_the_record_says_it_is_one() -> None:
    base = al.simulate("asia-pacific-2001", runs=20, years=6, seed=0, keep=["actor"])
    variant = al.simulate("us-retrenchment", runs=20, years=6, seed=0, keep=["actor"])
    assert counterfactual_changes(base) == []
    assert counterfactual_changes(variant)[0] == "engagement of usa from 2005"
    assert "counterfactual" not in (coverage_note(base) or "")
    assert "This scenario is a counterfactual (engagement of usa from 2005" in (coverage_note(variant) or "")


def test_perceived_threat_is_explained_where_its_number_is_shown() -> None:
    result = runner.invoke(app, ["compare", "asia-pacific-2001", "us-retrenchment", "-n", "10", "--years", "6", "-q"])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "Perceived threat (US$ bn) is the military capital of the states a state is hostile to" in said
