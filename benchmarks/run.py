"""`make bench`: measure the build and the pages, write benchmarks/RESULTS.md.

All figures come from this one run, on this machine (issue 16):

* cold builds of the real site and of the real site plus 100 and 1,000
  synthetic case studies (benchmarks/synth.py), each by three tools on the
  same sources: this project (`make html`: strict, furo, all extensions,
  ``-j auto``), bare Sphinx + MyST (benchmarks/baseline/, also ``-j auto``)
  and MkDocs Material (benchmarks/mkdocs_convert.py converts the sources).
  Three rounds, the tools interleaved within each round; the median counts;
* no-change and one-page-edit rebuilds at 100 and 1,000 case studies (this
  project and bare Sphinx), the edit checked for correctness; the real site's
  rebuilds too, and whether two clean builds are byte-identical;
* a serial build at 100 and 1,000 case studies: ``-j auto`` output must equal it;
* page weight of the landing page and the overviews at 1,000 case studies
  and of each page type on the real site: bytes and requests of one page view;
* the search at 1,000 case studies (benchmarks/search.py): index transfer,
  first results and keystroke to results in chromium;
* with ``KB_BENCH_PROFILE=1``, a cProfile run of the serial 1,000-case-study
  build: where the time goes.

Peak RSS is the largest sum of the resident memory of the build's process
tree (``-j`` workers included), sampled every 20 ms. Run: ``make bench``
(or ``.venv/bin/python -m benchmarks.run``).
"""

from __future__ import annotations

import cProfile
import gzip
import importlib.metadata
import os
import platform
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from support.build import ROOT, STRICT, copy_sources, digest, sphinx_command

from benchmarks import search as bench_search
from benchmarks.mkdocs_convert import convert
from benchmarks.synth import make_site, slug
from kb.frontmatter import front_matter

RESULTS = ROOT / "benchmarks" / "RESULTS.md"
FINDINGS = ROOT / "benchmarks" / "FINDINGS.md"
BASELINE = ROOT / "benchmarks" / "baseline"
GIB = 1024**3
# KB_BENCH_QUICK=1 (for a machine busy with other work): one round of everything, no serial
# build at the largest size; RESULTS.md says so.
QUICK = bool(os.environ.get("KB_BENCH_QUICK"))
ROUNDS = 1 if QUICK else 3
EDITED = "case-studies/contall"  # the page the one-page-edit rebuild changes on the real site
SCALES = (100, 1000)
TOOLS = ("this project", "bare Sphinx + MyST", "MkDocs Material")
PAGE_TYPES = {  # page type -> a page of that type on the real site
    "Landing page (kb-listing cards)": "index",
    "Overview (case studies)": "case-studies/index",
    "Case study": "case-studies/contall",
    "Event": "events/jahrestagung-2024",
    "Topic page": "glossary/metaverse",
    "Glossary": "glossary/index",
    "Tag page": "tags/marketing",
    "Search (with search index)": "search",
}
LARGE_PAGES = {  # at 1,000 case studies
    "Landing page": "index",
    "Overview of case studies, page 1": "case-studies/index",
    "Overview of case studies, page 2": "case-studies/index-seite-2",
    "Tag page": "tags/marketing",
    "Glossary": "glossary/index",
    "Case study": f"case-studies/{slug(500)}",
}
PAGE_BUDGET = 150 * 1024  # bytes per page view (issue 5)
# The PDF build before issue 11 (xelatex, TeX Live 2022), measured by this script then.
XELATEX_PDF = "10.6 s, 197 MiB"


# -- Measuring ---------------------------------------------------------------------


@dataclass
class Run:
    seconds: float
    peak_rss: int  # bytes, whole process tree
    returncode: int
    output: str


