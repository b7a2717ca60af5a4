"""Question templates: the YAML format content authors write, loaded and checked with file:line."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..bank.loader import Bank
from ..bank.model import Id, Text
from ..bank.validation import display_path, suggest, validation_problems
from ..bank.yamlio import LineList, LineMap, load_yaml
from ..errors import Problem, QuizgenError
from ..question import Kind
from .selectors import FIELDS, condition_problem

TEXT_FIELDS = ("prompt", "statement", "item", "text", "explanation")
#: template sets shipped with quizgen, which any bank may include by name
SHARED_SETS = Path(__file__).resolve().parent / "shared"

#: kind -> (record types it can select, allowed `answer` values (None: no answer field), text fields it needs)
KIND_RULES: dict[Kind, tuple[tuple[str, ...], tuple[str, ...] | None, tuple[str, ...]]] = {
    Kind.multiple_choice: (("events",), ("actor", "subject", "date"), ("prompt",)),
    Kind.short_answer: (("events",), ("actor", "subject"), ("prompt",)),
    Kind.quote: (("quotes",), ("speaker",), ("prompt",)),
    Kind.true_false: (("events",), ("actor", "subject", "date"), ("prompt", "statement")),
    Kind.multiple_select: (("restrictions", "events"), None, ("prompt", "item")),
    Kind.ordering: (("events",), None, ("prompt", "item")),
    Kind.which_first: (("events",), None, ("prompt", "item")),
    Kind.matching: (("events", "quotes"), ("actor", "subject", "speaker"), ("prompt", "item")),
    Kind.cloze: (("events",), None, ("text",)),
    Kind.numeric: (("numbers", "events"), ("value", "months_between"), ("prompt",)),
}


class Selector(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    from_: Literal["events", "entities", "restrictions", "quotes", "numbers"] = Field(alias="from")
    where: dict[str, Any] = {}


class Template(BaseModel):
    """One question template. `answer` names what is asked (true/false: what a false statement swaps)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: Id
    kind: Kind
    title: Text
    group: Text
    select: Selector
    answer: Optional[str] = None
    prompt: Optional[Text] = None
    statement: Optional[Text] = None
    item: Optional[Text] = None
    text: Optional[Text] = None
    explanation: Optional[Text] = None
    correct: dict[str, Any] = {}
    choices: int = Field(4, ge=2, le=8)
    count: int = Field(4, ge=2, le=8)
    limit: Optional[int] = Field(None, ge=1, le=100000)
    tags: list[Id] = []


@dataclass
class TemplateSpec:
    """A validated template with where it came from and its compiled text fields."""

    template: Template
    file: str
    raw: LineMap
    compiled: dict[str, Any] = field(default_factory=dict)
    own: bool = True        # in the bank's own templates/ folder, not a shared set it includes

    @property
    def id(self) -> str:
        return self.template.id

    def line_of(self, name: str) -> tuple[int, int]:
        return self.raw.value_pos.get(name, (self.raw.line, self.raw.col))

    def problem(self, message: str, name: str | None = None) -> Problem:
        line, col = self.line_of(name) if name else (self.raw.line, self.raw.col)
        return Problem(f"template '{self.id}': {message}", self.file, line, col)


