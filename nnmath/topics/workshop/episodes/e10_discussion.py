"""Episode 10: Discussion: the limits of AI models."""

from __future__ import annotations

from nnmath.topics.workshop.episode import Body, Episode, Idea


def body() -> Body:
    return Body(ideas=(Idea("Discussion: the limits of AI models", ("To be written.",)),))


EPISODE = Episode(
    id="discussion",
    number=10,
    title="Discussion: the limits of AI models",
    stage="exercises-discussion",
    questions=("TODO",),
    objectives=("TODO",),
    teaching_minutes=15,
    exercise_minutes=0,
    keypoints=("TODO",),
    instructor_notes=("TODO",),
    body=body,
    references=("overfitting",),
)
