"""The layout's rules, checked by reading every module with ``ast`` (nothing is imported, so a violation
cannot hide behind an import that fails or a branch not taken):

* dependencies run one way, derive → numeric → nnmath: ``numeric`` imports neither SymPy nor ``derive``
  nor ``nnmath``; ``derive`` imports neither ``numeric`` nor ``nnmath``;
* topics do not know the output formats: ``nnmath/topics/**`` does not import ``nnmath.render``;
* public names only: tests import no private module or name (``numeric._generated``, ``_helper``), and no
  package imports another's;
* few top-level modules: at most 8 in ``nnmath/`` and 12 in ``derive/`` (a package counts as one);
* one printer per target: the LaTeX, the NumPy and the plain-text printer of ``derive/printing/`` are the only
  SymPy printer classes (a variant is a setting, not a subclass), plus the textbook presentation layer of
  ``derive/printing/textbook.py``: the course LaTeX printer with the textbook rules, which every shown formula
  goes through, and the same rules for SymPy's pretty printer (the terminal).

Each violation is reported as ``file:line``.  An import inside a function counts; so does
``importlib.import_module("a.b")`` with a literal name.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("derive", "numeric", "nnmath")
FOLDERS = (*PACKAGES, "tests", "bench")
MAX_TOP_LEVEL = {"nnmath": 8, "derive": 12}


@dataclass(frozen=True)
class Import:
    """One imported module (absolute dotted name) and, for ``from m import n``, the name n."""

    file: str  # relative to the repository, with /
    line: int
    module: str
    name: str | None = None

    @property
    def package(self) -> str:
        return self.module.split(".")[0]

    def __str__(self) -> str:
        what = f"from {self.module} import {self.name}" if self.name else f"import {self.module}"
        return f"{self.file}:{self.line}: {what}"


def _package_of(path: Path) -> list[str]:
    """The dotted package a module's relative imports start from."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return parts if path.name == "__init__.py" else parts[:-1]


def imports_of(path: Path) -> Iterator[Import]:
    """Every import in the module at ``path``, relative ones made absolute."""
    file = path.relative_to(ROOT).as_posix()
    for node in ast.walk(ast.parse(path.read_text(), file)):
        if isinstance(node, ast.Import):
            yield from (Import(file, node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = _package_of(path)[: len(_package_of(path)) - node.level + 1]
                module = ".".join([*base, module] if module else base)
            yield from (Import(file, node.lineno, module, alias.name) for alias in node.names)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and getattr(node.func, "attr", getattr(node.func, "id", None)) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield Import(file, node.lineno, node.args[0].value)


def _all_imports() -> list[Import]:
    return [imp for folder in FOLDERS for path in sorted((ROOT / folder).rglob("*.py")) for imp in imports_of(path)]


IMPORTS = _all_imports()


def _private(word: str) -> bool:
    return word.startswith("_") and not (word.startswith("__") and word.endswith("__"))


def _imports_private(imp: Import) -> bool:
    return any(_private(part) for part in imp.module.split(".")) or (imp.name is not None and _private(imp.name))


def _in(folder: str) -> Callable[[Import], bool]:
    return lambda imp: imp.file.startswith(f"{folder}/")


@dataclass(frozen=True)
class Rule:
    """A layout rule: which files it covers and which of their imports break it."""

    id: str
    covers: Callable[[Import], bool]
    breaks: Callable[[Import], bool]

    def violations(self) -> list[Import]:
        return [imp for imp in IMPORTS if self.covers(imp) and self.breaks(imp)]


RULES = [
    Rule(
        "numeric imports neither sympy nor derive nor nnmath",
        _in("numeric"),
        lambda i: i.package in {"sympy", "derive", "nnmath"},
    ),
    Rule("derive imports neither numeric nor nnmath", _in("derive"), lambda i: i.package in {"numeric", "nnmath"}),
    Rule(
        "nnmath/topics does not import nnmath.render",
        _in("nnmath/topics"),
        lambda i: (
            i.module == "nnmath.render"
            or i.module.startswith("nnmath.render.")
            or (i.module, i.name) == ("nnmath", "render")
        ),
    ),
    Rule("tests import no private module or name", _in("tests"), _imports_private),
    Rule(
        "no package imports another's private module or name",
        lambda i: not i.file.startswith("tests/"),
        lambda i: i.package in PACKAGES and i.package != i.file.split("/")[0] and _imports_private(i),
    ),
]


def _report(violations: list[Import]) -> str:
    return "\n".join(str(v) for v in violations)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_holds(rule: Rule) -> None:
    violations = rule.violations()
    assert not violations, f"{rule.id}:\n{_report(violations)}"


def test_the_rules_see_the_imports() -> None:
    """The scanner finds what is there: numeric's private package, relative imports, imports in functions."""
    assert any(i.module == "numeric._generated" and i.file == "numeric/__init__.py" for i in IMPORTS)
    assert any(i.file.startswith("nnmath/topics/") and i.module.startswith("nnmath.topics") for i in IMPORTS)
    assert len({i.file for i in IMPORTS}) > 100


def _top_level_modules(package: str) -> list[str]:
    """The modules directly in ``package``: its files but ``__init__.py`` and its sub-packages."""
    folder = ROOT / package
    files = [p.name for p in folder.glob("*.py") if p.name != "__init__.py"]
    packages = [p.name for p in folder.iterdir() if (p / "__init__.py").is_file()]
    return sorted(files + packages)


@pytest.mark.parametrize(("package", "limit"), MAX_TOP_LEVEL.items())
def test_few_top_level_modules(package: str, limit: int) -> None:
    modules = _top_level_modules(package)
    assert len(modules) <= limit, f"{package}/ has {len(modules)} top-level modules (at most {limit}): {modules}"


PRINTERS = {
    "CourseLatexPrinter": "derive/printing/latex.py",
    "NumPyCodePrinter": "derive/printing/numpy.py",
    "TextPrinter": "derive/printing/text.py",
    "TextbookLatexPrinter": "derive/printing/textbook.py",  # CourseLatexPrinter + textbook rules: shown maths
    "TextbookPrettyPrinter": "derive/printing/textbook.py",  # the same rules in the terminal
}


def _printer_classes() -> Iterator[tuple[str, str, int]]:
    """(class name, file, line) of every class whose base is named like a SymPy printer."""
    for folder in PACKAGES:
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.ClassDef):
                    bases = [getattr(b, "id", getattr(b, "attr", "")) for b in node.bases]
                    if any(b.endswith("Printer") for b in bases):
                        yield node.name, path.relative_to(ROOT).as_posix(), node.lineno


def test_one_printer_per_target() -> None:
    found = list(_printer_classes())
    others = [f"{file}:{line}: class {name}" for name, file, line in found if PRINTERS.get(name) != file]
    assert not others, "printer variants are settings of the one printer per target:\n" + "\n".join(others)
    assert sorted(name for name, _, _ in found) == sorted(PRINTERS)
