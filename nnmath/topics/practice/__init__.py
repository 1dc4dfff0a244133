"""The guided practice: the workshop notebooks, each executed, as a page with both notebooks to download."""

from __future__ import annotations

from nnmath.topics.base import NOTEBOOKS, Page, Record, Topic


def present() -> Record:
    from nnmath.topics.practice.record import present as record

    return record()


TOPIC = Topic(
    name="practice",
    title="Guided practice",
    present=present,
    pages=tuple(
        Page(f"notebook-{n}", f"notebooks/{stem}.md", title, "notebook.md.j2", (NOTEBOOKS,), (f"part-{n}",))
        for n, stem, title in (
            (1, "part-1-linear-algebra", "Part 1: linear algebra"),
            (2, "part-2-calculus", "Part 2: calculus"),
            (3, "part-3-training", "Part 3: training a network"),
        )
    ),
)
