"""The alliancelab dashboard (a Streamlit script): ``alliancelab dashboard`` serves it on 127.0.0.1.

Four pages: Scenario (levers, a run with its bands, the order type, the alliance network, the
crisis heat map and downloads), Compare (paired differences on common seeds), both opening on
the base year (the book's 2001 or today's 2023) and its presets, Claims (the
book's six claims as findings) and Forecast (the expected-utility model on an editable
stakeholder table). Every error of the library is shown inline as its message, never as a
traceback, and the app keeps working after it.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import streamlit as st

from alliancelab.dashboard.forms import edited_issue
from alliancelab.dashboard.levers import (
    JAPAN_PATHS,
    MAX_RUNS,
    MAX_YEARS,
    TMD_KINDS,
    Levers,
    apply_levers,
    describe_levers,
)
from alliancelab.dashboard.network import credible_ties, hub_and_spoke_layout
from alliancelab.engine.manifest import read_manifest
from alliancelab.errors import AllianceLabError, ProblemsError
from alliancelab.report.style import OKABE_ITO, START, make_room, styled

PAGES = ("Scenario", "Compare", "Claims", "Forecast")


def show_error(exc: Exception) -> None:
    """A library error as its message (each problem of a file on its own line), never a traceback."""
    if isinstance(exc, ProblemsError):
        st.error(f"{exc.source}: {len(exc.problems)} problem(s) found")
        for p in exc.problems:
            st.markdown(f"- `{p.where}`: {p.message}")
    else:
        st.error(str(exc))


def guarded(page: Callable[[], None]) -> None:
    try:
        page()
    except AllianceLabError as exc:
        show_error(exc)


def progress_bar(total: int, label: str) -> Callable[[int], None]:
    bar = st.progress(0.0, text=label)
    done = [0]

    def advance(n: int) -> None:
        done[0] += n
        bar.progress(min(done[0] / max(total, 1), 1.0), text=f"{label}: {done[0]} of {total}")

    return advance


def drawn(ds: Any, name: str, draw: Callable[[], bytes]) -> bytes:
    """A figure of a result as PNG bytes, drawn once per result and kept with it, so that moving a
    display slider does not redraw it."""
    cached: tuple[Any, dict[str, bytes]] | None = st.session_state.get("figures")
    if cached is None or cached[0] is not ds:
        cached = (ds, {})
        st.session_state["figures"] = cached
    if name not in cached[1]:
        cached[1][name] = draw()
    return bytes(cached[1][name])


def figure_png(ds: Any, figure: Callable[[Any, Path], Path]) -> bytes:
    """One of the run's own figures (:mod:`alliancelab.report.figures`) as PNG bytes."""
    with tempfile.TemporaryDirectory() as tmp:
        return figure(ds, Path(tmp) / "figure.png").read_bytes()


def netcdf_bytes(ds: Any) -> Callable[[], bytes]:
    """The results as NetCDF, made when the download is asked for."""

    def make() -> bytes:
        from alliancelab.report.files import save_netcdf

        with tempfile.TemporaryDirectory() as tmp:
            return save_netcdf(ds, Path(tmp) / "results.nc").read_bytes()

    return make


def png(fig: Any) -> bytes:
    """A figure as PNG bytes, at the style's resolution; the figure is closed."""
    import io

    buffer = io.BytesIO()
    make_room(fig)
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()


@styled
def network_figure(ds: Any, year: int, tie: float) -> bytes:
    """The credible alliance network in ``year``: links whose median credibility × commitment
    reaches ``tie``, drawn hub and spokes (:func:`hub_and_spoke_layout`)."""
    import networkx as nx

    fig, ax = plt.subplots(figsize=(6, 5))
    g = nx.Graph()
    names = dict(zip(map(str, ds.actor.values), map(str, ds["actor_name"].values), strict=True))
    g.add_nodes_from(names)
    for defended, defender in credible_ties(ds, year, tie):
        g.add_edge(defended, defender)
    pos = hub_and_spoke_layout(g)
    nx.draw_networkx_edges(g, pos, ax=ax, edge_color=START, width=1.6)
    tied = [n for n in g.nodes if g.degree(n)]
    nx.draw_networkx_nodes(g, pos, nodelist=tied, ax=ax, node_color=OKABE_ITO[5], node_size=320)
    nx.draw_networkx_nodes(
        g, pos, nodelist=[n for n in g.nodes if not g.degree(n)], ax=ax, node_color="#e5e5e5", node_size=160
    )
    for n, (x, y) in pos.items():  # each name beside its node, on a white ground, never over a tie's end
        ax.annotate(
            names[n], (x, y), xytext=(0, -13), textcoords="offset points", ha="center", va="top", fontsize=7,
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85},
        )  # fmt: skip
    ax.set_title(f"Credible alliance ties in {year} (median credibility × commitment ≥ {tie}); grey: no tie")
    ax.set_aspect("equal")
    ax.margins(0.12, 0.16)  # room for the names under the outer ring
    ax.axis("off")
    fig.subplots_adjust(left=0.02, right=0.98, top=0.92, bottom=0.02)
    return png(fig)


