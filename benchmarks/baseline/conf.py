"""Baseline for `make bench`: the same sources built by bare Sphinx + MyST.

Used with `sphinx-build -c benchmarks/baseline`: no theme (Sphinx's plain
"basic" theme), no extension except myst_parser and stand-ins (below) for the
directives and roles of sphinx-design and our kb/ modules. The baseline must
read the same Markdown without the extensions being measured: each stub accepts
any argument and option and parses its content as ordinary Markdown into a
plain container, so text, {term} and {ref} inside cards still cost what they
cost in the real build. kb-listing has no content, so its stub renders nothing:
generating the cards is part of the cost the ratio measures. MyST settings, the
pages (conf.py's include_patterns) and the language (German search index) match
the real conf.py, so the ratio real/baseline is the cost of furo,
sphinx-design, our kb/ modules and the other extensions.
"""

import runpy
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import Directive
from sphinx.util.tags import Tags

_REAL = runpy.run_path(str(Path(__file__).resolve().parents[2] / "conf.py"), init_globals={"tags": Tags()})

project = "Wissensbasis Zukunftszentren (Baseline)"
language = "de"
extensions = ["myst_parser"]
include_patterns = _REAL["include_patterns"]
exclude_patterns = ["_build", ".venv"]
myst_enable_extensions = _REAL["myst_enable_extensions"]
myst_heading_anchors = _REAL["myst_heading_anchors"]
html_theme = "basic"
html_copy_source = False


class _AnyOptions(dict):
    """An option spec that accepts every option name, keeping the value as text."""

    def __missing__(self, key):
        return str


class Stub(Directive):
    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec = _AnyOptions()

    def run(self):
        container = nodes.container()
        if self.content:
            self.state.nested_parse(self.content, self.content_offset, container)
        return [container]


NAMES = [
    "grid",
    "grid-item",
    "grid-item-card",
    "card",
    "dropdown",
    "tab-set",
    "tab-item",
    "kb-listing",
    "kb-steckbrief",
    "akteur",
    "kb-schlagwort-seiten",
    "kb-serverprotokoll",
    "kb-betreiber",
    "kb-abschnitt",
    "kb-allgemein",
    "kb-belege",
    "kb-az",
    "kb-ablauf",
    "kb-netzwerk",
    "kb-daten",
    "kb-betrieben-von",
]


def akteur_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """{akteur}`Name <Target>` as plain text: actor links are part of the measured cost."""
    label = text.split(" <", 1)[0]
    return [nodes.Text(label)], []


def setup(app):  # conf.py's own setup() is an extension: no module, no sys.path entry
    for name in NAMES:
        app.add_directive(name, Stub)
    app.add_role("akteur", akteur_role)
    app.add_role("kb-betreiber", akteur_role)  # the operator's details (publishing pages): as text
    return {"parallel_read_safe": True, "parallel_write_safe": True}
