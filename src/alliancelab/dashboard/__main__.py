"""Serve the dashboard: ``python -m alliancelab.dashboard APP [streamlit options]``.

Streamlit imports a script's libraries on its first run, that is, while the first visitor waits
(about a second and a half here). This entry point imports them first, then hands over to
Streamlit's own command line (``streamlit run APP ...``), so the server answers its health check
only once they are loaded.
"""

from __future__ import annotations

import sys


def preload() -> None:
    """Import what the pages use (Matplotlib, pandas, the scenarios, the parameter sets and the
    engine, whose numba import would otherwise delay the first run)."""
    import matplotlib.pyplot  # noqa: F401
    import pandas  # noqa: F401

    import alliancelab.dashboard.levers
    import alliancelab.models.order.paramsets
    import alliancelab.models.order.simulate
    import alliancelab.report.style
    import alliancelab.scenario  # noqa: F401


def main() -> None:
    from streamlit.web import cli

    preload()
    sys.argv = ["streamlit", "run", *sys.argv[1:]]
    cli.main()


if __name__ == "__main__":
    main()