@styled
def heat_map(ds: Any) -> bytes:
    """Mean yearly crisis probability by pair."""
    rate = ds["crisis"].mean(["run", "year"], dtype="float64")
    names = [str(n) for n in ds["actor_name"].values]
    fig, ax = plt.subplots(figsize=(6.5, 5.5))
    im = ax.imshow(rate.values, vmin=0)
    ax.set_xticks(range(len(names)), names, rotation=90)
    ax.set_yticks(range(len(names)), names)
    ax.grid(False)
    fig.colorbar(im, ax=ax, label="crises per year (mean over runs)")
    ax.set_title("Crisis risk by pair")
    fig.subplots_adjust(left=0.22, right=0.98, top=0.94, bottom=0.24)
    return png(fig)


def lever_defaults(scenario: Any) -> dict[str, float]:
    """Where each slider starts: the scenario's own start-year value (0 where it lacks the target)."""
    actors = {a.id: a for a in scenario.actor}
    arf = next((i for i in scenario.institution if i.id == "arf"), None)
    return {
        "us_engagement": float(actors["usa"].engagement) if "usa" in actors else 0.0,
        "arf_teeth": float(arf.teeth) if arf is not None else 0.0,
        "korean_reconciliation": 0.0,
        "china_growth": round(float(actors["chn"].growth), 3) if "chn" in actors else 0.0,
    }


#: The base year a page starts from: the book's order or today's, and the preset of each.
BASE_YEARS: dict[str, int] = {"2001: the book's order": 2001, "2023: today's order": 2023}


def base_year_presets(key: str) -> list[str]:
    """The base-year choice at the top of a page, and the presets that start in that year,
    the base first."""
    from alliancelab.scenario import presets_by_start

    chosen = st.radio("Base year", list(BASE_YEARS), horizontal=True, key=f"{key}_base")
    return presets_by_start()[BASE_YEARS[chosen]]


def scenario_page() -> None:
    from alliancelab.models.order.params import MECHANISMS
    from alliancelab.models.order.paramsets import load_params, set_name
    from alliancelab.scenario import load_scenario
    from alliancelab.scenario.load import scenario_from_upload

    st.header("Scenario")
    source = st.radio("Scenario from", ("a preset", "an uploaded TOML file"), horizontal=True)
    if source == "a preset":
        presets = base_year_presets("scenario")
        name = st.selectbox("Preset", presets, index=0)
        scenario = load_scenario(name)
    else:
        upload = st.file_uploader("Scenario file (TOML)", type=["toml"])
        if upload is None:
            st.info("Upload a scenario file, or pick a preset.")
            return
        # the command line's reader and limits: size, UTF-8, nesting, no `extends`; problems shown inline
        scenario = scenario_from_upload(upload.getvalue(), upload.name)
    st.caption(scenario.scenario.title or scenario.name)

    start = scenario.start
    with st.sidebar:
        st.subheader("Levers")
        year = st.slider("From year", start, start + 29, min(start + 4, start + 29))
        base = lever_defaults(scenario)
        chosen = {
            "us_engagement": st.slider("U.S. engagement", 0.0, 1.0, base["us_engagement"], 0.05),
            "arf_teeth": st.slider("ARF teeth", 0.0, 1.0, base["arf_teeth"], 0.1),
            "korean_reconciliation": st.slider("Korean reconciliation", 0.0, 1.0, 0.0, 0.1),
            "china_growth": st.slider("China's growth", -0.05, 0.15, base["china_growth"], 0.005),
        }
        # a lever left where the scenario has it adds no shock
        moved = {k: (None if abs(v - base[k]) < 1e-9 else v) for k, v in chosen.items()}
        levers = Levers(
            year=year,
            japan_path=st.selectbox("Japan's path", JAPAN_PATHS),
            tmd=st.selectbox("Missile defence (Japan)", TMD_KINDS),
            **moved,
        )
        st.subheader("Model")
        set_choice = st.selectbox("Parameter set", ("estimated", "illustrative"))
        off = st.multiselect("Mechanisms switched off", MECHANISMS)
        runs = st.slider("Runs", 50, MAX_RUNS, 300, 50)
        years = st.slider("Years", 5, MAX_YEARS, 30)
        seed = st.number_input("Seed", 0, 2**31 - 1, 0)
    scenario, notes = apply_levers(scenario, levers)
    for note in notes:
        st.warning(note)
    params = load_params(set_choice)
    if off:
        params = params.model_copy(
            update={"mechanisms": params.mechanisms.model_copy(update=dict.fromkeys(off, False))}
        )
    lever_words = describe_levers(levers)
    settings = repr((scenario.name, lever_words, set_choice, sorted(off), runs, years, int(seed)))
    if st.button("Run", type="primary"):
        from alliancelab.models.order.simulate import simulate  # the engine (numba) loads with the first run

        advance = progress_bar(runs, "simulating")
        st.session_state["result"] = simulate(
            scenario,
            runs=runs,
            years=years,
            seed=int(seed),
            params=params,
            progress=advance,
            keep=["actor", "alliance", "region", "crisis"],  # what the page shows and offers
        )
        st.session_state["label"] = (
            f"{scenario.name}" + (f" with {lever_words}" if lever_words else ", levers as written")
            + f"; {runs} runs × {years} years, seed {int(seed)}, parameters {set_name(params)}"
            + (f", switched off: {', '.join(off)}" if off else "")
        )  # fmt: skip
        st.session_state["settings"] = settings
    ds: Any = st.session_state.get("result")
    if ds is None:
        st.info("Set the levers and press Run.")
        return
    if st.session_state.get("settings") != settings:
        st.warning("The levers or settings have changed since this result was run: press Run to see them.")
    show_result(ds)


