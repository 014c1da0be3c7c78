"""Sources: the article's sections, the "Belege" line of every page, general explanations.

Adds to Sphinx (all of it in the domain ``kbsrc``):

* the directive ``kb-abschnitt`` (``:::{kb-abschnitt} Gute Beispiele aus der
  Praxis``), used on the sources page (``quelle/index.md``): one section of the
  article, by its heading, with a one-line summary as content. It becomes a
  section of that page with the anchor ``bericht-<slug>``; the slug (the heading
  in lowercase with hyphens, ``gute-beispiele-aus-der-praxis``) is what pages
  name in their front matter. ``:ohne-ueberschrift:`` marks a part of the
  article that has no heading there (its title is then our own name for it).
  These directives are the one list of the article's sections;
* the front-matter field ``sources`` (shape checked by the schemas): the slugs of
  the sections a page draws on;
* the directive ``kb-belege``, placed in the source credit
  (``_snippets/quelle.md``) and so on every page: the line "Belege: ..." linking
  each section the page names to its place on the sources page. A page without
  ``sources`` is a warning at its front matter, a slug no ``kb-abschnitt``
  defines a warning at its front-matter line, so the strict build fails. The
  page that defines the sections shows and needs no "Belege";
* the directive ``kb-allgemein``: a general explanation that is not from the
  article, labelled "Allgemein (nicht aus dem Bericht):" (used in the glossary).

The links are ``pending_xref`` nodes that the domain resolves, so they work in
every builder (HTML, singlehtml, LaTeX). State lives in the domain and is merged
after parallel reads; ``env-get-updated`` rewrites the citing pages when a
section's title or anchor changes.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_refnode

from kb.frontmatter import filled, page_or_none
from kb.german import slug
from kb.state import DocumentTables
from kb.wording import FRONT_MATTER, missing_field, names_unknown

logger = logging.getLogger(__name__)

FIELD = "sources"
LABEL = "Belege:"
GENERAL = "Allgemein (nicht aus dem Bericht):"
ANCHOR = "bericht-"


class SourcesDomain(DocumentTables):
    """Build state of kb.sources.

    ``sections``: slug -> (docname, anchor, display text) of each ``kb-abschnitt``;
    ``cited``: docname -> [(slug, front-matter line)] of its ``sources``;
    ``written``: the sections as the last build linked them (incremental builds).
    """

    name = "kbsrc"
    label = "Wissensbasis-Quellen"
    initial_data: dict[str, dict] = {"sections": {}, "cited": {}, "written": {}}
    data_version = 1
    per_document = ("cited",)  # "written" is build-wide
    by_owner = ("sections",)

    def resolve_xref(self, env, fromdocname, builder, typ, target, node, contnode):
        hit = self.data["sections"].get(target)
        if typ != "abschnitt" or hit is None:
            # An unknown slug is reported by check_sources() at its front-matter line;
            # the plain text stands in so Sphinx does not report it a second time.
            return contnode
        docname, anchor, text = hit
        return make_refnode(builder, fromdocname, docname, anchor, nodes.Text(text), f"Bericht: {text}")


def _data(env: BuildEnvironment) -> dict[str, dict]:
    return env.domains["kbsrc"].data


class AbschnittDirective(SphinxDirective):
    """``:::{kb-abschnitt} Überschrift`` – one section of the article; content: a summary."""

    required_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec = {"ohne-ueberschrift": directives.flag}

    def run(self) -> list[nodes.Node]:
        heading = " ".join(self.arguments[0].split())
        key = slug(heading)
        untitled = "ohne-ueberschrift" in self.options
        sections = _data(self.env)["sections"]
        if key in sections:
            raise self.error(
                f"Der Abschnitt „{key}“ ist schon in {sections[key][0]} definiert: "
                "einen der beiden Blöcke kb-abschnitt entfernen oder seine Überschrift ändern"
            )
        if not self.content:
            raise self.error(
                f"Der Abschnitt „{heading}“ braucht eine Zusammenfassung in einer Zeile, in eigenen Worten: "
                "als Text in den Block kb-abschnitt schreiben"
            )
        anchor = ANCHOR + key
        # Headings of the article are quoted, our own names for untitled parts are not.
        text = heading if untitled else f"„{heading}“"
        sections[key] = (self.env.current_document.docname, anchor, text)
        title = heading + (" (im Bericht ohne Überschrift)" if untitled else "")
        section = nodes.section("", nodes.title(title, title), ids=[anchor], classes=["kb-abschnitt"])
        if untitled:
            section["classes"].append("kb-ohne-ueberschrift")
        meta = nodes.paragraph("", "", classes=["kb-abschnitt-kennung"])
        meta += nodes.Text("Kennung für das Feld ")
        meta += nodes.literal(FIELD, FIELD)
        meta += nodes.Text(": ")
        meta += nodes.literal(key, key)
        self.state.nested_parse(self.content, self.content_offset, section)
        section += meta
        self.set_source_info(section)
        return [section]


def _unknown_keys(env: BuildEnvironment, docname: str, page) -> list[str]:
    """The page's front-matter keys that its schema does not know (``source`` is a field of its own)."""
    from kb.frontmatter import schema_validator
    from kb.metadata import page_type

    folder = Path(env.app.confdir) / getattr(env.config, "kb_schema_dir", "schemas")
    known: set[str] = set()
    for name in {page_type(env.config, docname) or "common", "common"}:
        try:
            known |= set(schema_validator(folder / f"{name}.schema.yaml").schema.get("properties", {}))
        except OSError:
            pass
    return [key for key in page.data if isinstance(key, str) and key not in known]


