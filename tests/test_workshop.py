"""``nnmath workshop``: the agenda's arithmetic, and a real kit for 3 participants opened from disk.

The kit is built once for the module (handouts through pdfLaTeX, the site through MkDocs, the notebooks
executed when their cache is cold) and read back: PDFs with poppler, notebooks with nbformat, the
site in headless Chromium from ``file://`` — maths typeset, search working, no request to any host.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
from pathlib import Path

import nbformat
import pytest
from playwright.sync_api import sync_playwright
from site_support import CHROMIUM, CHROMIUM_FLAGS

from nnmath import cli
from nnmath.render.kit import agenda as agenda_module
from nnmath.render.kit.agenda import (
    PRACTICE_MINUTES,
    SESSION_MINUTES,
    THEORY_MINUTES,
    AgendaError,
    allocate,
    build_agenda,
)
from nnmath.render.kit.kit import MARKER
from nnmath.render.notebooks.build import build, dumps, file_name
from nnmath.render.site.pages import plan
from nnmath.topics.base import NOTEBOOKS, Page
from nnmath.topics.practice.parts import PARTS

PARTICIPANTS = 3
SEED = 2026

# --- the agenda ------------------------------------------------------------------------------------


def test_allocate_gives_whole_minutes_in_proportion_summing_exactly():
    assert allocate([1, 1, 1], 10, minimum=3) == [4, 3, 3]  # the tie goes to the first
    assert allocate([3.0, 15.0, 18.5, 4.0], 40) == [5, 13, 16, 6]
    assert allocate([0, 0], 9, minimum=3) == [5, 4]
    for weights in ([0.5] * 12, [3, 0.5, 12, 7.25], [1e-9, 1.0]):
        minutes = allocate(weights, 47)
        assert sum(minutes) == 47 and min(minutes) >= 3
    with pytest.raises(AgendaError, match="cannot give 4 items 3 minutes each"):
        allocate([1, 1, 1, 1], 11)


@pytest.fixture(scope="module")
def student_notebooks(tmp_path_factory) -> list[tuple[Path, str]]:
    folder = tmp_path_factory.mktemp("notebooks")
    out = []
    for stem, nb in build()["student"].items():
        path = folder / f"{stem}.ipynb"
        path.write_text(dumps(nb), encoding="utf-8")
        out.append((path, f"notebooks/student/{path.name}"))
    return out


def test_the_agenda_is_computed_from_the_contents(student_notebooks):
    pages = plan()
    agenda = build_agenda(pages, student_notebooks, PARTICIPANTS, SEED)
    assert agenda.minutes == SESSION_MINUTES == 150
    stages = [b for b in agenda.blocks if b.stage]
    assert [b.stage for b in stages] == [1, 2, 3]
    assert all(sum(i.minutes for i in b.items) == b.minutes for b in stages)
    theory, practice, exercises = (b.items for b in stages)
    sections = list(dict.fromkeys(p.nav[0] for p in pages if p.nav and p.nav[0] != NOTEBOOKS))
    assert [i.title for i in theory[1:]] == sections  # every section of the site, in navigation order
    assert sum(i.minutes for i in theory) == THEORY_MINUTES
    listed = " ".join(d for i in theory for d in i.details)
    assert all(p.title in listed for p in pages if p.nav and p.nav[0] != NOTEBOOKS)
    assert [i.title for i in practice] == [p.title for p in PARTS]
    assert sum(i.minutes for i in practice) == PRACTICE_MINUTES
    assert [i.details[0] for i in practice] == ["Practises: " + ", ".join(p.practises) for p in PARTS]
    numbered = [d for i in practice for d in i.details[1:]]
    assert numbered == [f"Exercise {n}: " + d.split(": ", 1)[1] for n, d in zip(_exercise_numbers(), numbered)]
    assert len(exercises) == 7 and exercises[-1].title == "Discussion: the limits of AI models"
    spans = agenda.schedule(9 * 60)
    assert spans[0][1] == "9:00–9:45" and spans[-1][1] == "10:45–11:30"


def _exercise_numbers() -> list[str]:
    return [n for nb in build()["solutions"].values() for n in nb.metadata.nnmath.exercises]


def test_a_new_site_section_shrinks_the_others_and_keeps_150_minutes(student_notebooks):
    pages = plan()
    more = [*pages, *(Page(f"x{i}", f"cnn/x{i}.md", f"Topic {i}", "x.md.j2", ("CNNs and RNNs",)) for i in range(3))]
    before = build_agenda(pages, student_notebooks, PARTICIPANTS, SEED)
    after = build_agenda(more, student_notebooks, PARTICIPANTS, SEED)
    assert after.minutes == 150
    new = [i for i in after.blocks[0].items if i.title == "CNNs and RNNs"]
    assert len(new) == 1 and new[0].minutes >= agenda_module.MINIMUM_MINUTES
    assert sum(i.minutes for i in after.blocks[0].items[1:-1]) < sum(i.minutes for i in before.blocks[0].items[1:])


# --- the kit ---------------------------------------------------------------------------------------


def digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def kit(tmp_path_factory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("workshop") / "kit"
    import contextlib
    import io

    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout):
        status = cli.main(["workshop", "--participants", str(PARTICIPANTS), "--seed", str(SEED), "--out", str(out)])
    assert status == 0
    return out, stdout.getvalue()


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def test_the_kit_has_every_artefact(kit):
    out, summary = kit
    for rel in ("README.md", "agenda.md", "agenda.html", MARKER, "site/index.html", "site/notation.html"):
        assert (out / rel).is_file(), rel
    assert not list(out.parent.glob(".kit.*"))  # no temporary folder left beside it
    assert pdf_pages(out / "handouts" / "exercises.pdf") == 2 * PARTICIPANTS
    assert pdf_pages(out / "handouts" / "answer-key.pdf") == PARTICIPANTS + 1
    assert pdf_pages(out / "handouts" / "theory.pdf") >= 5 and pdf_pages(out / "handouts" / "practice.pdf") >= 3
    for p in PARTS:
        student = nbformat.read(out / "notebooks" / "student" / file_name(p.stem, "student"), as_version=4)
        solutions = nbformat.read(out / "notebooks" / "solutions" / file_name(p.stem, "solutions"), as_version=4)
        nbformat.validate(student)
        nbformat.validate(solutions)
        assert all(c.get("outputs", []) == [] for c in student.cells)
        assert any("# your code here" in c.source for c in student.cells if c.cell_type == "code")
        assert any(c.get("outputs") for c in solutions.cells)
        assert not any(o.output_type == "error" for c in solutions.cells for o in c.get("outputs", []))
    for rel in ("site/index.html", "handouts/exercises.pdf", "notebooks/student/", "agenda.html", "README.md"):
        assert rel in summary, rel
    assert re.search(r"^done in \d+\.\d s \(handouts [\d.]+ s, site \([a-z, ]+\) [\d.]+ s, ", summary, re.M)
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "| exercise sheets | `handouts/exercises.pdf` | 3 sheets × 2 pages = 6 pages (seed 2026) |" in readme
    agenda = (out / "agenda.md").read_text(encoding="utf-8")
    assert "150 minutes (2 h 30), 3 participants, exercise seed 2026." in agenda
    for p in PARTS:
        assert f"notebooks/student/{file_name(p.stem, 'student')}" in agenda
    html = (out / "agenda.html").read_text(encoding="utf-8")
    assert "<table>" in html and "http" not in html  # self-contained
    links = re.findall(r'href="([^"]+)"', html)
    assert len(links) >= 15 and all((out / link).is_file() for link in links), links  # every material opens


def test_the_kit_site_opens_from_disk_with_maths_and_search(kit):
    out, _ = kit
    site = out / "site"
    pages = ["index.html", "notation.html"] + [f"notebooks/{p.stem}.html" for p in PARTS]
    problems = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page()
        console, foreign = [], []
        page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: console.append(f"uncaught: {e}"))
        page.on("request", lambda r: foreign.append(r.url) if not r.url.startswith(("file:", "data:")) else None)
        for rel in pages:
            page.goto((site / rel).as_uri(), wait_until="load")
            maths = page.locator(".katex").count()
            errors = page.locator(".nnmath-math-error, .katex-error").count()
            images = page.evaluate("Array.from(document.images).map(i => i.complete && i.naturalWidth > 0)")
            if rel.startswith("notebooks/") and (maths < 5 or not images):
                problems.append(f"{rel}: {maths} formulas, {len(images)} images")
            if errors or not all(images):
                problems.append(f"{rel}: {errors} maths errors, images {images}")
            links = page.evaluate("Array.from(document.querySelectorAll('a[href$=\".ipynb\"]')).map(a => a.href)")
            for href in links:
                if not Path(href.removeprefix("file://")).is_file():
                    problems.append(f"{rel}: download {href} missing")
            if rel.startswith("notebooks/") and len(links) != 2:
                problems.append(f"{rel}: {len(links)} notebook downloads")
        page.goto((site / "index.html").as_uri(), wait_until="load")
        page.locator("input.md-search__input").click()
        page.keyboard.type("backpropagation")
        results = page.locator(".md-search-result__item a.md-search-result__link")
        results.first.wait_for(timeout=10_000)
        hrefs = results.evaluate_all("links => links.map(a => a.getAttribute('href'))")
        browser.close()
    assert problems == []
    assert console == [] and foreign == []
    assert any("calculus/backpropagation.html" in h for h in hrefs), hrefs


def test_a_failed_build_leaves_the_previous_kit_intact(kit, monkeypatch, capsys, tmp_path):
    out, _ = kit
    before = digest(out)
    not_a_folder = tmp_path / "cache"
    not_a_folder.write_text("")
    monkeypatch.setenv("NNMATH_ASSET_CACHE", str(not_a_folder))  # the site build cannot install KaTeX there
    status = cli.main(["workshop", "--participants", "1", "--seed", "1", "--out", str(out)])
    err = capsys.readouterr().err
    assert status == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err
    assert lines[0].startswith(f"nnmath: error: the workshop kit was not built ({out} is unchanged): ")
    assert "NotADirectoryError" in lines[0] and str(not_a_folder) in lines[0]
    assert digest(out) == before
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".kit.")]


def test_out_must_be_new_empty_or_a_kit(tmp_path, capsys):
    precious = tmp_path / "thesis"
    precious.mkdir()
    (precious / "chapter1.tex").write_text("do not delete")
    assert cli.main(["workshop", "--out", str(precious)]) == 2
    assert "is a folder nnmath did not create (it has other contents and no .nnmath-output)" in capsys.readouterr().err
    assert [p.name for p in precious.iterdir()] == ["chapter1.tex"]
    (tmp_path / "file").write_text("")
    assert cli.main(["workshop", "--out", str(tmp_path / "file")]) == 2
    assert "is a file, not a folder" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--participants", "0"], "--participants must be between 1 and 1000, not 0"),
        (["--start", "25:00"], "--start must be a time of day like 09:30, not '25:00'"),
    ],
)
def test_bad_arguments_are_one_line(args, message, tmp_path, capsys):
    assert cli.main(["workshop", "--out", str(tmp_path / "kit"), *args]) == 2
    assert capsys.readouterr().err.strip() == f"nnmath: error: {message}"
    assert not (tmp_path / "kit").exists()
