"""Turning validation failures into problems that point at a file, line and column."""
from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any, Iterable

from pydantic import BaseModel, ValidationError

from ..errors import Problem
from .yamlio import LineList, LineMap


def display_path(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def locate(node: Any, loc: Iterable[Any], key_of_last: bool = False) -> tuple[int, int]:
    """Walk a LineMap/LineList tree along a pydantic error location to the nearest known position."""
    pos = (getattr(node, "line", 0), getattr(node, "col", 0))
    parts = list(loc)
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        if isinstance(node, LineMap) and part in node:
            pos = node.key_pos[part] if (last and key_of_last) else node.value_pos[part]
            node = node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and part < len(node):
            pos = node.item_pos[part]
            node = node[part]
        else:
            break
    return pos


def suggest(word: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(str(word), list(options), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def validation_problems(exc: ValidationError, model: type[BaseModel], raw: LineMap, label: str,
                         what: str) -> list[Problem]:
    problems = []
    for err in exc.errors():
        loc = err["loc"]
        field_name = ".".join(str(p) for p in loc) or what
        kind = err["type"]
        if kind == "extra_forbidden":
            line, col = locate(raw, loc, key_of_last=True)
            known = model.model_fields.keys() if len(loc) == 1 else []
            message = f"{what}: unknown field '{field_name}'{suggest(loc[-1], known)}"
        elif kind == "missing":
            line, col = raw.line, raw.col
            message = f"{what}: missing required field '{field_name}'"
        elif kind == "string_pattern_mismatch":
            line, col = locate(raw, loc)
            message = (f"{what}: {field_name} {err['input']!r} is not a valid id "
                       f"(lowercase letters, digits and _, starting with a letter)")
        else:
            line, col = locate(raw, loc)
            msg = err["msg"].removeprefix("Value error, ")
            message = f"{what}: {field_name}: {msg}"
        problems.append(Problem(message, label, line, col))
    return problems
