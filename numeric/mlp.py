r"""A small multilayer perceptron, trained with the generated functions only.

Every formula comes from ``derive/`` through generated code: the activations and their
derivatives (``numeric.lookup``), the losses, the L1/L2 gradients (``l1_grad``, ``l2_grad``),
the softmax cross-entropy gradient :math:`p - y` (the catalogue's, printed with a max shift in
``numeric/_generated/training.py``) and the optimiser updates (``numeric/_generated/optimisers.py``).
What is written here is only the bookkeeping of backpropagation in matrix form, for a batch of
B samples stored as rows (``A`` is B × n, ``W`` is n_out × n_in as in ``torch.nn.Linear``):

* dense layer: :math:`Z^l = A^{l-1} W^{l\top} + \mathbf{b}^l`, :math:`A^l = f^l(Z^l)`;
* BP1: :math:`\Delta^L = \tfrac1B \nabla_{A} C \odot f'(Z^L)` (or :math:`\tfrac1B(P - Y)` for a loss on logits);
* BP2: :math:`\Delta^{l} = (\Delta^{l+1} W^{l+1}) \odot f'(Z^{l})`;
* BP3: :math:`\partial C/\partial \mathbf{b}^l = \sum_{\text{rows}} \Delta^l`;
* BP4: :math:`\partial C/\partial W^l = \Delta^{l\top} A^{l-1}` (+ the penalty's gradient).

The cost is the batch mean of the per-sample loss, the loss summed over the outputs for an
elementwise loss: :math:`C = \tfrac1B \sum_b \sum_k L(a_{bk}, y_{bk})` (+ penalties on the weights).

>>> from numeric.mlp import build
>>> import numpy as np
>>> net = build([2, 2, 1], activation="sigmoid", output="sigmoid", seed=0)
>>> x, y = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]), np.array([0, 1, 1, 0])
>>> history = net.fit(x, y, epochs=2000, batch_size=4, optimiser="adam", lr=0.05)
>>> net.predict_classes(x).tolist()
[0, 1, 1, 0]
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy

from numeric import fused
from numeric._generated import training
from numeric._generated.catalogue import l1_grad, l2_grad
from numeric.optimisers import Optimiser, make_optimiser
from numeric.registry import REGISTRY, NumericEntry

IDENTITY = "identity"  # a linear output layer: a = z, f' = 1 (no formula to generate)
# Losses defined on the logits z of the output layer, and the output activation they contain.
LOGIT_LOSSES: dict[str, str] = {
    "categorical_cross_entropy_logits": "softmax",
    "binary_cross_entropy_logits": "sigmoid",
}
DEFAULT_LOSS: dict[str, str] = {"softmax": "categorical_cross_entropy_logits", "sigmoid": "binary_cross_entropy_logits"}
# The loss gradient on logits used in the hot path, by loss name: the batch form (finite logits,
# targets summing to one; numeric/_generated/training.py) or the catalogue's own.
_LOGIT_GRADIENTS: dict[str, Callable] = {
    "categorical_cross_entropy_logits": training.categorical_cross_entropy_logits_grad_batch,
    "binary_cross_entropy_logits": REGISTRY["binary_cross_entropy_logits"].gradient,
}
# Activations with a one-pass batch form: name -> (f, f' as a 0/1 indicator), equal to the catalogue's.
_BATCH_ACTIVATIONS: dict[str, tuple[Callable, Callable]] = {
    "relu": (training.relu_batch, training.relu_grad_batch),
}
EVAL_CHUNK = 4096  # rows per forward pass when evaluating a whole data set
# Losses whose targets are probabilities: a single output's labels must lie in [0, 1] (else the loss goes negative).
# Training has diverged when the training loss exceeds DIVERGENCE_FACTOR times max(its value before training, 1).
DIVERGENCE_FACTOR = 1e4
PROBABILITY_LOSSES = ("binary_cross_entropy", "binary_cross_entropy_logits", "categorical_cross_entropy_logits")


class TrainingDiverged(ValueError):
    """Training produced a non-finite weight or loss; ``epoch`` and ``step`` (1-based, within the epoch) say when."""

    def __init__(self, message: str, epoch: int, step: int):
        super().__init__(message)
        self.epoch, self.step = epoch, step


def _finite(name: str, a: numpy.ndarray) -> None:
    """Raise ValueError unless every value of ``a`` is finite (NaN or ±inf would train to NaN)."""
    if a.dtype.kind in "fc" and not numpy.isfinite(a).all():
        bad = numpy.argwhere(~numpy.isfinite(a))
        first = tuple(int(i) for i in bad[0])
        raise ValueError(f"{name} hold {len(bad)} non-finite value(s) (NaN or ±inf), first at index {first}")


def _hyperparameters(epochs, batch_size, l2, l1, early_stopping) -> None:
    """Raise ValueError for a hyperparameter out of range: epochs ≥ 0, batch ≥ 1, λ finite ≥ 0, patience ≥ 1."""
    for name, value, low in (("epochs", epochs, 0), ("batch_size", batch_size, 1)):
        if isinstance(value, bool) or not isinstance(value, (int, numpy.integer)) or value < low:
            raise ValueError(f"{name} must be an integer >= {low}, got {value!r}")
    for name, value in (("l2", l2), ("l1", l1)):
        if not (numpy.isfinite(value) and value >= 0):
            raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    if early_stopping is not None and (isinstance(early_stopping, bool) or not early_stopping >= 1):
        raise ValueError(f"early_stopping (the patience) must be an integer >= 1, got {early_stopping!r}")


def _close(name: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=3, cutoff=0.5)
    return f"did you mean {', '.join(close)}?" if close else f"known: {', '.join(known)}"


def activation_names() -> list[str]:
    """The activations a layer may use: the catalogue's, and ``identity`` (linear)."""
    return [n for n, e in REGISTRY.items() if e.group == "activation"] + [IDENTITY]


