"""What every command shares: the app, the consoles, the one guard, the one progress bar,
the common options and the table helpers."""

from __future__ import annotations

import functools
import numbers
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, TextIO, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from alliancelab.errors import AllianceLabError, ParameterError

__all__ = [
    "DEFAULT_SCENARIO",
    "Bar",
    "app",
    "cell",
    "console",
    "err_console",
    "frame_table",
    "guarded",
    "listing",
    "print_table",
    "progress",
    "simulate_with_progress",
    "steps",
    "writable",
]

app = typer.Typer(
    name="alliancelab",
    help="A laboratory for alliance politics and regional security orders.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True)


def _version(value: bool) -> None:
    if value:
        from alliancelab.engine.manifest import package_version

        console.print(f"alliancelab {package_version()}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="print the version and exit")
    ] = False,
) -> None:
    """A laboratory for alliance politics and regional security orders."""


F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_SCENARIO = "asia-pacific-2001"


def guarded(command: F) -> F:
    """The one guard: alliancelab errors are printed plainly (no traceback), exit status 2."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("default")  # shown once each, as a plain line
                warnings.showwarning = _show_warning
                return command(*args, **kwargs)
        except AllianceLabError as exc:
            # the message as plain text: a file name or value holding [brackets] is not markup
            message = Text.assemble(("error:", "bold red"), " ", plain(exc.command_line or str(exc)))
            err_console.print(message, highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None

    return run  # type: ignore[return-value]


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    """A warning as one plain line on stderr, as the command line's own messages are printed."""
    err_console.print(Text.assemble(("warning:", "yellow"), " ", plain(message)), highlight=False, soft_wrap=True)


def writable(out: Path) -> Path:
    """Check an output directory before any work runs, so no result is lost at the end.

    The probe is a new file of a name no one can predict, created exclusively (``mkstemp``:
    ``O_CREAT | O_EXCL``, which never opens an existing file or follows a link), then removed: a
    link planted in the folder is never written through."""
    from alliancelab.data.download import probe_writable

    try:
        probe_writable(out, prefix=".alliancelab-write-test-")
    except OSError as exc:
        raise ParameterError(
            "--out", "alliancelab", "a directory that can be created and written", f"{out} ({exc.strerror})"
        ) from None
    return out


class Bar:
    """A live progress bar: :meth:`advance` by finished units, or :meth:`update` to a count."""

    def __init__(self, bar: Progress, task: Any) -> None:
        self._bar, self._task = bar, task

    def advance(self, n: int) -> None:
        self._bar.advance(self._task, n)

    def update(self, completed: int, **fields: Any) -> None:
        self._bar.update(self._task, completed=completed, **fields)


@contextmanager
def progress(label: str, total: int, unit: str, quiet: bool, done: int = 0, **fields: Any) -> Iterator[Bar | None]:
    """The one progress bar (on stderr, gone when finished): ``total`` units of ``unit``, with the
    time left; ``fields`` are shown after the unit (e.g. ``best`` for a calibration). Yields None
    when quiet."""
    if quiet:
        yield None
        return
    extra = "".join(f", {k} {{task.fields[{k}]:.4f}}" for k in fields)
    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn(unit + extra),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err_console, transient=True) as bar:
        yield Bar(bar, bar.add_task(label, total=total, completed=done, **fields))


def steps(quiet: bool) -> Callable[[str], None] | None:
    """Progress for multi-step work: each step is printed as it starts (with the elapsed time)."""
    if quiet:
        return None
    t0 = time.perf_counter()

    def say(msg: str) -> None:
        err_console.print(f"[dim]{time.perf_counter() - t0:6.1f} s[/] {msg}", highlight=False)

    return say


def simulate_with_progress(scenario: str, label: str, quiet: bool, **kwargs: Any) -> Any:
    """:func:`~alliancelab.models.order.simulate.simulate` with a progress bar over runs."""
    from alliancelab.engine.backends import get_backend
    from alliancelab.models.order.family import ORDER
    from alliancelab.models.order.simulate import simulate

    if not get_backend(kwargs.get("backend", "numba")).ready(ORDER):  # said under --quiet too: a minute's wait
        err_console.print("compiling the engine kernel (first run after installing; about a minute)")
    with progress(label, kwargs["runs"], "runs", quiet) as bar:
        return simulate(scenario, progress=bar.advance if bar else None, **kwargs)


