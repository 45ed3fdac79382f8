"""``python -m alliancelab``."""

from alliancelab.cli import app

app(prog_name="alliancelab")
