"""Publishing: the operator's details for the legal pages, and what a web server needs.

Adds to Sphinx:

* the operator's details (organisation, address, contact, the person
  responsible for content, hosting provider, accessibility contact) read
  from one file, ``publish.yaml`` (``kb_publish_file``), and checked against
  ``schemas/publish.schema.yaml``. A wrong type or an unknown field is always
  a warning naming file and line. A missing or empty required field shows as
  the German notice "Angabe fehlt: … (publish.yaml)" on the page; in a
  publishing build (``kb_publish``: ``KB_PUBLISH=1`` or ``-t publish``) it is
  a warning naming the field and its line, so the strict build fails. Nothing
  about the operator has a default;
* the role ``{kb-betreiber}`operator.name``` (one detail inline) and the
  directive ``kb-betreiber`` (one detail per content line, as a list with
  the schema's German labels; empty optional details are left out);
* the directive ``kb-serverprotokoll``: what the server's access log holds,
  from ``LOG_FIELDS``, the same list the generated nginx ``log_format`` is
  made of, so the privacy page cannot drift from the server configuration;
* ``kb_footer_links`` in the page context: the pages of ``kb_footer_pages``
  (Impressum, Datenschutz, ...) that ``_templates/page.html`` links in the
  footer of every page;
* after a publishing build: stale ``?v=`` checksums of static files put right
  (kb.assets rewrites a stylesheet after the pages are written, and the web
  server caches ``?v=`` files for a year), a ``.gz`` copy beside every text
  file, and the nginx configuration in ``<outdir>/../nginx/``: ``kb-http.conf``
  (inside ``http {}``) and ``kb-server.conf`` (inside ``server {}``) with the
  404 page, 301 redirects from ``redirects``, cache lifetimes and security
  headers, including a Content-Security-Policy that hashes every inline
  script and style the built pages hold.

State (the pages that show operator details, and a digest of the details)
lives in a Domain, so parallel and incremental builds stay right: when
``publish.yaml`` appears, changes or disappears, those pages are read again.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import posixpath
import re
import zlib
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from bs4 import BeautifulSoup
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, SphinxRole

from kb.frontmatter import load_yaml, schema_validator
from kb.german import date as german_date
from kb.state import DocumentTables
from kb.wording import invalid_yaml, missing_field, not_fields, schema_error, settings_file

logger = logging.getLogger(__name__)

SCHEMA = Path("schemas") / "publish.schema.yaml"
EXAMPLE = "publish.example.yaml"  # the file to copy publish.yaml from
MISSING = "Angabe fehlt: {label} ({file})"

# What the server's access log holds, in this order: (nginx variable, German
# description for the privacy page). No IP address, no browser (user agent),
# no referring page, no query string.
LOG_FIELDS = [
    ("$time_iso8601", "Datum und Uhrzeit des Abrufs"),
    ("$request_method", "die Art der Anfrage (zum Beispiel „GET“)"),
    ("$uri", "die abgerufene Adresse innerhalb der Website, ohne angehängte Parameter"),
    ("$status", "der Statuscode der Antwort (zum Beispiel 200 oder 404)"),
    ("$body_bytes_sent", "die Größe der Antwort in Byte"),
]
LOG_FORMAT = "kb_privacy"
# Text files that get a precompressed .gz copy for nginx's gzip_static.
COMPRESSED = {".html", ".css", ".js", ".svg", ".xml", ".txt", ".json", ".map"}
# Cache lifetimes: versioned static files (?v=<checksum of the file>) for a
# year; everything else (HTML, unversioned files) for five minutes.
CACHE_LONG = "public, max-age=31536000, immutable"
CACHE_SHORT = "public, max-age=300"
VERSIONED = re.compile(r"((?:\.\./)*|/[^\"'?#]*?)(_static/[^\"'?#]+)\?v=([0-9a-f]{8})")
SCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module"}
# Sphinx's doctools.js turns the plural rule of translations.js into a function
# with `new Function`, which the Content-Security-Policy forbids (no
# 'unsafe-eval'). This inline script, placed after doctools.js and before
# translations.js, sets the one rule this site's only catalogue has (German,
# written by kb.german_ui) without eval.
PLURAL_RULES_JS = """Documentation.addTranslations = (catalog) => {
  Object.assign(Documentation.TRANSLATIONS, catalog.messages);
  Documentation.PLURAL_EXPR = (n) => Number(n != 1);
  Documentation.LOCALE = catalog.locale;
};"""


# -- The details and their schema ------------------------------------------------


def schema(confdir: str | Path) -> dict:
    return schema_validator(Path(confdir) / SCHEMA).schema


def fields(node: dict, prefix: tuple = ()) -> dict[tuple, dict]:
    """Every leaf field of the schema: path -> its schema, with ``required`` set."""
    out = {}
    for name, sub in node.get("properties", {}).items():
        path = prefix + (name,)
        if sub.get("type") == "object":
            out.update(fields(sub, path))
        else:
            out[path] = {**sub, "required": name in node.get("required", [])}
    return out


class Details:
    """publish.yaml as read: its data, the line of every field, and its problems."""

    def __init__(self, path: Path, confdir: str | Path):
        self.path = path
        self.name = path.name
        self.data: dict = {}
        self.lines: dict[tuple, int] = {}
        self.problems: list[tuple[str, int | None]] = []  # always reported
        self.file = settings_file(self.name, EXAMPLE)  # how messages name it
        validator = schema_validator(Path(confdir) / SCHEMA)
        self.fields = fields(validator.schema)
        if not path.is_file():
            return
        try:
            data, lines = load_yaml(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            problem = getattr(exc, "problem", None) or str(exc)
            self.problems.append((invalid_yaml(self.file, problem), mark and mark.line + 1))
            return
        if data is not None and not isinstance(data, dict):
            self.problems.append((not_fields(self.file), 1))
            return
        self.data = data or {}
        self.lines = lines
        for error in validator.iter_errors(self.data):
            if error.validator == "required" or error.instance in ("", None):
                continue  # a missing detail: see missing()
            message, path = schema_error(error, self.file)
            self.problems.append((message, self.line(path)))

    def line(self, path: tuple) -> int | None:
        """The line of a field, or of the nearest enclosing field that exists."""
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path)

    def value(self, path: tuple) -> str:
        """A detail as text ('' where it is missing or empty)."""
        data: Any = self.data
        for key in path:
            data = data.get(key) if isinstance(data, dict) else None
        if data is None:
            return ""
        return str(data).strip()

    def missing(self) -> list[tuple[tuple, int | None]]:
        """The required details that are missing or empty, with their lines."""
        return [(p, self.line(p)) for p, spec in self.fields.items() if spec["required"] and not self.value(p)]

    def digest(self) -> str:
        return hashlib.sha256(self.path.read_bytes()).hexdigest() if self.path.is_file() else "missing"


@cache
def _details(path: Path, confdir: str, version: tuple) -> Details:
    return Details(path, confdir)


def details(app: Sphinx) -> Details:
    """publish.yaml, read once per file version (every role on every page asks)."""
    path = Path(app.confdir) / app.config.kb_publish_file
    stat = path.stat() if path.is_file() else None
    return _details(path, str(app.confdir), (stat.st_mtime_ns, stat.st_size) if stat else None)


def _where(app: Sphinx, d: Details, line: int | None) -> str | None:
    """The "file:line" for Sphinx's warning location (a string with ':' is used as it is)."""
    if not line:
        return None  # the message names the file
    try:
        shown = d.path.relative_to(app.confdir)
    except ValueError:
        shown = d.path
    return f"{shown}:{line}"


