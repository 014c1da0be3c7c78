"""A sidebar that stays small and cheap on large sites.

furo puts the whole site tree into the sidebar of every page. With hundreds of
case studies each page then carries every page's link (about 160 kB of sidebar
per page at 1,000 case studies), and the build is quadratic: for every page
Sphinx resolves the full tree and furo re-parses it (benchmarks/RESULTS.md).

Adds the setting ``kb_sidebar_full_max_pages`` (default 300). While the site
has at most that many pages nothing changes. Above it:

* the sidebar shows only the top-level sections (Veranstaltungen,
  Praxisbeispiele, Glossar), the current section marked; every page stays
  reachable through its overview page, whose ``kb-listing`` cards list all
  pages of its type;
* that short sidebar is computed once per distinct result and reused: at depth
  one it depends only on the page's folder (relative links), on the top-level
  section the page belongs to and on whether the page is that section's page
  itself. tests/test_performance.py checks that it equals the uncached result.

The cache is cleared when writing starts (``env-updated``), before parallel
writer processes are forked, so each build, serial or parallel, full or
incremental, starts from the current toctree.
"""

from __future__ import annotations

import posixpath
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

_cache: dict[tuple, str] = {}
_parents: dict[str, str] = {}


def reset(app: Sphinx, env: BuildEnvironment) -> None:
    """Before writing: forget the sidebars and the toctree of the previous build."""
    _cache.clear()
    _parents.clear()
    _parents.update({child: parent for parent, kids in env.toctree_includes.items() for child in kids})


def _section(app: Sphinx, pagename: str) -> str | None:
    """The top-level toctree entry whose branch holds the page (or the page itself)."""
    top = set(app.env.toctree_includes.get(app.config.root_doc, ()))
    doc, seen = pagename, set()
    while doc not in top and doc in _parents and doc not in seen:
        seen.add(doc)
        doc = _parents[doc]
    return doc if doc in top else None


def limit_sidebar(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree) -> None:
    """Before furo computes the sidebar: on large sites, the top level only, computed once."""
    toctree = context.get("toctree")
    if toctree is None or len(app.env.found_docs) <= app.config.kb_sidebar_full_max_pages:
        return
    section = _section(app, pagename)

    def top_level_toctree(**kwargs: Any) -> str:
        kwargs.update(collapse=True, maxdepth=1)
        key = (posixpath.dirname(pagename), section, pagename == section, tuple(sorted(kwargs.items())))
        if not app.config.kb_sidebar_cache:
            return toctree(**kwargs)
        if key not in _cache:
            _cache[key] = toctree(**kwargs)
        return _cache[key]

    context["toctree"] = top_level_toctree


def setup(app: Sphinx) -> dict:
    app.require_sphinx("9.0")
    app.add_config_value("kb_sidebar_full_max_pages", 300, "html", types=[int])
    # Only for tests/test_performance.py, which compares cached and uncached sidebars.
    app.add_config_value("kb_sidebar_cache", True, "html", types=[bool])
    app.connect("env-updated", reset)
    # furo computes its sidebar in its own html-page-context handler (priority 500).
    app.connect("html-page-context", limit_sidebar, priority=400)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
