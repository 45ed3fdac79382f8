"""One figure style across ``run``, ``compare``, ``forecast``, ``backtest`` and the experiments.

Every figure these commands save is caught as it is saved and held to the style of
:mod:`alliancelab.report.style`: the style's font sizes, colours only from its palettes (or its
greys, black and shock red), a unit on every first-column y-axis of a time series, panels titled
with states' names rather than their ids, and shock years marked where the scenario has shocks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from alliancelab.models.bargaining import forecast, load_issue
from alliancelab.models.order.simulate import simulate
from alliancelab.report.compare import comparison_table, default_indicators, trajectories_figure
from alliancelab.report.experiments import backtest_figure, discovery_figure, sensitivity_figure, validation_figure
from alliancelab.report.figures import write_figures
from alliancelab.report.files import write_comparison
from alliancelab.report.forecast import plot_forecast
from alliancelab.report.style import OBSERVED, OKABE_ITO, SHOCK, START, STYLE

#: Okabe–Ito and the style's greys, black and shock red; ``tab20`` only past seven series.
FEW = {c.lower() for c in OKABE_ITO} | {START.lower(), OBSERVED, SHOCK.lower()}
MANY = FEW | {to_hex(plt.get_cmap("tab20")(k)) for k in range(20)}


@pytest.fixture
def saved(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """What each figure held when it was saved."""
    seen: list[dict[str, Any]] = []
    original = Figure.savefig

    def record(fig: Figure, *args: Any, **kwargs: Any) -> Any:
        done = original(fig, *args, **kwargs)  # drawn: every text stands where the saved image has it
        seen.append(describe(fig, args[0] if args else kwargs.get("fname")))
        return done

    monkeypatch.setattr(Figure, "savefig", record)
    return seen


def clipped(fig: Figure) -> list[str]:
    """Legends, titles, axis labels and tick labels that reach past the figure's edge (cut off in
    the saved image), as last drawn: each by its text."""
    renderer = fig.canvas.get_renderer()
    edge = fig.bbox.padded(1.0)  # a pixel's rounding
    found = []
    texts = [t for t in (fig._suptitle,) if t is not None]
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        if (legend := ax.get_legend()) is not None:
            box = legend.get_window_extent(renderer)
            if not (edge.x0 <= box.x0 and box.x1 <= edge.x1 and edge.y0 <= box.y0 and box.y1 <= edge.y1):
                found.append(f"legend of {ax.get_title()!r}")
        texts += [ax.title, ax.xaxis.label, ax.yaxis.label, *ax.texts]
        for axis, (lo, hi) in ((ax.xaxis, sorted(ax.get_xlim())), (ax.yaxis, sorted(ax.get_ylim()))):
            # the tick labels drawn: those of ticks inside the axis's limits
            texts += [t.label1 for t in axis.get_major_ticks() if lo - 1e-9 * abs(hi - lo) <= t.get_loc() <= hi]
    for t in texts:
        if t.get_visible() and t.get_text().strip():
            box = t.get_window_extent(renderer)
            if not (edge.x0 <= box.x0 and box.x1 <= edge.x1 and edge.y0 <= box.y0 and box.y1 <= edge.y1):
                found.append(t.get_text())
    return found


def describe(fig: Figure, where: Any) -> dict[str, Any]:
    axes = [ax for ax in fig.axes if ax.axison and ax.get_label() != "<colorbar>"]
    colours: set[str] = set()
    for ax in axes:
        colours |= {to_hex(line.get_color()) for line in ax.lines}
        for c in ax.collections:
            if c.get_array() is not None:  # a colour scale, not a palette: checked as "scales"
                continue
            faces = c.get_facecolor()
            colours |= {to_hex(f, keep_alpha=False) for f in faces if len(faces) and f[3] > 0}
    name = Path(str(where)).name.lstrip(".")  # saved through a temporary file: .NAME.png.XXXX.png
    return {
        "where": name[: name.index(".png") + 4] if ".png" in name else name,
        "titles": [ax.get_title() for ax in axes],
        "title_sizes": {ax.title.get_fontsize() for ax in axes if ax.get_title()},
        "ylabels": [ax.get_ylabel() for ax in axes],
        # the value axis's unit: on the y-axis of a row's first panel (on the x-axis where values run across)
        "first_column": [ax.get_ylabel() or ax.get_xlabel() for ax in axes if ax.get_subplotspec().colspan.start == 0],
        "colours": colours,
        "labels": {line.get_label() for ax in axes for line in ax.lines},
        "clipped": clipped(fig),
        "scales": {c.get_cmap().name for ax in axes for c in ax.collections if c.get_array() is not None},
        "vlines": {
            to_hex(line.get_color()) for ax in axes for line in ax.lines if len(set(np.asarray(line.get_xdata()))) == 1
        },
    }


def check_style(figure: dict[str, Any], ids: set[str], allowed: set[str] = FEW) -> None:
    where = figure["where"]
    assert figure["title_sizes"] <= {STYLE["axes.titlesize"]}, where
    assert figure["colours"] <= allowed, (where, figure["colours"] - allowed)
    assert all(figure["first_column"]), (where, figure["first_column"])  # every row's first axis has its unit
    assert not ids & set(figure["titles"]), (where, ids & set(figure["titles"]))  # names, not ids
    assert not figure["clipped"], (where, figure["clipped"])  # nothing cut off at the figure's edge
    assert figure["scales"] <= {STYLE["image.cmap"]}, (where, figure["scales"])  # one colour scale


def test_run_figures_share_the_style_name_states_and_mark_shocks(tmp_path: Path, saved: list) -> None:
    ds = simulate("us-retrenchment", runs=40, years=8, seed=0, keep=["actor", "region"])
    write_figures(ds, tmp_path)
    by_name = {f["where"]: f for f in saved}
    assert set(by_name) == {"spending_share.png", "threat.png", "regional_indices.png", "order_type.png"}
    ids = set(map(str, ds.actor.values))
    for figure in saved:
        check_style(figure, ids)
        assert SHOCK.lower() in figure["vlines"], figure["where"]  # us-retrenchment's 2005 shock
    spending = by_name["spending_share.png"]
    assert "observed (SIPRI)" in spending["labels"]
    assert by_name["threat.png"]["first_column"][0] == "US$ bn"
    assert set(spending["titles"]) == set(map(str, ds["actor_name"].values))
    assert "% of GDP" in spending["first_column"]


def test_compare_figures_share_the_style_and_carry_units(tmp_path: Path, saved: list) -> None:
    results = {name: simulate(name, runs=30, years=8, seed=0) for name in ("asia-pacific-2001", "us-retrenchment")}
    write_comparison(comparison_table(results), results, tmp_path)
    assert {f["where"] for f in saved} == {"comparison.png", "trajectories.png"}
    ids = set(map(str, next(iter(results.values())).actor.values))
    for figure in saved:
        check_style(figure, ids)
    trajectories = next(f for f in saved if f["where"] == "trajectories.png")
    assert "United States' allies' spending share (%)" in trajectories["titles"]  # named by the patron
    assert "%" in trajectories["ylabels"] and "0-1" in trajectories["ylabels"]
    assert "observed (SIPRI)" in trajectories["labels"]  # 2001-2008 lie in the record
    # the same indicators drawn twice give the same figure: the style does not depend on the order of calls
    trajectories_figure(results, default_indicators(results["asia-pacific-2001"]), tmp_path / "again.png")
    assert saved[-1]["titles"] == trajectories["titles"] and saved[-1]["colours"] == trajectories["colours"]


def test_forecast_backtest_and_experiment_figures_share_the_style(tmp_path: Path, saved: list) -> None:
    ds = forecast(load_issue("tmd-deployment"), rounds=4, perturb=20, seed=1)
    plot_forecast(ds, tmp_path / "positions.png")
    plot_forecast(forecast(load_issue("tmd-deployment"), rounds=4), tmp_path / "unperturbed.png")  # the dashboard's
    years = np.arange(2005, 2012)
    bands = pd.DataFrame(
        [(a, y, 1e9, 2e9, 3e9) for a in ("jpn", "chn") for y in years], columns=["actor", "year", "q10", "q50", "q90"]
    )
    observed = pd.DataFrame([(a, y, 2.1e9) for a in ("jpn", "chn") for y in years], columns=["actor", "year", "milex"])
    backtest_figure(bands, observed, 2008, tmp_path / "backtest.png", {"jpn": "Japan", "chn": "China"})
    table = pd.DataFrame(
        {"S1": [0.5, 0.2], "S1_conf": [0.1, 0.1], "ST": [0.6, 0.3], "ST_conf": [0.1, 0.1]}, index=["a", "b"]
    )
    sensitivity_figure(table, "What drives x", tmp_path / "sensitivity.png")
    trajectory = pd.DataFrame({"coverage": [1.0, 0.8, 0.5], "density": [0.3, 0.5, 0.9], "res_dim": [0, 1, 2]})
    discovery_figure(trajectory, 1, "PRIM", tmp_path / "prim.png")
    from alliancelab.experiments.validate import validate_crises

    validation_figure(validate_crises(2001, 2004, runs=8, seed=0), tmp_path / "validation.png")
    assert len(saved) == 6
    check_style(saved[0], set(), MANY)  # 14 stakeholders: tab20
    check_style(saved[1], set(), MANY)
    for figure in saved[2:]:
        check_style(figure, {"jpn", "chn"})
    assert set(saved[2]["titles"]) == {"Japan", "China"}
    assert saved[0]["ylabels"][0].startswith("position")


def test_the_style_is_scoped_to_the_figures() -> None:
    """Drawing a figure leaves the caller's Matplotlib settings as they were."""
    before = dict(matplotlib.rcParams)
    ds = forecast(load_issue("ec-emissions-1994"), rounds=2)
    path = plot_forecast(ds, Path(matplotlib.get_cachedir()) / "alliancelab-style-check.png")
    path.unlink()
    assert dict(matplotlib.rcParams) == before
