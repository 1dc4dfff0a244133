"""Biological neuron models together: the generated NumPy module and the ``nnmath list`` rows.

The models live in :mod:`.lif`, :mod:`.hodgkin_huxley` and :mod:`.morris_lecar`;
this module prints their right-hand sides, closed forms and parameter sets into
``numeric/_generated/neurons.py`` (run ``nnmath generate``).
"""

from __future__ import annotations

import sympy as sp

from derive.numerics.codegen import GeneratedModule
from derive.topics.neurons import hodgkin_huxley, lif, morris_lecar

TITLE = "NumPy functions generated from the biological neuron models (derive/topics/neurons/)"


def _parameters(name: str, values: dict[sp.Symbol, sp.Rational], comment: str) -> str:
    """A parameter dict as Python source: ``NAME = {"tau": 10.0, ...}`` (floats printed from the exact values)."""
    rows = "".join(f"    {s.name!r}: {float(v)!r},\n" for s, v in values.items())
    return f"# {comment}\n{name} = {{\n{rows}}}\n"


def parameter_sources() -> list[tuple[str, str]]:
    """(name, source) of the parameter sets, printed from the derivations' exact values."""
    out = [
        (
            "LIF_PARAMETERS",
            _parameters("LIF_PARAMETERS", lif.PARAMETERS, "derive.topics.neurons.lif.PARAMETERS (ms, MΩ, mV)"),
        ),
        (
            "HODGKIN_HUXLEY_PARAMETERS",
            _parameters(
                "HODGKIN_HUXLEY_PARAMETERS",
                hodgkin_huxley.PARAMETERS,
                "derive.topics.neurons.hodgkin_huxley.PARAMETERS: squid axon, rest near -65 mV (µF/cm², mS/cm², mV)",
            ),
        ),
    ]
    for set_name, values in morris_lecar.PARAMETER_SETS.items():
        name = f"MORRIS_LECAR_{set_name.upper()}"
        comment = (
            f"derive.topics.neurons.morris_lecar.PARAMETER_SETS[{set_name!r}]: {morris_lecar.SET_TITLES[set_name]}"
        )
        out.append((name, _parameters(name, values, comment)))
    return out


def generated_module() -> str:
    """The text of ``numeric/_generated/neurons.py`` (deterministic)."""
    from derive.numerics.codegen import module_text

    functions = lif.generated_sources() + hodgkin_huxley.generated_sources() + morris_lecar.generated_sources()
    parameters = parameter_sources()
    names = [n for n, _ in functions] + [n for n, _ in parameters]
    return module_text(TITLE, [src for _, src in functions + parameters], names)


GENERATED = GeneratedModule("neurons.py", generated_module)


def formulas() -> list[tuple[str, str]]:
    """``nnmath list`` rows: every generated neuron-model function with its formula."""
    return lif.formulas() + hodgkin_huxley.formulas() + morris_lecar.formulas()
