"""A small condition language over an experiment's indicators, parsed, never evaluated as code.

Grammar (Python's syntax for these forms; everything else is refused)::

    condition  := or
    or         := and ("or" and)*
    and        := not ("and" not)*
    not        := "not" not | comparison
    comparison := sum (("<" | "<=" | ">" | ">=" | "==" | "!=") sum)+
    sum        := term (("+" | "-") term)*
    term       := factor (("*" | "/") factor)*
    factor     := ("-" | "+") factor | NAME | NUMBER | "(" or ")"

NAME is an indicator of the experiment; NUMBER a finite decimal number. The text is parsed by
:func:`ast.parse` and only the node types above are walked and computed with NumPy, so no name,
attribute, call or subscript can reach Python: ``a.__class__`` or ``f(x)`` is refused with a
message listing the indicators.
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from alliancelab.errors import AnalysisError, suggest

__all__ = ["MAX_LENGTH", "evaluate_condition", "parse_condition"]

#: The longest condition accepted (characters).
MAX_LENGTH = 1000

_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], Any]] = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}
_ARITHMETIC: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}
_FORMS = "indicator names, numbers, + - * /, comparisons (< <= > >= == !=), and, or, not, parentheses"


def _refuse(where: str, why: str, names: list[str]) -> AnalysisError:
    return AnalysisError(
        f"the condition {where!r} {why}; a condition uses {_FORMS}, on the indicators {names} "
        f"(e.g. '{names[0] if names else 'x'} > 0.02')"
    )


def parse_condition(where: str, names: list[str]) -> ast.Expression:
    """Parse and check a condition; an :class:`AnalysisError` for anything outside the grammar."""
    if not isinstance(where, str) or not where.strip():
        raise _refuse(str(where), "is empty", names)
    if len(where) > MAX_LENGTH:
        raise _refuse(where[:40] + "…", f"is longer than {MAX_LENGTH} characters", names)
    try:
        tree = ast.parse(where.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        raise _refuse(where, f"cannot be parsed ({type(exc).__name__})", names) from None
    try:
        _check(tree.body, where, names, boolean=True)
    except RecursionError:
        raise _refuse(where[:40] + "…", "is nested too deeply", names) from None
    return tree


def _check(node: ast.AST, where: str, names: list[str], boolean: bool) -> None:
    """Walk the tree: only the grammar's forms; a true/false value where one is needed."""
    if isinstance(node, ast.BoolOp):
        for v in node.values:
            _check(v, where, names, boolean=True)
        return
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        _check(node.operand, where, names, boolean=True)
        return
    if isinstance(node, ast.Compare):
        if not all(type(op) in _COMPARE for op in node.ops):
            raise _refuse(where, "uses a comparison outside < <= > >= == !=", names)
        for v in (node.left, *node.comparators):
            _check(v, where, names, boolean=False)
        return
    if boolean:
        raise _refuse(where, "is not a true/false condition", names)
    if isinstance(node, ast.BinOp) and type(node.op) in _ARITHMETIC:
        _check(node.left, where, names, boolean=False)
        _check(node.right, where, names, boolean=False)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        _check(node.operand, where, names, boolean=False)
    elif isinstance(node, ast.Name):
        if node.id not in names:
            raise AnalysisError(f"the condition {where!r} names {node.id!r}, no indicator; {suggest(node.id, names)}")
    elif (
        isinstance(node, ast.Constant)
        and isinstance(node.value, int)
        and not isinstance(node.value, bool)
        and (abs(node.value) > 10**300)
    ):
        raise _refuse(where[:40] + "…", "holds a number too large to compare (at most 1e300)", names)
    elif isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        if not math.isfinite(node.value):
            raise _refuse(where, "holds a number that is not finite", names)
    else:
        raise _refuse(where, f"uses {type(node).__name__.lower()} ({ast.unparse(node)!r}), outside the grammar", names)


def evaluate_condition(where: str, columns: Mapping[str, np.ndarray]) -> np.ndarray:
    """The condition's truth for every row of ``columns`` (indicator name -> values)."""
    names = list(columns)
    tree = parse_condition(where, names)
    with np.errstate(all="ignore"):  # NaN and division by zero compare false, as in NumPy
        result = _value(tree.body, columns)
    return np.broadcast_to(np.asarray(result, dtype=bool), (len(next(iter(columns.values()))),)).copy()


def _value(node: ast.AST, columns: Mapping[str, np.ndarray]) -> Any:
    if isinstance(node, ast.BoolOp):
        parts = [np.asarray(_value(v, columns), dtype=bool) for v in node.values]
        return np.logical_and.reduce(parts) if isinstance(node.op, ast.And) else np.logical_or.reduce(parts)
    if isinstance(node, ast.UnaryOp):
        inner = _value(node.operand, columns)
        if isinstance(node.op, ast.Not):
            return ~np.asarray(inner, dtype=bool)
        return -inner if isinstance(node.op, ast.USub) else +inner
    if isinstance(node, ast.Compare):
        left = _value(node.left, columns)
        out: Any = True
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            right = _value(right_node, columns)
            out = np.logical_and(out, _COMPARE[type(op)](left, right))
            left = right
        return out
    if isinstance(node, ast.BinOp):
        return _ARITHMETIC[type(node.op)](_value(node.left, columns), _value(node.right, columns))
    if isinstance(node, ast.Name):
        return np.asarray(columns[node.id], dtype=float)
    assert isinstance(node, ast.Constant) and isinstance(node.value, (int, float))
    return float(node.value)
