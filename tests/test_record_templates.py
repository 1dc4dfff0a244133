"""A record's key holds the templates of generated code its process printed through (``nnmath.records.DATA``):
editing one of them recomputes that record and leaves the others cached."""

from __future__ import annotations

import functools
import shutil

import sympy as sp

from derive.numerics import codegen
from nnmath import records
from nnmath.topics.base import Topic

TEMPLATE = "templates/numeric/function.py.j2"
# A record printed through templates/numeric/function.py.j2, and one of a process that imported the code generator
# and rendered no template (codegen.signature prints a def line's arguments without one).
PRINTED = Topic("printed", "printed", functools.partial(codegen.function_source, "f", "x", ["f."], ["return x"]))
UNPRINTED = Topic("unprinted", "unprinted", functools.partial(codegen.signature, (sp.Symbol("x"),)))


def test_a_record_depends_on_the_templates_it_printed_through_and_on_no_other(monkeypatch, tmp_path):
    monkeypatch.setattr(records, "CACHE", tmp_path / "cache")
    done = records.compute([PRINTED, UNPRINTED], progress=False)
    assert done["printed"].record.startswith("def f(x):")
    printed, unprinted = done["printed"].files, done["unprinted"].files
    assert "derive/numerics/codegen.py" in printed and "derive/numerics/codegen.py" in unprinted
    assert [f for f in printed if f.startswith("templates/")] == [TEMPLATE]
    assert not [f for f in unprinted if f.startswith("templates/")]
    assert printed[TEMPLATE] == records._digest(records.ROOT / TEMPLATE)

    # the same records against a copy of the files they were computed from: valid until the template is edited
    copy = tmp_path / "root"
    for rel in {*printed, *unprinted}:
        (copy / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(records.ROOT / rel, copy / rel)
    monkeypatch.setattr(records, "ROOT", copy)
    assert records.load(PRINTED) is not None and records.load(UNPRINTED) is not None
    with (copy / TEMPLATE).open("a") as f:
        f.write("# edited\n")
    assert records.load(PRINTED) is None
    assert records.load(UNPRINTED) is not None
