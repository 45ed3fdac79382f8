"""Reading scenarios: TOML files and presets, ``extends``, and complete error reports.

Every problem in a file is gathered and reported at once (:class:`~alliancelab.errors.ScenarioError`),
each with its location, e.g. ``actor[3] (id 'chn').gdp``, and for unknown names the names that
exist.
"""

from __future__ import annotations

import functools
import hashlib
import json
import tomllib
import warnings
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from alliancelab.errors import Problem, ScenarioError, pydantic_problems, suggest, toml_document
from alliancelab.scenario.ids import COW_TO_ISO, cow_alias_hint
from alliancelab.scenario.levers import LEVERS
from alliancelab.scenario.model import Scenario

__all__ = [
    "list_presets",
    "load_scenario",
    "presets_by_start",
    "scenario_from_dict",
    "scenario_from_upload",
    "scenario_hash",
]

_KEYED = {"actor": "id", "alliance": "id", "institution": "id"}
_PAIRED = ("rivalry", "trade", "dyad")
_SECTIONS = ("scenario", "actor", "alliance", "institution", "rivalry", "trade", "dyad", "shock", "carried")


def _preset_dir() -> Any:
    return resources.files("alliancelab.scenario") / "presets"


def list_presets() -> dict[str, str]:
    """The built-in presets: name → one-line description.

    >>> "asia-pacific-2001" in list_presets()
    True
    """
    out: dict[str, str] = {}
    for entry in sorted(_preset_dir().iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".toml"):
            meta = tomllib.loads(entry.read_text(encoding="utf-8")).get("scenario", {})
            out[entry.name.removesuffix(".toml")] = str(meta.get("title", ""))
    return out


def presets_by_start() -> dict[int, list[str]]:
    """The built-in presets grouped by their start year (the book's 2001, today's 2023), each
    group's base (the preset the others extend) first.

    >>> presets_by_start()[2023][0]
    'asia-pacific-2023'
    """
    groups: dict[int, list[tuple[bool, str]]] = {}
    for name in list_presets():
        sc = load_scenario(name)
        groups.setdefault(sc.start, []).append((sc.scenario.extends is not None, name))
    return {start: [n for _, n in sorted(names)] for start, names in sorted(groups.items())}


#: The largest scenario file read (bytes) and the longest ``extends`` chain followed.
MAX_FILE_BYTES = 10 * 2**20
MAX_EXTENDS = 32


def _read_toml(ref: str, base_dir: Path | None) -> tuple[dict[str, Any], str, Path | None, str]:
    """Read a preset name or a file path.

    Returns (document, source label, directory, identity), where the identity is the resolved
    path of a file or ``preset:NAME``: what ``extends`` cycles are judged by.
    """
    presets = _preset_dir()
    candidate = presets / f"{ref}.toml"
    path = Path(ref)
    if base_dir is not None and not path.is_absolute():
        path = base_dir / path
    if ref.endswith(".toml") or path.exists() or not ref.strip():
        text = _read_file(ref, path)
        label, directory, identity = str(path), path.parent, str(path.resolve())
    elif candidate.is_file():
        text, label, directory, identity = (
            candidate.read_text(encoding="utf-8"),
            f"preset {ref!r}",
            None,
            f"preset:{ref}",
        )
    else:
        raise ScenarioError(
            ref,
            [Problem("scenario", f"{ref!r} is neither a file nor a preset; " + suggest(ref, list_presets()))],
        )
    return toml_document(text, label, ScenarioError), label, directory, identity


def _read_file(ref: str, path: Path) -> str:
    """A scenario file's text: a regular UTF-8 file of at most :data:`MAX_FILE_BYTES`."""
    if not ref.strip():
        raise ScenarioError(repr(ref), [Problem("file", "an empty name is neither a file nor a preset")])
    if not path.exists():
        raise ScenarioError(ref, [Problem("file", f"no such file {str(path)!r}")])
    if not path.is_file():  # a folder, a device such as /dev/zero, a FIFO: never opened
        raise ScenarioError(ref, [Problem("file", f"{str(path)!r} is not a regular file")])
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ScenarioError(ref, [Problem("file", f"{size:,} bytes; a scenario file holds at most {MAX_FILE_BYTES:,}")])
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            str(path), [Problem("file", f"not UTF-8 text (byte {exc.start}): save it as UTF-8")]
        ) from None
    except OSError as exc:
        raise ScenarioError(str(path), [Problem("file", f"cannot be read ({exc.strerror or exc})")]) from None


