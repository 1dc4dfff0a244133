"""The workshop's Jupyter notebooks: generated from templates, executed, published.

* :mod:`~nnmath.render.notebooks.parts` — the notebooks, one per part of the guided practice;
* :mod:`~nnmath.render.notebooks.maths` — their formulas, printed by SymPy like the site's;
* :mod:`~nnmath.render.notebooks.cells` and :mod:`~nnmath.render.notebooks.build` — template → cells → student and
  solutions notebooks (nbformat);
* :mod:`~nnmath.render.notebooks.execute` — running them (nbclient, the ``python3`` kernel);
* :mod:`~nnmath.render.notebooks.page` — the executed notebooks as site pages with downloads;
* :mod:`~nnmath.render.notebooks.checks` — what the notebooks' check cells call.

Importing this package imports nothing heavy: a notebook's first cell imports ``checks`` from it.
"""
