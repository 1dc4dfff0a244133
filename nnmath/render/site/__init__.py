"""The course site: derive the catalogue, render Markdown pages, build them with MkDocs.

``nnmath build`` runs :func:`nnmath.render.site.build.build_site`; ``nnmath serve``
previews the site with live reload.  Modules, in the order a build uses them:

* :mod:`~nnmath.render.site.pages` — which pages exist and where (the navigation);
* :mod:`~nnmath.render.site.derivations` — every page's strings, derived once and cached;
* :mod:`~nnmath.render.site.render` — Jinja2 templates → Markdown in ``docs/``;
* :mod:`~nnmath.render.site.katex` — the KaTeX assets, installed with nnmath
  (:mod:`~nnmath.render.site.frontend_assets`: fetched at install time, never during a build);
* :mod:`~nnmath.render.site.mkdocs_hooks` — navigation and assets for MkDocs;
* :mod:`~nnmath.render.site.build` — the atomic build into ``site/``.
"""
