"""The workshop's episodes: declared minutes that make 150, the Workshop section first, the GD contour's rates.

The built pages and PDFs are checked in test_site_build.py and test_handouts_pdf.py; here the record's
parts that are cheap to compute, and the agenda's checks and command line.
"""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pytest
import sympy as sp

from derive.topics import workshop as ws
from nnmath import cli
from nnmath.render.site.pages import nav, plan
from nnmath.topics.workshop import episodes as episodes_module
from nnmath.topics.workshop.episode import STAGES
from nnmath.topics.workshop.episodes import EPISODES
from nnmath.topics.workshop.schedule import BREAK_MINUTES, SESSION_MINUTES, AgendaError, check, schedule


def test_eight_to_ten_episodes_each_declaring_what_an_instructor_needs():
    assert 8 <= len([e for e in EPISODES if not e.optional]) <= 10
    for e in EPISODES:
        assert 1 <= len(e.questions) <= 3 and e.objectives and e.keypoints and e.instructor_notes, e.id
        assert e.stage in STAGES and e.minutes > 0
        assert e.references, e.id
    assert {e.stage for e in EPISODES} == set(STAGES)
    assert any("Hyperparameter" in e.title for e in EPISODES)


def test_the_practice_episode_gives_each_notebook_its_declared_minutes():
    from nnmath.topics.practice.parts import PARTS

    (practice,) = [e for e in EPISODES if e.stage == "practice"]
    assert sum(p.minutes for p in PARTS) == practice.exercise_minutes


def test_the_workshop_section_is_first_in_the_navigation():
    tree = nav(plan())
    sections = [item for item in tree if isinstance(item, dict) and isinstance(next(iter(item.values())), list)]
    first = sections[0]
    assert list(first) == ["Workshop"]
    titles = [next(iter(p)) for p in first["Workshop"]]
    assert titles == [f"{e.number}. {e.title}" for e in EPISODES]


def test_the_agenda_sums_the_declared_minutes_to_150():
    agenda = schedule(EPISODES)
    assert agenda["minutes"] == SESSION_MINUTES == 150
    stages = agenda["stages"]
    assert [s["stage"] for s in stages] == ["theory", "practice", "break", "exercises-discussion"]
    assert sum(s["minutes"] for s in stages) == 150
    assert sum(e.minutes for e in EPISODES if not e.optional) + BREAK_MINUTES == 150
    items = [i for s in stages for i in s["items"]]
    assert items[0]["start"] == 0 and items[-1]["end"] == 150
    assert all(a["end"] == b["start"] for a, b in zip(items, items[1:]))  # no gap, no overlap


def _one_line(e: BaseException) -> str:
    text = str(e)
    assert "\n" not in text
    return text


def test_too_many_minutes_name_the_episode_that_overruns():
    longer = [dataclasses.replace(e, teaching_minutes=e.teaching_minutes + 4) if e.number == 3 else e for e in EPISODES]
    with pytest.raises(AgendaError) as info:
        check(longer)
    message = _one_line(info.value)
    last = [e for e in EPISODES if not e.optional][-1]
    assert f"episode {last.number} '{last.title}'" in message and "154" in message  # the one that ends past 150


def test_too_few_minutes_name_the_last_episode():
    shorter = [
        dataclasses.replace(e, exercise_minutes=e.exercise_minutes - 2) if e.number == 2 else e for e in EPISODES
    ]
    with pytest.raises(AgendaError) as info:
        check(shorter)
    message = _one_line(info.value)
    last = [e for e in EPISODES if not e.optional][-1]
    assert f"'{last.title}'" in message and "148 of 150" in message


def test_a_bad_declaration_names_its_episode():
    bad = [dataclasses.replace(e, stage="lecture") if e.number == 5 else e for e in EPISODES]
    with pytest.raises(AgendaError, match=r"^episode 5 '.*' \(probability\): unknown stage 'lecture'"):
        check(bad)


