"""The guided practice: the workshop notebooks, each a page of the site with both notebooks to download.

The record holds each part's description and maths; the outputs make the notebooks from
it (the site shows each part executed).  A notebook's check cells call
:mod:`nnmath.topics.practice.checks`.
"""

from __future__ import annotations

from nnmath.topics.base import NOTEBOOKS, Page, Record, Topic
from nnmath.topics.practice.parts import PARTS


def present() -> Record:
    from nnmath.topics.practice.record import present as record

    return record()


TOPIC = Topic(
    name="practice",
    title="Guided practice",
    present=present,
    pages=tuple(
        Page(f"notebook-{p.number}", f"notebooks/{p.stem}.md", p.page_title, "notebook.md.j2", (NOTEBOOKS,), (p.key,))
        for p in PARTS
    ),
)
