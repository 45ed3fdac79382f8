"""A command's estimated peak memory, beside the peak the OS measures.

Each command that allocates in proportion to its inputs (runs, scenarios, copies, rounds) checks
an estimate of its peak against ``--max-memory`` before it starts. Here the estimate is read
from the refusal under a tiny limit, and the same command is then run in a child process whose
peak resident set the OS reports (``getrusage``); the two must agree within 25 %.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

UNITS = {"GB": 2**30, "MB": 2**20, "kB": 2**10}
MEASURE = (
    "import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], capture_output=True); "
    "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "alliancelab", *args]


def estimated_peak(args: list[str]) -> float:
    """The estimate a command states when its limit refuses it (bytes)."""
    refused = subprocess.run(_cli(*args, "--max-memory", "0.000001"), capture_output=True, text=True)
    assert refused.returncode == 2, refused.stdout + refused.stderr
    text = " ".join((refused.stdout + refused.stderr).split())
    found = re.search(r"at least the ([\d.,]+) (GB|MB|kB) at its peak", text)
    assert found, text
    return float(found.group(1).replace(",", "")) * UNITS[found.group(2)]


def measured_peak(args: list[str]) -> float:
    """The peak resident set of the command run to its end (bytes; Linux reports kB)."""
    done = subprocess.run([sys.executable, "-c", MEASURE, *_cli(*args)], capture_output=True, text=True, check=True)
    code, peak = done.stdout.split()
    assert code == "0", done.stdout + done.stderr
    return int(peak) * 1024


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="getrusage's units and /proc are Linux's")
@pytest.mark.parametrize(
    "command",
    [
        ["run", "-n", "500", "--no-figures", "--tables", "parquet"],
        ["run", "-n", "5000", "--no-figures", "--tables", "parquet"],
        ["compare", "asia-pacific-2001", "us-retrenchment", "-n", "3000"],
        ["forecast", "ec-emissions-1994", "--perturb", "40000"],
    ],
    ids=["run-500", "run-5000", "compare-3000", "forecast-40000"],
)
def test_estimated_peak_is_within_a_quarter_of_the_measured_peak(command: list[str], tmp_path) -> None:
    args = [*command, "-q", "-o", str(tmp_path / "out")]
    estimate = estimated_peak(args)
    peak = measured_peak(args)
    assert abs(estimate - peak) <= 0.25 * peak, f"estimated {estimate / 2**20:.0f} MB, measured {peak / 2**20:.0f} MB"
