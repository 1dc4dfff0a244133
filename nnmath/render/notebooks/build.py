"""Render the notebook templates into Jupyter notebooks (nbformat 4), a student and a solutions variant.

One template per part of the guided practice renders, with the part's record
(``record["part-1"]`` of :mod:`nnmath.topics.practice.record`: its title and its maths),
to a cell script (:mod:`nnmath.render.notebooks.cells`); both variants are made
from it mechanically.  The output is deterministic: cell ids are fixed
(``p1-c07``), no outputs or execution counts, JSON keys sorted — the same
sources give the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2
import nbformat
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from nnmath.paths import TEMPLATES as ALL_TEMPLATES
from nnmath.render.notebooks.cells import TARGETS, VARIANTS, Cell, CellScriptError, parse
from nnmath.render.site.render import _template_line
from nnmath.render.site.render import environment as site_environment

TEMPLATES = ALL_TEMPLATES / "notebooks"
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
NBFORMAT_MINOR = 5  # cell ids


class NotebookTemplateFailed(RuntimeError):
    """A notebook template failed to render or to parse; the message names the template and line."""


def template_name(part: dict) -> str:
    """The part's template under ``templates/notebooks/``: ``part1_linear_algebra.nb.j2``."""
    return f"part{part['number']}_{part['slug'].replace('-', '_')}.nb.j2"


def file_name(stem: str, variant: str) -> str:
    """The file of a part's notebook: ``part-1-linear-algebra.ipynb`` (student) or ``…-solutions.ipynb``."""
    return f"{stem}.ipynb" if variant == "student" else f"{stem}-{variant}.ipynb"


def practice_parts() -> list[dict]:
    """The parts of the guided practice, in order: the practice topic's record (computed, or from the cache)."""
    from nnmath.records import records
    from nnmath.topics import topic

    recs, _ = records([topic("practice")], progress=False)
    return sorted(recs["practice"].values(), key=lambda part: part["number"])


@dataclass(frozen=True)
class SourceNotebook:
    """A part's cells, both variants in one (see :class:`nnmath.render.notebooks.cells.Cell`)."""

    part: dict
    cells: list[Cell]

    @property
    def exercises(self) -> list[str]:
        """The exercise numbers, ``["1.1", "1.2", ...]``, in order."""
        count = sum(c.kind == "exercise" for c in self.cells)
        return [f"{self.part['number']}.{k}" for k in range(1, count + 1)]


def environment(templates: Path = TEMPLATES) -> jinja2.Environment:
    """Strict Jinja2, as for the site: an undefined name is an error."""
    return site_environment(templates)


class _Exercises:
    """``{{ exercise() }}`` in a template: "Exercise 1.1", "Exercise 1.2", … in order."""

    def __init__(self, part: dict):
        self.part, self.count = part, 0

    def __call__(self) -> str:
        self.count += 1
        return f"Exercise {self.part['number']}.{self.count}"


def render_script(part: dict, templates: Path = TEMPLATES) -> str:
    """The part's template rendered with its record (``part``, and its maths as ``t``): a cell script."""
    template = template_name(part)
    numbering = _Exercises(part)
    try:
        script = environment(templates).get_template(template).render(part=part, t=part["maths"], exercise=numbering)
    except jinja2.TemplateError as e:
        line = _template_line(e, template)
        raise NotebookTemplateFailed(f"{template}:{line}: {type(e).__name__}: {e}") from None
    exercises = script.count("\n%% exercise")
    if numbering.count != exercises:
        raise NotebookTemplateFailed(
            f"{template}: {exercises} exercise cells but {numbering.count} exercise() headings"
        )
    return script


def source(part: dict, templates: Path = TEMPLATES) -> SourceNotebook:
    """The part's cells, from its template."""
    try:
        return SourceNotebook(part, parse(render_script(part, templates)))
    except CellScriptError as e:
        raise NotebookTemplateFailed(f"{template_name(part)} (rendered): {e}") from None


def _cell(src: SourceNotebook, index: int, cell: Cell, variant: str, exercise: str | None) -> NotebookNode:
    cell_id = f"p{src.part['number']}-c{index:02d}"
    text = cell.text(variant)
    if cell.kind == "markdown":
        return new_markdown_cell(text, id=cell_id)
    metadata: dict = {}
    if cell.kind == "exercise":
        metadata = {"tags": ["exercise"], "nnmath": {"exercise": exercise}}
    elif cell.kind == "check":
        text = f"# Check of exercise {exercise}: prints ✓ correct, or what is not right yet.\n{text}"
        metadata = {"tags": ["check"], "nnmath": {"check": exercise}, "editable": False, "deletable": False}
    return new_code_cell(text, id=cell_id, metadata=metadata)


def notebook(src: SourceNotebook, variant: str, target: str = "course") -> NotebookNode:
    """The ``student`` or ``solutions`` notebook of a part, for the course (site, kit) or the participant pack.

    ``target``: ``course`` (imports ``numeric`` and the project) or ``pack`` (imports the pack's module); a
    cell the template gave to the other target is left out, and the others keep their ids.
    """
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}; expected one of {', '.join(VARIANTS)}")
    if target not in TARGETS:
        raise ValueError(f"unknown target {target!r}; expected one of {', '.join(TARGETS)}")
    cells, numbers = [], iter(src.exercises)
    exercise = None
    for index, cell in enumerate(src.cells, 1):
        if cell.kind == "exercise":
            exercise = next(numbers)
        if cell.shown_in(target):
            cells.append(_cell(src, index, cell, variant, exercise))
    nb = new_notebook(cells=cells)
    nb.nbformat_minor = NBFORMAT_MINOR
    nb.metadata = {
        "kernelspec": dict(KERNELSPEC),
        "language_info": {"name": "python"},
        "nnmath": {
            "part": src.part["number"],
            "title": src.part["title"],
            "variant": variant,
            "exercises": src.exercises,
            "practises": list(src.part["practises"]),
            "minutes": src.part["minutes"],
            "objectives": list(src.part["objectives"]),
            "generated": f"nnmath from templates/notebooks/{template_name(src.part)}: edit the template, not this file",
        },
    }
    nbformat.validate(nb)
    return nb


def dumps(nb: NotebookNode) -> str:
    """The notebook as JSON text (nbformat's layout: sorted keys, one-space indent), ending in a newline."""
    text = nbformat.writes(nb)
    return text if text.endswith("\n") else text + "\n"


def build(parts: list[dict] | None = None, target: str = "course") -> dict[str, dict[str, NotebookNode]]:
    """Every part in both variants: ``{"student": {stem: nb}, "solutions": {stem: nb}}``.

    ``parts``: the parts' records (default: :func:`practice_parts`); ``target``: as for :func:`notebook`.
    """
    out: dict[str, dict[str, NotebookNode]] = {v: {} for v in VARIANTS}
    for p in practice_parts() if parts is None else parts:
        src = source(p)
        for variant in VARIANTS:
            out[variant][p["stem"]] = notebook(src, variant, target)
    return out


def write_text(path: Path, text: str) -> bool:
    """Write ``text`` atomically (temporary file + rename); False when the file already had these bytes."""
    from nnmath.render.outputs import write_if_changed

    return write_if_changed(path, text.encode("utf-8"))
