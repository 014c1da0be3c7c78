"""The sidebar, computed once per build instead of once per page; short on large sites.

furo puts the whole site tree into every page: Sphinx resolves the complete toctree and furo
parses it again with BeautifulSoup, for each page, quadratic in the number of pages
(benchmarks/FINDINGS.md, sections 1, 5 and 7). Here the full tree goes through furo once per
build with no page current, and each page marks its own entry as Sphinx and furo would, its
links made relative to its folder: byte for byte furo's output (``kb_sidebar_cache = False``
computes it per page, for tests/test_performance.py). This cache is a kb.upstream patch
("navigation"). Above ``kb_sidebar_full_max_pages`` pages the sidebar lists only the top-level
sections, for the reader's page weight (issue 5). The caches are cleared at ``env-updated``,
before writer processes fork, so every build starts from the current toctree.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any

from furo.navigation import get_navigation_tree
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.osutil import relative_uri

from kb.upstream import applies, setup_upstream

# The keyword arguments furo's sidebar passes to ``toctree()``.
FURO_TREE = {"collapse": False, "titles_only": True, "maxdepth": -1, "includehidden": True}
# A document name no page can have: the tree is resolved "from" it, so no entry is current.
NOBODY = "\n"
_TAG = re.compile(r"<(/?)(ul|li|a|input)\b([^>]*)>")
_HREF = re.compile(r'(<a\b[^>]*? href=")([^"]*)(")')
_EXTERNAL = re.compile(r"^(#|/|[a-zA-Z][a-zA-Z0-9+.-]*:)")

# Pages that are no documents but get Sphinx's own toctree(), with nothing marked current.
UNMARKED = ("search", "genindex")

_trees: dict[str, _Tree] = {}
_short: dict[tuple, str] = {}
_short_trees: dict[tuple, str] = {}
_parents: dict[str, str] = {}


class _Tree:
    """furo's sidebar HTML for one output folder, indexed for marking the current page."""

    def __init__(self, html: str):
        self.html = html
        # href -> [(<a> tag span, [(start-tag span, tag name), ...] of the enclosing li/ul)]
        self.links: dict[str, list[tuple[tuple[int, int], list[tuple[tuple[int, int], str]]]]] = {}
        self.checkboxes: dict[int, tuple[int, int]] = {}  # <li> start -> span of its <input>
        stack: list[tuple[tuple[int, int], str]] = []
        for match in _TAG.finditer(html):
            closing, name, attrs = match.groups()
            span = match.span()
            if name in ("ul", "li"):
                if closing:
                    stack.pop()
                else:
                    stack.append((span, name))
            elif name == "a" and not closing and (href := re.search(r'href="([^"]*)"', attrs)):
                self.links.setdefault(href.group(1), []).append((span, list(stack)))
            elif name == "input" and stack and stack[-1][1] == "li":
                self.checkboxes[stack[-1][0][0]] = span

    def marked(self, href: str) -> str:
        """The sidebar with the entries linking to href marked as the current page.

        As Sphinx and furo mark it: ``current`` on the link's list items and lists, the link
        ``href="#"``, the checkboxes of those items checked, ``current-page`` on the innermost item.
        """
        hits = self.links.get(href)
        if not hits:
            return self.html
        edits: dict[int, tuple[int, str]] = {}  # start -> (end, new tag)
        items: set[tuple[int, int]] = set()
        for (a_start, a_end), ancestors in hits:
            tag = self.html[a_start:a_end].replace(f'href="{href}"', 'href="#"', 1)
            edits[a_start] = (a_end, _add_class(tag, "current", first=True))
            for span, name in ancestors:
                if name == "li":
                    items.add(span)
                else:
                    edits[span[0]] = (span[1], _add_class(self.html[span[0] : span[1]], "current"))
        last = max(items, default=None)
        for start, end in items:
            tag = re.sub(r'class="(toctree-l\d+)', r'class="\1 current', self.html[start:end], count=1)
            if (start, end) == last:
                tag = _add_class(tag, "current-page")
            edits[start] = (end, tag)
            if (box := self.checkboxes.get(start)) is not None:
                edits[box[0]] = (box[1], self.html[box[0] : box[1]].replace('" class="', '" checked="" class="', 1))
        parts, pos = [], 0
        for start in sorted(edits):
            end, new = edits[start]
            parts += [self.html[pos:start], new]
            pos = end
        parts.append(self.html[pos:])
        return "".join(parts)


def _add_class(tag: str, cls: str, first: bool = False) -> str:
    """A start tag with one more class (first or last in its class list)."""
    if 'class="' not in tag:
        return tag.replace(">", f' class="{cls}">', 1) if tag.endswith(">") else tag
    if first:
        return tag.replace('class="', f'class="{cls} ', 1)
    return re.sub(r'class="([^"]*)"', lambda m: f'class="{m.group(1)} {cls}"', tag, count=1)


def reset(app: Sphinx, env: BuildEnvironment) -> None:
    """Before writing: forget the sidebars and the toctree of the previous build."""
    _trees.clear()
    _short.clear()
    _short_trees.clear()
    _parents.clear()
    _parents.update({child: parent for parent, kids in env.toctree_includes.items() for child in kids})


