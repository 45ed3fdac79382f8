"""Dyad-year building speed: all directed dyad-years 1946–2012 with alliances, capabilities,
contiguity and MIDs joined (the issue's target: under 30 s and under 2 GB peak memory).

Usage: ``python benchmarks/data.py [--start 1946] [--end 2012]``. Reads ``$ALLIANCELAB_DATA`` or
``shared/data`` beside the checkout. Prints the time of each step, the rows, and peak memory;
as a baseline measured in the same run, the same joins done row by row in Python for one year.
"""

from __future__ import annotations

import argparse
import resource
import time

from alliancelab.data import load_alliances, load_nmc
from alliancelab.data.dyads import add_alliances, add_capabilities, add_contiguity, add_mids, dyad_years


def peak_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def naive_year(year: int) -> int:
    """The same alliance and capability join for one year, looping over dyads in Python."""
    dy = dyad_years(year, year)
    ally = load_alliances("dyad_year")
    ally = {
        (int(a), int(b)): int(d)
        for a, b, y, d in ally[["ccode1", "ccode2", "year", "cow_defense"]].to_numpy()
        if y == year
    }
    nmc = load_nmc(6)
    cap = {int(c): v for c, y, v in nmc[["ccode", "year", "cinc"]].to_numpy() if y == year}
    n = 0
    for a, b in dy[["ccode1", "ccode2"]].to_numpy(int):
        _ = (ally.get((a, b), 0), cap.get(a), cap.get(b))
        n += 1
    return n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--start", type=int, default=1946)
    parser.add_argument("--end", type=int, default=2012)
    args = parser.parse_args()
    total = time.perf_counter()
    steps = [
        ("dyad_years", lambda _: dyad_years(args.start, args.end)),
        ("add_alliances", add_alliances),
        ("add_capabilities", add_capabilities),
        ("add_contiguity", add_contiguity),
        ("add_mids", add_mids),
    ]
    dy = None
    for name, fn in steps:
        t = time.perf_counter()
        dy = fn(dy)
        print(f"  {name:18s} {time.perf_counter() - t:6.2f} s   rows {len(dy):,}")
    elapsed = time.perf_counter() - total
    assert dy is not None
    print(f"all directed dyad-years {args.start}-{args.end}: {len(dy):,} rows x {dy.shape[1]} columns")
    print(f"  total {elapsed:.2f} s (target < 30 s); peak memory {peak_gb():.2f} GB (target < 2 GB)")
    t = time.perf_counter()
    rows = naive_year(2000)
    naive = time.perf_counter() - t
    years = args.end - args.start + 1
    print(f"baseline: row-by-row alliance+CINC join for 2000 only ({rows:,} dyads): {naive:.2f} s")
    pace = naive * years / elapsed
    print(f"  vectorised, all {years} years and four joins: {elapsed:.2f} s ({pace:.0f}x the baseline's pace)")


if __name__ == "__main__":
    main()
