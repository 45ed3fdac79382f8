"""The dashboard in a real browser: Streamlit served on 127.0.0.1, driven by Selenium in Debian's
headless Chromium (``.ci/run`` installs ``chromium`` and ``chromium-driver``; nothing is
downloaded at run time). The tests save screenshots (``$ALLIANCELAB_SCREENSHOTS``, else pytest's
temporary folder)."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from alliancelab.dashboard import command
from alliancelab.dashboard.levers import Levers, apply_levers
from alliancelab.scenario import load_scenario

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


def test_levers_become_shocks_where_the_scenario_has_their_targets() -> None:
    sc = load_scenario("asia-pacific-2001")
    moved, notes = apply_levers(sc, Levers(year=2006, us_engagement=0.4, japan_path="German model", tmd="area-wide"))
    before = {(s.lever, str(s.target), s.value) for s in sc.shock}
    added = {(s.lever, str(s.target), s.value) for s in moved.shock} - before
    assert ("engagement", "usa", 0.4) in added and ("multilateral_role", "jpn", 1.0) in added
    assert ("tmd_area", "jpn", 1.0) in added and ("effort", "jpn", 0.0193) in added and not notes
    unchanged, _ = apply_levers(sc, Levers(year=2006))
    assert unchanged.shock == sc.shock
    doc = sc.model_dump(mode="json", exclude_none=True)
    doc["actor"] = [a for a in doc["actor"] if a["id"] not in ("usa",)]
    doc["alliance"] = [a for a in doc["alliance"] if "usa" not in a["members"]]
    doc["institution"] = [dict(i, members=[m for m in i["members"] if m != "usa"]) for i in doc["institution"]]
    doc["rivalry"] = [r for r in doc["rivalry"] if "usa" not in r["pair"]]
    doc["trade"] = [t for t in doc["trade"] if "usa" not in t["pair"]]
    doc["dyad"] = [d for d in doc["dyad"] if "usa" not in d["pair"]]
    from alliancelab.scenario import scenario_from_dict

    _, notes = apply_levers(scenario_from_dict(doc), Levers(year=2006, us_engagement=0.4))
    assert notes == ["U.S. engagement: left out (the scenario lacks its target)"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    port = _free_port()
    proc = subprocess.Popen(command(port), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                if urllib.request.urlopen(url + "/_stcore/health", timeout=1).status == 200:
                    break
            except OSError:
                time.sleep(0.5)
        else:
            raise RuntimeError("the dashboard did not start")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not (os.path.exists(CHROMIUM) and os.path.exists(DRIVER)):
        message = "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1200"):
        opts.add_argument(arg)
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    driver.implicitly_wait(0)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = Path(os.environ.get("ALLIANCELAB_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def wait_for(browser: Any, find: Any, timeout: float = 120.0) -> Any:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            found = find()
        except Exception:  # the page is re-rendering: try again
            found = None
        if found:
            return found
        time.sleep(0.3)
    raise AssertionError(f"timed out; the page says: {browser.find_element('tag name', 'body').text[:2000]}")


def by_text(browser: Any, css: str, text: str) -> Any:
    return [e for e in browser.find_elements("css selector", css) if text in e.text]


def settled(browser: Any) -> None:
    """Wait until the script has finished and every image has loaded (before a screenshot)."""

    def done() -> bool:
        running = browser.find_elements("css selector", '[data-testid="stStatusWidgetRunningIcon"]')
        images = browser.find_elements("css selector", "img")
        loaded = all(browser.execute_script("return arguments[0].naturalWidth", i) > 0 for i in images)
        return not running and loaded

    wait_for(browser, done)
    time.sleep(0.5)


def spending_image(browser: Any) -> str:
    """The source of the spending figure (found by its caption), once it has loaded."""
    for box in browser.find_elements("css selector", '[data-testid="stImage"]'):
        if "Military spending" in box.text:
            img = box.find_element("css selector", "img")
            if browser.execute_script("return arguments[0].naturalWidth", img) > 0:
                return str(img.get_attribute("src"))
    return ""


def test_run_move_a_lever_and_see_the_figure_change(browser: Any, server: str, shots: Path) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    browser.get(server)
    wait_for(browser, lambda: by_text(browser, "button", "Run"))
    by_text(browser, "button", "Run")[0].click()
    first = wait_for(browser, lambda: spending_image(browser))
    assert wait_for(browser, lambda: by_text(browser, "h3", "Result: asia-pacific-2001, levers as written; 300 runs"))
    settled(browser)
    browser.save_screenshot(str(shots / "dashboard-run.png"))
    said = browser.find_element("tag name", "body").text
    assert re.search(
        r"SIPRI's record after 2001: \d+ % of its \d+ state-years lie inside the runs' 10-90 % bands", said
    )
    # move the U.S. engagement slider down with the keyboard, run again
    slider = by_text(browser, '[data-testid="stSlider"]', "U.S. engagement")[0]
    knob = slider.find_element("css selector", 'input[type="range"]')
    browser.execute_script("arguments[0].focus()", knob)
    ActionChains(browser).send_keys(*[Keys.ARROW_LEFT] * 10).perform()
    wait_for(browser, lambda: knob.get_attribute("aria-valuetext") == "0.40")
    # the result shown is not what the levers now say, and the page says so until it is run again
    assert wait_for(browser, lambda: by_text(browser, '[data-testid="stAlert"]', "changed since this result"))
    time.sleep(1.0)
    wait_for(browser, lambda: by_text(browser, "button", "Run"))[0].click()
    second = wait_for(browser, lambda: spending_image(browser) not in ("", first) and spending_image(browser))
    assert second != first
    # the heading names what was run: the scenario and the lever moved, from its year
    assert wait_for(browser, lambda: by_text(browser, "h3", "asia-pacific-2001 with U.S. engagement 0.40, from 2005"))
    assert not by_text(browser, '[data-testid="stAlert"]', "changed since this result")
    settled(browser)
    browser.save_screenshot(str(shots / "dashboard-lever.png"))
    # the perceived-threat bands instead of the spending bands
    wait_for(browser, lambda: by_text(browser, '[data-testid="stRadio"] label', "perceived threat"))[0].click()
    threat = wait_for(browser, lambda: by_text(browser, '[data-testid="stImage"]', "Perceived threat"))
    img = threat[0].find_element("css selector", "img")
    assert wait_for(browser, lambda: browser.execute_script("return arguments[0].naturalWidth", img) > 1000)


def test_todays_order_is_a_choice_on_the_first_page(browser: Any, server: str, shots: Path) -> None:
    """The base year: choosing today's order offers the 2023 presets and runs the 2023 base,
    whose data caveats (facts carried past their sources' end) are not hidden."""
    browser.get(server)
    wait_for(browser, lambda: by_text(browser, "button", "Run"))
    wait_for(browser, lambda: by_text(browser, '[data-testid="stRadio"] label', "2023: today's order"))[0].click()
    assert wait_for(browser, lambda: "The Asia-Pacific order of 2023" in browser.find_element("tag name", "body").text)
    wait_for(browser, lambda: by_text(browser, "button", "Run"))[0].click()
    assert wait_for(browser, lambda: by_text(browser, "h3", "Result: asia-pacific-2023, levers as written"))
    settled(browser)
    browser.save_screenshot(str(shots / "dashboard-today.png"))
    said = " ".join(browser.find_element("tag name", "body").text.split())
    assert "carried 22 years: prk.milex" in said


def test_a_broken_upload_shows_its_problems_and_the_app_goes_on(
    browser: Any, server: str, shots: Path, tmp_path: Path
) -> None:
    browser.get(server)
    wait_for(browser, lambda: by_text(browser, "label", "an uploaded TOML file"))[0].click()
    broken = tmp_path / "broken.toml"
    broken.write_text('[scenario]\nname = "broken"\nstart = 2001\n\n[[actor]]\nid = "usa"\nname = "US"\ngdp = -1\n')
    upload = wait_for(browser, lambda: browser.find_elements("css selector", 'input[type="file"]'))[0]
    upload.send_keys(str(broken))
    error = wait_for(browser, lambda: by_text(browser, '[data-testid="stAlert"]', "problem"))
    assert "broken.toml" in error[0].text
    text = browser.find_element("tag name", "body").text
    assert "Traceback" not in text and "actor[1]" in text
    browser.save_screenshot(str(shots / "dashboard-broken-upload.png"))
    # the app still works: every other page runs
    pages = (
        ("Compare", "Compare", '[data-testid="stImage"] img'),
        ("Forecast", "Forecast", '[data-testid="stImage"] img'),
        ("Claims", "Analyse the claims", '[data-testid="stTable"]'),
    )
    for page, button, shows in pages:
        wait_for(browser, lambda page=page: by_text(browser, '[data-testid="stSidebar"] label', page))[0].click()
        wait_for(browser, lambda page=page: by_text(browser, "h2", page))
        wait_for(browser, lambda button=button: by_text(browser, "button", button))[0].click()
        wait_for(browser, lambda shows=shows: browser.find_elements("css selector", shows), 300)
        settled(browser)
        browser.save_screenshot(str(shots / f"dashboard-{page.lower()}.png"))
        body = browser.find_element("tag name", "body").text
        assert "Traceback" not in body
        if page == "Compare":  # one table per variant against the baseline, as `alliancelab compare` prints
            assert "us-retrenchment: paired differences from the baseline, each run's mean over 2005-2030" in body
            # a static table: every indicator's row is on the page, the last one too
            rows = browser.find_elements("css selector", '[data-testid="stTable"] tbody tr')
            assert len(rows) == 11 and "hub-and-spoke share of years" in rows[-1].text
        if page == "Claims":  # every claim and its verdict are on the page, not scrolled out of a grid
            from alliancelab.experiments.claims import CLAIMS

            flat = " ".join(body.split())
            assert all(" ".join(c.text.split()) in flat for c in CLAIMS)
            labels = ("holds by ", "supported by estimated terms", "contradicted at the defaults", "not supported:")
            verdicts = sum(flat.count(v) for v in (*labels, "cannot tell:"))
            assert verdicts == len(CLAIMS)  # one verdict a row (each starts with one of these labels)


def test_the_network_layout_shows_every_tie_and_state() -> None:
    """The hub in the middle, its spokes around it, no two states in one place, every tie a line
    of visible length (the spring layout drew five allies on top of one another)."""
    import itertools

    import networkx as nx

    from alliancelab.dashboard.network import credible_ties, hub_and_spoke_layout
    from alliancelab.models.order.simulate import simulate

    ds = simulate("asia-pacific-2001", runs=30, years=3, seed=0, keep=["actor", "alliance"])
    g = nx.Graph()
    g.add_nodes_from(map(str, ds.actor.values))
    ties = credible_ties(ds, 2003, 0.5)
    assert {("jpn", "usa"), ("kor", "usa"), ("aus", "usa"), ("phl", "usa")} <= set(ties)
    g.add_edges_from(ties)
    pos = hub_and_spoke_layout(g)
    assert set(pos) == set(g.nodes) and pos["usa"] == pytest.approx((0.0, 0.0), abs=1e-9)
    gaps = [
        ((pos[a][0] - pos[b][0]) ** 2 + (pos[a][1] - pos[b][1]) ** 2) ** 0.5 for a, b in itertools.combinations(pos, 2)
    ]
    assert min(gaps) > 0.2  # no state hides another (and its label, drawn under it)
    radius = {s: round((pos[s][0] ** 2 + pos[s][1] ** 2) ** 0.5, 6) for s in pos}
    spokes = {radius[s] for s in g.neighbors("usa")}
    assert len(spokes) == 1  # the spokes on one ring around the hub, nearer than any other state
    assert all(radius[s] > max(spokes) for s in pos if s != "usa" and s not in set(g.neighbors("usa")))


def test_stopping_the_command_by_its_process_id_stops_its_server(tmp_path: Path) -> None:
    import signal
    import sys

    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "alliancelab", "dashboard", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/_stcore/health"
    try:
        for _ in range(120):
            try:
                if urllib.request.urlopen(url, timeout=1).status == 200:
                    break
            except OSError:
                time.sleep(0.5)
        else:
            raise AssertionError("the dashboard did not start")
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) is not None
        time.sleep(0.5)
        with pytest.raises(OSError):  # nothing serves on the port any more
            urllib.request.urlopen(url, timeout=2)
    finally:
        proc.kill()