def show_result(ds: Any) -> None:
    from alliancelab.report.summary import tidy_summary

    st.subheader(f"Result: {st.session_state.get('label', '')}")

    from alliancelab.report.figures import THREAT_IN_WORDS, order_figure, spending_figure, threat_figure
    from alliancelab.report.observed import coverage_note
    from alliancelab.scenario import scenario_from_dict
    from alliancelab.scenario.caveats import caveats

    ran = scenario_from_dict(read_manifest(ds)["resolved_scenario"])
    for line in caveats(ran):  # what the data cannot give, and what is stale, where the reader sees the result
        st.caption("Data: " + line)

    # one 15-panel figure at a time (each is drawn once per result), sent as soon as it is drawn
    bands = st.radio("Bands of", ("military spending", "perceived threat"), horizontal=True)
    if bands == "military spending":
        spending = drawn(ds, "spending", lambda: figure_png(ds, spending_figure))
        st.image(spending, caption="Military spending, % of GDP: bands of runs and the observed record")
        note = coverage_note(ds)
        if note is not None:
            st.caption(note)
    else:
        threat = drawn(ds, "threat", lambda: figure_png(ds, threat_figure))
        st.image(threat, caption="Perceived threat, US$ bn: bands of runs")
        st.caption(THREAT_IN_WORDS)
    order = drawn(ds, "order", lambda: figure_png(ds, order_figure))
    st.image(order, caption="Regional order type: share of runs")
    col1, col2 = st.columns(2)
    with col1:
        year = st.slider("Network year", int(ds.year[0]), int(ds.year[-1]), int(ds.year[-1]))
        st.image(drawn(ds, f"network {year}", lambda: network_figure(ds, year, 0.5)))
    with col2:
        st.image(drawn(ds, "crises", lambda: heat_map(ds)))
    st.download_button(
        "Summary (CSV)", lambda: tidy_summary(ds).to_csv(index=False), "summary.csv", "text/csv", on_click="ignore"
    )
    st.download_button("Manifest (JSON)", ds.attrs["manifest"], "manifest.json", "application/json")
    st.download_button("Results (NetCDF)", netcdf_bytes(ds), "results.nc", "application/x-netcdf", on_click="ignore")


