"""``nnmath workshop``: the agenda's clock times, and a real kit for 3 participants opened from disk.

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
from nnmath.render.kit.agenda import SESSION_MINUTES, build_agenda
from nnmath.render.kit.kit import MARKER
from nnmath.render.notebooks.build import file_name
from nnmath.topics.exercises.sheets import PAGES_PER_SHEET
from nnmath.topics.practice.parts import PARTS
from nnmath.topics.workshop.episodes import EPISODES

PARTICIPANTS = 3
SEED = 2026

# --- the agenda ------------------------------------------------------------------------------------
# (its arithmetic and its one-line errors: tests/test_episodes.py)


def test_the_agenda_is_the_declared_minutes_with_clock_times():
    agenda = build_agenda(PARTICIPANTS, SEED, start=9 * 60)
    assert agenda.minutes == SESSION_MINUTES == 150
    stages = agenda.stages()
    assert [s["stage"] for s in stages] == ["theory", "practice", "break", "exercises-discussion"]
    assert stages[0]["time"].startswith("09:00–") and stages[-1]["time"].endswith("–11:30")
    rows = agenda.rows()
    assert [r.title for r in rows if r.number] == [e.title for e in EPISODES if not e.optional]
    assert all(r.minutes == r.teaching + r.exercises for r in rows if r.number)
    assert build_agenda().rows()[0].time == "0:00–0:11"


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
    assert pdf_pages(out / "handouts" / "exercises.pdf") == PAGES_PER_SHEET * PARTICIPANTS
    assert pdf_pages(out / "handouts" / "answer-key.pdf") == PARTICIPANTS + 1
    assert pdf_pages(out / "handouts" / "theory.pdf") >= 5 and pdf_pages(out / "handouts" / "practice.pdf") >= 3
    assert pdf_pages(out / "handouts" / "instructor-guide.pdf") > len(EPISODES)  # the timeline, then a page each
    assert pdf_pages(out / "slides" / "slides.pdf") >= 20 and pdf_pages(out / "slides" / "slides-notes.pdf") >= 10
    for p in PARTS:
        student = nbformat.read(out / "notebooks" / "student" / file_name(p.stem, "student"), as_version=4)
        solutions = nbformat.read(out / "notebooks" / "solutions" / file_name(p.stem, "solutions"), as_version=4)
        nbformat.validate(student)
        nbformat.validate(solutions)
        assert all(c.get("outputs", []) == [] for c in student.cells)
        assert any("# your code here" in c.source for c in student.cells if c.cell_type == "code")
        assert any(c.get("outputs") for c in solutions.cells)
        assert not any(o.output_type == "error" for c in solutions.cells for o in c.get("outputs", []))
        assert (
            out / "participants" / file_name(p.stem, "student")
        ).is_file()  # the pack (tests/test_participant_pack.py)
        assert (out / "participants-solutions" / file_name(p.stem, "solutions")).is_file()
    for rel in ("README.md", "requirements.txt", "nnmath_practice.py"):
        assert (out / "participants" / rel).is_file() and (out / "participants-solutions" / rel).is_file(), rel
    for rel in (
        "site/index.html",
        "handouts/exercises.pdf",
        "notebooks/student/",
        "participants/",
        "participants-solutions/",
        "agenda.html",
        "README.md",
        "slides/slides.pdf",
    ):
        assert rel in summary, rel
    assert re.search(r"^done in \d+\.\d s \(handouts [\d.]+ s, site \([a-z, ]+\) [\d.]+ s, ", summary, re.M)
    readme = (out / "README.md").read_text(encoding="utf-8")
    pages = f"3 sheets × {PAGES_PER_SHEET} pages = {3 * PAGES_PER_SHEET} pages"
    assert f"| exercise sheets | `handouts/exercises.pdf` | {pages} (seed 2026) |" in readme
    agenda = (out / "agenda.md").read_text(encoding="utf-8")
    assert "150 minutes (2 h 30), 3 participants, exercise seed 2026." in agenda
    for e in EPISODES:
        assert f"site/workshop/{e.number:02d}-{e.id}.html" in agenda
    assert "Hyperparameter" in agenda
    assert "handouts/instructor-guide.pdf" in summary
    html = (out / "agenda.html").read_text(encoding="utf-8")
    assert "<table>" in html and "http" not in html  # self-contained
    links = re.findall(r'href="([^"]+)"', html)
    assert len(links) >= len(EPISODES) and all((out / link).is_file() for link in links), links  # every page opens


def test_the_kit_site_opens_from_disk_with_maths_and_search(kit):
    out, _ = kit
    site = out / "site"
    pages = ["index.html", "notation.html"] + [f"notebooks/{p.stem}.html" for p in PARTS]
    pages += [f"workshop/{e.number:02d}-{e.id}.html" for e in EPISODES]
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
            if rel.startswith(("notebooks/", "workshop/")) and (maths < 1 or not images):
                problems.append(f"{rel}: {maths} formulas, {len(images)} images")
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
    monkeypatch.setenv("NNMATH_ASSETS", str(not_a_folder))  # the site build finds no KaTeX there
    status = cli.main(["workshop", "--participants", "1", "--seed", "1", "--out", str(out)])
    err = capsys.readouterr().err
    assert status == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err
    assert lines[0].startswith(f"nnmath: error: the workshop kit was not built ({out} is unchanged): ")
    assert "front-end assets" in lines[0] and f"not installed in {not_a_folder}" in lines[0]
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
