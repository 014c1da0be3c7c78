"""schema.org JSON-LD from page front matter.

Adds a ``<script type="application/ld+json">`` to the ``<head>`` of

* every page whose front matter has ``type: event``: a schema.org ``Event``
  (name = page title, ``date``, ``place`` and ``city``, ``format`` and
  ``organiser``);
* every page with ``type: case-study``: an ``Organization`` (``company``,
  ``location``, ``region``, ``summary``).

A page of one of these types that lacks a field the JSON-LD needs, or has a
``format`` or ``date`` it cannot map, gets a warning naming the file, so the
strict build fails. Values are read from ``app.env.metadata[docname]`` when
the page is written; nothing is stored, so the extension is safe for
parallel and incremental builds.
"""

from __future__ import annotations

import datetime
import json
from typing import Any
from urllib.parse import urljoin

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

SCHEMA = "https://schema.org"
# Front-matter `format` -> schema.org eventAttendanceMode.
ATTENDANCE_MODES = {
    "hybrid": f"{SCHEMA}/MixedEventAttendanceMode",
    "vor-ort": f"{SCHEMA}/OfflineEventAttendanceMode",
    "online": f"{SCHEMA}/OnlineEventAttendanceMode",
}
REQUIRED = {
    "event": ("date", "place", "city", "format", "organiser"),
    "case-study": ("company", "location"),
}


def _warn(docname: str, message: str, *args: Any) -> None:
    logger.warning("JSON-LD: " + message, *args, location=(docname, 1), type="kb", subtype="jsonld")


def _text(metadata: dict[str, Any], key: str) -> str:
    value = metadata.get(key)
    return value.strip() if isinstance(value, str) else ""


def event(app: Sphinx, docname: str, metadata: dict[str, Any]) -> dict[str, Any] | None:
    try:
        start = datetime.date.fromisoformat(_text(metadata, "date")).isoformat()
    except ValueError:
        _warn(docname, "date %r is not a date like 2024-11-19", metadata.get("date"))
        return None
    mode = ATTENDANCE_MODES.get(_text(metadata, "format"))
    if mode is None:
        _warn(docname, "format %r is not one of %s", metadata.get("format"), ", ".join(ATTENDANCE_MODES))
        return None
    return {
        "@type": "Event",
        "name": app.env.titles[docname].astext(),
        "description": _text(metadata, "description"),
        "startDate": start,
        "eventAttendanceMode": mode,
        "location": {
            "@type": "Place",
            "name": _text(metadata, "place"),
            "address": {"@type": "PostalAddress", "addressLocality": _text(metadata, "city")},
        },
        "organizer": {"@type": "Organization", "name": _text(metadata, "organiser")},
    }


def organization(app: Sphinx, docname: str, metadata: dict[str, Any]) -> dict[str, Any]:
    address = {"@type": "PostalAddress", "addressLocality": _text(metadata, "location")}
    if _text(metadata, "region"):
        address["addressRegion"] = _text(metadata, "region")
    data = {"@type": "Organization", "name": _text(metadata, "company"), "address": address}
    if _text(metadata, "summary"):
        data["description"] = _text(metadata, "summary")
    return data


BUILDERS = {"event": event, "case-study": organization}


def add_json_ld(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    metadata = app.env.metadata.get(pagename, {})
    kind = metadata.get("type")
    if kind not in BUILDERS:
        return
    missing = [key for key in REQUIRED[kind] if not _text(metadata, key)]
    if missing:
        _warn(pagename, "type %r needs the front-matter field(s) %s", kind, ", ".join(missing))
        return
    data = BUILDERS[kind](app, pagename, metadata)
    if data is None:
        return
    data = {"@context": SCHEMA, **data}
    if app.config.html_baseurl:
        data["url"] = urljoin(app.config.html_baseurl, app.builder.get_target_uri(pagename))
    # "</" would end the <script> element early.
    payload = json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/")
    context["metatags"] = context.get("metatags", "") + f'\n<script type="application/ld+json">\n{payload}\n</script>\n'


def setup(app: Sphinx) -> dict:
    app.require_sphinx("9.0")
    app.connect("html-page-context", add_json_ld)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
