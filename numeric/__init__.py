"""NumPy functions generated from the nnmath derivations, and a small trainer built on them.

Every function of the private package ``numeric._generated`` was printed from a SymPy derivation in
``derive/``; nothing there is typed by hand.  This package re-exports all of them by name, with the
hand-written modules' public names: the catalogue lookup (:mod:`numeric.registry`), the trainer
(:mod:`numeric.mlp`), its optimisers (:mod:`numeric.optimisers`) and data sets (:mod:`numeric.datasets`).
The neuron simulations stay in their modules, whose names would collide here (each has a ``simulate``):
:mod:`numeric.lif`, :mod:`numeric.hodgkin_huxley`, :mod:`numeric.morris_lecar`.  Importing this package
does no symbolic work.

>>> from numeric import sigmoid, sigmoid_grad
>>> float(sigmoid_grad(0.0))
0.25
>>> from numeric import lookup
>>> float(lookup("softplus").function(1000.0))
1000.0

Conventions: inputs become float64 unless they already are a float array;
elementwise functions broadcast; softmax-like functions and categorical
losses work over the last axis; losses are not reduced (one value per
element or sample), like ``optax`` or PyTorch's ``reduction='none'``.
"""

from numeric._generated import *  # noqa: F403 - every generated function, listed in numeric/_generated/__init__.py
from numeric._generated import __all__ as _generated_names
from numeric.datasets import DATASETS, Dataset, load, stratified_split
from numeric.mlp import MLP, History, activation_names, build, loss_names
from numeric.optimisers import SGD, Adam, Momentum, Optimiser, make_optimiser
from numeric.registry import REGISTRY, NumericEntry, UnknownFunction, lookup

__all__ = [
    *_generated_names,
    # numeric.registry: a catalogue entry's functions by name
    "REGISTRY",
    "NumericEntry",
    "UnknownFunction",
    "lookup",
    # numeric.mlp: the multilayer perceptron
    "MLP",
    "History",
    "build",
    "activation_names",
    "loss_names",
    # numeric.optimisers
    "Optimiser",
    "SGD",
    "Momentum",
    "Adam",
    "make_optimiser",
    # numeric.datasets
    "DATASETS",
    "Dataset",
    "load",
    "stratified_split",
]
