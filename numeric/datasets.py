"""Small classification data sets that ship with the packages (no downloads), split and scaled.

* ``xor``: the four points of XOR (train = test: there is nothing to hold out);
* ``moons``, ``circles``: scikit-learn's generators (seeded, with noise);
* ``digits``: scikit-learn's bundled 8×8 handwritten digits (1,797 images, 10 classes), pixels / 16;
* ``iris``: scikit-learn's bundled iris flowers (150 samples, 3 classes).

The held-out split is stratified (the class proportions of both parts equal the whole's) and
seeded; continuous features are standardised with the training part's mean and standard deviation
(:func:`standardised`; ``load(..., standardise=True)`` does it for the digits too).  :func:`augmented` adds
copies of 8×8 images shifted one pixel (:data:`SHIFTS`), for the training part only.
scikit-learn is imported only when a scikit-learn data set is loaded (extra ``train``).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import cache

import numpy

DATASETS: tuple[str, ...] = ("xor", "moons", "circles", "digits", "iris")


@dataclass(frozen=True)
class Dataset:
    """Features as float64 rows, integer class labels, and the class names."""

    name: str
    X_train: numpy.ndarray  # noqa: N815 - X is the design matrix, as on every page
    y_train: numpy.ndarray
    X_test: numpy.ndarray  # noqa: N815
    y_test: numpy.ndarray
    classes: tuple[str, ...]
    description: str

    @property
    def n_features(self) -> int:
        return self.X_train.shape[1]

    @property
    def n_classes(self) -> int:
        return len(self.classes)


def stratified_split(y: numpy.ndarray, test_size: float, seed: int | None) -> tuple[numpy.ndarray, numpy.ndarray]:
    """Train and test indices with every class split in the same proportion (round(test_size · n_c) held out)."""
    if not 0 < test_size < 1:
        raise ValueError(f"test_size must be in (0, 1), got {test_size}")
    rng = numpy.random.default_rng(seed)
    train, test = [], []
    for label in numpy.unique(y):
        members = rng.permutation(numpy.flatnonzero(y == label))
        n_test = int(round(test_size * len(members)))
        n_test = min(max(n_test, 1), len(members) - 1) if len(members) > 1 else 0
        test.append(members[:n_test])
        train.append(members[n_test:])
    return numpy.sort(numpy.concatenate(train)), numpy.sort(numpy.concatenate(test))


def standardised(x_train: numpy.ndarray, *others: numpy.ndarray) -> tuple[numpy.ndarray, ...]:
    """(x − mean)/std of every array, with the mean and std of ``x_train`` only (a constant feature keeps std 1)."""
    mean, std = x_train.mean(axis=0), x_train.std(axis=0)
    std = numpy.where(std > 0, std, 1.0)
    return tuple((x - mean) / std for x in (x_train, *others))


SHIFTS: dict[str, tuple[tuple[int, int], ...]] = {  # (rows down, columns right) of each shifted copy
    "none": (),
    "horizontal": ((0, 1), (0, -1)),
    "four-way": ((0, 1), (0, -1), (1, 0), (-1, 0)),
}


def shifted(images: numpy.ndarray, down: int, right: int, side: int = 8) -> numpy.ndarray:
    """Every row of ``images`` (side × side pixels, flattened) moved ``down`` rows and ``right`` columns;
    the pixels moved in are 0 (blank), the pixels moved out are lost."""
    square = images.reshape(-1, side, side)
    out = numpy.zeros_like(square)
    rows = slice(max(down, 0), side + min(down, 0)), slice(max(-down, 0), side - max(down, 0))
    cols = slice(max(right, 0), side + min(right, 0)), slice(max(-right, 0), side - max(right, 0))
    out[:, rows[0], cols[0]] = square[:, rows[1], cols[1]]
    return out.reshape(images.shape)


def augmented(x: numpy.ndarray, y: numpy.ndarray, shifts: str, side: int = 8) -> tuple[numpy.ndarray, numpy.ndarray]:
    """The images followed by their copies shifted one pixel (``SHIFTS[shifts]``), and the labels repeated."""
    if shifts not in SHIFTS:
        raise ValueError(f"unknown shifts {shifts!r}; known: {', '.join(SHIFTS)}")
    moves = SHIFTS[shifts]
    return numpy.concatenate([x, *(shifted(x, d, r, side) for d, r in moves)]), numpy.tile(y, len(moves) + 1)


def _raw(name: str, n_samples: int | None, noise: float | None, seed: int | None):
    """(X, y, classes, description, scale) of a data set before the split."""
    if name == "xor":
        x = numpy.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
        return x, numpy.array([0, 1, 1, 0]), ("0", "1"), "XOR of two bits: not linearly separable", "none"
    import sklearn.datasets as skd

    if name == "moons":
        x, y = skd.make_moons(n_samples=n_samples or 1000, noise=0.2 if noise is None else noise, random_state=seed)
        return x, y, ("upper", "lower"), "two interleaving half circles (scikit-learn make_moons)", "standard"
    if name == "circles":
        x, y = skd.make_circles(
            n_samples=n_samples or 1000, noise=0.1 if noise is None else noise, factor=0.5, random_state=seed
        )
        return x, y, ("outer", "inner"), "a circle inside a circle (scikit-learn make_circles)", "standard"
    return _bundled(name)


@cache
def _bundled(name: str):
    """(X, y, classes, description, scale) of scikit-learn's bundled ``digits`` or ``iris``, read once per process
    (:func:`load` indexes them, so its arrays are copies; these are read-only so that nothing changes them)."""
    import sklearn.datasets as skd

    if name == "digits":
        data = skd.load_digits()
        x, description, scale = data.data / 16.0, "8×8 handwritten digits, 1,797 images (scikit-learn)", "none"
    else:
        data = skd.load_iris()
        x, description, scale = data.data, "iris flowers: 4 measurements, 3 species (scikit-learn)", "standard"
    x, y = numpy.asarray(x, dtype=numpy.float64), numpy.asarray(data.target, dtype=numpy.int64)
    x.flags.writeable = y.flags.writeable = False
    return x, y, tuple(str(c) for c in data.target_names), description, scale


def load(
    name: str,
    test_size: float = 0.25,
    seed: int | None = 0,
    n_samples: int | None = None,
    noise: float | None = None,
    standardise: bool | None = None,
) -> Dataset:
    """Data set ``name`` with a stratified, seeded held-out split (``seed`` also seeds the moons/circles noise).

    ``standardise``: scale every feature to (x − mean)/std with the mean and std of the training part only
    (constant features keep std 1); ``None`` takes the data set's own choice (yes for moons, circles and
    iris; no for xor, and for the digits, whose pixels are divided by 16).
    """
    if name not in DATASETS:
        close = difflib.get_close_matches(name, DATASETS, n=3, cutoff=0.5)
        hint = f"did you mean {', '.join(close)}?" if close else f"known: {', '.join(DATASETS)}"
        raise ValueError(f"unknown data set {name!r}; {hint}")
    x, y, classes, description, scale = _raw(name, n_samples, noise, seed)
    x, y = numpy.asarray(x, dtype=numpy.float64), numpy.asarray(y, dtype=numpy.int64)
    if name == "xor":
        return Dataset(name, x, y, x.copy(), y.copy(), classes, description)
    train, test = stratified_split(y, test_size, seed)
    x_train, x_test = x[train], x[test]
    if scale == "standard" if standardise is None else standardise:
        x_train, x_test = standardised(x_train, x_test)
    return Dataset(name, x_train, y[train], x_test, y[test], classes, description)
