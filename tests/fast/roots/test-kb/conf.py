"""A small knowledge base for the fast, in-process tests (tests/fast/)."""

from pathlib import Path

import kb

project = "Testbasis"
language = "de"
extensions = [
    "kb.metadata",
    "kb.graph",
    "kb.checks",
    "kb.jsonld",
    "kb.assets",
    "kb.navigation",
    "kb.parallel",
    "kb.memory",
    "kb.smartquotes",
]
exclude_patterns = ["_build"]
kb_page_types = {"events": "event", "case-studies": "case-study", "glossary": "topic", "tags": "tag"}
# The real schemas, so the fast tests check what the site checks.
kb_schema_dir = str(Path(kb.__file__).parent.parent / "schemas")
myst_enable_extensions = ["colon_fence", "deflist"]
nitpicky = True
html_theme = "basic"