def scenario_from_upload(data: bytes, name: str) -> Scenario:
    """A scenario from a file's bytes (the dashboard's upload) under the command line's rules:
    at most :data:`MAX_FILE_BYTES`, UTF-8, TOML nested no deeper than Python can read, no
    ``extends`` (the base would be a path on the server), and every problem of the document
    reported with its place (:class:`ScenarioError`)."""
    if len(data) > MAX_FILE_BYTES:
        raise ScenarioError(
            name, [Problem("file", f"{len(data):,} bytes; a scenario file holds at most {MAX_FILE_BYTES:,}")]
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(name, [Problem("file", f"not UTF-8 text (byte {exc.start}): save it as UTF-8")]) from None
    doc = toml_document(text, name, ScenarioError)
    if isinstance(doc.get("scenario"), dict) and doc["scenario"].get("extends"):
        raise ScenarioError(
            name,
            [
                Problem(
                    "scenario.extends", "an uploaded file cannot use `extends`; resolve it first (`alliancelab show`)"
                )
            ],
        )
    try:
        return scenario_from_dict(doc, source=name)
    except RecursionError:
        raise ScenarioError(name, [Problem("file", "nested too deeply")]) from None


def _merge(base: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """Child overrides base: tables by key, entries with an id (or pair) field by field."""
    out: dict[str, Any] = {k: v for k, v in base.items()}
    for section, value in child.items():
        if section == "scenario" and isinstance(value, dict):
            meta = dict(base.get("scenario", {}))
            meta.update(value)
            out["scenario"] = meta
        elif section in _KEYED or section in _PAIRED:
            key = _KEYED.get(section)
            merged = [dict(e) for e in base.get(section, []) if isinstance(e, dict)]
            for entry in value if isinstance(value, list) else [value]:
                if not isinstance(entry, dict):
                    merged.append(entry)
                    continue
                ident = entry.get(key) if key else tuple(sorted(map(str, entry.get("pair", []))))
                for old in merged:
                    old_ident = old.get(key) if key else tuple(sorted(map(str, old.get("pair", []))))
                    if ident and old_ident == ident:
                        old.update(entry)
                        break
                else:
                    merged.append(dict(entry))
            out[section] = merged
        elif section in ("shock", "carried"):
            out[section] = list(base.get(section, [])) + list(value if isinstance(value, list) else [value])
        else:
            out[section] = value
    return out


def _resolve(ref: str, base_dir: Path | None, seen: tuple[str, ...] = ()) -> tuple[dict[str, Any], str]:
    """A document with its ``extends`` chain merged in; cycles are judged by resolved paths."""
    doc, label, directory, identity = _read_toml(ref, base_dir)
    if identity in seen:
        names = [c.removeprefix("preset:") for c in (*seen, identity)]
        raise ScenarioError(label, [Problem("scenario.extends", f"cycle: {' -> '.join(names)}")])
    chain = (*seen, identity)
    meta = doc.get("scenario")
    parent = meta.get("extends") if isinstance(meta, dict) else None
    if parent is None:
        return doc, label
    if not isinstance(parent, str):
        raise ScenarioError(label, [Problem("scenario.extends", f"must be a preset name or a path; got {parent!r}")])
    if len(chain) > MAX_EXTENDS:
        raise ScenarioError(label, [Problem("scenario.extends", f"a chain longer than {MAX_EXTENDS} files")])
    base, _ = _resolve(parent, directory, chain)
    merged = _merge(base, doc)
    merged["scenario"]["extends"] = parent
    return merged, label


def load_scenario(ref: str | Path) -> Scenario:
    """Load a preset by name or a TOML file by path, resolving ``extends``.

    >>> sc = load_scenario("us-retrenchment")
    >>> sc.scenario.extends, len(sc.actor) >= 15
    ('asia-pacific-2001', True)
    """
    name = str(ref)
    if not name.endswith(".toml") and not Path(name).exists() and (_preset_dir() / f"{name}.toml").is_file():
        return _load_preset(name).model_copy(deep=True)  # a caller may not change the cached one
    doc, label = _resolve(name, None)
    return scenario_from_dict(doc, source=label)


@functools.lru_cache(maxsize=32)
def _load_preset(name: str) -> Scenario:
    """A built-in preset, parsed and validated once per process (scenarios are immutable)."""
    doc, label = _resolve(name, None)
    return scenario_from_dict(doc, source=label)


def _read_aliases(doc: Mapping[str, Any], source: str) -> dict[str, Any]:
    """References written with COW letter codes (``rok``) to a state the scenario names by its
    ISO id (``kor``) are read as the ISO id, with a warning that says so."""
    ids = _ids(doc, "actor")
    notes: dict[str, str] = {}

    def fix(value: Any) -> Any:
        hint = COW_TO_ISO.get(value.lower()) if isinstance(value, str) and value not in ids else None
        if hint is not None and hint[0] in ids:
            notes[value] = hint[0]
            return hint[0]
        if isinstance(value, list):
            return [fix(v) for v in value]
        return value

    out = {k: (list(v) if isinstance(v, list) else v) for k, v in doc.items()}
    for section, keys in (("alliance", ("members", "patron")), ("institution", ("members",))):
        for i, e in _entries(out, section):
            out[section][i] = e = dict(e) | {k: fix(e[k]) for k in keys if k in e}
            if section == "institution" and isinstance(e.get("joined"), dict):
                e["joined"] = {fix(k): v for k, v in e["joined"].items()}
    for section, key in (("rivalry", "pair"), ("trade", "pair"), ("dyad", "pair"), ("shock", "target")):
        for i, e in _entries(out, section):
            out[section][i] = dict(e) | ({key: fix(e[key])} if key in e else {})
    if notes:
        read = ", ".join(f"{k!r} as {v!r}" for k, v in sorted(notes.items()))
        warnings.warn(
            f"{source}: read COW letter codes as this scenario's ISO 3166 ids: {read}", UserWarning, stacklevel=3
        )
    return out


def scenario_from_dict(doc: Mapping[str, Any], source: str = "<scenario>") -> Scenario:
    """Validate a scenario document (as read from TOML); every problem is reported at once.

    States are named by ISO 3166 alpha-3 ids; a reference written with COW's letter code for a
    state of the scenario is read as its ISO id, with a warning (:mod:`alliancelab.scenario.ids`).
    """
    doc = _read_aliases(doc, source)
    problems: list[Problem] = []
    for section in doc:
        if section not in _SECTIONS:
            problems.append(Problem(section, f"unknown table; {suggest(section, _SECTIONS)}"))
    clean = {k: v for k, v in doc.items() if k in _SECTIONS}
    scenario: Scenario | None = None
    try:
        scenario = Scenario.model_validate(clean)
    except ValidationError as exc:
        problems.extend(_pydantic_problems(exc, clean))
    problems.extend(_reference_problems(clean))
    if problems:
        raise ScenarioError(source, _dedupe(problems))
    assert scenario is not None
    return scenario


def scenario_toml(scenario: Scenario) -> str:
    """The resolved scenario as TOML (``extends`` applied, every shock listed): a file that loads
    back to the same scenario."""
    import tomli_w

    return tomli_w.dumps(scenario.model_dump(mode="json", exclude_none=True))


def scenario_hash(scenario: Scenario) -> str:
    """SHA-256 of the resolved scenario's canonical JSON (stable across runs and machines)."""
    doc = scenario.model_dump(mode="json")
    if not doc["carried"]:  # sections added later leave the hashes of scenarios without them unchanged
        del doc["carried"]
    if not doc["scenario"]["review"]:
        del doc["scenario"]["review"]
    payload = json.dumps(doc, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def _dedupe(problems: Iterable[Problem]) -> list[Problem]:
    seen: set[tuple[str, str]] = set()
    out = []
    for p in problems:
        if (p.where, p.message) not in seen:
            seen.add((p.where, p.message))
            out.append(p)
    return out


def _where(loc: tuple[int | str, ...], doc: Mapping[str, Any]) -> str:
    parts: list[str] = []
    node: Any = doc
    for item in loc:
        if isinstance(item, int):
            label = f"[{item + 1}]"
            entry = node[item] if isinstance(node, list) and item < len(node) else None
            if isinstance(entry, dict):
                if "id" in entry:
                    label += f" (id {entry['id']!r})"
                elif "pair" in entry:
                    label += f" (pair {entry['pair']!r})"
            parts.append(label)
            node = entry
        else:
            parts.append(("." if parts else "") + str(item))
            node = node.get(item) if isinstance(node, dict) else None
    return "".join(parts)


def _pydantic_problems(exc: ValidationError, doc: Mapping[str, Any]) -> list[Problem]:
    from alliancelab.scenario import model

    classes: dict[str, type[BaseModel]] = {
        "scenario": model.Meta,
        "actor": model.Actor,
        "alliance": model.Alliance,
        "institution": model.Institution,
        "rivalry": model.Rivalry,
        "trade": model.Trade,
        "shock": model.Shock,
        "carried": model.Carried,
    }

    def fields(loc: tuple[Any, ...]) -> list[str]:
        cls = classes.get(str(loc[0])) if loc else None
        return list(cls.model_fields) if cls is not None else []

    return pydantic_problems(exc, lambda loc: _where(loc, doc), fields)


def _entries(doc: Mapping[str, Any], section: str) -> list[tuple[int, dict[str, Any]]]:
    """The tables of an array-of-tables section, with their positions (anything else skipped:
    the schema reports it)."""
    value = doc.get(section, [])
    return [(i, e) for i, e in enumerate(value) if isinstance(e, dict)] if isinstance(value, list) else []


def _ids(doc: Mapping[str, Any], section: str) -> list[str]:
    return [str(e["id"]) for _, e in _entries(doc, section) if "id" in e]


def _reference_problems(doc: Mapping[str, Any]) -> list[Problem]:
    """Cross-references and consistency that single fields cannot check."""
    problems: list[Problem] = []
    actors = _ids(doc, "actor")
    actor_set = set(actors)
    for section in ("actor", "alliance", "institution"):
        ids = _ids(doc, section)
        for dup in sorted({i for i in ids if ids.count(i) > 1}):
            problems.append(Problem(section, f"id {dup!r} is used more than once"))

    def check_actor(where: str, name: object) -> None:
        if isinstance(name, str) and actors and name not in actor_set:
            hint = cow_alias_hint(name, actors) or suggest(name, actors)
            problems.append(Problem(where, f"unknown actor {name!r}; {hint}"))

    start = doc.get("scenario", {}).get("start") if isinstance(doc.get("scenario"), dict) else None
    for i, a in _entries(doc, "actor"):
        gdp, milex = a.get("gdp"), a.get("milex")
        lo, hi = a.get("share_min", 0.002), a.get("share_max", 0.20)
        if (
            isinstance(gdp, (int, float))
            and isinstance(milex, (int, float))
            and isinstance(lo, (int, float))
            and isinstance(hi, (int, float))
            and gdp > 0
        ):
            share = milex / gdp
            if not lo <= share <= hi:
                problems.append(
                    Problem(
                        _where(("actor", i), doc),
                        f"milex/gdp = {share:.4f} lies outside [share_min, share_max] = [{lo}, {hi}]",
                    )
                )
    for section in ("alliance", "institution"):
        for i, e in _entries(doc, section):
            where = _where((section, i), doc)
            members = e.get("members", [])
            for m in members if isinstance(members, list) else []:
                check_actor(f"{where}.members", m)
            if isinstance(members, list) and len(set(map(str, members))) != len(members):
                problems.append(Problem(f"{where}.members", "a member is listed twice"))
            patron = e.get("patron")
            if section == "alliance" and patron is not None:
                check_actor(f"{where}.patron", patron)
                if isinstance(members, list) and patron not in members:
                    problems.append(Problem(f"{where}.patron", f"patron {patron!r} is not among members {members!r}"))
            since, until = e.get("since"), e.get("until")
            if isinstance(since, int) and isinstance(until, int) and until < since:
                problems.append(Problem(where, f"until ({until}) is before since ({since})"))
            joined = e.get("joined")
            for m in joined if section == "institution" and isinstance(joined, dict) else {}:
                if isinstance(members, list) and m not in members:
                    problems.append(Problem(f"{where}.joined", f"{m!r} joins but is not among members"))
    for section in _PAIRED:
        seen_pairs: dict[tuple[str, str], str] = {}
        for i, e in _entries(doc, section):
            pair = e.get("pair", [])
            where = _where((section, i), doc) + ".pair"
            if isinstance(pair, list) and len(pair) == 2 and all(isinstance(m, str) for m in pair):
                key = (min(pair), max(pair))
                if key in seen_pairs:  # refused, not one value kept without a word
                    problems.append(
                        Problem(
                            where, f"the pair {list(key)} is given again (first at {seen_pairs[key]}); give it once"
                        )
                    )
                else:
                    seen_pairs[key] = where
            for m in pair if isinstance(pair, list) else []:
                check_actor(where, m)
            if isinstance(pair, list) and len(pair) == 2 and pair[0] == pair[1]:
                problems.append(Problem(where, "a pair needs two different actors"))
            if section == "dyad" and e.get("contiguous") is True and e.get("sea_contiguous") is True:
                problems.append(
                    Problem(
                        _where((section, i), doc) + ".sea_contiguous",
                        "a pair is contiguous by land or up to 24 miles of water (contiguous) or by 25-400 miles"
                        " of sea (sea_contiguous), not both: set one to false",
                    )
                )
    targets = {"actor": actors, "alliance": _ids(doc, "alliance"), "institution": _ids(doc, "institution")}
    lever_names = sorted({name for name, _ in LEVERS})
    seen_shocks: dict[str, str] = {}
    for i, s in _entries(doc, "shock"):
        where = _where(("shock", i), doc)
        name, target, value, year = s.get("lever"), s.get("target"), s.get("value"), s.get("year")
        same = repr((year, name, sorted(target) if isinstance(target, list) else target))
        if same in seen_shocks:  # two values for one lever in one year: refused, not the last kept
            problems.append(
                Problem(
                    where,
                    f"a second shock on lever {name!r} of {target!r} in {year} (the first at {seen_shocks[same]}); "
                    "give one value",
                )
            )
        else:
            seen_shocks[same] = where
        if isinstance(year, int) and isinstance(start, int) and year < start:
            problems.append(Problem(f"{where}.year", f"{year} is before the scenario start {start}"))
        if not isinstance(name, str):
            continue
        kinds = [k for (n, k) in LEVERS if n == name]
        if not kinds:
            problems.append(Problem(f"{where}.lever", f"unknown lever {name!r}; {suggest(name, lever_names)}"))
            continue
        if isinstance(target, list):
            if "dyad" not in kinds:
                problems.append(
                    Problem(f"{where}.target", f"lever {name!r} takes one {' or '.join(kinds)} id, not a pair")
                )
                continue
            for m in target:
                check_actor(f"{where}.target", m)
            if len(target) == 2 and target[0] == target[1]:
                problems.append(Problem(f"{where}.target", "a pair needs two different actors"))
            kind = "dyad"
        elif isinstance(target, str):
            kind = next((k for k in kinds if k != "dyad" and target in targets[k]), "")
            if not kind:
                if kinds == ["dyad"]:
                    problems.append(Problem(f"{where}.target", f"lever {name!r} takes a pair of actor ids"))
                else:
                    pool = [t for k in kinds if k != "dyad" for t in targets[k]]
                    problems.append(
                        Problem(
                            f"{where}.target",
                            f"lever {name!r} takes a {' or '.join(k for k in kinds if k != 'dyad')} id; "
                            f"{target!r} is none; {suggest(target, pool)}",
                        )
                    )
                continue
        else:
            continue
        lever = LEVERS[(name, kind)]  # type: ignore[index]
        if isinstance(value, (int, float)) and not lever.low <= value <= lever.high:
            problems.append(
                Problem(
                    f"{where}.value",
                    f"lever {name!r} must lie in [{lever.low}, {lever.high}] ({lever.meaning}); got {value}",
                )
            )
    return problems
