"""Handouts: every case study and topic page as its own A4 PDF, and an event's case studies as a set.

``make pdf`` writes them after the book (builder ``pdf``, kb.pdf; same process) into
``<outdir>/handouts/<docname>.pdf`` and, per event with case studies,
``<outdir>/handouts/<event docname>-praxisbeispiele.pdf``. A handout is the page as
the book prints it (same stylesheet, same structure fixes, same checks), with a head
naming the knowledge base, the page's address and its "Stand" (the last commit to
its file), and the source credit at its foot. Links that lead out of the handout
lead to the web site; "Erwähnt in" lines are not there, as in the book (kb.pdf_references).
The HTML side (kb.print) links each one as "Als PDF (… KiB)".
"""

from __future__ import annotations

import html
import time
from pathlib import Path

from docutils import nodes
from sphinx.util import logging

from kb.german import date as german_date
from kb.pdf_document import STYLESHEET, last_change
from kb.pdf_references import target_of

logger = logging.getLogger(__name__)

HANDOUT_TYPES = ("case-study", "topic")
FOLDER = "handouts"
SET_SUFFIX = "-praxisbeispiele"


def _page_type(config, docname: str) -> str | None:
    folder, _, name = docname.partition("/")
    if not name or name == "index":
        return None
    return config.kb_page_types.get(folder)


def handout_docs(env, config) -> list[str]:
    """The pages that get a handout: case studies and topic pages."""
    return sorted(d for d in env.found_docs if _page_type(config, d) in HANDOUT_TYPES)


def event_sets(env, config) -> dict[str, list[str]]:
    """Event docname -> its case studies (front matter ``event``), for events that have any."""
    events = {d.rpartition("/")[2]: d for d in env.found_docs if _page_type(config, d) == "event"}
    sets: dict[str, list[str]] = {}
    pages = env.domains["kbmeta"].data["pages"]
    for docname in handout_docs(env, config):
        if _page_type(config, docname) != "case-study" or docname not in pages:
            continue
        event = str(pages[docname][1].data.get("event", ""))
        if event in events:
            sets.setdefault(events[event], []).append(docname)
    return sets


def page_url(config, docname: str) -> str:
    """The page's address on the web site; its path in the site when the address is not known."""
    path = docname + (config.html_file_suffix or ".html")
    base = config.html_baseurl
    return path if not base or "example.invalid" in base else base + path


def _url_of(config, docname: str, anchor: str) -> str:
    url = page_url(config, docname)
    return url + (f"#{anchor}" if anchor and not anchor.startswith("document-") else "")


def _handout_tree(builder, docname: str) -> nodes.Element | None:
    """A copy of the page as the book has it, its links made fit for a handout."""
    book = builder.book
    start = next((n for n in book.tree.findall(_is_start(docname))), None)
    if start is None:
        return None
    page = start.deepcopy()
    inside = {i for n in page.findall(nodes.Element) for i in n.get("ids", [])} | {f"document-{docname}"}
    # Card grids that lead elsewhere ("Siehe auch") are the web's navigation; key facts stay.
    for grid in list(page.findall(lambda n: _has_class(n, "sd-container-fluid"))):
        if not any(_has_class(n, "kb-key-facts") for n in grid.findall(nodes.Element)):
            grid.parent.remove(grid)
    for section in list(page.findall(nodes.section)):
        if all(isinstance(c, (nodes.title, nodes.target)) for c in section.children) and section.parent:
            section.parent.remove(section)
    for ref in page.findall(nodes.reference):
        target = target_of(ref)
        ref["classes"] = [c for c in ref["classes"] if c not in ("kb-xref", "kb-pageref")]
        if not target or target in inside:
            continue
        there = book.references.page_of_id.get(target)
        doc = there["docname"] if there is not None else builder.config.root_doc
        ref.attributes.pop("refid", None)
        ref["refuri"] = _url_of(builder.config, doc, target)
        ref["internal"] = False
    return page


