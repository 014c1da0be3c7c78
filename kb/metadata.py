"""Page metadata: schema-checked front matter and listings generated from it.

Adds to Sphinx:

* a check of every page's YAML front matter against the JSON Schema of its
  page type (``schemas/<type>.schema.yaml``; the type follows from the folder,
  see ``kb_page_types`` in conf.py). A missing or malformed field is a warning
  naming the file, the line and what is expected, so the strict build fails;
* a check that the labels named in ``event`` and ``session`` exist;
* the directive ``kb-steckbrief``, which renders a page's key facts as a
  card from its own front matter (one source for facts used twice);
* the directive ``kb-listing`` (``:::{kb-listing} case-study``), which renders
  a sphinx-design grid with one card per page of that type, built from the
  pages' front matter and ``#`` titles. Adding a page file lists it; editing
  a page's title or metadata updates every listing.

Front matter is read from the source files and kept per page in the domain
data (merged after parallel reads). A listing is a ``kb.cards.kb_cards`` node
until its page is written; then the cards are built from that data, so a
listing never depends on the order in which pages are read. For incremental
builds ``env-get-updated`` compares what each listing shows (the listed pages
and their file versions) with the last build and has Sphinx write the pages
whose listings changed again, without reading them.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import Any

from babel.numbers import format_decimal
from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.osutil import relative_uri
from sphinx_design.grids import row_columns_option

from kb.cards import (
    LISTINGS,
    FillCards,
    Maker,
    card,
    grid,
    inline_markup,
    kb_cards,
    listed,
    remember_smart_quotes,
    titled_card,
)
from kb.frontmatter import (
    PLACEHOLDER,
    FrontMatterError,
    Page,
    doc_page,
    filled,
    read_page,
    remember,
    schema_validator,
    version,
)
from kb.german import date as german_date
from kb.german import is_date, sort_key
from kb.state import DocumentTables

logger = logging.getLogger(__name__)

NOT_STATED = "im Bericht nicht genannt"
FORMATS = {"vor-ort": "vor Ort", "online": "online", "hybrid": "vor Ort, mit digitaler Zuschaltung"}


def _describe(error) -> tuple[str, tuple]:
    """A contributor-friendly message and the field path of a schema error."""
    path = tuple(error.absolute_path)
    name = ".".join(str(p) for p in path) or "front matter"
    hint = error.schema.get("description", "") if isinstance(error.schema, dict) else ""
    validator = error.validator
    if validator == "required":
        missing = re.match(r"'([^']+)'", error.message).group(1)
        sub = error.schema.get("properties", {}).get(missing, {})
        hint = sub.get("description", "")
        where = f" in {name}" if path else ""
        return f"required field '{missing}' is missing{where}" + (f" ({hint})" if hint else ""), path
    if validator == "additionalProperties":
        extra = re.findall(r"'([^']+)'", error.message)
        fields = ", ".join(repr(e) for e in extra)
        where = f" in {name}" if path else ""
        return f"unknown field {fields}{where} (a typo? compare with the page template)", path + tuple(extra[:1])
    value = error.validator_value
    if validator == "type":
        types = [value] if isinstance(value, str) else [t for t in value if t != "null"]
        expected = f"must be of type {' or '.join(types)}" + (" or left empty" if "null" in value else "")
    elif validator == "const":
        expected = f"must be {value!r}"
    elif validator == "enum":
        expected = "must be one of " + ", ".join(repr(v) for v in value)
    elif validator == "format":
        expected = f"must be a {value} written JJJJ-MM-TT"
    elif validator == "minLength":
        expected = "must not be empty" if value == 1 else f"needs at least {value} characters"
    elif validator == "minItems":
        expected = f"needs at least {value} entry"
    elif validator == "pattern":
        expected = "must be a label in lowercase letters, digits and hyphens (e.g. jahrestagung-2024)"
    else:
        expected = error.message
    message = f"field '{name}' {expected}, got {error.instance!r}"
    return message + (f" ({hint})" if hint else ""), path


def _get(data: Any, path: tuple) -> Any:
    for key in path:
        try:
            data = data[key]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def page_type(config, docname: str) -> str | None:
    """The page type of a document, from its folder; None for overviews and others."""
    folder, _, name = docname.rpartition("/")
    if name == "index":
        return None
    return config.kb_page_types.get(folder)


def validate(schema_dir: Path, page: Page, ptype: str | None) -> list[tuple[str, int]]:
    """Check a page's front matter against the schema of its type; return (message, line) pairs."""
    schema_path = schema_dir / f"{ptype or 'common'}.schema.yaml"
    validator = schema_validator(schema_path)
    problems = []
    for path, line in sorted(page.lines.items(), key=lambda item: item[1]):
        value = _get(page.data, path)
        if path and isinstance(value, str) and PLACEHOLDER in value:
            name = ".".join(str(p) for p in path)
            problems.append(
                (
                    f"front matter: field '{name}' still holds the template placeholder "
                    f'{PLACEHOLDER!r}: fill it in, or leave it empty ("") if the source does not say',
                    line,
                )
            )
    for error in sorted(validator.iter_errors(page.data), key=lambda e: [str(p) for p in e.absolute_path]):
        if isinstance(error.instance, str) and PLACEHOLDER in error.instance:
            continue  # already reported as a placeholder above
        message, path = _describe(error)
        line = page.lines.get(path) or page.lines.get(path[:1]) or 1
        problems.append((f"front matter: {message}", line))
    return problems


