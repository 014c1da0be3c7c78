"""Discoverability helpers for search engines and link previews.

Adds two things to HTML builds:

* ``robots.txt`` in the output root, allowing every page and naming the
  sitemap at ``html_baseurl`` (the one place the site's address is set);
* the page's front-matter ``description`` as its ``og:description``, so link
  previews show the same text as the meta description instead of the first
  paragraph that sphinxext-opengraph would pick.

Both read only the configuration and the current page's metadata and keep no
state, so they are safe for parallel and incremental builds.

It also puts ``sitemap.xml`` in a fixed order: sphinx-sitemap lists pages in
the order they were written, which with ``-j`` depends on which writer process
finishes first. Pages are listed by name (documents and the further pages
of paged overviews), then the generated pages (search, index, 404) in the
order they were written, which is the same in every build. That sorts
sphinx-sitemap's private queue: a kb.upstream patch ("sitemap"); outside the
versions it was written for, sitemap.xml lists the same pages in the order
they were written.
"""

from __future__ import annotations

import queue
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from kb.paging import PAGE_INFIX
from kb.upstream import applies, setup_upstream


def write_robots_txt(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    base = app.config.html_baseurl
    lines = ["User-agent: *", "Disallow:"]
    if base:
        lines.append(f"Sitemap: {base.rstrip('/')}/{app.config.sitemap_filename}")
    Path(app.outdir, "robots.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def sitemap_in_serial_order(app: Sphinx, exception: Exception | None) -> None:
    """Before sphinx-sitemap writes sitemap.xml: its queue of pages in the order of a serial build."""
    links = getattr(app, "sitemap_links", None)
    if exception is not None or links is None:
        return
    entries = []
    while True:
        try:
            entries.append(links.get_nowait())
        except queue.Empty:
            break
    suffix = app.config.html_file_suffix or ".html"
    docs = app.env.all_docs

    def order(item: tuple[int, tuple[str, Any]]) -> tuple:
        index, (link, _) = item
        name = link.removesuffix(suffix)
        if name in docs or name.rpartition(PAGE_INFIX)[0] in docs:  # documents, pages of an overview
            return (0, name, 0)
        return (1, "", index)

    for _, entry in sorted(enumerate(entries), key=order):
        links.put(entry)


def description_for_opengraph(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    meta = context.get("meta")
    if isinstance(meta, dict) and isinstance(meta.get("description"), str):
        # A copy: context["meta"] is the environment's own metadata dict.
        context["meta"] = {**meta, "og:description": meta["description"]}


def install(app: Sphinx, config: Any) -> None:
    """Once the configuration is read: sphinx-sitemap's queue sorted, if the patch applies."""
    if applies(app, "sitemap"):
        # Before sphinx-sitemap (priority 500) writes the file.
        app.connect("build-finished", sitemap_in_serial_order, priority=400)


def setup(app: Sphinx) -> dict:
    app.require_sphinx("9.0")
    app.setup_extension("sphinx_sitemap")  # robots.txt names its sitemap_filename
    app.setup_extension("sphinxext.opengraph")  # og:description goes into its meta tags
    # Before sphinxext.opengraph (priority 500) reads context["meta"].
    app.connect("html-page-context", description_for_opengraph, priority=400)
    app.connect("build-finished", write_robots_txt)
    setup_upstream(app)
    app.connect("config-inited", install)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
