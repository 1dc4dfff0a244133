"""Episode 8: Guided practice: the notebooks."""

from __future__ import annotations

from nnmath.topics.workshop.episode import Body, Episode, Idea


def body() -> Body:
    return Body(ideas=(Idea("Guided practice: the notebooks", ("To be written.",)),))


EPISODE = Episode(
    id="practice",
    number=8,
    title="Guided practice: the notebooks",
    stage="practice",
    questions=("TODO",),
    objectives=("TODO",),
    teaching_minutes=5,
    exercise_minutes=30,
    keypoints=("TODO",),
    instructor_notes=("TODO",),
    body=body,
    references=("notebook-1", "notebook-2", "notebook-3"),
)
