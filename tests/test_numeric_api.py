"""The public Python API of ``numeric``."""

from __future__ import annotations

import numpy as np
import pytest

import numeric
from derive.catalogue import entries
from numeric import REGISTRY, UnknownFunction, lookup, sigmoid, sigmoid_grad


def test_import_by_name() -> None:
    assert float(sigmoid_grad(0.0)) == 0.25
    assert float(sigmoid(0.0)) == 0.5


def test_registry_covers_the_catalogue() -> None:
    assert set(REGISTRY) == {e.name for e in entries()}
    for e in entries():
        n = lookup(e.name)
        assert n.group == e.group and n.kind == e.kind
        assert n.params == tuple(p.name for p in e.params)
        assert getattr(numeric, e.name) is n.function


def test_unknown_function_suggests() -> None:
    with pytest.raises(UnknownFunction, match="did you mean softmax"):
        lookup("softmx")


def test_parameters_have_defaults_and_can_be_set() -> None:
    assert numeric.leaky_relu(-1.0) == pytest.approx(-0.01)
    assert numeric.leaky_relu(-1.0, alpha=0.2) == pytest.approx(-0.2)
    np.testing.assert_allclose(numeric.huber_grad([3.0, -3.0], 0.0, delta=2.0), [2.0, -2.0])


def test_docstrings_carry_the_formula() -> None:
    assert "$$" in numeric.sigmoid.__doc__ and r"\sigma" in numeric.sigmoid.__doc__
    assert "do not edit" in numeric.softmax_grad.__doc__


def test_every_generated_function_is_a_public_name() -> None:
    """numeric re-exports every name of every generated module (as the derivations print them today)."""
    from nnmath.topics import generated_modules

    exported = set(numeric.__all__)
    for module in generated_modules():
        missing = set(module.names()) - exported
        assert not missing, f"{module.file}: not re-exported by numeric: {sorted(missing)}"


def test_one_all_without_duplicates_or_dangling_names() -> None:
    assert len(numeric.__all__) == len(set(numeric.__all__))
    assert [n for n in numeric.__all__ if not hasattr(numeric, n)] == []
    assert not [n for n in numeric.__all__ if n.startswith("_")]


def test_hand_written_modules_are_re_exported() -> None:
    from numeric import MLP, SGD, Adam, Dataset, build, load, make_optimiser, stratified_split
    from numeric.datasets import load as load_from_module
    from numeric.mlp import build as build_from_module

    assert build is build_from_module and load is load_from_module
    assert all(callable(f) for f in (MLP, SGD, Adam, Dataset, make_optimiser, stratified_split))
