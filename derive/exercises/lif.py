"""An exercise for the per-participant sheets: rheobase, time to spike and rate of an LIF neuron.

The numbers are drawn so that the answer is exact and short by hand: R I is a simple multiple k of the
threshold gap V_th − V_rest, so t* = τ ln(k/(k − 1)) with the reset at rest.  Every value comes from the
derivation in :mod:`derive.topics.neurons.lif` by substitution.
"""

from __future__ import annotations

import random

import sympy as sp

from derive.exercises import Exercise, Formula, Quantity, step
from derive.topics.neurons import lif

R = sp.Rational
MULTIPLES = (R(3, 2), 2, 3, 4)  # R I / (V_th − V_rest): t*/τ = ln 3, ln 2, ln(3/2), ln(4/3)


def lif_exercise(rng: random.Random) -> Exercise:
    """τ, R, V_rest, V_th, t_ref and I drawn; I_rh, V_∞, t* and f computed from :mod:`derive.topics.neurons.lif`."""
    values = {
        lif.tau: sp.Integer(rng.choice((5, 10, 20))),
        lif.R: sp.Integer(rng.choice((5, 10, 20))),
        lif.V_rest: sp.Integer(rng.choice((-70, -65, -60))),
        lif.t_ref: sp.Integer(rng.choice((0, 1, 2))),
    }
    gap = sp.Integer(rng.choice((10, 15, 20)))
    values[lif.V_th] = values[lif.V_rest] + gap
    values[lif.V_reset] = values[lif.V_rest]
    current = rng.choice(MULTIPLES) * gap / values[lif.R]
    values[lif.I] = current
    t_star = lif.time_to_spike().subs(values)  # τ ln(k/(k − 1)), e.g. 10 ln(4/3)
    period = values[lif.t_ref] + t_star
    return Exercise(
        key="lif",
        formulas=(
            Formula(lif.membrane_equation()),
            Formula(sp.Eq(sp.Symbol("t^{*}"), lif.time_to_spike().subs(lif.V_reset, lif.V_rest))),
            Formula(sp.Eq(sp.Symbol("f"), 1 / (lif.t_ref + sp.Symbol("t^{*}")))),
        ),
        given=(
            Quantity(r"\tau \text{ (ms)}", values[lif.tau]),
            Quantity(r"R \text{ (M}\Omega)", values[lif.R]),
            Quantity(r"V_{rest} = V_{reset} \text{ (mV)}", values[lif.V_rest]),
            Quantity(r"V_{th} \text{ (mV)}", values[lif.V_th]),
            Quantity(r"t_{ref} \text{ (ms)}", values[lif.t_ref]),
            Quantity(r"I \text{ (nA)}", current),
        ),
        solution=(
            Quantity(r"I_{rh} \text{ (nA)}", lif.rheobase().subs(values)),
            Quantity(r"V_{\infty} \text{ (mV)}", lif.steady_state().subs(values)),
            Quantity(r"t^{*} \text{ (ms)}", t_star),
            step(r"t_{ref} + t^{*} \text{ (ms)}", period),
            Quantity(r"f \text{ (Hz)}", 1000 / period),
        ),
        entries=(),
    )
