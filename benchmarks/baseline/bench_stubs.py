"""Stand-ins for the directives and roles of sphinx-design and our _ext/ modules (baseline build only).

The baseline must read the same Markdown without the extensions being measured.
Each stub accepts any argument and option; it parses its content as ordinary
Markdown into a plain container, so text, {term} and {ref} inside cards still cost
what they cost in the real build. kb-listing has no content, so its stub renders
nothing: generating the cards is part of the cost the ratio measures.
"""

from docutils import nodes
from docutils.parsers.rst import Directive


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
]


def akteur_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """{akteur}`Name <Target>` as plain text: actor links are part of the measured cost."""
    label = text.split(" <", 1)[0]
    return [nodes.Text(label)], []


def setup(app):
    for name in NAMES:
        app.add_directive(name, Stub)
    app.add_role("akteur", akteur_role)
    app.add_role("kb-betreiber", akteur_role)  # the operator's details (publishing pages): as text
    return {"parallel_read_safe": True, "parallel_write_safe": True}
