"""The browser dashboard (Streamlit): move the book's levers and watch the bands change.

Streamlit, because its script model keeps the app a plain Python file over the library's own
functions (no callbacks or front-end code), it ships sliders, file upload, tables, downloads and
progress bars, and it serves on 127.0.0.1 with nothing else to install. ``alliancelab dashboard``
starts it (``python -m alliancelab.dashboard``: Streamlit's server, with the libraries the first
page needs imported before it listens, so the first visitor does not wait for them);
:mod:`.app` is the script, :mod:`.levers` the pure mapping from the controls to a scenario
(tested without a browser), and ``tests/test_dashboard.py`` drives the real app in a
headless Chromium.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["APP", "command"]

#: The Streamlit script.
APP = Path(__file__).with_name("app.py")


def command(port: int, address: str = "127.0.0.1", headless: bool = True) -> list[str]:
    """The command line that serves the dashboard on ``address:port``."""
    import sys

    return [
        sys.executable, "-m", "alliancelab.dashboard", str(APP),
        "--server.address", address, "--server.port", str(port),
        "--server.headless", "true" if headless else "false",
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
