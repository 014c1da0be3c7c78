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
and parallel reading and writing. Serial and parallel output are the same
(tests/test_performance.py), so only the time changes. It stores nothing; a
cold build of a larger site reads every page and stays parallel.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

logger = logging.getLogger(__name__)


def serial_for_few_pages(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Before reading: one process when the pages to read are a small share of the site."""
    few = max(app.config.kb_parallel_min_pages, app.config.kb_parallel_min_share * len(env.found_docs))
    if app.parallel > 1 and len(docnames) < few:
        logger.info("kb.parallel: %d of %d pages to read, building serially", len(docnames), len(env.found_docs))
        app.parallel = 1  # read by Sphinx after this event, for reading and for writing


def setup(app: Sphinx) -> dict:
    app.require_sphinx("9.0")
    app.add_config_value("kb_parallel_min_share", 0.1, "", types=[float, int])
    app.add_config_value("kb_parallel_min_pages", 40, "", types=[int])
    app.connect("env-before-read-docs", serial_for_few_pages)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
