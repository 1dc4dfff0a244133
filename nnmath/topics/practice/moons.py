"""The data of the workshop's part 3: scikit-learn's ``make_moons``, computed with NumPy alone.

The guided practice's course notebook draws its points here rather than from scikit-learn, whose import takes
almost a second of the notebook's kernel; the points are the very ones ``sklearn.datasets.make_moons`` returns
(the same arithmetic and the same draws from the same ``numpy.random.RandomState``: ``tests/test_moons.py``
compares them), and the participant pack stores them (``nnmath_practice.make_moons``).
"""

from __future__ import annotations

import numpy as np


def make_moons(
    n_samples: int = 100, *, shuffle: bool = True, noise: float | None = None, random_state: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved half circles, as scikit-learn's ``make_moons``: (X of shape (n_samples, 2), labels 0 or 1).

    The upper moon's n // 2 points are (cos t, sin t), the lower moon's n − n // 2 points (1 − cos t,
    1/2 − sin t), t evenly spaced over [0, π]; the rows are shuffled (``RandomState(random_state)``), then
    Gaussian noise of standard deviation ``noise`` is added to every coordinate.
    """
    n_out = n_samples // 2
    n_in = n_samples - n_out
    rng = np.random.RandomState(random_state)
    t_out, t_in = np.linspace(0, np.pi, n_out), np.linspace(0, np.pi, n_in)
    x = np.vstack([np.append(np.cos(t_out), 1 - np.cos(t_in)), np.append(np.sin(t_out), 1 - np.sin(t_in) - 0.5)]).T
    labels = np.hstack([np.zeros(n_out, dtype=np.intp), np.ones(n_in, dtype=np.intp)])
    if shuffle:
        order = np.arange(n_samples)
        rng.shuffle(order)
        x, labels = x[order], labels[order]
    if noise is not None:
        x += rng.normal(scale=noise, size=x.shape)
    return x, labels
