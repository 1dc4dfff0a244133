"""The workshop's Jupyter notebooks, rendered from the practice topic's record, executed, published.

* :mod:`~nnmath.render.notebooks.cells` and :mod:`~nnmath.render.notebooks.build` — a part's record through its
  template → cells → student and solutions notebooks (nbformat);
* :mod:`~nnmath.render.notebooks.execute` — running them (nbclient, the ``python3`` kernel);
* :mod:`~nnmath.render.notebooks.cache` — executed notebooks kept until what they ran from changes;
* :mod:`~nnmath.render.notebooks.page` — an executed notebook as what its site page shows, with downloads;
* :mod:`~nnmath.render.notebooks.commands` — ``nnmath notebooks``.

The parts, their maths and the checks their exercise cells call belong to the practice topic
(:mod:`nnmath.topics.practice`).
"""
