"""The PDF's cross-references set like a book's: page numbers instead of web navigation.

``Book`` (kb.pdf_book) calls ``book_references`` once the pages are one tree:

* a link to another page of the edition carries its page ("→ S. 12", CSS class
  ``kb-xref`` and ``target-counter`` in kb-print.css), the first time a section links
  to that target; a link within its own page, or repeated in a section, stays plain;
* links to people and organisations are marked ``kb-name`` (never hyphenated);
* web-only text goes: the "Erwähnt in" lines (kb.backlinks: lists of "Page › Section"
  links; the register at the end names every page an entry is mentioned on, as a
  book's index does, and a second list of pages per entry cost a second layout of the
  glossary and Akteure chapters, benchmarks/FINDINGS.md), the sources page's "Kennung für das Feld sources" lines, and a
  key-facts caption that repeats its section's heading; a key-facts table gets row
  headers instead of its head row "Merkmal | Angabe".
"""

from __future__ import annotations

from docutils import nodes

ERWAEHNT = "kb-erwaehnt"
# Lines that list links into one chapter: the "Belege" line (kb.sources), the tag line (kb.tags).
LINK_LINES = ("kb-belege", "kb-schlagworte")


def _has_class(node: nodes.Node, name: str) -> bool:
    return isinstance(node, nodes.Element) and name in node.get("classes", [])


def target_of(ref: nodes.reference) -> str:
    """The anchor an internal link leads to ('' for external links)."""
    if "refid" in ref:
        return ref["refid"]
    uri = ref.get("refuri", "")
    return uri[1:] if uri.startswith("#") else ""


def anchor_of(ref: nodes.Element, prefix: str, counter: list[int]) -> str:
    """The element's id, given one if it has none (one id: a second would be an empty <span>)."""
    if ref["ids"]:
        return ref["ids"][0]
    counter[0] += 1
    ref["ids"].append(f"{prefix}{counter[0]}")
    return ref["ids"][0]


def _page_of(node: nodes.Node) -> nodes.Element | None:
    from sphinx import addnodes

    while node is not None and not isinstance(node, addnodes.start_of_file):
        node = node.parent
    return node


def _section_of(node: nodes.Node) -> nodes.Node | None:
    while node is not None and not isinstance(node, nodes.section):
        node = node.parent
    return node


class References:
    """Cross-references of the assembled print tree (see the module docstring)."""

    def __init__(self, tree: nodes.document, actor_anchors: set[str]) -> None:
        self.tree = tree
        self.actor_anchors = actor_anchors
        self.counter = [0]
        # Which page (start_of_file) each id sits on.
        self.page_of_id: dict[str, nodes.Node | None] = {}
        for element in tree.findall(nodes.Element):
            for ident in element.get("ids", []):
                self.page_of_id[ident] = _page_of(element)

    def run(self) -> None:
        self._drop_web_only()
        self._mark_links()

    def _drop_web_only(self) -> None:
        for line in list(self.tree.findall(lambda n: _has_class(n, "kb-abschnitt-kennung") or _has_class(n, ERWAEHNT))):
            line.parent.remove(line)
        for table in list(self.tree.findall(nodes.table)):
            caption = next((c for c in table.children if isinstance(c, nodes.title)), None)
            section = _section_of(table)
            if caption is not None and section is not None and caption.astext() == section[0].astext():
                table.remove(caption)
            self._row_headers(table)

    @staticmethod
    def _row_headers(table: nodes.table) -> None:
        """A key-facts table ("Merkmal | Angabe", kb.steckbrief): its first column heads the rows.

        With row headers (kb.pdf_weasyprint adds scope="row") and a caption or heading,
        the head row says nothing, and outloud takes the many header cells for shredded ones.
        """
        from kb.steckbrief import ROW

        head = next(table.findall(nodes.thead), None)
        labels = [c.strip() for c in ROW.strip("|").split("|")]
        if head is None or [e.astext().strip() for e in head.findall(nodes.entry)] != labels:
            return
        colspecs = list(table.findall(nodes.colspec))
        if colspecs:
            colspecs[0]["stub"] = 1
            head.parent.remove(head)

    def _mark_links(self) -> None:
        seen: set[tuple[int, str]] = set()
        for ref in self.tree.findall(nodes.reference):
            target = target_of(ref)
            if not target:
                continue
            if target in self.actor_anchors:
                ref["classes"].append("kb-name")
            if _has_class(ref, "kb-pageref"):
                continue
            here, there = _page_of(ref), self.page_of_id.get(target)
            if there is None or here is there:
                continue
            # A line of links into one chapter (the "Belege" line: sections of the sources page;
            # the tag line: rows of the tag register) carries one page reference, on its first link.
            listing = any(_has_class(ref.parent, name) for name in LINK_LINES)
            key = (id(ref.parent), "") if listing else (id(_section_of(ref)), target)
            if key not in seen:
                seen.add(key)
                ref["classes"].append("kb-xref")
