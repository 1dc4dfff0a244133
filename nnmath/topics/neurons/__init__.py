"""Biological neurons: leaky integrate-and-fire, Hodgkin–Huxley, Morris–Lecar, and from spikes to activations."""

from __future__ import annotations

from nnmath.topics.base import NEURONS, Record, Topic, page


def present() -> Record:
    from nnmath.topics.neurons.record import present as record

    return record()


def derived_formulas() -> list[tuple[str, str]]:
    """``nnmath list`` rows: the derived formulas."""
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
        page(f"neurons-{slug}", f"neurons/{slug}.md", title, NEURONS, record=("models", model))
        for slug, title, model in (
            ("lif", "Leaky integrate-and-fire", "lif"),
            ("hodgkin-huxley", "Hodgkin–Huxley", "hodgkin_huxley"),
            ("morris-lecar", "Morris–Lecar phase plane", "morris_lecar"),
            ("spiking-and-artificial", "From spikes to activations", "rate_neuron"),
        )
    ),
    handout="models",
    formulas=derived_formulas,
    generated=generated,
    cost=30,  # seconds, roughly: computed among the first (nnmath.records.longest_first)
)
