"""Safe YAML reading that remembers where every key and item came from.

Banks are untrusted: only the safe loader is used, Python tags are refused, and aliases are refused
outright (no "billion laughs"). Mappings and lists come back as LineMap / LineList, which carry
the 1-based line and column of each key or item so that validation errors can point at them.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import QuizgenError

MAX_FILE_BYTES = 5 * 1024 * 1024


class LineMap(dict):
    """A dict that knows the position of itself and of each of its keys."""

    file: str = ""
    line: int = 0
    col: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.key_pos: dict[Any, tuple[int, int]] = {}
        self.value_pos: dict[Any, tuple[int, int]] = {}


class LineList(list):
    """A list that knows the position of itself and of each item."""

    file: str = ""
    line: int = 0
    col: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.item_pos: list[tuple[int, int]] = []


class _Loader(yaml.SafeLoader):
    """SafeLoader without timestamp parsing (dates stay strings) and without aliases."""

    def compose_node(self, parent, index):  # noqa: D102 - PyYAML hook
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise QuizgenError("YAML aliases (*name) are not allowed in banks", self.name,
                               mark.line + 1, mark.column + 1)
        return super().compose_node(parent, index)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _pos(node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineMap:
    loader.flatten_mapping(node)
    result = LineMap()
    result.file = loader.name
    result.line, result.col = _pos(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise QuizgenError("a mapping key must be a plain value", loader.name, *_pos(key_node))
        if key in result:
            raise QuizgenError(f"duplicate key {key!r}", loader.name, *_pos(key_node))
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_pos[key] = _pos(key_node)
        result.value_pos[key] = _pos(value_node)
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    result = LineList()
    result.file = loader.name
    result.line, result.col = _pos(node)
    for child in node.value:
        result.append(loader.construct_object(child, deep=True))
        result.item_pos.append(_pos(child))
    return result


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


def read_text(path: Path, label: str) -> str:
    """Read a UTF-8 text file, turning every way it can fail into a QuizgenError."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise QuizgenError(f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB", label)
        data = path.read_bytes()
    except OSError as exc:
        raise QuizgenError(f"cannot read file: {exc.strerror or exc}", label) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise QuizgenError(f"file is not UTF-8 text (byte 0x{data[exc.start]:02x})", label, line, col) from exc


def load_yaml(path: Path, label: str | None = None) -> Any:
    """Parse one YAML file into LineMap/LineList/scalars; errors carry file:line:col."""
    label = label or str(path)
    text = read_text(path, label)
    if not text.strip():
        raise QuizgenError("file is empty", label, 1, 1)
    loader = _Loader(text)
    loader.name = label
    try:
        return loader.get_single_data()
    except QuizgenError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = exc.problem or exc.context or "invalid YAML"
        if "could not determine a constructor" in str(exc):
            message = "YAML tags such as !!python/... are not allowed"
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        raise QuizgenError(f"YAML syntax error: {message}", label, line, col) from exc
    except yaml.YAMLError as exc:
        raise QuizgenError(f"YAML error: {exc}", label) from exc
    finally:
        loader.dispose()


def load_mapping(path: Path, label: str | None = None) -> LineMap:
    """Like load_yaml, but the top level must be a mapping."""
    label = label or str(path)
    data = load_yaml(path, label)
    if not isinstance(data, LineMap):
        kind = "a list" if isinstance(data, list) else f"a {type(data).__name__}"
        raise QuizgenError(f"expected a mapping of keys at the top level, found {kind}", label, 1, 1)
    return data
