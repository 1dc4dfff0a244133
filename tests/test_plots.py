"""Figures: deterministic bytes, kinks marked; a record's PDF drawn when asked, the same bytes, kept on disk."""

from __future__ import annotations

import hashlib
import io
import pickle
from multiprocessing import Pipe
from pathlib import Path

import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from derive.catalogue import get
from nnmath import plots, records
from nnmath.plots import figure_bytes, plt
from nnmath.topics import base
from nnmath.topics.base import Topic
from nnmath.topics.catalogue.figures import curves, draw, entry_figure, plot_entry


def digest(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def test_plots_are_deterministic(tmp_path: Path) -> None:
    for name in ("relu", "softmax"):
        for ext in ("svg", "pdf"):
            a, b = tmp_path / f"a.{ext}", tmp_path / f"b.{ext}"
            plot_entry(get(name), a)
            plot_entry(get(name), b)
            assert digest(a) == digest(b) and a.stat().st_size > 1000


def test_kink_is_marked(tmp_path: Path) -> None:
    p = tmp_path / "relu.svg"
    plot_entry(get("relu"), p)
    assert "not differentiable" in p.read_text()


def test_curves_use_the_generated_functions() -> None:
    x, f, df, _ = curves(get("sigmoid"))
    np.testing.assert_allclose(df, f * (1 - f), rtol=1e-12)


@pytest.mark.parametrize("fmt", ["svg", "pdf"])
def test_a_laid_out_figure_is_drawn_once_and_saved_as_matplotlib_saves_it(fmt: str) -> None:
    """After tight_layout() matplotlib's savefig draws twice (for the placeholder layout engine); nnmath saves
    the same bytes with one draw, and the figure keeps its engine."""
    ours, theirs = draw(get("softplus")), draw(get("softplus"))
    engine = type(ours.get_layout_engine())
    drawn_by: list[str] = []
    original = Figure.draw

    def counted(fig: Figure, renderer: object) -> None:
        drawn_by.append(type(renderer).__name__)
        original(fig, renderer)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Figure, "draw", counted)
        mine = figure_bytes(ours, fmt)  # closes ours
    assert len(drawn_by) == 1 and type(ours.get_layout_engine()) is engine
    reference = io.BytesIO()
    metadata = {"Date": None} if fmt == "svg" else {"CreationDate": None, "ModDate": None}
    theirs.savefig(reference, format=fmt, metadata=metadata)
    plt.close(theirs)
    assert mine == reference.getvalue()


@pytest.fixture
def figure_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The PDFs of records' figures kept in ``tmp_path/figures``, none drawn yet in this process."""
    monkeypatch.setattr(base, "FIGURE_PDFS", tmp_path / "figures")
    monkeypatch.setattr(base, "_PDFS", {})
    return tmp_path / "figures"


def test_a_records_pdf_is_the_pdf_drawn_directly(figure_cache: Path) -> None:
    figure = entry_figure(get("relu"))
    assert figure.svg == figure_bytes(draw(get("relu")), "svg").decode()
    assert figure.pdf == figure_bytes(draw(get("relu")), "pdf") and figure.pdf.startswith(b"%PDF")
    assert [p.name for p in figure_cache.iterdir()] == [f"{figure.key}.pdf"]  # kept on disk, under its key
    assert (figure_cache / f"{figure.key}.pdf").read_bytes() == figure.pdf


def test_a_figure_pickles_to_the_same_bytes_whatever_its_addresses() -> None:
    a = draw(get("softmax"))
    plt.close(a)  # so that the next one is pyplot's figure 1 too
    b = draw(get("softmax"))  # a is alive: every transform of b is at another address
    plt.close(b)
    assert plots.pickled(a) == plots.pickled(b)
    assert pickle.dumps(a, protocol=5) != pickle.dumps(b, protocol=5)  # what pickle alone gives: ids as keys


def test_the_pdf_is_read_back_from_the_cache(figure_cache: Path) -> None:
    figure = entry_figure(get("tanh"))
    drawn_once = figure.pdf
    (kept,) = figure_cache.iterdir()
    kept.write_bytes(b"%PDF-read from the cache")
    base._PDFS.clear()  # another process: only the disk cache
    assert figure.pdf == b"%PDF-read from the cache"
    kept.write_bytes(b"")  # a file that is no PDF is drawn again
    base._PDFS.clear()
    assert figure.pdf == drawn_once and kept.read_bytes() == drawn_once


def test_a_cache_that_cannot_be_written_only_draws_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "file").write_text("not a folder")
    monkeypatch.setattr(base, "FIGURE_PDFS", tmp_path / "file" / "figures")
    monkeypatch.setattr(base, "_PDFS", {})
    assert entry_figure(get("relu")).pdf == figure_bytes(draw(get("relu")), "pdf")


def seconds_axis() -> Figure:
    """A figure whose tick labels come from a lambda, which pickle cannot name."""
    fig, ax = plt.subplots()
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x:g} s"))
    return fig


def unpicklable_record() -> dict:
    return {"figures": {"seconds": plots.drawn(seconds_axis())}}


def test_a_figure_that_cannot_be_pickled_fails_with_the_record(monkeypatch: pytest.MonkeyPatch) -> None:
    fig = seconds_axis()
    with pytest.raises(TypeError, match=r"^the figure drawn by test_a_figure_that_cannot_be_pickled_fails_with_the_"):
        plots.drawn(fig)
    assert not plt.fignum_exists(fig.number)  # closed all the same
    monkeypatch.setattr(records, "stay_with_nnmath", lambda: None)  # this process is no record worker
    receive, send = Pipe(duplex=False)
    records._child(Topic("broken", "Broken", present=unpicklable_record), send)  # what a record worker runs
    status, (message, _) = receive.recv()
    assert status == "error" and "\n" not in message
    assert message.startswith("TypeError: the figure drawn by unpicklable_record() in ")
    assert message.split(" in ", 1)[1].startswith(str(Path(__file__)) + " cannot be kept for its PDF (pickle: ")
