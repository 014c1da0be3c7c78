"""Print support: sphinx-design components in print form, the PDF download link.

Print document (builder ``pdf`` of ``kb.pdf``, post-transform ``PrintDesignComponents``):

- A grid card's link (an invisible "stretched link" in HTML) becomes a visible
  last line of the card, ``kb-card-target``, with its page number in print.
- A card holding a table (the key facts, ``kb-steckbrief``) gives its title
  to the table as caption, so the PDF tags title and table as one Table.
- A tab set prints every tab: each label becomes a run-in label
  (``kb-print-label``) above its content, and the set stays one box; a dropdown
  prints open with its title as label. sphinx-design's HTML transforms (radio
  buttons, ``<details>``) never see them.

The print styles are ``_static/kb-print.css`` (PDF) and the ``@media print``
block of ``_static/kb.css`` (browser printing and the PDF alike).

HTML builders: when the PDF has been built (``_build/pdf/<kb_pdf_name>`` next
to the HTML output directory), it is copied into the site and ``kb_pdf_url``
is put into the template context; ``_templates/sidebar/kb-pdf.html`` shows the
link. Whether the PDF exists is stored in the environment, and a change marks
every page outdated, so incremental builds add or drop the link correctly.

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

# The builder of kb.pdf and the folder of _build it writes to.
PRINT_BUILDER = "pdf"


# Interactive components that print as one plain box each.
PRINTED_AS_BOX = ("tab-set", "tab-item", "dropdown")


def _component(node: nodes.Node, name: str) -> bool:
    return isinstance(node, nodes.container) and node.get("design_component") == name


class PrintDesignComponents(SphinxPostTransform):
    """Turn sphinx-design's interactive components into print ones (print document only)."""

    builders = (PRINT_BUILDER,)
    # After the `only` directives are resolved (priority 50) and references (10),
    # before sphinx-design's own HTML transforms (199, 200).
    default_priority = 60

    def run(self, **kwargs) -> None:
        for card in list(self.document.findall(lambda n: _component(n, "card"))):
            self._show_card_target(card)
            self._title_as_caption(card)
        for holder in list(self.document.findall(lambda n: _component(n, "tab-item") or _component(n, "dropdown"))):
            for rubric in [child for child in holder.children if isinstance(child, nodes.rubric)]:
                self._rubric_to_label(rubric)
        # Renamed, so sphinx-design's HTML transforms leave them plain boxes.
        for holder in list(self.document.findall(lambda n: any(_component(n, k) for k in PRINTED_AS_BOX))):
            kind = holder["design_component"]
            holder["design_component"] = f"kb-print-{kind}"
            holder["classes"].append(f"kb-print-{kind}")

    @staticmethod
    def _show_card_target(card: nodes.container) -> None:
        for child in list(card.children):
            links = [ref for ref in child.findall(nodes.reference) if "sd-stretched-link" in ref["classes"]]
            if not links or isinstance(child, nodes.container):
                continue
            link = links[0]
            link["classes"] = [c for c in link["classes"] if c not in ("sd-stretched-link", "sd-hide-link-text")]
            link["classes"].append("kb-pageref")
            target = nodes.container("", nodes.paragraph("", "", link.deepcopy()), classes=["kb-card-target"])
            child.replace_self(target)

    def _title_as_caption(self, card: nodes.container) -> None:
        """A card holding a table (the key facts): its title becomes the table's caption."""
        table = next(card.findall(nodes.table), None)
        title = next(card.findall(lambda n: isinstance(n, nodes.Element) and "sd-card-title" in n["classes"]), None)
        if table is None or title is None or any(isinstance(c, nodes.title) for c in table.children):
            return
        table.insert(0, nodes.title("", "", *title.children))
        if not table["ids"]:
            self.document.set_id(table)  # a captioned table needs an id (Sphinx's HTML writer)
        title.parent.remove(title)
        card["classes"].append("kb-key-facts")

    @staticmethod
    def _rubric_to_label(rubric: nodes.rubric) -> None:
        label = nodes.paragraph("", "", *rubric.children, classes=["kb-print-label"])
        label["ids"] = list(rubric["ids"])  # keep references to the tab or dropdown working
        rubric.replace_self(label)


# -- HTML: PDF download ----------------------------------------------------------------


def pdf_source(app: Sphinx) -> Path | None:
    """The built PDF next to the HTML output directory, if there is one."""
    name = getattr(app.config, "kb_pdf_name", "")
    if not name:
        return None
    candidate = Path(app.outdir).parent / PRINT_BUILDER / name
    return candidate if candidate.is_file() else None


