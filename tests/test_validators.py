"""Independent validators on every built page (issue 13).

* W3C Nu HTML checker (vnu-jar, Java): no errors;
* pa11y (HTML_CodeSniffer, WCAG 2 AA) in Debian's chromium: no errors;
* Lighthouse (desktop and, issue 25, mobile) in Debian's chromium: accessibility,
  best practices and SEO 100; the 404 and search pages keep their ``noindex``
  (SEO "is-crawlable").

The tools are npm packages that the Makefile installs into .venv/validators
(tools/validators/package.json, pinned by its lock file); the site is served on
127.0.0.1 only. Run the whole file through `make test` (or `make pytest`).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from conftest import BUILT_PAGES, ROOT, kb_browser

# One pytest-xdist worker runs this module: its session fixtures are expensive (Makefile, TEST_WORKERS).
pytestmark = pytest.mark.xdist_group("validators")

VALIDATORS = Path(os.environ.get("KB_VALIDATORS", ROOT / ".venv" / "validators"))
CHECK = ROOT / "tools" / "validators" / "check.mjs"
VNU = VALIDATORS / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# Pages that must not be indexed by search engines (robots noindex).
NOINDEX = {"search.html", "404.html"}
# Lighthouse's form factors, each page in each (issue 25: mobile too, about 3.5 s a page).
LIGHTHOUSE_FORMS = ["desktop", "mobile"]


def _require_validators() -> None:
    assert (VALIDATORS / "node_modules").is_dir() and VNU.is_file(), (
        f"validators missing in {VALIDATORS}: run `make test` (installs them with npm ci)"
    )
    assert shutil.which("java") and shutil.which("node"), "java and node are installed by `make test`"


def _node_job(tool: str, base_url: str, pages: list[str], **extra) -> subprocess.Popen:
    """Start pa11y or Lighthouse (tools/validators/check.mjs) over pages; read it with _node_result."""
    job = {
        "tool": tool,
        "base": base_url,
        "pages": pages,
        "chromium": kb_browser.CHROMIUM,
        "flags": kb_browser.CHROMIUM_FLAGS,
        **extra,
    }
    log = tempfile.TemporaryFile()  # stderr: a pipe nobody reads while the others run could fill up
    proc = subprocess.Popen(
        ["node", str(CHECK), json.dumps(job)],
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        env={**os.environ, "KB_VALIDATORS": str(VALIDATORS)},
    )
    proc.kb_log = log
    return proc


def _node_result(proc: subprocess.Popen) -> dict:
    stdout, _ = proc.communicate(timeout=1500)
    proc.kb_log.seek(0)
    assert proc.returncode == 0, proc.kb_log.read().decode(errors="replace")[-3000:]
    return json.loads(stdout)


def _vnu_job(files: list[str]) -> subprocess.Popen:
    """Start the W3C Nu checker on HTML files; read it with _vnu_result."""
    return subprocess.Popen(
        ["java", "-jar", str(VNU), "--format", "json", "--exit-zero-always", *files],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _vnu_result(proc: subprocess.Popen, timeout: int) -> list[dict]:
    _stdout, stderr = proc.communicate(timeout=timeout)
    return json.loads(stderr)["messages"]


def _vnu(files: list[str], timeout: int) -> list[dict]:
    """The W3C Nu checker's messages for the given HTML files."""
    return _vnu_result(_vnu_job(files), timeout)


@pytest.fixture(scope="module")
def reports(real_site, base_url) -> dict:
    """vnu, pa11y and Lighthouse (two processes, half the pages each) at the same time: each waits on
    its browser or Java for much of its run, so together they take about as long as Lighthouse alone."""
    _require_validators()
    half = len(BUILT_PAGES) // 2
    jobs = {
        "vnu": _vnu_job([str(real_site.root / page) for page in BUILT_PAGES]),
        "pa11y": _node_job("pa11y", base_url, BUILT_PAGES),
        "lighthouse-1": _node_job("lighthouse", base_url, BUILT_PAGES[:half], forms=LIGHTHOUSE_FORMS),
        "lighthouse-2": _node_job("lighthouse", base_url, BUILT_PAGES[half:], forms=LIGHTHOUSE_FORMS),
    }
    try:
        found = {"vnu": _vnu_result(jobs.pop("vnu"), timeout=600), "pa11y": _node_result(jobs.pop("pa11y"))}
        found["lighthouse"] = {**_node_result(jobs.pop("lighthouse-1")), **_node_result(jobs.pop("lighthouse-2"))}
    finally:
        for proc in jobs.values():  # (only after a failure)
            proc.kill()
    return found


