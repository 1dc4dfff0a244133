"""The record of the biological neuron models."""

from __future__ import annotations

from nnmath.topics.base import Record
from nnmath.topics.neurons import site_strings as s
from nnmath.topics.neurons.handout_section import neurons_section


def present() -> Record:
    return {
        "neurons-lif": s.lif_page(),
        "neurons-hodgkin-huxley": s.hodgkin_huxley_page(),
        "neurons-morris-lecar": s.morris_lecar_page(),
        "neurons-spiking-and-artificial": s.spiking_and_artificial_page(),
        "handout": neurons_section(),
    }
