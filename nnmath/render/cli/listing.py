"""``nnmath list``: the formulas of every topic of the registry, the catalogue first, by group."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the registry imports every topic: only when the command runs
    from nnmath.topics.base import Topic


def sections(topic: Topic) -> list[tuple[str, list[tuple[str, str]]]]:
    """The topic's sections: ``(heading, [(name, description), …])`` each (none if it derives no formulas)."""
    if topic.listing is not None:
        return topic.listing()
    if topic.formulas is not None:
        return [(topic.title, topic.formulas())]
    return []


def run(args: argparse.Namespace) -> int:
    """Print every section: its heading with the count, then a name and its description per line."""
    from nnmath.topics import TOPICS

    for topic in TOPICS:
        for heading, rows in sections(topic):
            print(f"{heading} ({len(rows)})")
            width = max((len(name) for name, _ in rows), default=0)
            for name, description in rows:
                print(f"  {name:<{width}}  {description}")
    return 0
