"""Discoverability helpers for search engines and link previews.

Adds two things to HTML builds:

* ``robots.txt`` in the output root, allowing every page and naming the
  sitemap at ``html_baseurl`` (the one place the site's address is set);
* the page's front-matter ``description`` as its ``og:description``, so link
  previews show the same text as the meta description instead of the first
  paragraph that sphinxext-opengraph would pick.

Both read only the configuration and the current page's metadata and keep no
state, so they are safe for parallel and incremental builds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx


def write_robots_txt(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    base = app.config.html_baseurl
    lines = ["User-agent: *", "Disallow:"]
    if base:
        lines.append(f"Sitemap: {base.rstrip('/')}/{app.config.sitemap_filename}")
    Path(app.outdir, "robots.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def description_for_opengraph(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    meta = context.get("meta")
    if isinstance(meta, dict) and isinstance(meta.get("description"), str):
        # A copy: context["meta"] is the environment's own metadata dict.
        context["meta"] = {**meta, "og:description": meta["description"]}


def setup(app: Sphinx) -> dict:
    app.require_sphinx("9.0")
    app.setup_extension("sphinx_sitemap")  # robots.txt names its sitemap_filename
    app.setup_extension("sphinxext.opengraph")  # og:description goes into its meta tags
    # Before sphinxext.opengraph (priority 500) reads context["meta"].
    app.connect("html-page-context", description_for_opengraph, priority=400)
    app.connect("build-finished", write_robots_txt)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
