"""The neuron models' formulas and numbers as LaTeX, printed from :mod:`derive.topics.neurons.equations`.

Formulas go through the course printer (:func:`derive.printing.latex.latex`); small numbers, complex
eigenvalues and parameter values are written here the way a reader writes them.
"""

from __future__ import annotations

import sympy as sp

from derive.printing.textbook import latex
from derive.topics.neurons import equations
from derive.topics.neurons import hodgkin_huxley as hh
from derive.topics.neurons import lif as lif_model
from nnmath.topics.base import Tex


def tex(expr: sp.Basic) -> Tex:
    """``expr`` printed by the course printer."""
    return Tex(latex(expr))


def printed(formulas: dict) -> dict:
    """Every equation of ``formulas`` (one, or a list of them) as LaTeX."""
    return {
        name: [tex(e) for e in value] if isinstance(value, list) else tex(value) for name, value in formulas.items()
    }


def approximately(equation: sp.Eq) -> Tex:
    r"""``lhs \approx rhs``: an asymptote."""
    return Tex(latex(equation).replace(" = ", r" \approx ", 1))


def sci(value: float, digits: int = 1) -> Tex:
    """A small number in LaTeX scientific notation: 1.2 \\cdot 10^{-10}."""
    if value == 0:
        return Tex("0")
    mantissa, exponent = f"{value:.{digits}e}".split("e")
    return Tex(rf"{mantissa} \cdot 10^{{{int(exponent)}}}")


def complex_tex(z: complex, places: int = 4) -> Tex:
    """a ± b i, rounded."""
    if abs(z.imag) < 1e-12:
        return Tex(f"{z.real:.{places}f}")
    sign = "+" if z.imag > 0 else "-"
    return Tex(f"{z.real:.{places}f} {sign} {abs(z.imag):.{places}f}\\,i")


def value(v: sp.Rational) -> str:
    """A parameter as typed: 0.3 or -54.387, or LaTeX maths for a value with no short decimal (1/15)."""
    short = f"{float(v):g}"
    return short if sp.Rational(short) == v else Tex(f"${latex(v)}$")


def parameter_rows(values: dict[sp.Symbol, sp.Rational], units: dict[sp.Symbol, str]) -> list[dict]:
    """Symbol, value and unit of each parameter."""
    return [{"symbol": tex(s), "value": value(v), "unit": units.get(s, "")} for s, v in values.items()]


def lif_solution() -> dict:
    """The LIF model's equation and its solution: trajectory, rheobase, time to spike and rate (not its limits)."""
    return printed(equations.lif_solution_equations())


def lif() -> dict:
    """The LIF model's equations (the large-current asymptote written with ≈) and the exercise's numbers."""
    shown = equations.lif_equations()
    example = shown["example"]
    p = lif_model.PARAMETERS
    given = (lif_model.tau, lif_model.R, lif_model.V_rest, lif_model.V_th)
    return printed(shown) | {
        "asymptote": approximately(shown["asymptote"]),
        "example": Tex(latex(example) + rf" \approx {float(example.rhs):.4f}"),
        "example_current": tex(equations.LIF_EXAMPLE_CURRENT),
        "example_parameters": Tex(", ".join(f"{latex(s)} = {latex(p[s])}" for s in given)),
    }


def hodgkin_huxley() -> dict:
    """The membrane and gate equations, and each rate: as the textbooks write it, and as the generated code does."""
    stable = hh.stable_rates()
    rates = {
        name: {
            "lhs": tex(equations.rate_symbol(name)),
            "textbook": Tex(equations.textbook_rate_latex(name)),
            "stable": tex(stable[name]),
        }
        for name in hh.RATES
    }
    return printed(equations.hodgkin_huxley_equations()) | {"rates": rates}


def morris_lecar() -> dict:
    """The Morris–Lecar equations, nullclines and Jacobian."""
    return printed(equations.morris_lecar_equations())


def rate_neuron() -> dict:
    """The artificial neuron next to the LIF neuron read as a rate unit."""
    return printed(equations.rate_neuron_equations())
