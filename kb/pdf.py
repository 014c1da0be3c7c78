"""The PDF (``make pdf``): a print document from the HTML side, set by WeasyPrint as tagged PDF/UA-1.

Adds the builder ``pdf``, a single-page HTML builder (``singlehtml``) that

- reshapes the assembled document into a book: the landing page's text becomes
  the chapter "Über diese Wissensbasis", every top-level page a chapter (``<h1>``),
  the glossary's topic pages follow its terms, the tag pages become one compact
  register (tag → pages), and the source credit, printed once on the imprint
  page, leaves every page;
- adds a title page, an imprint page (credit, "Stand" = date of the last commit
  to the pages), a contents list and a register of terms, people and
  organisations (with the pages they are mentioned on);
- writes ``index.html`` (the print document: no navigation, no scripts) with the
  print stylesheet ``_static/kb-print.css`` and sets it with WeasyPrint as
  ``<outdir>/<kb_pdf_name>`` (``pdf/ua-1``: tagged, ``/Lang``, XMP metadata).

Rendering happens twice: the first layout tells on which page each mention of a
term or actor sits, the second prints the register with those page numbers.

``python -m kb.pdf --check PACKAGE...`` says in one line what is missing when WeasyPrint
cannot load its system libraries (pango), so ``make pdf`` stops before Sphinx.
"""

from __future__ import annotations

import html
import logging as logging_std
import re
import subprocess
import sys
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders.singlehtml import SingleFileHTMLBuilder
from sphinx.util import logging

from kb.frontmatter import page_or_none
from kb.german import date as german_date
from kb.german import is_date, sort_key
from kb.graph import page_tags

logger = logging.getLogger(__name__)

STYLESHEET = "kb-print.css"
# Tagged PDF with /Lang, XMP metadata and the PDF/UA identification.
PDF_VARIANT = "pdf/ua-1"


def check_libraries(packages: list[str]) -> int:
    """0 when WeasyPrint can load its system libraries; else print one line and return 1.

    ``packages``: the Debian packages that provide them (the Makefile's PDF_PACKAGES).
    """
    try:
        import weasyprint  # noqa: F401
    except OSError as error:  # cffi's dlopen: a missing shared library
        print(
            f"make pdf: WeasyPrint kann eine Systembibliothek nicht laden ({str(error).splitlines()[0]}); "
            f"installieren mit: apt-get install -y --no-install-recommends {' '.join(packages)}",
            file=sys.stderr,
        )
        return 1
    return 0


# -- Reshaping the assembled document into a book ------------------------------------


def _classes(name: str):
    return lambda n: isinstance(n, nodes.Element) and name in n.get("classes", [])


def _start(tree: nodes.Node, docname: str):
    from sphinx import addnodes

    return next((n for n in tree.findall(addnodes.start_of_file) if n["docname"] == docname), None)


def _child_files(section: nodes.Element) -> list:
    """The toctree-wrapper compounds directly inside a page's section (its sub-pages)."""
    return [c for c in section.children if isinstance(c, nodes.compound) and "toctree-wrapper" in c["classes"]]


