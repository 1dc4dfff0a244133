"""Real PDFs: ``nnmath handouts`` through pdfLaTeX, read back with poppler (pdfinfo, pdftotext, pdftoppm).

One build of all four documents (3 participants with names) is shared by the
tests; a second identical build checks the bytes, smaller ones the seed,
the paper size and the error paths.  A first page of each handout is kept as
a PNG in ``artifacts/handouts/`` to look at.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from derive.exercises import sheets
from nnmath.cli import main
from nnmath.render.handouts.texbuild import parse_log
from nnmath.render.outputs import MARKER
from nnmath.verify.exercise_check import numeric_answers
from numeric import categorical_cross_entropy_logits, sigmoid, sigmoid_grad, softmax

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts" / "handouts"
NAMES = ["Ada Lovelace", "Zoë O'Neil & Co", "Kurt_Gödel 100%"]
SEED = 2026
PDFS = {"theory": "theory.pdf", "practice": "practice.pdf", "exercises": "exercises.pdf", "answers": "answer-key.pdf"}
WIDEST_OVERFULL_PT = 1.0


def _tool(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def pages(pdf: Path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", _tool("pdfinfo", str(pdf)), re.M).group(1))


def text(pdf: Path, first: int | None = None, last: int | None = None) -> str:
    span = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    raw = _tool("pdftotext", *span, "-layout", str(pdf), "-")
    return raw.replace("\u2212", "-").replace("\u2019", "'")  # the maths minus sign, a typeset apostrophe


def _build(out: Path, *extra: str, keep: Path | None = None) -> int:
    args = ["handouts", "--out", str(out), "--seed", str(SEED), *extra]
    return main([*args, *(["--keep-build", str(keep)] if keep else [])])


@pytest.fixture(scope="module")
def names_file(tmp_path_factory) -> Path:
    f = tmp_path_factory.mktemp("names") / "names.txt"
    f.write_text("\n".join(NAMES) + "\n", encoding="utf-8")
    return f


@pytest.fixture(scope="module")
def built(tmp_path_factory, names_file) -> tuple[Path, Path]:
    """(output folder, LaTeX build folder) of one full build."""
    base = tmp_path_factory.mktemp("handouts")
    assert _build(base / "out", "--names", str(names_file), keep=base / "build") == 0
    return base / "out", base / "build"


def test_four_pdfs_with_the_expected_pages(built) -> None:
    out, _ = built
    assert sorted(p.name for p in out.iterdir()) == sorted([*PDFS.values(), MARKER])
    assert pages(out / "exercises.pdf") == 2 * len(NAMES)  # two pages per participant
    assert pages(out / "answer-key.pdf") == 1 + len(NAMES)  # cover + one page per participant
    assert pages(out / "theory.pdf") >= 6
    assert pages(out / "practice.pdf") >= 4
    assert "595.276 x 841.89 pts (A4)" in _tool("pdfinfo", str(out / "theory.pdf"))


def test_logs_have_no_undefined_references_or_overfull_boxes(built) -> None:
    _, build = built
    for name in PDFS.values():
        log = (build / name).with_suffix(".log").read_text(encoding="latin-1")
        report = parse_log(log)
        assert report.pages == pages(built[0] / name)
        assert report.undefined == (), name
        assert [w for w, _ in report.overfull if w > WIDEST_OVERFULL_PT] == [], name
        assert not [w for w in report.warnings if "undefined" in w.lower()], name


def test_each_sheet_shows_its_participant_and_numbers(built) -> None:
    out, _ = built
    for s in sheets(SEED, len(NAMES)):
        page_text = text(out / "exercises.pdf", 2 * s.participant - 1, 2 * s.participant)
        assert NAMES[s.participant - 1] in page_text
        assert f"Exercise sheet {s.participant}" in page_text
        k = round(float(np.exp(abs(float(s.exercises[0].value("x"))))))
        sign = "-" if s.exercises[0].value("x") < 0 else ""
        assert f"x={sign}log({k})" in "".join(page_text.split())
        for ex in s.exercises[2:]:  # scalar givens: learning rates, λ, biases, targets
            for q in ex.given:
                if not hasattr(q.value, "shape"):
                    assert _shown(float(q.value)) in page_text, (ex.key, q.label, q.value)


def _shown(v: float) -> str:
    """How a value appears in the PDF: a short decimal (or its 4-place rounding)."""
    s = f"{v:.4f}".rstrip("0").rstrip(".")
    return "0" if s == "-0" else s


def test_answer_key_values_equal_an_independent_numpy_recomputation(built) -> None:
    out, _ = built
    for s in sheets(SEED, len(NAMES)):
        page_text = text(out / "answer-key.pdf", s.participant + 1, s.participant + 1)
        assert NAMES[s.participant - 1] in page_text
        act, _, _, smx, _, _ = s.exercises
        x = float(act.value("x"))
        z = np.array([float(v) for v in smx.value(r"\mathbf{z}")])
        y = np.array([float(v) for v in smx.value(r"\mathbf{y}")])
        independent = [sigmoid(x), sigmoid_grad(x), *softmax(z), categorical_cross_entropy_logits(z, y)]
        expected = [_shown(float(v)) for v in independent]
        for ex in s.exercises:
            for value in numeric_answers(ex).values():
                expected += [_shown(float(v)) for v in np.ravel(value)]
        missing = [e for e in expected if e not in page_text]
        assert not missing, (s.participant, missing)
        assert len(expected) > 40


def test_pngs_of_a_page_of_each_handout(built) -> None:
    out, _ = built
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for doc, name in PDFS.items():
        for page in (1, 2):
            prefix = ARTIFACTS / f"{doc}-p{page}"
            subprocess.run(
                [
                    "pdftoppm",
                    "-png",
                    "-r",
                    "80",
                    "-f",
                    str(page),
                    "-l",
                    str(page),
                    "-singlefile",
                    str(out / name),
                    str(prefix),
                ],
                check=True,
            )
            png = prefix.with_suffix(".png")
            assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000


def test_same_seed_gives_byte_identical_pdfs(built, names_file, tmp_path) -> None:
    out, _ = built
    assert _build(tmp_path / "again", "--names", str(names_file)) == 0
    for name in PDFS.values():
        assert (tmp_path / "again" / name).read_bytes() == (out / name).read_bytes(), name


def test_another_seed_changes_the_numbers_only(built, names_file, tmp_path) -> None:
    out, _ = built
    assert _build(tmp_path / "other", "--names", str(names_file), "--seed", "7", "--only", "exercises") == 0
    assert sorted(p.name for p in (tmp_path / "other").iterdir()) == sorted(["exercises.pdf", MARKER])
    mine, other = text(out / "exercises.pdf"), text(tmp_path / "other" / "exercises.pdf")
    assert mine != other
    assert pages(tmp_path / "other" / "exercises.pdf") == pages(out / "exercises.pdf")
    assert "(seed 7)" in other and "(seed 2026)" in mine


def test_letter_paper(tmp_path) -> None:
    assert _build(tmp_path, "--only", "practice", "--paper", "letter") == 0
    assert "612 x 792 pts (letter)" in _tool("pdfinfo", str(tmp_path / "practice.pdf"))


def test_missing_tex_is_one_line_and_leaves_the_output_alone(tmp_path) -> None:
    out = tmp_path / "handouts"
    out.mkdir()
    (out / MARKER).write_text("")  # an earlier build's folder
    (out / "theory.pdf").write_bytes(b"old")
    no_tex = tmp_path / "bin"
    no_tex.mkdir()
    env = {**os.environ, "PATH": str(no_tex)}
    proc = subprocess.run(
        [sys.executable, "-m", "nnmath.cli", "handouts", "--out", str(out)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr
    assert "apt-get install" in lines[0] and "texlive-latex-extra" in lines[0] and "latexmk" in lines[0]
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "theory.pdf"]
    assert (out / "theory.pdf").read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bin", "handouts"]


def test_a_latex_error_names_the_file_and_leaves_the_output_alone(tmp_path, monkeypatch, capsys) -> None:
    from nnmath.render.handouts import texrender

    templates = tmp_path / "templates"
    shutil.copytree(texrender.TEMPLATE_DIR, templates)
    sheet = templates / "sheets.tex"
    sheet.write_text(sheet.read_text().replace(r"\begin{document}", "\\begin{document}\n\\nosuchmacro"))
    monkeypatch.setattr(texrender, "TEMPLATE_DIR", templates)
    out = tmp_path / "out"
    out.mkdir()
    (out / MARKER).write_text("")  # an earlier build's folder
    (out / "exercises.pdf").write_bytes(b"old")
    assert _build(out, "--only", "exercises") == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert re.search(r"LaTeX failed on exercises\.tex: exercises\.tex line \d+: Undefined control sequence", err[0])
    assert (out / "exercises.pdf").read_bytes() == b"old"
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "exercises.pdf"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "templates"]
