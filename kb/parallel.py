"""``-j`` only where it pays: serial when few pages are read, a writer process per ``-j`` process.

``make html`` runs ``-j auto``, but Sphinx 9 forks readers for any number of pages and merges
every worker's pickled environment, which costs more than it gains for a one-page edit or a
small site: the build runs serially when the pages to read are fewer than
``kb_parallel_min_pages`` or a ``kb_parallel_min_share`` of all pages. A parallel write gets
as many writers as ``-j`` (``kb_parallel_extra_writer``): Sphinx starts one fewer because the
main process is busy, and here it resolves every page itself. Figures: benchmarks/FINDINGS.md,
sections 5 and 7. The output is the same (tests/test_performance.py); the process count is
set back after the build. A reader process sends back only what the pages it read contributed (kb tables by
``DocumentTables.read_in``, Sphinx's per-page tables such as tocs and titles): Sphinx forks each
reader after the chunks before it were merged, so it would send back every page read so far, and
the main process would unpickle it all again per chunk (at 1,000 pages 15 chunks of up to 10 MB). A kb.upstream patch ("parallel").
"""

from __future__ import annotations

import os
from collections import defaultdict

from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from kb.state import DocumentTables
from kb.upstream import applies, setup_upstream

logger = logging.getLogger(__name__)

# The applications whose process count extra_writer raised for the current build (main process only).
_raised: set[int] = set()
# The process that reads serially or forks the readers, and the pages a forked reader read.
_reading = {"main": 0, "read": set()}


def serial_for_few_pages(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Before reading: one process when the pages to read are few, or a small share of the site.

    A cold build of a larger site reads every page and stays parallel.
    """
    few = max(app.config.kb_parallel_min_pages, app.config.kb_parallel_min_share * len(env.found_docs))
    if app.parallel > 1 and len(docnames) < few:
        logger.info("kb.parallel: %d of %d pages to read, building serially", len(docnames), len(env.found_docs))
        app.parallel = 1  # read by Sphinx after this event, for reading and for writing


def remember_main(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Before reading: this process forks the readers (their pid differs)."""
    _reading["main"] = os.getpid()
    _reading["read"] = set()


def note_read(app: Sphinx, docname: str, source: list[str]) -> None:
    if os.getpid() != _reading["main"]:
        _reading["read"].add(docname)


_getstate = BuildEnvironment.__getstate__
# The environment's tables keyed by docname that Sphinx 9's merge_info_from and its collectors'
# merge_other read only for the pages the reader read.
PER_PAGE = (
    "all_docs",
    "included",
    "dependencies",
    "metadata",
    "titles",
    "longtitles",
    "tocs",
    "toc_num_entries",
    "toctree_includes",
)


def _reader_state(env: BuildEnvironment) -> dict:
    """The environment's pickled state; in a forked reader, kb tables only for the pages read there."""
    state = _getstate(env)
    read = _reading["read"]
    if read and os.getpid() != _reading["main"] and env.domains is not None:
        data = dict(state["domaindata"])  # the state's dict is the environment's own
        for domain in env.domains.sorted():
            if isinstance(domain, DocumentTables) and domain.name in data:
                data[domain.name] = domain.read_in(read)
        state["domaindata"] = data
        for name in PER_PAGE:
            table = state.get(name)
            if isinstance(table, dict):
                slim = {d: v for d, v in table.items() if d in read}
                # included and dependencies are defaultdicts: merge_info_from looks up every page read
                state[name] = defaultdict(table.default_factory, slim) if isinstance(table, defaultdict) else slim
    return state


def extra_writer(app: Sphinx, builder: Builder) -> None:
    """Before writing in parallel: as many writer processes as -j, besides the main process.

    Only writing: reading with more processes than -j was not faster (FINDINGS.md, section 7).
    """
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
        BuildEnvironment.__getstate__ = _reader_state  # the reader's pickle (see the module docstring)
        app.connect("env-before-read-docs", remember_main, priority=100)
        app.connect("source-read", note_read, priority=100)
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