def _rule_problems(spec: TemplateSpec) -> list[Problem]:
    t = spec.template
    sources, answers, needs = KIND_RULES[t.kind]
    problems = []
    if t.select.from_ not in sources:
        problems.append(spec.problem(f"{t.kind.value} templates select from {' or '.join(sources)}, "
                                     f"not {t.select.from_}", "select"))
    if answers is None and t.answer is not None:
        problems.append(spec.problem(f"{t.kind.value} templates take no 'answer'", "answer"))
    elif answers is not None and t.answer not in answers:
        problems.append(spec.problem(f"'answer' must be one of {', '.join(answers)}"
                                     + (f", not '{t.answer}'" if t.answer else ""), "answer"))
    for name in needs:
        if getattr(t, name) is None:
            problems.append(spec.problem(f"{t.kind.value} templates need '{name}'"))
    source = t.select.from_
    for clause_name, clause in (("select", t.select.where), ("correct", t.correct)):
        for field_name, condition in clause.items():
            message = condition_problem(source, field_name, condition)
            if message:
                where = spec.raw.get("select") if clause_name == "select" else spec.raw
                where = where.get("where", where) if clause_name == "select" and isinstance(where, LineMap) else where
                line, col = where.key_pos.get(field_name, (spec.raw.line, 0)) if isinstance(where, LineMap) \
                    else spec.line_of(clause_name)
                problems.append(Problem(f"template '{t.id}': {clause_name}: {message}", spec.file, line, col))
    if t.kind is Kind.multiple_select and not t.correct:
        problems.append(spec.problem("multiple_select templates need 'correct' (which options are right)"))
    if source == "restrictions" and t.prompt and "as_of" not in t.prompt:
        problems.append(spec.problem("questions about a restriction's status must say when: "
                                     "put {{ as_of }} in the prompt", "prompt"))
    if t.kind is Kind.ordering and not 3 <= t.count <= 5:
        problems.append(spec.problem("ordering questions have 3 to 5 events ('count')", "count"))
    return problems


def _compile(spec: TemplateSpec) -> list[Problem]:
    from jinja2 import TemplateSyntaxError

    from .fastpath import fast_template
    from .views import TemplateRenderError, compile_template

    problems = []
    for name in TEXT_FIELDS:
        source = getattr(spec.template, name)
        if source is None:
            continue
        try:
            spec.compiled[name] = compile_template(source, fast_template)
        except TemplateSyntaxError as exc:
            line, col = spec.line_of(name)
            problems.append(Problem(f"template '{spec.id}': {name}: Jinja syntax error: {exc.message}",
                                    spec.file, line + (exc.lineno or 1) - 1, col))
        except TemplateRenderError as exc:
            problems.append(spec.problem(f"{name}: {exc}", name))
    return problems


def _read_file(path: Path, problems: list[Problem], own: bool = True) -> list[TemplateSpec]:
    shipped = path.is_relative_to(SHARED_SETS)
    label = f"quizgen:{path.relative_to(SHARED_SETS).as_posix()}" if shipped else display_path(path)
    try:
        data = load_yaml(path, label)
    except QuizgenError as exc:
        problems.extend(exc.problems)
        return []
    if isinstance(data, LineMap) and "templates" in data and "id" not in data:
        items, positions = data["templates"], None
        if not isinstance(items, LineList):
            problems.append(Problem("'templates' must be a list of templates", label, *data.key_pos["templates"]))
            return []
        positions = items.item_pos
    elif isinstance(data, LineMap):
        items, positions = [data], [(data.line, data.col)]
    else:
        problems.append(Problem("a template file holds one template (a mapping) or 'templates: [...]'",
                                label, 1, 1))
        return []
    specs = []
    for raw, pos in zip(items, positions):
        if not isinstance(raw, LineMap):
            problems.append(Problem("a template must be a mapping of fields", label, *pos))
            continue
        what = f"template '{raw.get('id')}'" if isinstance(raw.get("id"), str) else "template"
        if "kind" in raw and raw["kind"] not in [k.value for k in Kind]:
            line, col = raw.value_pos["kind"]
            problems.append(Problem(f"{what}: unknown kind '{raw['kind']}'"
                                    f"{suggest(raw['kind'], [k.value for k in Kind])}; kinds: "
                                    + ", ".join(k.value for k in Kind), label, line, col))
            continue
        try:
            template = Template.model_validate(dict(raw))
        except ValidationError as exc:
            problems.extend(validation_problems(exc, Template, raw, label, what))
            continue
        specs.append(TemplateSpec(template, label, raw, own=own))
    return specs


def _yaml_files(folder: Path) -> list[Path]:
    return sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]) if folder.is_dir() else []