#: How a table shows a value that does not exist (a NaN): an absorbed term, an unscorable pair.
MISSING = "—"


def plain(text: Any) -> str:
    r"""Text from a file or a table, made safe to print: control characters (terminal escape
    sequences among them) shown as their code (``\x1b``), never sent to the terminal. Print it
    as a :class:`rich.text.Text`, so square brackets stay text too, never Rich markup.

    >>> plain("Japan\x1b[2J")
    'Japan\\x1b[2J'
    """
    out = []
    for ch in str(text):
        code = ord(ch)
        out.append(ch if ch in "\n\t" or (code >= 32 and not 0x7F <= code <= 0x9F) else f"\\x{code:02x}")
    return "".join(out)


def frame_table(df: Any, title: str, fmt: str = "{:.2f}", index_name: str = "") -> Table:
    """A DataFrame as a plain table; missing values show as :data:`MISSING`, not "nan". On a narrow
    terminal names and headers fold onto more lines; values keep their full width: nothing is cut."""
    table = Table(title=title, title_justify="left", box=None, pad_edge=False)
    # every cell is text (never markup), with control characters shown, not sent; ints stay ints
    rows = [(plain(idx), *(plain(cell(v, fmt)) for v in row)) for idx, *row in df.itertuples(name=None)]
    longest = max((len(r[0]) for r in rows), default=1)
    table.add_column(index_name, overflow="fold", min_width=min(longest, 16))  # long names fold past 16
    for k, col in enumerate(df.columns, start=1):
        widest = max((len(r[k]) for r in rows), default=1)
        label = " ".join(map(str, col)) if isinstance(col, tuple) else str(col)
        table.add_column(label, justify="right", overflow="fold", min_width=widest)
    for r in rows:
        table.add_row(*map(Text, r))
    return table


def print_table(table: Table) -> None:
    """Print a table whole: where its narrowest layout is wider than the terminal, it is printed
    at that width (the terminal wraps the lines) rather than cropped."""
    from rich.measure import Measurement

    needed = Measurement.get(console, console.options, table).minimum
    console.print(table, width=max(console.width, needed), crop=False)


def cell(v: Any, fmt: str) -> str:
    """A value as a table shows it: floats by ``fmt`` (a NaN as :data:`MISSING`), the rest as text."""
    if isinstance(v, numbers.Real) and not isinstance(v, numbers.Integral):  # Python and NumPy floats
        return MISSING if v != v else fmt.format(v)
    return str(v)


def listing(key: str, value: str, items: dict[str, str], title: str | None = None) -> Table:
    """A two-column table of names and one-line descriptions."""
    table = Table(title=title, title_justify="left", show_edge=False)
    table.add_column(key, style="bold")
    table.add_column(value)
    for name, text in items.items():
        table.add_row(name, text)
    return table


RunsOpt = Annotated[int, typer.Option("--runs", "-n", help="ensemble size (runs)")]
YearsOpt = Annotated[
    int | None, typer.Option("--years", "-y", min=1, max=200, help="horizon in years (default: the scenario's)")
]
SeedOpt = Annotated[int, typer.Option("--seed", "-s", help="explicit random seed")]
KeepOpt = Annotated[str, typer.Option(help="outputs to keep: all, or groups/names (actor,alliance,dyad,region)")]
WorkersOpt = Annotated[int, typer.Option(min=1, max=1024, help="worker threads (numba) or processes (numpy, jax)")]
BackendOpt = Annotated[str, typer.Option(help="engine backend: numba (fused kernel), numpy or jax")]
MaxMemoryOpt = Annotated[
    float | None,
    typer.Option(
        help="the most memory the command may hold at its estimated peak, in GB "
        "(default: 80 % of this machine's memory)"
    ),
]


def memory_bytes(gb: float | None) -> int | None:
    """``--max-memory`` in bytes."""
    if gb is None:
        return None
    if not 0 < gb <= 2**40:  # NaN and infinity fail too
        raise ParameterError("--max-memory", "alliancelab", "a positive number of GB, at most 2**40", gb)
    return int(gb * 2**30)


QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="no progress bar")]
ParamsOpt = Annotated[
    str, typer.Option("--params", "-p", help="a named parameter set (see `alliancelab params`) or a .toml file")
]
