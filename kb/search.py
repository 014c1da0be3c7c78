"""Search that answers: glossary terms, actors and key facts as named search entries.

A full-text search finds words in pages; a reader's query is often a name or a
fact that a page *is about*: "Gebers", "Zörbig", "Stahlbau", "Chatbot",
"300 Teilnehmende". This extension records such entries as objects of the
domain ``suche`` (in objects.inv too); the search page's index
(``kb/search_index.py``) lists them as hits named by the entry, "Leonie Gebers"
instead of the page title "Akteure":

* every glossary term, with its synonyms from the glossary page's front matter
  field ``synonyme`` (``Term: [Synonym, ...]``), shown as "Term (auch: ...)";
* every entry of the Akteure list (``kb.graph``), with its ``:auch:`` names;
* the key facts of typed pages from their front matter, as ``conf.py``'s
  ``kb_search_facts`` names them (page type -> field -> label), e.g. a case
  study's place and sector; a fact holding numbers ("16 Mitarbeitende") makes
  the numbers findable, which Sphinx's full-text index leaves out.

Nothing is invented: every entry is a name or value the sources already hold.
The search page ranks them against the pages (``kb/search_index.py``, ``kb/static/kb-search.js``).
A synonym for a term the glossary page does not define is a warning naming
the file and line. State lives in the domain (``clear_doc``,
``merge_domaindata``), so ``-j`` and incremental builds stay right.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

from kb.frontmatter import doc_page
from kb.graph import actor_items, glossary_items
from kb.metadata import page_type
from kb.state import DocumentTables
from kb.wording import names_unknown

logger = logging.getLogger(__name__)

TERM = "Glossarbegriff"
ACTOR = "Akteur"
SYNONYMS = "synonyme"


class SearchDomain(DocumentTables):
    """Search entries per page: (name, label, anchor); no roles, no directives."""

    name = "suche"
    label = "Suche"
    initial_data: dict[str, dict] = {"entries": {}}  # docname -> [(name, label, anchor)]
    data_version = 1

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        for docname, entries in sorted(self.data["entries"].items()):
            for name, label, anchor in entries:
                # The label is the object type, so it is shown as is: "Zörbig (Ort, in ...)".
                yield name, name, label, docname, anchor, 1


def shown_name(name: str, others: list[str]) -> str:
    """'Bettina Kretschmer (auch: Frau Kretschmer)': other names only where they add a word."""
    words = set(name.casefold().split())
    extra = [o for o in others if not set(o.casefold().split()) <= words]
    return f"{name} (auch: {', '.join(extra)})" if extra else name


def _synonyms(app: Sphinx, docname: str, terms: set[str]) -> dict[str, list[str]]:
    page = doc_page(app.env, docname)
    table = page.data.get(SYNONYMS) if page else None
    if not isinstance(table, dict):
        return {}
    known = {t.casefold(): t for t in terms}
    result = {}
    for term, synonyms in table.items():
        if str(term).casefold() not in known:
            line = page.lines.get((SYNONYMS, term), page.lines.get((SYNONYMS,), 1))
            todo = "den Begriff genau wie im Glossar schreiben oder den Eintrag entfernen"
            logger.warning(
                names_unknown(SYNONYMS, "den Begriff", str(term), "den es in diesem Glossar nicht gibt", todo),
                location=(docname, line),
                type="kb",
            )
            continue
        if isinstance(synonyms, list):
            result[known[str(term).casefold()]] = [str(s) for s in synonyms if str(s).strip()]
    return result


def collect(app: Sphinx, doctree: nodes.document) -> None:
    env = app.env
    docname = env.current_document.docname
    entries: list[tuple[str, str, str]] = []

    # Akteure entries (kb.graph), then glossary terms (Sphinx's glossary): both are term nodes.
    for term in _terms(actor_items(doctree)):
        entries.append((shown_name(term.astext(), term.get("kb_aliases", [])), ACTOR, term["ids"][0]))
    glossary_terms = [(term.astext(), term["ids"][0]) for term in _terms(glossary_items(doctree))]
    synonyms = _synonyms(app, docname, {name for name, _ in glossary_terms})
    for name, anchor in glossary_terms:
        entries.append((shown_name(name, synonyms.get(name, [])), TERM, anchor))

    # Key facts from the front matter of typed pages.
    facts = app.config.kb_search_facts.get(page_type(app.config, docname) or "", {})
    top = next(iter(doctree.findall(nodes.section)), None)
    if facts and top is not None and top["ids"]:
        page = doc_page(env, docname)
        for field, label in facts.items():
            value = page.data.get(field) if page else None
            if isinstance(value, str | int) and str(value).strip():
                entries.append((" ".join(str(value).split()), label, top["ids"][0]))

    if entries:
        env.domains["suche"].data["entries"][docname] = entries


def _terms(items: Iterator[nodes.definition_list_item]) -> Iterator[nodes.term]:
    """The term nodes with an id in definition list items."""
    for item in items:
        yield from (t for t in item.children if isinstance(t, nodes.term) and t["ids"])


def setup(app: Sphinx) -> dict[str, Any]:
    app.require_sphinx("9.0")
    app.setup_extension("kb.metadata")  # page types
    app.setup_extension("kb.graph")  # the Akteure list
    # Page type -> front-matter field -> label shown with the hit.
    app.add_config_value("kb_search_facts", {}, "env", types=[dict])
    app.add_domain(SearchDomain)
    app.connect("doctree-read", collect)
    return {"version": "1.0", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
