r"""Long display formulas broken over aligned lines, so that none is wider than the page.

The course printer writes each formula on one line; a page or a handout has a fixed width.
:func:`fit` takes the LaTeX of one display (as the printer made it) and, when its estimated width
exceeds the measure, breaks it at top-level relations (``=``, ``\approx``…) and then at top-level
``+`` / ``-`` into the rows of an ``aligned`` environment::

    L = a + b + c + d        →   L &= a + b
                                   &\quad + c + d

Rows of an ``aligned`` display that are too wide get continuation rows in the same column;
the rows of a ``gathered`` display are broken each on its own.  Nothing is ever re-ordered or
dropped: joining the pieces gives the same formula.

Widths are estimated in em of the display font (:func:`width`), from the glyph widths of Computer
Modern as KaTeX and pdfTeX set them: fractions take the wider of numerator and denominator, scripts
and nested fractions are smaller.  The estimate is deliberately a little generous, so a broken
formula fits with some room to spare.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The display measure, in em of the maths font.  The site's content column at a 1280-px window is 688 px,
# 35.5 em of KaTeX's 1.21 × 16 px; the estimate of :func:`width` is within 7 % of KaTeX's for the course's
# formulas, so 31 em always fits (the handouts' 174 mm at 11 pt hold about 44 em).
MEASURE_EM = 31.0

_TOKEN = re.compile(r"\\[a-zA-Z]+\*?|\\.|[{}^_&]|\s+|.", re.S)

# Widths in em (text style) of single characters and commands; binary operators and relations
# include the spaces TeX puts around them.
_BINARY = 1.22
_RELATION = 1.34
_CHARS = {"+": _BINARY, "-": _BINARY, "=": _RELATION, "<": _RELATION, ">": _RELATION, ",": 0.45, ";": 0.45}
_CHARS.update({c: 0.39 for c in "()[]"})
_CHARS.update({c: 0.28 for c in "|.!:'"})
_CHARS.update({c: 0.5 for c in "0123456789"})
_CHARS["/"] = 0.5
_COMMANDS = {
    r"\left": 0.0,
    r"\right": 0.0,
    r"\quad": 1.0,
    r"\qquad": 2.0,
    r"\,": 0.17,
    r"\:": 0.22,
    r"\;": 0.28,
    r"\!": -0.17,
    r"\ ": 0.33,
    r"\{": 0.5,
    r"\}": 0.5,
    r"\|": 0.5,
    r"\vert": 0.28,
    r"\Vert": 0.5,
    r"\lVert": 0.5,
    r"\rVert": 0.5,
    r"\lfloor": 0.45,
    r"\rfloor": 0.45,
    r"\lceil": 0.45,
    r"\rceil": 0.45,
    r"\partial": 0.56,
    r"\nabla": 0.83,
    r"\infty": 1.0,
    r"\sum": 1.45,
    r"\prod": 1.3,
    r"\cdot": 0.72,
    r"\cdots": 1.4,
    r"\ldots": 1.2,
    r"\dots": 1.2,
    r"\top": 0.78,
    r"\prime": 0.3,
    r"\%": 0.83,
}
_COMMANDS.update(
    {
        rf"\{name}": _BINARY
        for name in ("odot", "circ", "times", "pm", "mp", "oplus", "otimes", "ast", "star", "wedge", "vee", "cap")
    }
)
_RELATIONS = ("leq", "geq", "le", "ge", "neq", "approx", "equiv", "sim", "to", "mapsto", "leftarrow", "rightarrow")
_RELATIONS += ("Longrightarrow", "Leftrightarrow", "Rightarrow", "in", "mid", "propto", "coloneqq")
_COMMANDS.update({rf"\{name}": _RELATION for name in _RELATIONS})
_COMMANDS[r"\Longrightarrow"] = 2.2
_FUNCTIONS = ("log", "ln", "exp", "sin", "cos", "tan", "sinh", "cosh", "tanh", "max", "min", "lim", "det", "sgn")
# The relations a formula is broken at, and the operators a long side is broken before.
BREAK_RELATIONS = ("=", r"\approx", r"\leq", r"\geq", r"\le", r"\ge", r"\equiv", r"\coloneqq")
BREAK_OPERATORS = ("+", "-")

_ONE_ARGUMENT = {
    r"\mathbf": 1.1,
    r"\boldsymbol": 1.1,
    r"\bm": 1.1,
    r"\mathrm": 0.95,
    r"\mathit": 1.0,
    r"\mathcal": 1.1,
    r"\mathbb": 1.1,
    r"\hat": 1.0,
    r"\bar": 1.0,
    r"\tilde": 1.0,
    r"\vec": 1.0,
    r"\dot": 1.0,
    r"\overline": 1.0,
    r"\underline": 1.0,
}
_TEXT = {r"\text": 0.5, r"\textrm": 0.5, r"\mathrm": 0.5, r"\operatorname": 0.5, r"\operatorname*": 0.5}
_SMALLER = {"display": "text", "text": "script", "script": "scriptscript", "scriptscript": "scriptscript"}
_SCRIPT = {"display": "script", "text": "script", "script": "scriptscript", "scriptscript": "scriptscript"}
_SIZE = {"display": 1.0, "text": 1.0, "script": 0.7, "scriptscript": 0.5}


def tokens(tex: str) -> list[str]:
    """The LaTeX split into commands, braces, script marks and single characters (spaces kept)."""
    return _TOKEN.findall(tex)


@dataclass
class _Reader:
    """Reads a token list from ``pos`` on, measuring as it goes."""

    toks: list[str]
    pos: int = 0

    def peek(self) -> str | None:
        while self.pos < len(self.toks) and self.toks[self.pos].isspace():
            self.pos += 1
        return self.toks[self.pos] if self.pos < len(self.toks) else None

    def take(self) -> str:
        tok = self.peek()
        assert tok is not None
        self.pos += 1
        return tok

    def raw_group(self) -> list[str]:
        """The tokens of the next argument: a braced group without its braces, or one token."""
        tok = self.take()
        if tok != "{":
            return [tok]
        depth, start = 1, self.pos
        while depth:
            t = self.toks[self.pos]
            depth += {"{": 1, "}": -1}.get(t, 0)
            self.pos += 1
        return self.toks[start : self.pos - 1]


def width(tex: str, style: str = "display") -> float:
    """Estimated width of ``tex`` in em of the display font (``style``: TeX's display/text/script)."""
    return _width(tokens(tex), style)


def _width(toks: list[str], style: str) -> float:
    reader, total = _Reader(toks), 0.0
    while reader.peek() is not None:
        total += _atom(reader, style)
    return total


def _atom(r: _Reader, style: str) -> float:
    tok = r.take()
    size = _SIZE[style]
    if tok == "{":
        r.pos -= 1
        return _width(r.raw_group(), style)
    if tok in ("^", "_"):
        return _width(r.raw_group(), _SCRIPT[style]) * 0.95
    if tok in (r"\frac", r"\dfrac", r"\tfrac", r"\binom"):
        inner = "text" if tok == r"\dfrac" else _SMALLER[style]
        num, den = _width(r.raw_group(), inner), _width(r.raw_group(), inner)
        return max(num, den) + 0.24 * size
    if tok == r"\sqrt":
        if r.peek() == "[":
            while r.take() != "]":
                pass
        return _width(r.raw_group(), style) + 0.9 * size
    if tok in (r"\left", r"\right", r"\bigl", r"\bigr", r"\Bigl", r"\Bigr", r"\big", r"\Big"):
        delim = r.take()
        return 0.0 if delim == "." else 0.5 * size
    if tok in _TEXT:
        return len("".join(r.raw_group())) * _TEXT[tok] * size + (0.17 * size if "operatorname" in tok else 0)
    if tok in _ONE_ARGUMENT:
        return _width(r.raw_group(), style) * _ONE_ARGUMENT[tok]
    if tok == r"\substack":
        return max(_width(row, style) for row in _split(r.raw_group(), r"\\"))
    if tok == r"\begin":
        return _environment(r, "".join(r.raw_group()), style)
    if tok in _COMMANDS:
        return _COMMANDS[tok] * size
    if tok.startswith("\\") and tok[1:] in _FUNCTIONS:
        return (0.5 * len(tok) - 0.5 + 0.17) * size
    if tok.startswith("\\"):
        return 0.62 * size  # a Greek letter or another symbol
    if tok in _CHARS:
        return _CHARS[tok] * size
    return (0.6 if tok.isupper() else 0.53) * size


def _environment(r: _Reader, name: str, style: str) -> float:
    """Width of ``\\begin{name} … \\end{name}``: columns side by side, each as wide as its widest cell."""
    depth, start = 1, r.pos
    while depth:
        t = r.toks[r.pos]
        if t in (r"\begin", r"\end"):
            depth += 1 if t == r"\begin" else -1
        r.pos += 1
    body = r.toks[start : r.pos - 1]
    r.raw_group()  # the name after \end
    if body and body[0] == "{":  # array column spec
        body = body[body.index("}") + 1 :]
    rows = [_split(row, "&") for row in _split(body, r"\\")]
    inner = "text" if name in ("cases", "matrix", "pmatrix", "bmatrix") else style
    columns = max(len(row) for row in rows)
    widths = [max((_width(row[c], inner) for row in rows if c < len(row)), default=0.0) for c in range(columns)]
    gap = 1.0 if name in ("cases", "matrix", "pmatrix", "bmatrix", "array") else 0.0
    fence = {"pmatrix": 0.9, "bmatrix": 0.9, "cases": 0.9}.get(name, 0.0)
    return sum(widths) + gap * (columns - 1) + fence


def _split(toks: list[str], separator: str) -> list[list[str]]:
    """``toks`` cut at each top-level ``separator`` (outside braces, \\left…\\right and environments)."""
    parts: list[list[str]] = [[]]
    depth = 0
    for t in toks:
        if t == separator and depth == 0:
            parts.append([])
            continue
        depth += _depth_change(t)
        parts[-1].append(t)
    return parts


def _depth_change(tok: str) -> int:
    return {"{": 1, "}": -1, r"\left": 1, r"\right": -1, r"\begin": 1, r"\end": -1}.get(tok, 0)


def _pieces(tex: str, at: tuple[str, ...]) -> list[str]:
    """``tex`` cut before each top-level token of ``at`` that is a binary use (not a leading sign)."""
    toks = tokens(tex)
    pieces, current, depth, previous = [], [], 0, None
    for i, t in enumerate(toks):
        prev_t = toks[i - 1] if i else ""
        binary = previous is not None and previous not in at and previous not in ("&", "(", "{", *BREAK_RELATIONS)
        if depth == 0 and t in at and binary and prev_t not in ("^", "_") and current:
            pieces.append("".join(current).strip())
            current = []
        depth += _depth_change(t)
        current.append(t)
        if not t.isspace():
            previous = t
    pieces.append("".join(current).strip())
    return [p for p in pieces if p]


def _pack(terms: list[str], first_room: float, room: float) -> list[str]:
    """The terms joined greedily into lines: the first line has ``first_room`` em, the others ``room``."""
    lines: list[str] = []
    for term in terms:
        if lines and width(lines[-1] + " " + term) <= (first_room if len(lines) == 1 else room):
            lines[-1] = lines[-1] + " " + term
        else:
            lines.append(term)
    return lines


def _break_side(side: str, first_room: float, room: float) -> list[str]:
    r"""One side of an equation as lines of at most ``room`` em (the first ``first_room``), broken before + and −.

    A term that is wider than a line on its own is opened up: a fraction gets a numerator of several lines,
    a sum in ``\left( … \right)`` is continued with ``\right.`` / ``\left.``.
    """
    if width(side) <= first_room:
        return [side]
    terms: list[str] = []
    for term in _pieces(side, BREAK_OPERATORS):
        terms += _open_up(term, room) if width(term) > room else [term]
    return _pack(terms, first_room, room)


def _open_up(term: str, room: float) -> list[str]:
    """A term too wide for ``room``, as lines that joined in order give the same formula."""
    toks = tokens(term)
    lead = []
    while toks and (toks[0].isspace() or toks[0] in BREAK_OPERATORS):
        lead.append(toks.pop(0))
    if toks and toks[0] == r"\frac":
        r = _Reader(toks, 1)
        num, den = r.raw_group(), r.raw_group()
        if r.peek() is None and width("".join(num)) > room:
            lines = _break_side("".join(num).strip(), room - 1.0, room - 2.0)
            if len(lines) > 1:
                inner = " \\\\ ".join(["& " + lines[0]] + [f"&{INDENT}{line}" for line in lines[1:]])
                body = r"\begin{aligned}" + inner + r"\end{aligned}"
                return ["".join(lead) + r"\frac{" + body + "}{" + "".join(den) + "}"]
    return _open_parentheses("".join(lead), toks, room) or [term]


def _open_parentheses(lead: str, toks: list[str], room: float) -> list[str] | None:
    r"""``a \left( b + c \right) d`` as ``a \left( b \right.`` / ``\left. + c \right) d`` (the widest sum inside)."""
    depth, best = 0, None
    for i, t in enumerate(toks):
        if t == r"\left" and depth == 0:
            j, d = i, 0
            while True:
                d += _depth_change(toks[j])
                j += 1
                if d == 0:
                    break
            inner = toks[i + 2 : j - 1]  # between \left( and \right)
            if len(_pieces("".join(inner), BREAK_OPERATORS)) > 1 and (best is None or len(inner) > best[2] - best[1]):
                best = (i, i + 2, j - 1, j + 1)
        depth += _depth_change(t)
    if best is None:
        return None
    i, a, b, j = best
    head, opening, closing = "".join(toks[:i]), toks[i + 1], toks[j - 1]
    pieces = _pieces("".join(toks[a:b]).strip(), BREAK_OPERATORS)
    lines = _pack(pieces, room - width(head) - 0.5, room - 1.0)
    if len(lines) < 2:  # the sum fits, but not with what follows the parenthesis: its last term goes on
        lines = [" ".join(pieces[:-1]), pieces[-1]]
    out = [lead + head + r"\left" + opening + " " + lines[0] + r" \right."]
    out += [r"\left. " + line + r" \right." for line in lines[1:-1]]
    after = "".join(toks[j:]).strip()
    out.append(r"\left. " + lines[-1] + r" \right" + closing + (" " + after if after else ""))
    if after and width(out[-1]) > room:  # the factors after the parenthesis go on a line of their own
        out[-1:] = [r"\left. " + lines[-1] + r" \right" + closing, r"\cdot " + after]
    return out


INDENT = r"\quad "
_SEPARATORS = (r"\qquad",)


def break_line(tex: str, measure: float = MEASURE_EM) -> list[str]:
    """One formula as the rows of an ``aligned`` environment (a list of one row when it fits).

    Rows are ``lhs &= a + b``, ``&\\quad + c``, ``&= d``: broken at top-level relations first,
    then each side before its top-level + and −.
    """
    if width(tex) <= measure:
        return [tex]
    parts = _pieces(tex, BREAK_RELATIONS)
    lhs, sides = parts[0], parts[1:]
    if not sides:  # no relation: a long expression on its own
        lines = _break_side(lhs, measure, measure - 1.0)
        return ["& " + lines[0]] + [f"&{INDENT}{line}" for line in lines[1:]]
    lhs_width = width(lhs) + _RELATION
    alone = lhs_width >= measure / 2  # a long left side stands alone on the first row
    rows = _rows(lhs, sides, measure, alone)
    if not alone and max(width(row) for row in rows) > measure:  # still too wide: give the right side every em
        rows = _rows(lhs, sides, measure, alone=True)
    return rows


def _rows(lhs: str, sides: list[str], measure: float, alone: bool) -> list[str]:
    """The rows of :func:`break_line`, the left side alone on the first row or beside the first relation."""
    lhs_width = width(lhs) + _RELATION
    room = measure - (2.0 if alone else lhs_width)
    rows = ["& " + lhs] if alone else []
    for k, side in enumerate(sides):
        relation, rest = _relation(side)
        lines = _break_side(rest, room, room - 1.0)
        head = (lhs + " " if k == 0 and not alone else "") + "&" + relation + " " + lines[0]
        rows.append(head)
        rows += [f"&{INDENT}{line}" for line in lines[1:]]
    return rows


def _separated(tex: str) -> list[str]:
    r"""Formulas set side by side with ``\qquad`` (each keeps its trailing comma)."""
    parts, current, depth = [], [], 0
    for t in tokens(tex):
        if t in _SEPARATORS and depth == 0:
            parts.append("".join(current).strip())
            current = []
            continue
        depth += _depth_change(t)
        current.append(t)
    parts.append("".join(current).strip())
    return [p for p in parts if p]


def _relation(side: str) -> tuple[str, str]:
    toks = tokens(side)
    return toks[0], "".join(toks[1:]).strip()


def fit(tex: str, measure: float = MEASURE_EM) -> str:
    r"""The display ``tex``, broken into aligned lines wherever it is wider than ``measure`` em.

    A plain formula becomes an ``aligned`` environment; an ``aligned`` one gets continuation rows; the
    rows of a ``gathered`` one are each fitted on their own.  A display that fits is returned unchanged.
    """
    body = tex.strip()
    if width(body) <= measure:
        return tex
    env = re.fullmatch(r"\\begin\{(aligned|gathered)\}(.*)\\end\{\1\}", body, flags=re.S)
    if env is None and len(_separated(body)) > 1:  # formulas side by side: one per row
        return _environment_of("gathered", [_fit_gathered_row(row, measure) for row in _separated(body)])
    if env is None:
        rows = break_line(body, measure)
        return tex if rows == [body] else _environment_of("aligned", rows)
    name, inner = env.groups()
    rows = ["".join(row).strip() for row in _split(tokens(inner), r"\\")]
    rows = [row for row in rows if row]
    if name == "gathered":
        return _environment_of("gathered", [_fit_gathered_row(row, measure) for row in rows])
    return _environment_of("aligned", _fit_aligned(rows, measure))


def _environment_of(name: str, rows: list[str]) -> str:
    return f"\\begin{{{name}}}\n" + " \\\\\n".join(rows) + f"\n\\end{{{name}}}"


def _fit_gathered_row(row: str, measure: float) -> str:
    lines = break_line(row, measure)
    return row if lines == [row] else _environment_of("aligned", lines)


COLUMN_GAP_EM = 1.0  # between the pairs of an aligned environment (&&)


def _columns_width(cells: list[list[str]]) -> float:
    columns = max(len(c) for c in cells)
    widths = [max((width(c[k]) for c in cells if k < len(c)), default=0.0) for k in range(columns)]
    return sum(widths) + COLUMN_GAP_EM * ((columns - 1) // 2)


def _text_columns(cells: list[list[str]]) -> set[int]:
    """Columns that hold only ``\\text{…}`` (step labels or annotations), and hold at least one."""
    columns = max(len(c) for c in cells)
    found = set()
    for k in range(columns):
        column = [c[k] for c in cells if k < len(c) and c[k]]
        if column and all(_is_text(cell) for cell in column):
            found.add(k)
    return found


def _is_text(cell: str) -> bool:
    """Whether the cell is one ``\\text{…}`` (which may hold ``$…$`` maths with braces)."""
    toks = [t for t in tokens(cell) if not t.isspace()]
    if len(toks) < 3 or toks[0] != r"\text" or toks[1] != "{":
        return False
    return _closing(toks, 1) == len(toks) - 1


def _closing(toks: list[str], start: int) -> int:
    """Index of the brace that closes the one at ``start``."""
    depth = 0
    for i in range(start, len(toks)):
        depth += {"{": 1, "}": -1}.get(toks[i], 0)
        if depth == 0:
            return i
    return -1


def _unstack_text(cells: list[list[str]]) -> list[list[str]]:
    """Each label or annotation on a row of its own in the expression column (before a label, after a note)."""
    text = _text_columns(cells)
    out = []
    for row in cells:
        notes = [row[k] for k in sorted(text) if k < len(row) and row[k]]
        rest = ["" if k in text else c for k, c in enumerate(row)]
        while len(rest) > 2 and not rest[-1]:
            rest.pop()
        labels = [["", INDENT + n] for n in notes if 0 in text and row[0] == n]
        after = [["", INDENT + n] for n in notes if not (0 in text and row[0] == n)]
        out += labels + [rest] + after
    return out


def _fit_aligned(rows: list[str], measure: float) -> list[str]:
    """Rows of an aligned display, each too-wide one continued on rows of its own (same columns).

    When labels or annotations (``\\text`` columns) leave too little room, each goes on a row of its own.
    """
    cells = [["".join(c).strip() for c in _split(tokens(row), "&")] for row in rows]
    if _columns_width(cells) > measure and _text_columns(cells):
        cells = _unstack_text(cells)
    if _columns_width(cells) > measure:
        cells = _lhs_alone(cells, measure)
    out = []
    for cs in cells:
        row = " & ".join(cs) if len(cs) > 1 else cs[0]
        if len(cs) < 2:
            out.append(row)
            continue
        # the expression is the widest cell; the others keep their place
        k = max(range(1, len(cs)), key=lambda i: width(cs[i]))
        left = max((width(c[0]) for c in cells if len(c) > 1), default=0.0)
        rest_cols = sum(
            max((width(c[i]) for c in cells if i < len(c)), default=0.0) for i in range(1, len(cs)) if i != k
        )
        room = measure - left - rest_cols
        if width(cs[k]) <= room:
            out.append(row)
            continue
        relation, rest = _relation(cs[k]) if _is_relation(cs[k]) else ("", cs[k])
        room -= _RELATION if relation else 0.0
        lines = _break_side(rest, room, room - 1.0)
        first = cs[:k] + [(relation + " " + lines[0]).strip()] + cs[k + 1 :]
        out.append(" & ".join(first))
        out += ["&" * k + INDENT + line for line in lines[1:]]
    return out


def _lhs_alone(cells: list[list[str]], measure: float) -> list[list[str]]:
    """A left-hand side wider than half the measure on a row of its own, in the expression column, so that the
    rows under it get the whole width (``∂/∂z (long) \\ &= …`` rather than every row pushed right of it)."""
    if max((width(c[0]) for c in cells if len(c) > 1), default=0.0) < measure / 2:
        return cells
    out = []
    for c in cells:
        out += [["", c[0]], ["", *c[1:]]] if len(c) > 1 and c[0] else [c]
    return out


def _is_relation(cell: str) -> bool:
    first = next((t for t in tokens(cell) if not t.isspace()), "")
    return first in BREAK_RELATIONS


__all__ = ["MEASURE_EM", "break_line", "fit", "width"]