class BelegeDirective(SphinxDirective):
    """``:::{kb-belege}`` – the "Belege" line of the page, from its front-matter field ``sources``."""

    def run(self) -> list[nodes.Node]:
        env = self.env
        docname = env.current_document.docname
        data = _data(env)
        if any(v[0] == docname for v in data["sections"].values()):
            return []  # the sources page describes all sections itself
        path = Path(env.doc2path(docname))
        page = page_or_none(path, docname) if path.suffix == ".md" else None
        if page is None:
            return []  # broken front matter: kb.metadata reports it
        value = page.data.get(FIELD)
        if value is None:
            todo = (
                "die Abschnitte des Berichts nennen, auf denen die Seite beruht, z. B. sources: [fazit] "
                "(die Abschnitte und ihre Namen: quelle/index.md)"
            )
            # A typo in the field's name ("sourcs:"): named at its own line (pages without a schema
            # have no "Unbekanntes Feld" message that would point there).
            typo = difflib.get_close_matches(FIELD, _unknown_keys(self.env, docname, page), n=1, cutoff=0.6)
            if typo:
                todo = f"in dieser Zeile steht „{typo[0]}“: Tippfehler? „{FIELD}:“ schreiben"
            logger.warning(
                missing_field(FIELD, FRONT_MATTER, todo),
                location=(docname, page.lines.get((typo[0],) if typo else (), 1)),
                type="kb",
                subtype="sources",
            )
            return []
        if not isinstance(value, list):
            return []  # wrong shape: the schema reports it
        cited = [(s, page.lines.get((FIELD, i), 1)) for i, s in enumerate(value) if isinstance(s, str) and filled(s)]
        if not cited:
            return []  # empty or placeholders only: the schema and kb.metadata report it
        data["cited"][docname] = cited
        line = nodes.paragraph("", "", classes=["kb-belege"])
        line += nodes.strong(LABEL, LABEL)
        for index, (key, _) in enumerate(cited):
            line += nodes.Text(" " if index == 0 else ", ")
            xref = addnodes.pending_xref(
                "", refdomain="kbsrc", reftype="abschnitt", reftarget=key, refdoc=docname, refexplicit=False
            )
            xref += nodes.inline(key, key)
            line += xref
        line += nodes.Text(" (Abschnitte des Berichts)")
        self.set_source_info(line)
        return [line]


class AllgemeinDirective(SphinxDirective):
    """``:::{kb-allgemein}`` – a general explanation, visibly marked as not from the article."""

    has_content = True

    def run(self) -> list[nodes.Node]:
        if not self.content:
            raise self.error("Der Block kb-allgemein ist leer: die allgemeine Erklärung hineinschreiben")
        box = nodes.container(classes=["kb-allgemein"])
        self.state.nested_parse(self.content, self.content_offset, box)
        label = nodes.strong(GENERAL, GENERAL)
        first = box.children[0] if box.children else None
        if isinstance(first, nodes.paragraph):
            first.insert(0, nodes.Text(" "))
            first.insert(0, label)
        else:
            box.insert(0, nodes.paragraph("", "", label))
        self.set_source_info(box)
        return [box]


def check_sources(app: Sphinx, env: BuildEnvironment) -> None:
    """Once all pages are read: every section a page names must exist."""
    data = _data(env)
    known = ", ".join(sorted(data["sections"])) or "noch keine"
    todo = f"mit den Kennungen auf quelle/index.md vergleichen (bekannt: {known})"
    for docname, cited in sorted(data["cited"].items()):
        for key, line in cited:
            if key not in data["sections"]:
                logger.warning(
                    names_unknown(FIELD, "den Abschnitt", key, "den es nicht gibt", todo),
                    location=(docname, line),
                    type="kb",
                    subtype="sources",
                )


def updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Pages citing the article must be written again when a section's title or anchor changes."""
    data = _data(env)
    sections = sorted(data["sections"].items())
    if data["written"].get("sections") == sections:
        return []
    data["written"]["sections"] = sections
    return sorted(data["cited"])


def setup(app: Sphinx) -> dict:
    app.require_sphinx("9.0")
    app.setup_extension("kb.metadata")  # the schemas check the shape of `sources`
    app.add_domain(SourcesDomain)
    app.add_directive("kb-abschnitt", AbschnittDirective)
    app.add_directive("kb-belege", BelegeDirective)
    app.add_directive("kb-allgemein", AllgemeinDirective)
    app.connect("env-check-consistency", check_sources)
    app.connect("env-get-updated", updated)
    return {"version": "1.0", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
