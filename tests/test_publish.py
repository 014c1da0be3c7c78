"""Publishing (issue 15): the operator's details, the legal pages, `make publish`,
and the published site behind Debian's nginx on 127.0.0.1, under / and /wissen/."""

from __future__ import annotations

import getpass
import gzip
import http.client
import os
import re
import shutil
import socket
import subprocess
import time
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import BUILT_PAGES, ROOT, copy_sources, kb_browser, run_sphinx, site_config, source_pages

from kb import publish_details, publish_server

# One pytest-xdist worker runs this module: its session fixtures are expensive (Makefile, TEST_WORKERS).
pytestmark = pytest.mark.xdist_group("publish")

NGINX = "/usr/sbin/nginx"
COMPLETE = ROOT / "tests" / "publish" / "complete.yaml"
HOST = "https://www.example.org"
PREFIXES = ["/", "/wissen/"]
FIELDS = publish_details.fields(publish_details.schema(ROOT))
REQUIRED = [path for path, spec in FIELDS.items() if spec["required"]]
FOOTER_PAGES = site_config()["kb_footer_pages"]
# A moved page for the redirect checks: an old address -> the first content page.
MOVED_FROM = "alte-adresse/seite"
MOVED_TO = next(d for d in source_pages() if d != "index" and not d.endswith("/index"))


def _make_publish(src: Path, builddir: Path, base: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "--no-print-directory", "publish", f"SOURCEDIR={src}", f"BUILDDIR={builddir}"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "NO_COLOR": "1", "KB_BASE_URL": base, **(env or {})},
    )


def _sources(dest: Path, details: Path | None) -> Path:
    """A copy of the site with the given publish.yaml (or none)."""
    copy_sources(dest)
    (dest / "publish.yaml").unlink(missing_ok=True)
    if details is not None:
        shutil.copy2(details, dest / "publish.yaml")
    return dest


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _notice(path: tuple) -> str:
    return publish_details.MISSING.format(label=FIELDS[path]["title"], file="publish.yaml")


# -- publish.yaml: missing details -------------------------------------------------


@pytest.fixture(scope="module")
def without_details(tmp_path_factory):
    """A copy without publish.yaml: a local build and a `make publish`."""
    tmp = tmp_path_factory.mktemp("without-details")
    src = _sources(tmp / "src", None)
    local = run_sphinx(src, tmp / "local")
    published = _make_publish(src, tmp / "build", f"{HOST}/")
    return local, published


def test_make_publish_without_publish_yaml_fails_naming_each_missing_field(without_details):
    _, published = without_details
    assert published.returncode != 0
    assert "Die Datei publish.yaml fehlt" in published.stdout + published.stderr
    for path in REQUIRED:
        assert f"Pflichtfeld „{'.'.join(path)}“ fehlt in publish.yaml" in published.stderr, path


def test_local_build_without_details_succeeds_and_marks_each_one(without_details):
    local, _ = without_details
    assert local.returncode == 0, local.output
    assert local.warnings == []
    text = " ".join(_soup(local.outdir / f"{doc}.html").get_text(" ") for doc in FOOTER_PAGES)
    for path in REQUIRED:
        assert _notice(path) in text, f"no page shows the notice for {path}"
    # Optional details that are not given are left out, not marked.
    for path, spec in FIELDS.items():
        if not spec["required"]:
            assert spec["title"] not in text, path
    notice = _soup(local.outdir / f"{FOOTER_PAGES[0]}.html").select_one(".kb-fehlt")
    assert notice is not None and notice.get_text().startswith("Angabe fehlt: ")


def _field_lines(text: str) -> dict[tuple, int]:
    """(section, field) -> line, read from a two-level YAML file by hand."""
    lines, section = {}, None
    for number, line in enumerate(text.splitlines(), 1):
        if match := re.match(r"^(\w+):", line):
            section = match.group(1)
        elif match := re.match(r"^  (\w+):", line):
            lines[section, match.group(1)] = number
    return lines


