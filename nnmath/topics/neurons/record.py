"""The record of the biological neuron models: one part per model, read by its page and by the handout section.

Formulas come from :mod:`nnmath.topics.neurons.formulas`, numbers from :mod:`nnmath.topics.neurons.measurements`,
figures from :mod:`nnmath.topics.neurons.figures`.  The pages show ``record["models"][<model>]``; the theory
summary shows ``record["models"]`` and two of the pages' figures.
"""

from __future__ import annotations

import inspect

import numeric
from derive.topics.neurons import hodgkin_huxley as hh_model
from derive.topics.neurons import lif as lif_model
from derive.topics.neurons import morris_lecar as ml_model
from derive.topics.neurons.equations import rate_symbol
from nnmath.plots import drawn
from nnmath.topics.base import Record, Tex
from nnmath.topics.neurons import figures, formulas, measurements
from nnmath.topics.neurons.formulas import complex_tex, sci, tex


def lif() -> dict:
    """Leaky integrate-and-fire: ODE, dsolve, rheobase, time to spike, rate, asymptote, checked by simulation."""
    check = measurements.lif_check()
    return formulas.lif() | {
        "parameters": formulas.parameter_rows(lif_model.PARAMETERS, lif_model.UNITS),
        "rheobase_current": check["rheobase"],
        "textbook_holds": lif_model.textbook_form_holds(),
        "check": [
            {
                "current": f"{r['current']:.4g}",
                "t_star": f"{r['t_star']:.6f}",
                "t_star_sim": f"{r['t_star_sim']:.6f}",
                "t_error": sci(r["t_error"]),
                "rate": f"{1000 * r['rate']:.4f}",
                "rate_sim": f"{1000 * r['rate_sim']:.4f}",
                "rate_error": sci(r["rate_error"]),
            }
            for r in check["rows"]
        ],
        "max_t_error": sci(check["max_t_error"]),
        "max_rate_error": sci(check["max_rate_error"]),
        "max_error": float(max(check["max_t_error"], check["max_rate_error"])),
        "spikes": measurements.LIF_SPIKES,
        "code": inspect.getsource(numeric.lif_rate),
        "figures": {"trace": drawn(figures.lif_trace()), "rate": drawn(figures.lif_rate_curve())},
    }


def hodgkin_huxley() -> dict:
    """Hodgkin–Huxley: equations, rates and their singularities, rest, spike, f–I curve."""
    singular = []
    for name, (v0, limit) in hh_model.removable_singularities().items():
        generated = float(getattr(numeric, f"hh_{name}")(float(v0)))
        singular.append(
            {
                "lhs": tex(rate_symbol(name)),
                "at": tex(v0),
                "limit": tex(limit),
                "generated": repr(generated),
                "error": sci(abs(generated - float(limit)), 1),
            }
        )
    rest, spike, fi = measurements.hh_rest(), measurements.hh_spike(), measurements.hh_fi()
    spikes = spike["spikes"]
    return formulas.hodgkin_huxley() | {
        "parameters": formulas.parameter_rows(hh_model.PARAMETERS, hh_model.UNITS),
        "singular": singular,
        "rest": rest["nsolve"],
        "rest_brentq": rest["brentq"],
        "rest_simulated": rest["simulated"],
        "rest_error": sci(rest["simulation_error"]),
        "rest_eigenvalues": [complex_tex(z) for z in rest["eigenvalues"]],
        "step": measurements.HH_STEP,
        "peak": spike["peak"],
        "trough": spike["minimum_after"],
        "peak_time": spike["peak_time"],
        "crossing": spike["crossing"],
        "train_rate": spike["train_rate"],
        "train_spikes": len(spikes),
        "train_duration": measurements.HH_TRAIN,
        "single": list(fi["single"]),
        "onset": list(fi["onset"]),
        "onset_rate": fi["onset_rate"],
        "onset_resolution": fi["resolution"],
        "single_points": measurements.HH_SINGLE_POINTS,
        "tolerance": sci(measurements.HH_TOLERANCE, 0),
        "hopf": fi["hopf"],
        "max_current": fi["currents"][-1],
        "max_rate": fi["rates"][-1],
        "duration": measurements.HH_DURATION,
        "last": measurements.HH_LAST,
        "window": measurements.HH_WINDOW,
        "figures": {
            "gates": drawn(figures.hh_gates()),
            "spike": drawn(figures.hh_trace()),
            "fi": drawn(figures.hh_fi_curve()),
        },
    }


def morris_lecar() -> dict:
    """Morris–Lecar: equations, nullclines, Jacobian, fixed points with eigenvalues, phase portraits."""
    examples = {}
    for index, example in enumerate(measurements.ml_analysis()):
        name, current, points = example["set"], example["current"], example["points"]
        examples[name] = {
            "title": ml_model.SET_TITLES[name],
            "current": current,
            "points": [
                {
                    "V": float(point.V),
                    "w": float(point.w),
                    "eigenvalues": Tex(", ".join(complex_tex(z) for z in point.eigenvalues)),
                    "kind": point.kind,
                    "returned": measurements.ml_returns(name, current, point),
                }
                for point in points
            ],
            "residual": sci(measurements.ml_nullcline_residual(name, current, points)),
            "figure": f"phase{index}",
        }
    sets = list(ml_model.PARAMETER_SETS)
    symbols = list(ml_model.PARAMETER_SETS[sets[0]])
    return formulas.morris_lecar() | {
        "set_names": [ml_model.SET_TITLES[s] for s in sets],
        "parameters": [
            {"symbol": tex(s), "values": [formulas.value(ml_model.PARAMETER_SETS[n][s]) for n in sets]} for s in symbols
        ],
        "examples": examples,
        "figures": {f"phase{i}": drawn(figures.ml_phase_portrait(i)) for i in range(len(examples))},
    }


def rate_neuron(lif_part: dict) -> dict:
    """The LIF rate as an activation of the weighted sum: its gain, asymptote and saturation (shared with the LIF)."""
    slope, offset = measurements.lif_asymptote()
    return formulas.rate_neuron() | {
        "spiking": lif_part["rate"],
        "asymptote": lif_part["asymptote"],
        "saturation": lif_part["saturation"],
        "slope": 1000 * slope,
        "offset": 1000 * offset,
        "figures": {"activation": drawn(figures.activation_comparison())},
    }


def present() -> Record:
    lif_part = lif()
    ml_part = morris_lecar()
    return {
        "models": {
            "lif": lif_part,
            "hodgkin_huxley": hodgkin_huxley(),
            "morris_lecar": ml_part,
            "rate_neuron": rate_neuron(lif_part),
            # the theory summary shows two of the pages' figures (the same drawings): the LIF rate, the SNLC phase plane
            "figures": {"rate": lif_part["figures"]["rate"], "phase": ml_part["figures"]["phase0"]},
        }
    }
