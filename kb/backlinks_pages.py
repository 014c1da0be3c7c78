"""Long "Erwähnt in" lists on pages of their own, so the glossary and the Akteure page stay light.

On the web, an entry shows its first ``kb_backlinks_shown`` mentions and a link
"alle N Erwähnungen" to ``<folder>/erwaehnt-<key>.html``, which lists every mention,
``kb_backlinks_page_size`` per page (``…-seite-2.html`` and so on, as kb.paging
names further pages). At 1,000 case studies a term such as KI is mentioned on
every one of them: listed in full, the glossary weighed about 900 KiB per view
(benchmarks/FINDINGS.md). The PDF keeps the whole list (its register gives pages).
The pages are written while the page holding the entry is written, from its
context (sidebar, footer), as kb.paging writes the further pages of an overview.
Which pages a build should have follows from the environment alone
(``expected_pages``); ``remove_stale`` deletes every other ``erwaehnt-*`` page in
the output before writing, so an entry that got fewer mentions, was removed or
moved with its page leaves nothing behind (as in a clean build). It runs in the
main process (``env-get-updated``), so it is safe with ``-j``.
"""

from __future__ import annotations

import posixpath
from html import escape
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.osutil import relative_uri

from kb.german import slug
from kb.markup import WEB_BUILDERS
from kb.paging import PAGE_INFIX


def bounded(app: Sphinx) -> bool:
    """Whether this builder shows the first mentions only (the web; not the PDF)."""
    return app.builder.name in WEB_BUILDERS


def full_list_name(docname: str, kind: str, key: str) -> str:
    folder = posixpath.dirname(docname)
    return posixpath.join(folder, f"erwaehnt-{slug(kind)}-{slug(key) or 'eintrag'}")


def page_names(app: Sphinx, docname: str, kind: str, key: str, count: int) -> list[str]:
    """The pages that list ``count`` mentions of one entry (none if its line shows them all)."""
    if not bounded(app) or count <= app.config.kb_backlinks_shown:
        return []
    size = max(1, app.config.kb_backlinks_page_size)
    first = full_list_name(docname, kind, key)
    return [first] + [f"{first}{PAGE_INFIX}{k}" for k in range(2, -(-count // size) + 1)]


def expected_pages(app: Sphinx, signatures: dict[str, tuple]) -> set[str]:
    """Every full-list page this build writes, from each page's backlinks (kb.backlinks.updated)."""
    return {
        name
        for docname, entries in signatures.items()
        for kind, key, links in entries
        for name in page_names(app, docname, kind, key, len(links))
    }


def remove_stale(app: Sphinx, signatures: dict[str, tuple]) -> None:
    """Delete the ``erwaehnt-*`` pages an earlier build wrote that this one does not."""
    if not bounded(app):
        return
    outdir, suffix = Path(app.outdir), app.builder.out_suffix
    keep = expected_pages(app, signatures) | set(app.env.found_docs)  # a document of that name stays
    directories = app.builder.name == "dirhtml"  # <folder>/erwaehnt-…/index.html
    for path in outdir.rglob("erwaehnt-*"):
        name = path.relative_to(outdir).as_posix()
        if name.startswith("_"):
            continue  # _static, _sources, _images: not pages
        if directories and (path / "index.html").is_file():
            page, pagename = path / "index.html", name
        elif not directories and path.is_file() and name.endswith(suffix):
            page, pagename = path, name.removesuffix(suffix)
        else:
            continue
        if pagename not in keep:
            page.unlink()
            if directories and not any(path.iterdir()):
                path.rmdir()


def _href(builder, pagename: str, docname: str, anchor: str) -> str:
    uri = relative_uri(builder.get_target_uri(pagename), builder.get_target_uri(docname))
    return f"{uri}#{anchor}" if anchor else uri


def write_full_list(
    app: Sphinx, docname: str, kind: str, key: str, name: str, entry_anchor: str, links: list[tuple[str, str, str]]
) -> str:
    """Write every mention of one entry on its own page(s); return the first page's name."""
    builder = app.builder
    size = max(1, app.config.kb_backlinks_page_size)
    chunks = [links[i : i + size] for i in range(0, len(links), size)]
    names = page_names(app, docname, kind, key, len(links))
    first = names[0]
    for number, (pagename, chunk) in enumerate(zip(names, chunks, strict=True), start=1):
        title = f"Erwähnt: {name}"
        if len(chunks) > 1:
            title += f" – Seite {number} von {len(chunks)}"
        back = _href(builder, pagename, docname, entry_anchor)
        body = [
            f'<section id="erwaehnt"><h1>{escape(title)}</h1>',
            f'<p>Alle {len(links)} Seiten und Abschnitte, die <a href="{escape(back)}">{escape(name)}</a> erwähnen',
            " (nach Seitentitel geordnet).</p>"
            if len(chunks) == 1
            else f"; hier die Einträge {(number - 1) * size + 1} bis {(number - 1) * size + len(chunk)}.</p>",
            '<ul class="kb-erwaehnt-alle">',
        ]
        body += [
            f'<li><a href="{escape(_href(builder, pagename, target, anchor))}">{escape(text)}</a></li>'
            for target, anchor, text in chunk
        ]
        body.append("</ul>")
        if len(chunks) > 1:
            body.append('<nav aria-label="Seiten dieser Liste"><ul class="kb-seiten">')
            for other, (other_name) in enumerate(names, start=1):
                label = f"Seite {other}"
                if other == number:
                    body.append(f'<li><strong aria-current="page">{label}</strong></li>')
                else:
                    href = relative_uri(builder.get_target_uri(pagename), builder.get_target_uri(other_name))
                    body.append(f'<li><a href="{escape(href)}">{label}</a></li>')
            body.append("</ul></nav>")
        body.append("</section>")
        ctx = builder.get_doc_context(docname, "".join(body), "")
        ctx["title"] = escape(title)
        ctx["meta"] = {"description": f"Alle Erwähnungen von {name} in der Wissensbasis ({number} von {len(chunks)})."}
        ctx["toc"] = ""
        ctx["display_toc"] = False
        ctx["kb_unmarked"] = True  # no document: nothing marked in its sidebar (kb.navigation)
        # Written from no source file of its own: no edit link, no git date (sphinx-last-updated-by-git).
        for drop in ("sourcename", "page_source_suffix", "last_updated"):
            ctx.pop(drop, None)
        builder.handle_page(pagename, ctx)
    return first


def shortened(
    app: Sphinx, fromdocname: str, here: str, kind: str, key: str, name: str, anchor: str, links: list
) -> tuple[list, nodes.Node | None]:
    """The mentions to show in the line and, where some are left out, the link to all of them."""
    shown = app.config.kb_backlinks_shown
    if not bounded(app):
        return links, None
    if len(links) <= shown:
        return links, None
    first = write_full_list(app, here, kind, key, name, anchor, links)
    uri = relative_uri(app.builder.get_target_uri(fromdocname), app.builder.get_target_uri(first))
    text = f"alle {len(links)} Erwähnungen"
    return links[:shown], nodes.reference(text, text, internal=True, refuri=uri, classes=["kb-erwaehnt-mehr"])


def setup_backlinks_pages(app: Sphinx) -> None:
    app.add_config_value("kb_backlinks_shown", 8, "html", types=[int])
    app.add_config_value("kb_backlinks_page_size", 200, "html", types=[int])