def _title(env, docname: str) -> str:
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
        self._register()

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
        from kb.graph import TAG_FOLDER, pages_with_tag, tag_pages

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
        for tag_page in sorted(tagpages, key=lambda d: sort_key(_title(self.env, d))):
            listed = [page.docname for page in pages_with_tag(self.env, tagpages[tag_page])]
            name = nodes.paragraph("", _title(self.env, tag_page))
            cell = nodes.entry("", name)
            cell["ids"] = row_ids.get(tag_page, [])
            pages = nodes.paragraph()
            for index, docname in enumerate(sorted(listed, key=lambda d: sort_key(_title(self.env, d)))):
                if index:
                    pages += nodes.Text("; ")
                pages += nodes.reference(
                    "", _title(self.env, docname), internal=True, refuri=f"#document-{docname}", classes=["kb-pageref"]
                )
            body += nodes.row("", cell, nodes.entry("", pages))
        section += table

    def _register(self) -> None:
        """A register of glossary terms and of the people and organisations (actors), with their pages."""
        from kb.graph import actor_entries

        std = self.env.domains.standard_domain
        groups = {
            "Begriffe": {anchor: name for (kind, name), (_doc, anchor) in _std_terms(std)},
            "Personen und Organisationen": {anchor: name for _doc, anchor, name in actor_entries(self.env)},
        }
        mentions: dict[str, list[str]] = {}
        counter = 0
        for ref in list(self.tree.findall(nodes.reference)):
            anchor = ref.get("refuri", ref.get("refid", "")).rpartition("#")[2]
            if any(anchor in g for g in groups.values()):
                counter += 1
                ref["ids"].append(f"kb-m{counter}")
                mentions.setdefault(anchor, []).append(f"kb-m{counter}")
        register = nodes.section(ids=["register"], classes=["kb-register"])
        register += nodes.title("", "Register")
        register += nodes.paragraph(
            "",
            "Begriffe des Glossars, Personen und Organisationen mit den Seiten, auf denen sie vorkommen; "
            "die fett gesetzte Zahl führt zu ihrer Erklärung.",
        )
        for heading, entries in groups.items():
            group = nodes.section(ids=[f"register-{len(register)}"])
            group += nodes.title("", heading)
            items = nodes.bullet_list(classes=["kb-register-entries"])
            for anchor, name in sorted(entries.items(), key=lambda e: sort_key(e[1])):
                anchors = " ".join([anchor, *mentions.get(anchor, [])])
                item = nodes.paragraph("", "")
                item += nodes.Text(name + " ")
                item += nodes.raw("", f'<span class="kb-pages" data-kb-anchors="{anchors}"></span>', format="html")
                items += nodes.list_item("", item)
            group += items
            register += group
        self.tree += register

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


# -- The builder --------------------------------------------------------------------------


class PrintBuilder(SingleFileHTMLBuilder):
    """The whole knowledge base as one print document, then as PDF/UA-1 via WeasyPrint."""

    name = "pdf"
    epilog = "The PDF is in %(outdir)s."

    def init(self) -> None:
        super().init()
        # `only html` blocks are navigation for the web site: not in print.
        for tag in ("html", "format_html", "singlehtml"):
            if self.tags.has(tag):
                self.tags.remove(tag)
        self.tags.add("print")

    def assemble_doctree(self) -> nodes.document:
        tree = super().assemble_doctree()
        self.book = Book(self, tree)
        self.book.reshape()
        return tree

    def handle_page(self, pagename, addctx, templatename="page.html", outfilename=None, event_arg=None) -> None:
        if pagename != self.config.root_doc:
            return  # no additional pages (search, opensearch) in print
        credit = self.render_partial(self.book.credit)["fragment"] if self.book.credit else ""
        document = print_document(self, addctx["body"], credit)
        (Path(self.outdir) / "index.html").write_text(document, encoding="utf-8")

    def finish(self) -> None:
        self.copy_image_files()
        static = Path(self.outdir) / "_static"
        static.mkdir(exist_ok=True)
        source = Path(self.confdir) / "_static" / STYLESHEET
        (static / STYLESHEET).write_bytes(source.read_bytes())
        site_css = (Path(self.confdir) / "_static" / "kb.css").read_text(encoding="utf-8")
        (static / "kb.css").write_text(print_rules(site_css), encoding="utf-8")
        write_pdf(self)


def print_rules(css: str) -> str:
    """The ``@media print`` rules of the site stylesheet: what browser printing and the PDF share.

    Only those: WeasyPrint does not know the screen media queries around the rest.
    """
    import tinycss2

    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    shared = []
    for rule in rules:
        if (
            rule.type == "at-rule"
            and rule.lower_at_keyword == "media"
            and tinycss2.serialize(rule.prelude).strip() == "print"
        ):
            for inner in tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True):
                # Browser-only selectors (::details-content): the print document has no <details>.
                if "::details-content" not in tinycss2.serialize(inner.prelude):
                    shared.append(tinycss2.serialize([inner]))
    return "/* The @media print rules of the site's kb.css (kb/pdf.py). */\n" + "\n".join(shared)


# -- The print document --------------------------------------------------------------


def last_change(confdir: Path, folders: list[str]) -> str:
    """ISO date of the last commit to the pages; '' outside a git checkout."""
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%cs", "--", *folders],
            cwd=confdir,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""
    return out