# -- Build hooks -----------------------------------------------------------------


class MetadataDomain(DocumentTables):
    """Build state of kb.metadata, merged after parallel reads and purged per page.

    ``label_refs``: docname -> {field: (label, line)} for ``event``/``session``;
    ``listings``: docname -> [(kind, key, limit)] of the listings on the page;
    ``pages``: docname -> (file version, parsed front matter): the listings' cards and the next build;
    ``written`` (build-wide): docname -> what its listings showed when last written.
    """

    name = "kbmeta"
    label = "Wissensbasis-Metadaten"
    initial_data: dict[str, dict] = {"label_refs": {}, "listings": {}, "pages": {}, "written": {}}
    data_version = 3
    per_document = ("label_refs", "listings", "pages")


def _data(env: BuildEnvironment) -> dict[str, dict]:
    return env.domains["kbmeta"].data


def check_page(app: Sphinx, doctree: nodes.document) -> None:
    """After a page is read: validate its front matter against its schema."""
    env = app.env
    docname = env.current_document.docname
    path = Path(env.doc2path(docname))
    if path.suffix != ".md":
        return
    try:
        page = read_page(path, docname)
    except FrontMatterError as exc:
        logger.warning(str(exc), location=(docname, exc.line), type="kb", subtype="frontmatter")
        return
    _data(env)["pages"][docname] = (version(path), page)
    schema_dir = Path(app.confdir, app.config.kb_schema_dir)
    for message, line in validate(schema_dir, page, page_type(app.config, docname)):
        logger.warning(message, location=(docname, line), type="kb", subtype="frontmatter")
    refs = {
        key: (page.data[key], page.lines.get((key,), 1)) for key in ("event", "session") if filled(page.data.get(key))
    }
    if refs:
        _data(env)["label_refs"][docname] = refs


def reuse_parsed_pages(app: Sphinx) -> None:
    """Before reading: the front matter parsed in the previous build, for the files that did not change.

    A listing reads the front matter of every page it lists; without this, an edit of one page
    would parse all of them again (a third of a one-page-edit rebuild at 1,000 case studies).
    """
    for key, page in _data(app.env)["pages"].values():
        remember(key, page)


def check_labels(app: Sphinx, env: BuildEnvironment) -> None:
    """Once all pages are read: labels named in front matter must exist."""
    labels = env.domains.standard_domain.labels
    for docname, refs in sorted(_data(env)["label_refs"].items()):
        for key, (label, line) in refs.items():
            if label not in labels:
                logger.warning(
                    "front matter: field '%s' names the label %r, which no page defines",
                    key,
                    label,
                    location=(docname, line),
                    type="kb",
                    subtype="frontmatter",
                )


# -- The listing directive ---------------------------------------------------------