def test_the_html_report_opens_with_its_sections_and_images(browser: Any, shots: Path, tmp_path: Path) -> None:
    """`alliancelab report` writes one self-contained file: opened in the browser it shows the
    scenarios and what differs, figures that load, the comparison, the claims' verdicts and the
    numbers' sources."""
    from typer.testing import CliRunner

    from alliancelab.cli import app

    out = tmp_path / "report.html"
    args = ["report", "asia-pacific-2001", "us-retrenchment", "-n", "40", "--years", "8", "--claims-samples", "2"]
    result = CliRunner().invoke(app, [*args, "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    assert "http" not in out.read_text().split("<h2>Citations")[0]  # nothing is fetched: images are inlined
    browser.get(out.as_uri())
    text = wait_for(browser, lambda: browser.find_element("tag name", "body").text)
    for heading in (
        "Scenarios",
        "Trajectories",
        "Paired comparison",
        "The book's claims",
        "Where the numbers come from",
    ):
        assert heading in text, heading
    assert "us-retrenchment: from 2005 engagement of usa = 0.45" in text
    assert text.count("SIPRI's record after 2001:") == 2  # one coverage line under each scenario's bands
    assert any(
        label in text for label in ("holds by ", "supported by estimated terms", "contradicted at", "cannot tell")
    )
    images = browser.find_elements("css selector", "img")
    assert len(images) == 8  # three per scenario, the paired differences and the trajectories
    assert all(browser.execute_script("return arguments[0].naturalWidth", img) > 100 for img in images)
    browser.save_screenshot(str(shots / "report.png"))
    bad = CliRunner().invoke(app, ["report", "asia-pacific-2001", "-o", str(tmp_path / "report.pdf")])
    assert bad.exit_code == 2 and "ending in .html" in bad.output
