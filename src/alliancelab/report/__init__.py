"""Report: summaries, comparisons and figures of simulation results (a leaf: imports the library)."""

from alliancelab.report.compare import compare_scenarios, comparison_table
from alliancelab.report.figures import write_figures
from alliancelab.report.summary import crisis_prone_dyads, order_by_decade, spending_bands, tidy_summary
from alliancelab.report.write import write_results

__all__ = [
    "compare_scenarios",
    "comparison_table",
    "crisis_prone_dyads",
    "order_by_decade",
    "spending_bands",
    "tidy_summary",
    "write_figures",
    "write_results",
]