def _metadata(builder) -> dict[str, str]:
    config, env = builder.config, builder.env
    confdir = Path(builder.confdir)
    # A broken event page (a tab, not UTF-8) is reported by kb.metadata with its line.
    page = page_or_none(confdir / f"{config.kb_pdf_event}.md", config.kb_pdf_event)
    event = page.data if page is not None else {}
    date = str(event.get("date", ""))
    when = german_date(date) if is_date(date) else date
    # Every page's front matter, as kb.metadata parsed it while reading.
    topics = {t for _version, page in env.domains["kbmeta"].data["pages"].values() for t in page_tags(page.data)}
    folders = [p.rstrip("*/") for p in config.include_patterns]
    changed = last_change(confdir, folders)
    return {
        "title": config.project,
        "author": config.author,
        "event": _title(env, config.kb_pdf_event),
        "place": f"{event.get('city', '')}, {when}",
        "motto": str(event.get("motto", "")),
        "keywords": ", ".join(sorted(topics, key=sort_key)),
        "stand": german_date(changed) if changed else "",
        "modified": changed,
    }


def _legal_pages(builder) -> str:
    """The imprint's links to the website's Impressum, Datenschutz, ... (conf.py kb_footer_pages).

    Only where the public address is known (KB_BASE_URL): the default placeholder
    address would print links that lead nowhere.
    """
    base = builder.config.html_baseurl
    pages = [doc for doc in getattr(builder.config, "kb_footer_pages", []) if doc in builder.env.titles]
    if not pages or "example.invalid" in base:
        return ""
    e = html.escape
    links = ", ".join(
        f'<a href="{e(base + doc + (builder.config.html_file_suffix or ".html"))}">{e(builder.env.titles[doc].astext())}</a>'
        for doc in pages
    )
    return f"<p>Auf der Website: {links}.</p>"


def print_document(builder, body: str, credit: str) -> str:
    meta = _metadata(builder)
    e = html.escape
    description = f"{meta['event']}, {meta['place']}: Tagung, Praxisbeispiele, Glossar"
    contents = "\n".join(
        f'<li class="kb-toc-{level}"><a href="#{e(anchor)}">{e(title)}</a></li>'
        for level, anchor, title in builder.book.contents()
    )
    stand = f"<p>Stand: {e(meta['stand'])}</p>" if meta["stand"] else ""
    online = _legal_pages(builder)
    modified = f'<meta name="dcterms.modified" content="{e(meta["modified"])}">' if meta["modified"] else ""
    return f"""<!DOCTYPE html>
<html lang="de-DE">
<head>
<meta charset="utf-8">
<title>{e(meta["title"])}</title>
<meta name="author" content="{e(meta["author"])}">
<meta name="description" content="{e(description)}">
<meta name="keywords" content="{e(meta["keywords"])}">
{modified}
<link rel="stylesheet" href="_static/kb.css">
<link rel="stylesheet" href="_static/{STYLESHEET}">
</head>
<body class="kb-print-document">
<section class="kb-titlepage">
<h1 class="kb-book-title">{e(meta["title"])}</h1>
<p class="kb-subtitle">{e(meta["event"])}, {e(meta["place"])}</p>
<p class="kb-motto">„{e(meta["motto"])}“</p>
<p class="kb-author">{e(meta["author"])}</p>
</section>
<section class="kb-imprint" aria-label="Impressum">
<p class="kb-imprint-heading"><strong>{e(meta["title"])}</strong></p>
<p>Herausgeber: {e(meta["author"])}</p>
{stand}
{credit}
{online}
<p>Verweise im Text führen in der PDF-Datei per Klick zur genannten Stelle; Seitenzahlen stehen im Inhaltsverzeichnis,
bei Karten und im Register.</p>
</section>
<section class="kb-contents">
<h1 class="kb-contents-title">Inhalt</h1>
<ol>
{contents}
</ol>
</section>
<main class="kb-body">
{body}
</main>
</body>
</html>
"""


# -- WeasyPrint ---------------------------------------------------------------------


PAGES = re.compile(r'<span class="kb-pages" data-kb-anchors="([^"]*)"></span>')


