"""The participant pack: ``participants/`` to hand out, ``participants-solutions/`` to hand out afterwards.

::

    participants/                 the exercises: what participants download or are given
      README.md                   how to run it: a local venv (3 commands), or any hosted Jupyter
      requirements.txt            numpy, matplotlib, jupyterlab — nothing else
      nnmath_practice.py          the generated functions and checks the notebooks use (NumPy only)
      part-1-linear-algebra.ipynb, ...
    participants-solutions/       the same, solved: the instructor hands it out after the session
      README.md, requirements.txt, nnmath_practice.py
      part-1-linear-algebra-solutions.ipynb, ...

The notebooks are the practice notebooks for the ``pack`` target
(:func:`nnmath.render.notebooks.build.notebook`): they import ``nnmath_practice``, not the project.
Deterministic: the same sources give the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from nnmath.render.pack.module import MODULE, module_text

FOLDER, SOLUTIONS_FOLDER = "participants", "participants-solutions"
# The pack's requirements: NumPy and Matplotlib for the notebooks, a Jupyter front end to open them.
REQUIREMENTS = ("numpy>=1.26", "matplotlib>=3.8", "jupyterlab>=4")


@dataclass(frozen=True)
class Pack:
    """A written pack: its two folders, and the notebooks in each."""

    folder: Path
    solutions: Path
    notebooks: list[Path]
    solution_notebooks: list[Path]


def _code(nbs: list) -> str:
    return "\n".join(cell.source for nb in nbs for cell in nb.cells if cell.cell_type == "code")


def build_pack(kit: Path, parts: list[dict] | None = None, command: str = "nnmath workshop") -> Pack:
    """Write ``participants/`` and ``participants-solutions/`` into ``kit`` (existing files are replaced)."""
    from nnmath.paths import TEMPLATES
    from nnmath.render.notebooks.build import build, dumps, file_name, practice_parts, write_text
    from nnmath.render.site.render import environment

    parts = practice_parts() if parts is None else parts
    notebooks = build(parts, target="pack")
    module = module_text(_code([nb for by_stem in notebooks.values() for nb in by_stem.values()]), command)
    env = environment(TEMPLATES / "pack")
    folders = {"student": kit / FOLDER, "solutions": kit / SOLUTIONS_FOLDER}
    written: dict[str, list[Path]] = {"student": [], "solutions": []}
    for variant, folder in folders.items():
        notes = [{"file": file_name(p["stem"], variant), "title": p["title"], "minutes": p["minutes"]} for p in parts]
        readme = env.get_template("README.md.j2").render(
            solutions=variant == "solutions",
            notebooks=notes,
            minutes=sum(p["minutes"] for p in parts),
            module=MODULE,
            requirements=REQUIREMENTS,
            folder=folder.name,
            other=folders["student"].name,
        )
        write_text(folder / "README.md", readme)
        write_text(folder / "requirements.txt", "".join(f"{r}\n" for r in REQUIREMENTS))
        write_text(folder / f"{MODULE}.py", module)
        for p in parts:
            path = folder / file_name(p["stem"], variant)
            write_text(path, dumps(notebooks[variant][p["stem"]]))
            written[variant].append(path)
    return Pack(folders["student"], folders["solutions"], written["student"], written["solutions"])
