"""One figure style for every command: ``run``, ``compare``, ``forecast``, ``backtest``, the report
and the dashboard draw with these settings and helpers.

- Colours: the Okabe–Ito palette (Okabe & Ito 2008, "Color Universal Design"), distinct for
  readers with a colour-vision deficiency; past eight series, Matplotlib's ``tab20``, and past
  twenty a dash tells repeated colours apart.
- A band is the 10–90 % of runs, its line the median; the observed record is drawn in black dots;
  the start-year value is a dotted grey line; shock years are dashed vermilion lines.
- Every panel is titled with the state's name and every y-axis carries its unit.
- Panels sit on a fixed grid (no layout search): a 15-panel figure draws in a third of the time
  Matplotlib's ``tight_layout`` takes, which is what keeps the dashboard's rerun quick.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import wraps
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from cycler import cycler
from matplotlib.ticker import MaxNLocator
from numpy.typing import ArrayLike

from alliancelab.engine.manifest import read_manifest
from alliancelab.report.saving import save_figure

__all__ = [
    "BAND",
    "DPI",
    "OBSERVED",
    "OKABE_ITO",
    "SHOCK",
    "START",
    "STYLE",
    "band",
    "colours",
    "finish",
    "grid",
    "make_room",
    "mark_shocks",
    "observed",
    "shock_years",
    "styled",
]

#: Okabe & Ito's eight colours, black last (kept for the observed record).
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
#: The model's band and median.
BAND = OKABE_ITO[0]
#: The observed record.
OBSERVED = "#000000"
#: Shock years.
SHOCK = "#A50026"  # dark red, outside the palette
#: The start-year value and zero lines.
START = "#777777"
#: Resolution of every saved figure (dots per inch).
DPI = 100

STYLE: dict[str, Any] = {
    "text.parse_math": False,  # names and titles from data are text: "$" never starts a formula
    "font.size": 8,
    "axes.titlesize": 8.5,
    "axes.titley": 1.0,  # a fixed title position: Matplotlib's automatic one measures every tick label
    "axes.titlepad": 4.0,
    "axes.labelsize": 8,
    "xtick.labelsize": 7,
    "ytick.labelsize": 7,
    "legend.fontsize": 7,
    "legend.frameon": False,
    "figure.titlesize": 9.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.color": "#e5e5e5",
    "grid.linewidth": 0.6,
    "axes.prop_cycle": cycler(color=list(OKABE_ITO[:7])),
    "lines.linewidth": 1.3,
    "savefig.dpi": DPI,
    "figure.dpi": DPI,
    "image.cmap": "Reds",
}

P = ParamSpec("P")
R = TypeVar("R")


def styled(draw: Callable[P, R]) -> Callable[P, R]:
    """Draw (and save) a figure under :data:`STYLE`."""

    @wraps(draw)
    def inner(*args: P.args, **kwargs: P.kwargs) -> R:
        with plt.rc_context(STYLE):  # type: ignore[arg-type]
            return draw(*args, **kwargs)

    return inner


def colours(n: int) -> list[tuple[str, str]]:
    """``n`` (colour, line style) pairs, distinct while ``n`` ≤ 20: Okabe–Ito up to seven
    series, ``tab20`` up to twenty, then dashes over the repeated colours."""
    if n <= 7:
        return [(c, "-") for c in OKABE_ITO[:n]]
    cmap = plt.get_cmap("tab20")
    return [(matplotlib.colors.to_hex(cmap(k % 20)), "-" if k < 20 else "--") for k in range(n)]


def grid(
    n: int,
    cols: int,
    panel: tuple[float, float] = (3.0, 2.1),
    title_lines: int = 1,
    sharex: bool = False,
    left: float = 0.55,
    bottom: float = 0.4,
    gap: float = 0.6,
    years: bool = False,
) -> tuple[Any, Any]:
    """A figure of ``n`` panels, ``cols`` across, on fixed margins and a ``gap`` between rows (in
    inches); unused panels hidden. ``years``: the x-axes are years (whole-number ticks)."""
    cols = max(1, min(cols, n))
    rows = max(1, -(-n // cols))
    top = 0.45 + 0.18 * title_lines
    width = left + cols * panel[0] + 0.15
    height = top + rows * panel[1] + (rows - 1) * gap + bottom
    fig, axes = plt.subplots(rows, cols, figsize=(width, height), sharex=sharex, squeeze=False)
    fig.subplots_adjust(
        left=left / width,
        right=1 - 0.15 / width,
        top=1 - top / height,
        bottom=bottom / height,
        wspace=0.28,
        hspace=gap / panel[1],
    )
    for ax in axes.ravel()[:n]:
        ax.yaxis.set_major_locator(MaxNLocator(5))
        if years:
            ax.xaxis.set_major_locator(MaxNLocator(5, integer=True, steps=[1, 2, 5, 10]))
    for ax in axes.ravel()[n:]:
        ax.axis("off")
    return fig, axes


def band(
    ax: Any, x: ArrayLike, lo: ArrayLike, mid: ArrayLike, hi: ArrayLike, colour: str = BAND, label: str = "model"
) -> None:
    """The runs' 10–90 % band and their median."""
    ax.fill_between(x, lo, hi, color=colour, alpha=0.25, lw=0, label=f"{label}: 10-90% of runs")
    ax.plot(x, mid, color=colour, label=f"{label}: median")


