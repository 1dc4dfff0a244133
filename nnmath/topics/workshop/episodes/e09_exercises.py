"""Episode 9: Exercises by hand."""

from __future__ import annotations

from nnmath.topics.workshop.episode import Body, Episode, Idea


def body() -> Body:
    return Body(ideas=(Idea("Exercises by hand", ("To be written.",)),))


EPISODE = Episode(
    id="exercises",
    number=9,
    title="Exercises by hand",
    stage="exercises-discussion",
    questions=("TODO",),
    objectives=("TODO",),
    teaching_minutes=3,
    exercise_minutes=12,
    keypoints=("TODO",),
    instructor_notes=("TODO",),
    body=body,
    references=("worked-example",),
)
