"""The package reads as the pipeline: no import cycles, and no stage imports a later one."""
from __future__ import annotations

import ast
from pathlib import Path

import quizgen

PACKAGE = Path(quizgen.__file__).parent

#: the pipeline's stages, in order; a module may import only from its own stage or an earlier one
STAGES = [
    {"quizgen", "quizgen.cores", "quizgen.errors", "quizgen.files", "quizgen.gcpause", "quizgen.output",
     "quizgen.question"},
    {"quizgen.bank"},
    {"quizgen.generate"},
    {"quizgen.classset"},
    {"quizgen.anki", "quizgen.pdf", "quizgen.export", "quizgen.html", "quizgen.marking"},
    {"quizgen.jobs"},
    {"quizgen.cli"},
]
RENDERERS = ("quizgen.anki", "quizgen.pdf", "quizgen.export", "quizgen.html", "quizgen.marking", "quizgen.classset")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def stage_of(module: str) -> int:
    for rank, prefixes in enumerate(STAGES):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return rank
    raise AssertionError(f"{module} belongs to no stage: add it to STAGES")


def _type_checking_only(node: ast.AST, parents: dict) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return True
    return False


def imports_of(path: Path, modules: set[str]) -> set[str]:
    """The quizgen modules this file imports, at module level or inside functions (lazy imports count)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = set()
    for node in ast.walk(tree):
        if _type_checking_only(node, parents):
            continue
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            candidates = [f"{target}.{alias.name}" for alias in node.names] + [target]
        elif isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        else:
            continue
        for candidate in candidates:
            if candidate in modules:
                found.add(candidate)
                break
    found.discard(name)
    return found


def graph() -> dict[str, set[str]]:
    files = sorted(PACKAGE.rglob("*.py"))
    modules = {module_name(f) for f in files}
    return {module_name(f): imports_of(f, modules) for f in files}


def test_the_walker_sees_imports():
    edges = graph()
    assert "quizgen.generate.templates" in edges["quizgen.generate.generator"]
    assert "quizgen.bank.loader" in edges["quizgen.jobs"]            # a lazy import inside a function
    assert "quizgen.generate.generator" not in edges["quizgen.generate.builders"]   # TYPE_CHECKING only


def test_no_import_cycles():
    edges = graph()
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        stack.append(module)
        for target in sorted(edges[module]):
            if state.get(target) == 1:
                cycle = stack[stack.index(target):] + [target]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if target not in state:
                visit(target)
        stack.pop()
        state[module] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module)


def test_no_stage_imports_a_later_one():
    late = [f"{m} (stage {stage_of(m)}) imports {t} (stage {stage_of(t)})"
            for m, targets in graph().items() for t in sorted(targets) if stage_of(t) > stage_of(m)]
    assert not late, "\n".join(late)


def test_renderers_read_only_the_question_model():
    wrong = [f"{m} imports {t}" for m, targets in graph().items() if m.startswith(RENDERERS)
             for t in sorted(targets) if t.startswith(("quizgen.bank", "quizgen.generate"))]
    assert not wrong, "\n".join(wrong)


def test_the_listing_reads_as_the_pipeline():
    listed = {p.name for p in PACKAGE.iterdir() if not p.name.startswith(("_", "."))} - {"__pycache__"}
    stages = {m.split(".")[1] for group in STAGES for m in group if m.count(".") >= 1}
    assert {s if (PACKAGE / s).is_dir() else f"{s}.py" for s in stages} == listed
    for folder in (p for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"):
        if (folder / "__init__.py").exists():
            doc = ast.get_docstring(ast.parse((folder / "__init__.py").read_text(encoding="utf-8")))
            assert doc and len(doc) > 80, f"{folder.name}/__init__.py needs a paragraph saying what goes in and out"