class ListingDirective(SphinxDirective):
    """``:::{kb-listing} case-study`` – one card for every page of a type.

    ``:limit: 6`` shows only the first cards and a link to the overview of the
    type (the landing page). Without it, an HTML overview with more than
    ``kb_listing_page_size`` cards is split into pages (see ``split_pages``).
    The cards are filled in when the page is written (``kb.cards.FillCards``).
    """

    required_arguments = 1
    option_spec = {"columns": directives.unchanged, "limit": directives.positive_int}

    def run(self) -> list[nodes.Node]:
        ptype = self.arguments[0]
        known = set(self.config.kb_page_types.values())
        if ptype not in known:
            raise self.error(f"kb-listing: unknown page type {ptype!r} (known: {', '.join(sorted(known))})")
        columns = self.options.get("columns", "1 1 2 2")
        try:
            row_columns_option(columns)
        except ValueError as exc:
            raise self.error(f"kb-listing: :columns: {exc}") from exc
        return [listing_node(self, "type", ptype, columns=columns, limit=self.options.get("limit", 0))]


def listing_node(directive: SphinxDirective, kind: str, key: str, **options: Any) -> kb_cards:
    """The place of a listing in the page being read, noted for ``rewrite_listings``."""
    docname = directive.env.current_document.docname
    node = kb_cards(kind=kind, key=key, docname=docname, **options)
    directive.set_source_info(node)
    _data(directive.env)["listings"].setdefault(docname, []).append((kind, key, options.get("limit", 0)))
    return node


def pages_of_type(env: BuildEnvironment, ptype: str) -> list[Page]:
    """The readable pages of a type, as listings show them: events newest first, others by title."""
    known = _data(env)["pages"]
    pages = [
        known[doc][1] for doc in sorted(env.found_docs) if doc in known and page_type(env.config, doc) == ptype
    ]  # a page whose front matter is broken is reported on the page itself
    if ptype == "event":
        pages.sort(key=lambda p: str(p.data.get("date", "")), reverse=True)
    else:
        pages.sort(key=lambda p: sort_key(p.title))
    return pages


def render_type_listing(maker: Maker, node: kb_cards, pages: list[Page]) -> list[nodes.Node]:
    if not pages:  # an empty grid would be an error of its own
        return [nodes.paragraph("", "Noch keine Seite dieser Art.")]
    ptype, limit = node["key"], node["limit"]
    shown = pages[:limit] if limit else pages
    cards = grid(maker, [card(maker, page, ptype) for page in shown], node["columns"])
    if not limit:
        cards["kb_page_size"] = maker.env.config.kb_listing_page_size
        return [cards]
    more = _overview_link(maker, ptype, len(pages)) if len(pages) > limit else None
    return [cards, more] if more else [cards]


def _overview(config, ptype: str) -> str:
    folder = next(f for f, t in config.kb_page_types.items() if t == ptype)
    return f"{folder}/index"


def _overview_link(maker: Maker, ptype: str, count: int) -> nodes.paragraph | None:
    """The line "Alle 1.000 anzeigen: Praxisbeispiele", linking the overview page of the type."""
    env = maker.env
    overview = _overview(env.config, ptype)
    if overview not in env.found_docs:
        return None
    known = _data(env)["pages"]  # (its front matter as read in this build; broken: not there)
    title = known[overview][1].title if overview in known else overview
    text = f"Alle {format_decimal(count, locale='de')} anzeigen: {title}"
    xref = addnodes.pending_xref(
        "",
        nodes.inline(text, text),
        refdomain="std",
        reftype="doc",
        reftarget=f"/{overview}",
        refdoc=maker.docname,
        refexplicit=True,
        refwarn=True,
    )
    para = nodes.paragraph("", "", xref, classes=["kb-listing-mehr"])
    para.source, para.line = maker.get_source_info()
    return para


def _listing_signature(env: BuildEnvironment, kind: str, key: str, limit: int) -> tuple:
    """What a listing shows depends on: the listed pages and their file versions (and the overview's title)."""
    known = _data(env)["pages"]
    shown = tuple((page.docname, known[page.docname][0]) for page in listed(env, kind, key))
    if kind == "type" and limit:
        overview = _overview(env.config, key)
        shown += ((overview, known.get(overview, (None,))[0] if overview in env.found_docs else None),)
    return shown


# The documents this build reads (main process; set before reading, used after it).
_read_now: set[str] = set()


