"""German reader interface: the browser's translation catalogue and furo's fixed strings.

Sphinx's search page speaks through ``_static/translations.js``, a copy of
Sphinx's own German JavaScript catalogue. That catalogue leaves strings empty
(the result count line) and its ``plural_expr`` returns a boolean, which
``Documentation.ngettext`` uses as an array index: every search with hits
threw a TypeError in ``_finishSearch`` and never showed how many pages it found.

This extension, at the end of each HTML build, rewrites ``translations.js``:
Sphinx's German messages, overridden by the project's own
``locale/<language>/LC_MESSAGES/sphinx.po`` (the same file Sphinx compiles for
the templates), with a ``plural_expr`` that returns the index of the plural
form, keeping only the strings the site's scripts use. Empty translations are dropped, so the English original shows rather
than nothing (``tests/test_german_ui.py`` checks that no string the scripts
use is left in English).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import sphinx
from babel.messages.pofile import read_po
from sphinx.application import Sphinx

GETTEXT_CALL = re.compile(r'(?:\b_|gettext)\(\s*"((?:[^"\\]|\\.)*)"')
JS_CATALOGUE = re.compile(r"Documentation\.addTranslations\((.*)\);\s*$", re.DOTALL)


def catalogue(srcdir: Path, locale_dirs: list[str], language: str) -> dict[str, Any]:
    """Sphinx's JS catalogue for `language`, overridden by our .po files."""
    builtin = Path(sphinx.package_dir, "locale", language, "LC_MESSAGES", "sphinx.js")
    data: dict[str, Any] = {"messages": {}, "plural_expr": "(n != 1)", "locale": language}
    if builtin.is_file():
        data = json.loads(JS_CATALOGUE.search(builtin.read_text(encoding="utf-8")).group(1))
    messages = {k: v for k, v in data["messages"].items() if v and (isinstance(v, str) or all(v))}
    plural_expr = data.get("plural_expr", "(n != 1)")
    for folder in locale_dirs:
        po = srcdir / folder / language / "LC_MESSAGES" / "sphinx.po"
        if not po.is_file():
            continue
        with po.open("rb") as fp:
            cat = read_po(fp, locale=language)
        plural_expr = cat.plural_expr
        for message in cat:
            if not message.id or not message.string or not all(message.string):
                continue
            if isinstance(message.id, tuple):
                messages[message.id[0]] = list(message.string)
            else:
                messages[message.id] = message.string
    # ngettext indexes the plural forms with the result: a boolean would index nothing.
    return {"messages": dict(sorted(messages.items())), "plural_expr": f"Number({plural_expr})", "locale": language}


def used_strings(static: Path) -> set[str]:
    """The msgids the site's scripts pass to _(), Documentation.gettext and ngettext."""
    found = set()
    for script in static.rglob("*.js"):
        if script.name != "translations.js":
            found |= set(GETTEXT_CALL.findall(script.read_text(encoding="utf-8")))
    return {json.loads(f'"{s}"') for s in found}


def write_translations(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html" or not app.config.language:
        return
    target = Path(app.outdir, "_static", "translations.js")
    if not target.is_file():
        return
    data = catalogue(Path(app.srcdir), list(app.config.locale_dirs), app.config.language)
    # Only what the scripts ask for: the file is part of every page's weight.
    used = used_strings(target.parent)
    data["messages"] = {k: v for k, v in data["messages"].items() if k in used}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    target.write_text(f"Documentation.addTranslations({text});\n", encoding="utf-8")


def setup(app: Sphinx) -> dict:
    app.require_sphinx("9.0")
    app.connect("build-finished", write_translations)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
