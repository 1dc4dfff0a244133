"""The workshop's episodes, in the order of the session: one module ``eNN_<name>.py`` each, declaring ``EPISODE``.

Adding an episode is adding its module here: the modules are found by their names (``e01_…``, ``e02_…``,
in that order) and their minutes go into the agenda, which must still add up to 150 (checked by
:mod:`nnmath.topics.workshop.schedule`).
"""

from __future__ import annotations

import importlib
import pkgutil
import re

from nnmath.topics.workshop.episode import Episode

MODULES = tuple(
    importlib.import_module(f"{__name__}.{m.name}")
    for m in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name)
    if re.fullmatch(r"e\d\d_\w+", m.name)
)
EPISODES: list[Episode] = [m.EPISODE for m in MODULES]
