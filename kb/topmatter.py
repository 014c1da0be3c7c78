"""MyST's front matter, read once and by libyaml: a kb.upstream patch ("topmatter").

MyST 5.2 parses each page's YAML front matter twice with PyYAML's pure-Python parser:
once for file-level settings (``read_topmatter`` in ``parse``) and once when it renders
the page (``render_front_matter``). At 1,000 case studies that was 7 % of a build's CPU
(benchmarks/FINDINGS.md, "Build cost after issues 22–26").

* The first reading only looks for the keys ``myst``, ``html_meta`` and ``substitutions``
  (``merge_file_level``); where the front matter names none of them (and has no
  backslash, so no escaped key can spell one), it is skipped: the page's settings are the
  global ones either way, and a malformed front matter is reported when rendered, as before.
* The second reading parses with libyaml (``CSafeLoader``: the same constructor and
  resolvers, a C scanner); a text it rejects is parsed again by ``yaml.safe_load``, so
  MyST's messages stay PyYAML's.

Installed per build at ``config-inited`` and taken out again when the patch does not apply,
so a build with ``kb_upstream_off = ["topmatter"]`` in the same process runs MyST as it is.
"""

from __future__ import annotations

import types
from typing import Any

import yaml
from myst_parser.mdit_to_docutils import base as myst_base
from myst_parser.parsers import sphinx_ as myst_sphinx
from sphinx.application import Sphinx

from kb.upstream import applies, setup_upstream

# The keys merge_file_level reads from the front matter.
FILE_LEVEL = ("myst", "html_meta", "substitutions")
_FAST_LOADER = getattr(yaml, "CSafeLoader", None)
_ORIGINAL = {"read_topmatter": myst_sphinx.read_topmatter, "yaml": myst_base.yaml}


def read_topmatter(text: Any) -> dict[str, Any] | None:
    """MyST's read_topmatter, skipped where the front matter holds no file-level settings."""
    if isinstance(text, str) and text.startswith("---"):
        # At least what MyST reads (up to a line starting with --- or ...); it may read less.
        head = text[3:].split("\n---", 1)[0].split("\n...", 1)[0]
        if "\\" not in head and not any(name in head for name in FILE_LEVEL):
            return None
    return _ORIGINAL["read_topmatter"](text)


def safe_load(text: str) -> Any:
    """yaml.safe_load by libyaml; what libyaml rejects goes to PyYAML for its message."""
    if _FAST_LOADER is not None:
        try:
            return yaml.load(text, Loader=_FAST_LOADER)  # noqa: S506 – CSafeLoader is the safe loader
        except yaml.YAMLError:
            pass
    return yaml.safe_load(text)


class _Yaml(types.ModuleType):
    """The yaml module as MyST's renderer sees it: safe_load is ours, everything else PyYAML's."""

    safe_load = staticmethod(safe_load)

    def __getattr__(self, name: str) -> Any:
        return getattr(yaml, name)


_SHIM = _Yaml("yaml")


def installed() -> bool:
    return myst_sphinx.read_topmatter is read_topmatter and myst_base.yaml is _SHIM


def install(app: Sphinx, config: object) -> None:
    if applies(app, "topmatter"):
        myst_sphinx.read_topmatter = read_topmatter
        myst_base.yaml = _SHIM
    else:
        myst_sphinx.read_topmatter = _ORIGINAL["read_topmatter"]
        myst_base.yaml = _ORIGINAL["yaml"]


def setup(app: Sphinx) -> dict:
    app.require_sphinx("9.0")
    setup_upstream(app)
    app.connect("config-inited", install)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
