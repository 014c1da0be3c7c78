"""Shared fixtures: build the site once per test session into a temp dir."""

from __future__ import annotations

import atexit
import os
import re
import runpy
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from sphinx.util.tags import Tags
from support import browser as kb_browser
from support.build import (  # noqa: F401 – re-exported for the test modules
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
    sphinx_command,
)
from support.build import source_pages as _source_pages
from support.xdist_groups import group_names

from kb.frontmatter import parse_page, read_text

# sphinx.testing's fixtures (make_app, ...) for the fast, in-process tier in tests/fast/.
pytest_plugins = ("sphinx.testing.fixtures", "support.xdist_groups")

# Sphinx colours its output when CI=true; the tests read that output, so every
# build they start (directly or through make) writes plain text.
os.environ["NO_COLOR"] = "1"

# The copy of the site with a page of each kind added (see "The two sites" below), made
# when the tests are collected: the module-level lists of pages include its pages.
_EXAMPLES_ROOT = Path(tempfile.mkdtemp(prefix="kb-examples-"))
atexit.register(shutil.rmtree, _EXAMPLES_ROOT, ignore_errors=True)
EXAMPLES = add_example_pages(copy_sources(_EXAMPLES_ROOT))
ROOTS = {"real": ROOT, "examples": _EXAMPLES_ROOT}
_REAL_PAGES = _source_pages(ROOT)
# What only the examples site has: its new pages and entries (a case naming one runs there only).
EXAMPLE_ONLY_PAGES = [d for d in _source_pages(_EXAMPLES_ROOT) if d not in _REAL_PAGES]
EXAMPLE_ONLY = sorted({*EXAMPLE_ONLY_PAGES, EXAMPLES["actor"], EXAMPLES["term"]})


def source_pages(root: Path = ROOT) -> list[str]:
    """Docnames of the pages under root (the real site)."""
    return _source_pages(root)


# The pages of the real and the examples site, for the site-level modules (SITE_MODULES).
ALL_PAGES = _REAL_PAGES + EXAMPLE_ONLY_PAGES


def front_matter(docname: str) -> dict:
    """A page's front matter (dates as text), from the real site or, for its pages, the examples site."""
    path = ROOT / f"{docname}.md"
    if not path.exists():
        path = _EXAMPLES_ROOT / f"{docname}.md"
    text = read_text(path)
    assert text.startswith("---\n"), f"{docname}.md has no front matter"
    return parse_page(text, path, docname).data


def page_source(docname: str, root: Path | None = None) -> str:
    """A page's Markdown source: from root, or from the real site or, for its pages, the examples site."""
    if root is None:
        root = ROOT if (ROOT / f"{docname}.md").exists() else _EXAMPLES_ROOT
    return read_text(root / f"{docname}.md")


def site_config() -> dict:
    """conf.py's settings as Sphinx reads them (no -t tags)."""
    return runpy.run_path(str(ROOT / "conf.py"), init_globals={"tags": Tags()})


# Content pages carry the article's substance; overviews (index pages) only navigate.
# Derived from the front matter, so pages added later are covered too.
CONTENT_TYPES = ("event", "case-study", "topic")
ALL_CONTENT_PAGES = [d for d in ALL_PAGES if d != "index" and front_matter(d).get("type") in CONTENT_TYPES]
CONTENT_PAGES = [d for d in ALL_CONTENT_PAGES if d in _REAL_PAGES]


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

    def __init__(self, result: BuildResult, source_root: Path = ROOT):
        self.result = result
        self.root = result.outdir
        self.source_root = source_root  # the site's sources (the real site or the examples copy)
        self._cache: dict[str, BeautifulSoup] = {}

    def pages(self) -> list[str]:
        """The docnames of this site's Markdown pages."""
        return _source_pages(self.source_root)

    def only(self, values: list) -> list:
        """The values (docnames, file names) that exist on this site."""
        return on_site("real" if self.source_root == ROOT else "examples", values)

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


