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
import unicodedata
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

from derive.exercises import sheets
from nnmath.cli import main
from nnmath.render.handouts.texbuild import parse_log
from nnmath.render.outputs import MARKER
from nnmath.topics.exercises.sheets import PAGES_PER_SHEET
from nnmath.verify.exercise_check import numeric_answers
from numeric import categorical_cross_entropy_logits, lookup, softmax

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts" / "handouts"
NAMES = ["Ada Lovelace", "Zoë O'Neil & Co", "Kurt_Gödel 100%"]
SEED = 2026
PDFS = {
    "theory": "theory.pdf",
    "practice": "practice.pdf",
    "exercises": "exercises.pdf",
    "answers": "answer-key.pdf",
    "instructor": "instructor-guide.pdf",
}
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


def test_five_pdfs_with_the_expected_pages(built) -> None:
    out, _ = built
    assert sorted(p.name for p in out.iterdir()) == sorted([*PDFS.values(), MARKER])
    assert pages(out / "exercises.pdf") == PAGES_PER_SHEET * len(NAMES)  # the layout's pages per participant
    assert pages(out / "answer-key.pdf") == 1 + len(NAMES)  # cover + one page per participant
    assert pages(out / "theory.pdf") >= 6
    assert pages(out / "practice.pdf") >= 4
    assert "595.276 x 841.89 pts (A4)" in _tool("pdfinfo", str(out / "theory.pdf"))


def _letters(text: str) -> str:
    """Only ASCII letters and digits (¹ → 1; ᵀ, typeset as ⊤, dropped): what survives typesetting and pdftotext."""
    return re.sub(r"[^A-Za-z0-9]", "", unicodedata.normalize("NFKC", text.replace("ᵀ", "")))


def _workshop() -> dict:
    from nnmath.records import records
    from nnmath.topics import topic

    recs, _ = records([topic("workshop")])
    return recs["workshop"]


def test_the_instructor_guide_has_every_episode_answer_and_prompt(built) -> None:
    out, _ = built
    guide = text(out / "instructor-guide.pdf")
    letters = _letters(guide)
    workshop = _workshop()
    assert "Timeline" in guide and "Hyperparameter" in guide
    theory = text(out / "theory.pdf")
    assert "Vectors, matrices and a layer" in theory and "The chain rule, one neuron" in theory
    assert "Hyperparameter" in theory and "Overfitting" in theory
    for e in workshop["episodes"]:  # the ideas' tables (the recipe search) are typeset in the theory summary
        for table in (i["table"] for i in e["ideas"] if i["table"] and e["id"] == "hyperparameters"):
            for row in table["rows"]:
                words = [w for c in row for w in c["text"].split()]  # a wrapped cell's lines interleave with others'
                assert all(_letters(w) in _letters(theory) for w in words), row[0]["text"]
    for e in workshop["episodes"]:
        assert _letters(e["title"]) in letters, e["title"]
        for c in e["challenges"]:
            assert _letters(c["answer"]) in letters and _letters(c["solution"]) in letters, c["title"]
            assert all(_letters(m) in letters for m in c["mistakes"]), c["title"]
        assert all(_letters(p) in letters for p in e["prompts"])
        assert all(_letters(n) in letters for n in e["instructor_notes"])
    assert sum(len(e["prompts"]) for e in workshop["episodes"]) >= 3


def test_participant_handouts_hold_no_solution(built) -> None:
    out, _ = built
    from nnmath.render.handouts.build import PARTICIPANT_DOCUMENTS

    solutions = [_letters(c["solution"]) for e in _workshop()["episodes"] for c in e["challenges"]]
    for document in PARTICIPANT_DOCUMENTS:
        raw = text(out / PDFS[document])
        letters = _letters(raw)
        assert not [s for s in solutions if s in letters], document
        assert "\\frac" not in raw and "\\left" not in raw, document  # no formula typeset as text


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
        first, last = PAGES_PER_SHEET * (s.participant - 1) + 1, PAGES_PER_SHEET * s.participant
        page_text = text(out / "exercises.pdf", first, last)
        assert NAMES[s.participant - 1] in page_text
        assert f"Exercise sheet {s.participant}" in page_text
        x = s.exercises[0].value("x")
        shown = f"x={'-' if x < 0 else ''}log({sp.exp(abs(x))})" if x.has(sp.log) else f"x={_shown(float(x))}"
        assert shown in "".join(page_text.split()), shown
        for ex in s.exercises[2:]:  # scalar givens: learning rates, λ, biases, targets, strides, LIF constants
            for q in ex.given:
                if not hasattr(q.value, "shape"):
                    assert _shown(float(q.value)) in page_text, (ex.key, q.label, q.value)


PT_PER_CM = 72 / 2.54
BOTTOM_MARGIN_PT = 20 * 72 / 25.4  # templates/handouts/preamble.tex: bottom=20mm


def exercise_spans(pdf: Path) -> list[tuple[int, int, float]]:
    """(page, exercise number, cm from the exercise's heading to the next heading or the end of the text block)."""
    html = _tool("pdftotext", "-bbox", str(pdf), "-")
    word = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]*)</word>')
    out = []
    for number, page in enumerate(html.split("<page ")[1:], 1):
        height = float(re.search(r'height="([\d.]+)"', page).group(1))
        words = word.findall(page)
        left = min(float(x) for x, _, _ in words)
        heads = [(float(y), int(t[:-1])) for x, y, t in words if re.fullmatch(r"\d+\.", t) and float(x) - left < 2]
        ends = [y for y, _ in heads[1:]] + [height - BOTTOM_MARGIN_PT]
        out += [(number, exercise, (end - y) / PT_PER_CM) for (y, exercise), end in zip(heads, ends)]
    return out


def test_every_exercise_gets_half_a_page_and_the_long_ones_a_page(built) -> None:
    from nnmath.topics.exercises.sheets import HALVES, KEYS

    out, build = built
    spans = exercise_spans(out / "exercises.pdf")
    assert [n for _, n, _ in spans] == list(range(1, len(KEYS) + 1)) * len(NAMES)  # each exercise once, in order
    text_height_cm = (841.89 - 42 * 72 / 25.4) / PT_PER_CM  # A4 minus the top and bottom margins: 25.5 cm
    for page, exercise, cm in spans:
        halves = HALVES[KEYS[exercise - 1]]
        assert cm >= 0.48 * halves * text_height_cm, (page, exercise, cm)  # 12.2 cm a half page (was 3.5 cm)
    log = parse_log((build / "exercises.log").read_text(encoding="latin-1"))
    assert log.overfull == ()  # no exercise box is fuller than its half or whole page


def _shown(v: float) -> str:
    """How a value appears in the PDF: a short decimal (or its 4-place rounding)."""
    s = f"{v:.4f}".rstrip("0").rstrip(".")
    return "0" if s == "-0" else s


def test_answer_key_values_equal_an_independent_numpy_recomputation(built) -> None:
    out, _ = built
    for s in sheets(SEED, len(NAMES)):
        page_text = text(out / "answer-key.pdf", s.participant + 1, s.participant + 1)
        assert NAMES[s.participant - 1] in page_text
        act, smx = s.exercises[0], s.exercises[3]
        x, generated = float(act.value("x")), lookup(act.entries[0])
        z = np.array([float(v) for v in smx.value(r"\mathbf{z}")])
        y = np.array([float(v) for v in smx.value(r"\mathbf{y}")])
        independent = [
            generated.function(x),
            generated.gradient(x),
            *softmax(z),
            categorical_cross_entropy_logits(z, y),
        ]
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