@pytest.fixture(scope="module")
def vnu(reports, real_site) -> dict[str, list[dict]]:
    site = real_site
    found: dict[str, list[dict]] = {page: [] for page in BUILT_PAGES}
    for message in reports["vnu"]:
        page = Path(message["url"].removeprefix("file:")).resolve().relative_to(site.root.resolve()).as_posix()
        found[page].append(message)
    return found


@pytest.fixture(scope="module")
def pa11y(reports) -> dict[str, list[dict]]:
    return reports["pa11y"]


@pytest.fixture(scope="module")
def lighthouse(reports) -> dict[str, dict]:
    return reports["lighthouse"]


def test_validators_report_per_page(vnu, pa11y, lighthouse):
    """The per-page figures (printed with -s); every page was checked by every tool."""
    lines = [f"{'page':45} vnu err/warn  pa11y err/warn  lighthouse a11y/bp/seo"]
    for page in BUILT_PAGES:
        v = vnu[page]
        p = pa11y[page]
        s = lighthouse[page]["scores"]
        lines.append(
            f"{page:45} {sum(m['type'] == 'error' for m in v):3}/{sum(m.get('subType') == 'warning' for m in v):<8}"
            f" {sum(i['type'] == 'error' for i in p):3}/{sum(i['type'] == 'warning' for i in p):<10}"
            f" {s['accessibility']}/{s['best-practices']}/{s['seo']}"
        )
    print("\n" + "\n".join(lines))
    assert set(pa11y) == set(BUILT_PAGES)
    assert set(lighthouse) == {
        page if form == "desktop" else f"{page}@{form}" for page in BUILT_PAGES for form in LIGHTHOUSE_FORMS
    }


@pytest.mark.parametrize("page", BUILT_PAGES)
def test_nu_html_checker_finds_no_error(vnu, page):
    errors = [f"{m.get('lastLine')}: {m['message']}" for m in vnu[page] if m["type"] == "error"]
    assert errors == [], f"{page}: {errors}"


@pytest.mark.parametrize("page", BUILT_PAGES)
def test_pa11y_finds_no_error(pa11y, page):
    errors = [f"{i['code']} {i['selector']}: {i['message']}" for i in pa11y[page] if i["type"] == "error"]
    assert errors == [], f"{page}: {errors}"


@pytest.mark.parametrize("form", LIGHTHOUSE_FORMS)
@pytest.mark.parametrize("page", BUILT_PAGES)
def test_lighthouse_scores_100(lighthouse, page, form):
    result = lighthouse[page if form == "desktop" else f"{page}@{form}"]
    failed = [f for f in result["failed"] if not (page in NOINDEX and f.startswith("seo: is-crawlable"))]
    assert failed == [], f"{page}: {result['scores']} {failed}"
    scores = result["scores"]
    assert scores["accessibility"] == 100 and scores["best-practices"] == 100, f"{page}: {scores}"
    if page not in NOINDEX:
        assert scores["seo"] == 100, f"{page}: {scores}"


def test_validators_can_fail(tmp_path):
    # A page with a duplicate id and a form without a submit button is reported.
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!doctype html><html lang="de"><head><meta charset="utf-8"><title>x</title></head>'
        '<body><main><p id="a">x</p><p id="a">y</p></main></body></html>',
        encoding="utf-8",
    )
    _require_validators()
    assert any(m["type"] == "error" for m in _vnu([str(bad)], timeout=120))
