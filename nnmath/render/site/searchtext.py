r"""The site's search index in readable text: the maths of each indexed page as a reader writes it.

MkDocs indexes a page's HTML text, where the maths is still KaTeX source (``\(\sigma\left(x\right)\)``).
:func:`readable` turns that source into plain Unicode — ``σ(x)``, ``(1)/(1 + e^(−x))`` becomes ``1/(1 + e⁻ˣ)``,
``\frac{\partial L}{\partial w}`` ``∂L/∂w`` — and :func:`rewrite_index` applies it to every entry of
``search/search_index.json`` after the build (MkDocs hook ``on_post_build``).
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from pathlib import Path

_GREEK = {
    name: chr(code)
    for name, code in (
        ("alpha", 0x3B1), ("beta", 0x3B2), ("gamma", 0x3B3), ("delta", 0x3B4), ("epsilon", 0x3B5),
        ("varepsilon", 0x3B5), ("zeta", 0x3B6), ("eta", 0x3B7), ("theta", 0x3B8), ("iota", 0x3B9),
        ("kappa", 0x3BA), ("lambda", 0x3BB), ("mu", 0x3BC), ("nu", 0x3BD), ("xi", 0x3BE), ("pi", 0x3C0),
        ("rho", 0x3C1), ("sigma", 0x3C3), ("tau", 0x3C4), ("upsilon", 0x3C5), ("phi", 0x3D5),
        ("varphi", 0x3C6), ("chi", 0x3C7), ("psi", 0x3C8), ("omega", 0x3C9), ("Gamma", 0x393),
        ("Delta", 0x394), ("Theta", 0x398), ("Lambda", 0x39B), ("Xi", 0x39E), ("Pi", 0x3A0),
        ("Sigma", 0x3A3), ("Phi", 0x3A6), ("Psi", 0x3A8), ("Omega", 0x3A9),
    )
}  # fmt: skip
_SYMBOLS = {
    "partial": "∂", "nabla": "∇", "sum": "Σ", "prod": "Π", "infty": "∞", "cdot": "·", "odot": "⊙",
    "circ": "∘", "times": "×", "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "neq": "≠", "approx": "≈",
    "equiv": "≡", "leftarrow": "←", "rightarrow": "→", "to": "→", "Longrightarrow": "⟹", "Rightarrow": "⇒",
    "top": "ᵀ", "in": "∈", "mid": "|", "vert": "|", "lvert": "|", "rvert": "|", "Vert": "‖", "lVert": "‖",
    "rVert": "‖", "lfloor": "⌊", "rfloor": "⌋", "lceil": "⌈", "rceil": "⌉", "wedge": "∧", "vee": "∨",
    "prime": "′", "pm": "±", "ldots": "…", "cdots": "⋯", "dots": "…", "neg": "¬", "sim": "∼", "propto": "∝",
    "star": "⋆", "ast": "∗", "langle": "⟨", "rangle": "⟩", "emptyset": "∅", "forall": "∀", "exists": "∃",
    "quad": " ", "qquad": " ", ",": " ", ";": " ", ":": " ", "!": "", " ": " ", "{": "{", "}": "}",
    "_": "_", "%": "%", "#": "#", "&": "&", "$": "", "\\": "; ", "lbrace": "{", "rbrace": "}",
}  # fmt: skip
_DROPPED = {"left", "right", "bigl", "bigr", "Bigl", "Bigr", "big", "Big", "displaystyle", "limits", "nolimits"}
_WORD_ARGUMENT = {"operatorname", "operatorname*", "text", "textrm", "mathrm", "mathit", "mathbf", "boldsymbol"}
_WORD_ARGUMENT |= {"bm", "mathcal", "mathbb", "mathsf", "textbf", "textit", "substack", "mathbin", "mathrel"}
_ACCENTS = {"hat": "\u0302", "bar": "\u0304", "tilde": "\u0303", "dot": "\u0307", "vec": "\u20d7", "overline": "\u0305"}
_SUPERSCRIPTS = dict(zip("0123456789+-−=()niTtx*′ ", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿⁱᵀᵗˣ*′ ", strict=True))
_SUBSCRIPTS = dict(zip("0123456789+-−=()aeijklmnoprstuvx ", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ ", strict=True))
_TOKEN = re.compile(r"\\[a-zA-Z]+\*?|\\.|[{}^_&]|\s+|.", re.S)
# \( … \), \[ … \] in the pages; $$ … $$ and $ … $ in the docstrings of the code listings
_AFTER_NAME = "\u2063"  # after a function name: dropped before "(" (log(x)), else a space (log x)
_MATH = re.compile(r"\\\((.*?)\\\)|\\\[(.*?)\\\]|\$\$(.*?)\$\$|\$([^$\n]+?)\$", re.S)


@functools.cache  # a formula repeated across the index is read once
def readable(tex: str) -> str:
    r"""LaTeX maths as plain Unicode text: ``\frac{a + b}{2}`` → ``(a + b)/2``, ``x^{2}`` → ``x²``, ``\sigma``: σ."""
    toks = _TOKEN.findall(tex)
    out, _ = _read(toks, 0, stop=None)
    text = re.sub(r"\s+", " ", out).strip()
    text = re.sub(r"([∂∇]) ", r"\1", text)  # ∂L, not ∂ L
    text = text.replace(_AFTER_NAME + " (", "(").replace(_AFTER_NAME + "(", "(").replace(_AFTER_NAME, " ")
    text = re.sub(r"\s+", " ", text).strip()  # softmax(z), log(x) and log x
    return unicodedata.normalize("NFC", text.replace("( ", "(").replace(" )", ")"))


def _group(toks: list[str], i: int) -> tuple[str, int]:
    """The next argument (a braced group or one token) as text, and the index after it."""
    while i < len(toks) and toks[i].isspace():
        i += 1
    if i >= len(toks):
        return "", i
    if toks[i] == "{":
        return _read(toks, i + 1, stop="}")
    return _read(toks[i : i + 1], 0, stop=None)[0], i + 1


def _raw_group(toks: list[str], i: int) -> tuple[str, int]:
    while i < len(toks) and toks[i].isspace():
        i += 1
    if i < len(toks) and toks[i] == "{":
        depth, j = 1, i + 1
        while j < len(toks) and depth:
            depth += {"{": 1, "}": -1}.get(toks[j], 0)
            j += 1
        return "".join(toks[i + 1 : j - 1]), j
    return (toks[i] if i < len(toks) else ""), i + 1


def _wrapped(text: str) -> str:
    """``text`` in parentheses when it is more than one symbol (a fraction's numerator, a long exponent)."""
    text = text.strip()
    simple = re.fullmatch(r"[\w.′\u0300-\u036f\u20d7]+|\(.*\)", text) and not re.search(r"[\s+\-−=/]", text)
    return text if simple else f"({text})"


def _script(text: str, table: dict[str, str], mark: str) -> str:
    text = text.strip()
    if text and all(c in table for c in text):
        return "".join(table[c] for c in text if c != " ")
    return mark + _wrapped(text)


def _read(toks: list[str], i: int, stop: str | None) -> tuple[str, int]:
    out: list[str] = []
    while i < len(toks):
        t = toks[i]
        i += 1
        if t == stop:
            break
        if t == "{":
            text, i = _read(toks, i, stop="}")
            out.append(text)
        elif t in ("^", "_"):
            text, i = _group(toks, i)
            out.append(_script(text, _SUPERSCRIPTS if t == "^" else _SUBSCRIPTS, t))
        elif t in ("&", "$"):  # an alignment mark; maths inside \text{…}
            continue
        elif t.startswith("\\"):
            name = t[1:]
            if name in ("frac", "dfrac", "tfrac"):
                num, i = _group(toks, i)
                den, i = _group(toks, i)
                out.append(f"{_wrapped(num)}/{_wrapped(den)}")
            elif name == "sqrt":
                arg, i = _group(toks, i)
                out.append("√" + _wrapped(arg))
            elif name in ("begin", "end"):
                env, i = _raw_group(toks, i)
                if name == "begin" and env == "array":
                    _, i = _raw_group(toks, i)
                out.append({"cases": "{ ", "matrix": "", "bmatrix": "[", "pmatrix": "("}.get(env, "") if name == "begin"
                           else {"bmatrix": "]", "pmatrix": ")"}.get(env, ""))  # fmt: skip
            elif name in _DROPPED:
                continue
            elif name in _WORD_ARGUMENT:
                text, i = _group(toks, i)
                out.append(text if name != "operatorname" else text + _AFTER_NAME)
            elif name in _ACCENTS:
                text, i = _group(toks, i)
                out.append(text + _ACCENTS[name] if len(text) == 1 else f"{name}({text})")
            elif name in _GREEK:
                out.append(_GREEK[name])
            elif name in _SYMBOLS:
                out.append(_SYMBOLS[name])
            else:  # log, exp, tanh, max, … and any other command: its name
                out.append(name + _AFTER_NAME)
        elif t == "-":
            out.append("−")
        else:
            out.append(t)
    return "".join(out), i


def plain(text: str) -> str:
    r"""Indexed text with each ``\( … \)`` and ``\[ … \]`` replaced by its readable form."""
    return _MATH.sub(lambda m: readable(next(g for g in m.groups() if g is not None)), text)


# The search index and its list of entries: MkDocs' search plugin, Zensical (nnmath build --engine zensical).
INDEXES = ((Path("search") / "search_index.json", "docs"), (Path("search.json"), "items"))


def rewrite_index(site_dir: Path) -> int:
    """Make the search index under ``site_dir`` readable; the number of entries changed."""
    found = [(site_dir / path, key) for path, key in INDEXES if (site_dir / path).is_file()]
    if not found:
        return 0
    (path, entries), *_ = found
    index = json.loads(path.read_text(encoding="utf-8"))
    changed = 0
    for doc in index[entries]:
        for key in ("title", "text"):
            new = plain(doc[key])
            changed += new != doc[key]
            doc[key] = new
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return changed