def loss_names() -> list[str]:
    """The catalogue's losses."""
    return [n for n, e in REGISTRY.items() if e.group == "loss"]


def _activation(name: str) -> NumericEntry | None:
    if name == IDENTITY:
        return None
    entry = REGISTRY.get(name)
    if entry is None or entry.group != "activation":
        raise ValueError(f"unknown activation {name!r}; {_close(name, activation_names())}")
    return entry


def _loss(name: str) -> NumericEntry:
    entry = REGISTRY.get(name)
    if entry is None or entry.group != "loss":
        raise ValueError(f"unknown loss {name!r}; {_close(name, loss_names())}")
    return entry


@dataclass
class History:
    """Per-epoch record of :meth:`MLP.fit` (data loss without the penalty; accuracy in [0, 1])."""

    train_loss: list[float] = field(default_factory=list)
    train_accuracy: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    best_epoch: int | None = None  # 1-based epoch of the lowest validation loss (with validation data)
    stopped_early: bool = False

    @property
    def epochs_run(self) -> int:
        return len(self.train_loss)


class MLP:
    """A multilayer perceptron: dense layers with one activation each, a loss, and a flat parameter buffer.

    Attributes:
        sizes: Units per layer, input first (``(784, 256, 128, 10)``).
        activations: One activation name per layer after the input (``identity`` = linear).
        loss: The catalogue loss (``categorical_cross_entropy_logits`` …).
        dtype: ``float64`` (default) or ``float32``.
        parameters: Every weight and bias in one contiguous 1-D array.
        weights: Views into ``parameters``; layer l has shape ``(sizes[l+1], sizes[l])``.
        biases: Views into ``parameters``, shape ``(sizes[l+1],)``.
    """

    def __init__(self, sizes: Sequence[int], activations: Sequence[str], loss: str, dtype="float64"):
        sizes = tuple(int(s) for s in sizes)
        if len(sizes) < 2 or min(sizes) < 1:
            raise ValueError(f"sizes must be at least two positive layer widths, got {sizes}")
        if len(activations) != len(sizes) - 1:
            raise ValueError(f"{len(sizes) - 1} layers need {len(sizes) - 1} activations, got {len(activations)}")
        self.dtype = numpy.dtype(dtype)
        if self.dtype not in (numpy.float64, numpy.float32):
            raise ValueError(f"dtype must be float64 or float32, got {self.dtype}")
        self.sizes = sizes
        self.activations = tuple(activations)
        self._act = [_activation(a) for a in self.activations]
        self._fast = [_BATCH_ACTIVATIONS.get(a) for a in self.activations]
        self.loss = loss
        self._loss = _loss(loss)
        if loss in LOGIT_LOSSES and self.activations[-1] != LOGIT_LOSSES[loss]:
            raise ValueError(
                f"loss {loss!r} is defined on the logits of a {LOGIT_LOSSES[loss]} output, "
                f"but the output activation is {self.activations[-1]!r}"
            )
        self._logit_gradient = _LOGIT_GRADIENTS.get(loss)
        shapes = [(n_out, n_in) for n_in, n_out in zip(sizes, sizes[1:])]
        total = sum(o * i + o for o, i in shapes)
        self.parameters = numpy.zeros(total, self.dtype)
        self._gradient = numpy.zeros(total, self.dtype)
        self.weights, self.biases = self._views(self.parameters, shapes)
        self._grad_weights, self._grad_biases = self._views(self._gradient, shapes)
        self._step_buffers: dict[int, fused.StepBuffers] = {}  # the fused step's arrays, by batch size
        self._fused_steps: dict[type, Callable | None] = {}  # the fused step (or None), by optimiser class

    @staticmethod
    def _views(flat: numpy.ndarray, shapes) -> tuple[list[numpy.ndarray], list[numpy.ndarray]]:
        weights, biases, at = [], [], 0
        for n_out, n_in in shapes:
            weights.append(flat[at : at + n_out * n_in].reshape(n_out, n_in))
            at += n_out * n_in
            biases.append(flat[at : at + n_out])
            at += n_out
        return weights, biases

    # --- construction -------------------------------------------------------------------

    @classmethod
    def from_parameters(
        cls,
        weights: Sequence,
        biases: Sequence,
        activation: str | Sequence[str] = "relu",
        output: str = "softmax",
        loss: str | None = None,
        dtype="float64",
    ) -> MLP:
        """A network around given weights (``(n_out, n_in)`` each) and biases (copied in)."""
        sizes = [numpy.shape(weights[0])[1]] + [numpy.shape(w)[0] for w in weights]
        net = cls(sizes, _layer_activations(sizes, activation, output), loss or _default_loss(output), dtype)
        net.set_parameters(weights, biases)
        return net

    def set_parameters(self, weights: Sequence, biases: Sequence) -> None:
        """Copy values into the weights and biases (shapes must match)."""
        if len(weights) != len(self.weights) or len(biases) != len(self.biases):
            raise ValueError(f"{len(self.weights)} layers, got {len(weights)} weights and {len(biases)} biases")
        for mine, theirs in (*zip(self.weights, weights), *zip(self.biases, biases)):
            theirs = numpy.asarray(theirs)
            if theirs.shape != mine.shape:
                raise ValueError(f"parameter of shape {theirs.shape} where the network has {mine.shape}")
            mine[...] = theirs

    def initialise(self, seed: int | None = 0, init: str = "auto") -> None:
        """Random weights, zero biases: He normal N(0, 2/n_in), LeCun normal N(0, 1/n_in) or Glorot uniform
        U(±√(6/(n_in + n_out))); ``auto``: the one the layer's activation declares in the catalogue (its
        ``init``: He for ReLU-like activations, LeCun for SELU), Glorot for ``identity``."""
        if init not in ("auto", "he", "lecun", "glorot"):
            raise ValueError(f"unknown init {init!r}; known: auto, he, lecun, glorot")
        rng = numpy.random.default_rng(seed)
        for w, b, act in zip(self.weights, self.biases, self.activations):
            n_out, n_in = w.shape
            kind = init if init != "auto" else REGISTRY[act].init if act in REGISTRY else "glorot"
            if kind in ("he", "lecun"):
                w[...] = rng.normal(0.0, numpy.sqrt((2.0 if kind == "he" else 1.0) / n_in), size=w.shape)
            else:
                limit = numpy.sqrt(6.0 / (n_in + n_out))
                w[...] = rng.uniform(-limit, limit, size=w.shape)
            b[...] = 0.0

    # --- the forward pass and backpropagation -------------------------------------------

    def _inputs(self, x) -> numpy.ndarray:
        x = numpy.asarray(x)
        if x.ndim == 1 and self.sizes[0] > 1 and x.shape[0] == self.sizes[0]:
            x = x[None, :]
        if x.ndim != 2 or x.shape[1] != self.sizes[0]:
            raise ValueError(
                f"inputs of shape {x.shape} do not fit the input layer of {self.sizes[0]} units "
                f"(expected (n, {self.sizes[0]}))"
            )
        return numpy.ascontiguousarray(x, dtype=self.dtype)

    def targets(self, y, n: int) -> numpy.ndarray:
        """Targets as a float (n, K) array: integer labels become one-hot rows (K > 1) or a column (K = 1)."""
        y = numpy.asarray(y)
        k, given = self.sizes[-1], y.shape
        if y.ndim == 1 and len(y) != n:
            raise ValueError(f"targets of shape {given} do not fit {n} samples and {k} outputs")
        if y.ndim == 1:
            if k > 1:
                if y.dtype.kind not in "iub" and not numpy.all(y == numpy.round(y)):
                    raise ValueError(f"1-D targets of shape {y.shape} must be class labels for {k} outputs")
                labels = y.astype(numpy.int64)
                if labels.size and (labels.min() < 0 or labels.max() >= k):
                    found = f"{labels.min()}..{labels.max()}"
                    raise ValueError(f"class labels must be in 0..{k - 1} for {k} outputs, got {found}")
                y = numpy.eye(k, dtype=self.dtype)[labels]
            else:
                y = y[:, None]
        if y.ndim != 2 or y.shape != (n, k):
            raise ValueError(f"targets of shape {given} do not fit {n} samples and {k} outputs (expected ({n}, {k}))")
        y = numpy.ascontiguousarray(y, dtype=self.dtype)
        if self.loss in PROBABILITY_LOSSES and n and (y.min() < 0 or y.max() > 1):
            raise ValueError(
                f"targets of the {self.loss} loss are probabilities (labels 0 or 1): "
                f"they must lie in [0, 1], got {y.min():g}..{y.max():g}"
            )
        if self.loss == "categorical_cross_entropy_logits" and n and numpy.abs(y.sum(axis=1) - 1).max() > 1e-6:
            raise ValueError("softmax cross-entropy targets must sum to one in every row (one-hot or probabilities)")
        return y

    def _activate(self, layer: int, z: numpy.ndarray) -> numpy.ndarray:
        entry = self._act[layer]
        if entry is None:
            return z
        fast = self._fast[layer]
        return entry.function(z) if fast is None else fast[0](z)

    def _through_activation(self, layer: int, upstream: numpy.ndarray, z: numpy.ndarray) -> numpy.ndarray:
        """∂C/∂Z from ∂C/∂A through layer ``layer``'s activation: ⊙ f'(Z), or the Jacobian for softmax-like maps.

        ``upstream`` is a fresh array owned by the caller; for elementwise activations it is updated in place.
        """
        entry = self._act[layer]
        if entry is None:
            return upstream
        if entry.kind == "elementwise":
            fast = self._fast[layer]
            upstream *= entry.gradient(z) if fast is None else fast[1](z)
            return upstream
        jacobian = entry.gradient(z)  # (B, n, n): ∂f_i/∂z_j
        return numpy.matmul(upstream[:, None, :], jacobian)[:, 0, :]

    def _forward(self, x: numpy.ndarray, keep: bool) -> tuple[list, list]:
        """Pre-activations Z¹…Zᴸ and activations A⁰ = x, A¹…; the output activation only when the loss needs it.

        ``keep=False`` returns only ``([Zᴸ], [])`` (for predictions, without storing the hidden layers).
        """
        zs, acts = [], [x]
        a, last = x, len(self.weights) - 1
        for layer, (w, b) in enumerate(zip(self.weights, self.biases)):
            z = a @ w.T
            z += b
            if layer == last:
                if not keep:
                    return [z], []
                a = None if self._logit_gradient is not None else self._activate(layer, z)  # a logit loss takes z
            else:
                a = self._activate(layer, z)
            if keep:
                zs.append(z)
                acts.append(a)
        return zs, acts

    def _output_delta(self, z: numpy.ndarray, a, y: numpy.ndarray) -> numpy.ndarray:
        """BP1 for the batch mean: Δᴸ = (1/B) ∂C/∂Zᴸ."""
        if self._logit_gradient is not None:
            delta = self._logit_gradient(z, y)
        else:
            delta = self._through_activation(len(self.weights) - 1, self._loss.gradient(a, y), z)
        delta *= 1.0 / z.shape[0]
        return delta

    def _backprop(self, x: numpy.ndarray, y: numpy.ndarray, l2: float, l1: float) -> None:
        """Fill the gradient buffer with ∂C/∂W and ∂C/∂b of the batch (BP1–BP4)."""
        zs, acts = self._forward(x, keep=True)
        delta = self._output_delta(zs[-1], acts[-1], y)
        for layer in range(len(self.weights) - 1, -1, -1):
            w, gw = self.weights[layer], self._grad_weights[layer]
            numpy.matmul(delta.T, acts[layer], out=gw)  # BP4
            delta.sum(axis=0, out=self._grad_biases[layer])  # BP3
            if l2:
                gw += l2_grad(w, l2)
            if l1:
                gw += l1_grad(w, l1)
            if layer:
                delta = self._through_activation(layer - 1, delta @ w, zs[layer - 1])  # BP2

    # --- public API -----------------------------------------------------------------------

    def train_step(self, x, y, optimiser: Optimiser, l2: float = 0.0, l1: float = 0.0) -> None:
        """One optimiser step on the batch (x, y): backpropagation, then the update in place.

        For speed pass ``x`` as a C-contiguous array of ``self.dtype`` and ``y`` as (B, K) targets of the
        same dtype (:meth:`targets`); other inputs are converted.
        """
        if not (isinstance(x, numpy.ndarray) and x.dtype == self.dtype and x.ndim == 2 and x.shape[1] == self.sizes[0]):
            x = self._inputs(x)
        if not (isinstance(y, numpy.ndarray) and y.dtype == self.dtype and y.shape == (x.shape[0], self.sizes[-1])):
            y = self.targets(y, x.shape[0])
        self._step(x, y, optimiser, l2, l1)

    def _step(self, x: numpy.ndarray, y: numpy.ndarray, optimiser: Optimiser, l2: float, l1: float) -> None:
        """One optimiser step: the fused generated step (``numeric/_generated/steps.py``) when there is one for
        this configuration and no penalty, else backpropagation (:meth:`_backprop`) then ``optimiser.step``."""
        kind = type(optimiser)
        step = self._fused_steps.get(kind, False)
        if step is False:
            step = self._fused_steps[kind] = fused.fused_step(self.activations[:-1], self.loss, optimiser)
        if step is None or l2 or l1:
            self._backprop(x, y, l2, l1)
            optimiser.step([self.parameters], [self._gradient])
            return
        arrays = self._step_buffers.get(x.shape[0])
        if arrays is None:
            if len(self._step_buffers) >= 4:  # a few batch sizes at a time (the last batch of an epoch is smaller)
                self._step_buffers.clear()
            arrays = self._step_buffers[x.shape[0]] = fused.buffers(self, x.shape[0])
        fused.run(step, x, y, arrays, optimiser)

    def gradients(self, x, y, l2: float = 0.0, l1: float = 0.0) -> list[tuple[numpy.ndarray, numpy.ndarray]]:
        """(∂C/∂W, ∂C/∂b) of every layer for the batch (x, y): fresh arrays, the parameters unchanged."""
        x = self._inputs(x)
        self._backprop(x, self.targets(y, x.shape[0]), l2, l1)
        return [(gw.copy(), gb.copy()) for gw, gb in zip(self._grad_weights, self._grad_biases)]

    def logits(self, x) -> numpy.ndarray:
        """The output layer's pre-activation Zᴸ."""
        x = self._inputs(x)
        if len(x) <= EVAL_CHUNK:
            return self._forward(x, keep=False)[0][0]
        chunks = [self._forward(x[i : i + EVAL_CHUNK], keep=False)[0][0] for i in range(0, len(x), EVAL_CHUNK)]
        return numpy.concatenate(chunks)

    def predict(self, x) -> numpy.ndarray:
        """The output activations (probabilities for softmax/sigmoid outputs), shape (n, K)."""
        z = self.logits(x)
        return self._activate(len(self.weights) - 1, z).astype(self.dtype, copy=False)

    def predict_classes(self, x) -> numpy.ndarray:
        """Class labels: argmax of the outputs, or output > 0.5 for a single output."""
        return _labels(self.predict(x))

    def accuracy(self, x, y) -> float:
        """Fraction of samples whose predicted class is the label (``y``: labels, or one-hot/0-1 targets)."""
        x = self._inputs(x)
        return self._accuracy_of(self.logits(x), self.targets(y, x.shape[0]))

    def loss_value(self, x, y) -> float:
        """The data cost C = (1/n) Σ_samples loss (summed over the outputs for an elementwise loss)."""
        x = self._inputs(x)
        return self._cost_of(self.logits(x), self.targets(y, x.shape[0]))

    def _cost_of(self, z: numpy.ndarray, y: numpy.ndarray) -> float:
        """C = (1/n) Σ_samples loss, from the logits ``z`` = Zᴸ of the n samples and their targets ``y``."""
        arg = z if self._logit_gradient is not None else self._activate(len(self.weights) - 1, z)
        return float(numpy.sum(self._loss.function(arg, y)) / z.shape[0])

    def _accuracy_of(self, z: numpy.ndarray, y: numpy.ndarray) -> float:
        """The fraction of correct classes, from the logits ``z`` = Zᴸ and the targets ``y`` (one row per sample)."""
        if not len(y):
            return float("nan")
        outputs = self._activate(len(self.weights) - 1, z).astype(self.dtype, copy=False)
        return float(numpy.mean(_labels(outputs) == _labels(y)))

    def penalty(self, l2: float = 0.0, l1: float = 0.0) -> float:
        """Σ over weight matrices of the catalogue penalties (λ/2)w² and λ|w| (biases are not penalised)."""
        from numeric._generated.catalogue import l1 as l1_penalty
        from numeric._generated.catalogue import l2 as l2_penalty

        total = 0.0
        for w in self.weights:
            total += float(numpy.sum(l2_penalty(w, l2))) if l2 else 0.0
            total += float(numpy.sum(l1_penalty(w, l1))) if l1 else 0.0
        return total

    def fit(
        self,
        x,
        y,
        epochs: int = 10,
        batch_size: int = 32,
        optimiser: str | Optimiser = "adam",
        lr: float | None = None,
        l2: float = 0.0,
        l1: float = 0.0,
        validation: tuple | None = None,
        early_stopping: int | None = None,
        seed: int | None = 0,
        shuffle: bool = True,
        progress: Callable[[int, History], None] | None = None,
        evaluate: bool = True,
    ) -> History:
        """Mini-batch training; loss and accuracy of the training (and validation) data after every epoch.

        ``early_stopping=p`` stops after p epochs without a lower validation loss and restores the
        parameters of the best epoch.  ``progress(epoch, history)`` is called after every epoch.
        ``evaluate=False`` skips the evaluation after every epoch, for a run whose curves nobody reads: the
        history stays empty and only the weights are checked for divergence (the steps, and so the trained
        parameters, are the same); it takes no validation data.

        Raises ValueError for non-finite inputs or targets, targets out of range and hyperparameters out of
        range (lr finite > 0, l2 and l1 finite ≥ 0, batch_size ≥ 1, early_stopping ≥ 1), and
        :class:`TrainingDiverged` (naming the epoch and step) as soon as a weight or the loss is not finite, or
        the loss has grown to :data:`DIVERGENCE_FACTOR` times its value before training (at least 1).
        """
        x = self._inputs(x)
        y = self.targets(y, x.shape[0])
        _finite("inputs", x)
        _finite("targets", y)
        if validation is not None:
            xv = self._inputs(validation[0])
            yv = self.targets(validation[1], xv.shape[0])
            _finite("validation inputs", xv)
            _finite("validation targets", yv)
        elif early_stopping is not None:
            raise ValueError("early_stopping needs validation data")
        if not evaluate and validation is not None:
            raise ValueError("validation data is evaluated after every epoch: it needs evaluate=True")
        _hyperparameters(epochs, batch_size, l2, l1, early_stopping)
        opt = make_optimiser(optimiser, lr) if isinstance(optimiser, str) else optimiser
        if lr is not None and not isinstance(optimiser, str):
            make_optimiser("sgd", lr)  # the same check of the learning rate
            opt.lr = float(lr)
        rng = numpy.random.default_rng(seed)
        history, best, best_loss, waited = History(), None, numpy.inf, 0
        n = x.shape[0]
        ceiling = DIVERGENCE_FACTOR * max(self.loss_value(x, y), 1.0) if epochs and n and evaluate else numpy.inf
        # After every epoch one forward pass of each data set gives both its loss and its accuracy.
        for epoch in range(1, epochs + 1):
            xs, ys = x, y
            if shuffle:
                order = rng.permutation(n)
                xs, ys = x[order], y[order]
            with numpy.errstate(over="ignore", invalid="ignore"):  # divergence is reported below, not warned of
                for step, start in enumerate(range(0, n, batch_size), 1):
                    self._step(xs[start : start + batch_size], ys[start : start + batch_size], opt, l2, l1)
                    if not numpy.isfinite(self.parameters).all():
                        raise self._diverged("a weight became non-finite", opt, epoch, step)
                if not evaluate:  # the weights were checked after every step: that is all
                    if progress is not None:
                        progress(epoch, history)
                    continue
                z = self.logits(x)
                history.train_loss.append(self._cost_of(z, y))
            if not history.train_loss[-1] <= ceiling:  # NaN, inf, or grown by DIVERGENCE_FACTOR
                raise self._diverged(f"the training loss is {history.train_loss[-1]:.4g}", opt, epoch, step)
            history.train_accuracy.append(self._accuracy_of(z, y))
            if validation is not None:
                z = self.logits(xv)
                val_loss = self._cost_of(z, yv)
                history.val_loss.append(val_loss)
                history.val_accuracy.append(self._accuracy_of(z, yv))
                if val_loss < best_loss:
                    best_loss, best, waited, history.best_epoch = val_loss, self.parameters.copy(), 0, epoch
                else:
                    waited += 1
            if progress is not None:
                progress(epoch, history)
            if early_stopping is not None and waited >= early_stopping:
                history.stopped_early = True
                break
        if early_stopping is not None and best is not None:
            self.parameters[...] = best
        return history

    @staticmethod
    def _diverged(what: str, opt: Optimiser, epoch: int, step: int) -> TrainingDiverged:
        return TrainingDiverged(
            f"training diverged at epoch {epoch}, step {step}: {what} (learning rate {opt.lr:g}; try a smaller one)",
            epoch,
            step,
        )

    @property
    def n_parameters(self) -> int:
        return self.parameters.size

    def __repr__(self) -> str:
        return (
            f"MLP({'-'.join(map(str, self.sizes))}, activations={'/'.join(self.activations)}, "
            f"loss={self.loss}, dtype={self.dtype.name}, parameters={self.n_parameters})"
        )


