"""Run the participant pack's notebooks with nbclient; print one JSON line of what each run gave.

Run by ``tests/test_participant_pack.py`` with the Python of a fresh virtual environment (numpy, matplotlib,
ipykernel, nbclient only), so it imports nothing of nnmath: ``run_pack.py FOLDER``.  Each notebook runs in
FOLDER (beside ``nnmath_practice.py``), every cell, as far as it goes.
"""

import json
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


def run(path: Path) -> dict:
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    error = None
    try:
        NotebookClient(
            nb, kernel_name="python3", timeout=300, resources={"metadata": {"path": str(path.parent)}}
        ).execute()
    except CellExecutionError as e:
        error = str(e).strip().splitlines()[-1] if str(e).strip() else type(e).__name__
    seconds = time.perf_counter() - start
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        outputs = cell.get("outputs", [])
        cells.append(
            {
                "tags": cell.get("metadata", {}).get("tags", []),
                "executed": cell.get("execution_count") is not None,
                "errors": [f"{o.get('ename')}: {o.get('evalue')}" for o in outputs if o.output_type == "error"],
                "stdout": "".join(o.get("text", "") for o in outputs if o.get("name") == "stdout"),
                "stderr": "".join(o.get("text", "") for o in outputs if o.get("name") == "stderr"),
                "figures": sum("image/png" in o.get("data", {}) for o in outputs),
            }
        )
    return {"notebook": path.name, "seconds": seconds, "error": error, "cells": cells}


if __name__ == "__main__":
    results = [run(p) for p in sorted(Path(sys.argv[1]).glob("*.ipynb"))]
    print(json.dumps(results))