def check_details(app: Sphinx) -> None:
    """Report wrong details always; missing ones (and the placeholder address) when publishing."""
    d = details(app)
    for message, line in d.problems:
        logger.warning(message, location=_where(app, d, line), type="kb", subtype="publish")
    if not app.config.kb_publish:
        return
    if not d.path.is_file():
        logger.warning(
            f"Die Datei {d.name} fehlt: {EXAMPLE} nach {d.name} kopieren und jedes Feld ausfüllen",
            location=_where(app, d, None),
            type="kb",
            subtype="publish",
        )
    for path, line in d.missing():
        logger.warning(
            missing_field(".".join(path), d.file, about=d.fields[path]["title"], empty=True),
            location=_where(app, d, line),
            type="kb",
            subtype="publish",
        )
    address = urlsplit(app.config.html_baseurl)
    if address.scheme not in ("http", "https") or (address.hostname or ".invalid").endswith(".invalid"):
        logger.warning(
            f"Die öffentliche Adresse fehlt: KB_BASE_URL ist nicht gesetzt, die Adresse ist noch "
            f"„{app.config.html_baseurl}“; so aufrufen: make publish KB_BASE_URL=https://…/",
            type="kb",
            subtype="publish",
        )


# -- Roles and directives ------------------------------------------------------------


