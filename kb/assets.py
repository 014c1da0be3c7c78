"""Page weight: every page loads only the CSS and JS it uses.

Readers get each page in at most 12 requests and 150 KiB (issue 5). Sphinx
and sphinx-design put their assets on every page; this extension

* leaves ``pygments.css`` out of pages without highlighted code,
  ``design-tabs.js`` out of pages without a sphinx-design tab set, and the
  sphinx-design CSS (with furo's styles for extensions) out of pages without
  any sphinx-design component (decided per page from its doctree when the
  page is written; search, index and 404 pages have none);
* rewrites ``_static/sphinx-design.min.css`` at the end of an HTML build,
  keeping only the rules whose class selectors occur in the built pages
  (parsed with tinycss2 from sphinx-design's own, unchanged copy, so an
  incremental build that brings in a new component gets its rules back).
  The classes of each built page are kept in ``kb-assets-classes.json``
  beside the doctrees, by file version, so a rebuild scans only the pages it
  wrote (benchmarks/FINDINGS.md, section 5);
* writes our own ``_static/kb.css`` without its comments and runs of white
  space (the source keeps them for its readers; a third of its bytes).

Nothing is stored between pages, so parallel and incremental builds are safe.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import sphinx_design.extension
import tinycss2
from docutils import nodes
from sphinx.application import Sphinx

from kb.frontmatter import version

DESIGN_CSS = "sphinx-design.min.css"
CLASS_IN_SELECTOR = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
CLASS_ATTR = re.compile(rb'class="([^"]*)"')
CLASS_CACHE = "kb-assets-classes.json"


def _classes_and_code(doctree: nodes.document | None) -> tuple[set[str], bool]:
    """The classes a page's doctree uses, and whether it has a code block (one walk)."""
    classes: set[str] = set()
    code = False
    for node in doctree.findall(nodes.Element) if doctree is not None else ():
        classes.update(node.get("classes", ()))
        code = code or isinstance(node, nodes.literal_block)
    return classes, code


def drop_unused_assets(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    unused = set()
    classes, uses_code = _classes_and_code(doctree)
    uses_design = any(cls.startswith("sd-") for cls in classes)
    if not uses_code:
        unused.add("_static/pygments.css")
    if "sd-tab-set" not in classes:
        unused.add("_static/design-tabs.js")
    if not uses_design:
        unused.add(f"_static/{DESIGN_CSS}")
    if not uses_design and not uses_code:
        # furo's styles for extensions: sphinx-design cards and code blocks.
        unused.add("_static/styles/furo-extensions.css")
    for key in ("css_files", "script_files"):
        if key in context:
            context[key] = [a for a in context[key] if getattr(a, "filename", a) not in unused]


def _used_classes(outdir: Path, known: dict[str, list]) -> dict[str, list]:
    """Page -> [file version, its classes]; a page is read again only when its file changed."""
    pages: dict[str, list] = {}
    for page in outdir.rglob("*.html"):
        current = list(version(page)[1:])  # [modification time, size], as JSON keeps it
        name = page.relative_to(outdir).as_posix()
        entry = known.get(name)
        if not entry or entry[0] != current:
            classes = {c for value in CLASS_ATTR.findall(page.read_bytes()) for c in value.decode().split()}
            entry = [current, sorted(classes)]
        pages[name] = entry
    return pages


def _keep(rules: list, used: set[str]) -> list:
    kept = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = tinycss2.serialize(rule.prelude).split(",")
            if any(set(CLASS_IN_SELECTOR.findall(s)) <= used for s in selectors):
                kept.append(rule)
        elif rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports") and rule.content:
            inner = _keep(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True), used)
            if inner:
                prelude = tinycss2.serialize(rule.prelude)
                kept.append(
                    f"@{rule.at_keyword}{prelude}{{{''.join(r if isinstance(r, str) else r.serialize() for r in inner)}}}"
                )
        elif rule.type in ("qualified-rule", "at-rule"):
            kept.append(rule)
    return kept


def _trimmed(source: str, used: set[str]) -> str:
    rules = tinycss2.parse_stylesheet(source, skip_comments=True, skip_whitespace=True)
    return "".join(r if isinstance(r, str) else r.serialize() for r in _keep(rules, used)) + "\n"


def purge_design_css(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir, "_static", DESIGN_CSS)
    if not target.is_file():
        return
    cache_file = Path(app.doctreedir, CLASS_CACHE)
    try:
        cache = json.loads(cache_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        cache = {}
    pages = _used_classes(Path(app.outdir), cache.get("pages", {}))
    used = {c for _, classes in pages.values() for c in classes}
    source = Path(sphinx_design.extension.STATIC_DIR, DESIGN_CSS).read_text(encoding="utf-8")
    key = hashlib.sha256("\n".join([source, *sorted(used)]).encode()).hexdigest()
    # The same classes as last time: the same stylesheet, without parsing it again.
    text = cache["text"] if cache.get("key") == key else _trimmed(source, used)
    if target.read_text(encoding="utf-8") != text:  # (Sphinx may have copied the full file again)
        target.write_text(text, encoding="utf-8")
    cache_file.parent.mkdir(parents=True, exist_ok=True)
    cache_file.write_text(json.dumps({"key": key, "text": text, "pages": pages}), encoding="utf-8")


# Our own stylesheet is written for its readers (a comment on every rule); pages load it without
# comments and runs of white space (a third of its bytes), which keeps every page view within budget.
OWN_CSS = "kb.css"


def _compact(nodes: list) -> list:
    """The token list without comments, each run of white space one space (blocks and functions too)."""
    kept = []
    for node in nodes:
        if node.type == "comment":
            continue
        if node.type == "whitespace":
            node.value = " "
        for attr in ("content", "arguments"):
            if isinstance(getattr(node, attr, None), list):
                setattr(node, attr, _compact(getattr(node, attr)))
        kept.append(node)
    return kept


def compact_own_css(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir, "_static", OWN_CSS)
    if not target.is_file():
        return
    source = target.read_text(encoding="utf-8")
    text = tinycss2.serialize(_compact(tinycss2.parse_component_value_list(source))).strip() + "\n"
    if text != source:
        target.write_text(text, encoding="utf-8")


def setup(app: Sphinx) -> dict:
    app.require_sphinx("9.0")
    app.setup_extension("sphinx_design")  # trims its stylesheet and drops its assets per page
    app.connect("html-page-context", drop_unused_assets)
    app.connect("build-finished", purge_design_css)
    app.connect("build-finished", compact_own_css)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
