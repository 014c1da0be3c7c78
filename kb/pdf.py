"""The PDF (``make pdf``): a print document from the HTML side, set by WeasyPrint as tagged PDF/UA-1.

Adds the builder ``pdf``, a single-page HTML builder (``singlehtml``) that
reshapes the assembled document into a book, writes it as ``index.html`` (the
print document: no navigation, no scripts) with the print stylesheet
``_static/kb-print.css`` and sets it with WeasyPrint as ``<outdir>/<kb_pdf_name>``.
Three jobs, each in its own module (``setup_*`` where it registers something):

* ``kb.pdf_book``       – the book: chapters, the tag register, the credit printed once, the register;
* ``kb.pdf_document``   – the print document: title page, imprint ("Stand", legal pages), contents;
* ``kb.pdf_weasyprint`` – the PDF: laid out, page numbers filled in, PDF/UA-1;
* ``kb.pdf_chapters``   – only the chapters that changed laid out again;
* ``kb.pdf_references``, ``kb.pdf_hyphenation``, ``kb.pdf_tags`` – cross-references with pages,
  hyphenation exceptions, the structure tree finished (artifacts, LBody, row headers);
* ``kb.pdf_handouts``   – a handout per case study and topic page, an event's set (after the book).

This module holds the builder that runs them, and the command line:
``python -m kb.pdf --check PACKAGE...`` says in one line what is missing when WeasyPrint
cannot load its system libraries (pango), so ``make pdf`` stops before Sphinx.
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders.singlehtml import SingleFileHTMLBuilder

from kb import pdf_handouts
from kb.pdf_book import Book
from kb.pdf_document import STYLESHEET, print_document, print_rules, setup_document
from kb.pdf_weasyprint import setup_weasyprint, write_pdf


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


def _no_sitemap_process(app: Sphinx) -> None:
    """No sitemap in print: sphinx-sitemap's builder-inited handler is left out for this builder.

    It starts a multiprocessing Manager (a forked copy of Sphinx, 65–77 MiB resident for
    the whole build) for a queue that a PDF never fills; ``make pdf``'s peak memory counts
    it. Written for sphinx-sitemap 2.9 (the handler ``record_builder_type`` and the
    attributes it sets); with another version the handler stays (kb.upstream's rule).
    """
    import queue

    from packaging.specifiers import SpecifierSet

    from kb.upstream import installed

    found = installed("sphinx-sitemap")
    if found is None or not SpecifierSet(">=2.9,<2.10").contains(found):
        return
    for listener in list(app.events.listeners.get("builder-inited", [])):
        handler = listener.handler
        handler = getattr(handler, "__wrapped__", handler)  # kb.safety wraps kb's own handlers only
        if getattr(handler, "__module__", "") == "sphinx_sitemap" and handler.__name__ == "record_builder_type":
            app.disconnect(listener.id)
            app.env.is_directory_builder = False
            app.sitemap_links = queue.Queue()


class PrintBuilder(SingleFileHTMLBuilder):
    """The whole knowledge base as one print document, then as PDF/UA-1 via WeasyPrint."""

    name = "pdf"
    epilog = "The PDF is in %(outdir)s."

    def __init__(self, app: Sphinx, env) -> None:
        super().__init__(app, env)
        self._kb_app = app  # Builder.app is deprecated in Sphinx 9

    def init(self) -> None:
        super().init()
        _no_sitemap_process(self._kb_app)
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
        # The handouts' documents need the book's tree; then it goes (peak memory of make pdf).
        handouts = pdf_handouts.handout_sources(self) if self.config.kb_pdf_handouts else []
        self._free_doctrees()
        write_pdf(self)
        if handouts:
            pdf_handouts.write_handouts(self, handouts)

    def _free_doctrees(self) -> None:
        """Drop the doctrees this build holds in memory before WeasyPrint lays the book out.

        The assembled tree, and Sphinx's caches of read and pickled doctrees (``get_doctree``
        reads them from disk again if a later step asks): their memory goes to the layout.
        """
        self.book.tree = None
        for cache in ("_write_doc_doctree_cache", "_pickled_doctree_cache"):
            getattr(self.env, cache, {}).clear()
        gc.collect()


def setup(app: Sphinx) -> dict:
    app.require_sphinx("9.0")
    app.setup_extension("kb.graph")  # tags and actors for the registers
    app.setup_extension("kb.print")  # print forms of the sphinx-design components
    app.add_builder(PrintBuilder)
    # The handouts after the book; -D kb_pdf_handouts=0 sets the book alone (benchmarks/run.py times both).
    app.add_config_value("kb_pdf_handouts", True, "", types=[bool])
    setup_weasyprint(app)
    setup_document(app)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":
    if sys.argv[1:2] == ["--check"]:
        sys.exit(check_libraries(sys.argv[2:]))
    sys.exit("Aufruf: python -m kb.pdf --check DEBIAN-PAKET...")
