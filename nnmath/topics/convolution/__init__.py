"""Convolution and pooling: definitions, gradients derived by SymPy, checked against PyTorch."""

from __future__ import annotations

from nnmath.topics.base import ARCHITECTURES, Record, Topic, page


def present() -> Record:
    from nnmath.topics.convolution.record import present as record

    return record()


def derived_formulas() -> list[tuple[str, str]]:
    """``nnmath list`` rows: the derived formulas."""
    from derive.topics import convolution

    return convolution.formulas()


def generated() -> tuple:
    from derive.topics import convolution

    return (convolution.GENERATED,)


TOPIC = Topic(
    name="convolution",
    title="Convolutional networks",
    present=present,
    pages=(page("convolution", "architectures/convolution.md", "Convolution and pooling", ARCHITECTURES),),
    handout="convolution",
    formulas=derived_formulas,
    generated=generated,
)