def test_empty_details_fail_a_publishing_build_with_file_and_line(tmp_path):
    example = ROOT / "publish.example.yaml"
    src = _sources(tmp_path / "src", example)
    with (src / "publish.yaml").open("a", encoding="utf-8") as f:
        f.write("  contact: x\n")  # an unknown field, at the end of the last section
    result = run_sphinx(src, tmp_path / "out", env={"KB_PUBLISH": "1", "KB_BASE_URL": f"{HOST}/"})
    assert result.returncode != 0
    lines = _field_lines(example.read_text(encoding="utf-8"))
    assert set(lines) == set(FIELDS), "publish.example.yaml must hold every field of the schema"
    for path in REQUIRED:
        assert (
            f"publish.yaml:{lines[path]}: WARNING: Pflichtfeld „{'.'.join(path)}“ fehlt in publish.yaml"
            in result.output
        )
    assert re.search(r"publish\.yaml:\d+: WARNING: Unbekanntes Feld „[\w.]*contact“ in publish\.yaml", result.output)
    assert "KB_BASE_URL" not in result.output  # the address was given


def test_publishing_needs_the_public_address(tmp_path):
    src = _sources(tmp_path / "src", COMPLETE)
    result = run_sphinx(src, tmp_path / "out", env={"KB_PUBLISH": "1", "KB_BASE_URL": ""})
    assert result.returncode != 0
    assert "KB_BASE_URL ist nicht gesetzt" in result.output


# -- The pages (the session's local build) -------------------------------------------


def test_footer_of_every_page_links_the_legal_pages(site):
    titles = {
        doc: site.soup(doc).select_one("article h1").get_text(strip=True).removesuffix("¶") for doc in FOOTER_PAGES
    }
    for page in BUILT_PAGES:
        footer = site.soup(page.removesuffix(".html")).select_one("footer nav.kb-rechtliches")
        assert footer is not None, f"{page}: no legal links in the footer"
        links = footer.select("a[href]")
        assert [a.get_text(strip=True) for a in links] == [titles[d].strip() for d in FOOTER_PAGES], page
        if page == "404.html":  # served for any path: absolute links
            assert [a["href"] for a in links] == [f"/{d}.html" for d in FOOTER_PAGES]
        else:
            here = (site.root / page).parent
            targets = [(here / a["href"]).resolve() if a["href"] != "#" else (site.root / page) for a in links]
            assert targets == [(site.root / f"{d}.html").resolve() for d in FOOTER_PAGES], page


def test_legal_pages_have_stable_labels(site):
    # The PDF's imprint links them by these labels ({ref}`impressum` ...).
    for doc in FOOTER_PAGES:
        label = doc.rsplit("/", 1)[-1]
        assert site.main(doc).select_one(f"section#{label}, span#{label}") is not None, doc


def test_privacy_page_lists_what_the_server_log_holds(site):
    text = site.text("ueber/datenschutz")
    for _variable, description in publish_server.LOG_FIELDS:
        assert " ".join(description.split()) in text


def test_accessibility_statement_names_what_the_tests_measure(site):
    text = site.text("ueber/barrierefreiheit")
    assert {"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"} <= set(kb_browser.AXE_TAGS)
    facts = ("WCAG 2.1", "axe-core", "teilweise", "Gebärdensprache", f"{kb_browser.PHONE['width']} Pixel", "PDF/UA-1")
    for fact in facts:
        assert fact in text, fact


def test_easy_language_uses_short_sentences(site):
    main = site.main("ueber/leichte-sprache")
    for credit in main.select(".kb-quelle"):
        credit.decompose()
    sentences = [s for block in main.select("p, dd, li") for s in re.split(r"(?<=[.:?!])\s+", block.get_text(" "))]
    site._cache.pop("ueber/leichte-sprache")
    long = [s for s in sentences if len(s.split()) > 12]
    assert len(sentences) > 40 and long == [], long


# -- make publish with complete details, served by nginx -------------------------------


