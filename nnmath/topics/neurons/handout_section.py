"""The biological-neurons section of the theory summary: LIF, Hodgkin–Huxley, Morris–Lecar in one page or two.

Formulas are printed from the models of :mod:`derive.topics.neurons`;
numbers come from :mod:`nnmath.topics.neurons.results` (the same measurements as the site's pages), figures from
:mod:`nnmath.topics.neurons.figures` as PDF.
"""

from __future__ import annotations

import sympy as sp

from derive.topics.neurons import hodgkin_huxley as hh
from derive.topics.neurons import lif
from derive.topics.neurons import morris_lecar as ml
from nnmath.plots import figure_bytes
from nnmath.topics.base import Tex as TeX
from nnmath.topics.neurons import figures, results
from nnmath.topics.texformat import formula


def _eq(lhs: sp.Basic, rhs: sp.Basic) -> TeX:
    return formula(sp.Eq(lhs, rhs, evaluate=False))


def _d_dt(name: str) -> sp.Symbol:
    return sp.Symbol(rf"\frac{{d{name}}}{{dt}}")


def neurons_section() -> dict:
    """Context of ``templates/handouts/theory_neurons.tex``."""
    check, rest, fi = results.lif_check(), results.hh_rest(), results.hh_fi()
    t_star, f = sp.Symbol("t^{*}"), sp.Function("f")(lif.I)
    rates = {k: sp.Symbol(rf"\{k.split('_')[0]}_{{{k.split('_')[1]}}}") for k in hh.RATES}
    snlc = next(e for e in results.ml_analysis() if e["set"] == "snlc")
    return {
        "lif": {
            "equation": formula(lif.membrane_equation()),
            "trajectory": _eq(sp.Function("V")(lif.t), lif.trajectory()),
            "rheobase": _eq(sp.Symbol(r"I_{rh}"), lif.rheobase()),
            "time_to_spike": _eq(t_star, lif.time_to_spike()),
            "rate": _eq(f, lif.firing_rate(t_star)),
            "asymptote": TeX(formula(f) + r" \approx " + formula(lif.rate_asymptote())),
            "error": f"{max(check['max_t_error'], check['max_rate_error']):.0e}",
            "currents": len(check["rows"]),
        },
        "hh": {
            "membrane": _eq(_d_dt("V"), hh.membrane_rhs()),
            "gate": _eq(
                _d_dt("x"),
                hh.gate_rhs(sp.Symbol("x"), {"alpha_x": sp.Symbol(r"\alpha_x"), "beta_x": sp.Symbol(r"\beta_x")}),
            ),
            "alpha_m": _eq(rates["alpha_m"], hh.RATES["alpha_m"]),
            "alpha_m_stable": formula(hh.stable_rates()["alpha_m"]),
            "rest": f"{rest['nsolve']:.4f}",
            "single": f"{fi['single'][0]:g}--{fi['single'][1]:g}",
            "onset": f"{fi['onset'][0]:g}--{fi['onset'][1]:g}",
            "onset_rate": f"{fi['onset_rate']:.0f}",
            "hopf": f"{fi['hopf']:.2f}",
        },
        "ml": {
            "v_nullcline": _eq(sp.Symbol("w"), ml.v_nullcline()),
            "w_nullcline": _eq(sp.Symbol("w"), ml.w_nullcline()),
            "current": f"{snlc['current']:g}",
            "points": [{"V": f"{float(p.V):.2f}", "w": f"{float(p.w):.4f}", "kind": p.kind} for p in snlc["points"]],
        },
        "figures": {
            "neurons_lif_rate.pdf": figure_bytes(figures.lif_rate_curve(), "pdf"),
            "neurons_ml_phase.pdf": figure_bytes(figures.ml_phase_portrait(0), "pdf"),
        },
    }