def _labels(targets: numpy.ndarray) -> numpy.ndarray:
    return (targets[:, 0] > 0.5).astype(numpy.int64) if targets.shape[1] == 1 else numpy.argmax(targets, axis=1)


def _default_loss(output: str) -> str:
    return DEFAULT_LOSS.get(output, "mse")


def _layer_activations(sizes: Sequence[int], activation: str | Sequence[str], output: str) -> list[str]:
    if len(sizes) < 2:
        raise ValueError(
            f"sizes must list at least two layer widths (inputs and outputs, e.g. [2, 1]), got {list(sizes)}"
        )
    hidden = len(sizes) - 2
    names = [activation] * hidden if isinstance(activation, str) else list(activation)
    if len(names) != hidden:
        raise ValueError(f"{hidden} hidden layers need {hidden} activations, got {len(names)}")
    return [*names, output]


def build(
    sizes: Sequence[int],
    activation: str | Sequence[str] = "relu",
    output: str = "softmax",
    loss: str | None = None,
    *,
    seed: int | None = 0,
    dtype="float64",
    init: str = "auto",
) -> MLP:
    """A seeded network: ``activation`` for the hidden layers (one name, or one per hidden layer),
    ``output`` for the last layer, ``loss`` by default the one that goes with the output
    (softmax → categorical cross-entropy on logits, sigmoid → binary cross-entropy on logits, else MSE).
    """
    net = MLP(sizes, _layer_activations(sizes, activation, output), loss or _default_loss(output), dtype)
    net.initialise(seed, init)
    return net
