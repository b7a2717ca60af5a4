"""The Jinja sandbox templates run in, with sizes checked before anything big is built.

Jinja's own sandbox stops escapes but not blow-ups: one `'a' * 10**9` or `|center(10**9)` is a single C
call that takes gigabytes before a time limit can fire, and Jinja folds constant expressions such as
`{{ 9**(9**9) }}` while compiling, outside any limit. Here nothing is folded at compile time, and every
operation that can make a value bigger than its inputs (`*`, `**`, `+`, `%`, `~`, list literals, blocks,
the expanding filters and str methods) estimates its result first and refuses one over MAX_VALUE.
What a check misses is still bounded by the address-space limit around each render (views.memory_limit).
"""
from __future__ import annotations

import math
import re
import string
from typing import Any

from jinja2 import nodes
from jinja2.compiler import CodeGenerator
from jinja2.sandbox import ImmutableSandboxedEnvironment

#: the largest value a template may build: characters of a string, or the weight of a list (see weight())
MAX_VALUE = 4000
#: the largest integer a template may build, in bits (about 4,000 decimal digits)
MAX_INT_BITS = 13_300
_NUMBER = re.compile(r"\d+")


class ValueTooBig(Exception):
    """A template operation would build a value over the limits (raised before building it)."""


def weight(value: Any, limit: int = MAX_VALUE) -> int:
    """Roughly how many characters `value` takes as text; stops counting once over `limit`.

    Lists that hold the same list many times weigh every copy, since printing them prints every copy."""
    total = 0
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            total += len(item)
        elif isinstance(item, bool) or item is None:
            total += 1
        elif isinstance(item, int):
            total += item.bit_length() // 3 + 1
        elif isinstance(item, (list, tuple, set, frozenset)):
            total += len(item) + 1
            stack.extend(item)
        elif isinstance(item, dict):
            total += len(item) + 1
            stack.extend(item.keys())
            stack.extend(item.values())
        else:
            total += 1
        if total > limit:
            return total
    return total


def _refuse(what: str) -> ValueTooBig:
    return ValueTooBig(f"{what} would be larger than the limit ({MAX_VALUE} characters)")


def check(value: Any, what: str = "value") -> Any:
    if weight(value) > MAX_VALUE:
        raise _refuse(what)
    return value


def _is_int(value: Any) -> bool:
    return isinstance(value, int)


def _is_seq(value: Any) -> bool:
    return isinstance(value, (str, list, tuple))


def _times(left: Any, right: Any) -> None:
    if _is_seq(left) and _is_int(right) or _is_seq(right) and _is_int(left):
        seq, count = (left, right) if _is_seq(left) else (right, left)
        if count > 0 and weight(seq) * count > MAX_VALUE:
            raise _refuse("repeating a text or list")
    elif _is_int(left) and _is_int(right) and left.bit_length() + right.bit_length() > MAX_INT_BITS:
        raise _refuse("multiplying these numbers")


def _power(base: Any, exponent: Any) -> None:
    if _is_int(base) and _is_int(exponent) and exponent > 0 and abs(base) > 1:
        if exponent * math.log2(abs(base)) > MAX_INT_BITS:
            raise _refuse("this power")


def _plus(left: Any, right: Any) -> None:
    if _is_seq(left) and _is_seq(right) and weight(left) + weight(right) > MAX_VALUE:
        raise _refuse("joining these")


def percent_format(text: str, args: Any) -> None:
    """`'%10s' % x` pads to the width it is given: refuse widths from arguments (`*`) and big ones."""
    for spec in re.findall(r"%(?:\([^)]*\))?[^a-zA-Z%]*[a-zA-Z%]", text):
        if "*" in spec or any(int(n) > MAX_VALUE for n in _NUMBER.findall(spec)):
            raise _refuse("the padding in this format")
    check(args, "the values to format")


def _brace_format(text: str) -> None:
    for _, _, spec, _ in string.Formatter().parse(text):
        if spec and ("{" in spec or any(int(n) > MAX_VALUE for n in _NUMBER.findall(spec))):
            raise _refuse("the padding in this format")


_BEFORE = {"*": _times, "**": _power, "+": _plus}


def _width(width: Any) -> None:
    if _is_int(width) and width > MAX_VALUE:
        raise _refuse("padding to this width")


def _replace_size(text: str, old: str, new: str, count: int = -1) -> int:
    hits = len(text) + 1 if old == "" else text.count(old)
    if count is not None and count >= 0:
        hits = min(hits, count)
    return len(text) + hits * max(len(new) - len(old), 0)


def _str_method_check(text: str, name: str, args: tuple, kwargs: dict) -> None:
    """What the expanding str methods would build, estimated from their arguments."""
    if name in ("center", "ljust", "rjust", "zfill") and args:
        _width(args[0])
    elif name == "expandtabs":
        size = args[0] if args else kwargs.get("tabsize", 8)
        if _is_int(size) and size > 0 and len(text) + text.count("\t") * size > MAX_VALUE:
            raise _refuse("expanding tabs")
    elif name == "replace" and len(args) >= 2 and isinstance(args[0], str) and isinstance(args[1], str):
        if _replace_size(text, *args[:3]) > MAX_VALUE:
            raise _refuse("this replacement")
    elif name == "join" and args:
        parts = args[0]
        if weight(parts) + len(text) * len(parts) > MAX_VALUE:
            raise _refuse("joining these")


