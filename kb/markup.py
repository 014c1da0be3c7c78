"""Valid, accessible HTML: fixes to the markup of each page that validators and screen readers need.

The W3C Nu checker, pa11y (HTML_CodeSniffer, WCAG 2 AA), Lighthouse and a
screen reader read the pages (issue 13). For the web site's builders only, so
the PDF (``kb.pdf``) stays as it is, this extension

* drops sphinx-design's ``aria-controls`` from tab labels (not allowed on a
  ``<label>`` that belongs to an input; the label's ``for`` already ties it);
* makes a link card's title its link (the whole card stays clickable through
  sphinx-design's stretched link), so a card is read once as "title, text"
  instead of "title, text, link repeating the title";
* gives a table inside a card the card's title as its ``<caption>`` (the
  key-facts tables), instead of a title above it that the table does not name,
  and writes a table's own title (``:::{table} Caption``) as a plain caption;
* writes the groups of links that ``kb.graph`` adds ("Erwähnt in", the
  Schlagworte under a title) and ``kb.authoring``'s A–Z bar as lists;
* names every link to a tag page "Schlagwort X" for screen readers
  (``aria-label``, in the page and in furo's sidebar), so it differs from the
  glossary link "X";
* removes the second ``<meta name="viewport">`` (docutils adds one to furo's).

Nothing is stored, so parallel and incremental builds are unaffected.
"""

from __future__ import annotations

import html
import re
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx_design.shared import PassthroughTextElement
from sphinx_design.tabs import sd_tab_label

DOCUTILS_VIEWPORT = re.compile(r'<meta name="viewport" content="width=device-width, initial-scale=1" />\n?')
AUTO_ID = re.compile(r"id\d+")  # docutils' ids for elements without a name
# The web site's builders; the PDF (kb.pdf, builder "pdf") keeps its own print markup.
WEB_BUILDERS = ("html", "dirhtml")
# A link to a tag page (not the overview tags/index.html), in a page or in furo's sidebar.
TAG_LINK = re.compile(
    r'(<a class="reference internal" href="(?:[^"]*/)?tags/(?!index\.html)[^"/#]+\.html"[^>]*)>(.*?)</a>'
)


class kb_caption(nodes.Part, nodes.TextElement):
    """A table's <caption>, without the id and number Sphinx gives a table title."""


def visit_caption(self, node: kb_caption) -> None:
    self.body.append(self.starttag(node, "caption", ""))


def depart_caption(self, node: kb_caption) -> None:
    self.body.append("</caption>\n")


def _has(node: nodes.Node, cls: str) -> bool:
    return isinstance(node, nodes.Element) and cls in node.get("classes", [])


def _card_parts(card: nodes.Element) -> tuple[nodes.Element | None, nodes.reference | None, nodes.table | None]:
    """A card's first title, stretched link and table, found in one walk through the card."""
    title = link = table = None
    for node in card.findall(nodes.Element, include_self=False):
        if title is None and isinstance(node, nodes.container) and "sd-card-title" in node["classes"]:
            title = node
        elif link is None and isinstance(node, nodes.reference) and "sd-stretched-link" in node["classes"]:
            link = node
        elif table is None and isinstance(node, nodes.table):
            table = node
    return title, link, table


