"""Print support: readable sphinx-design components in the PDF, PDF download, print CSS.

LaTeX builder (post-transform ``PrintDesignComponents``):

- A grid card's link (an invisible "stretched link" in HTML) becomes a visible
  last line of the card, ``kb-card-target``, so print shows where the card
  leads, with its page reference (``latex_show_pagerefs``).
- The label of every tab and the title of every dropdown is a ``rubric``,
  which Sphinx writes as an unnumbered ``\\subsubsection*`` (sphinx-design
  #107, #218) that pretends to be document structure. It becomes a run-in
  label, ``kb-print-label``. All tabs' content is printed; dropdowns print open.

The classes are styled in ``_latex/kb-print.sty``.

HTML builders:

- the print styles live in ``_static/kb.css`` (``@media print``).
- When the PDF has been built (``_build/latex/<name>.pdf`` next to the HTML
  output directory), it is copied into the site and ``kb_pdf_url`` is put into
  the template context; ``_templates/sidebar/kb-pdf.html`` shows the link.
  Whether the PDF exists is stored in the environment, and a change marks every
  page outdated, so incremental builds add or drop the link correctly.

No state outside the environment; safe for parallel reading and writing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

logger = logging.getLogger(__name__)


def _component(node: nodes.Node, name: str) -> bool:
    return isinstance(node, nodes.container) and node.get("design_component") == name


class PrintDesignComponents(SphinxPostTransform):
    """Turn sphinx-design's HTML-centric nodes into print-friendly ones (LaTeX only)."""

    builders = ("latex",)
    # After the `only` directives are resolved (priority 50) and references (10).
    default_priority = 60

    def run(self, **kwargs) -> None:
        for card in list(self.document.findall(lambda n: _component(n, "card"))):
            self._show_card_target(card)
            if card.next_node(nodes.table):
                # a framed box cannot break across pages, a table must be able to
                card["classes"] = ["kb-card-open" if c == "sd-card" else c for c in card["classes"]]
        for holder in list(self.document.findall(lambda n: _component(n, "tab-item") or _component(n, "dropdown"))):
            for rubric in [child for child in holder.children if isinstance(child, nodes.rubric)]:
                self._rubric_to_label(rubric)

    @staticmethod
    def _show_card_target(card: nodes.container) -> None:
        for child in list(card.children):
            links = [ref for ref in child.findall(nodes.reference) if "sd-stretched-link" in ref["classes"]]
            if not links or isinstance(child, nodes.container):
                continue
            link = links[0]
            link["classes"] = [c for c in link["classes"] if c not in ("sd-stretched-link", "sd-hide-link-text")]
            target = nodes.container("", nodes.paragraph("", "", link.deepcopy()), classes=["kb-card-target"])
            child.replace_self(target)

    @staticmethod
    def _rubric_to_label(rubric: nodes.rubric) -> None:
        label = nodes.container("", nodes.paragraph("", "", *rubric.children), classes=["kb-print-label"])
        replacement: list[nodes.Node] = [label]
        if rubric["ids"]:
            # keep references to the tab or dropdown working
            replacement.insert(0, nodes.target("", "", ids=list(rubric["ids"])))
        rubric.replace_self(replacement)


# -- HTML: print stylesheet and PDF download ------------------------------------


def pdf_source(app: Sphinx) -> Path | None:
    """The built PDF next to the HTML output directory, if there is one."""
    if not app.config.latex_documents:
        return None
    name = Path(app.config.latex_documents[0][1]).with_suffix(".pdf").name
    candidate = Path(app.outdir).parent / "latex" / name
    return candidate if candidate.is_file() else None


def outdated_when_pdf_changes(app: Sphinx, env: BuildEnvironment, added, changed, removed) -> list[str]:
    """All pages are outdated when the PDF appears or disappears (the link is on every page)."""
    if app.builder.format != "html":
        return []
    has_pdf = pdf_source(app) is not None
    if getattr(env, "kb_pdf_available", None) == has_pdf:
        return []
    env.kb_pdf_available = has_pdf
    return sorted(env.found_docs)


def add_pdf_link(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    source = pdf_source(app)
    context["kb_pdf_url"] = context["pathto"](source.name, 1) if source else None


def copy_pdf(app: Sphinx, exception: Exception | None) -> None:
    if exception or app.builder.format != "html":
        return
    source = pdf_source(app)
    if source:
        shutil.copy2(source, Path(app.outdir) / source.name)
        logger.info("PDF download: copied %s into the site", source.name)


def setup(app: Sphinx) -> dict:
    app.require_sphinx("9.0")
    app.setup_extension("sphinx_design")  # its components get print forms
    app.add_post_transform(PrintDesignComponents)
    app.connect("env-get-outdated", outdated_when_pdf_changes)
    app.connect("html-page-context", add_pdf_link)
    app.connect("build-finished", copy_pdf)
    return {
        "version": "1.0",
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
