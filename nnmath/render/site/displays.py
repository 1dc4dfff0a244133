"""Every display formula of a rendered page fitted to the content column (:func:`derive.printing.breaking.fit`).

A page's display maths is a ``$$`` … ``$$`` block (pymdownx.arithmatex), possibly indented inside a list
item or an admonition.  Each block's LaTeX is broken into aligned lines when it is wider than the column;
an indented block has less room (each level of four spaces takes about two em of the column).
"""

from __future__ import annotations

import re

from derive.printing.breaking import MEASURE_EM, fit

_DISPLAY = re.compile(r"^( *)\$\$\n(.*?)\n\1\$\$$", re.S | re.M)
INDENT_EM = 2.0  # what one level of Markdown indentation (4 spaces) takes from the column, in em of the maths


def fit_displays(markdown: str, measure: float = MEASURE_EM) -> str:
    """``markdown`` with each display formula broken to fit ``measure`` em (less when indented)."""

    def fitted(m: re.Match) -> str:
        indent, body = m.group(1), m.group(2)
        lines = [line.removeprefix(indent) for line in body.split("\n")]
        tex = fit("\n".join(lines), measure - INDENT_EM * len(indent) / 4)
        return f"{indent}$$\n" + "\n".join(indent + line for line in tex.split("\n")) + f"\n{indent}$$"

    return _DISPLAY.sub(fitted, markdown)
