"""The notebooks on the site: each part executed, as a page with its outputs and both notebooks to download.

The site renderer shows a part of the guided practice (``record["part-1"]`` of the
practice topic) through :func:`notebook_page`: it builds the part's notebooks, executes
the solutions, and returns what ``templates/site/notebook.md.j2`` needs: the cells as
blocks (Markdown as written, code with its text outputs), the SVG figures the cells
drew, and the two ``.ipynb`` files, written beside the page.  Executed notebooks are
cached (:mod:`nnmath.render.notebooks.cache`), so a warm site build does not run them again.
"""

from __future__ import annotations

import re

from nbformat import NotebookNode

from nnmath.render.notebooks.build import dumps, file_name, notebook, source
from nnmath.render.notebooks.cache import executed

_TITLE = re.compile(r"\A# [^\n]*\n*")


class NotebookPageFailed(RuntimeError):
    """An executed notebook has an output the page cannot show."""


def _text(value: str | list[str]) -> str:
    return "".join(value) if isinstance(value, list) else value


def _outputs(cell: NotebookNode, figures: dict[str, str]) -> list[dict]:
    """A code cell's outputs as blocks: text (stream, plain results) or a figure name; the SVGs go into ``figures``."""
    out: list[dict] = []
    for output in cell.get("outputs", []):
        kind = output["output_type"]
        if kind == "stream":
            out.append({"kind": "text", "text": _text(output["text"]).rstrip("\n")})
        elif kind in ("display_data", "execute_result"):
            data = output["data"]
            if "image/svg+xml" in data:
                name = f"{cell['id']}-{len(figures) + 1}"
                figures[name] = _text(data["image/svg+xml"])
                out.append({"kind": "figure", "name": name})
            elif "text/plain" in data:
                out.append({"kind": "text", "text": _text(data["text/plain"]).rstrip("\n")})
            else:
                raise NotebookPageFailed(f"cell {cell['id']}: no SVG or text in an output ({', '.join(data)})")
        else:
            raise NotebookPageFailed(f"cell {cell['id']}: the page cannot show a {kind} output")
    # Consecutive text outputs (print after print) read as one block.
    merged: list[dict] = []
    for block in out:
        if merged and block["kind"] == merged[-1]["kind"] == "text":
            merged[-1] = {"kind": "text", "text": merged[-1]["text"] + "\n" + block["text"]}
        else:
            merged.append(block)
    return merged


def blocks(executed: NotebookNode) -> tuple[list[dict], dict[str, str]]:
    """(cells as blocks, figures by name) of an executed notebook; the notebook's own title is left out."""
    cells: list[dict] = []
    figures: dict[str, str] = {}
    for index, cell in enumerate(executed.cells):
        text = _text(cell["source"])
        if cell["cell_type"] == "markdown":
            cells.append({"kind": "markdown", "text": _TITLE.sub("", text) if index == 0 else text})
            continue
        meta = cell.get("metadata", {}).get("nnmath", {})
        role = "exercise" if "exercise" in meta else "check" if "check" in meta else "code"
        cells.append(
            {
                "kind": "code",
                "role": role,
                "exercise": meta.get("exercise") or meta.get("check"),
                "code": text,
                "outputs": _outputs(cell, figures),
            }
        )
    return cells, figures


def notebook_page(part: dict, use_cache: bool = True) -> dict:
    """What the page of a part shows: blocks, figures, and the two notebooks (student; solutions, executed) as files.

    ``part``: the part's record; ``use_cache=False`` runs the solutions even if they ran before.
    Raises :class:`~nnmath.render.notebooks.build.NotebookTemplateFailed` or
    :class:`~nnmath.render.notebooks.execute.NotebookFailed` when the notebook cannot be built or run.
    """
    src = source(part)
    student = notebook(src, "student")
    solutions = executed(notebook(src, "solutions"), name=f"{part['stem']} (solutions)", use_cache=use_cache)
    cells, figures = blocks(solutions)
    downloads = {variant: file_name(part["stem"], variant) for variant in ("student", "solutions")}
    return {
        "title": part["title"],
        "stem": part["stem"],
        "exercises": src.exercises,
        "cells": cells,
        "figures": figures,
        "files": {downloads["student"]: dumps(student), downloads["solutions"]: dumps(solutions)},
        "downloads": downloads,
    }
