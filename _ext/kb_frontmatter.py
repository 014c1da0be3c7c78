"""Check the YAML front matter of every page.

Adds a check run after each document is read: a page without a non-empty
``description`` in its front matter emits a warning that names the file and
line, so the strict build (``-W``) fails. The description becomes the page's
HTML meta description (see ``_templates/page.html``).

The check reads only the document being processed and keeps no state, so it
is safe for parallel and incremental builds.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

REQUIRED_FIELDS = ("description",)


def check_front_matter(app: Sphinx, doctree: nodes.document) -> None:
    docname = app.env.current_document.docname
    metadata = app.env.metadata.get(docname, {})
    for field in REQUIRED_FIELDS:
        value = metadata.get(field)
        if not isinstance(value, str) or not value.strip():
            logger.warning(
                "front matter: required field %r is missing or empty "
                "(add '%s: ...' between the '---' lines at the top of the file)",
                field,
                field,
                location=(docname, 1),
                type="kb",
                subtype="frontmatter",
            )


def setup(app: Sphinx) -> dict:
    app.connect("doctree-read", check_front_matter)
    return {
        "version": "1.0",
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