@dataclass
class Published:
    prefix: str
    html: Path
    nginx: Path
    access_log: Path
    base: str  # http://127.0.0.1:PORT{prefix}
    build_output: str


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _nginx_conf(tmp: Path, confdir: Path, root: Path, port: int) -> Path:
    """A whole nginx.conf around the generated snippets: own prefix, temp dirs, loopback only."""
    temp = {name: tmp / name for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for path in temp.values():
        path.mkdir()
    # As root, nginx's workers would switch to "nobody", who cannot read pytest's temp dirs.
    user = f"user {getpass.getuser()};\n" if os.geteuid() == 0 else ""
    conf = tmp / "nginx.conf"
    conf.write_text(
        f"""{user}daemon off;
worker_processes 1;
pid {tmp}/nginx.pid;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;  # not the compiled-in /var/log path: kb-server.conf sets the site's log
{"".join(f"    {name}_temp_path {path};{chr(10)}" for name, path in temp.items())}    include {confdir}/kb-http.conf;
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        root {root};
        include {confdir}/kb-server.conf;
    }}
}}
""",
        encoding="utf-8",
    )
    return conf


@contextmanager
def nginx(tmp: Path, confdir: Path, root: Path):
    """Debian's nginx serving root on a free port of 127.0.0.1; stopped at the end."""
    assert Path(NGINX).exists(), "nginx is missing: `make test` installs nginx-light (DEBIAN_PACKAGES)"
    port = _free_port()
    conf = _nginx_conf(tmp, confdir, root, port)
    test = subprocess.run(
        [NGINX, "-t", "-p", str(tmp), "-c", str(conf), "-e", str(tmp / "error.log")], capture_output=True, text=True
    )
    assert test.returncode == 0, test.stderr
    proc = subprocess.Popen(
        [NGINX, "-p", str(tmp), "-c", str(conf), "-e", str(tmp / "error.log")],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                assert proc.poll() is None, proc.stdout.read().decode()
                time.sleep(0.05)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module", params=PREFIXES, ids=["root", "subpath"])
def published(request, tmp_path_factory):
    prefix = request.param
    tmp = tmp_path_factory.mktemp("publish")
    src = _sources(tmp / "src", COMPLETE)
    (src / "redirects.yml").write_text(f"{MOVED_FROM}: {MOVED_TO}\n", encoding="utf-8")
    access_log = tmp / "access.log"
    result = _make_publish(src, tmp / "build", HOST + prefix, {"KB_ACCESS_LOG": str(access_log)})
    assert result.returncode == 0, result.stdout + result.stderr
    html = tmp / "build" / "publish" / "html"
    # The web server's document root holds the build under the path of KB_BASE_URL.
    root = tmp / "www"
    (root / prefix.strip("/")).parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(html, root / prefix.strip("/"), dirs_exist_ok=True)
    (tmp / "server").mkdir()
    with nginx(tmp / "server", tmp / "build" / "publish" / "nginx", root) as port:
        yield Published(
            prefix,
            html,
            tmp / "build" / "publish" / "nginx",
            access_log,
            f"http://127.0.0.1:{port}{prefix}",
            result.stdout,
        )


def get(pub: Published, path: str, headers: dict | None = None) -> http.client.HTTPResponse:
    """One request to nginx (no redirects followed, nothing decoded); body read into .body."""
    parts = urlsplit(pub.base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    conn.request("GET", path if path.startswith("/") else parts.path + path, headers=headers or {})
    response = conn.getresponse()
    response.body = response.read()
    conn.close()
    return response


def test_every_page_is_served(published):
    pages = kb_browser.built_pages(published.html)
    generated = kb_browser.mention_pages(published.html)  # the long "Erwähnt in" lists
    assert sorted(pages) == sorted([*BUILT_PAGES, *generated, f"{MOVED_FROM}.html"])  # reredirects' page too
    for page in pages:
        if page == f"{MOVED_FROM}.html":
            continue
        response = get(published, page)
        assert response.status == 200, page
        assert response.getheader("Content-Type") == "text/html; charset=utf-8", page
    assert get(published, "").status == 200  # the index of the prefix
    if published.prefix != "/":
        bare = get(published, published.prefix.rstrip("/"))
        assert bare.status == 301 and urlsplit(bare.getheader("Location")).path == published.prefix


def test_missing_pages_get_the_404_page(published):
    for path in ("gibt-es-nicht.html", "tief/unten/gibt-es-nicht.html", "_static/gibt-es-nicht.css"):
        response = get(published, path)
        assert response.status == 404, path
        assert "Seite nicht gefunden" in response.body.decode("utf-8"), path
    # Build files are not served.
    assert get(published, ".buildinfo").status == 404


def test_moved_pages_answer_with_a_real_redirect(published):
    response = get(published, f"{MOVED_FROM}.html")
    assert response.status == 301
    target = urlsplit(response.getheader("Location")).path
    assert target == f"{published.prefix}{MOVED_TO}.html"
    assert get(published, target).status == 200


def test_text_files_are_served_compressed(published):
    text_files = [p for p in published.html.rglob("*") if p.suffix in publish_server.COMPRESSED]
    assert len(text_files) > 30
    for path in text_files:
        gz = path.with_name(path.name + ".gz")
        assert gz.is_file() or len(gzip.compress(path.read_bytes(), 9)) >= path.stat().st_size, path
    for page in ("index.html", "_static/styles/furo.css", "_static/scripts/furo.js", "_static/kb-suchindex.json"):
        original = (published.html / page).read_bytes()
        packed = get(published, page, {"Accept-Encoding": "gzip, deflate, br"})
        assert packed.getheader("Content-Encoding") == "gzip", page
        assert "Accept-Encoding" in packed.getheader("Vary", ""), page
        assert gzip.decompress(packed.body) == original, page
        assert len(packed.body) < len(original) / 2, page
        plain = get(published, page)
        assert plain.getheader("Content-Encoding") is None and plain.body == original, page


def _versioned(html: Path) -> list[tuple[str, str, str]]:
    """(page, static file, ?v=) of every versioned static URL in the pages."""
    found = []
    for page in html.rglob("*.html"):
        for match in publish_server.VERSIONED.finditer(page.read_text(encoding="utf-8")):
            found.append((page.name, match.group(2), match.group(3)))
    return found


def test_versions_of_static_files_match_their_content(published):
    # A year of caching is safe only if ?v= changes whenever the file does.
    versioned = _versioned(published.html)
    assert len(versioned) > 100
    for page, static, version in versioned:
        content = (published.html / static).read_bytes().translate(None, b"\r")
        assert version == f"{zlib.crc32(content):08x}", (page, static)


def test_cache_lifetimes(published):
    page = published.html / "index.html"
    static = next(s for p, s, v in _versioned(published.html) if s.endswith(".css"))
    version = next(v for p, s, v in _versioned(published.html) if s == static)
    assert get(published, "index.html").getheader("Cache-Control") == publish_server.CACHE_SHORT
    assert get(published, f"{static}?v={version}").getheader("Cache-Control") == publish_server.CACHE_LONG
    assert get(published, static).getheader("Cache-Control") == publish_server.CACHE_SHORT  # no version
    assert get(published, "_static/favicon.svg").getheader("Cache-Control") == publish_server.CACHE_SHORT
    assert page.is_file()


def test_security_headers_on_every_kind_of_response(published):
    responses = {
        "page": get(published, "index.html"),
        "static": get(published, "_static/kb.css"),
        "404": get(published, "gibt-es-nicht.html"),
        "301": get(published, f"{MOVED_FROM}.html"),
    }
    if published.prefix != "/":
        responses["301 to the prefix"] = get(published, published.prefix.rstrip("/"))
    for kind, response in responses.items():
        csp = response.getheader("Content-Security-Policy", "")
        assert "default-src 'none'" in csp and "script-src 'self' 'sha256-" in csp, kind
        assert "'unsafe-inline'" not in csp and "unsafe-eval" not in csp, kind
        assert response.getheader("X-Content-Type-Options") == "nosniff", kind
        assert response.getheader("Referrer-Policy") == "no-referrer", kind
        assert response.getheader("Set-Cookie") is None, kind
        assert response.getheader("Server") == "nginx", kind  # no version number


def test_access_log_holds_no_ip_address_or_browser(published):
    get(published, "index.html", {"User-Agent": "KB-Testbrowser/1.0", "Referer": "http://example.invalid/"})
    get(published, "search.html?q=geheim")
    time.sleep(0.2)
    log = published.access_log.read_text(encoding="utf-8")
    lines = log.splitlines()
    assert len(lines) >= 2
    for line in lines:
        assert len(line.split()) == len(publish_server.LOG_FIELDS), line
    for private in ("127.0.0.1", "KB-Testbrowser", "example.invalid", "geheim"):
        assert private not in log, private


# -- chromium against nginx: CSP, storage, cookies ----------------------------------------

WATCH_JS = """
window.__kbCsp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__kbCsp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`));
const kbSet = Storage.prototype.setItem;
Storage.prototype.setItem = function (key, value) {
  console.info('kb-storage ' + (this === window.localStorage ? 'local ' : 'session ') + key);
  return kbSet.call(this, key, value);
};
"""


@dataclass
class Visit:
    errors: list[str]
    violations: list[str]
    foreign: list[str]
    stored: set[str]
    cookies: list


@pytest.fixture(scope="module")
def visit(published, browser) -> Visit:
    """chromium loads every page through nginx, switches the colour scheme and searches."""
    context = browser.new_context()
    context.add_init_script(WATCH_JS)
    result = Visit([], [], [], set(), [])
    own = urlsplit(published.base).netloc
    context.on(
        "request",
        lambda r: (
            result.foreign.append(r.url)
            if urlsplit(r.url).netloc not in (own, "") and urlsplit(r.url).scheme not in ("data", "blob")
            else None
        ),
    )
    page = context.new_page()

    def console(message):
        if message.type == "error":
            result.errors.append(message.text)
        elif message.text.startswith("kb-storage "):
            result.stored.add(message.text.removeprefix("kb-storage "))

    page.on("console", console)
    page.on("pageerror", lambda e: result.errors.append(str(e)))
    # A request the browser itself cancels (net::ERR_ABORTED: the next navigation started
    # before a prefetch or a late subresource finished) is no failure of the site.
    page.on(
        "requestfailed",
        lambda r: None if r.failure == "net::ERR_ABORTED" else result.errors.append(f"failed: {r.url} ({r.failure})"),
    )
    for path in sorted(BUILT_PAGES):
        response = page.goto(published.base + path, wait_until="load")
        expected = 404 if path == "404.html" else 200  # 404.html itself is fine either way
        assert response.status in (200, expected), path
        page.locator(".theme-toggle:visible").first.click()
        result.violations += [f"{path}: {v}" for v in page.evaluate("() => window.__kbCsp")]
    page.goto(published.base + "search.html?q=Metaverse", wait_until="load")
    page.wait_for_selector("#search-results li a", timeout=10_000)
    result.violations += [f"search: {v}" for v in page.evaluate("() => window.__kbCsp")]
    page.locator("#search-results li a").first.click()
    page.wait_for_load_state("load")
    result.violations += [f"search result: {v}" for v in page.evaluate("() => window.__kbCsp")]
    result.cookies = context.cookies()
    context.close()
    return result


def test_chromium_shows_every_page_without_csp_violation(visit):
    assert visit.violations == []
    assert visit.errors == []
    assert visit.foreign == []


def test_csp_violations_would_be_seen(published, browser):
    context = browser.new_context()
    context.add_init_script(WATCH_JS)
    page = context.new_page()
    page.goto(published.base + "index.html", wait_until="load")
    page.evaluate("() => { const s = document.createElement('script'); s.textContent = '1'; document.body.append(s); }")
    page.wait_for_timeout(100)
    violations = page.evaluate("() => window.__kbCsp")
    context.close()
    assert violations and violations[0].startswith("script-src"), violations


def test_no_cookies_and_only_the_storage_the_privacy_page_names(visit, published):
    assert visit.cookies == []
    named = {code.get_text() for code in _soup(published.html / "ueber" / "datenschutz.html").select("article code")}
    keys = {entry.split(" ", 1)[1] for entry in visit.stored}
    assert {entry.split(" ", 1)[0] for entry in visit.stored} <= {"local"}, visit.stored
    assert "theme" in keys  # the colour switch was used
    assert keys <= named, f"stored in the browser but not named on the privacy page: {keys - named}"


def test_404_page_has_working_styles_under_any_path(published, browser):
    page = browser.new_page()
    response = page.goto(published.base + "tief/unten/gibt-es-nicht.html", wait_until="load")
    assert response.status == 404
    sheets = page.evaluate("""() => Array.from(document.querySelectorAll('link[rel=stylesheet]')).map(
        l => ({href: l.href, rules: l.sheet ? l.sheet.cssRules.length : 0}))""")
    brand = page.evaluate("() => getComputedStyle(document.body).getPropertyValue('--color-brand-primary').trim()")
    links = page.evaluate("() => Array.from(document.querySelectorAll('footer nav a')).map(a => a.href)")
    page.close()
    assert sheets and all(s["rules"] > 0 for s in sheets), sheets
    assert brand, "kb.css is not applied"
    for link in links:
        assert get(published, urlsplit(link).path).status == 200, link


def test_operator_details_are_shown_and_linked(published):
    details = yaml.safe_load(COMPLETE.read_text(encoding="utf-8"))
    impressum = _soup(published.html / "ueber" / "impressum.html").select_one("article").get_text(" ")
    assert details["operator"]["name"] in impressum and "Angabe fehlt" not in impressum
    statement = _soup(published.html / "ueber" / "barrierefreiheit.html")
    mail = details["accessibility"]["email"]
    links = [a.get_text() for a in statement.select('article a[href^="mailto:"]')]  # Sphinx cloaks the href
    assert mail in links
