"""The participant pack of the workshop kit: the practice notebooks with one self-contained module.

* :mod:`~nnmath.render.pack.module` — ``nnmath_practice.py``: the generated functions, derived rules and checks
  the pack's notebooks use, NumPy only (``templates/pack/nnmath_practice.py.j2``);
* :mod:`~nnmath.render.pack.build` — the folders ``participants/`` (exercises) and ``participants-solutions/``.
"""
