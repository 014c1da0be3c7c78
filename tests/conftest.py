"""Shared fixtures: build the site once per test session into a temp dir."""

from __future__ import annotations

import os
import re
import runpy
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from sphinx.util.tags import Tags

from kb import browser as kb_browser
from kb.frontmatter import parse_page, read_text
from kb.testing import (  # noqa: F401 – re-exported for the test modules
    BUILD_INPUTS,
    CONTENT_DIRS,
    PARALLEL,
    ROOT,
    STRICT,
    BuildResult,
    add_example_pages,
    copy_sources,
    digest,
    ran_in_parallel,
    reread,
    rewritten,
    run_sphinx,
    source_pages,
    sphinx_command,
)

# sphinx.testing's fixtures (make_app, ...) for the fast, in-process tier in tests/fast/.
pytest_plugins = ("sphinx.testing.fixtures",)

# Sphinx colours its output when CI=true; the tests read that output, so every
# build they start (directly or through make) writes plain text.
os.environ["NO_COLOR"] = "1"


def front_matter(docname: str) -> dict:
    """A page's front matter (dates as text)."""
    path = ROOT / f"{docname}.md"
    text = read_text(path)
    assert text.startswith("---\n"), f"{docname}.md has no front matter"
    return parse_page(text, path, docname).data


def site_config() -> dict:
    """conf.py's settings as Sphinx reads them (no -t tags)."""
    return runpy.run_path(str(ROOT / "conf.py"), init_globals={"tags": Tags()})


# Content pages carry the article's substance; overviews (index pages) only navigate.
# Derived from the front matter, so pages added later are covered too.
CONTENT_TYPES = ("event", "case-study", "topic")
CONTENT_PAGES = [d for d in source_pages() if d != "index" and front_matter(d).get("type") in CONTENT_TYPES]


def resolve(docname: str, href: str) -> tuple[str, str] | None:
    """Map a relative href on `docname` to (target docname, fragment); None if external."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    if not parts.path:
        return docname, parts.fragment
    segments = PurePosixPath(docname).parent.parts + PurePosixPath(parts.path).parts
    resolved: list[str] = []
    for seg in segments:
        if seg == "..":
            resolved.pop()
        elif seg != ".":
            resolved.append(seg)
    target = "/".join(resolved)
    return target.removesuffix(".html"), parts.fragment


# What a crash of the build looks like; an author's mistake must never produce one.
CRASHES = ("Traceback", "Extension error", "Configuration error", "Encoding error", "Exception occurred")


def reported(output: str, path: str, line: int, message: str) -> bool:
    """Whether a build's output has a warning at path:line whose text matches message."""
    return re.search(re.escape(f"{path}:{line}:") + r" WARNING: .*" + message, output) is not None


def words(text: str) -> list[str]:
    """The words of a text, lower case (hyphenated compounds stay one word)."""
    return re.findall(r"[\w-]+", text.casefold())


def runs_of_six(*texts: list[str]) -> set[tuple[str, ...]]:
    """Every run of six words in a row in the given word lists."""
    return {tuple(ws[i : i + 6]) for ws in texts for i in range(len(ws) - 5)}


def copied(own: list[str], runs: set[tuple[str, ...]]) -> list[list[str]]:
    """The runs of six words of own that stand in runs (text copied word for word)."""
    return [own[i : i + 6] for i in range(len(own) - 5) if tuple(own[i : i + 6]) in runs]


def inside(node, predicate) -> bool:
    """True if node or one of its ancestors satisfies predicate(tag)."""
    tag = node if getattr(node, "name", None) else node.parent
    while tag is not None and tag.name != "[document]":
        if predicate(tag):
            return True
        tag = tag.parent
    return False


class Site:
    """The built HTML site, with parsed pages cached."""

    def __init__(self, result: BuildResult):
        self.result = result
        self.root = result.outdir
        self._cache: dict[str, BeautifulSoup] = {}

    def path(self, docname: str) -> Path:
        return self.root / f"{docname}.html"

    def soup(self, docname: str) -> BeautifulSoup:
        if docname not in self._cache:
            html = self.path(docname).read_text(encoding="utf-8")
            self._cache[docname] = BeautifulSoup(html, "html.parser")
        return self._cache[docname]

    def main(self, docname: str):
        """The article body of a page, without theme navigation."""
        main = self.soup(docname).select_one("article[role=main]") or self.soup(docname).select_one("article")
        assert main is not None, f"{docname}: no <article> in the page"
        return main

    def text(self, docname: str) -> str:
        return " ".join(self.main(docname).get_text(" ").split())


@pytest.fixture(scope="session")
def build(tmp_path_factory) -> BuildResult:
    outdir = tmp_path_factory.mktemp("html")
    return run_sphinx(ROOT, outdir)


@pytest.fixture(scope="session")
def site(build) -> Site:
    assert build.returncode == 0, build.output
    return Site(build)


# -- Readers (issue 5): the built site in a real browser ---------------------
# One chromium and one local server per test session; the page audits run
# once and the tests assert on their results page by page.

# Every HTML page the build writes: the Markdown pages plus Sphinx's and the
# extensions' own (search, index, 404). test_browser_pages_are_all_pages
# checks this list against the build output, so no page is left out.
BUILT_PAGES = [f"{d}.html" for d in source_pages()] + ["genindex.html", "search.html", "404.html"]


@pytest.fixture(scope="session")
def base_url(site):
    with kb_browser.serve(site.root) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    with kb_browser.chromium() as chromium:
        yield chromium


@pytest.fixture(scope="session")
def page_loads(browser, base_url) -> dict[str, kb_browser.Load]:
    """Each page loaded once with an empty cache: requests, bytes, errors."""
    return {page: kb_browser.measure_load(browser, base_url, page) for page in BUILT_PAGES}


@pytest.fixture(scope="session")
def page_views(browser, base_url) -> dict:
    """axe and layout of each page, light and dark, desktop and phone."""
    return kb_browser.audit_views(browser, base_url, BUILT_PAGES)


# -- PDF and print (tests/test_pdf.py, tests/test_print.py) -------------------


def require_tools(*tools: str) -> None:
    """Fail (never skip) with the install hint when a system tool is missing."""
    missing = [tool for tool in tools if shutil.which(tool) is None]
    assert not missing, (
        f"missing system tools {missing}: `make test` installs the Makefile's DEBIAN_PACKAGES "
        "with apt-get (as root) or prints the exact command"
    )


@dataclass
class PdfBuild:
    returncode: int
    output: str
    builddir: Path  # what `make pdf BUILDDIR=...` filled: pdf/, doctrees-pdf/

    @property
    def pdfdir(self) -> Path:
        return self.builddir / "pdf"

    @property
    def pdf(self) -> Path:
        return self.pdfdir / "wissensbasis-zukunftszentren.pdf"

    @property
    def document(self) -> Path:
        """The print document WeasyPrint set."""
        return self.pdfdir / "index.html"


@pytest.fixture(scope="session")
def pdf_build(tmp_path_factory) -> PdfBuild:
    """`make pdf` once per session, into a temp dir: the same strict flags as by hand."""
    require_tools("make")
    builddir = tmp_path_factory.mktemp("pdf")
    # The repository's Makefile, the site at ROOT (a copy under KB_ROOT has no Makefile).
    proc = subprocess.run(
        ["make", "--no-print-directory", "pdf", f"BUILDDIR={builddir}", f"SOURCEDIR={ROOT}"],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    return PdfBuild(proc.returncode, proc.stdout + proc.stderr, builddir)
