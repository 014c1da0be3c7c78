"""The page title (its ``#`` heading) within the limits of ``schemas/title.schema.yaml``.

The title is what readers see on cards, in the browser tab and in search
results; a long one is cut off there. It is no front-matter field, so the
schema of its own holds its limits (one source, like the limits of
description and summary in the page schemas), and the message names the
heading's line. The rendered text is measured (a role counts as the words
it shows).
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

from kb.frontmatter import schema_validator
from kb.wording import wrong_title

logger = logging.getLogger(__name__)

SCHEMA = "title.schema.yaml"


def _heading_line(path: Path, title: str) -> int:
    """Line of the first ``# `` heading in the source (outside the front matter), 0 if none."""
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError):
        return 0
    start = 0
    if lines and lines[0] == "---":
        start = next((i + 1 for i in range(1, len(lines)) if lines[i] == "---"), 0)
    fence = ""
    for index in range(start, len(lines)):
        stripped = lines[index].lstrip()
        if stripped.startswith(("```", "~~~")):
            fence = "" if fence and stripped.startswith(fence) else (fence or stripped[:3])
        elif not fence and stripped.startswith("# "):
            return index + 1
    return 0


def check_title(app: Sphinx, doctree: nodes.document) -> None:
    docname = app.env.current_document.docname
    path = Path(app.env.doc2path(docname))
    schema = Path(app.confdir) / getattr(app.config, "kb_schema_dir", "schemas") / SCHEMA
    section = doctree.next_node(nodes.section)
    if path.suffix != ".md" or section is None or not schema.is_file():
        return
    title = section.next_node(nodes.title)
    if title is None:
        return
    text = " ".join(title.astext().split())
    for error in schema_validator(schema).iter_errors(text):
        line = _heading_line(path, text) or title.line or section.line or 1
        logger.warning(wrong_title(error), location=(docname, line), type="kb", subtype="title")


def setup_titles(app: Sphinx) -> None:
    app.connect("doctree-read", check_title)
