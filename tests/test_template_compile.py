"""Templates the fast path renders are compiled by the sandbox only when a render needs it, and either way a
render gives what the sandbox alone gives."""
from pathlib import Path

import pytest

from quizgen.bank.loader import load_bank
from quizgen.generate.fastpath import fast_template
from quizgen.generate.generator import generate
from quizgen.generate.templates import load_templates
from quizgen.generate.views import Deferred, TemplateRenderError, compile_template, render, render_session

BANK = Path(__file__).resolve().parent.parent / "questions" / "red_lines"
CONTEXT = {"who": "the United States", "what": "ATACMS", "lifted": True, "count": 3, "none": None,
           "names": ("France", "Germany", "the United Kingdom"), "record": {"label": "spring 2024"}}
PLAIN = [
    "{{ who|capfirst }} sent {{ what }}.",
    "{% if lifted %}lifted{% elif count == 3 %}three{% else %}kept{% endif %} by {{ names|join_names('or') }}",
    "{{ hole(what) }} in {{ record.label }}{{ '' if count == 3 else '!' }}{{ none }}",
    "{{ what if not lifted else who|blank(who) }} {{ 'x' if count != 2 else 'y' }}",
]


def _sandbox_only(source: str) -> str:
    return render(compile_template(source), CONTEXT)


@pytest.mark.parametrize("source", PLAIN)
def test_a_plain_template_renders_on_the_fast_path_as_the_sandbox_does(source):
    with render_session():
        template = compile_template(source, fast_template)
        assert isinstance(template, Deferred)
        assert template.quizgen_fast.render(CONTEXT) is not None     # the fast path did render it
        assert render(template, CONTEXT) == _sandbox_only(source)
        assert template._sandboxed is None      # ... and the sandbox never had to compile it


def test_a_render_the_fast_path_cannot_finish_compiles_the_sandbox_then():
    source = "{{ who }} and {{ missing }}"
    with render_session():
        template = compile_template(source, fast_template)
        with pytest.raises(TemplateRenderError) as deferred_error:
            render(template, CONTEXT)
        assert template._sandboxed is not None
        with pytest.raises(TemplateRenderError) as sandbox_error:
            _sandbox_only(source)
    assert str(deferred_error.value) == str(sandbox_error.value)
    assert "missing" in str(deferred_error.value)


def test_a_template_outside_the_plain_subset_is_compiled_at_once():
    with render_session():
        template = compile_template("{% for n in names %}{{ n }} {% endfor %}", fast_template)
    assert not isinstance(template, Deferred)
    assert render(template, CONTEXT) == "France Germany the United Kingdom"


def test_the_shipped_bank_is_generated_without_compiling_a_template():
    """Every shipped template is plain: a `quizgen pdf` never pays for Jinja's compiler."""
    bank = load_bank(BANK)
    specs = load_templates(bank)
    compiled = [t for spec in specs for t in spec.compiled.values()]
    assert compiled and all(isinstance(t, Deferred) for t in compiled)
    assert generate(bank).questions
    assert [t for t in compiled if t._sandboxed is not None] == []