class PublishDomain(DocumentTables):
    """Build state of kb.publish: the pages showing operator details, and their digest."""

    name = "kbpublish"
    label = "Angaben zum Betrieb"
    initial_data: dict = {"docs": {}, "digest": None}
    per_document = ("docs",)  # "digest" is build-wide


def _uses_details(env: BuildEnvironment) -> None:
    env.get_domain("kbpublish").data["docs"][env.docname] = True


def reread_on_change(app: Sphinx, env: BuildEnvironment, added, changed, removed) -> list[str]:
    """Pages showing details are read again when publish.yaml appears, changes or goes."""
    domain = env.get_domain("kbpublish")
    digest = details(app).digest()
    if domain.data["digest"] == digest:
        return []
    domain.data["digest"] = digest
    return sorted(set(domain.data["docs"]) - set(removed))


def _value_nodes(d: Details, path: tuple) -> list[nodes.Node]:
    """A detail as nodes: a link for e-mail and web addresses, the notice where it is missing."""
    spec = d.fields[path]
    value = d.value(path)
    if not value:
        return [nodes.inline("", MISSING.format(label=spec["title"], file=d.name), classes=["kb-fehlt"])]
    if spec.get("format") == "email":
        return [nodes.reference(value, value, refuri=f"mailto:{value}")]
    if spec.get("pattern") == "^https://":
        return [nodes.reference(value, value, refuri=value)]
    if spec.get("format") == "date":
        return [nodes.Text(german_date(value))]
    return [nodes.Text(", ".join(part.strip() for part in value.split("|")))]


def _field(role_or_directive, d: Details, text: str) -> tuple | None:
    path = tuple(text.strip().split("."))
    if path in d.fields:
        return path
    known = ", ".join(".".join(p) for p in d.fields)
    logger.warning(
        f"Die Angabe zum Betrieb „{text.strip()}“ gibt es nicht: eine dieser nennen: {known}",
        location=role_or_directive.get_location(),
        type="kb",
        subtype="publish",
    )
    return None


class DetailRole(SphinxRole):
    """``{kb-betreiber}`operator.name```: one operator detail, inline."""

    def run(self):
        _uses_details(self.env)
        d = details(self.env.app)
        path = _field(self, d, self.text)
        if path is None:
            return [nodes.inline(self.rawtext, self.text)], []
        return [nodes.inline("", "", *_value_nodes(d, path), classes=["kb-betreiber"])], []


class DetailsDirective(SphinxDirective):
    """A list of operator details, one field path per content line, with German labels."""

    has_content = True

    def run(self):
        _uses_details(self.env)
        d = details(self.env.app)
        items = nodes.definition_list(classes=["kb-betreiber"])
        for text in self.content:
            if not text.strip():
                continue
            path = _field(self, d, text)
            if path is None:
                continue
            spec = d.fields[path]
            value = d.value(path)
            if not value and not spec["required"]:
                continue  # optional and not given: not shown
            if value and "|" in value and "format" not in spec:
                body = nodes.line_block("", *(nodes.line(p.strip(), p.strip()) for p in value.split("|")))
            else:
                body = nodes.paragraph("", "", *_value_nodes(d, path))
            items += nodes.definition_list_item(
                "", nodes.term(spec["title"], spec["title"]), nodes.definition("", body)
            )
        return [items] if items.children else []


class ServerLogDirective(SphinxDirective):
    """The list of what the server's access log holds (LOG_FIELDS)."""

    def run(self):
        items = nodes.bullet_list()
        for _variable, text in LOG_FIELDS:
            items += nodes.list_item("", nodes.paragraph(text, text))
        return [items]


