"""``nnmath slides``: real Beamer PDFs of the workshop's episodes, read back with poppler.

One build (clock from 0:00, LaTeX kept) is shared by the tests; a second with ``--start 14:00`` checks
the clock, a third the bytes.  Titles, footers and formulas are compared with the workshop's record.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from nnmath.cli import main
from nnmath.render.handouts.texbuild import parse_log
from nnmath.render.outputs import MARKER
from nnmath.render.slides import layout
from nnmath.render.slides.build import NOTES, SLIDES, TEMPLATES, workshop_record
from nnmath.render.slides.deck import span

WIDEST_OVERFULL_PT = 1.0


def _tool(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def page_texts(pdf: Path) -> list[str]:
    """The text of every page (pdftotext separates pages by form feeds), whitespace collapsed."""
    pages = _tool("pdftotext", str(pdf), "-").split("\f")[:-1]
    return [" ".join(p.split()) for p in pages]


def ascii_prefix(text: str) -> str:
    """The text up to its first non-ASCII character, whitespace collapsed (Wᵀ is W⊤ in the PDF, σ′ is σ ′)."""
    return re.split(r"[^\x00-\x7f]", " ".join(text.split()))[0].strip()


@pytest.fixture(scope="module")
def record() -> dict:
    return workshop_record()


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    """(output folder, LaTeX build folder) of one build, clock times from 0:00."""
    base = tmp_path_factory.mktemp("slides")
    assert main(["slides", "--out", str(base / "out"), "--keep-build", str(base / "build")]) == 0
    return base / "out", base / "build"


@pytest.fixture(scope="module")
def at_two(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("slides-14") / "out"
    assert main(["slides", "--out", str(out), "--start", "14:00"]) == 0
    return out


def test_two_pdfs_on_a_16_by_9_page(built) -> None:
    out, _ = built
    assert sorted(p.name for p in out.iterdir()) == sorted([SLIDES, NOTES, MARKER])  # MARKER: nnmath made it
    for name in (SLIDES, NOTES):
        w, h = (
            float(v)
            for v in re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", _tool("pdfinfo", str(out / name))).groups()
        )
        assert w / h == pytest.approx(16 / 9, rel=1e-3), name


def test_every_font_is_embedded(built) -> None:
    out, _ = built
    for name in (SLIDES, NOTES):
        rows = _tool("pdffonts", str(out / name)).splitlines()[2:]
        assert rows, name
        assert all(row.split()[-5] == "yes" for row in rows), (name, [r for r in rows if r.split()[-5] != "yes"])


def test_logs_have_no_overfull_box_over_1pt(built) -> None:
    out, build = built
    for name in (SLIDES, NOTES):
        report = parse_log((build / name).with_suffix(".log").read_text(encoding="latin-1"))
        assert report.pages == len(page_texts(out / name))
        assert [w for w, _ in report.overfull if w > WIDEST_OVERFULL_PT] == [], name
        assert report.undefined == (), name


def test_every_episode_has_slides_with_its_title_and_footer(built, record) -> None:
    pages = page_texts(built[0] / SLIDES)
    assert pages[0].startswith("The mathematics of neural networks")
    for e in record["episodes"]:
        footer = f"{e['number']} · {' '.join(e['title'].split())} · {span(e['start'], e['end'], 0)}"
        mine = [p for p in pages if footer in p]
        assert mine, footer
        assert any(" ".join(e["title"].split()) in p.replace(footer, "") for p in mine), e["title"]
        for idea in e["ideas"]:
            assert any(ascii_prefix(idea["heading"]) in p for p in mine), idea["heading"]
    assert "0:22–0:33" in " ".join(pages)  # episode 3's span in the record used here


def test_start_shifts_the_clock(at_two, record) -> None:
    text = " ".join(page_texts(at_two / SLIDES))
    for e in record["episodes"]:
        if e["start"] is not None:
            assert f"{e['number']} · {' '.join(e['title'].split())} · {span(e['start'], e['end'], 14 * 60)}" in text
            assert span(e["start"], e["end"], 14 * 60).startswith(f"{14 + e['start'] // 60}:")
    assert "0:11–0:22" not in text and "14:11–14:22" in text


def test_same_input_gives_byte_identical_pdfs(built, tmp_path) -> None:
    assert main(["slides", "--out", str(tmp_path)]) == 0
    for name in (SLIDES, NOTES):
        assert (tmp_path / name).read_bytes() == (built[0] / name).read_bytes(), name


def test_formulas_come_from_the_record(built, record) -> None:
    tex = (built[1] / "slides.tex").read_text(encoding="utf-8")
    for e in record["episodes"]:
        for idea in e["ideas"]:
            for f in idea["formulas"]:
                assert f"\\[ {f} \\]" in tex
            for s in idea["steps"]:
                assert s["rhs"] in tex


def test_a_table_is_a_booktabs_table_with_the_records_values(built, record) -> None:
    """The recipe search of episode 6 is typeset as a table (no image), its header on every frame it is on."""
    tex = (built[1] / "slides.tex").read_text(encoding="utf-8")
    assert r"\begin{tabularx}{\linewidth}{@{}l>{\raggedright\arraybackslash}Xl@{}}" in tex and r"\toprule" in tex
    text = " ".join(page_texts(built[0] / "slides.pdf"))
    tables = [i["table"] for e in record["episodes"] for i in e["ideas"] if i["table"]]
    assert tables
    for table in tables:
        for row in table["rows"]:
            for cell in row:
                for word in cell["text"].split():
                    assert word in text, word
        assert table["caption"] in text


def test_a_derivation_is_revealed_one_line_per_page(built, record) -> None:
    pages = page_texts(built[0] / SLIDES)
    (chain,) = [i for e in record["episodes"] for i in e["ideas"] if len(i["steps"]) >= 3][:1]
    notes = [s["note"] for s in chain["steps"] if s["note"]]
    shown = [sum(n in p for n in notes) for p in pages if any(n in p for n in notes)]
    assert len(shown) >= len(notes)
    assert shown[: len(notes)] == sorted(shown[: len(notes)])  # each page shows one line more
    assert shown[0] == 1 and max(shown) >= 2


def test_each_challenge_then_its_solution(built, record) -> None:
    pages = [p.replace("−", "-") for p in page_texts(built[0] / SLIDES)]
    for e in record["episodes"]:
        for c in e["challenges"]:
            title = " ".join(c["title"].split())
            last = max(i for i, p in enumerate(pages) if p.startswith(f"Challenge: {title}"))
            assert pages[last + 1].startswith(f"Solution: {title}")
            numbers = re.findall(r"\d+(?:\.\d+)?", c["answer"])
            assert all(n in pages[last + 1] for n in numbers), (c["answer"], pages[last + 1])


def test_notes_hold_instructor_notes_and_answers(built, record) -> None:
    text = " ".join(page_texts(built[0] / NOTES))
    for e in record["episodes"]:
        for note in e["instructor_notes"]:
            assert ascii_prefix(note) in text.replace("’", "'"), note
        for c in e["challenges"]:
            numbers = re.findall(r"\d+(?:\.\d+)?", c["answer"])
            assert re.search(r"Answer: [^•]*" + r"[^•]*".join(map(re.escape, numbers)), text), c["answer"]


def test_templates_never_shrink_text() -> None:
    for template in TEMPLATES.glob("*.tex"):
        source = template.read_text(encoding="utf-8")
        for shrink in (r"\tiny", r"\scriptsize", r"\footnotesize", r"\resizebox", r"\scalebox", r"\shrink"):
            assert shrink not in source, (template.name, shrink)
        assert source.count(r"\small") == 1 and r"\small\hskip1em\slidefooter" in source  # the footer only
        assert r"\documentclass[aspectratio=169" in source


@pytest.mark.parametrize("start", ["25:00", "9.30", "noon", "14:7", ""])
def test_a_bad_start_is_one_line_and_exit_2(start, tmp_path, capsys) -> None:
    assert main(["slides", "--out", str(tmp_path / "out"), "--start", start]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--start" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_out_that_is_a_file_is_one_line(tmp_path, capsys) -> None:
    (tmp_path / "f").write_text("mine")
    assert main(["slides", "--out", str(tmp_path / "f")]) == 2
    assert capsys.readouterr().err.count("\n") == 1
    assert (tmp_path / "f").read_text() == "mine"


def test_pack_splits_a_full_slide_and_marks_it_continued() -> None:
    units = [layout.Unit("item", {"text": f"point {i}"}, 30.0) for i in range(20)]
    frames = layout.pack("k", "Points", "footer", units)
    assert len(frames) > 2 and sum(len(f.units) for f in frames) == 20
    assert frames[0].title == "Points" and all(f.title == "Points (continued)" for f in frames[1:])
    for f in frames:
        assert layout.title_height(f.title) + sum(u.height for u in f.units) <= layout.BODY_PT


def test_pack_gives_a_figure_its_own_frame_when_little_room_is_left() -> None:
    text = layout.Unit("text", {"text": "x"}, 150.0)
    figure = layout.Unit("figure", {"path": "f.pdf"}, 190.0)
    first, second = layout.pack("k", "T", "f", [text, figure])
    assert [u.kind for u in first.units] == ["text"] and [u.kind for u in second.units] == ["figure"]
    assert float(second.units[0].data["height"].removesuffix("pt")) <= layout.BODY_PT


def test_a_frame_that_overflows_is_split_again(monkeypatch, tmp_path) -> None:
    """With estimates far too optimistic, the first compile overflows; the build packs those frames again."""
    monkeypatch.setattr(layout, "BODY_PT", 260.0)
    assert main(["slides", "--out", str(tmp_path / "out"), "--keep-build", str(tmp_path / "build")]) == 0
    report = parse_log((tmp_path / "build" / "slides.log").read_text(encoding="latin-1"))
    assert [w for w, _ in report.overfull if w > WIDEST_OVERFULL_PT] == []


def test_pack_puts_a_long_table_on_frames_of_its_own_in_even_parts() -> None:
    """A table that does not fit after the text starts a frame; too long for one, it is split into even parts,
    and the template's block repeats its header on each frame."""
    head = {"header": [{"text": "a", "tex": ""}], "wrap": [False]}
    rows = [layout.Unit("row", {**head, "cells": [{"text": str(k), "tex": ""}]}, 30.0) for k in range(9)]
    frames = layout.pack("k", "Title", "f", [layout.Unit("text", {"text": "x"}, 150.0), *rows])
    assert [[u.kind for u in f.units] for f in frames] == [["text"], ["row"] * 5, ["row"] * 4]
    table = layout.blocks(frames[2].units)
    assert len(table) == 1 and table[0]["kind"] == "table" and table[0]["header"] == head["header"]
    assert [line["cells"][0]["text"] for line in table[0]["lines"]] == ["5", "6", "7", "8"]