def _section(app: Sphinx, pagename: str) -> str | None:
    """The top-level toctree entry whose branch holds the page (or the page itself)."""
    top = set(app.env.toctree_includes.get(app.config.root_doc, ()))
    doc, seen = pagename, set()
    while doc not in top and doc in _parents and doc not in seen:
        seen.add(doc)
        doc = _parents[doc]
    return doc if doc in top else None


def _moved(html: str, base: str) -> str:
    """The top folder's sidebar with its relative links made relative to the page base."""

    def move(match: re.Match) -> str:
        href = match.group(2)
        if _EXTERNAL.match(href):
            return match.group(0)
        target, hash_, anchor = href.partition("#")
        return f"{match.group(1)}{relative_uri(base, target)}{hash_}{anchor}{match.group(3)}"

    return _HREF.sub(move, html)


def full_sidebar(app: Sphinx, pagename: str) -> str:
    """furo's navigation tree for the page, from the tree resolved once per build."""
    folder = posixpath.dirname(pagename)
    if folder not in _trees:
        if "" not in _trees:
            _trees[""] = _Tree(get_navigation_tree(app.builder._get_local_toctree(NOBODY, **FURO_TREE)))
        if folder:
            base = app.builder.get_target_uri(posixpath.join(folder, NOBODY))
            _trees[folder] = _Tree(_moved(_trees[""].html, base))
    # The page's own entry, linked from a page of the same folder.
    return _trees[folder].marked(posixpath.basename(app.builder.get_target_uri(pagename)))


def cached_sidebars() -> int:
    """How many sidebars this process has computed and kept (the cache at work; tests)."""
    return len(_trees) + len(_short_trees)


def use_cached_sidebar(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree) -> None:
    """Before furo computes the sidebar: give it the one computed once.

    On a large site the short sidebar (every page reachable through its overview) depends only
    on the page's folder, its top-level section and whether it is that section's page: one per key.
    """
    toctree = context.get("toctree")
    if toctree is None:
        return
    # The 404 page brings its own toctree() (absolute links): it is computed on its own.
    # The further pages of a paged overview (kb.metadata) are no documents: as on the search
    # and index pages, Sphinx marks nothing in their sidebar, which they share per folder.
    listing_of = context.get("kb_listing_of")
    # Pages written from no document of their own (kb.backlinks_pages' "Erwähnt" lists) mark
    # nothing either: they share their folder's sidebar (computed per page, furo took 20 ms each).
    document = (
        pagename in app.env.all_docs
        or listing_of is not None
        or pagename in UNMARKED
        or context.get("kb_unmarked", False)
    )
    # Outside the furo version it was written for (kb.upstream): computed per page, as furo does.
    cached = app.config.kb_sidebar_cache and document and applies(app, "navigation")
    if not _small(app):
        section = _section(app, listing_of or pagename)
        # A further page of an overview is no document: Sphinx marks nothing on it, so it has its own key.
        where = (posixpath.dirname(pagename), section, pagename == section, listing_of is not None)

        def top_level_toctree(**kwargs: Any) -> str:
            kwargs.update(collapse=True, maxdepth=1)
            if not cached:
                return toctree(**kwargs)
            key = (*where, tuple(sorted(kwargs.items())))
            if key not in _short:
                _short[key] = toctree(**kwargs)
            return _short[key]

        if cached:
            # furo's tree from the short sidebar, made once per key like the sidebar itself.
            if where not in _short_trees:
                _short_trees[where] = get_navigation_tree(top_level_toctree(**FURO_TREE))
            _hand_over(context, _short_trees[where], top_level_toctree)
        else:
            context["toctree"] = top_level_toctree
    elif cached and app.builder.name == "html":
        # (dirhtml and other HTML builders link differently: furo computes those per page.)
        _hand_over(context, full_sidebar(app, pagename), toctree)


def _hand_over(context: dict[str, Any], tree: str, toctree: Any) -> None:
    """furo's own call gets an empty tree, which it returns at once; restore() puts ours in."""
    context["_kb_sidebar"] = (tree, toctree)
    context["toctree"] = lambda **kwargs: "" if kwargs == FURO_TREE else toctree(**kwargs)


def restore(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree) -> None:
    """After furo's handler: our sidebar in its place, the real ``toctree()`` back for templates."""
    if "_kb_sidebar" in context:
        context["furo_navigation_tree"], context["toctree"] = context.pop("_kb_sidebar")


def _small(app: Sphinx) -> bool:
    return len(app.env.found_docs) <= app.config.kb_sidebar_full_max_pages


def decide(app: Sphinx, config: Any) -> None:
    """Once the configuration is read: whether the sidebar is cached (decided in the main process)."""
    applies(app, "navigation")


def setup(app: Sphinx) -> dict:
    app.require_sphinx("9.0")
    app.add_config_value("kb_sidebar_full_max_pages", 300, "html", types=[int])
    # Only for tests/test_performance.py, which compares cached and uncached sidebars.
    app.add_config_value("kb_sidebar_cache", True, "html", types=[bool])
    setup_upstream(app)
    app.connect("config-inited", decide)
    app.connect("env-updated", reset)
    # furo computes its sidebar in its own html-page-context handler (priority 500); the 404
    # page's toctree() is sphinx-notfound-page's (absolute links), set at priority 400, so the
    # short sidebar of a large site wraps that one too (it had the full tree; FINDINGS.md, section 5).
    app.connect("html-page-context", use_cached_sidebar, priority=450)
    app.connect("html-page-context", restore, priority=600)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
