"""Slides for the projector: the workshop's episodes as a 16:9 Beamer deck and its speaker notes.

:mod:`~nnmath.render.slides.deck` turns the workshop's record into frames (one idea per slide),
:mod:`~nnmath.render.slides.layout` splits a frame that is too full, :mod:`~nnmath.render.slides.build`
renders ``templates/slides/deck.tex`` and compiles it, :mod:`~nnmath.render.slides.commands` is
``nnmath slides``.
"""
