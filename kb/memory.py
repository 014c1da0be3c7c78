"""Python's garbage collector tuned for a build: what lives for the whole build is not walked again.

Adds to Sphinx: at ``builder-inited`` (the environment of the last build is
loaded by then) and at ``env-updated`` (every page is read, its data merged)
all objects alive are moved to the collector's permanent generation
(``gc.freeze()``). The cyclic collector otherwise walks every object of the
loaded environment (all pages' titles, tables, front matter) on each full
collection, again and again while pages are read and written: about a fifth
of a one-page-edit rebuild at 1,000 case studies. Objects made later (the
doctrees being read and written) are collected as usual; at ``build-finished``
everything is handed back to the collector (``gc.unfreeze()``), so a process
that runs several builds (the tests) does not keep them all. Read worker
processes (``-j``) are forked after the first freeze.

Nothing is stored; parallel and incremental builds are unaffected.
"""

from __future__ import annotations

import gc

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from kb.upstream import applies, setup_upstream


def freeze(app: Sphinx, env: BuildEnvironment | None = None) -> None:
    gc.collect(1)  # the young garbage of now is not frozen (a full collection would walk it all)
    gc.freeze()


def unfreeze(app: Sphinx, exception: Exception | None) -> None:
    gc.unfreeze()


def install(app: Sphinx, config: object) -> None:
    """Once the configuration is read: freeze and unfreeze around the build, if the patch applies."""
    if applies(app, "memory"):
        app.connect("builder-inited", freeze)
        app.connect("env-updated", freeze)
        app.connect("build-finished", unfreeze, priority=1000)  # after every other handler


def setup(app: Sphinx) -> dict:
    app.require_sphinx("9.0")
    setup_upstream(app)
    app.connect("config-inited", install)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
