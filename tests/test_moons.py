"""The course notebook's make_moons (NumPy) draws exactly scikit-learn's points."""

import numpy as np
import pytest
from sklearn.datasets import make_moons as sklearn_make_moons

from nnmath.render.pack.module import MOONS
from nnmath.topics.practice.moons import make_moons


@pytest.mark.parametrize(
    "arguments",
    [
        MOONS,
        {"n_samples": 101, "noise": 0.1, "random_state": 7},
        {"n_samples": 10, "random_state": 3},
        {"n_samples": 9, "shuffle": False},
    ],
)
def test_same_points_as_scikit_learn(arguments):
    x, labels = make_moons(**arguments)
    x_sk, labels_sk = sklearn_make_moons(**arguments)
    assert x.dtype == x_sk.dtype == np.float64 and labels.dtype == labels_sk.dtype
    assert np.array_equal(x, x_sk) and np.array_equal(labels, labels_sk)
