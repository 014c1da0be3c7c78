"""Who runs the site, said on the landing page and in every footer (issue 25).

* The directive ``kb-betrieben-von`` (``index.md``): one line naming the
  operator from ``publish.yaml`` (``operator.name``) with a link to the
  Impressum; while the detail is not set, a neutral line that only points to
  the Impressum (a publishing build fails anyway until it is set, kb.publish).
* ``kb_operator_name`` in the page context: the same name for the footer
  (``_templates/page.html``), empty while it is not set.

The page is read again when ``publish.yaml`` changes (kb.publish_details).
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from kb.publish_details import _uses_details, details

NAME = ("operator", "name")
IMPRESSUM = "impressum"  # the label of ueber/impressum.md


def _impressum_link(docname: str, text: str) -> addnodes.pending_xref:
    xref = addnodes.pending_xref(
        "", refdomain="std", reftype="ref", reftarget=IMPRESSUM, refdoc=docname, refexplicit=True, refwarn=True
    )
    xref += nodes.inline(text, text)
    return xref


class OperatorLine(SphinxDirective):
    """``:::{kb-betrieben-von}``: "Betrieben von <operator> (Impressum)." or a neutral pointer."""

    def run(self) -> list[nodes.Node]:
        _uses_details(self.env)
        name = details(self.env.app).value(NAME)
        docname = self.env.current_document.docname
        para = nodes.paragraph("", "", classes=["kb-betrieb"])
        if name:
            para += nodes.Text(f"Betrieben von {name} (")
            para += _impressum_link(docname, "Impressum")
            para += nodes.Text(").")
        else:
            # No claim that the Impressum names anyone yet: it shows "Angabe fehlt" until it is set.
            para += nodes.Text("Angaben zum Betreiber der Website: ")
            para += _impressum_link(docname, "Impressum")
            para += nodes.Text(".")
        self.set_source_info(para)
        return [para]


def operator_name(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    context["kb_operator_name"] = details(app).value(NAME)


def setup(app: Sphinx) -> dict:
    app.require_sphinx("9.0")
    app.setup_extension("kb.publish")  # publish.yaml, its check and the pages that show it
    app.add_directive("kb-betrieben-von", OperatorLine)
    app.connect("html-page-context", operator_name)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
