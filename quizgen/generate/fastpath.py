"""A fast path for the plain templates almost every bank uses, rendering them without Jinja's per-render cost.

Most template text is literal text, record fields read from the frozen views, our own filters (`blank`, `hide`,
`mid_sentence`...), `hole()`, `x if y else z`, `==`/`!=`, `not` and `{% if %}`. Such a template is turned once into
nested Python closures that do what Jinja's sandbox would do: the same attribute reads (only declared fields of
our view classes, only keys of plain dicts), the same filters, the same output check on every value. Nothing in
that subset loops or builds anything bigger than its inputs, so a render is bounded by the template's size.

Anything outside the subset keeps the sandbox, and so does any render the fast path cannot finish: a missing
name or field, a value over the size limits, an error in a filter. The sandbox then gives the answer (or the
error) it always gave, so the fast path can make a render faster but never different.
"""
from __future__ import annotations

import dataclasses
import time
from typing import Any, Callable

from jinja2 import nodes

from . import views
from .limits import budget
from .sandbox import MAX_VALUE, check


class _Miss(Exception):
    """The fast path cannot render this: the sandbox does it."""


_MISS = _Miss()
#: the view classes a template may read fields of, with the fields (and the one property) it may read
_FIELDS: dict[type, frozenset[str]] = {
    cls: frozenset(f.name for f in dataclasses.fields(cls)) | ({"actor"} if cls is views.EventView else set())
    for cls in (views.DateView, views.EntityView, views.RestrictionView, views.EventView, views.QuoteView,
                views.NumberView)
}
_FILTERS = ("blank", "hide", "join_names", "capfirst", "strip_period", "mid_sentence")
_CALLS = ("hole", "join_names")
Eval = Callable[[dict], Any]


def _read(value: Any, name: str) -> Any:
    allowed = _FIELDS.get(type(value))
    if allowed is not None:
        if name in allowed and not name.startswith("_"):
            return getattr(value, name)
        raise _MISS
    if type(value) is dict and not hasattr(dict, name) and name in value:
        return value[name]
    raise _MISS


def _plain(value: Any) -> Any:
    """Values the fast path may pass on: text, numbers, None, our views and tuples of them (never callables)."""
    if value is None or type(value) in (str, int, float, bool) or type(value) in _FIELDS:
        return value
    if type(value) is tuple and all(type(v) in _FIELDS or type(v) is str for v in value):
        return value
    if type(value) is dict:
        return value
    raise _MISS


class _Compiler:
    def __init__(self, env):
        self.env = env

    def body(self, body: list[nodes.Node]) -> Callable[[dict, list], None]:
        steps = [self.statement(n) for n in body]

        def run(ctx: dict, out: list) -> None:
            for step in steps:
                step(ctx, out)
        return run

    def statement(self, node: nodes.Node) -> Callable[[dict, list], None]:
        if isinstance(node, nodes.Output):
            parts = [self.output(child) for child in node.nodes]

            def output(ctx: dict, out: list) -> None:
                for part in parts:
                    out.append(part(ctx))
            return output
        if isinstance(node, nodes.If):
            branches = [(self.expr(node.test), self.body(node.body))]
            branches += [(self.expr(n.test), self.body(n.body)) for n in node.elif_]
            otherwise = self.body(node.else_)

            def if_(ctx: dict, out: list) -> None:
                for test, body in branches:
                    if test(ctx):
                        return body(ctx, out)
                otherwise(ctx, out)
            return if_
        raise _MISS

    def output(self, node: nodes.Node) -> Eval:
        if isinstance(node, nodes.TemplateData):
            data = node.data
            return lambda ctx: data
        value = self.expr(node)

        def output(ctx: dict) -> str:
            result = value(ctx)
            if type(result) is str and len(result) <= MAX_VALUE:    # what check() finds for text, without the walk
                return result
            return str(check(result, "this output"))
        return output

    def expr(self, node: nodes.Node) -> Eval:
        method = getattr(self, f"expr_{type(node).__name__}", None)
        if method is None:
            raise _MISS
        return method(node)

    def expr_Const(self, node: nodes.Const) -> Eval:
        if type(node.value) not in (str, int, bool) and node.value is not None:
            raise _MISS
        value = node.value
        return lambda ctx: value

    def expr_Name(self, node: nodes.Name) -> Eval:
        if node.ctx != "load":
            raise _MISS
        name = node.name

        def lookup(ctx: dict) -> Any:
            if name in ctx:
                return _plain(ctx[name])
            raise _MISS
        return lookup

    def expr_Getattr(self, node: nodes.Getattr) -> Eval:
        if node.ctx != "load":
            raise _MISS
        inner, attr = self.expr(node.node), node.attr
        return lambda ctx: _plain(_read(inner(ctx), attr))

    def expr_Not(self, node: nodes.Not) -> Eval:
        inner = self.expr(node.node)
        return lambda ctx: not inner(ctx)

    def expr_CondExpr(self, node: nodes.CondExpr) -> Eval:
        if node.expr2 is None:
            raise _MISS
        test, yes, no = self.expr(node.test), self.expr(node.expr1), self.expr(node.expr2)
        return lambda ctx: yes(ctx) if test(ctx) else no(ctx)

    def expr_Compare(self, node: nodes.Compare) -> Eval:
        if len(node.ops) != 1 or node.ops[0].op not in ("eq", "ne"):
            raise _MISS
        left, right, equal = self.expr(node.expr), self.expr(node.ops[0].expr), node.ops[0].op == "eq"

        def compare(ctx: dict) -> bool:
            a, b = left(ctx), right(ctx)
            if type(a) not in (str, int, bool) or type(b) not in (str, int, bool):
                raise _MISS      # only plain values: a view's == compares whole records
            return (a == b) is equal
        return compare

    def _call(self, function: Callable, first: Eval | None, node) -> Eval:
        if node.kwargs or node.dyn_args or node.dyn_kwargs:
            raise _MISS
        args = ([first] if first else []) + [self.expr(a) for a in node.args]
        return lambda ctx: _plain(function(*(a(ctx) for a in args)))

    def expr_Filter(self, node: nodes.Filter) -> Eval:
        if node.name not in _FILTERS or node.node is None:
            raise _MISS
        return self._call(self.env.filters[node.name], self.expr(node.node), node)

    def expr_Call(self, node: nodes.Call) -> Eval:
        if not isinstance(node.node, nodes.Name) or node.node.name not in _CALLS:
            raise _MISS
        function, name = self.env.globals[node.node.name], node.node.name
        call = self._call(function, None, node)

        def global_call(ctx: dict) -> Any:
            if name in ctx:
                raise _MISS      # a context value of that name hides the global
            return call(ctx)
        return global_call


class FastTemplate:
    """A plain template as closures; `render` returns None whenever the sandbox must render instead."""

    def __init__(self, run: Callable[[dict, list], None]):
        self.run = run

    def render(self, context: dict[str, Any]) -> str | None:
        budget.check_spent()            # a spent budget fails here exactly as in the sandbox
        started = time.monotonic()
        parts: list[str] = []
        try:
            self.run(context, parts)
        except Exception:
            return None
        finally:
            budget.charge(time.monotonic() - started)
        text = "".join(parts)
        if len(text) > views.MAX_OUTPUT:
            return None
        return " ".join(text.split())


def fast_template(env, tree: nodes.Template) -> FastTemplate | None:
    """The fast path for this parsed template, or None when it uses anything outside the plain subset."""
    try:
        if not isinstance(tree, nodes.Template):
            return None
        return FastTemplate(_Compiler(env).body(tree.body))
    except _Miss:
        return None
