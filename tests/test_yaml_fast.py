"""The libyaml fast path of quizgen.bank.yamlio must read every file exactly as the pure-Python loader does:
same values and types, same line:col for every key and item, and the same error for broken files."""
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizgen.bank import yamlio
from quizgen.errors import QuizgenError

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(not getattr(yaml, "__with_libyaml__", False), reason="PyYAML built without libyaml")


def _reference(text: str):
    """What the pure-Python loader makes of `text`: ("ok", tree) or ("error", problems)."""
    loader = yamlio._Loader(text)
    loader.name = "f.yaml"
    try:
        return "ok", _shape(loader.get_single_data())
    except QuizgenError as exc:
        return "error", [str(p) for p in exc.problems]
    except yaml.YAMLError:
        return "error", "yaml"
    finally:
        loader.dispose()


def _fast(text: str):
    try:
        return "ok", _shape(yamlio._fast_load(text, "f.yaml"))
    except yamlio._Fallback:
        return "fallback", None
    except QuizgenError as exc:  # limits both readers enforce alike (nesting depth, integer length)
        return "error", [str(p) for p in exc.problems]


def _shape(value):
    """Everything the loaders produce, positions and types included, as comparable plain data."""
    if isinstance(value, yamlio.LineMap):
        return ("map", value.file, value.line, value.col,
                [(_shape(k), _shape(v), value.key_pos[k], value.value_pos[k]) for k, v in value.items()])
    if isinstance(value, yamlio.LineList):
        return ("list", value.file, value.line, value.col, [_shape(v) for v in value], list(value.item_pos))
    return (type(value).__name__, value)


def assert_same(text: str):
    fast = _fast(text)
    if fast[0] == "fallback":
        return  # the pure-Python loader reads it: identical by construction
    assert fast == _reference(text), text


def test_every_yaml_file_in_the_project_reads_the_same():
    files = sorted(ROOT.glob("questions/**/*.yaml"))
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8-sig")
        assert _fast(text)[0] == "ok", path
        assert_same(text)


@pytest.mark.parametrize("text", [
    "a: 1\nb: -2.5e3\nc: true\nd: ~\ne: 0x1f\nf: 1_000\ng: '1'\nh: 2024-05-31\ni: .inf\nj: Yes\n",
    "- [a, b, {c: d, e: [1, 2]}]\n-   x: |\n      line one\n      line two\n    y: >-\n      folded\n      text\n",
    "k: \"esc\\u00e9 \\t tab\"\nl: plain text with: colon\nm: 'it''s'\n? complex\n: value\n",
    "a: &anchor 1\nb: 2\n",                      # anchors without aliases are allowed
    "a: &a [1]\nb: *a\n", "a: !!str 1\n", "<<: {a: 1}\nb: 2\n", "a: 1\na: 2\n", "[1, 2]: x\n",
    "a: [1\n", "a: b: c\n", "---\na: 1\n---\nb: 2\n", "a: \x07\n", "a:\t1\n", "# only a comment\n",
    "1: one\ntrue: two\n", "=: x\n", "a: !!python/object/apply:os.system ['x']\n", "\ta: 1\n",
])
def test_tricky_documents(text):
    assert_same(text)


@pytest.mark.parametrize("text", [
    "a: " + "[" * 60 + "]" * 60 + "\n",
    "a:\n" + "".join("  " * i + "- \n" for i in range(1, 60)),
    "a: {b: " + "1" * 31 + "}\n",
    "- " + "-" + "9" * 40 + "\n",
])
def test_limits_are_the_same_in_both_readers(text):
    fast = _fast(text)
    assert fast[0] == "error" and fast == _reference(text), (fast, _reference(text))


_PIECES = ["%TAG ! tag:x,2000:\n", "!x!y ", "\r\n", "\r", ",", "- - ", "? - ", "|-", ">+2", "@", "`", "a", "b", "id", "- ", "  ", "    ", ": ", ":", "\n", "[", "]", "{", "}", ", ", "'", '"', "#", "&x ",
           "*x", "!!str ", "? ", "|", ">", "1", "2.5", "true", "null", "~", "2024-05", "\t", "é", "\\", "<<",
           "---\n", "...\n", "%YAML 1.1\n", "x y", "-1", "0o7", "=", "!", "\ufeff", "\u2028", "\x85"]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_random_fragments_read_the_same(text):
    assert_same(text)


@settings(max_examples=150, deadline=None)
@given(st.recursive(st.one_of(st.text(max_size=8), st.integers(), st.floats(allow_nan=False), st.booleans(),
                              st.none()),
                    lambda inner: st.one_of(st.lists(inner, max_size=4),
                                            st.dictionaries(st.text(max_size=6), inner, max_size=4)),
                    max_leaves=20),
       st.sampled_from([None, False, True]))
def test_dumped_documents_read_the_same(data, flow):
    text = yaml.safe_dump({"root": data}, default_flow_style=flow, allow_unicode=True)
    if not (yamlio._reads_differently(text) or yamlio._NON_PRINTABLE.search(text)):
        assert _fast(text)[0] in ("ok", "error"), text  # only the documented exceptions leave the fast path
    assert_same(text)


_DIFFERENT = re.compile(r"[\t\ufeff\x85\u2028\u2029]|[|>][-+0-9]*#")   # the one regex it replaces


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES + ["|+#", ">-2 #", "|9#", "> #", "x|", "-#"]), max_size=30).map("".join))
def test_reads_differently_is_the_one_regex(text):
    assert yamlio._reads_differently(text) == bool(_DIFFERENT.search(text))


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=30) | st.text(max_size=30))
def test_the_ascii_shortcut_refuses_what_the_regex_refuses(text):
    refused = yamlio._NON_PRINTABLE.search(text)
    try:
        yamlio._check_characters(text, "x.yaml")
    except QuizgenError:
        assert refused
    else:
        assert not refused