def test_the_cli_fails_in_one_line_naming_the_episode(monkeypatch, capsys):
    longer = [
        dataclasses.replace(e, exercise_minutes=e.exercise_minutes + 10) if e.number == 4 else e for e in EPISODES
    ]
    monkeypatch.setattr(episodes_module, "EPISODES", longer)
    assert cli.main(["agenda"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("nnmath: error: episode ") and "beyond the session's 150" in err[0]


def test_the_agenda_prints_clock_times(capsys):
    assert cli.main(["agenda", "--start", "14:00"]) == 0
    out = capsys.readouterr().out
    assert "14:00–14:11" in out and "16:15–16:30" in out and "Hyperparameter" in out
    assert re.search(r"^\s+session\s+150$", out, re.M)
    assert cli.main(["agenda", "--start", "9:5"]) == 2


def test_the_contour_rates_straddle_two_over_lambda_max():
    from nnmath.topics.workshop.episodes.e04_gradient_descent import trajectories

    hessian = ws.contour_hessian()
    assert hessian == sp.hessian(ws.contour_loss(), (ws.w1, ws.w2))
    lam_max = ws.contour_lambda_max()
    assert float(lam_max) == pytest.approx(np.linalg.eigvalsh(np.array(hessian.tolist(), dtype=float)).max(), rel=1e-14)
    bound = 2 / lam_max
    runs = trajectories()
    assert len(runs) == 3
    assert [r["eta"] > bound for r in runs] == [False, False, True]
    assert sum(r["diverges"] for r in runs) == 1
    for r in runs:
        if r["diverges"]:
            assert r["gaps"][-1] > 10 * r["gaps"][0]  # the loss gap grows
        else:
            assert r["gaps"][-1] < 1e-1 * r["gaps"][0]  # and shrinks below the bound


def test_the_pages_read_from_the_sources_are_the_declared_episodes():
    from nnmath.topics.workshop import TOPIC

    assert [(p.id, p.path, p.title) for p in TOPIC.pages] == [
        (f"episode-{e.id}", e.page_path, f"{e.number}. {e.title}") for e in EPISODES
    ]
    assert [p.record for p in TOPIC.pages] == [("episodes", i) for i in range(len(EPISODES))]


def test_every_reference_is_a_page_of_the_site():
    ids = {p.id for p in plan()}
    assert [(e.id, r) for e in EPISODES for r in e.references if r not in ids] == []


def test_an_optional_episode_is_outside_the_150_minutes():
    optional = [e for e in EPISODES if e.optional]
    agenda = schedule(EPISODES)
    assert [i["id"] for i in agenda["optional"]] == [e.id for e in optional]
    assert all(i["start"] is None for i in agenda["optional"])
    longer = [dataclasses.replace(e, teaching_minutes=e.teaching_minutes + 30) if e.optional else e for e in EPISODES]
    assert schedule(longer)["minutes"] == 150


def test_a_table_is_checked_and_recorded_as_cells():
    """An idea's table: text and Tex cells, rows as wide as the header, one-line texts without '|'; the long
    column wraps."""
    from nnmath.topics.base import Tex
    from nnmath.topics.workshop.episode import Table, table_record

    long = "a long text that certainly needs to wrap on a slide"
    record = table_record(Table(("name", "value"), (("x", Tex(r"\\frac{1}{2}")), (long, "3")), caption="c"))
    assert record["header"] == [{"text": "name", "tex": ""}, {"text": "value", "tex": ""}]
    assert record["rows"][0][1] == {"text": "", "tex": r"\\frac{1}{2}"} and isinstance(record["rows"][0][1]["tex"], Tex)
    assert record["wrap"] == [True, False] and record["caption"] == "c"
    with pytest.raises(ValueError, match="2 cells, its header 3"):
        table_record(Table(("a", "b", "c"), (("1", "2"),)))
    with pytest.raises(ValueError, match="'|'"):
        table_record(Table(("a",), (("x | y",),)))


def test_the_recipe_search_is_a_table_of_episode_six_not_a_figure():
    from nnmath.topics.workshop import tuning
    from nnmath.topics.workshop.episode import episode_record

    episode = next(e for e in EPISODES if e.id == "hyperparameters")
    record = episode_record(episode, None)
    assert "recipe" not in record["figures"]
    (idea,) = [i for i in record["ideas"] if i["table"]]
    table = idea["table"]
    search = tuning.recipe_search()
    assert [r[0]["text"] for r in table["rows"]] == [s["title"] for s in search["stages"]]
    for stage, row in zip(search["stages"], table["rows"], strict=True):
        assert all(f"{tried['val_mean']:.2%}" in row[1]["text"] for tried in stage["rows"])
        over = [t for t in stage["rows"] if not t["within_budget"]]
        assert row[1]["text"].count("(over budget)") == len(over)
    assert table["wrap"] == [False, True, False]
