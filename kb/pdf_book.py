"""The PDF's book: the assembled single-page document (``singlehtml``) reshaped for print.

The builder ``pdf`` (kb.pdf) hands its doctree to ``Book`` before it is written:
the landing page's text becomes the chapter "Über diese Wissensbasis", every
top-level page a chapter, the glossary's topic pages follow its terms, the tag
pages become one register (tag → pages), the source credit leaves every page to
be printed once on the imprint page, and a register of terms and actors is
added whose page numbers kb.pdf_weasyprint fills in after the first layout.
All pages are one document now, so ids are made unique and links follow them.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.builders.singlehtml import SingleFileHTMLBuilder

from kb.german import sort_key


def _classes(name: str):
    return lambda n: isinstance(n, nodes.Element) and name in n.get("classes", [])


def _start(tree: nodes.Node, docname: str):
    from sphinx import addnodes

    return next((n for n in tree.findall(addnodes.start_of_file) if n["docname"] == docname), None)


def _child_files(section: nodes.Element) -> list:
    """The toctree-wrapper compounds directly inside a page's section (its sub-pages)."""
    return [c for c in section.children if isinstance(c, nodes.compound) and "toctree-wrapper" in c["classes"]]


def page_title(env, docname: str) -> str:
    """A page's title as text (its docname where it has none); the title page names the event by it."""
    return env.titles[docname].astext() if docname in env.titles else docname


