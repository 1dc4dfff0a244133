"""Biological neurons: leaky integrate-and-fire, Hodgkin–Huxley, Morris–Lecar, and from spikes to activations."""

from __future__ import annotations

from nnmath.topics.base import NEURONS, Record, Topic, page


def present() -> Record:
    from nnmath.topics.neurons.record import present as record

    return record()


def formulas() -> list[tuple[str, str]]:
    from derive.topics import neurons

    return neurons.formulas()


def generated() -> tuple:
    from derive.topics import neurons

    return (neurons.GENERATED,)


TOPIC = Topic(
    name="neurons",
    title="Biological neurons",
    present=present,
    pages=tuple(
        page(f"neurons-{slug}", f"neurons/{slug}.md", title, NEURONS)
        for slug, title in (
            ("lif", "Leaky integrate-and-fire"),
            ("hodgkin-huxley", "Hodgkin–Huxley"),
            ("morris-lecar", "Morris–Lecar phase plane"),
            ("spiking-and-artificial", "From spikes to activations"),
        )
    ),
    handout="handout",
    formulas=formulas,
    generated=generated,
)
