"""What a publishing build writes for the web server after the pages: checksums, .gz copies, nginx configuration.

After a publishing build (``kb_publish``: ``make publish``) of the HTML site:
stale ``?v=`` checksums of static files are put right (kb.assets rewrites a
stylesheet after the pages are written, and the web server caches ``?v=`` files
for a year), a ``.gz`` copy is written beside every text file, and the nginx
configuration into ``<outdir>/../nginx/``: ``kb-http.conf`` (inside ``http {}``)
and ``kb-server.conf`` (inside ``server {}``) with the 404 page, 301 redirects
from ``redirects``, cache lifetimes and security headers, including a
Content-Security-Policy that hashes every inline script and style the built
pages hold. In every build: an inline script that lets Sphinx's search run under
that policy, and the directive ``kb-serverprotokoll``, which lists what the
access log holds from ``LOG_FIELDS``, the list the nginx ``log_format`` is made
of, so the privacy page cannot drift from the server configuration.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import posixpath
import re
import zlib
from pathlib import Path
from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)

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


class ServerLogDirective(SphinxDirective):
    """The list of what the server's access log holds (LOG_FIELDS)."""

    def run(self):
        items = nodes.bullet_list()
        for _variable, text in LOG_FIELDS:
            items += nodes.list_item("", nodes.paragraph(text, text))
        return [items]


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


def setup_server(app: Sphinx) -> None:
    app.add_config_value("kb_access_log", "/var/log/nginx/wissensbasis-access.log", "", str)
    # After doctools.js (priority 200), before translations.js (500).
    app.add_js_file(None, body=PLURAL_RULES_JS, priority=300)
    app.add_directive("kb-serverprotokoll", ServerLogDirective)
    # Last: after kb.assets rewrites its stylesheet and sphinx-sitemap writes its file.
    app.connect("build-finished", finish_publishing, priority=900)
