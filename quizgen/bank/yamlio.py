"""Safe YAML reading that remembers where every key and item came from.

Banks are untrusted: only the safe loader is used, Python tags are refused, and aliases are refused
outright (no "billion laughs"). Mappings and lists come back as LineMap / LineList, which carry
the 1-based line and column of each key or item so that validation errors can point at them.

Speed: when PyYAML has libyaml, files are parsed by its C parser and built from its events by
`_EventReader` (about ten times faster than the pure-Python loader). Anything that reader does not
build exactly as `_Loader` would - an alias, an explicit tag, a merge key, a duplicate key, any
syntax error - sends the file to `_Loader`, so results and error messages are the same either way.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from ..errors import QuizgenError
from ..files import NotRegularFile, TooLarge, read_capped

MAX_FILE_BYTES = 5 * 1024 * 1024
#: deepest nesting of lists and mappings in a bank or template file (real ones need about 5)
MAX_DEPTH = 50
#: longest plain integer (in characters); Python refuses to convert ones over 4,300 digits at all
MAX_INT_CHARS = 30


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


def _too_deep(label: str, mark) -> QuizgenError:
    return QuizgenError(f"lists and mappings are nested more than {MAX_DEPTH} deep", label,
                        mark.line + 1, mark.column + 1)


def _check_int(value: str, label: str, mark) -> None:
    if len(value) > MAX_INT_CHARS:
        raise QuizgenError(f"integer has more than {MAX_INT_CHARS} characters", label,
                           mark.line + 1, mark.column + 1)


class _Loader(yaml.SafeLoader):
    """SafeLoader without timestamp parsing (dates stay strings), without aliases, nesting or long integers."""

    depth = 0

    def compose_node(self, parent, index):  # noqa: D102 - PyYAML hook
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise QuizgenError("YAML aliases (*name) are not allowed in banks", self.name,
                               mark.line + 1, mark.column + 1)
        if self.check_event(yaml.CollectionStartEvent):
            if self.depth >= MAX_DEPTH:
                raise _too_deep(self.name, self.peek_event().start_mark)
            self.depth += 1
            try:
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1
        return super().compose_node(parent, index)

    def construct_yaml_int(self, node):  # noqa: D102 - PyYAML hook
        _check_int(node.value, self.name, node.start_mark)
        return yaml.SafeLoader.construct_yaml_int(self, node)


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


_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


class _Fallback(Exception):
    """The event reader met something only `_Loader` handles (and reports) exactly."""


_MISSING = object()
#: implicit tags the event reader builds itself (anything else, like merge keys, goes to _Loader)
_SIMPLE_TAGS = frozenset({"tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null")})
_STR_TAG = "tag:yaml.org,2002:str"
_INT_TAG = "tag:yaml.org,2002:int"


class _EventReader:
    """Builds LineMap/LineList/scalars from libyaml's events, the way `_Loader` would, or raises _Fallback."""

    def __init__(self, text: str, label: str):
        from yaml.cyaml import CParser

        self.parser = CParser(text)
        self.label = label
        self.resolver = _Loader("")
        self.plain: dict[str, Any] = {}
        self.flow = 0  # depth of [...] / {...} collections
        self.depth = 0

    def read(self) -> Any:
        get = self.parser.get_event
        try:
            if type(get()) is not yaml.StreamStartEvent:
                raise _Fallback
            event = get()
            if type(event) is yaml.StreamEndEvent:
                return None
            if type(event) is not yaml.DocumentStartEvent:
                raise _Fallback
            data = self.node(get())
            if type(get()) is not yaml.DocumentEndEvent or type(get()) is not yaml.StreamEndEvent:
                raise _Fallback
            return data
        except (yaml.YAMLError, RecursionError) as exc:
            raise _Fallback from exc
        finally:
            self.parser.dispose()
            self.resolver.dispose()

    def node(self, event) -> Any:
        kind = type(event)
        if kind is yaml.ScalarEvent:
            return self.scalar(event)
        if kind not in (yaml.MappingStartEvent, yaml.SequenceStartEvent) or event.tag is not None \
                or event.anchor is not None:
            raise _Fallback  # an alias, a tag or an anchor
        if self.depth >= MAX_DEPTH:
            raise _too_deep(self.label, event.start_mark)
        self.flow += bool(event.flow_style)
        self.depth += 1
        result = self.mapping(event) if kind is yaml.MappingStartEvent else self.sequence(event)
        self.depth -= 1
        self.flow -= bool(event.flow_style)
        return result

    def scalar(self, event) -> Any:
        if event.tag is not None or event.anchor is not None:
            raise _Fallback  # PyYAML also refuses duplicate anchors; banks have no use for either
        value = event.value
        if not event.implicit[0]:
            return value  # quoted or block scalars are strings
        if not value or (self.flow and "?" in value):
            raise _Fallback  # an empty value (placed differently); `?` in [...] (PyYAML ends the scalar there)
        known = self.plain.get(value, _MISSING)
        if known is not _MISSING:
            return known
        tag = self.resolver.resolve(yaml.ScalarNode, value, event.implicit)
        if tag not in _SIMPLE_TAGS:
            raise _Fallback
        if tag == _INT_TAG:
            _check_int(value, self.label, event.start_mark)
        if tag != _STR_TAG:
            node = yaml.ScalarNode(tag, value, event.start_mark, event.end_mark, event.style)
            value = self.resolver.yaml_constructors[tag](self.resolver, node)
        self.plain[event.value] = value
        return value

    def mapping(self, start) -> LineMap:
        get, scalar, node = self.parser.get_event, self.scalar, self.node
        result = LineMap()
        result.file = self.label
        result.line, result.col = start.start_mark.line + 1, start.start_mark.column + 1
        key_pos, value_pos = result.key_pos, result.value_pos
        while True:
            event = get()
            if type(event) is not _ScalarEvent:
                if type(event) is _MappingEndEvent:
                    return result
                raise _Fallback
            key = scalar(event)
            if key in result:
                raise _Fallback
            mark = event.start_mark
            key_pos[key] = (mark.line + 1, mark.column + 1)
            event = get()
            result[key] = scalar(event) if type(event) is _ScalarEvent else node(event)
            mark = event.start_mark
            value_pos[key] = (mark.line + 1, mark.column + 1)

    def sequence(self, start) -> LineList:
        get, scalar, node = self.parser.get_event, self.scalar, self.node
        result = LineList()
        result.file = self.label
        result.line, result.col = start.start_mark.line + 1, start.start_mark.column + 1
        item_pos = result.item_pos
        while True:
            event = get()
            if type(event) is _SequenceEndEvent:
                return result
            result.append(scalar(event) if type(event) is _ScalarEvent else node(event))
            mark = event.start_mark
            item_pos.append((mark.line + 1, mark.column + 1))


