r"""LaTeX from Jinja2 templates: TeX-friendly delimiters, strict variables, escaped text.

Jinja's default ``{{ }}`` / ``{% %}`` / ``{# #}`` clash with TeX's braces and
``#``, so templates use ``\VAR{...}`` for values, ``\BLOCK{...}`` for
statements and ``\#{...}`` for comments.  Undefined variables are errors
(``StrictUndefined``).

Every value a template prints is escaped as text unless it is :class:`TeX`
(already LaTeX, e.g. a formula printed by :func:`derive.printing.latex.latex`), so a
catalogue summary with ``_`` or ``%`` cannot break the document.  The
``tex`` filter does the same explicitly; a macro's output is printed with
``|safe`` (it is LaTeX the template itself wrote).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import jinja2
import markupsafe

from nnmath.paths import TEMPLATES
from nnmath.topics.base import Tex as TeX  # LaTeX already: printed as it is, never escaped again

TEMPLATE_DIR = TEMPLATES / "handouts"


_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}

# Characters of the catalogue's prose that pdfLaTeX's utf8 input does not know, as LaTeX.
_UNICODE = {
    "\u00a0": "~",  # a no-break space (a value and its measurement kept on one line)
    "−": r"\ensuremath{-}",
    "±": r"\ensuremath{\pm}",
    "×": r"\ensuremath{\times}",
    "·": r"\ensuremath{\cdot}",
    "≤": r"\ensuremath{\leq}",
    "≥": r"\ensuremath{\geq}",
    "≠": r"\ensuremath{\neq}",
    "≈": r"\ensuremath{\approx}",
    "∈": r"\ensuremath{\in}",
    "∂": r"\ensuremath{\partial}",
    "∇": r"\ensuremath{\nabla}",
    "∑": r"\ensuremath{\sum}",
    "√": r"\ensuremath{\surd}",
    "∞": r"\ensuremath{\infty}",
    "→": r"\ensuremath{\to}",
    "←": r"\ensuremath{\leftarrow}",
    "⊙": r"\ensuremath{\odot}",
    "…": r"\ldots{}",
    "ŷ": r"\ensuremath{\hat{y}}",
    "ᵀ": r"\ensuremath{^{\top}}",
    "ˣ": r"\textsuperscript{x}",
    "ᶻ": r"\textsuperscript{z}",
    "⁻": r"\textsuperscript{\ensuremath{-}}",
    "¹": r"\textsuperscript{1}",
    "²": r"\textsuperscript{2}",
    "½": r"\ensuremath{\tfrac{1}{2}}",
    "′": r"\ensuremath{'}",
    "³": r"\textsuperscript{3}",
    "ₖ": r"\ensuremath{_{k}}",
    "ᵢ": r"\ensuremath{_{i}}",
    "ⱼ": r"\ensuremath{_{j}}",
    "ₙ": r"\ensuremath{_{n}}",
    "₀": r"\ensuremath{_{0}}",
    "‖": r"\ensuremath{\|}",
    "⋅": r"\ensuremath{\cdot}",
    "⌊": r"\ensuremath{\lfloor}",
    "⌋": r"\ensuremath{\rfloor}",
    "⌈": r"\ensuremath{\lceil}",
    "⌉": r"\ensuremath{\rceil}",
    "✓": r"\ensuremath{\checkmark}",
    **{ch: rf"\textsuperscript{{{d}}}" for d, ch in enumerate("⁰¹²³⁴⁵⁶⁷⁸⁹") if d not in (1, 2, 3)},
    **{ch: rf"\ensuremath{{_{{{d}}}}}" for d, ch in enumerate("₀₁₂₃₄₅₆₇₈₉")},
    "∘": r"\ensuremath{\circ}",
    **{
        ch: rf"\ensuremath{{\{name}}}"
        for ch, name in zip(
            "αβγδεζηθκλμνξπρστφχψωΣΦΔΛΠΩ",
            "alpha beta gamma delta epsilon zeta eta theta kappa lambda mu nu xi pi rho sigma tau phi chi psi omega "
            "Sigma Phi Delta Lambda Pi Omega".split(),
        )
    },
}
# Typographic characters pdfLaTeX's utf8 input typesets by itself.
_PASS = set("–—‘’“”«»")


class UntypesettableText(ValueError):
    """Text with a character pdfLaTeX cannot typeset (the message names it)."""


def _char(ch: str) -> str:
    if ch in _SPECIAL:
        return _SPECIAL[ch]
    if ch in _UNICODE:
        return _UNICODE[ch]
    if ord(ch) < 128 or ch in _PASS:
        return ch
    if unicodedata.category(ch).startswith("L") and ord(ch) < 0x180:  # Latin-1 and Latin Extended-A: in T1 fonts
        return ch
    raise UntypesettableText(f"pdfLaTeX cannot typeset {ch!r} (U+{ord(ch):04X})")


def escape(text: object) -> TeX:
    r"""``text`` as LaTeX text: TeX's special characters escaped, known Unicode maths as ``\ensuremath``.

    :class:`TeX` values, and text a template marked ``|safe`` (a macro's output), are
    returned unchanged.  Raises :class:`UntypesettableText` for a character pdfLaTeX
    cannot typeset, naming it and the text.
    """
    if isinstance(text, TeX):
        return text
    if isinstance(text, markupsafe.Markup):
        return TeX(text)
    s = str(text)
    try:
        return TeX("".join(_char(ch) for ch in s))
    except UntypesettableText as e:
        raise UntypesettableText(f"{e} in {s!r}") from None


def environment(template_dir: Path | None = None) -> jinja2.Environment:
    r"""A Jinja2 environment for LaTeX: ``\VAR{}``, ``\BLOCK{}``, ``\#{}``, strict, text escaped by default."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(template_dir or TEMPLATE_DIR),
        block_start_string=r"\BLOCK{",
        block_end_string="}",
        variable_start_string=r"\VAR{",
        variable_end_string="}",
        comment_start_string=r"\#{",
        comment_end_string="}",
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        finalize=escape,
    )


def render(template: str, context: dict, template_dir: Path | None = None) -> str:
    """Render ``template`` (a file name in ``template_dir``, default :data:`TEMPLATE_DIR`) with ``context``."""
    env = environment(template_dir)
    env.filters["tex"] = escape
    return env.get_template(template).render(**context)