def observed(ax: Any, x: ArrayLike, y: ArrayLike, source: str) -> None:
    """The observed record, as black dots."""
    ax.plot(x, y, ".", color=OBSERVED, markersize=3.5, label=f"observed ({source})")


def shock_years(ds: Any) -> list[int]:
    """The years the scenario's shocks take effect within the run (from its manifest). A lever
    set in most of the run's years (a history scenario's realised growth) is a series, not an
    event: its years are not marked."""
    try:
        shocks = read_manifest(ds)["resolved_scenario"].get("shock", [])
    except (KeyError, ValueError, TypeError):
        return []
    first, last = int(ds.year.values[0]), int(ds.year.values[-1])
    dated = [s for s in shocks if isinstance(s, dict) and "year" in s and first < int(s["year"]) <= last]
    span = {
        lever: {int(s["year"]) for s in dated if s.get("lever") == lever} for lever in {s.get("lever") for s in dated}
    }
    series = {lever for lever, years in span.items() if len(years) > (last - first) / 2 and len(years) > 2}
    return sorted({int(s["year"]) for s in dated if s.get("lever") not in series})


def mark_shocks(ax: Any, years: Sequence[int]) -> None:
    """A dashed line at each shock year."""
    for year in years:
        ax.axvline(year, color=SHOCK, lw=0.8, ls="--", alpha=0.7)


def make_room(fig: Any, pad: float = 0.04) -> None:
    """Grow the figure where a legend, label or tick label reaches past its edge, keeping every
    panel's size and the gaps between them: nothing drawn is cut off in the saved image."""
    fig.canvas.draw()
    tight = fig.get_tightbbox(fig.canvas.get_renderer())  # inches, whatever is drawn
    w, h = fig.get_size_inches()
    left, bottom = max(0.0, pad - tight.x0), max(0.0, pad - tight.y0)
    right, top = max(0.0, tight.x1 - w + pad), max(0.0, tight.y1 - h + pad)
    if left + bottom + right + top < 1e-3:
        return
    new_w, new_h = w + left + right, h + bottom + top
    for ax in fig.axes:
        box = ax.get_position()
        ax.set_position(
            [(box.x0 * w + left) / new_w, (box.y0 * h + bottom) / new_h, box.width * w / new_w, box.height * h / new_h]
        )
    for text in fig.texts:
        x, y = text.get_position()
        text.set_position(((x * w + left) / new_w, (y * h + bottom) / new_h))
    if fig._suptitle is not None:  # the title stays centred over the figure
        x, y = fig._suptitle.get_position()
        fig._suptitle.set_position((x, (y * h + bottom) / new_h))
    fig.set_size_inches(new_w, new_h)


def finish(fig: Any, path: Path, title: str | None = None) -> Path:
    """Title, make room for what reaches past the edge, save (whole, never through a link) and
    close a figure."""

    if title:
        fig.suptitle(title)
    make_room(fig)
    save_figure(fig, path)
    plt.close(fig)
    return path
