"""The perceptron on data: updates until convergence against Novikoff's bound, and its failure on XOR.

The training loop calls the generated functions of ``numeric/_generated/perceptron.py``
(printed from :mod:`derive.topics.perceptron`): ŷ = H(w·x + b) and w ← w + η (y − ŷ) x on the
augmented input (x, 1), sample by sample in a fixed order, epoch after epoch, until an
epoch makes no mistake.  Because the order is the same in every epoch, the weights at
the start of an epoch determine everything after it: if they repeat, the run is in a
cycle and will never converge (:attr:`PerceptronRun.cycle`).

The bound needs R = maxᵢ ‖(xᵢ, 1)‖ and the margin γ of a separating unit vector.  The
largest γ — the tightest bound — is the hard-margin SVM without intercept on the augmented
inputs: minimise ‖v‖ subject to tᵢ v·(xᵢ, 1) ≥ 1, then γ = 1/‖v‖.  :func:`max_margin`
solves this least-distance problem exactly with the Lawson–Hanson reduction to
non-negative least squares (``scipy.optimize.nnls``, a finite active-set method) and
returns the KKT multipliers that certify the optimum.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import nnls

from numeric import novikoff_bound, perceptron_output, perceptron_update

INFEASIBLE = 1e-9  # NNLS residual below this: no separating vector (Gordan's alternative holds)


def augment(x: np.ndarray) -> np.ndarray:
    """The inputs with a constant 1 appended: the bias is the weight of that input."""
    x = np.asarray(x, dtype=np.float64)
    return np.hstack([x, np.ones((len(x), 1))])


@dataclass(frozen=True)
class PerceptronRun:
    """One training run.

    Attributes:
        weights: The final augmented weights (w, b).
        updates: Number of updates (mistakes) in all.
        mistakes: Mistakes per epoch.
        converged: The last epoch made no mistake.
        cycle: For a run that did not converge: (epochs completed when the weights that came back first
            occurred, period in epochs); the weights after epoch ``start + period`` equal those after ``start``.
        trajectory: The weights after every update, in order.
    """

    weights: np.ndarray
    updates: int
    mistakes: tuple[int, ...]
    converged: bool
    cycle: tuple[int, int] | None
    trajectory: tuple[np.ndarray, ...]

    @property
    def epochs(self) -> int:
        return len(self.mistakes)


def train(
    x: np.ndarray, y: np.ndarray, eta: float = 1.0, max_epochs: int = 1000, order: np.ndarray | None = None
) -> PerceptronRun:
    """Train a perceptron from w = 0 on labels ``y`` ∈ {0, 1}, visiting the samples in ``order`` every epoch.

    Stops when an epoch makes no mistake (converged), when the weights at the start of an epoch repeat
    (a cycle: it can never converge), or after ``max_epochs``.
    """
    A = augment(x)  # noqa: N806 - a matrix of samples
    y = np.asarray(y, dtype=np.float64)
    if set(np.unique(y)) - {0.0, 1.0}:
        raise ValueError("perceptron labels must be 0 or 1")
    order = np.arange(len(A)) if order is None else np.asarray(order)
    w = np.zeros(A.shape[1])
    seen = {w.tobytes(): 0}
    mistakes: list[int] = []
    trajectory: list[np.ndarray] = []
    for epoch in range(max_epochs):
        count = 0
        for i in order:
            y_hat = perceptron_output(A[i] @ w)
            if y_hat != y[i]:
                w = perceptron_update(w, A[i], y[i], y_hat, eta)
                trajectory.append(w)
                count += 1
        mistakes.append(count)
        if count == 0:
            return PerceptronRun(w, sum(mistakes), tuple(mistakes), True, None, tuple(trajectory))
        key = w.tobytes()
        if key in seen:
            cycle = (seen[key], epoch + 1 - seen[key])
            return PerceptronRun(w, sum(mistakes), tuple(mistakes), False, cycle, tuple(trajectory))
        seen[key] = epoch + 1
    return PerceptronRun(w, sum(mistakes), tuple(mistakes), False, None, tuple(trajectory))


@dataclass(frozen=True)
class Margin:
    """The maximum-margin separating unit vector of augmented data, with its KKT certificate.

    Attributes:
        gamma: γ = minᵢ tᵢ u·x̃ᵢ for the best unit vector u (the hard-margin SVM's geometric margin).
        direction: u, a unit vector in the augmented space (w, b).
        radius: R = maxᵢ ‖x̃ᵢ‖.
        multipliers: α ≥ 0 with v = Σᵢ αᵢ tᵢ x̃ᵢ (v = u/γ); non-zero only on the support vectors.
        kkt_residual: max of the violations of primal feasibility, stationarity and complementary slackness.
    """

    gamma: float
    direction: np.ndarray
    radius: float
    multipliers: np.ndarray
    kkt_residual: float

    @property
    def bound(self) -> float:
        """Novikoff's bound (R/γ)², by the generated function."""
        return float(novikoff_bound(self.radius, self.gamma))

    @property
    def support(self) -> np.ndarray:
        return np.flatnonzero(self.multipliers > 0)


def max_margin(x: np.ndarray, y: np.ndarray) -> Margin | None:
    """The largest margin of a unit vector separating labels ``y`` ∈ {0, 1} of augmented ``x``, or None.

    Least-distance programming (Lawson & Hanson, *Solving Least Squares Problems*, ch. 23): minimise ‖v‖
    subject to G v ≥ 1 with G = diag(t) x̃.  With E = [Gᵀ; 1ᵀ] and f = (0, …, 0, 1), solve the NNLS problem
    min ‖E u − f‖, u ≥ 0; a zero residual means no v exists (the data are not linearly separable),
    otherwise v = −r₁..d / r_{d+1} for r = E u − f, and α = u / (1 − 1ᵀu) are the multipliers.
    """
    A = augment(x)  # noqa: N806
    t = 2.0 * np.asarray(y, dtype=np.float64) - 1.0
    G = t[:, None] * A  # noqa: N806
    n, dim = G.shape
    E = np.vstack([G.T, np.ones((1, n))])  # noqa: N806
    f = np.zeros(dim + 1)
    f[-1] = 1.0
    u, _ = nnls(E, f, maxiter=50 * max(n, dim))
    r = E @ u - f
    if np.linalg.norm(r) < INFEASIBLE:
        return None
    v = -r[:dim] / r[dim]
    alpha = u / (1.0 - u.sum())
    scores = G @ v
    kkt = max(
        float(np.max(np.maximum(1.0 - scores, 0.0))),  # primal feasibility tᵢ v·x̃ᵢ ≥ 1
        float(np.max(np.abs(v - G.T @ alpha))),  # stationarity v = Σ αᵢ tᵢ x̃ᵢ
        float(np.max(np.abs(alpha * (scores - 1.0)))),  # complementary slackness
        float(np.max(np.maximum(-alpha, 0.0))),  # dual feasibility α ≥ 0
    )
    norm = float(np.linalg.norm(v))
    return Margin(1.0 / norm, v / norm, float(np.max(np.linalg.norm(A, axis=1))), alpha, kkt)


# --- Data sets -------------------------------------------------------------------------------------


def iris_setosa() -> tuple[np.ndarray, np.ndarray]:
    """Iris petal length and width (cm); label 1 for setosa, 0 for the two other species."""
    from sklearn.datasets import load_iris

    iris = load_iris()
    return iris.data[:, 2:4].astype(np.float64), (iris.target == 0).astype(np.float64)


def separable_points(n: int, gap: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points uniform in the square [−1, 1]², labelled by a random line, none closer than ``gap`` to it."""
    rng = np.random.default_rng(seed)
    angle = rng.uniform(0.0, 2.0 * np.pi)
    normal, offset = np.array([np.cos(angle), np.sin(angle)]), rng.uniform(-0.3, 0.3)
    points = np.empty((0, 2))
    while len(points) < n:
        candidates = rng.uniform(-1.0, 1.0, size=(2 * n, 2))
        points = np.vstack([points, candidates[np.abs(candidates @ normal + offset) >= gap]])
    points = points[:n]
    return points, (points @ normal + offset > 0).astype(np.float64)


def xor() -> tuple[np.ndarray, np.ndarray]:
    """The four XOR points and labels."""
    return np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]), np.array([0.0, 1.0, 1.0, 0.0])


def orders(n: int, count: int, seed: int = 0) -> list[np.ndarray]:
    """``count`` seeded random orders of ``n`` samples."""
    rng = np.random.default_rng(seed)
    return [rng.permutation(n) for _ in range(count)]


# --- The experiments the page, the handout and the tests report ------------------------------------


@dataclass(frozen=True)
class BoundCheck:
    """Updates needed on one data set, over several presentation orders, against the bound."""

    name: str
    samples: int
    margin: Margin
    updates: tuple[int, ...]  # one per order
    epochs: tuple[int, ...]

    @property
    def holds(self) -> bool:
        return max(self.updates) <= self.margin.bound


def bound_check(name: str, x: np.ndarray, y: np.ndarray, runs: int = 20, seed: int = 0) -> BoundCheck:
    """Train from ``runs`` random orders; every run must converge (the data are separable)."""
    margin = max_margin(x, y)
    if margin is None:
        raise ValueError(f"{name}: the data are not linearly separable")
    results = [train(x, y, order=o) for o in orders(len(x), runs, seed)]
    if not all(r.converged for r in results):
        raise RuntimeError(f"{name}: a run did not converge on separable data")
    return BoundCheck(name, len(x), margin, tuple(r.updates for r in results), tuple(r.epochs for r in results))


SWEEP_GAPS = (0.4, 0.2, 0.1, 0.05, 0.025)


def margin_sweep(gaps: tuple[float, ...] = SWEEP_GAPS, n: int = 200, runs: int = 5, seed: int = 0) -> list[BoundCheck]:
    """Synthetic separable data with a shrinking gap around the separating line: the bound and the updates grow."""
    return [bound_check(f"gap {gap:g}", *separable_points(n, gap, seed + k), runs, seed) for k, gap in enumerate(gaps)]


def xor_run(eta: float = 1.0) -> PerceptronRun:
    """The perceptron on XOR, samples in their natural order: it cycles."""
    return train(*xor(), eta=eta, max_epochs=1000)


@dataclass(frozen=True)
class XorNetwork:
    """A 2-2-1 network (sigmoid hidden and output units) trained on XOR from several initialisations.

    Attributes:
        seeds: The initialisation seeds tried.
        solved: The seeds whose network classifies all four points correctly.
        outputs: The output σ(z) on the four points, for the first seed.
        loss: Training loss per epoch, for the first seed.
        network: The trained network of the first seed.
    """

    seeds: tuple[int, ...]
    solved: tuple[int, ...]
    outputs: np.ndarray
    loss: tuple[float, ...]
    network: object


XOR_EPOCHS = 2000
XOR_LEARNING_RATE = 0.05


def xor_network(seeds: tuple[int, ...] = tuple(range(10))) -> XorNetwork:
    """Train the 2-2-1 network with nnmath's trainer (``numeric.mlp``: binary cross-entropy on the logit, Adam)."""
    from numeric.mlp import build

    x, y = xor()
    labels = y.astype(np.int64)
    solved, first = [], None
    for seed in seeds:
        net = build([2, 2, 1], activation="sigmoid", output="sigmoid", seed=seed)
        history = net.fit(  # the loss curve is shown for the first seed only: the others skip the evaluation
            x, labels, epochs=XOR_EPOCHS, batch_size=4, optimiser="adam", lr=XOR_LEARNING_RATE, evaluate=first is None
        )
        if np.array_equal(net.predict_classes(x), labels):
            solved.append(seed)
        if first is None:
            first = (net, history)
    net, history = first
    return XorNetwork(tuple(seeds), tuple(solved), net.predict(x)[:, 0], tuple(history.train_loss), net)
