"""Episode 7: CNNs and RNNs as mathematical transformations."""

from __future__ import annotations

from nnmath.topics.workshop.episode import Body, Episode, Idea


def body() -> Body:
    return Body(ideas=(Idea("CNNs and RNNs as mathematical transformations", ("To be written.",)),))


EPISODE = Episode(
    id="cnn-rnn",
    number=7,
    title="CNNs and RNNs as mathematical transformations",
    stage="theory",
    questions=("TODO",),
    objectives=("TODO",),
    teaching_minutes=7,
    exercise_minutes=2,
    keypoints=("TODO",),
    instructor_notes=("TODO",),
    body=body,
    references=("convolution", "recurrent"),
)