# -- The two sites every session builds once -----------------------------------
# "real": the repository's site. "examples": a copy with one case study, event, topic
# page, tag, actor and glossary term added the documented way (add_example_pages), so
# the tests outlive today's content. The site-level modules (SITE_MODULES) run every
# test that uses `site` or `build` on both; the browser, validator, PDF and publishing
# tests use the real site. Module-level lists (source_pages(), CONTENT_PAGES, BUILT_PAGES)
# hold the pages of both; a case naming a page only the examples have runs on that site only.

SITE_MODULES = {
    "test_build",
    "test_content",
    "test_discovery",
    "test_glossary",
    "test_graph",
    "test_jsonld",
    "test_links",
    "test_meta",
    "test_metadata",
    "test_sources",
    "test_open_data",
}
VARIANTS = ("real", "examples")


def pytest_generate_tests(metafunc):
    if "variant" in metafunc.fixturenames and metafunc.module.__name__ in SITE_MODULES:
        metafunc.parametrize("variant", VARIANTS, indirect=True)


def example_only(value) -> bool:
    """Whether a value (a docname, a file name, a case's parameters) names what only the examples site has."""
    return any(name in str(value) for name in EXAMPLE_ONLY)


def on_site(variant: str, values: list) -> list:
    """The values that exist on the given site (all of them on the examples site)."""
    return list(values) if variant == "examples" else [v for v in values if not example_only(v)]


def pytest_collection_modifyitems(config, items):
    """Cases that name a page or entry only the examples site has run on that site only."""
    keep, dropped = [], []
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        on_examples = params.get("variant") == "examples"
        if not on_examples and example_only([value for key, value in params.items() if key != "variant"]):
            dropped.append(item)
        else:
            keep.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
    # The browser tests of one page go to one pytest-xdist worker, which audits the page once
    # (page_views, page_loads and the tab walks are made per page when first asked for).
    for item in keep:
        params = getattr(getattr(item, "callspec", None), "params", {})
        page = params.get("page") or params.get("page_path")
        if item.module.__name__ in BROWSER_MODULES and page and not item.get_closest_marker("xdist_group"):
            item.add_marker(pytest.mark.xdist_group(f"page-{page}"))
    # The longest groups first (the validators take minutes in one worker), so that pytest-xdist
    # hands out the rest to the other worker meanwhile instead of waiting for them at the end.
    items[:] = sorted(keep, key=lambda item: FIRST.index(_group(item)) if _group(item) in FIRST else len(FIRST))


# Modules whose tests per page share that page's browser audits.
BROWSER_MODULES = {
    "test_browser_a11y",
    "test_browser_layout",
    "test_browser_privacy",
    "test_browser_reflow",
    "test_browser_landing",
}
# pytest-xdist groups (xdist_group marks) that start first, longest first.
FIRST = ["validators", "publish", "pdf", "corpus"]


def _group(item) -> str | None:
    return "_".join(group_names(item)) or None  # (the name pytest-xdist groups the test by)


_builds: dict[str, BuildResult] = {}
_sites: dict[str, Site] = {}


def site_build(variant: str, tmp_path_factory) -> BuildResult:
    """The strict build of one of the two sites, once per session."""
    if variant not in _builds:
        _builds[variant] = run_sphinx(ROOTS[variant], tmp_path_factory.mktemp(f"html-{variant}"))
    return _builds[variant]


def built_site(variant: str, tmp_path_factory) -> Site:
    if variant not in _sites:
        result = site_build(variant, tmp_path_factory)
        assert result.returncode == 0, result.output
        _sites[variant] = Site(result, ROOTS[variant])
    return _sites[variant]


@pytest.fixture
def variant(request) -> str:
    """Which site a test checks: "real" unless its module is one of SITE_MODULES (then both)."""
    return getattr(request, "param", "real")


@pytest.fixture
def build(variant, tmp_path_factory) -> BuildResult:
    return site_build(variant, tmp_path_factory)


@pytest.fixture
def site(variant, tmp_path_factory) -> Site:
    return built_site(variant, tmp_path_factory)


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Site:
    """The real site, for session and module fixtures (browser, validators)."""
    return built_site("real", tmp_path_factory)