def remember_read(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    _read_now.clear()
    _read_now.update(docnames)


def rewrite_listings(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Pages whose listings would show other cards than they were written with are written again.

    Compared with the previous build: a page of the listed kind came, went or
    changed (its title, facts, summary or tags). Also the listings showing a
    page this build read again unchanged: a problem in its card text is
    reported at the page (kb.cards), so kb.problems reads that page again on
    the next build, and its cards must be written again to report it again.
    They are not read again.
    """
    data = _data(env)
    new = {
        docname: tuple(_listing_signature(env, *listing) for listing in listings)
        for docname, listings in data["listings"].items()
    }
    old = data["written"]
    data["written"] = new

    def shows_read_page(signature: tuple) -> bool:
        return any(name in _read_now for listing in signature for name, _ in listing)

    return sorted(doc for doc, signature in new.items() if old.get(doc) != signature or shows_read_page(signature))


# -- Overviews in pages (HTML) ------------------------------------------------------

# The further pages of a paged overview: case-studies/index-seite-2.html, ...
PAGE_INFIX = "-seite-"


def _card_title(item: nodes.Node) -> str:
    title = next(item.findall(lambda n: isinstance(n, nodes.container) and "sd-card-title" in n["classes"]), None)
    return " ".join(title.astext().split()) if title is not None else ""


def _labels(chunks: list[list[nodes.Node]]) -> list[str]:
    """Each page named by its first and last card, without the words every card title starts with."""
    titles = [_card_title(card) for chunk in chunks for card in chunk]
    common = posixpath.commonprefix([t.split(" ") for t in titles]) if len(titles) > 1 else []
    cut = len(" ".join(common)) + 1 if common else 0

    def short(card: nodes.Node) -> str:
        return _card_title(card)[cut:] or _card_title(card)

    return [short(c[0]) if len(c) == 1 else f"{short(c[0])} bis {short(c[-1])}" for c in chunks]


def _link(builder, name: str, text: str) -> nodes.reference:
    # All pages of an overview are in one folder: the link is the file name.
    return nodes.reference(text, text, internal=True, refuri=posixpath.basename(builder.get_target_uri(name)))


def _pager(builder, names: list[str], labels: list[str], current: int) -> tuple[nodes.Node, nodes.Node]:
    """Above the cards: which page this is, previous and next; below: every page of the overview."""
    top = nodes.paragraph("", "", classes=["kb-seiten"])
    top += nodes.strong("", f"Seite {current + 1} von {len(names)}")
    top += nodes.Text(f" ({labels[current]})")
    if current > 0:
        top += [nodes.Text(" · "), _link(builder, names[current - 1], "← vorige Seite")]
    if current < len(names) - 1:
        top += [nodes.Text(" · "), _link(builder, names[current + 1], "nächste Seite →")]
    bottom = nodes.container(classes=["kb-seiten"])
    bottom += nodes.paragraph("", "Alle Seiten dieser Übersicht:")
    pages = nodes.enumerated_list(enumtype="arabic", prefix="", suffix=".")
    for index, (name, text) in enumerate(zip(names, labels, strict=True)):
        para = nodes.paragraph()
        para += nodes.strong(text, text) if index == current else _link(builder, name, text)
        pages += nodes.list_item("", para)
    bottom += pages
    return top, bottom


def split_pages(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """HTML: an overview with more cards than ``kb_listing_page_size`` becomes several pages.

    The overview page keeps the first cards; ``<overview>-seite-2.html`` and
    so on are the same page with the next cards, written here from the same
    resolved doctree. Every page names all pages by their first and last card,
    so readers can scan the alphabet and reach every card. Other builders (the
    PDF) keep all cards on one page.
    """
    if app.builder.name != "html" or docname not in _data(app.env)["listings"]:
        return  # (only listings are paged; the environment knows which pages have one)
    grids = [n for n in doctree.findall(nodes.container) if n.get("kb_page_size")]
    if not grids:
        return
    grid_node = grids[0]
    size, row = grid_node["kb_page_size"], grid_node[0]
    cards = list(row.children)
    chunks = [cards[i : i + size] for i in range(0, len(cards), size)] or [[]]
    names = [docname] + [f"{docname}{PAGE_INFIX}{k}" for k in range(2, len(chunks) + 1)]
    _remove_stale_pages(app, docname, set(names))
    if len(chunks) == 1:
        return
    labels = _labels(chunks)
    parent = grid_node.parent
    # The further pages first, each written at once; last the overview page itself, which
    # keeps its cards and pager in the doctree for the builder to write as usual.
    for index in [*range(1, len(chunks)), 0]:
        row[:] = chunks[index]
        top, bottom = _pager(app.builder, names, labels, index)
        parent.insert(parent.index(grid_node), top)
        parent.insert(parent.index(grid_node) + 1, bottom)
        if index:
            _write_page(app, docname, doctree, names[index], index + 1, len(chunks))
            parent.remove(top)
            parent.remove(bottom)


def _write_page(app: Sphinx, docname: str, doctree: nodes.document, name: str, number: int, count: int) -> None:
    """Write one further page of an overview, as the HTML builder writes a document."""
    builder = app.builder
    doctree.settings = builder.docsettings
    builder.secnumbers = app.env.toc_secnumbers.get(docname, {})
    builder.fignumbers = app.env.toc_fignumbers.get(docname, {})
    builder.imgpath = relative_uri(builder.get_target_uri(name), "_images")
    builder.dlpath = relative_uri(builder.get_target_uri(name), "_downloads")
    builder.current_docname = docname
    visitor = builder.create_translator(doctree, builder)
    doctree.walkabout(visitor)
    ctx = builder.get_doc_context(docname, "".join(visitor.fragment), "".join(visitor.meta[2:]))
    suffix = f"Seite {number} von {count}"
    ctx["title"] = f"{ctx['title']} – {suffix}"
    meta = dict(ctx.get("meta") or {})
    if isinstance(meta.get("description"), str):
        meta["description"] = f"{meta['description']} ({suffix})"
    ctx["meta"] = meta
    ctx["kb_listing_of"] = docname  # kb.navigation: the sidebar of the overview's folder
    # Written from no source file of its own: no edit link, no git date (sphinx-last-updated-by-git).
    for key in ("sourcename", "page_source_suffix"):
        ctx.pop(key, None)
    builder.handle_page(name, ctx, event_arg=doctree)


def _remove_stale_pages(app: Sphinx, docname: str, names: set[str]) -> None:
    """Further pages an earlier build wrote that this one does not (the overview got shorter)."""
    folder = Path(app.outdir, posixpath.dirname(docname))
    stem = posixpath.basename(docname) + PAGE_INFIX
    for old in folder.glob(f"{stem}*{app.builder.out_suffix}"):
        name = posixpath.join(posixpath.dirname(docname), old.name.removesuffix(app.builder.out_suffix))
        if name not in names and old.name.removesuffix(app.builder.out_suffix)[len(stem) :].isdigit():
            old.unlink()


def _cell(value: Any) -> str:
    value = filled(value) if isinstance(value, str) else value
    return " ".join(str(value).split()) if value not in (None, "") else NOT_STATED


def _people(entries: Any) -> str:
    if not isinstance(entries, list) or not entries:
        return NOT_STATED
    people = [", ".join(v for k in ("name", "role") if (v := filled(p.get(k)))) for p in entries if isinstance(p, dict)]
    return "; ".join(p for p in people if p) or NOT_STATED


def steckbrief_rows(data: dict[str, Any], ptype: str | None) -> list[tuple[str, str]]:
    """The key-facts rows of a page, from its front matter."""
    if ptype == "case-study":
        place = ", ".join(v for k in ("location", "region") if (v := filled(data.get(k))))
        rows = [
            ("Unternehmen", data.get("company")),
            ("Branche", data.get("sector")),
            ("Standort", place),
            ("Größe", data.get("size")),
            ("Personen", _people(data.get("people"))),
            ("Beratung und Partner", _people(data.get("advisers"))),
        ]
        if filled(data.get("session")) and filled(data.get("event")):
            rows.append(("Vorgestellt", f"{{ref}}`{data['session']}` auf der {{ref}}`{data.get('event')}`"))
        return [(label, _cell(value)) for label, value in rows]
    if ptype == "event":
        date = str(data.get("date", ""))
        rows = [
            ("Datum", german_date(date) if is_date(date) else date),
            ("Ort", ", ".join(str(data[k]) for k in ("place", "city") if data.get(k))),
            ("Motto", f"„{data['motto']}“" if data.get("motto") else ""),
            ("Format", FORMATS.get(str(data.get("format")), data.get("format"))),
            ("Teilnehmende", data.get("attendance")),
            ("Veranstaltung der", data.get("organiser")),  # whose event, as the source names it
        ]
        return [(label, _cell(value)) for label, value in rows]
    return []


# A cell boundary in a Markdown table row: a "|" not escaped with a backslash.
CELL_BORDER = re.compile(r"(?<!\\)\|")


def table_row_cells(line: str) -> list[str]:
    """The cells of a Markdown table row ``| a | b |``, as markdown-it splits them."""
    inner = line.strip().removeprefix("|")
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    return [cell.strip().replace("\\|", "|") for cell in CELL_BORDER.split(inner)]


class SteckbriefDirective(SphinxDirective):
    """``:::{kb-steckbrief} Titel`` – the page's key facts as a card, from its front matter.

    Extra rows that are not metadata go into the directive's content as
    Markdown table rows (``| Ausgangslage | ... |``); they follow the generated ones.
    The card is built as the nodes sphinx-design's ``card`` directive and MyST's
    table make (kb.cards does the same for listings), not written as MyST and
    parsed again; each cell's text goes through MyST's inline parser.
    """

    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True

    def run(self) -> list[nodes.Node]:
        docname = self.env.current_document.docname
        ptype = page_type(self.config, docname)
        page = doc_page(self.env, docname)
        if page is None:
            return []  # reported by check_page
        rows = steckbrief_rows(page.data, ptype)
        if not rows:
            raise self.error(f"kb-steckbrief: pages of this folder have no key facts (type {ptype!r})")
        extra = [line for line in self.content if line.strip()]
        bad = [line for line in extra if not line.lstrip().startswith("|")]
        if bad:
            raise self.error(
                f"kb-steckbrief: the content may only hold table rows like '| Merkmal | Angabe |', not {bad[0]!r}"
            )
        for line in extra:
            cells = table_row_cells(line)
            if len(cells) != 2:
                raise self.error(
                    f"kb-steckbrief: a row needs exactly two cells like '| Merkmal | Angabe |', not {line.strip()!r}"
                    " (a '|' inside a cell is written '\\|')"
                )
            rows.append((cells[0], cells[1]))
        title = self.arguments[0] if self.arguments else "Auf einen Blick"
        return [self._card(title, rows)]

    def _card(self, title: str, rows: list[tuple[str, str]]) -> nodes.container:
        maker = Maker.in_directive(self)
        box, body = titled_card(maker, title, ["sd-card", "sd-sphinx-override", "sd-mb-3", "sd-shadow-sm"])
        table = nodes.table(classes=["colwidths-auto"])
        tgroup = nodes.tgroup(cols=2)
        tgroup += [nodes.colspec(colwidth=50), nodes.colspec(colwidth=50)]
        thead, tbody = nodes.thead(), nodes.tbody()
        thead += _row(maker, ("Merkmal", "Angabe"))
        tbody += [_row(maker, row) for row in rows]
        tgroup += [thead, tbody]
        table += tgroup
        table.source, table.line = box.source, box.line
        body += table
        return box


def _row(maker: Maker, cells: tuple[str, str]) -> nodes.row:
    """A table row of the key facts, each cell's text through MyST's inline parser."""
    return nodes.row("", *(nodes.entry("", nodes.paragraph(text, "", *inline_markup(maker, text))) for text in cells))


def setup(app: Sphinx) -> dict:
    app.require_sphinx("9.0")
    app.setup_extension("myst_parser")  # the text in cards and key facts goes through its inline parser
    app.setup_extension("sphinx_design")  # the cards are its nodes (grids, cards), rendered by it
    app.add_config_value("kb_page_types", {}, "env", types=[dict])
    # Cards per page of an HTML overview; more cards make more pages (0: one page).
    app.add_config_value("kb_listing_page_size", 30, "env", types=[int])
    # Folder of the <type>.schema.yaml files, relative to conf.py.
    app.add_config_value("kb_schema_dir", "schemas", "env", types=[str])
    app.add_domain(MetadataDomain)
    app.add_directive("kb-listing", ListingDirective)
    app.add_directive("kb-steckbrief", SteckbriefDirective)
    app.connect("builder-inited", reuse_parsed_pages)
    app.connect("doctree-read", check_page)
    app.connect("env-check-consistency", check_labels)
    LISTINGS["type"] = (pages_of_type, render_type_listing)
    app.add_post_transform(FillCards)
    app.connect("builder-inited", remember_smart_quotes)
    app.connect("env-before-read-docs", remember_read)
    app.connect("env-get-updated", rewrite_listings)
    # After the references and the "Erwähnt in" lines are resolved (kb.graph, priority 500).
    app.connect("doctree-resolved", split_pages, priority=900)
    return {"version": "1.0", "env_version": 2, "parallel_read_safe": True, "parallel_write_safe": True}