def _has_class(node: nodes.Node, name: str) -> bool:
    return isinstance(node, nodes.Element) and name in node.get("classes", [])


def _is_start(docname: str):
    from sphinx import addnodes

    return lambda n: isinstance(n, addnodes.start_of_file) and n["docname"] == docname


def _credit(builder) -> str:
    credit = builder.book.credit
    if credit is None:
        return ""
    fragment = builder.render_partial(credit)["fragment"]
    return fragment.replace("Diese Wissensbasis", "Dieses Handout")


def handout_document(builder, title: str, docnames: list[str], address: str) -> str | None:
    """The print document of one handout (one or more pages, each starting on a new sheet)."""
    config = builder.config
    parts = []
    for docname in docnames:
        tree = _handout_tree(builder, docname)
        if tree is None:
            return None
        parts.append(f'<div class="kb-handout-page">{builder.render_partial(tree)["fragment"]}</div>')
    files = [str(Path(builder.env.doc2path(d)).relative_to(builder.confdir)) for d in docnames]
    changed = last_change(Path(builder.confdir), files)
    stand = f" · Stand: {html.escape(german_date(changed))}" if changed else ""
    e = html.escape
    # A set names itself in the head line; a single page's title is its first heading.
    set_title = f" · {e(title)}" if len(docnames) > 1 else ""
    return f"""<!DOCTYPE html>
<html lang="de-DE">
<head>
<meta charset="utf-8">
<title>{e(title)}</title>
<meta name="author" content="{e(config.author)}">
<meta name="description" content="{e(title)} – {e(config.project)}, {e(address)}">
<link rel="stylesheet" href="_static/kb.css">
<link rel="stylesheet" href="_static/{STYLESHEET}">
</head>
<body class="kb-print-document kb-handout">
<header class="kb-handout-head">
<p>{e(config.project)}{set_title}{stand} · <a href="{e(address)}">{e(address)}</a></p>
</header>
<main class="kb-body">
{"".join(parts)}
</main>
<footer class="kb-handout-credit">
{_credit(builder)}
</footer>
</body>
</html>
"""


def handout_sources(builder) -> list[tuple[Path, str]]:
    """(PDF to write, its print document) of every handout and every event's set."""
    outdir = Path(builder.outdir) / FOLDER
    jobs: list[tuple[str, str, list[str], str]] = []
    env, config = builder.env, builder.config
    for docname in handout_docs(env, config):
        title = env.titles[docname].astext() if docname in env.titles else docname
        jobs.append((docname, title, [docname], page_url(config, docname)))
    for event, docnames in sorted(event_sets(env, config).items()):
        title = f"Praxisbeispiele: {env.titles[event].astext() if event in env.titles else event}"
        jobs.append((event + SET_SUFFIX, title, docnames, page_url(config, event)))
    sources = []
    for name, title, docnames, address in jobs:
        document = handout_document(builder, title, docnames, address)
        if document is not None:
            sources.append((outdir / f"{name}.pdf", document))
    return sources


def write_handouts(builder, sources: list[tuple[Path, str]]) -> None:
    """Set the handouts after the book, in the same process (one layout in memory at a time).

    Their time is logged on its own line ("PDF handouts: ..."), the book's on its own.
    """
    from kb.pdf_weasyprint import PDF_VARIANT, finish, set_document, warn

    # Relative to the book's folder: its _static and _images serve the handouts too.
    base_url = Path(builder.outdir).as_uri() + "/"
    started = time.perf_counter()
    for target, document in sources:
        target.parent.mkdir(parents=True, exist_ok=True)
        document, rendered, messages, _laid_out = set_document(document, base_url, attempts=2)
        target.with_suffix(".html").write_text(document, encoding="utf-8")
        rendered.write_pdf(target, pdf_variant=PDF_VARIANT, custom_metadata=True, finisher=finish)
        del rendered
        warn(messages, target.with_suffix(".html"))
    logger.info("PDF handouts: %d in %.1f s (after the book)", len(sources), time.perf_counter() - started)
