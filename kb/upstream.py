"""Whether a patch of upstream internals applies: only to the versions it was written for.

A kb module that replaces or reaches into another package's internals (a transform, an
event handler, a private attribute) names its patch in ``PATCHES`` and asks
``applies(app, name)`` once the configuration is read. Outside the versions it was written
for, or when ``kb_upstream_off`` names it, the patch stays out and the upstream package
does what it does by itself. The patches save time and leave the output as it is
(tests/fast/test_upstream.py), so an upgrade never depends on one; only "sitemap" changes
anything, the order of sitemap.xml where pages are not written in name order (``-j``,
paged overviews), and "searchindex" leaves out Sphinx's searchindex.js, which no page loads.
"""

from __future__ import annotations

import weakref
from importlib.metadata import PackageNotFoundError, version

from packaging.specifiers import SpecifierSet
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

# name (the kb module that holds the patch) -> (distribution, specifier it was written for, what it does)
PATCHES: dict[str, tuple[str, str, str]] = {
    "design": (
        "sphinx-design",
        ">=0.8,<0.9",
        "sphinx-design's three HTML post-transforms and its new-tab handler skip pages without their components",
    ),
    "smartquotes": (
        "docutils",
        ">=0.22,<0.23",
        "Sphinx's SmartQuotes transform replaced by a copy of docutils' loop that skips text with nothing to educate",
    ),
    "memory": (
        "sphinx",
        ">=9.0,<9.1",
        "gc.freeze() of what lives for the whole build, at Sphinx's builder-inited and env-updated",
    ),
    "parallel": (
        "sphinx",
        ">=9.0,<9.1",
        "app.parallel set to 1 when few pages are read, raised by one writer process for a parallel write",
    ),
    "navigation": (
        "furo",
        "==2025.12.19",
        "furo's html-page-context handler gets a sidebar computed once per build (furo.navigation)",
    ),
    "safety": (
        "sphinx",
        ">=9.0,<9.1",
        "kb handlers wrapped in app.events.listeners, kb directives in docutils' directive registry",
    ),
    "topmatter": (
        "myst-parser",
        ">=5.2,<5.3",
        "MyST reads a page's front matter once (by libyaml), not twice by PyYAML: read_topmatter skipped "
        "where no file-level setting is named, render_front_matter's yaml.safe_load on CSafeLoader",
    ),
    "searchindex": (
        "sphinx",
        ">=9.0,<9.1",
        "Sphinx's own search index (searchindex.js, fed page by page in the main process) not built: "
        "the search page runs on kb.search_index's index",
    ),
    "sitemap": (
        "sphinx-sitemap",
        ">=2.9,<2.10",
        "sphinx-sitemap's queue app.sitemap_links sorted by page name, so sitemap.xml does not depend on -j",
    ),
}

# Further distributions whose internals a patch relies on, checked after the one in PATCHES.
ALSO_FOR: dict[str, tuple[tuple[str, str], ...]] = {
    "design": (("sphinx", ">=9.0,<9.1"),),  # app.registry.post_transforms, app.events.listeners
    "smartquotes": (("sphinx", ">=9.0,<9.1"),),  # SphinxSmartQuotes, app.registry.transforms
    "navigation": (("sphinx", ">=9.0,<9.1"),),  # StandaloneHTMLBuilder._get_local_toctree
    "safety": (("docutils", ">=0.22,<0.23"),),  # docutils.parsers.rst.directives._directives
}

# The decision per application and patch, made once (and logged once) per build.
_decided: weakref.WeakKeyDictionary[Sphinx, dict[str, bool]] = weakref.WeakKeyDictionary()


def setup_upstream(app: Sphinx) -> None:
    """Register ``kb_upstream_off`` (patch names, or "*"/"all"); each extension with a patch calls this."""
    if "kb_upstream_off" not in app.config:
        # No rebuild: a patch does not change the output, so switching it changes nothing built.
        app.add_config_value("kb_upstream_off", [], "", types=[list, tuple])


def installed(distribution: str) -> str | None:
    """The installed version of a distribution, None if it is not installed."""
    try:
        return version(distribution)
    except PackageNotFoundError:
        return None


def applies(app: Sphinx, name: str) -> bool:
    """Whether the patch applies in this build: the installed versions fit and it is not switched off.

    Ask from ``config-inited`` on, in the main process: the first answer is logged (one
    "kb.upstream: <name> aus" line when the patch stays out) and kept for the build.
    """
    decided = _decided.setdefault(app, {})
    if name not in decided:
        decided[name] = _decide(app, name)
    return decided[name]


def _decide(app: Sphinx, name: str) -> bool:
    distribution = PATCHES[name][0]
    off = set(app.config.kb_upstream_off)
    if off & {name, "*", "all"}:
        logger.info(
            "kb.upstream: %s aus – abgeschaltet mit kb_upstream_off; es gilt das Verhalten von %s", name, distribution
        )
        return False
    for dist, spec in ((distribution, PATCHES[name][1]), *ALSO_FOR.get(name, ())):
        found = installed(dist)
        if found is None or not SpecifierSet(spec).contains(found, prereleases=True):
            logger.info(
                "kb.upstream: %s aus – geschrieben für %s %s, installiert %s; es gilt das Verhalten von %s",
                name,
                dist,
                spec,
                found or "nicht",
                dist,
            )
            return False
    return True