def _own_files(bank: Bank, problems: list[Problem]) -> list[Path]:
    """The bank's own template files; a templates/ that is a broken link or not a folder is a problem, a missing
    one is not (the bank may use shared templates only)."""
    import errno
    import os
    import stat

    folder = bank.templates_path
    label = display_path(folder)
    try:
        mode = os.stat(folder).st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            problems.append(Problem("templates/ is a symbolic link loop", label))
        elif exc.errno == errno.ENOENT and os.path.islink(folder):
            problems.append(Problem("templates/ is a symbolic link to nothing", label))
        elif exc.errno != errno.ENOENT:
            problems.append(Problem(f"cannot read templates/: {exc.strerror or exc}", label))
        return []
    if not stat.S_ISDIR(mode):
        problems.append(Problem("templates/ is not a folder", label))
        return []
    try:
        return _yaml_files(folder)
    except OSError as exc:
        problems.append(Problem(f"cannot read templates/: {exc.strerror or exc}", label))
        return []


def _included_files(bank: Bank, problems: list[Problem]) -> list[Path]:
    """The shared sets bank.yaml includes: a name shipped with quizgen, or a folder relative to the bank."""
    files: list[Path] = []
    for name in bank.info.templates.include:
        folder = SHARED_SETS / name if (SHARED_SETS / name).is_dir() else bank.path / name
        if not folder.is_dir():
            shipped = ", ".join(sorted(p.name for p in SHARED_SETS.iterdir() if p.is_dir()))
            bank_file = bank.path / "bank.yaml"
            line = next((n for n, text in enumerate(bank_file.read_text(encoding="utf-8").splitlines(), 1)
                         if name in text), 0)
            problems.append(Problem(f"templates: include: no template set '{name}' (shipped with quizgen: "
                                    f"{shipped}; or a folder relative to the bank)", display_path(bank_file), line))
            continue
        files += _yaml_files(folder)
    return files


def read_templates(bank: Bank) -> tuple[list[TemplateSpec], list[Problem]]:
    """Every template of a bank, compiled, with every problem found: its own templates/ and the shared sets it
    includes, sorted by file name. An own template replaces an included one with the same id."""
    problems: list[Problem] = []
    specs: list[TemplateSpec] = []
    own = _own_files(bank, problems)
    included = _included_files(bank, problems)
    if not own and not included and not problems:
        where = ("templates/ holds no templates (*.yaml)" if bank.templates_path.is_dir()
                 else "the bank has no templates/ folder")
        problems.append(Problem(f"{where} and includes no shared set, so it makes no questions; "
                                "docs/templates.md shows how to write one", display_path(bank.templates_path)))
    read: dict[Path, tuple[list[TemplateSpec], list[Problem]]] = {}     # each own file read once
    for path in own:
        found: list[Problem] = []
        read[path] = _read_file(path, found), found
    own_ids = {spec.id for specs_in_file, _ in read.values() for spec in specs_in_file}
    leave_out = set(bank.info.templates.leave_out) | own_ids
    # one order by file name, whichever folder a file is in: questions come out in template order
    files = sorted([(path, True) for path in own] + [(path, False) for path in included],
                   key=lambda f: (f[0].name, not f[1]))
    seen: dict[str, TemplateSpec] = {}
    for path, is_own in files:
        if is_own:
            specs_in_file, found = read[path]
            problems.extend(found)
        else:
            specs_in_file = _read_file(path, problems, is_own)
        for spec in specs_in_file:
            if not is_own and spec.id in leave_out:
                continue
            if spec.id in seen:
                first = seen[spec.id]
                problems.append(spec.problem(f"duplicate template id (first defined at "
                                             f"{first.file}:{first.raw.line})", "id"))
                continue
            seen[spec.id] = spec
            rule_problems = _rule_problems(spec) + _compile(spec)
            problems.extend(rule_problems)
            if not rule_problems:
                specs.append(spec)
    return specs, problems


def load_templates(bank: Bank) -> list[TemplateSpec]:
    specs, problems = read_templates(bank)
    if problems:
        raise QuizgenError(problems=problems)
    return specs


__all__ = ["FIELDS", "KIND_RULES", "Template", "TemplateSpec", "load_templates", "read_templates"]
