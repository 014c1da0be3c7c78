"""Python's garbage collector tuned for a build: what lives for the whole build is not walked again.

At ``builder-inited`` (the last build's environment is loaded) and ``env-updated`` (every
page is read) everything alive moves to the collector's permanent generation
(``gc.freeze()``), so full collections stop walking the loaded environment again and again
(benchmarks/FINDINGS.md, section 6). Later objects are collected as usual; ``build-finished``
hands everything back (``gc.unfreeze()``), so a process running several builds keeps none.
Read workers (``-j``) fork after the first freeze. A kb.upstream patch ("memory").
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