class AccessibleCards(SphinxPostTransform):
    """Tab labels without aria-controls; card titles as links; tables in cards captioned."""

    default_priority = 250  # after sphinx-design's tab and card transforms (200)
    builders = WEB_BUILDERS

    def run(self, **kwargs: Any) -> None:
        # Tab labels, table titles and cards, found in one walk through the page.
        table_titles, cards = [], []
        for node in self.document.findall(nodes.Element):
            if isinstance(node, sd_tab_label):  # sphinx-design sets aria-controls on these only
                node.attributes.pop("aria_controls", None)
            elif isinstance(node, nodes.title):
                if isinstance(node.parent, nodes.table):
                    table_titles.append(node)
            elif isinstance(node, nodes.container) and "sd-card" in node["classes"]:
                cards.append(node)
        # A table title would need an id, which furo repeats on its scroll wrapper
        # (a duplicate id): a plain caption, and the table keeps only ids given by name.
        for title in table_titles:
            table = title.parent
            title.replace_self(kb_caption("", "", *title.children, classes=["kb-caption"]))
            table["ids"] = [i for i in table["ids"] if not AUTO_ID.fullmatch(i)]
        for card in cards:
            title, link, table = _card_parts(card)
            if title is None:
                continue
            if link is not None:
                # sphinx-design wraps the link in a pass-through element after the card body.
                outer = link.parent if link.parent is not card else link
                outer.parent.remove(outer)
                link["classes"] = [c for c in link["classes"] if c != "sd-hide-link-text"]
                link.children = []
                for child in title.children:
                    link.extend(child.children if isinstance(child, PassthroughTextElement) else [child])
                # A link must sit in a text element; sphinx-design's own renders no tag.
                title.children = []
                title += PassthroughTextElement("", "", link)
            elif table is not None:  # (its title, if it had one, is a kb_caption by now)
                table.insert(0, kb_caption("", "", *title.children, classes=["kb-card-caption"]))
                title.parent.remove(title)


def _link_list(line: nodes.paragraph, classes: list[str]) -> nodes.bullet_list:
    """The links of a line as a bulleted list (one item each)."""
    items = nodes.bullet_list(classes=classes)
    for ref in [c for c in line.children if isinstance(c, nodes.reference)]:
        items += nodes.list_item("", nodes.paragraph("", "", ref.deepcopy()))
    return items


def _as_list(line: nodes.paragraph) -> nodes.container:
    """ "<strong>Label:</strong> link; link" -> a block with the label and a list of the links."""
    label = next((c for c in line.children if isinstance(c, nodes.strong)), None)
    items = _link_list(line, ["kb-linkliste", "simple"])
    block = nodes.container(classes=line["classes"])
    if label is not None:
        # A span, not a paragraph of bold text, which would read as an unmarked heading.
        block += nodes.inline("", label.astext(), classes=["kb-linkliste-label"])
    block += items
    return block


def link_groups_as_lists(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.name not in WEB_BUILDERS:
        return
    for line in list(doctree.findall(nodes.paragraph)):
        if _has(line, "kb-az"):  # kb.authoring's A–Z bar: letters as a list of 24 px targets
            line.replace_self(_link_list(line, ["kb-az", "simple"]))
            continue
        if not (_has(line, "kb-erwaehnt") or _has(line, "kb-schlagworte")):
            continue
        if not any(isinstance(c, nodes.reference) for c in line.children):
            continue  # "bisher auf keiner anderen Seite"
        line.replace_self(_as_list(line))


def _name_tag_link(match: re.Match) -> str:
    """<a href=".../tags/x.html">X</a> -> the same with aria-label="Schlagwort X"."""
    start, inner = match.group(1), match.group(2)
    if "aria-label=" in start:
        return match.group(0)
    text = html.unescape(re.sub(r"<[^>]+>", "", inner)).strip()
    return f'{start} aria-label="{html.escape("Schlagwort " + text)}">{inner}</a>'


def page_frame(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """One viewport meta; links to tag pages named "Schlagwort X" for screen readers."""
    if app.builder.name not in WEB_BUILDERS:
        return
    if "metatags" in context:
        context["metatags"] = DOCUTILS_VIEWPORT.sub("", context["metatags"])
    for key in ("body", "furo_navigation_tree"):
        if key in context:
            context[key] = TAG_LINK.sub(_name_tag_link, context[key])


def setup(app: Sphinx) -> dict:
    app.require_sphinx("9.0")
    app.setup_extension("sphinx_design")  # its cards and tabs
    app.setup_extension("kb.graph")  # its "Erwähnt in" and Schlagworte lines
    app.add_node(kb_caption, html=(visit_caption, depart_caption))
    app.add_post_transform(AccessibleCards)
    # After kb.graph has rendered the "Erwähnt in" lines (default priority 500).
    app.connect("doctree-resolved", link_groups_as_lists, priority=600)
    # After furo has built its sidebar (priority 500).
    app.connect("html-page-context", page_frame, priority=600)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
