"""The command line as a new user meets it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from derive.catalogue import entries, get
from nnmath.cli import main
from nnmath.render.cli.derive import describe, drawn, utf8
from nnmath.render.cli.listing import sections
from nnmath.topics import TOPICS
from nnmath.topics.catalogue.entry import entry_record


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "nnmath.cli", *args], capture_output=True, text=True)


def test_list_shows_every_entry_grouped(capsys: pytest.CaptureFixture) -> None:
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("activations (")
    for e in entries():
        assert f"  {e.name}" in out


def test_list_prints_the_registry_s_sections(capsys: pytest.CaptureFixture) -> None:
    assert main(["list"]) == 0
    headings = [line for line in capsys.readouterr().out.splitlines() if not line.startswith(" ")]
    expected = [f"{heading} ({len(rows)})" for topic in TOPICS for heading, rows in sections(topic)]
    assert headings == expected and len(expected) > 3


def test_derive_prints_the_entry_record_and_reads_no_cache(
    capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nnmath import records

    monkeypatch.setattr(records, "records", lambda *a, **k: pytest.fail("nnmath derive read the site's records"))
    for name in ("sigmoid", "softmax", "categorical_cross_entropy_logits"):
        for latex in (False, True):
            assert main(["derive", name, *(["--latex"] if latex else [])]) == 0
            record = entry_record(get(name))
            assert capsys.readouterr().out == (describe(record, True) if latex else drawn(record, utf8()))


def test_derive_softmax(capsys: pytest.CaptureFixture) -> None:
    assert main(["derive", "softmax"]) == 0
    out = capsys.readouterr().out
    assert "Jacobian, i ≠ j" in out and "diag(p) − p pᵀ" in out and "proven by SymPy" in out
    assert "quotient rule" in out


def test_derive_latex(capsys: pytest.CaptureFixture) -> None:
    assert main(["derive", "sigmoid", "--latex"]) == 0
    assert r"\sigma\left(x\right)" in capsys.readouterr().out


def test_unknown_name_is_one_line_exit_2() -> None:
    r = run("derive", "sigmoyd")
    assert r.returncode == 2
    (line,) = r.stderr.strip().splitlines()
    assert line.startswith("nnmath: error: unknown name 'sigmoyd'; did you mean sigmoid")
    assert "Traceback" not in r.stderr


def test_check_prints_every_entry_passing() -> None:
    r = run("check", "--points", "50")
    assert r.returncode == 0, r.stdout + r.stderr
    for e in entries():
        line = next(ln for ln in r.stdout.splitlines() if ln.startswith(e.name + " "))
        assert line.endswith("pass")
    assert "26 parameters" in r.stdout and "exact" in r.stdout
    assert r.stdout.rstrip().endswith("all pass")


def test_generate_check_reports_up_to_date() -> None:
    r = run("generate", "--check")
    assert r.returncode == 0 and "up to date" in r.stdout


def test_list_into_a_closed_pipe_is_quiet() -> None:
    r = subprocess.run(f"{sys.executable} -m nnmath.cli list | head -1", shell=True, capture_output=True, text=True)
    assert r.stdout.startswith("activations") and "Traceback" not in r.stderr


def test_list_names_its_sections_with_proper_plurals() -> None:
    """Erratum (issue 13): ``nnmath list`` printed "losss (8)"."""
    from derive.catalogue import GROUPS
    from nnmath.topics.catalogue import GROUP_PLURALS, listing

    assert set(GROUP_PLURALS) == set(GROUPS)
    assert [name for name, _ in listing()] == ["activations", "losses", "regularisers"]


def test_counted_nouns_take_their_number() -> None:
    """Erratum (issue 13): theory.pdf said "1 epoch(s)"."""
    from derive.printing.wording import counted, every
    from nnmath.topics.perceptron.record import last_epochs_repeat

    assert (counted(1, "epoch"), counted(2, "epoch"), counted(0, "loss", "losses")) == (
        "1 epoch",
        "2 epochs",
        "0 losses",
    )
    assert (every(1, "epoch"), every(3, "epoch")) == ("every epoch", "every 3 epochs")
    assert (last_epochs_repeat(1), last_epochs_repeat(2)) == ("the last epoch repeats", "the last 2 epochs repeat")
