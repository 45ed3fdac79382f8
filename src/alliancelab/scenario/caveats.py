"""What a reader of a result must know about its scenario's facts: values still at defaults the
data cannot give (``[scenario] review``) and facts carried past their source's end
(``[[carried]]``). ``run`` prints them under its summary, the report above its figures, and
``run --reviewed`` refuses a scenario with values still to review.
"""

from __future__ import annotations

from alliancelab.scenario.model import Scenario

__all__ = ["STALE_YEARS", "caveats", "stale", "unreviewed"]

#: Facts carried more than this many years are named under a result (an assumption: a source's
#: last observation five years on differs from its record in most facts that move; docs/data.md).
STALE_YEARS = 3


def _listed(items: list[str], most: int = 4) -> str:
    shown = ", ".join(items[:most])
    return shown + (f" and {len(items) - most} more" if len(items) > most else "")


def unreviewed(scenario: Scenario) -> str | None:
    """The sentence naming the values still to review, or None when none are listed."""
    review = scenario.scenario.review
    if not review:
        return None
    some = "1 value is a default" if len(review) == 1 else f"{len(review)} values are defaults"
    return (
        f"{some} the data cannot give and not yet reviewed "
        f"({_listed(review)}): check each and take it out of [scenario] review"
    )


def stale(scenario: Scenario, stale_years: int = STALE_YEARS) -> list[str]:
    """A sentence per group of facts carried more than ``stale_years`` years (which, from which
    source and year, and how far), oldest first."""
    return [
        f"carried {years} years: {_listed(entry.facts)} from {entry.source} {entry.year}"
        + (f" ({entry.note})" if entry.note else "")
        for entry, years in sorted(scenario.carried_over(stale_years), key=lambda e: -e[1])
    ]


def caveats(scenario: Scenario, stale_years: int = STALE_YEARS) -> list[str]:
    """Sentences for a reader: the values to review, then the facts carried more than
    ``stale_years`` years (:func:`stale`)."""
    return [s for s in (unreviewed(scenario),) if s is not None] + stale(scenario, stale_years)