class Book:
    """The assembled singlehtml doctree, reshaped for print."""

    def __init__(self, builder: SingleFileHTMLBuilder, tree: nodes.document) -> None:
        self.builder = builder
        self.env = builder.env
        self.config = builder.config
        self.tree = tree
        self.credit: nodes.Element | None = None

    def reshape(self) -> None:
        from sphinx import addnodes

        # Sphinx's inline_all_toctrees moves a page's nodes without updating their parent.
        for page in self.tree.findall(addnodes.start_of_file):
            for child in page.children:
                child.parent = page
        self._one_anchor_per_link()
        self._take_credit()
        self._chapters()
        self._glossary_terms_first()
        self._tag_register()
        from kb.actors import actor_entries
        from kb.pdf_references import References

        self.references = References(self.tree, {anchor for _doc, anchor, _name in actor_entries(self.env)})
        self.references.run()
        self._register()
        from kb.pdf_hyphenation import apply_exceptions

        apply_exceptions(self.tree)

    def _one_anchor_per_link(self) -> None:
        """Unique ids, and one anchor per link ("#document-page#section" -> "#section").

        All pages are one document now: a section id two pages use ("siehe-auch")
        gets the page's name in front where it repeats, and links follow it.
        """
        from sphinx import addnodes

        def page_of(node: nodes.Node) -> str:
            while node is not None and not isinstance(node, addnodes.start_of_file):
                node = node.parent
            return node["docname"] if node is not None else self.config.root_doc

        seen: set[str] = set()
        renamed: dict[tuple[str, str], str] = {}
        for element in self.tree.findall(nodes.Element):
            ids = element.get("ids", [])
            for index, old in enumerate(ids):
                if old in seen:
                    docname = page_of(element)
                    new, number = f"{docname.replace('/', '-')}-{old}", 1
                    while new in seen:
                        number += 1
                        new = f"{docname.replace('/', '-')}-{old}-{number}"
                    ids[index] = new
                    renamed.setdefault((docname, old), new)
                seen.add(ids[index])
        for ref in self.tree.findall(nodes.reference):
            uri = ref.get("refuri", "")
            if "refid" in ref:
                docname, anchor = page_of(ref), ref["refid"]
                ref["refid"] = renamed.get((docname, anchor), anchor)
            elif uri.startswith("#document-"):
                docname, _, anchor = uri[len("#document-") :].partition("#")
                if anchor:
                    ref["refuri"] = "#" + renamed.get((docname, anchor), anchor)
        # A link's text straight in the link: WeasyPrint gives an inner <span> a second
        # link annotation, tagged as Span rather than Link (PDF/UA-1 7.18.5).
        for ref in list(self.tree.findall(nodes.reference)):
            for inner in [c for c in ref.children if isinstance(c, nodes.inline)]:
                ref.replace(inner, list(inner.children))
        # Links to the landing page lead to the first chapter, which holds its text.
        root = next(c for c in self.tree.children if isinstance(c, nodes.section))
        root["ids"].append(f"document-{self.config.root_doc}")

    def _take_credit(self) -> None:
        """The credit on every page goes; the first copy is printed once, on the imprint page.

        A page's "Belege" line (kb.sources) names the article's sections that page draws
        on: it stays where the credit was, and the imprint's copy goes without it.
        """
        for box in list(self.tree.findall(_classes("kb-quelle"))):
            if self.credit is None:
                self.credit = box.deepcopy()
            for line in list(box.findall(_classes("kb-belege"))):
                line.parent.remove(line)
                box.parent.insert(box.parent.index(box), line)  # not replace_self: it copies the classes
            box.parent.remove(box)
        if self.credit is not None:
            for line in list(self.credit.findall(_classes("kb-belege"))):
                line.parent.remove(line)
            # On the imprint page the credit speaks for the whole book, not for one page.
            for text in list(self.credit.findall(nodes.Text)):
                if "Diese Seite" in text:
                    text.parent.replace(text, nodes.Text(str(text).replace("Diese Seite", "Diese Wissensbasis")))

    def _chapters(self) -> None:
        """Root page: title to the title page, text to a first chapter; its sub-pages become chapters."""
        root = next(c for c in self.tree.children if isinstance(c, nodes.section))
        pages = [f for compound in _child_files(root) for f in compound.children]
        for compound in _child_files(root):
            root.remove(compound)
        root[0].replace_self(nodes.title("", "Über diese Wissensbasis"))
        root["ids"].insert(0, "ueber-diese-wissensbasis")
        for page in pages:
            self.tree += page

    def _glossary_terms_first(self) -> None:
        """The glossary's topic pages come after its terms (A–Z), not between heading and terms."""
        for ptype_folder, ptype in self.config.kb_page_types.items():
            if ptype != "topic":
                continue
            start = _start(self.tree, f"{ptype_folder}/index")
            section = start.next_node(nodes.section) if start else None
            if section is None:
                continue
            for compound in _child_files(section):
                section.remove(compound)
                section += compound
            for letter in section.findall(nodes.section):
                if len(letter[0].astext().strip()) == 1:  # an A–Z letter group
                    letter["classes"].append("kb-letter")

    def _tag_register(self) -> None:
        """Tag pages: one table "Schlagwort → Seiten" on the tags overview instead of a page per tag."""
        from kb.tags import TAG_FOLDER, pages_with_tag, tag_pages

        start = _start(self.tree, f"{TAG_FOLDER}/index")
        section = start.next_node(nodes.section) if start else None
        if section is None:
            return
        tagpages = tag_pages(self.env)
        # Links to a tag page (the tag line under each title) land on its row.
        row_ids: dict[str, list[str]] = {}
        for compound in _child_files(section):
            for page in compound.children:
                docname = page.get("docname", "")
                ids = [f"document-{docname}"] + [i for n in page.findall(nodes.Element) for i in n.get("ids", [])]
                row_ids[docname] = ids
            section.remove(compound)
        for grid in list(section.findall(_classes("sd-container-fluid"))):
            grid.parent.remove(grid)
        table = nodes.table(classes=["kb-tag-register"])
        group = nodes.tgroup(cols=2)
        table += group
        group += nodes.colspec(colwidth=30)
        group += nodes.colspec(colwidth=70)
        head = nodes.thead()
        head += nodes.row("", *(nodes.entry("", nodes.paragraph("", t)) for t in ("Schlagwort", "Seiten")))
        group += head
        body = nodes.tbody()
        group += body
        for tag_page in sorted(tagpages, key=lambda d: sort_key(page_title(self.env, d))):
            listed = [page.docname for page in pages_with_tag(self.env, tagpages[tag_page])]
            name = nodes.paragraph("", page_title(self.env, tag_page))
            cell = nodes.entry("", name)
            cell["ids"] = row_ids.get(tag_page, [])
            pages = nodes.paragraph()
            for index, docname in enumerate(sorted(listed, key=lambda d: sort_key(page_title(self.env, d)))):
                if index:
                    pages += nodes.Text("; ")
                pages += nodes.reference(
                    "",
                    page_title(self.env, docname),
                    internal=True,
                    refuri=f"#document-{docname}",
                    classes=["kb-pageref"],
                )
            body += nodes.row("", cell, nodes.entry("", pages))
        section += table

    def _register(self) -> None:
        """A register of glossary terms, people (by surname) and organisations, with their pages.

        Every mention counts, linked or not: a term's or actor's name (or an actor's
        alias, or a person's surname) in running text is marked where it stands.
        """
        from kb.actors import actor_entries
        from kb.pdf_references import anchor_of

        std = self.env.domains.standard_domain
        terms = {anchor: name for (kind, name), (_doc, anchor) in _std_terms(std)}
        people, organisations = {}, {}
        for _doc, anchor, name in actor_entries(self.env):
            (people if self._is_person(anchor) else organisations)[anchor] = name
        groups = {
            "Begriffe": {a: (n, sort_key(n)) for a, n in terms.items()},
            "Personen": {a: (inverted(n), sort_key(inverted(n))) for a, n in people.items()},
            "Organisationen": {a: (n, sort_key(n)) for a, n in organisations.items()},
        }
        registered = {anchor for group in groups.values() for anchor in group}
        mentions: dict[str, list[str]] = {}
        counter = [0]
        for ref in list(self.tree.findall(nodes.reference)):
            anchor = ref.get("refuri", ref.get("refid", "")).rpartition("#")[2]
            if anchor in registered:
                mentions.setdefault(anchor, []).append(anchor_of(ref, "kb-m", counter))
        names = {**{a: [n] for a, n in terms.items()}, **self._actor_names(people, organisations)}
        for anchor, ident in unlinked_mentions(self.tree, names):
            mentions.setdefault(anchor, []).append(ident)
        register = nodes.section(ids=["register"], classes=["kb-register"])
        register += nodes.title("", "Register")
        register += nodes.paragraph(
            "",
            "Begriffe des Glossars, Personen und Organisationen mit den Seiten, auf denen sie vorkommen; "
            "die fett gesetzte Zahl führt zu ihrer Erklärung.",
        )
        for heading, entries in groups.items():
            if not entries:
                continue
            group = nodes.section(ids=[f"register-{len(register)}"])
            group += nodes.title("", heading)
            items = nodes.bullet_list(classes=["kb-register-entries"])
            for anchor, (name, _key) in sorted(entries.items(), key=lambda e: e[1][1]):
                anchors = " ".join([anchor, *mentions.get(anchor, [])])
                item = nodes.paragraph("", "")
                item += nodes.Text(name + " ")
                item += nodes.raw("", f'<span class="kb-pages" data-kb-anchors="{anchors}"></span>', format="html")
                items += nodes.list_item("", item)
            group += items
            register += group
        self.tree += register

    def _is_person(self, anchor: str) -> bool:
        """An actor listed under the Akteure page's "Personen" (its section's id says so)."""
        term = next((t for t in self.tree.findall(nodes.term) if anchor in t["ids"]), None)
        node = term
        while node is not None:
            if isinstance(node, nodes.section) and any("personen" in i for i in node["ids"]):
                return True
            node = node.parent
        return False

    def _actor_names(self, people: dict[str, str], organisations: dict[str, str]) -> dict[str, list[str]]:
        """The names an actor is mentioned by: its name, its aliases, a person's surname."""
        names: dict[str, list[str]] = {}
        for term in self.tree.findall(nodes.term):
            anchor = next((i for i in term["ids"] if i in people or i in organisations), None)
            if anchor is None:
                continue
            found = [people.get(anchor) or organisations[anchor], *term.get("kb_aliases", [])]
            if anchor in people:
                found.append(people[anchor].split()[-1])
            names[anchor] = found
        return names

    def contents(self) -> list[tuple[int, str, str]]:
        """(level, anchor, title) of the chapters and their sections (no A–Z letters)."""
        found = []
        for section in self.tree.findall(nodes.section):
            depth, parent = 1, section.parent
            while parent is not None:
                depth += isinstance(parent, nodes.section)
                parent = parent.parent
            if depth <= 2 and "kb-letter" not in section["classes"] and section["ids"]:
                found.append((depth, section["ids"][0], section[0].astext()))
        return found