def compare_page() -> None:
    from alliancelab.models.order.paramsets import load_params
    from alliancelab.models.order.simulate import simulate
    from alliancelab.report.compare import actor_names, comparison_figure, comparison_table, reading_view

    st.header("Compare")
    presets = base_year_presets("compare")
    variant = "us-retrenchment" if presets[0] == "asia-pacific-2001" else "us-retrenchment-2025"
    chosen = st.multiselect("Scenarios (the first is the baseline)", presets, [presets[0], variant])
    runs = st.slider("Runs per scenario", 50, MAX_RUNS, 300, 50, key="compare_runs")
    set_choice = st.selectbox("Parameter set", ("estimated", "illustrative"), key="compare_set")
    if len(chosen) < 2:
        st.info("Choose two or more scenarios.")
        return
    if st.button("Compare", type="primary"):
        params = load_params(set_choice)
        advance = progress_bar(runs * len(chosen), "simulating")
        results = {
            name: simulate(
                name, runs=runs, seed=0, params=params, keep=["actor", "region", "escalation"], progress=advance
            )
            for name in chosen
        }
        st.session_state["comparison"] = comparison_table(results)
        st.session_state["comparison_names"] = actor_names(results)
    table: Any = st.session_state.get("comparison")
    if table is not None:
        lo, hi = table.attrs["window"]
        for variant in list(dict.fromkeys(table["scenario"]))[1:]:
            st.caption(f"{variant}: paired differences from the baseline, each run's mean over {lo}-{hi}")
            # a static table: every row shows (a scrolling grid hid the last), numbers as the command line prints them
            st.table(reading_view(table, variant).set_index("indicator"))
        with tempfile.TemporaryDirectory() as tmp:
            names = st.session_state.get("comparison_names", {})
            st.image(comparison_figure(table, Path(tmp) / "comparison.png", names).read_bytes())
        for note in table.attrs.get("notes", []):
            st.warning(note)


def claims_page() -> None:
    from alliancelab.experiments.claims import CLAIMS, DESIGN_PARAMETERS, analyse_claims

    st.header("Claims")
    st.write(
        "The book's six claims as contrasts of presets over the assumptions' ranges (Saltelli design) "
        "and each run's draw of the estimated coefficients. A claim the model only assumes is labelled so."
    )
    samples = st.select_slider("Design samples (points = samples × 16)", [2, 4, 8, 16], 4)
    runs = st.slider("Runs per point", 8, 64, 16, 8)
    if st.button("Analyse the claims", type="primary"):
        total = samples * (len(DESIGN_PARAMETERS) + 2) * len(CLAIMS)
        result = analyse_claims(samples=samples, runs=runs, years=20, progress=progress_bar(total, "design points"))
        st.session_state["claims"] = result.table
    table = st.session_state.get("claims")
    if table is not None:
        st.table(claims_view(table).set_index("claim"))  # a static table: long verdicts wrap, none is scrolled away
        st.download_button("claims.csv (every column)", table.to_csv(index=False), "claims.csv", "text/csv")


def claims_view(table: pd.DataFrame) -> pd.DataFrame:
    """The claims' findings as a reader scans them: the effect with its range and units, where the
    direction holds, and the verdict (the full table is the download)."""
    rows = table.to_dict("records")
    return pd.DataFrame(
        {
            "claim": [f"{r['claim']}{r['part']}" for r in rows],
            "text": [r["text"] for r in rows],
            "effect (median; 90 % over the assumptions)": [
                f"{r['effect_median']:+.3g} ({r['effect_q05']:+.3g} to {r['effect_q95']:+.3g}) {r['units']}"
                for r in rows
            ],
            "direction holds": [f"{100 * r['share_direction']:.0f} % of the design" for r in rows],
            "verdict": [r["verdict"] for r in rows],
        }
    )


def forecast_page() -> None:
    from alliancelab.models.bargaining import forecast, list_issues, load_issue, outcome_summary
    from alliancelab.report.forecast import plot_forecast

    st.header("Forecast")
    issues = list(list_issues())
    name = st.selectbox("Issue", issues)
    issue = load_issue(name)
    st.caption(issue.question or issue.title)
    table = pd.DataFrame([s.model_dump() for s in issue.stakeholders])
    edited = st.data_editor(table, num_rows="dynamic", key=f"stakeholders-{name}")
    rounds = st.slider("Rounds", 1, 30, 10)
    if st.button("Forecast", type="primary"):
        changed = edited_issue(issue, edited, f"{name} (edited)")
        ds = forecast(changed, rounds=rounds)
        st.write(outcome_summary(ds).to_frame("value"))
        with tempfile.TemporaryDirectory() as tmp:
            st.image(plot_forecast(ds, Path(tmp) / "forecast.png").read_bytes())


def main() -> None:
    st.set_page_config(page_title="alliancelab", layout="wide")
    st.title("alliancelab")
    page = st.sidebar.radio("Page", PAGES)
    guarded(
        {"Scenario": scenario_page, "Compare": compare_page, "Claims": claims_page, "Forecast": forecast_page}[page]
    )


main()
