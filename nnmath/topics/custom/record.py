"""The record of the page about your own activation."""

from __future__ import annotations

from nnmath.topics.base import Record
from nnmath.topics.custom.site_strings import your_own_activation


def present() -> Record:
    return {"your-own-activation": your_own_activation()}