def _tree_rss(pid: int) -> int:
    """Resident memory of a process and all its descendants, in bytes."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
            total += int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) * 1024
            for task in Path(f"/proc/{p}/task").iterdir():
                stack += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, AttributeError):
            continue  # the process ended meanwhile, or is a zombie without VmRSS
    return total


def measure(cmd: list[str], cwd: Path) -> Run:
    """Run a command; wall time, peak RSS of its process tree, output."""
    log = tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace")
    # Plain output (the tests read it); MkDocs Material without its banner.
    env = {**os.environ, "NO_COLOR": "1", "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, text=True, env=env)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(proc.pid))
            done.wait(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    log.seek(0)
    # ru_maxrss (KiB) is the largest single process; the sampler may miss a short peak.
    return Run(seconds, max(peak, usage.ru_maxrss * 1024), proc.returncode, log.read())


def sphinx(src: Path, out: Path, *extra: str) -> list[str]:
    return sphinx_command(src, out, extra=list(extra))


def checked(run: Run, what: str) -> Run:
    if run.returncode != 0:
        raise SystemExit(f"{what} failed:\n{run.output[-3000:]}")
    return run


def median_run(runs: list[Run]) -> Run:
    ordered = sorted(runs, key=lambda r: r.seconds)
    middle = ordered[len(ordered) // 2]
    return Run(middle.seconds, max(r.peak_rss for r in runs), middle.returncode, middle.output)


def html_digest(outdir: Path) -> dict[str, str]:
    """SHA-256 of every HTML file of a build, by path."""
    return digest(outdir, "*.html")


def output_size(outdir: Path) -> int:
    return sum(p.stat().st_size for p in outdir.rglob("*") if p.is_file() and ".doctrees" not in p.parts)


def edit(src: Path, docname: str, marker: str) -> None:
    """Change one page's summary (shown on its page, the listings and its tag pages)."""
    page = src / f"{docname}.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(re.sub(r"^summary: .*$", f"summary: {marker}", text, count=1, flags=re.M), encoding="utf-8")


def doctree_times(out: Path) -> dict[str, int]:
    """Docname -> mtime of its pickled doctree: a page that is read again gets a new one.

    (The progress lines of a parallel build name only the first and last page of each chunk.)
    """
    base = out / ".doctrees"
    return {p.relative_to(base).with_suffix("").as_posix(): p.stat().st_mtime_ns for p in base.rglob("*.doctree")}


def reread_since(out: Path, before: dict[str, int]) -> set[str]:
    return {doc for doc, mtime in doctree_times(out).items() if before.get(doc) != mtime}


def edit_correct(src: Path, out: Path, reread_docs: set[str], docname: str, marker: str) -> bool:
    """Only the edited page was re-read; the overview and each of its tag pages show the new summary.

    (The listings are written again, not read: kb.cards fills their cards in when writing.)
    """
    # The overview shows the new summary on one of its pages (paged at 1,000 case studies).
    overview = sorted((out / "case-studies").glob("index*.html"))
    fresh = any(marker in page.read_text(encoding="utf-8") for page in overview)
    # Tag pages (and their further pages, "<tag>-seite-2.html") showing it: one per tag of the page.
    showing = {
        page.name.split(".")[0].split("-seite-")[0]
        for page in (out / "tags").glob("*.html")
        if marker in page.read_text(encoding="utf-8")
    }
    topics = front_matter(src / f"{docname}.md").get("topics") or []
    return fresh and reread_docs == {docname} and len(showing) == len(topics)


def git_snapshot(src: Path) -> None:
    """Commit the copy into a throw-away repository, as the real checkout is one."""
    env = {**os.environ, "GIT_AUTHOR_DATE": "2024-11-19T12:00:00", "GIT_COMMITTER_DATE": "2024-11-19T12:00:00"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "benchmark snapshot"]):
        subprocess.run(
            ["git", "-c", "user.name=bench", "-c", "user.email=bench@localhost", *args], cwd=src, check=True, env=env
        )


def command(tool: str, src: Path, out: Path, mkdocs_yml: Path, *, parallel: bool = True) -> list[str]:
    jobs = ["-j", "auto"] if parallel else []
    if tool == TOOLS[0]:
        return sphinx(src, out, *jobs)
    if tool == TOOLS[1]:
        return sphinx(src, out, "-c", str(BASELINE), *jobs)
    return [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(mkdocs_yml), "-d", str(out)]


