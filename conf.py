"""Sphinx configuration for the Wissensbasis Zukunftszentren.

Reads top to bottom in banner sections. Every workaround carries a comment
saying why it is there.
"""

import sys
from pathlib import Path

# Local extensions live in _ext/, one small module each.
sys.path.insert(0, str(Path(__file__).parent / "_ext"))

# -- Project -----------------------------------------------------------------

project = "Wissensbasis Zukunftszentren"
author = "Redaktion Wissensbasis Zukunftszentren"
copyright = "Redaktion Wissensbasis Zukunftszentren; Bericht: Sarah Puck (f-bb)"
language = "de"

extensions = [
    "myst_parser",
    "sphinx_design",
    "kb_metadata",
    "kb_checks",
]

# The source directory is the repository root, so build only the content
# folders; README.md, tests/, templates and the like never become pages.
include_patterns = [
    "index.md",
    "events/**",
    "case-studies/**",
    "glossary/**",
]
exclude_patterns = ["_build", ".venv"]

# -- Page metadata (_ext/kb_metadata.py) --------------------------------------

# Folder -> page type. Each page in these folders (except index.md) is checked
# against schemas/<type>.schema.yaml; every other page against common.schema.yaml.
kb_page_types = {
    "events": "event",
    "case-studies": "case-study",
    "glossary": "topic",
}

# -- Strictness --------------------------------------------------------------

# Every cross-reference must resolve. The ignore list is empty on purpose:
# add an entry only with a comment saying why it cannot resolve.
nitpicky = True
nitpick_ignore: list[tuple[str, str]] = []

# -- MyST --------------------------------------------------------------------

myst_enable_extensions = [
    "colon_fence",  # ::: fences for sphinx-design grids and cards
    "deflist",  # definition lists on the topic pages
    "attrs_block",  # {attribution="..."} on quotations, rendered as their source line
]
# Headings up to level 3 get slug anchors, so [text](page.md#abschnitt) works.
myst_heading_anchors = 3

# -- HTML --------------------------------------------------------------------

html_theme = "furo"
html_title = "Wissensbasis Zukunftszentren"
html_static_path = ["_static"]
html_css_files = ["kb.css"]
templates_path = ["_templates"]
# Sphinx picks the German stemmer for the search index from `language`.
html_search_language = "de"
html_copy_source = False
html_show_sourcelink = False
