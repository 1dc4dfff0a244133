"""The record of the page about your own activation: Mish derived from its typed expression, and how to do it.

Everything is computed when the record is: the derivation (in the entry template's strings),
its cross-check and figure, what the command prints, more examples, the grammar and the limits.
"""

from __future__ import annotations

from derive.calculus.derivation import gradient
from derive.custom.expression import DEFAULT_TIME_LIMIT, build_entry, derive_expression
from derive.printing import formulas
from nnmath.topics.base import Record, Tex
from nnmath.topics.custom.expression import expression_strings, measure, numeric_entry
from nnmath.topics.custom.grammar import functions, limits, tenth
from nnmath.topics.custom.summary import summary

# The example of the site page: Mish (Misra 2019), typed as a learner writes it.
EXAMPLE = {"text": "x*tanh(log(1 + exp(x)))", "name": "mish", "title": "Mish"}
SUMMARY = (
    "Derive your own activation with one command. This page is what nnmath writes for Mish, typed as "
    "`x*tanh(log(1 + exp(x)))`: parsed safely, derived rule by rule, simplified, printed as stable NumPy code "
    "and cross-checked — with the template of every catalogue page. "
    "[How to do it for your expression](#derive-your-own) follows the derivation."
)
# More examples, derived when the site is built: (what, expression, name, parameters).
MORE_EXAMPLES = (
    ("Swish with a parameter β", "x*sigmoid(beta*x)", "swish", {"beta": 1.5}),
    ("GELU, tanh approximation", "0.5*x*(1 + tanh(sqrt(2/pi)*(x + 0.044715*x^3)))", "gelu_tanh", {}),
    ("a piecewise function of your own", "where(x > 0, x, 0.2*(exp(x) - 1))", "my_elu", {}),
)


def example(what: str, text: str, name: str, parameters: dict[str, float]) -> dict:
    """One more example: the command, and the derivative it finds (derived now).

    Only the derivative is shown, so only it is computed: the entry the command builds and ``sympy.diff`` of
    its definition, simplified — what :func:`derive_expression` gives as ``.derivative``, without its steps,
    proof of agreement and NumPy code (tests/test_custom_derive.py runs the whole command on each example).
    The expressions are ours, not a user's: no worker process and no time limit, so the page never shows an
    unsimplified derivative because the machine was busy.
    """
    entry = build_entry(text, name=name, parameters=parameters)
    options = "".join(f" --param {p}={v:g}" for p, v in parameters.items())
    return {
        "what": what,
        "command": f'nnmath derive "{text}" --name {name}{options}',
        "derivative": Tex(formulas.equation(formulas.derivative_of(entry, entry.wrt), gradient(entry))),
        "convention": entry.convention,
    }


def your_own_activation() -> dict:
    """The page: Mish derived from its typed expression, and how to do it yourself."""
    d = derive_expression(
        EXAMPLE["text"], name=EXAMPLE["name"], title=EXAMPLE["title"], summary=SUMMARY, extra=expression_strings
    )
    measured = measure(d.entry, numeric_entry(d.entry, d.function, d.gradient))
    command = f'nnmath derive "{EXAMPLE["text"]}" --name {EXAMPLE["name"]}'
    return {
        "entry": d.extra,
        "entry_text": EXAMPLE["text"],
        "time_limit": f"{DEFAULT_TIME_LIMIT:g}",
        "check": measured["check"],
        "figures": {EXAMPLE["name"]: measured["figure"]},
        "command": command,
        "output": summary(d),
        "page_command": f"{command} --page {EXAMPLE['name']}.md",
        "code_command": f"{command} --code > {EXAMPLE['name']}.py",
        "examples": [example(*e) for e in MORE_EXAMPLES],
        "functions": functions(),
        "tenth": tenth(),
        "limits": limits(),
        "mish_at_1000": f"{float(d.function(1000.0)):g}",
        "mish_grad_at_0": f"{float(d.gradient(0.0)):.6f}",
    }


def present() -> Record:
    return {"your-own-activation": your_own_activation()}
