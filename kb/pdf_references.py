"""The PDF's cross-references set like a book's: page numbers instead of web navigation.

``Book`` (kb.pdf_book) calls ``book_references`` once the pages are one tree:

* a link to another page of the edition carries its page ("→ S. 12", CSS class
  ``kb-xref`` and ``target-counter`` in kb-print.css), the first time a section links
  to that target; a link within its own page, or repeated in a section, stays plain;
* links to people and organisations are marked ``kb-name`` (never hyphenated);
* an "Erwähnt in" line (kb.backlinks: a list of "Page › Section" links) becomes the
  pages its entry is mentioned on ("Erwähnt auf S. 5, 12"), filled in by
  kb.pdf_weasyprint from the first layout like the register;
* web-only text goes: the sources page's "Kennung für das Feld sources" lines, and a
  key-facts caption that repeats its section's heading; a key-facts table gets row
  headers instead of its head row "Merkmal | Angabe".
"""

from __future__ import annotations

from docutils import nodes

from kb.backlinks import LABEL, NONE_YET

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


def _inside(node: nodes.Node, *containers: nodes.Node) -> bool:
    while node is not None:
        if any(node is c for c in containers):
            return True
        node = node.parent
    return False


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
        self._mentioned_on_pages()
        self._mark_links()

    def _drop_web_only(self) -> None:
        for line in list(self.tree.findall(lambda n: _has_class(n, "kb-abschnitt-kennung"))):
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

    def _entry(self, line: nodes.Element) -> tuple[nodes.Node, set[str]] | None:
        """The glossary term, actor or topic page an "Erwähnt in" line belongs to, and its anchors."""
        node = line.parent
        while node is not None and not isinstance(node, nodes.definition_list_item):
            node = node.parent
        if node is not None:
            term = next(c for c in node.children if isinstance(c, nodes.term))
            return node, set(term["ids"])
        page = _page_of(line)
        if page is None:
            return None
        anchors = {f"document-{page['docname']}"}
        anchors.update(i for e in page.findall(nodes.Element) for i in e.get("ids", []))
        return page, anchors

    def _mentioned_on_pages(self) -> None:
        lines = list(self.tree.findall(lambda n: _has_class(n, ERWAEHNT)))
        entries = [(line, self._entry(line)) for line in lines]
        wanted: dict[str, list[tuple[nodes.Element, nodes.Node]]] = {}
        for line, entry in entries:
            if entry is not None:
                for anchor in entry[1]:
                    wanted.setdefault(anchor, []).append((line, entry[0]))
        found: dict[int, list[str]] = {id(line): [] for line in lines}
        for ref in self.tree.findall(nodes.reference):
            if _has_class(ref.parent, ERWAEHNT):
                continue
            for line, container in wanted.get(target_of(ref), ()):
                if not _inside(ref, container):
                    found[id(line)].append(anchor_of(ref, "kb-b", self.counter))
        for line in lines:
            anchors = found[id(line)]
            line.children = []
            if anchors:
                line += nodes.strong("", "Erwähnt auf S.")
                line += nodes.Text(" ")
                # "-": no definition to set in bold (kb.pdf_weasyprint fills the numbers in).
                html = f'<span class="kb-pages" data-kb-anchors="- {" ".join(anchors)}"></span>'
                line += nodes.raw("", html, format="html")
            else:
                line += nodes.strong("", LABEL)
                line += nodes.Text(f" {NONE_YET}.")

    def _mark_links(self) -> None:
        seen: set[tuple[int, str]] = set()
        for ref in self.tree.findall(nodes.reference):
            target = target_of(ref)
            if not target:
                continue
            if target in self.actor_anchors:
                ref["classes"].append("kb-name")
            if _has_class(ref, "kb-pageref") or _has_class(ref.parent, ERWAEHNT):
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