def measure_site(tmp: Path, name: str, src: Path, edited: str) -> dict:
    """Cold builds by the three tools (interleaved rounds), rebuilds, serial = -j, page weights."""
    key = re.sub(r"\W+", "-", name)
    mkdocs_yml = convert(src, tmp / f"{key}-mkdocs")
    res: dict = {"cold": {tool: [] for tool in TOOLS}, "digests": []}
    outs = {}
    for round_ in range(ROUNDS):
        for tool in TOOLS:
            out = tmp / f"{key}-{TOOLS.index(tool)}-{round_}"
            run = checked(measure(command(tool, src, out, mkdocs_yml), src), f"{name}: cold build, {tool}")
            res["cold"][tool].append(run)
            outs[tool, round_] = out
            if tool == TOOLS[0]:
                res["digests"].append(digest(out))
        for tool in TOOLS[1:]:  # keep only what later steps read
            if round_:
                shutil.rmtree(outs[tool, round_], ignore_errors=True)
    kept = min(1, ROUNDS - 1)  # an untouched output of ours (round 0's takes the rebuilds)
    ours = outs[TOOLS[0], kept]
    res["pages"] = len(html_digest(ours))
    res["size"] = output_size(ours)
    res["out"] = ours
    res["reproducible"] = all(d == res["digests"][0] for d in res["digests"])

    res["serial"], res["serial_same"] = None, None
    if not (QUICK and name == f"{SCALES[-1]:,} case studies"):
        serial_out = tmp / f"{key}-serial"
        res["serial"] = checked(measure(command(TOOLS[0], src, serial_out, mkdocs_yml, parallel=False), src), "serial")
        res["serial_same"] = digest(serial_out) == res["digests"][kept]
        shutil.rmtree(serial_out, ignore_errors=True)

    # Rebuilds in the first round's output directories: no change, then one-page edits.
    rebuilt = {tool: outs[tool, 0] for tool in TOOLS[:2]}
    res["nochange"] = {tool: [] for tool in TOOLS[:2]}
    res["edit"] = {tool: [] for tool in TOOLS[:2]}
    for _ in range(ROUNDS):
        for tool in TOOLS[:2]:
            before = doctree_times(rebuilt[tool])
            run = measure(command(tool, src, rebuilt[tool], mkdocs_yml), src)
            res["nochange"][tool].append(checked(run, f"{name}: no-change rebuild, {tool}"))
            if tool == TOOLS[0]:
                res["nochange_reread"] = reread_since(rebuilt[tool], before)
    correct = []
    for round_ in range(ROUNDS):
        marker = f"Geänderte Zusammenfassung Nummer {round_} für die Messung."
        edit(src, edited, marker)
        for tool in TOOLS[:2]:
            before = doctree_times(rebuilt[tool])
            run = checked(measure(command(tool, src, rebuilt[tool], mkdocs_yml), src), f"{name}: edit, {tool}")
            res["edit"][tool].append(run)
            if tool == TOOLS[0]:
                res["edit_reread"] = reread_since(rebuilt[tool], before)
                correct.append(edit_correct(src, rebuilt[tool], res["edit_reread"], edited, marker))
    res["edit_correct"] = all(correct)
    for tool in TOOLS[:2]:
        if rebuilt[tool] != ours:
            shutil.rmtree(rebuilt[tool], ignore_errors=True)
    return res


# -- Page weight -----------------------------------------------------------------------


