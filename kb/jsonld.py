"""schema.org JSON-LD from page front matter.

Adds a ``<script type="application/ld+json">`` to the ``<head>`` of

* every page whose front matter has ``type: event``: a schema.org ``Event``
  (name = page title, ``date``, ``place`` and ``city``, ``format`` and
  ``organiser``);
* every page with ``type: case-study``: an ``Organization`` (``company``,
  ``location``, ``region``, ``summary``).

The front matter has been checked against the page type's schema by
kb.metadata, which reports a missing or malformed field with its line. This
extension repeats none of those checks: a property whose value is empty or
cannot be mapped (a contributor leaves unknowns empty, as CONTRIBUTING.md
says) is simply left out of the JSON-LD. Values are read with
kb.frontmatter when the page is written (``env.metadata`` would turn an
empty field into the text "null"); nothing is stored, so the extension is
safe for parallel and incremental builds.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urljoin

from sphinx.application import Sphinx

from kb.frontmatter import doc_page
from kb.german import is_date

SCHEMA = "https://schema.org"
# Front-matter `format` -> schema.org eventAttendanceMode.
ATTENDANCE_MODES = {
    "hybrid": f"{SCHEMA}/MixedEventAttendanceMode",
    "vor-ort": f"{SCHEMA}/OfflineEventAttendanceMode",
    "online": f"{SCHEMA}/OnlineEventAttendanceMode",
}


def _text(metadata: dict[str, Any], key: str) -> str:
    value = metadata.get(key)
    return value.strip() if isinstance(value, str) else ""


def _pruned(data: dict[str, Any]) -> dict[str, Any]:
    """The dict without empty values; a nested object left with only its @type goes too."""
    out = {}
    for key, value in data.items():
        if isinstance(value, dict):
            value = _pruned(value)
            if set(value) <= {"@type"}:
                continue
        if value not in ("", None):
            out[key] = value
    return out


def _date(value: str) -> str:
    return value if is_date(value) else ""  # a wrong date is reported by kb.metadata (schema format "date")


def event(app: Sphinx, docname: str, metadata: dict[str, Any]) -> dict[str, Any]:
    return {
        "@type": "Event",
        "name": app.env.titles[docname].astext(),
        "description": _text(metadata, "description"),
        "startDate": _date(_text(metadata, "date")),
        "eventAttendanceMode": ATTENDANCE_MODES.get(_text(metadata, "format"), ""),
        "location": {
            "@type": "Place",
            "name": _text(metadata, "place"),
            "address": {"@type": "PostalAddress", "addressLocality": _text(metadata, "city")},
        },
        "organizer": {"@type": "Organization", "name": _text(metadata, "organiser")},
    }


def organization(app: Sphinx, docname: str, metadata: dict[str, Any]) -> dict[str, Any]:
    return {
        "@type": "Organization",
        "name": _text(metadata, "company"),
        "address": {
            "@type": "PostalAddress",
            "addressLocality": _text(metadata, "location"),
            "addressRegion": _text(metadata, "region"),
        },
        "description": _text(metadata, "summary"),
    }


BUILDERS = {"event": event, "case-study": organization}


def add_json_ld(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    if pagename not in app.env.all_docs:
        return  # search, genindex, 404: no source
    page = doc_page(app.env, pagename)
    metadata = page.data if page else {}
    kind = metadata.get("type")
    if kind not in BUILDERS:
        return
    data = {"@context": SCHEMA, **_pruned(BUILDERS[kind](app, pagename, metadata))}
    if app.config.html_baseurl:
        data["url"] = urljoin(app.config.html_baseurl, app.builder.get_target_uri(pagename))
    # "</" would end the <script> element early.
    payload = json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/")
    context["metatags"] = context.get("metatags", "") + f'\n<script type="application/ld+json">\n{payload}\n</script>\n'


def setup(app: Sphinx) -> dict:
    app.require_sphinx("9.0")
    app.connect("html-page-context", add_json_ld)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
