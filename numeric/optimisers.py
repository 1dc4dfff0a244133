r"""Optimisers for the trainer: state (velocity, moments, step count) around the generated updates.

The update rules themselves are printed from ``derive/topics/optimisers.py`` into
``numeric/_generated/optimisers.py`` (``sgd_update``, ``momentum_update``, ``adam_update``,
each in place); this module only keeps their state.  Conventions are PyTorch's:

* ``SGD(lr)``: :math:`w \leftarrow w - \eta g`;
* ``Momentum(lr, momentum)``: :math:`v \leftarrow \mu v + g,\ w \leftarrow w - \eta v`, v starting at 0;
* ``Adam(lr, beta1, beta2, eps)``: moving averages m, v of g and g², bias-corrected,
  :math:`w \leftarrow w - \eta \hat m / (\sqrt{\hat v} + \epsilon)`.

>>> import numpy as np
>>> w, g = np.array([1.0, -2.0]), np.array([0.5, 0.5])
>>> SGD(lr=0.1).step([w], [g]); w
array([ 0.95, -2.05])
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

import numpy

from numeric._generated import optimisers as rules


class Optimiser:
    """Base class: ``step(params, grads)`` updates float ndarrays in place; ``reset()`` forgets the state."""

    name = "optimiser"

    def __init__(self, lr: float):
        if not (numpy.isfinite(lr) and lr > 0):
            raise ValueError(f"learning rate must be positive and finite, got {lr}")
        self.lr = float(lr)
        self.t = 0  # steps taken

    def reset(self) -> None:
        """Forget the state: the next step is the first."""
        self.t = 0

    def step(self, params: Sequence[numpy.ndarray], grads: Sequence[numpy.ndarray]) -> None:
        """One update of every parameter array, in place."""
        raise NotImplementedError

    def _check(self, params: Sequence[numpy.ndarray], grads: Sequence[numpy.ndarray]) -> None:
        if len(params) != len(grads):
            raise ValueError(f"{len(params)} parameter arrays but {len(grads)} gradients")
        for p, g in zip(params, grads):
            if not isinstance(p, numpy.ndarray) or p.dtype.kind != "f":
                raise TypeError("parameters must be float ndarrays (they are updated in place)")
            if p.shape != g.shape:
                raise ValueError(f"parameter of shape {p.shape} has a gradient of shape {g.shape}")

    def _state(self, params: Sequence[numpy.ndarray], slots: int) -> list[list[numpy.ndarray]]:
        """Zero-initialised state arrays (``slots`` per parameter), created on the first step."""
        state = getattr(self, "_buffers", None)
        if self.t == 0 or state is None or [b[0].shape for b in state] != [p.shape for p in params]:
            state = [[numpy.zeros_like(p) for _ in range(slots)] for p in params]
            self._buffers = state
        return state

    def __repr__(self) -> str:
        hyper = ", ".join(f"{k}={v!r}" for k, v in self.hyperparameters().items())
        return f"{type(self).__name__}({hyper})"

    def hyperparameters(self) -> dict[str, float]:
        return {"lr": self.lr}


class SGD(Optimiser):
    r"""Stochastic gradient descent, :math:`w \leftarrow w - \eta g` (generated ``sgd_update``)."""

    name = "sgd"

    def __init__(self, lr: float = 0.1):
        super().__init__(lr)

    def step(self, params: Sequence[numpy.ndarray], grads: Sequence[numpy.ndarray]) -> None:
        self._check(params, grads)
        self.t += 1
        for p, g in zip(params, grads):
            rules.sgd_update(p, g, self.lr)


class Momentum(Optimiser):
    r"""Heavy-ball momentum, PyTorch's convention: :math:`v \leftarrow \mu v + g,\ w \leftarrow w - \eta v`."""

    name = "momentum"

    def __init__(self, lr: float = 0.05, momentum: float = 0.9):
        super().__init__(lr)
        if not 0 <= momentum < 1:
            raise ValueError(f"momentum must be in [0, 1), got {momentum}")
        self.momentum = float(momentum)

    def hyperparameters(self) -> dict[str, float]:
        return {"lr": self.lr, "momentum": self.momentum}

    def step(self, params: Sequence[numpy.ndarray], grads: Sequence[numpy.ndarray]) -> None:
        self._check(params, grads)
        state = self._state(params, 1)
        self.t += 1
        for p, g, (v,) in zip(params, grads, state):
            rules.momentum_update(p, v, g, self.lr, self.momentum)


class Adam(Optimiser):
    r"""Adam with bias correction (Kingma & Ba 2015; PyTorch's ``torch.optim.Adam`` without amsgrad)."""

    name = "adam"

    def __init__(self, lr: float = 1e-3, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8):
        super().__init__(lr)
        for label, beta in (("beta1", beta1), ("beta2", beta2)):
            if not 0 <= beta < 1:
                raise ValueError(f"{label} must be in [0, 1), got {beta}")
        self.beta1, self.beta2, self.eps = float(beta1), float(beta2), float(eps)

    def hyperparameters(self) -> dict[str, float]:
        return {"lr": self.lr, "beta1": self.beta1, "beta2": self.beta2, "eps": self.eps}

    def step(self, params: Sequence[numpy.ndarray], grads: Sequence[numpy.ndarray]) -> None:
        self._check(params, grads)
        state = self._state(params, 2)
        self.t += 1
        for p, g, (m, v) in zip(params, grads, state):
            rules.adam_update(p, m, v, g, self.t, self.lr, self.beta1, self.beta2, self.eps)


def cosine_learning_rate(lr: float, epoch: int, epochs: int) -> float:
    r"""The cosine schedule's learning rate after ``epoch`` of ``epochs``,
    :math:`\eta_k = \tfrac{\eta_0}{2}(1 + \cos(\pi k / K))` (generated ``cosine_learning_rate``): ``lr`` at 0, 0 at K.

    >>> cosine_learning_rate(0.01, 5, 10)
    0.005
    """
    return float(rules.cosine_learning_rate(lr, epoch, epochs))


OPTIMISERS: dict[str, type[Optimiser]] = {"sgd": SGD, "momentum": Momentum, "adam": Adam}


def make_optimiser(name: str, lr: float | None = None, **hyper: float) -> Optimiser:
    """An optimiser by name (``sgd``, ``momentum``, ``adam``); ``lr=None`` takes its default."""
    try:
        cls = OPTIMISERS[name]
    except KeyError:
        close = difflib.get_close_matches(name, list(OPTIMISERS), n=3, cutoff=0.5)
        hint = f"did you mean {', '.join(close)}?" if close else f"known: {', '.join(OPTIMISERS)}"
        raise ValueError(f"unknown optimiser {name!r}; {hint}") from None
    return cls(**hyper) if lr is None else cls(lr=lr, **hyper)