def outdated_when_pdf_changes(app: Sphinx, env: BuildEnvironment, added, changed, removed) -> list[str]:
    """All pages are outdated when the PDF appears or disappears (the link is on every page)."""
    if app.builder.format != "html" or app.builder.name == PRINT_BUILDER:
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
    if exception or app.builder.format != "html" or app.builder.name == PRINT_BUILDER:
        return
    source = pdf_source(app)
    if source:
        shutil.copy2(source, Path(app.outdir) / source.name)
        logger.info("PDF download: copied %s into the site", source.name)


# -- HTML: handouts (kb.pdf_handouts) ------------------------------------------------------

HANDOUT_FOLDER = "handouts"
# An event's case studies as one handout, next to the event page's own name.
HANDOUT_SET_SUFFIX = "-praxisbeispiele"


def handouts(app: Sphinx) -> dict[str, list[tuple[str, Path]]]:
    """Page -> its handouts as (label, built PDF): the page's own and, for an event, its set."""
    folder = Path(app.outdir).parent / PRINT_BUILDER / HANDOUT_FOLDER
    found: dict[str, list[tuple[str, Path]]] = {}
    if not folder.is_dir():
        return found
    for pdf in sorted(folder.rglob("*.pdf")):
        name = pdf.relative_to(folder).with_suffix("").as_posix()
        if name.endswith(HANDOUT_SET_SUFFIX):
            found.setdefault(name[: -len(HANDOUT_SET_SUFFIX)], []).append(("Praxisbeispiele dieser Veranstaltung", pdf))
        else:
            found.setdefault(name, []).insert(0, ("Diese Seite", pdf))
    return found


def _kib(path: Path) -> int:
    return -(-path.stat().st_size // 1024)


def outdated_when_handouts_change(app: Sphinx, env: BuildEnvironment, added, changed, removed) -> list[str]:
    """Pages whose handout appeared, went or changed its size are written again (the link states it)."""
    if app.builder.format != "html" or app.builder.name == PRINT_BUILDER:
        return []
    now = {doc: [(label, _kib(pdf)) for label, pdf in items] for doc, items in handouts(app).items()}
    before = getattr(env, "kb_handouts", {})
    env.kb_handouts = now
    return sorted(d for d in set(now) | set(before) if now.get(d) != before.get(d) and d in env.found_docs)


def add_handout_links(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """ "Als PDF (… KiB)" under the page's title, for each handout of the page."""
    if app.builder.name == PRINT_BUILDER:
        return
    items = handouts(app).get(pagename)
    body = context.get("body")
    if not items or not body or "</h1>" not in body:
        return
    links = " · ".join(
        f'<a href="{context["pathto"](_site_path(pagename, pdf), 1)}" download>'
        f"{label + ' als PDF' if label != 'Diese Seite' else 'Als PDF'} ({_kib(pdf)} KiB)</a>"
        for label, pdf in items
    )
    # kb-pdf-download: hidden in print like the sidebar's link (kb.css).
    html = f'<p class="kb-pdf-download kb-handout-link">{links}</p>'
    head, end, rest = body.partition("</h1>")
    context["body"] = head + end + "\n" + html + rest


def _site_path(docname: str, pdf: Path) -> str:
    """Where a page's handout sits in the site: next to the page (case-studies/contall.pdf)."""
    folder = Path(docname).parent.as_posix()
    return pdf.name if folder == "." else f"{folder}/{pdf.name}"


def copy_handouts(app: Sphinx, exception: Exception | None) -> None:
    if exception or app.builder.format != "html" or app.builder.name == PRINT_BUILDER:
        return
    for docname, items in handouts(app).items():
        for _label, pdf in items:
            target = Path(app.outdir) / _site_path(docname, pdf)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(pdf, target)


def setup(app: Sphinx) -> dict:
    app.require_sphinx("9.0")
    app.setup_extension("sphinx_design")  # its components get print forms
    app.add_post_transform(PrintDesignComponents)
    app.connect("env-get-outdated", outdated_when_pdf_changes)
    app.connect("html-page-context", add_pdf_link)
    app.connect("build-finished", copy_pdf)
    app.connect("env-get-outdated", outdated_when_handouts_change)
    app.connect("html-page-context", add_handout_links)
    app.connect("build-finished", copy_handouts)
    return {
        "version": "1.0",
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
