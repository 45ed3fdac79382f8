"""Up-front resource checks: refuse work that cannot fit in memory before it starts.

A command's peak is estimated as the memory the process already holds (its resident set, read
from the OS) plus what the work will add; the estimate is checked against a limit, 80 % of the
machine's physical memory by default, ``max_memory`` (bytes) where given (the command line's
``--max-memory`` in GB). ``tests/test_memory.py`` measures the peak of the commands beside
their estimates.
"""

from __future__ import annotations

import os

from alliancelab.errors import ParameterError

__all__ = ["DEFAULT_SHARE", "check_memory", "gigabytes", "physical_memory", "resident_memory"]

#: The share of physical memory a result may take by default.
DEFAULT_SHARE = 0.8


def physical_memory() -> int | None:
    """The machine's physical memory in bytes (None where the OS does not say)."""
    try:
        return int(os.sysconf("SC_PAGE_SIZE")) * int(os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, ValueError, OSError):
        return None


def resident_memory() -> int:
    """The memory this process holds now (its resident set, Linux ``/proc/self/statm``; where the
    OS does not say, its peak so far from ``getrusage``; 0 where neither is known)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * int(os.sysconf("SC_PAGE_SIZE"))
    except (OSError, ValueError, IndexError):
        pass
    try:
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return int(peak) * (1 if os.uname().sysname == "Darwin" else 1024)
    except (ImportError, OSError, ValueError):
        return 0


def gigabytes(n: float) -> str:
    """A size in bytes for a reader: GB, MB or kB."""
    for unit, size in (("GB", 2**30), ("MB", 2**20)):
        if n >= size / 10:
            return f"{n / size:,.2f} {unit}"
    return f"{n / 2**10:,.1f} kB"


def check_memory(needed: int, what: str, owner: str, max_memory: int | None = None) -> int:
    """Refuse work that would add ``needed`` bytes to this process when its estimated peak (what it
    holds now plus ``needed``) is above ``max_memory`` (default: 80 % of physical memory).
    Returns the estimated peak in bytes."""
    if max_memory is not None and (isinstance(max_memory, bool) or not isinstance(max_memory, int) or max_memory < 1):
        raise ParameterError("max_memory", owner, "None or a number of bytes >= 1", max_memory)
    held = resident_memory()
    peak = held + int(needed)
    total = physical_memory()
    limit = max_memory if max_memory is not None else (int(DEFAULT_SHARE * total) if total else None)
    if limit is not None and peak > limit:
        source = "max_memory" if max_memory is not None else f"{DEFAULT_SHARE:.0%} of this machine's memory"
        expected = (
            f"at least the {gigabytes(peak)} at its peak that {what} would take ({gigabytes(held)} already "
            "held; ask for fewer runs, years or outputs"
        )
        err = ParameterError("max_memory", owner, expected + ", or raise max_memory)", f"{gigabytes(limit)} ({source})")
        err.command_line = str(err).replace("raise max_memory", "raise --max-memory")
        raise err
    return peak
