"""No traceback from our own extensions: an exception in a kb handler or directive becomes one warning.

Once every extension is set up, each event handler and directive of a ``kb``
module is wrapped; an exception names the page and asks for a report instead
of stopping the build with a traceback.
"""

from __future__ import annotations

import functools

from docutils.parsers.rst import DirectiveError
from docutils.parsers.rst import directives as rst_directives
from sphinx.application import Sphinx
from sphinx.util import logging

from kb.upstream import applies, setup_upstream

logger = logging.getLogger(__name__)


def _location(app: Sphinx, event: str, args: tuple) -> tuple[str, int] | None:
    if event == "doctree-resolved" and len(args) > 1:
        return str(args[1]), 1
    current = getattr(getattr(app, "env", None), "current_document", None)
    docname = getattr(current, "docname", "")
    return (docname, 1) if docname else None


def _safe_handler(handler, event: str):
    @functools.wraps(handler)
    def wrapper(app, *args):
        try:
            return handler(app, *args)
        except Exception as exc:  # noqa: BLE001 – any bug must become a message, not a traceback
            logger.warning(
                "Interner Fehler in %s (%s: %s): die Seite bitte so melden; "
                "bis dahin die zuletzt geänderte Stelle dieser Seite prüfen",
                handler.__module__,
                type(exc).__name__,
                exc,
                location=_location(app, event, args),
                type="kb",
                subtype="internal",
            )
            return [] if event.startswith("env-get-") else None

    return wrapper


def _safe_directive(cls: type) -> type:
    class Safe(cls):
        def run(self):
            try:
                return super().run()
            except DirectiveError:
                raise
            except Exception as exc:  # noqa: BLE001 – any bug must become a message, not a traceback
                raise self.error(
                    f"Interner Fehler im Block {self.name!r} ({type(exc).__name__}: {exc}): "
                    "Optionen und Inhalt des Blocks prüfen und die Seite melden"
                ) from exc

    Safe.__name__ = Safe.__qualname__ = cls.__name__
    return Safe


# The modules of kb.problems itself: their handlers are what reports problems, and stay unwrapped.
PROBLEM_MODULES = {__name__, "kb.problems", "kb.problem_log", "kb.stale_links", "kb.encoding", "kb.live_notice"}


def _ours(module: str) -> bool:
    return module.startswith("kb.") and module not in PROBLEM_MODULES


def guard(app: Sphinx, config) -> None:
    """Once every extension is set up: wrap the kb handlers and directives (kb.upstream: "safety")."""
    if not applies(app, "safety"):
        return  # Sphinx's own handling: an exception stops the build with a traceback
    for event, listeners in app.events.listeners.items():
        for index, listener in enumerate(listeners):
            module = getattr(listener.handler, "__module__", "") or ""
            if _ours(module) and not hasattr(listener.handler, "__wrapped__"):
                listeners[index] = listener._replace(handler=_safe_handler(listener.handler, event))
    for name, cls in list(rst_directives._directives.items()):
        if isinstance(cls, type) and _ours(cls.__module__):
            app.add_directive(name, _safe_directive(cls), override=True)  # (its Safe class is kb.safety's)


def setup_safety(app: Sphinx) -> None:
    setup_upstream(app)
    app.connect("config-inited", guard, priority=900)
