"""The record of weight decay and overfitting."""

from __future__ import annotations

from nnmath.topics.backpropagation.site_strings import weight_decay
from nnmath.topics.base import Record
from nnmath.topics.overfitting.site_strings import overfitting


def present() -> Record:
    return {"weight-decay": weight_decay(), "overfitting": overfitting()}
