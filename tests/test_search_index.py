"""The site's search index holds readable text: no TeX command, no ``$``, the maths in Unicode."""

from __future__ import annotations

import json
import re

from site_support import built

from nnmath.render.site.searchtext import plain, readable

TEX = re.compile(r"\\[a-zA-Z]+|\\[()\[\]]|\$")
# In code (a shell prompt "$ nnmath …", a "\n" in a print) only maths source counts as TeX.
CODE = re.compile(r"<code>.*?</code>", re.S)
TEX_IN_CODE = re.compile(r"\$\$|\\(?:frac|left|right|operatorname|mathbf|sum|partial|sigma|begin)\b")


def test_no_entry_of_the_search_index_is_tex():
    index = json.loads((built().site / "search" / "search_index.json").read_text(encoding="utf-8"))
    docs = index["docs"]
    tex = [f"{d['location']}: {m.group(0)!r} in …{d['text'][max(0, m.start() - 40) : m.end() + 40]}…"
           for d in docs for m in [TEX.search(CODE.sub(" ", d["title"] + " " + d["text"]))] if m]  # fmt: skip
    tex += [f"{d['location']}: {m.group(0)!r} in code" for d in docs for m in [TEX_IN_CODE.search(d["text"])] if m]
    assert tex == [], "\n".join(tex[:20])
    assert len(docs) >= 300
    texts = " ".join(d["text"] for d in docs)
    assert "σ(x) = 1/(1 + e⁻ˣ)" in texts  # the sigmoid's definition, readable
    assert "∂" in texts and "Σ" in texts


def test_readable_maths():
    assert readable(r"\sigma\left(x\right) = \frac{1}{1 + e^{- x}}") == "σ(x) = 1/(1 + e⁻ˣ)"
    assert readable(r"\frac{\partial L}{\partial w}") == "(∂L)/(∂w)"
    assert readable(r"\operatorname{softmax}{\left(\mathbf{z} \right)}_{i}") == "softmax(z)ᵢ"
    assert readable(r"w \leftarrow w - \eta g") == "w ← w − η g"
    assert readable(r"\hat{y}^{2}") == "ŷ²"
    assert readable(r"\log{\left(1 + e^{x} \right)}") == "log(1 + eˣ)"
    assert readable(r"\sqrt{2 \pi}") == "√(2 π)"
    assert plain(r"the sigmoid \(\sigma\left(x\right)\) is") == "the sigmoid σ(x) is"
