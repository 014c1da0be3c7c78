"""The search index of the search page: pages and register entries for MiniSearch.

The search page (``_static/kb-search.js``) runs MiniSearch (vendored,
``kb/static/minisearch.min.js``) on ``_static/kb-suchindex.json``, which this
extension writes at the end of each HTML build in MiniSearch's own
serialisation format (``MiniSearch.loadJSON``), so the browser does not index
anything. Why MiniSearch and not Sphinx's ``searchtools.js``: benchmarks/FINDINGS.md
("Search engine").

Documents: every page, every glossary term and every Akteure entry, each with
a kind that the page script uses for labels and ranking (``seite``,
``uebersicht``, ``schlagwort``, ``begriff``, ``person``, ``organisation``).
Fields: ``name`` (title or entry name with its other names), ``head`` (section
titles, description and front-matter values), ``text`` (the page text without
navigation, A–Z bar, source credit and "Erwähnt in" lists) and ``teile`` (parts
of compounds: "Fachkräftemangel" is also found by "Mangel").
Every word is lower-cased and reduced by the Snowball German stemmer, the same
one the browser runs on the query (``german-stemmer.js``), which also folds
umlauts, "ae" and ß ("Grußwort" = "Grusswort"). The synonym list
(``kb/search_synonyms.yaml``) goes into the index as it is, for the query side.

Per-page records are a file per page in the doctree folder, written when the
page is read; a domain (``DocumentTables``) names the pages that have one, so
``-j`` and incremental builds stay right. The index is assembled from them at the end.

Sphinx's own index (``searchindex.js``) is not built (kb.upstream patch
"searchindex"): no page loads it, and Sphinx feeds it page by page in the main
process while the pages are written (about 1 s of CPU at 1,000 case studies).
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from functools import cache
from pathlib import Path
from typing import Any

import snowballstemmer
import yaml
from docutils import nodes
from sphinx.application import Sphinx

from kb.authoring import kb_az
from kb.cards import kb_cards
from kb.frontmatter import doc_page
from kb.graph import actor_items, glossary_items, kb_backlinks
from kb.markup import WEB_BUILDERS
from kb.state import DocumentTables
from kb.upstream import applies, setup_upstream

INDEX = "kb-suchindex.json"
STATIC = Path(__file__).parent / "static"
SCRIPTS = ("minisearch.min.js", "kb-fuzzy.js", "kb-search.js")  # kb/static/ -> _static/kb-search.js
SCRIPT = "kb-search.js"
LICENCE = "minisearch.LICENSE.txt"
TEXTS = "kb-suchtext"  # _static/kb-suchtext/<page>.txt: the paragraphs snippets are cut from
SYNONYMS = Path(__file__).parent / "search_synonyms.yaml"
FIELDS = ["name", "head", "desc", "text", "teile"]
# Page parts that are not the page's own text: the source credit, tags line, A–Z bar, backlinks.
SKIP_CLASSES = {"kb-quelle", "kb-schlagworte", "kb-az", "kb-erwaehnt", "kb-belege", "kb-steckbrief"}
# Front-matter fields that hold no words a reader searches for.
SKIP_FIELDS = {"sources", "source", "type", "event", "session", "date", "updated", "synonyme", "image", "alt"}
WORD = re.compile(r"[^\W_]+", re.UNICODE)
SNIPPET = 220
PAGE_KINDS = {"seite", "uebersicht", "schlagwort"}


class SearchIndexDomain(DocumentTables):
    """docname -> True for each page that contributed documents (dicts) to the search index.

    The documents themselves (a page's whole text) are a file per page in the doctree folder
    (``RECORDS``), written when the page is read: in the environment they made every build
    load and save 2 MB more at 1,000 case studies.
    """

    name = "suchindex"
    label = "Suchindex"
    initial_data: dict[str, dict] = {"docs": {}}
    data_version = 2


RECORDS = "kb-suchindex"  # <doctreedir>/kb-suchindex/<docname>.json


def _record(doctreedir: str | Path, docname: str) -> Path:
    return Path(doctreedir, RECORDS, docname + ".json")


def _skipped(node: nodes.Node) -> bool:
    if isinstance(node, kb_az | kb_backlinks | kb_cards | nodes.comment | nodes.raw):
        return True
    return isinstance(node, nodes.Element) and bool(SKIP_CLASSES & set(node.get("classes", ())))


def _inside_skipped(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if _skipped(parent):
            return True
        parent = parent.parent
    return False


def _text(node: nodes.Node, skip: set[int] = frozenset()) -> str:
    """The readable text under node, without skipped parts (and without the nodes in skip)."""
    parts: list[str] = []

    def walk(n: nodes.Node) -> None:
        if id(n) in skip or _skipped(n):
            return
        if isinstance(n, nodes.Text):
            parts.append(n.astext())
            return
        for child in n.children:
            walk(child)
        if isinstance(n, nodes.TextElement | nodes.term | nodes.title):
            parts.append(" ")

    walk(node)
    return " ".join("".join(parts).split())


def _blocks(doctree: nodes.document, skip: set[int]) -> list[str]:
    """The page's paragraphs for snippets: no titles, tables (field labels), skipped parts or entries."""
    blocks = []
    for paragraph in doctree.findall(nodes.paragraph):
        ancestors, parent = [paragraph], paragraph.parent
        while parent is not None:
            ancestors.append(parent)
            parent = parent.parent
        if any(id(a) in skip or _skipped(a) or isinstance(a, nodes.table) for a in ancestors):
            continue
        text = " ".join(paragraph.astext().split())
        if len(text) > 20:
            blocks.append(text)
    return blocks


def _values(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [v for k, item in value.items() if k not in SKIP_FIELDS for v in _values(item)]
    if isinstance(value, list):
        return [v for item in value for v in _values(item)]
    return [str(value)] if isinstance(value, str | int) and str(value).strip() else []


def _kind(docname: str) -> str:
    if docname.startswith("tags/") and docname != "tags/index":
        return "schlagwort"
    if docname == "index" or docname.endswith("/index"):
        return "uebersicht"
    return "seite"


def _section_title(node: nodes.Node) -> str:
    section = node.parent
    while section is not None and not isinstance(section, nodes.section):
        section = section.parent
    return section[0].astext() if section is not None and section.children else ""


def collect(app: Sphinx, doctree: nodes.document) -> None:
    if app.builder.name not in WEB_BUILDERS:  # the PDF (an HTML builder too) has no search page
        return
    env = app.env
    docname = env.current_document.docname
    titles = list(doctree.findall(nodes.title))
    if not titles:
        return
    page = doc_page(env, docname)
    data = page.data if page else {}
    entries = []
    skip: set[int] = set()
    # Register entries: Akteure (person or organisation by their section) and glossary terms.
    names = {anchor: name for name, _label, anchor in env.domains["suche"].data["entries"].get(docname, [])}
    for register, items in (("akteur", actor_items(doctree)), ("begriff", glossary_items(doctree))):
        for item in items:
            skip.add(id(item))
            terms = [t for t in item.children if isinstance(t, nodes.term) and t["ids"]]
            definition = next((c for c in item.children if isinstance(c, nodes.definition)), None)
            if not terms:
                continue
            anchor = terms[0]["ids"][0]
            kind = register
            if register == "akteur":  # person or organisation, by the section the entry stands in
                kind = "person" if "person" in _section_title(item).lower() else "organisation"
            text = _text(definition) if definition is not None else ""
            entries.append(
                {
                    "u": f"{docname}#{anchor}",
                    "t": terms[0].astext(),
                    "k": kind,
                    "name": names.get(anchor, terms[0].astext()),
                    "head": "",
                    "desc": "",
                    "text": text,
                    "d": text[:SNIPPET],
                }
            )
    heads = [t.astext() for t in titles[1:] if not _inside_skipped(t)]
    description = str(data.get("description", "") or "")
    facts = [v for k, v in data.items() if k not in SKIP_FIELDS | {"description"} for v in _values(v)]
    body = _text(doctree, skip)
    title = titles[0].astext()
    page_doc = {
        "u": docname,
        "t": title,
        "k": _kind(docname),
        "name": title,
        "head": " ".join(h for h in heads if len(h) > 1),  # not the A–Z letters
        "desc": " ".join([description, *facts]),
        "text": body,
        "d": description[:SNIPPET],
        "blocks": _blocks(doctree, skip),
    }
    record = json.dumps([page_doc, *entries], ensure_ascii=False, separators=(",", ":"))
    path = _record(env.doctreedir, docname)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(record, encoding="utf-8")
    env.domains["suchindex"].data["docs"][docname] = True  # (for purging and merging: the record is the file)


@cache
def _stem(word: str) -> str:
    return _stemmer().stemWord(word)


@cache
def _stemmer():
    return snowballstemmer.stemmer("german")


def words(text: str) -> list[str]:
    """Lower-cased words of a text, as the page script splits a query."""
    return [w for w in WORD.findall(text.lower()) if len(w) > 1 or w.isdigit()]


@cache  # a few thousand distinct words, folded for every time they occur (1 s at 1,000 case studies)
def fold(word: str) -> str:
    """A word lower-cased with umlauts and ß folded, "ae"/"oe"/"ue" read as umlauts (kb-fuzzy.js, fold)."""
    word = re.sub("ä|ae", "a", word.lower())
    word = re.sub("ö|oe", "o", word)
    word = re.sub("(^|[^q])(ü|ue)", r"\1u", word)
    return word.replace("ß", "ss")


def compound_parts(word: str, vocabulary: set[str]) -> list[str]:
    """Two parts a long compound is made of ("fachkräftemangel" -> fachkräfte, mangel), or [].

    The first part must be a word of the site (a linking s, es, n or en may follow it); a
    second part that is a word of the site as well makes the better split, otherwise any
    second part of at least four letters will do (German puts the head of a compound last).
    """
    if len(word) < 8 or word.isdigit():
        return []
    best: tuple[bool, int, int, list[str]] | None = None
    for i in range(3, len(word) - 3):
        left, right = word[:i], word[i:]
        for link in ("", "s", "es", "n", "en"):
            if link and not left.endswith(link):
                continue
            base = left[: len(left) - len(link)]
            if len(base) >= 3 and base in vocabulary:
                # The longest known first part; for the same one, the split after its linking s ("zukunfts|zentrum").
                key = (right in vocabulary, len(base), i)
                if best is None or key > best[:3]:
                    best = (*key, [base, right])
                break
    return best[3] if best else []


def build_index(docs: list[dict], synonyms: list[list[str]]) -> dict:
    """The compact index the page script expands into MiniSearch's own format (``loadJS``).

    ``docs``: per document [url, title, kind, entry name (when not the title), snippet text (entries
    only: a page's snippet comes from the page itself)]; ``lengths``: words per field and document;
    ``index``: per stem, field number and postings, where a posting is the distance to the previous
    document number and a negative number after it is the word's count in that document (when > 1);
    ``forms``: per stem the folded word forms it stands for, where they differ from it (the page's
    typo tolerance measures typos against them too, kb/static/kb-fuzzy.js).
    Half the size of Sphinx's searchindex.js at 1,000 case studies (benchmarks/FINDINGS.md).
    """
    split = {f: [words(doc.get(f, "")) for doc in docs] for f in FIELDS[:-1]}
    vocabulary = {w for per_doc in split.values() for ws in per_doc for w in ws}
    parts: dict[str, list[str]] = {}  # word -> stems of its parts, once per build
    index: dict[str, dict[int, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    lengths: list[list[int]] = []
    forms: dict[str, set[str]] = defaultdict(set)  # stem -> the folded word forms it stands for
    stored: list[list[str]] = []
    for short, doc in enumerate(docs, start=1):
        tokens = {f: [_stem(w) for w in split[f][short - 1]] for f in FIELDS[:-1]}
        tokens["teile"] = []
        for f in FIELDS[:-1]:
            for w in split[f][short - 1]:
                if not w.isdigit() and fold(w) != _stem(w):
                    forms[_stem(w)].add(fold(w))
        for f in FIELDS[:-1]:  # (a part counts once per field its compound is in)
            for w in set(split[f][short - 1]):
                if w not in parts:
                    parts[w] = [_stem(p) for p in compound_parts(w, vocabulary)]
                tokens["teile"] += parts[w]
        for field_id, f in enumerate(FIELDS):
            for term, n in Counter(tokens[f]).items():
                index[term][field_id][short] = n
        lengths.append([len(tokens[f]) for f in FIELDS])
        entry = doc["k"] not in PAGE_KINDS
        row = [doc["u"], doc["t"], doc["k"], doc["name"] if doc["name"] != doc["t"] else "", doc["d"] if entry else ""]
        while row[-1] == "":
            row.pop()
        stored.append(row)
    return {
        "fields": FIELDS,
        "docs": stored,
        "lengths": lengths,
        "index": [[term, *_postings(fields)] for term, fields in sorted(index.items())],
        "synonyms": synonyms,
        # Per stem its word forms, folded (when they differ from it): typos are measured against them too.
        "forms": [[term, *sorted(forms[term])] for term in sorted(forms)],
    }


def _postings(fields: dict[int, dict[int, int]]) -> list:
    out: list = []
    for field_id, counts in sorted(fields.items()):
        numbers, previous = [], 0
        for doc, n in sorted(counts.items()):
            numbers.append(doc - previous)
            previous = doc
            if n > 1:
                numbers.append(-n)
        out += [field_id, numbers]
    return out


def read_synonym_groups(path: Path = SYNONYMS) -> list[dict[str, list[str]]]:
    """The synonym groups as written: per group its German words (``de``) and English words (``en``).

    A group may also be a plain list (words of any language).
    """
    groups = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    out = []
    for group in groups:
        if isinstance(group, list):
            group = {"de": group}
        if isinstance(group, dict):
            out.append({lang: [str(w) for w in group.get(lang) or []] for lang in ("de", "en")})
    return out


def read_synonyms(path: Path = SYNONYMS) -> list[list[str]]:
    """The synonym groups: each a list of words or phrases readers use for the same thing."""
    groups = [list(dict.fromkeys(g["de"] + g["en"])) for g in read_synonym_groups(path)]
    return [group for group in groups if len(group) > 1]


def stemmed_synonyms(groups: list[list[str]]) -> list[list[str]]:
    """Each group's words and phrases stemmed as the query is (the page script looks phrases up)."""
    stemmed = [[" ".join(_stem(w) for w in words(p)) for p in group] for group in groups]
    return [list(dict.fromkeys(p for p in group if p)) for group in stemmed]


def write_index(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.name not in WEB_BUILDERS:
        return
    tables = app.env.domains["suchindex"].data["docs"]
    docs = [
        doc
        for docname in sorted(tables)
        for doc in json.loads(_record(app.doctreedir, docname).read_text(encoding="utf-8"))
    ]
    for doc in docs:
        docname, _, anchor = doc["u"].partition("#")
        doc["u"] = app.builder.get_target_uri(docname) + (f"#{anchor}" if anchor else "")
    data = build_index(docs, stemmed_synonyms(read_synonyms()))
    # Each page's paragraphs in a small text file (one per line): the snippets of its results,
    # fetched only for results in view (a page's HTML would weigh ten times as much).
    # Written only where they changed (an edit rewrites one, not a thousand); files of gone pages go.
    texts = Path(app.outdir, "_static", TEXTS)
    wanted = {
        texts / (doc["u"].removesuffix(".html") + ".txt"): "\n".join(doc["blocks"]) + "\n"
        for doc in docs
        if "blocks" in doc
    }
    for path in texts.rglob("*.txt") if texts.is_dir() else ():
        if path not in wanted:
            path.unlink()
    for path, text in wanted.items():
        try:
            if path.read_text(encoding="utf-8") == text:
                continue
        except OSError:
            path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    target = Path(app.outdir, "_static", INDEX)
    target.parent.mkdir(parents=True, exist_ok=True)
    # One request: MiniSearch (with its licence line) and the page script in one file.
    script = "\n".join((STATIC / name).read_text(encoding="utf-8").strip() for name in SCRIPTS)
    (target.parent / SCRIPT).write_text(script + "\n", encoding="utf-8")
    (target.parent / LICENCE).write_text((STATIC / LICENCE).read_text(encoding="utf-8"), encoding="utf-8")
    target.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def without_sphinx_index(app: Sphinx) -> None:
    """Sphinx's HTML builder keeps its search page and language_data.js (our page script's stemmer)
    but feeds and writes no index of its own (patch "searchindex")."""
    builder = app.builder
    if builder.format != "html" or not getattr(builder, "search", False) or not applies(app, "searchindex"):
        return
    builder.load_indexer = lambda docnames: None  # (it warns on an incremental build when there is no index)
    builder.index_page = lambda pagename, doctree, title: None
    builder.dump_search_index = lambda: None
    Path(app.outdir, "searchindex.js").unlink(missing_ok=True)  # left by a build before this patch


def setup(app: Sphinx) -> dict[str, Any]:
    app.require_sphinx("9.0")
    setup_upstream(app)
    app.connect("builder-inited", without_sphinx_index)
    app.setup_extension("kb.search")  # entry names with their other names
    app.add_domain(SearchIndexDomain)
    app.connect("doctree-read", collect, priority=600)  # after kb.search's entries
    app.connect("build-finished", write_index)
    return {"version": "1.0", "env_version": 5, "parallel_read_safe": True, "parallel_write_safe": True}