def _std_terms(std):
    for (kind, name), value in std.objects.items():
        if kind == "term":
            yield (kind, name), value


def inverted(name: str) -> str:
    """A person's name as a register has it: "Dr. Vanessa Just" -> "Just, Dr. Vanessa"."""
    parts = name.split()
    if len(parts) < 2:
        return name
    return f"{parts[-1]}, {' '.join(parts[:-1])}"


# Where a name in the text is not a mention to index: links (counted as links), the
# register itself, literal text, the entries' own headings.
_SKIP = (nodes.reference, nodes.literal, nodes.raw, nodes.term, nodes.title)


def unlinked_mentions(tree: nodes.Node, names: dict[str, list[str]]) -> list[tuple[str, str]]:
    """Mark every unlinked occurrence of a registered name in the text; (anchor, id) of each.

    A name matches as a whole word (case as written); the longest name wins where
    two overlap ("Zukunftszentrum Digitale Arbeit Sachsen-Anhalt" before "Zukunftszentrum").
    """
    import re

    by_name = {}
    for anchor, variants in names.items():
        for variant in variants:
            if len(variant) >= 2:
                by_name.setdefault(variant, anchor)
    if not by_name:
        return []
    pattern = re.compile(
        r"(?<![\w-])(" + "|".join(re.escape(n) for n in sorted(by_name, key=len, reverse=True)) + r")(?![\w])"
    )
    found: list[tuple[str, str]] = []
    for text in list(tree.findall(nodes.Text)):
        parent = text.parent
        node, skip = parent, False
        while node is not None:
            if isinstance(node, _SKIP) or (
                isinstance(node, nodes.Element) and "kb-register" in node.get("classes", [])
            ):
                skip = True
                break
            node = node.parent
        if skip or parent is None:
            continue
        value = str(text)
        parts: list[nodes.Node] = []
        position = 0
        for match in pattern.finditer(value):
            if match.start() > position:
                parts.append(nodes.Text(value[position : match.start()]))
            ident = f"kb-u{len(found) + 1}"
            parts.append(nodes.inline(match.group(1), match.group(1), ids=[ident], classes=["kb-mention"]))
            found.append((by_name[match.group(1)], ident))
            position = match.end()
        if parts:
            if position < len(value):
                parts.append(nodes.Text(value[position:]))
            index = parent.index(text)
            parent[index : index + 1] = parts
    return found
