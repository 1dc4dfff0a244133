"""The record of convolution and pooling: what the page and the theory summary's section show."""

from __future__ import annotations

import inspect

import numeric
from nnmath.plots import drawn
from nnmath.topics.base import Record
from nnmath.topics.convolution import against_torch, figures, formulas, proofs
from nnmath.verify.errors import torch_available

LISTED = "conv2d_grad_input"  # the generated function shown in full


def present() -> Record:
    checks = proofs.checks()
    return {
        "convolution": {
            "formulas": formulas.programs(),
            "example": formulas.example(),
            "proof": formulas.proof(),
            "checks": checks,
            "proven": proofs.all_gradients_proven(checks),
            "pooling": formulas.pooling(),
            "code": inspect.getsource(getattr(numeric, LISTED)),
            "listed": LISTED,
            "torch": against_torch.errors() if torch_available() else [],
            "figures": {"example": drawn(figures.convolution_figure())},
        }
    }
