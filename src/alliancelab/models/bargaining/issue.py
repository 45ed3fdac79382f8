"""Issue files for the bargaining model: stakeholders on a one-dimensional issue scale.

Two formats:

- TOML, with an ``[issue]`` table (``name``, ``title``, ``question``, the scale's ends ``low`` and
  ``high`` and what they mean, ``status`` saying where the estimates come from) and one
  ``[[stakeholder]]`` table per actor (``actor``, ``capability``, ``position``, ``salience``, and
  ``reasoning``, the case for each number);
- CSV with the columns ``actor,capability,position,salience``; the scale is then the range of the
  positions.

Salience is in [0, 1]; capability is any non-negative number (only ratios matter). Every problem in
a file is reported at once, with its location.
"""

from __future__ import annotations

import csv
import io
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from alliancelab.errors import IssueError, Problem, pydantic_problems, suggest, toml_document

__all__ = ["Issue", "IssueError", "Stakeholder", "issue_from_table", "list_issues", "load_issue"]

CSV_COLUMNS = ("actor", "capability", "position", "salience")


class Stakeholder(BaseModel):
    """One actor in the debate."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    actor: str = Field(min_length=1, description="Who: a state, agency, party or faction.")
    capability: float = Field(
        ge=0, le=1e15, allow_inf_nan=False, description="Clout on this issue; only ratios between actors matter."
    )
    position: float = Field(ge=-1e15, le=1e15, allow_inf_nan=False, description="Preferred outcome on the issue scale.")
    salience: float = Field(ge=0, le=1, allow_inf_nan=False, description="How much the actor cares, from 0 to 1.")
    reasoning: str = Field(default="", description="Why these numbers: the estimate's case.")


class Issue(BaseModel):
    """A contested decision: the scale, its meaning, and the stakeholders."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    title: str = ""
    question: str = Field(default="", description="The decision being forecast.")
    low: float = Field(ge=-1e15, le=1e15, allow_inf_nan=False, description="The scale's low end.")
    high: float = Field(ge=-1e15, le=1e15, allow_inf_nan=False, description="The scale's high end.")
    low_means: str = ""
    high_means: str = ""
    units: str = ""
    status: str = Field(default="", description="Where the numbers come from (e.g. illustrative estimates).")
    source: str = ""
    stakeholders: tuple[Stakeholder, ...]

    @model_validator(mode="after")
    def _check(self) -> Issue:
        problems = _consistency(self.low, self.high, [s.model_dump() for s in self.stakeholders])
        if problems:
            raise ValueError("; ".join(str(p) for p in problems))
        return self

    @property
    def width(self) -> float:
        """Δ, the length of the issue scale."""
        return self.high - self.low

    @property
    def actors(self) -> list[str]:
        return [s.actor for s in self.stakeholders]


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _consistency(low: Any, high: Any, stakeholders: list[Any]) -> list[Problem]:
    """Checks across fields; tolerant of values that already failed their own field checks."""
    problems: list[Problem] = []
    lo, hi = _number(low), _number(high)
    scale_ok = lo is not None and hi is not None and hi > lo
    if lo is not None and hi is not None and not hi > lo:
        problems.append(Problem("issue.high", f"must be above low ({lo}); got {hi}"))
    if len(stakeholders) < 3:
        problems.append(Problem("stakeholder", f"the model needs at least three actors; got {len(stakeholders)}"))
    seen: dict[str, int] = {}
    weight = 0.0
    for k, st in enumerate(stakeholders, start=1):
        if not isinstance(st, dict):
            continue
        actor = str(st.get("actor", ""))
        where = f"stakeholder[{k}] ({actor!r})"
        if actor in seen:
            problems.append(Problem(where + ".actor", f"duplicate actor; first given as stakeholder[{seen[actor]}]"))
        seen.setdefault(actor, k)
        x = _number(st.get("position"))
        if scale_ok and x is not None and not lo <= x <= hi:  # type: ignore[operator]
            problems.append(Problem(where + ".position", f"must lie on the scale [{lo}, {hi}]; got {x}"))
        c, s = _number(st.get("capability")), _number(st.get("salience"))
        if c is not None and s is not None and c >= 0 and 0 <= s <= 1:
            weight += c * s
    if stakeholders and weight <= 0:
        problems.append(Problem("stakeholder", "at least one actor needs capability > 0 and salience > 0"))
    return problems


def _where(loc: tuple[int | str, ...], stakeholders: list[Any]) -> str:
    if not loc:
        return "issue"
    if loc[0] == "stakeholders" and len(loc) > 1 and isinstance(loc[1], int):
        k = loc[1]
        entry = stakeholders[k] if k < len(stakeholders) else None
        name = f" ({entry.get('actor')!r})" if isinstance(entry, dict) and "actor" in entry else ""
        rest = "".join(f".{p}" for p in loc[2:])
        return f"stakeholder[{k + 1}]{name}{rest}"
    return "issue." + ".".join(str(p) for p in loc)