# -- The broken corpus: every author mistake, built twice per session -------------------
# tests/broken/<folder>/<page>.md is copied into <folder>/ of a copy of the sources, and
# MUTATIONS put mistakes into real pages of that copy (where a mistake in a page the site
# depends on matters: the event page kb.pdf reads for its title page, a case study). All of
# it is built twice (the second time nothing is fixed: Sphinx alone would re-read nothing and
# succeed), under GitHub Actions' variable, so the annotations are in the same logs.
# test_contributor_errors, test_strict_errors and test_errors read these logs.

CORPUS = Path(__file__).parent / "broken"
# (page of the real site, text in it, the text with the mistake)
MUTATIONS = [
    ("case-studies/contall.md", "steht vor dem Problem", "{term}`Fachkraeftemangel`: steht vor dem Problem"),
    (
        "case-studies/contall.md",
        "{ref}`ersten Gesprächsrunde <jahrestagung-2024-gespraechsrunde>`",
        "{ref}`ersten Gesprächsrunde <jahrestagung-2024-gespraech>`",
    ),
    (
        "case-studies/contall.md",
        "Weil die Geschäfte am Telefon",
        "[Tagung](../events/tagung.md) Weil die Geschäfte am Telefon",
    ),
    ("case-studies/contall.md", "description: Praxisbeispiel", "titel: Praxisbeispiel"),
    ("events/jahrestagung-2024.md", "date: 2024-11-19", "date: 2024-11-31"),
]


@dataclass
class CorpusBuilds:
    first: BuildResult
    repeated: BuildResult
    src: Path

    def line_of(self, path: str, needle: str) -> int:
        """The line of the copy's page that holds needle."""
        lines = (self.src / path).read_text(encoding="utf-8").splitlines()
        return next(i for i, line in enumerate(lines, 1) if needle in line)


@pytest.fixture(scope="session")
def corpus_builds(tmp_path_factory) -> CorpusBuilds:
    tmp = tmp_path_factory.mktemp("broken")
    src = copy_sources(tmp / "src")
    for page in CORPUS.rglob("*.md"):
        (src / page.relative_to(CORPUS)).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(page, src / page.relative_to(CORPUS))
    for path, old, new in MUTATIONS:
        text = (src / path).read_text(encoding="utf-8")
        assert old in text, (path, old)
        (src / path).write_text(text.replace(old, new, 1), encoding="utf-8")
    env = {"GITHUB_ACTIONS": "true"}
    first = run_sphinx(src, tmp / "out", env=env)
    return CorpusBuilds(first, run_sphinx(src, tmp / "out", env=env), src)


# -- Readers (issue 5): the built site in a real browser ---------------------
# One chromium and one local server per test session; the page audits run
# once and the tests assert on their results page by page.

# Every HTML page the build of the real site writes: the Markdown pages plus Sphinx's and the
# extensions' own (search, index, 404). test_browser_pages_are_all_pages
# checks this list against the build output, so no page is left out.
SPHINX_PAGES = ["genindex.html", "search.html", "404.html"]
BUILT_PAGES = [f"{d}.html" for d in _REAL_PAGES] + SPHINX_PAGES
# ... and of both sites, for the site-level modules (SITE_MODULES).
ALL_BUILT_PAGES = [f"{d}.html" for d in ALL_PAGES] + SPHINX_PAGES


@pytest.fixture(scope="session")
def base_url(real_site):
    with kb_browser.serve(real_site.root) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    with kb_browser.chromium() as chromium:
        yield chromium


@pytest.fixture(scope="session")
def page_loads(browser, base_url) -> kb_browser.Loads:
    """Each page loaded once with an empty cache: requests, bytes, errors (when a test asks)."""
    return kb_browser.Loads(browser, base_url, BUILT_PAGES)


@pytest.fixture(scope="session")
def page_views(browser, base_url):
    """axe and layout of each page, light and dark, desktop and phone (when a test asks)."""
    views = kb_browser.Views(browser, base_url, BUILT_PAGES)
    yield views
    views.close()


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
