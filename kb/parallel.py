"""``-j`` only where it pays: a build that reads few pages runs serially.

``make html`` runs ``sphinx-build -j auto``. Sphinx 9 then forks reader
processes whatever the number of pages to read, and each sends the whole build
environment back pickled; the main process loads and merges every copy. At
1,000 case studies a one-page edit (the page, the landing page, the overview
and a tag page) took 9.5-10.4 s in parallel and 6.8-7.8 s serially on two
cores (benchmarks/FINDINGS.md).

The same holds for a small site built from scratch: forking the workers and
merging their environments costs more than the second core gains until about
40 pages (real site, 29 pages, two cores: 2.66 s serial, 3.08 s with
``-j auto``; 49 pages: 3.15 s and 2.90 s; benchmarks/FINDINGS.md).

This extension sets the build's process count to 1 when the pages to read are
fewer than ``kb_parallel_min_share`` (default 0.1) of all pages or fewer than
``kb_parallel_min_pages`` (default 40), before Sphinx decides between serial
and parallel reading and writing. A cold build of a larger site reads every
page and stays parallel.

Writing in parallel, Sphinx starts one writer process fewer than ``-j``
("the main process is busy loading doctrees"): on two cores, one writer. Here
the main process resolves every page (post-transforms, ``doctree-resolved``:
cards, backlinks, checks) and is busy for most of the writing phase itself, so
the one writer and the main process left the second core idle part of the
time. With ``kb_parallel_extra_writer`` (default on) a parallel write gets as
many writer processes as ``-j``: at 1,000 case studies on two cores the
writing phase took 19.7 s instead of 26.7 s (benchmarks/FINDINGS.md, section 7).
Reading keeps ``-j`` processes (three readers on two cores were not faster).

Serial and parallel output are the same (tests/test_performance.py), so only
the time changes. Nothing is stored between builds; the process count is set
back when the build ends.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from kb.upstream import applies, setup_upstream

logger = logging.getLogger(__name__)

# The applications whose process count extra_writer raised for the current build (main process only).
_raised: set[int] = set()


def serial_for_few_pages(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Before reading: one process when the pages to read are few, or a small share of the site."""
    few = max(app.config.kb_parallel_min_pages, app.config.kb_parallel_min_share * len(env.found_docs))
    if app.parallel > 1 and len(docnames) < few:
        logger.info("kb.parallel: %d of %d pages to read, building serially", len(docnames), len(env.found_docs))
        app.parallel = 1  # read by Sphinx after this event, for reading and for writing


def extra_writer(app: Sphinx, builder: Builder) -> None:
    """Before writing in parallel: as many writer processes as -j, besides the main process."""
    if builder.parallel_ok and app.config.kb_parallel_extra_writer:
        app.parallel += 1  # Sphinx starts app.parallel - 1 writers
        _raised.add(id(app))


def set_back(app: Sphinx, exception: Exception | None) -> None:
    """After the build: the process count as it was given."""
    if id(app) in _raised:
        _raised.discard(id(app))
        app.parallel -= 1


def install(app: Sphinx, config: object) -> None:
    """Once the configuration is read: the process count adjusted, if the patch applies."""
    if applies(app, "parallel"):
        app.connect("env-before-read-docs", serial_for_few_pages)
        app.connect("write-started", extra_writer)
        app.connect("build-finished", set_back)


def setup(app: Sphinx) -> dict:
    app.require_sphinx("9.0")
    app.add_config_value("kb_parallel_min_share", 0.1, "", types=[float, int])
    app.add_config_value("kb_parallel_min_pages", 40, "", types=[int])
    app.add_config_value("kb_parallel_extra_writer", True, "", types=[bool])
    setup_upstream(app)
    app.connect("config-inited", install)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