class _Assets(HTMLParser):
    """The subresources a browser fetches for a page: stylesheets, scripts, images."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and {"stylesheet", "icon", "preload"} & set((a.get("rel") or "").split()):
            self.urls.append(a.get("href") or "")
        elif tag in ("script", "img") and a.get("src"):
            self.urls.append(a["src"])


def _local(base: Path, url: str) -> Path | None:
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    return (base / parts.path).resolve()


def page_weights(outdir: Path, pages: dict[str, str]) -> dict[str, tuple[int, int, int, int]]:
    """Label -> (HTML bytes, total bytes, total gzip bytes, requests) of one page view."""
    weights = {}
    for label, doc in pages.items():
        page = outdir / f"{doc}.html"
        files = [page]
        parser = _Assets()
        parser.feed(page.read_text(encoding="utf-8"))
        for url in parser.urls:
            path = _local(page.parent, url)
            if path and path.is_file() and path not in files:
                files.append(path)
                if path.suffix == ".css":  # fonts and images the stylesheet pulls in
                    for ref in re.findall(r"url\(['\"]?([^'\")]+)", path.read_text(encoding="utf-8")):
                        sub = _local(path.parent, ref)
                        if sub and sub.is_file() and sub not in files:
                            files.append(sub)
        data = [f.read_bytes() for f in files]
        weights[label] = (
            len(data[0]),
            sum(len(d) for d in data),
            sum(len(gzip.compress(d, 6, mtime=0)) for d in data),
            len(files),
        )
    return weights


# -- Profile ----------------------------------------------------------------------------


def profile(src: Path, out: Path) -> str:
    """cProfile of a serial cold build in this process: the top functions by own time."""
    from sphinx.cmd.build import build_main

    profiler = cProfile.Profile()
    profiler.enable()
    code = build_main(["-b", "html", *STRICT, "-q", "-d", str(out / ".doctrees"), str(src), str(out)])
    profiler.disable()
    if code != 0:
        raise SystemExit("profiled build failed")
    stats = pstats.Stats(profiler)
    total = stats.total_tt
    rows = []
    for (filename, line, name), (_, calls, tottime, cumtime, _) in stats.stats.items():
        rows.append((tottime, cumtime, calls, _short(filename), line, name))
    ours = sum(r[0] for r in rows if r[3].startswith("kb/"))
    lines = [
        f"Serial cold build, {total:.1f} s under cProfile. Own time of the project's extensions (`kb/`): "
        f"{ours:.2f} s ({100 * ours / total:.1f} %).",
        "",
        "| own s | cumulative s | calls | function |",
        "| ---: | ---: | ---: | --- |",
    ]
    for tottime, cumtime, calls, filename, line, name in sorted(rows, reverse=True)[:12]:
        lines.append(f"| {tottime:.2f} | {cumtime:.2f} | {calls} | `{filename}:{line}({name})` |")
    kb = sorted((r for r in rows if r[3].startswith("kb/")), key=lambda r: -r[1])[:5]
    lines += [
        "",
        "Local extensions, by cumulative time:",
        "",
        "| cumulative s | calls | function |",
        "| ---: | ---: | --- |",
    ]
    lines += [f"| {c:.2f} | {n} | `{f}:{ln}({name})` |" for _, c, n, f, ln, name in kb]
    return "\n".join(lines)


def _short(filename: str) -> str:
    if "site-packages/" in filename:
        return filename.split("site-packages/", 1)[1]
    match = re.search(r"/(kb/[^/]+)$", filename)
    return match.group(1) if match else filename


# -- Report -----------------------------------------------------------------------------------


def machine() -> str:
    cpu = re.search(r"model name\s*:\s*(.*)", Path("/proc/cpuinfo").read_text())
    mem = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1)) * 1024
    osr = re.search(r'PRETTY_NAME="([^"]*)"', Path("/etc/os-release").read_text())
    versions = ", ".join(
        f"{pkg} {importlib.metadata.version(pkg)}" for pkg in ("sphinx", "myst-parser", "furo", "sphinx-design")
    )
    return (
        f"{cpu.group(1) if cpu else platform.processor()}, {os.cpu_count()} cores, {mem / GIB:.0f} GiB RAM; "
        f"{osr.group(1) if osr else platform.platform()}; Python {platform.python_version()}; {versions}"
    )


def s(run: Run) -> str:
    return f"{run.seconds:.2f} s"


def med(runs: list[Run]) -> float:
    return statistics.median(r.seconds for r in runs)


def peak(runs: list[Run]) -> int:
    return max(r.peak_rss for r in runs)


def mib(n: int) -> str:
    return f"{n / 1024**2:.0f} MiB"


def kib(n: int) -> str:
    return f"{n / 1024:.1f} KiB"


def ok(flag: bool) -> str:
    return "met" if flag else "**not met**"


def pdf_build(tmp: Path, src: Path) -> str:
    """The PDF as `make pdf` builds it (builder `pdf` of kb/pdf.py, WeasyPrint): a report line.

    Two builds: the book alone (`-D kb_pdf_handouts=0`), then the book and the handouts
    as `make pdf` sets them (after the book, in the same process); the handouts' time is
    the difference, and the one the build logs ("PDF handouts: N in x s").
    """
    runs = {}
    for name, extra in (("book", ["-D", "kb_pdf_handouts=0"]), ("all", [])):
        out = tmp / f"pdf-{name}"
        cmd = [sys.executable, "-m", "sphinx", "-b", "pdf", str(src), str(out), "-d", str(tmp / f"pdf-{name}-doctrees")]
        run = measure(cmd + extra, src)
        pdfs = sorted(out.glob("*.pdf"))
        if run.returncode or not pdfs:
            last = (run.output.strip().splitlines() or [""])[-1]
            return f"PDF build (`make pdf`, {name}) failed after {s(run)}: `{last}`"
        runs[name] = run, pdfs[0]
    (book, pdf), (whole, _) = runs["book"], runs["all"]
    pages = re.search(r"^PDF: .*, (\d+) pages\b", book.output, re.M)
    handouts = re.search(r"^PDF handouts: (\d+) in ([\d.]+) s", whole.output, re.M)
    count, logged = (handouts.group(1), f"{float(handouts.group(2)):.2f} s") if handouts else ("?", "?")
    return (
        f"PDF build (`make pdf`, WeasyPrint) of the real site: the book {s(book)}, peak RSS {mib(book.peak_rss)}, "
        f"{pages.group(1) if pages else '?'} pages, {pdf.stat().st_size / 1024:.0f} KiB; "
        f"with the {count} handouts {s(whole)}, peak RSS {mib(whole.peak_rss)} "
        f"(handouts +{whole.seconds - book.seconds:.2f} s; logged by the build: {logged}); "
        f"before (issue 11): xelatex via latexmk {XELATEX_PDF}."
    )


def report(
    sites: dict[str, dict], weights_real: dict, weights_large: dict, prof: str, elapsed: float, pdf: str, search=()
) -> str:
    ours, bare, mkdocs = TOOLS
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (benchmarks/run.py); every figure below comes from one run.",
        "",
        f"- Machine: {machine()}",
        f"- Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; whole run {elapsed / 60:.1f} min",
        f"- Times: wall clock, median of {ROUNDS} rounds; in each round the three tools build one after the other",
        "  (interleaved), each into a fresh output directory."
        + (
            " **Quick run** (`KB_BENCH_QUICK=1`): one round, because the machine was busy with other work;"
            " no serial build at the largest size."
            if QUICK
            else ""
        ),
        "- This project: `make html`'s command (strict, furo, all extensions, `-j auto`). Bare Sphinx + MyST:",
        "  `-c benchmarks/baseline` (theme `basic`, directive stubs; also `-j auto`). MkDocs Material:",
        "  `mkdocs build` of the same sources converted by `benchmarks/mkdocs_convert.py`.",
        "- Peak RSS: largest sum of resident memory over the build's process tree (`-j` workers included).",
        "- The machine is shared with other work; expect a few per cent of noise between runs.",
        "",
        "## Cold builds",
        "",
        f"| Site | HTML pages | {ours} | {bare} | {mkdocs} | ours / bare | ours / MkDocs | peak RSS (ours) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, r in sites.items():
        c = r["cold"]
        lines.append(
            f"| {name} | {r['pages']} | {med(c[ours]):.2f} s | {med(c[bare]):.2f} s | {med(c[mkdocs]):.2f} s | "
            f"{med(c[ours]) / med(c[bare]):.2f} × | {med(c[ours]) / med(c[mkdocs]):.2f} × | {mib(peak(c[ours]))} |"
        )
    lines += [
        "",
        "The baseline (benchmarks/baseline/) uses only myst_parser with the same MyST settings and language.",
        "The sphinx-design and kb directive names are registered by a stub that parses the directive's",
        "content as plain Markdown and renders `kb-listing` as nothing: card generation, the theme and the",
        "extensions are what the ratio measures. The MkDocs sources get the generated cards and key-facts",
        "tables written into their Markdown (MkDocs has no directive for them); MkDocs Material has no",
        "paged overviews, so its overview page lists every card.",
        "",
        pdf,
        "",
        "## Rebuilds (same output directory)",
        "",
        f"| Site | no change: {ours} | no change: {bare} | one-page edit: {ours} | one-page edit: {bare} | "
        "edit ours / bare | pages re-read (ours) | listings fresh |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for name, r in sites.items():
        n, e = r["nochange"], r["edit"]
        reread_docs = ", ".join(sorted(r["edit_reread"])) if len(r["edit_reread"]) < 12 else f"{len(r['edit_reread'])}"
        lines.append(
            f"| {name} | {med(n[ours]):.2f} s | {med(n[bare]):.2f} s | {med(e[ours]):.2f} s | {med(e[bare]):.2f} s | "
            f"{med(e[ours]) / med(e[bare]):.2f} × | {reread_docs} | {'yes' if r['edit_correct'] else '**no**'} |"
        )
    lines += [
        "",
        "The edit changes the `summary` of one case study (real site: `case-studies/contall.md`; synthetic sites:",
        "the middle one), which its page, the landing page, the case-study overview and its tag pages show.",
        "Pages re-read: those whose pickled doctree was written again; the pages that list the edited one are",
        "written again without being read (kb.cards fills listings in when writing, from the cached front matter).",
        "No-change rebuilds of this project",
        "re-read: " + ", ".join(f"{name}: {len(r['nochange_reread'])}" for name, r in sites.items()) + ".",
        "",
        "## Serial and parallel",
        "",
        "| Site | serial (ours) | `-j auto` (ours) | output of `-j auto` = serial | two clean builds identical |",
        "| --- | ---: | ---: | --- | --- |",
    ]
    for name, r in sites.items():
        same = "not run (quick run)" if r["serial"] is None else "yes" if r["serial_same"] else "**no**"
        serial = s(r["serial"]) if r["serial"] else "–"
        repro = "–" if ROUNDS == 1 else "yes" if r["reproducible"] else "**no**"
        lines.append(f"| {name} | {serial} | {med(r['cold'][ours]):.2f} s | {same} | {repro} |")
    lines += [
        "",
        "## Page weight at 1,000 case studies (one page view, cold cache)",
        "",
        "| Page | File | HTML | All files | All files, gzip | Requests | ≤ 150 KiB |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for label, (html, total, zipped, requests) in weights_large.items():
        lines.append(
            f"| {label} | `{LARGE_PAGES[label]}.html` | {kib(html)} | {kib(total)} | {kib(zipped)} | {requests} | "
            f"{'yes' if total <= PAGE_BUDGET else '**no**'} |"
        )
    lines += [
        "",
        "## Page weight per page type (real site, one page view, cold cache)",
        "",
        "| Page type | Page | HTML | All files | All files, gzip | Requests |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for label, (html, total, zipped, requests) in weights_real.items():
        lines.append(
            f"| {label} | `{PAGE_TYPES[label]}.html` | {kib(html)} | {kib(total)} | {kib(zipped)} | {requests} |"
        )
    lines += [
        "",
        "Requests: the page plus the stylesheets, scripts and images it references (and files those stylesheets",
        "reference); furo uses system fonts, so there are no font files.",
        "",
        *([*search, ""] if search else []),
        "## Targets (issue 16)",
        "",
        "| Target | Measured | Result |",
        "| --- | --- | --- |",
    ]
    for name, r in sites.items():
        ratio = med(r["cold"][ours]) / med(r["cold"][bare])
        lines.append(
            f"| Cold build ≤ 1.2 × bare Sphinx + MyST, {name} | {med(r['cold'][ours]):.2f} s / "
            f"{med(r['cold'][bare]):.2f} s = {ratio:.2f} × | {ok(ratio <= 1.2)} |"
        )
    large = sites[f"{SCALES[-1]:,} case studies"]
    lines.append(
        f"| Faster than MkDocs Material at 1,000 case studies | {med(large['cold'][ours]):.2f} s vs "
        f"{med(large['cold'][mkdocs]):.2f} s | {ok(med(large['cold'][ours]) < med(large['cold'][mkdocs]))} |"
    )
    edit_ratio = med(large["edit"][ours]) / med(large["edit"][bare])
    lines.append(
        f"| One-page edit at 1,000 case studies ≤ 2 × bare Sphinx's | {med(large['edit'][ours]):.2f} s / "
        f"{med(large['edit'][bare]):.2f} s = {edit_ratio:.2f} × | {ok(edit_ratio <= 2)} |"
    )
    all_correct = all(r["edit_correct"] for r in sites.values())
    lines.append(
        f"| Edit rebuild correct (only the page re-read; overview and tag pages fresh) | "
        f"{'all sites' if all_correct else 'stale or wrong pages'} | {ok(all_correct)} (also `tests/test_performance.py`) |"
    )
    rss = max(peak(r["cold"][ours] + r["edit"][ours]) for r in sites.values())
    lines.append(f"| Peak RSS ≤ 1 GiB | largest: {mib(rss)} | {ok(rss <= GIB)} |")
    heavy = [label for label, w in weights_large.items() if w[1] > PAGE_BUDGET]
    light = [label for label in weights_large if label.startswith(("Landing", "Overview"))]
    lines.append(
        f"| Landing and overview pages ≤ 150 KiB per page view at 1,000 case studies | "
        f"{', '.join(f'{label}: {kib(weights_large[label][1])}' for label in light)} | "
        f"{ok(not set(heavy) & set(light))} |"
    )
    same = all(r["serial_same"] is not False for r in sites.values())
    lines.append(f"| `-j auto` output = serial output | {'every site' if same else 'differs'} | {ok(same)} |")
    repro = all(r["reproducible"] for r in sites.values())
    if ROUNDS > 1:
        repro_cell, repro_result = f"{ROUNDS} cold builds per site", ok(repro)
    else:
        repro_cell, repro_result = "not compared (one round)", "see `tests/test_performance.py`"
    lines.append(f"| Two clean builds byte-identical | {repro_cell} | {repro_result} |")
    lines += ["", f"## Profile: {SCALES[-1]:,} case studies, serial (this run)", "", prof, ""]
    if FINDINGS.exists():
        lines += [FINDINGS.read_text(encoding="utf-8").strip(), ""]
    return "\n".join(lines)


def main() -> int:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="kb-bench-") as name:
        tmp = Path(name)
        real = copy_sources(tmp / "real-src")
        git_snapshot(real)
        sites = {}
        print("real site ...", flush=True)
        sites["real site"] = measure_site(tmp, "real site", real, EDITED)
        weights_real = page_weights(sites["real site"]["out"], PAGE_TYPES)
        print("PDF ...", flush=True)
        pdf = pdf_build(tmp, real)
        for n in SCALES:
            label = f"{n:,} case studies"
            print(f"{label} ...", flush=True)
            src = make_site(tmp / f"synth-{n}", n)
            sites[label] = measure_site(tmp, label, src, f"case-studies/{slug(n // 2)}")
        weights_large = page_weights(sites[f"{SCALES[-1]:,} case studies"]["out"], LARGE_PAGES)
        print("search ...", flush=True)
        search = bench_search.report(sites[f"{SCALES[-1]:,} case studies"]["out"], f"{SCALES[-1]:,} case studies")
        prof = "Not run: `KB_BENCH_PROFILE=1 make bench` adds it (it doubles the time of the run)."
        if os.environ.get("KB_BENCH_PROFILE"):
            print(f"profile: {SCALES[-1]:,} case studies ...", flush=True)
            prof = profile(src, tmp / "profile")
    text = report(sites, weights_real, weights_large, prof, time.perf_counter() - started, pdf, search)
    RESULTS.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
