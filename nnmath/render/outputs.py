"""Output folders: nnmath writes only into folders it created, and cleans up after runs that were killed.

Every folder nnmath creates for its output (``--site-dir``, ``--out``, ``--keep-build``) gets the
marker file :data:`MARKER`.  :func:`check_output_folder` accepts a target that is missing, empty, or
carries the marker (or a marker of an earlier version, :data:`LEGACY_MARKERS`); anything else — a
file, a folder with other contents such as a project with ``.git``, a place that cannot be written —
is a one-line :class:`~nnmath.render.cli.UserError`, raised before any work starts.

Temporary folders carry the PID of the process that made them (``.site.building-PID``,
``nnmath-handouts-PID-…``, ``nnmath-slides-PID-…``); :func:`remove_stale` removes those whose process is gone.
This module is light (standard library only): the command line calls it before heavy imports.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

from derive.custom.timelimit import pid_alive
from nnmath.render.cli import UserError

MARKER = ".nnmath-output"
LEGACY_MARKERS = (".nnmath-kit",)  # the workshop kit's marker, from before MARKER
_STALE = re.compile(r"^(?:\..+\.(?:building|old|staging)|nnmath-(?:handouts|slides))-(\d+)(?:$|[-.])")


def _is_marked(folder: Path) -> bool:
    return any((folder / m).is_file() for m in (MARKER, *LEGACY_MARKERS))


def writable_parent(path: Path, option: str) -> None:
    """Raise :class:`UserError` unless ``path`` can be created: its nearest existing ancestor is a writable folder.

    Writability is tried (a temporary folder is made and removed), not guessed from permission bits:
    ``/proc`` and ``/sys`` look writable to root but refuse new folders.
    """
    ancestor = path.parent
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise UserError(f"{option} {path}: cannot write into {ancestor}: it is a file, not a folder")
    try:
        probe = tempfile.mkdtemp(prefix=".nnmath-probe-", dir=ancestor)
    except OSError as e:
        raise UserError(f"{option} {path}: cannot write into {ancestor} ({e.strerror or e})") from None
    os.rmdir(probe)


def check_output_folder(path: Path, option: str) -> Path:
    """``path`` resolved, if nnmath may write into it; else :class:`UserError` (nothing is touched).

    Allowed: a folder that does not exist yet (its parent can be written), an empty folder, or a folder
    holding :data:`MARKER`.  Refused: a file, and a foreign folder with contents.
    """
    path = Path(path).expanduser().resolve()
    if path.exists() and not path.is_dir():
        raise UserError(f"{option} {path} is a file, not a folder")
    if path.is_dir():
        try:
            foreign = any(path.iterdir()) and not _is_marked(path)
        except OSError as e:
            raise UserError(f"{option} {path}: cannot read the folder ({e.strerror or e})") from None
        if foreign:
            raise UserError(
                f"{option} {path} is a folder nnmath did not create (it has other contents and no {MARKER}): "
                "choose a new or empty folder"
            )
        writable_parent(path / "x", option)
    else:
        writable_parent(path, option)
    return path


def mark(folder: Path) -> None:
    """Write the marker into ``folder`` (which nnmath made): later runs may replace or add to it."""
    (Path(folder) / MARKER).write_text("made by nnmath; it may replace this folder's contents\n", encoding="utf-8")


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` atomically (a temporary file renamed into place) unless it already holds these
    bytes; whether it wrote."""
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return True


def keep_and_remove(build: Path, keep_build: Path | None) -> None:
    """Copy the temporary ``build`` folder to ``keep_build`` (marked as nnmath's), if asked; then remove it, always."""
    try:
        if keep_build is not None:
            shutil.copytree(build, keep_build, dirs_exist_ok=True)
            mark(keep_build)
    finally:
        shutil.rmtree(build, ignore_errors=True)


def remove_stale(folder: Path) -> list[Path]:
    """Remove the temporary folders in ``folder`` left by killed nnmath runs (their PID is dead); the removed ones."""
    removed = []
    try:
        children = list(Path(folder).iterdir())
    except OSError:
        return removed
    for child in children:
        m = _STALE.match(child.name)
        if m and int(m.group(1)) != os.getpid() and not pid_alive(int(m.group(1))) and child.is_dir():
            shutil.rmtree(child, ignore_errors=True)
            removed.append(child)
    return removed


def temporary_folder(prefix: str) -> Path:
    """A new folder in the system's temporary folder named ``PREFIX-PID-…`` (stale ones are removed first)."""
    remove_stale(Path(tempfile.gettempdir()))
    return Path(tempfile.mkdtemp(prefix=f"{prefix}-{os.getpid()}-"))