def issue_from_table(meta: dict[str, Any], stakeholders: list[Any], source: str) -> Issue:
    """Validate an ``[issue]`` table and its stakeholders; raise :class:`IssueError` listing every problem."""
    doc = {**meta, "stakeholders": stakeholders}
    problems = _consistency(meta.get("low"), meta.get("high"), stakeholders)
    try:
        issue = Issue.model_validate(doc)
    except ValidationError as exc:
        # the cross-field checks (no location) are already listed with their locations
        problems.extend(
            pydantic_problems(
                exc,
                lambda loc: _where(loc, stakeholders),
                lambda loc: Stakeholder.model_fields if loc[:1] == ("stakeholders",) else Issue.model_fields,
            )
        )
        raise IssueError(source, problems) from None
    return issue


def _issue_dir() -> Any:
    return resources.files("alliancelab.models.bargaining") / "issues"


def list_issues() -> dict[str, str]:
    """The built-in issues: name → title.

    >>> "japan-peacekeeping" in list_issues()
    True
    """
    out: dict[str, str] = {}
    for entry in sorted(_issue_dir().iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".toml"):
            out[entry.name.removesuffix(".toml")] = str(tomllib.loads(entry.read_text("utf-8"))["issue"]["title"])
    return out


def _from_csv(text: str, source: str) -> Issue:
    reader = csv.DictReader(io.StringIO(text))
    columns = [c.strip() for c in (reader.fieldnames or [])]
    missing = [c for c in CSV_COLUMNS if c not in columns]
    if missing:
        raise IssueError(
            source,
            [Problem("header", f"missing column(s) {missing}; an issue CSV has {list(CSV_COLUMNS)}; found {columns}")],
        )
    rows: list[dict[str, Any]] = []
    problems: list[Problem] = []
    for line, raw in enumerate(reader, start=2):
        row = {k.strip(): (v or "").strip() for k, v in raw.items() if k is not None}
        entry: dict[str, Any] = {"actor": row["actor"]}
        for col in CSV_COLUMNS[1:]:
            try:
                entry[col] = float(row[col])
            except ValueError:
                problems.append(Problem(f"line {line} ({row['actor']!r}).{col}", f"not a number: {row[col]!r}"))
        rows.append(entry)
    if problems:
        raise IssueError(source, problems)
    positions = [r["position"] for r in rows]
    if not positions:
        raise IssueError(source, [Problem("rows", "no stakeholders in the file")])
    lo, hi = min(positions), max(positions)
    if hi <= lo:
        raise IssueError(
            source,
            [Problem("position", f"every actor holds {lo}: the scale (the range of positions) has zero width")],
        )
    name = Path(source).stem if source.endswith(".csv") else source
    return issue_from_table({"name": name, "title": name, "low": lo, "high": hi}, rows, source)


def load_issue(ref: str | Path) -> Issue:
    """Read an issue: a built-in name (see :func:`list_issues`), a ``.toml`` or a ``.csv`` file.

    >>> load_issue("ec-emissions-1994").width
    6.0
    """
    path = Path(ref)
    name = str(ref)
    builtin = _issue_dir() / f"{name}.toml"
    if path.exists() and path.is_file():
        source = str(path)
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            problem = Problem("file", f"not UTF-8 text (byte {exc.start}): save it as UTF-8")
            raise IssueError(source, [problem]) from None
        if path.suffix.lower() == ".csv":
            return _from_csv(text, source)
    elif builtin.is_file() and not name.endswith((".toml", ".csv")):
        text, source = builtin.read_text(encoding="utf-8"), f"built-in issue {name!r}"
    elif name.endswith((".toml", ".csv")):
        raise IssueError(name, [Problem("file", f"no such file {str(path)!r}")])
    else:
        raise IssueError(
            name,
            [Problem("issue", f"{name!r} is neither a file nor a built-in issue; " + suggest(name, list_issues()))],
        )
    doc = toml_document(text, source, IssueError)
    unknown = [k for k in doc if k not in ("issue", "stakeholder")]
    if unknown or not isinstance(doc.get("issue"), dict):
        problems = [Problem(k, "unknown table; an issue file has [issue] and [[stakeholder]]") for k in unknown]
        if not isinstance(doc.get("issue"), dict):
            problems.append(Problem("issue", "missing the [issue] table"))
        raise IssueError(source, problems)
    stakeholders = doc.get("stakeholder", [])
    if not isinstance(stakeholders, list):
        raise IssueError(source, [Problem("stakeholder", "must be an array of tables: [[stakeholder]]")])
    return issue_from_table(doc["issue"], stakeholders, source)