def _filters() -> dict[str, Any]:
    """Checked versions of the filters that can make a value bigger than their input."""
    from jinja2 import filters as f
    from jinja2 import pass_environment, pass_eval_context

    def center(value, width=80):
        _width(width)
        return f.do_center(value, width)

    def format_(value, *args, **kwargs):
        percent_format(str(value), kwargs or args)
        return f.do_format(value, *args, **kwargs)

    def indent(value, width=4, first=False, blank=False):
        size = len(width) if isinstance(width, str) else width
        if _is_int(size) and len(str(value)) + (str(value).count("\n") + 1) * size > MAX_VALUE:
            raise _refuse("this indentation")
        return f.do_indent(value, width, first, blank)

    @pass_environment
    def wordwrap(environment, value, width=79, break_long_words=True, wrapstring=None, break_on_hyphens=True):
        text = str(value)
        breaks = len(text) // max(int(width), 1) + text.count(" ") + 1
        if len(text) + breaks * len(wrapstring or "\n") > MAX_VALUE:
            raise _refuse("this word wrap")
        return f.do_wordwrap(environment, value, width, break_long_words, wrapstring, break_on_hyphens)

    @pass_eval_context
    def replace(eval_ctx, value, old, new, count=None):
        if _replace_size(str(value), str(old), str(new), -1 if count is None else count) > MAX_VALUE:
            raise _refuse("this replacement")
        return f.do_replace(eval_ctx, value, old, new, count)

    @pass_eval_context
    def join(eval_ctx, value, d="", attribute=None):
        items = list(value)
        check(items, "the joined list")
        if len(str(d)) * len(items) > MAX_VALUE:
            raise _refuse("joining these")
        return f.sync_do_join(eval_ctx, items, d, attribute)

    @pass_environment
    def sum_(environment, iterable, attribute=None, start=0):
        items = list(iterable)
        if attribute is None and not all(isinstance(i, (int, float)) for i in [*items, start]):
            raise ValueTooBig("sum adds numbers only")
        return f.sync_do_sum(environment, items, attribute, start)

    return {"center": center, "format": format_, "indent": indent, "wordwrap": wordwrap, "replace": replace,
            "join": join, "sum": sum_}


class _NoFoldCodeGenerator(CodeGenerator):
    """Compiles without evaluating anything: `{{ 9**(9**9) }}` is computed (and refused) at render time."""

    def _output_child_to_const(self, node, frame, finalize):
        if not isinstance(node, nodes.TemplateData):
            raise nodes.Impossible()
        return super()._output_child_to_const(node, frame, finalize)

    def visit_Concat(self, node, frame):
        self.write("environment.join_values((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")

    def _checked(self, visit, node, frame):
        if getattr(node, "ctx", "load") != "load":
            return visit(node, frame)
        self.write("environment.checked(")
        visit(node, frame)
        self.write(")")

    def visit_List(self, node, frame):
        self._checked(super().visit_List, node, frame)

    def visit_Tuple(self, node, frame):
        self._checked(super().visit_Tuple, node, frame)

    def visit_Dict(self, node, frame):
        self.write("environment.checked(")
        super().visit_Dict(node, frame)
        self.write(")")


class QuizSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, compiling without constant folding and checking sizes before building."""

    code_generator_class = _NoFoldCodeGenerator
    intercepted_binops = frozenset({"+", "-", "*", "/", "//", "%", "**"})
    intercepted_unops = frozenset({"+", "-"})

    def __init__(self, **kwargs: Any):
        super().__init__(optimized=False, finalize=lambda value: check(value, "this output"), **kwargs)
        self.filters.update(_filters())

    def call_binop(self, context, operator, left, right):
        before = _BEFORE.get(operator)
        if before is not None:
            before(left, right)
        elif operator == "%" and isinstance(left, str):
            percent_format(left, right)
        return super().call_binop(context, operator, left, right)

    def join_values(self, values: tuple) -> str:
        """`a ~ b`: the parts are checked before they are turned into text and joined."""
        check(list(values), "joining these")
        return "".join(str(v) for v in values)

    def concat(self, parts) -> str:
        """Blocks, macros and `{% set %}...{% endset %}` join their output here."""
        parts = list(parts)
        if sum(len(p) for p in parts) > MAX_VALUE:
            raise _refuse("this block's output")
        return "".join(parts)

    def checked(self, value: Any) -> Any:
        return check(value, "this list")

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - Jinja's signature
        owner = getattr(__obj, "__self__", None)
        name = getattr(__obj, "__name__", None)
        if isinstance(owner, str) and isinstance(name, str):
            if name == "join" and args:
                args = (list(args[0]), *args[1:])  # counted, then joined: an iterator can be read only once
            _str_method_check(owner, name, args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value: Any):
        wrapper = super().wrap_str_format(value)
        if wrapper is None:
            return None
        text = value.__self__

        def checked_format(*args, **kwargs):
            _brace_format(text)
            check([list(args), kwargs], "the values to format")
            return wrapper(*args, **kwargs)

        return checked_format
