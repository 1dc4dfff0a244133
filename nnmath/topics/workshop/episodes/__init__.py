"""The workshop's episodes, in the order of the session (one module each, declaring ``EPISODE``).

Adding an episode is one module ``eNN_<name>.py`` here and one name in :data:`MODULES`; its minutes
go into the agenda, which must still add up to 150 (checked by :mod:`nnmath.topics.workshop.schedule`).
"""

from __future__ import annotations

from nnmath.topics.workshop.episode import Episode
from nnmath.topics.workshop.episodes import (
    e01_linear_algebra,
    e02_calculus,
    e03_backpropagation,
    e04_gradient_descent,
    e05_probability,
    e06_hyperparameters,
    e07_cnn_rnn,
    e08_practice,
    e09_exercises,
    e10_discussion,
)

MODULES = (
    e01_linear_algebra,
    e02_calculus,
    e03_backpropagation,
    e04_gradient_descent,
    e05_probability,
    e06_hyperparameters,
    e07_cnn_rnn,
    e08_practice,
    e09_exercises,
    e10_discussion,
)
EPISODES: list[Episode] = [m.EPISODE for m in MODULES]