_ScalarEvent, _MappingEndEvent, _SequenceEndEvent = yaml.ScalarEvent, yaml.MappingEndEvent, yaml.SequenceEndEvent
_NON_PRINTABLE = yaml.reader.Reader.NON_PRINTABLE
#: a block scalar header directly followed by a comment (`|#`), which libyaml reads differently
_HEADER_COMMENT = re.compile(r"[|>][-+0-9]*#")
#: the ASCII characters _NON_PRINTABLE lets through: tab, line feed, carriage return, space to tilde
_PRINTABLE_ASCII = b"\t\n\r" + bytes(range(0x20, 0x7F))
_HAVE_LIBYAML = getattr(yaml, "__with_libyaml__", False)


def _fast_load(text: str, label: str) -> Any:
    """Parse with libyaml, or raise _Fallback: also for characters the pure-Python reader refuses, and
    for the few things libyaml reads differently: tabs (`key:<TAB>value`), a byte-order mark inside
    the text, Unicode line breaks, and a block scalar header directly followed by a comment (`|#`).
    (Characters the pure-Python reader refuses never get here: load_yaml refuses them first.)"""
    if not _HAVE_LIBYAML or _reads_differently(text):
        raise _Fallback
    return _EventReader(text, label).read()


def _reads_differently(text: str) -> bool:
    """Whether `text` holds what libyaml reads differently (see _fast_load). Five `in` tests and, only when
    there is a `|` or `>`, one short regex: one regex of all six took 22-35 ms on a 1.7 MB events file."""
    if "\t" in text or "\ufeff" in text or "\x85" in text or "\u2028" in text or "\u2029" in text:
        return True
    return ("|" in text or ">" in text) and _HEADER_COMMENT.search(text) is not None


def read_text(path: Path, label: str) -> str:
    """Read a UTF-8 text file, turning every way it can fail into a QuizgenError.

    Only regular files are read (a FIFO would block, /dev/zero never end), and never more than
    MAX_FILE_BYTES whatever the file's size says: it can change, and devices report 0."""
    try:
        data = read_capped(path, MAX_FILE_BYTES)
    except NotRegularFile:
        raise QuizgenError("not a regular file (a device, FIFO, socket or folder); banks hold only plain files",
                           label) from None
    except TooLarge:
        raise QuizgenError(f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB", label) from None
    except OSError as exc:
        raise QuizgenError(f"cannot read file: {exc.strerror or exc}", label) from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise QuizgenError(f"file is not UTF-8 text (byte 0x{data[exc.start]:02x})", label, line, col) from exc
    return text


def _check_characters(text: str, label: str) -> None:
    """Control characters are refused anywhere, comments included, with the place they are at.
    ASCII text is cleared by deleting the allowed bytes, in a tenth of the time the regex takes."""
    if text.isascii() and not text.encode("ascii").translate(None, _PRINTABLE_ASCII):
        return
    found = _NON_PRINTABLE.search(text)
    if found:
        start = found.start()
        line = text.count("\n", 0, start) + 1
        col = start - (text.rfind("\n", 0, start) + 1) + 1
        raise QuizgenError(f"the control character U+{ord(found.group()):04X} is not allowed anywhere in a "
                           f"bank file (comments included)", label, line, col)


def load_yaml(path: Path, label: str | None = None) -> Any:
    """Parse one YAML file into LineMap/LineList/scalars; errors carry file:line:col."""
    label = label or str(path)
    text = read_text(path, label)
    if not text.strip():
        raise QuizgenError("file is empty", label, 1, 1)
    _check_characters(text, label)
    try:
        return _fast_load(text, label)
    except _Fallback:
        pass
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
