"""The cell script a notebook template renders to, and its student and solutions variants.

A notebook template (``templates/notebooks/*.nb.j2``) renders to plain text in
which a line ``%% <kind>`` starts a cell.  The kinds:

* ``markdown`` — text and maths;
* ``code`` — code that runs as it is, in both variants;
* ``exercise`` — code with one or more solution regions (below);
* ``check`` — the asserts of the exercise just before it (must follow an exercise).

A ``markdown`` or ``code`` header may name one of :data:`TARGETS` after the kind, ``%% code pack``:
the cell is then only in the notebooks for that target — ``course`` (the site and the kit's
``notebooks/``, which import the project) or ``pack`` (the participant pack, which imports its one
module, ``nnmath_practice.py``).  So one template gives both, and its import cell is chosen by the
renderer, not by logic in the template.

A solution region, as in nbgrader's source notebooks, at one indentation::

    ### SOLUTION
    z = W @ x + b
    ### STUDENT
    z = ...
    ### END

The solutions variant keeps the lines between ``SOLUTION`` and ``STUDENT``;
the student variant has ``# your code here`` and the lines between
``STUDENT`` and ``END`` (a placeholder such as ``z = ...``, so that the check
cell, not a ``NameError``, tells the participant what is missing).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

KINDS = ("markdown", "code", "exercise", "check")
VARIANTS = ("student", "solutions")
TARGETS = ("course", "pack")
YOUR_CODE_HERE = "# your code here"
_HEADER = re.compile(r"^%%\s*(\S+)(?:\s+(\S+))?\s*$")
_MARKER = re.compile(r"^(\s*)### (SOLUTION|STUDENT|END)\s*$")


class CellScriptError(ValueError):
    """A notebook template rendered to text that is not a valid cell script; the message names the line."""


@dataclass(frozen=True)
class Cell:
    """One cell of the source notebook (both variants).

    Attributes:
        kind: ``markdown``, ``code``, ``exercise`` or ``check``.
        source: The text as the template wrote it (solution regions included).
        line: Line of the cell header in the rendered script (for error messages).
        only: The target whose notebooks alone have the cell (``course`` or ``pack``); ``None``: every target.
    """

    kind: str
    source: str
    line: int
    only: str | None = None

    def shown_in(self, target: str) -> bool:
        """Whether the notebooks for ``target`` (``course`` or ``pack``) have this cell."""
        if target not in TARGETS:
            raise ValueError(f"unknown target {target!r}; expected one of {', '.join(TARGETS)}")
        return self.only is None or self.only == target

    def text(self, variant: str) -> str:
        """The cell's source in ``variant`` (``student`` or ``solutions``)."""
        if variant not in VARIANTS:
            raise ValueError(f"unknown variant {variant!r}; expected one of {', '.join(VARIANTS)}")
        if self.kind != "exercise":
            return self.source
        return "\n".join(_variant_lines(self.source.split("\n"), variant, self.line))


def _variant_lines(lines: list[str], variant: str, first_line: int) -> list[str]:
    out: list[str] = []
    state, indent = "outside", ""
    for offset, line in enumerate(lines, 1):
        m = _MARKER.match(line)
        where = f"line {first_line + offset}"
        if m is None:
            if state == "outside" or (state == "solution") == (variant == "solutions"):
                out.append(line)
            continue
        marker_indent, marker = m.groups()
        expected = {"outside": "SOLUTION", "solution": "STUDENT", "student": "END"}[state]
        if marker != expected:
            raise CellScriptError(f"{where}: ### {marker} where ### {expected} was expected")
        if state != "outside" and marker_indent != indent:
            raise CellScriptError(f"{where}: ### {marker} is not indented like its ### SOLUTION")
        indent = marker_indent
        if marker == "STUDENT" and variant == "student":
            out.append(indent + YOUR_CODE_HERE)
        state = {"SOLUTION": "solution", "STUDENT": "student", "END": "outside"}[marker]
    if state != "outside":
        raise CellScriptError(f"line {first_line + len(lines)}: solution region not closed with ### END")
    return out


def parse(script: str) -> list[Cell]:
    """The cells of a rendered template; raises :class:`CellScriptError` naming the first problem."""
    cells: list[Cell] = []
    kind, only, start, body = None, None, 0, []
    lines = script.split("\n")
    for number, line in enumerate([*lines, "%% end"], 1):
        m = _HEADER.match(line)
        if m is None:
            if kind is None and line.strip():
                raise CellScriptError(f"line {number}: text before the first cell header (%% markdown, %% code, …)")
            body.append(line)
            continue
        if kind is not None:
            source = "\n".join(body).strip("\n")
            if not source.strip():
                raise CellScriptError(f"line {start}: empty {kind} cell")
            cells.append(Cell(kind, source, start, only))
        kind, only, start, body = m.group(1), m.group(2), number, []
        if number <= len(lines) and kind not in KINDS:
            raise CellScriptError(f"line {number}: unknown cell kind {kind!r}; expected one of {', '.join(KINDS)}")
        if only is not None and (only not in TARGETS or kind not in ("markdown", "code")):
            raise CellScriptError(
                f"line {number}: '%% {kind} {only}': only a markdown or code cell may name a target "
                f"({', '.join(TARGETS)})"
            )
    _validate(cells)
    return cells


def _validate(cells: list[Cell]) -> None:
    for i, cell in enumerate(cells):
        has_region = any(_MARKER.match(line) for line in cell.source.split("\n"))
        if cell.kind == "exercise":
            if not has_region:
                raise CellScriptError(f"line {cell.line}: exercise cell without a ### SOLUTION region")
            for variant in VARIANTS:
                cell.text(variant)  # raises on a malformed region
            if i + 1 == len(cells) or cells[i + 1].kind != "check":
                raise CellScriptError(f"line {cell.line}: an exercise cell must be followed by its check cell")
        elif has_region:
            raise CellScriptError(f"line {cell.line}: a ### SOLUTION region outside an exercise cell")
        if cell.kind == "check" and (i == 0 or cells[i - 1].kind != "exercise"):
            raise CellScriptError(f"line {cell.line}: a check cell must follow an exercise cell")