def footer_links(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """The (docname, title) pairs the footer links on every page."""
    titles = app.env.titles
    context["kb_footer_links"] = [(doc, titles[doc].astext()) for doc in app.config.kb_footer_pages if doc in titles]


def check_footer_pages(app: Sphinx, env: BuildEnvironment) -> None:
    for doc in app.config.kb_footer_pages:
        if doc not in env.all_docs:
            logger.warning(
                f"Die Seite „{doc}“ aus kb_footer_pages (conf.py) gibt es nicht: Namen prüfen oder die Seite anlegen",
                type="kb",
                subtype="publish",
            )


# -- After a publishing build: checksums, compression, nginx ----------------------


def _checksum(path: Path) -> str:
    """Sphinx's ?v= checksum of a static file (sphinx.builders.html._assets)."""
    content = path.read_bytes().translate(None, b"\r")
    return f"{zlib.crc32(content):08x}" if content else ""


def fix_checksums(outdir: Path) -> int:
    """Put each ?v= right where a static file changed after the pages were written."""
    fixed = 0
    sums: dict[str, str] = {}  # each static file read once, not once per page

    def right(match: re.Match) -> str:
        name = match.group(2)
        if name not in sums:
            sums[name] = _checksum(outdir / name)
        return f"{match.group(1)}{name}?v={sums[name] or match.group(3)}"

    for page in outdir.rglob("*.html"):
        html = page.read_text(encoding="utf-8")

        new = VERSIONED.sub(right, html)
        if new != html:
            page.write_text(new, encoding="utf-8")
            fixed += 1
    return fixed


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def inline_hashes(outdir: Path) -> tuple[list[str], list[str]]:
    """CSP hashes of every inline script, and of every <style> element and style attribute."""
    scripts, styles = set(), set()
    for page in outdir.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for script in soup.find_all("script"):
            if not script.get("src") and script.get("type", "").lower() in SCRIPT_TYPES:
                scripts.add(_hash(script.string or ""))
        styles.update(_hash(style.string or "") for style in soup.find_all("style"))
        styles.update(_hash(tag["style"]) for tag in soup.find_all(style=True))
    return sorted(scripts), sorted(styles)


def content_security_policy(outdir: Path) -> str:
    scripts, styles = inline_hashes(outdir)
    policy = {
        "default-src": ["'none'"],
        "script-src": ["'self'", *scripts],
        # 'unsafe-hashes': the hashes also allow the theme's style="…" attributes.
        "style-src": ["'self'", "'unsafe-hashes'", *styles],
        # furo draws its icons from data: SVGs in its stylesheet.
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        # The search page fetches the result pages for their summaries.
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in policy.items())


def compress(outdir: Path) -> tuple[int, int, int]:
    """Write a .gz copy beside every text file; (files, bytes before, bytes after)."""
    for old in outdir.rglob("*.gz"):
        old.unlink()
    count = before = after = 0
    for path in sorted(outdir.rglob("*")):
        if not path.is_file() or path.suffix not in COMPRESSED:
            continue
        data = path.read_bytes()
        packed = gzip.compress(data, compresslevel=9, mtime=0)
        if len(packed) >= len(data):
            continue
        path.with_name(path.name + ".gz").write_bytes(packed)
        count, before, after = count + 1, before + len(data), after + len(packed)
    return count, before, after


def redirect_paths(app: Sphinx) -> dict[str, str]:
    """Old page path -> new page path (both relative to the site root, with .html)."""
    moves = {}
    for old, target in sorted(app.config.redirects.items()):
        moves[f"{old}.html"] = posixpath.normpath(posixpath.join(posixpath.dirname(old), target))
    return moves


def _headers(csp: str, cache_control: str) -> list[str]:
    return [
        f'add_header Cache-Control "{cache_control}" always;',
        f'add_header Content-Security-Policy "{csp}" always;',
        "add_header X-Content-Type-Options nosniff always;",
        "add_header Referrer-Policy no-referrer always;",
    ]


def nginx_config(prefix: str, csp: str, moves: dict[str, str], notfound: str, access_log: str, base: str):
    """The two nginx snippets: (kb-http.conf, kb-server.conf)."""
    head = f"# Generated by `make publish` (kb/publish.py) for {base}; do not edit."
    log = " ".join(variable for variable, _ in LOG_FIELDS)
    http = [
        head,
        "# Include inside http { }.",
        "# The access log: no IP address, no user agent, no referrer, no query string.",
        f"log_format {LOG_FORMAT} '{log}';",
        "# Versioned static files (Sphinx adds ?v=<checksum>) are cached for a year.",
        "map $arg_v $kb_static_cache {",
        f'    ""      "{CACHE_SHORT}";',
        f'    default "{CACHE_LONG}";',
        "}",
    ]
    server = [
        head,
        f"# Include inside server {{ }}; its root holds the build under {prefix}.",
        "server_tokens off;",
        "charset utf-8;",
        "charset_types text/css application/javascript text/plain text/xml application/xml image/svg+xml;",
        "# Every text file has a precompressed .gz copy beside it.",
        "gzip_static on;",
        "gzip_vary on;",
        f"access_log {access_log} {LOG_FORMAT};",
        "log_not_found off;",
        f"error_page 404 {prefix}{notfound};",
    ]
    if prefix != "/":
        server += [f"location = {prefix.rstrip('/')} {{"]
        server += [f"    {h}" for h in _headers(csp, CACHE_SHORT)]
        server += [f"    return 301 {prefix};", "}"]
    server += [f"location {prefix} {{", "    index index.html;"]
    server += [f"    {h}" for h in _headers(csp, CACHE_SHORT)]
    server += [f"    location ^~ {prefix}_static/ {{"]
    server += [f"        {h}" for h in _headers(csp, "$kb_static_cache")]
    server += ["    }", "    # Build files (.buildinfo, .doctrees) are not part of the site.", "    location ~ /\\. {"]
    server += ["        return 404;", "    }"]
    if moves:
        server.append("    # Moved pages (redirects.yml).")
    for old, new in moves.items():
        server.append(f"    location = {prefix}{old} {{ return 301 {prefix}{new}; }}")
    server.append("}")
    return "\n".join(http) + "\n", "\n".join(server) + "\n"


def finish_publishing(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or not app.config.kb_publish or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    fixed = fix_checksums(outdir)
    csp = content_security_policy(outdir)
    count, before, after = compress(outdir)
    base = app.config.html_baseurl
    http, server = nginx_config(
        urlsplit(base).path or "/",
        csp,
        redirect_paths(app),
        f"{app.config.notfound_pagename}.html",
        app.config.kb_access_log,
        base,
    )
    confdir = outdir.parent / "nginx"
    confdir.mkdir(exist_ok=True)
    (confdir / "kb-http.conf").write_text(http, encoding="utf-8")
    (confdir / "kb-server.conf").write_text(server, encoding="utf-8")
    logger.info(
        f"publish: {fixed} pages with corrected ?v= checksums; {count} files compressed, "
        f"{before / 1024:.0f} KiB -> {after / 1024:.0f} KiB (.gz); nginx configuration in {confdir}"
    )


def setup(app: Sphinx) -> dict:
    app.require_sphinx("9.0")
    app.setup_extension("sphinx_reredirects")  # `redirects` become 301s
    app.setup_extension("notfound.extension")  # the 404 page becomes nginx's error page
    app.add_config_value("kb_publish_file", "publish.yaml", "env", str)
    app.add_config_value("kb_publish", False, "", bool)
    app.add_config_value("kb_footer_pages", [], "html", list)
    app.add_config_value("kb_access_log", "/var/log/nginx/wissensbasis-access.log", "", str)
    # After doctools.js (priority 200), before translations.js (500).
    app.add_js_file(None, body=PLURAL_RULES_JS, priority=300)
    app.add_domain(PublishDomain)
    app.add_role("kb-betreiber", DetailRole())
    app.add_directive("kb-betreiber", DetailsDirective)
    app.add_directive("kb-serverprotokoll", ServerLogDirective)
    app.connect("builder-inited", check_details)
    app.connect("env-get-outdated", reread_on_change)
    app.connect("env-check-consistency", check_footer_pages)
    app.connect("html-page-context", footer_links)
    # Last: after kb.assets rewrites its stylesheet and sphinx-sitemap writes its file.
    app.connect("build-finished", finish_publishing, priority=900)
    return {"version": "1.0", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
