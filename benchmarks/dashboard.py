"""Time the dashboard and the report as a user meets them (targets from the issue in brackets):

- the first page interactive on 127.0.0.1 (< 3 s), in headless Chromium;
- a 1,000-run x 30-year rerun after a slider move (< 2 s), from the click to the new figure;
- `alliancelab report` for three scenarios (< 60 s).

    python benchmarks/dashboard.py     (needs Debian's chromium and chromium-driver)
"""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from alliancelab.dashboard import command


def wait(find, timeout=300.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            found = find()
        except Exception:
            found = None
        if found:
            return found
        time.sleep(0.05)
    raise TimeoutError


def main() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(command(port), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    wait(lambda: urllib.request.urlopen(url + "/_stcore/health", timeout=1).status == 200, 60)
    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1200"):
        opts.add_argument(arg)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)

    def button(text):
        return [b for b in driver.find_elements("css selector", "button") if b.text == text]

    def image():
        for box in driver.find_elements("css selector", '[data-testid="stImage"]'):
            if "Military spending" in box.text:
                img = box.find_element("css selector", "img")
                if driver.execute_script("return arguments[0].naturalWidth", img) > 0:
                    return img.get_attribute("src")
        return ""

    def slider(label):
        box = next(e for e in driver.find_elements("css selector", '[data-testid="stSlider"]') if label in e.text)
        return box.find_element("css selector", 'input[type="range"]')

    def press(knob, key, times):
        driver.execute_script("arguments[0].focus()", knob)
        ActionChains(driver).send_keys(*[key] * times).perform()

    try:
        for attempt in ("cold", "warm"):
            start = time.perf_counter()
            driver.get(url)
            wait(lambda: button("Run"))
            print(f"first page interactive ({attempt} server): {time.perf_counter() - start:.2f} s  [target < 3 s]")
        press(slider("Runs"), Keys.ARROW_RIGHT, 14)  # 300 -> 1,000 runs (years stay at 30)
        wait(lambda: slider("Runs").get_attribute("aria-valuetext") == "1000")
        button("Run")[0].click()
        first = wait(image)
        reruns = []
        for _k in range(5):
            press(slider("U.S. engagement"), Keys.ARROW_LEFT, 1)
            time.sleep(0.5)
            start = time.perf_counter()
            wait(lambda: button("Run"))[0].click()
            first = wait(lambda first=first: image() not in ("", first) and image())
            reruns.append(time.perf_counter() - start)
        print(
            f"1,000 runs x 30 years rerun after a slider move: median {sorted(reruns)[2]:.2f} s of 5 "
            f"({', '.join(f'{t:.2f}' for t in reruns)})  [target < 2 s]"
        )
    finally:
        driver.quit()
        server.terminate()
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "alliancelab", "report", "asia-pacific-2001", "us-retrenchment", "japan-uk-model",
             "-o", str(Path(tmp) / "report.html"), "-q"],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        print(f"report for three scenarios (500 runs each, claims design 4): {time.perf_counter() - start:.1f} s  "
              "[target < 60 s]")  # fmt: skip


if __name__ == "__main__":
    main()