def _fill_register(document: str, anchor_pages: dict[str, int]) -> str:
    """Each register entry's page numbers: its explanation in bold, then every other page once."""

    def pages(match: re.Match) -> str:
        definition, *mentions = match.group(1).split()
        links: dict[int, tuple[str, bool]] = {}
        if definition in anchor_pages:
            links[anchor_pages[definition]] = (definition, True)
        for anchor in mentions:
            page = anchor_pages.get(anchor)
            if page is not None and page not in links:
                links[page] = (anchor, False)
        parts = [
            f'<a href="#{a}"{" class=kb-definition" if bold else ""} title="Seite {p}">{p}</a>'
            for p, (a, bold) in sorted(links.items())
        ]
        return f'<span class="kb-pages">{", ".join(parts)}</span>'

    return PAGES.sub(pages, document)


class _Collect(logging_std.Handler):
    """WeasyPrint's warnings and errors (bad CSS, missing anchors), kept to report as Sphinx warnings."""

    def __init__(self) -> None:
        super().__init__(logging_std.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging_std.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _render(document: str, base_url: str):
    from weasyprint import HTML
    from weasyprint.logger import LOGGER, PROGRESS_LOGGER

    collect = _Collect()
    LOGGER.addHandler(collect)
    propagate, PROGRESS_LOGGER.propagate, LOGGER.propagate = LOGGER.propagate, False, False
    try:
        rendered = HTML(string=document, base_url=base_url).render(pdf_variant=PDF_VARIANT)
    finally:
        LOGGER.removeHandler(collect)
        LOGGER.propagate = PROGRESS_LOGGER.propagate = propagate
    return rendered, collect.messages


def write_pdf(builder) -> None:
    outdir = Path(builder.outdir)
    base_url = outdir.as_uri() + "/"
    source = outdir / "index.html"
    document = source.read_text(encoding="utf-8")
    first, _ = _render(document, base_url)
    anchor_pages = {name: number for number, page in enumerate(first.pages, 1) for name in page.anchors}
    document = _fill_register(document, anchor_pages)
    source.write_text(document, encoding="utf-8")
    final, messages = _render(document, base_url)
    for message in messages:
        logger.warning(
            "Das PDF-Programm WeasyPrint meldet ein Problem in %s: %s (Stylesheet und Anker des Druckdokuments prüfen)",
            source,
            message,
            type="kb",
            subtype="pdf",
        )
    target = outdir / builder.config.kb_pdf_name
    final.write_pdf(target, pdf_variant=PDF_VARIANT, custom_metadata=True, finisher=_finish)
    logger.info("PDF: %s, %d pages", target, len(final.pages))


def _finish(document, pdf) -> None:
    """Every link annotation's /Contents: the link's text (PDF/UA-1 7.18.5), not its anchor name.

    WeasyPrint writes the target ("term-KI"); a screen reader should say "KI". A
    link that shows only a page number carries its description in ``title``.
    """
    import pydyf

    for page in document.pages:
        for _type, _target, _rectangle, box in page.links:
            annotation = getattr(box, "link_annotation", None)
            if annotation is None or box.element is None:
                continue
            text = box.element.get("title") or " ".join("".join(box.element.itertext()).split())
            annotation["Contents"] = pydyf.String(text or _target)
            annotation["F"] = 4  # Print: printed like shown on screen
    # Header cells head their column (every table's <th> row is its <thead>).
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Dictionary) and obj.get("S") == "/TH" and isinstance(obj.get("A"), pydyf.Dictionary):
            obj["A"]["Scope"] = "/Column"


def setup(app: Sphinx) -> dict:
    app.require_sphinx("9.0")
    app.setup_extension("kb.graph")  # tags and actors for the registers
    app.setup_extension("kb.print")  # print forms of the sphinx-design components
    app.add_builder(PrintBuilder)
    # The PDF's file name (in the builder's output directory); the HTML side links it.
    app.add_config_value("kb_pdf_name", "wissensbasis-zukunftszentren.pdf", "env", types=[str])
    # The event page whose front matter gives the title page its subtitle and motto.
    app.add_config_value("kb_pdf_event", "events/jahrestagung-2024", "env", types=[str])
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":
    if sys.argv[1:2] == ["--check"]:
        sys.exit(check_libraries(sys.argv[2:]))
    sys.exit("Aufruf: python -m kb.pdf --check DEBIAN-PAKET...")
