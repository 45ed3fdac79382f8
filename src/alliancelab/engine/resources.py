"""Up-front resource checks: refuse work whose results cannot fit in memory before it starts.

The default limit is 80 % of the machine's physical memory; ``max_memory`` (bytes) overrides it
(the command line's ``--max-memory`` in GB).
"""

from __future__ import annotations

import os

from alliancelab.errors import ParameterError

__all__ = ["DEFAULT_SHARE", "check_memory", "gigabytes", "physical_memory"]

#: The share of physical memory a result may take by default.
DEFAULT_SHARE = 0.8


def physical_memory() -> int | None:
    """The machine's physical memory in bytes (None where the OS does not say)."""
    try:
        return int(os.sysconf("SC_PAGE_SIZE")) * int(os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, ValueError, OSError):
        return None


def gigabytes(n: float) -> str:
    """A size in bytes for a reader: GB, MB or kB."""
    for unit, size in (("GB", 2**30), ("MB", 2**20)):
        if n >= size / 10:
            return f"{n / size:,.2f} {unit}"
    return f"{n / 2**10:,.1f} kB"


def check_memory(needed: int, what: str, owner: str, max_memory: int | None = None) -> None:
    """Refuse ``needed`` bytes above ``max_memory`` (default: 80 % of physical memory)."""
    if max_memory is not None and (isinstance(max_memory, bool) or not isinstance(max_memory, int) or max_memory < 1):
        raise ParameterError("max_memory", owner, "None or a number of bytes >= 1", max_memory)
    total = physical_memory()
    limit = max_memory if max_memory is not None else (int(DEFAULT_SHARE * total) if total else None)
    if limit is not None and needed > limit:
        source = "max_memory" if max_memory is not None else f"{DEFAULT_SHARE:.0%} of this machine's memory"
        expected = f"at least the {gigabytes(needed)} {what} would take (ask for fewer runs, years or outputs"
        err = ParameterError("max_memory", owner, expected + ", or raise max_memory)", f"{gigabytes(limit)} ({source})")
        err.command_line = str(err).replace("raise max_memory", "raise --max-memory")
        raise err
