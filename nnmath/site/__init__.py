"""The course site: derive the catalogue, render Markdown pages, build them with MkDocs.

``nnmath build`` runs :func:`nnmath.site.build.build_site`; ``nnmath serve``
previews the site with live reload.  Modules, in the order a build uses them:

* :mod:`~nnmath.site.pages` — which pages exist and where (the navigation);
* :mod:`~nnmath.site.derivations` — every page's strings, derived once and cached;
* :mod:`~nnmath.site.render` — Jinja2 templates → Markdown in ``docs/``;
* :mod:`~nnmath.site.katex` — the KaTeX assets, installed from npm into a cache;
* :mod:`~nnmath.site.mkdocs_hooks` — navigation and assets for MkDocs;
* :mod:`~nnmath.site.build` — the atomic build into ``site/``.
"""
