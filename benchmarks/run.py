"""`make bench`: measure the build and the pages, write benchmarks/RESULTS.md.

All figures come from this one run, on this machine:

* the real site (a copy of the build inputs, committed into a throw-away git
  repository so "Zuletzt aktualisiert" works as in the real checkout): cold
  HTML build, no-change rebuild, one-page-edit rebuild (checked for
  correctness), PDF build; time and peak RSS of each;
* the baseline: the same copy built by bare Sphinx + MyST (benchmarks/baseline/);
* scale: the real site plus 100 and 1,000 synthetic case studies
  (benchmarks/synth.py), built serially and with ``-j auto``;
* a cProfile run of the 1,000-case-study build: where the time goes;
* page weight per page type: bytes and requests of one page view.

Times are wall-clock seconds; where a build is cheap it runs three times and
the median counts. Peak RSS is the largest sum of the resident memory of the
sphinx-build process tree (workers of ``-j`` included), sampled
every 20 ms. Run: ``make bench`` (or ``.venv/bin/python -m benchmarks.run``).
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
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from benchmarks.synth import make_site, slug
from kb.frontmatter import front_matter
from kb.testing import ROOT, STRICT, copy_sources, digest, reread, sphinx_command

RESULTS = ROOT / "benchmarks" / "RESULTS.md"
FINDINGS = ROOT / "benchmarks" / "FINDINGS.md"
GIB = 1024**3
EDITED = "case-studies/contall"  # the page the one-page-edit rebuild changes
LISTINGS = {"case-studies/index", "index"}  # the pages whose kb-listing shows it
SCALES = (100, 1000)
PAGE_TYPES = {  # page type -> a page of that type on the real site
    "Landing page (kb-listing cards)": "index",
    "Overview (case studies)": "case-studies/index",
    "Case study": "case-studies/contall",
    "Event": "events/jahrestagung-2024",
    "Topic page": "glossary/metaverse",
    "Glossary": "glossary/index",
    "Search (with search index)": "search",
}


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
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, text=True)
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


def edit_rebuild(src: Path, out: Path, docname: str, tag: str) -> tuple[Run, bool]:
    """Change one page's summary, rebuild; correct if exactly it and the listings were re-read
    and both listings show the new summary."""
    page = src / f"{docname}.md"
    marker = f"Geänderte Zusammenfassung {tag} für die Messung."
    text = page.read_text(encoding="utf-8")
    page.write_text(re.sub(r"^summary: .*$", f"summary: {marker}", text, count=1, flags=re.M), encoding="utf-8")
    run = checked(measure(sphinx(src, out), src), f"one-page-edit rebuild of {docname}")
    fresh = all(marker in (out / f"{doc}.html").read_text(encoding="utf-8") for doc in LISTINGS)
    # Besides the page and the listings, the tag pages listing it (one per tag) are re-read.
    expected = {docname, *LISTINGS}
    extra = reread(run.output) - expected
    topics = front_matter(page).get("topics") or []
    tags_only = all(doc.startswith("tags/") for doc in extra) and len(extra) <= len(topics)
    return run, fresh and expected <= reread(run.output) and tags_only


# -- The real site -------------------------------------------------------------------


def git_snapshot(src: Path) -> None:
    """Commit the copy into a throw-away repository, as the real checkout is one."""
    env = {**os.environ, "GIT_AUTHOR_DATE": "2024-11-19T12:00:00", "GIT_COMMITTER_DATE": "2024-11-19T12:00:00"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "benchmark snapshot"]):
        subprocess.run(
            ["git", "-c", "user.name=bench", "-c", "user.email=bench@localhost", *args], cwd=src, check=True, env=env
        )


def real_site(tmp: Path) -> dict:
    src = copy_sources(tmp / "site")
    git_snapshot(src)
    res: dict = {}

    colds, digests = [], []
    for i in range(3):
        out = tmp / f"cold-{i}"
        colds.append(checked(measure(sphinx(src, out), src), "cold HTML build"))
        digests.append(html_digest(out))
    res["cold"] = median_run(colds)
    res["pages"] = len(digests[0])
    res["reproducible"] = all(d == digests[0] for d in digests)
    out = tmp / "cold-0"
    res["weights"] = page_weights(out)

    res["nochange"] = median_run([checked(measure(sphinx(src, out), src), "no-change rebuild") for _ in range(3)])
    res["nochange_reread"] = reread(res["nochange"].output)

    edits = [edit_rebuild(src, out, EDITED, f"Nummer {i}") for i in range(3)]
    correct = all(ok for _, ok in edits)
    edits = [run for run, _ in edits]
    res["edit"] = median_run(edits)
    res["edit_reread"] = reread(edits[-1].output)
    res["edit_correct"] = correct

    baselines = [
        checked(measure(sphinx(src, tmp / f"base-{i}", "-c", str(ROOT / "benchmarks" / "baseline")), src), "baseline")
        for i in range(3)
    ]
    res["baseline"] = median_run(baselines)

    # The PDF as `make pdf` builds it: the print document (builder `pdf` of kb/pdf.py),
    # set by WeasyPrint as PDF/UA-1 in the same process.
    pdf_out = tmp / "pdf"
    cmd = [sys.executable, "-m", "sphinx", "-b", "pdf", str(src), str(pdf_out), "-d", str(tmp / "pdf-doctrees")]
    pdf = measure(cmd, src)
    pdfs = sorted(pdf_out.glob("*.pdf"))
    res["pdf"] = pdf
    res["pdf_ok"] = pdf.returncode == 0 and bool(pdfs)
    res["pdf_error"] = (pdf.output.strip().splitlines() or [""])[-1]
    res["pdf_size"] = pdfs[0].stat().st_size if pdfs else 0
    pages = re.search(r"^PDF: .*, (\d+) pages$", pdf.output, re.M)
    res["pdf_pages"] = int(pages.group(1)) if pages else 0
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


def page_weights(outdir: Path) -> dict[str, tuple[int, int, int, int]]:
    """Page type -> (HTML bytes, total bytes, total gzip bytes, requests) of one page view."""
    weights = {}
    for label, doc in PAGE_TYPES.items():
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


# -- Scale ------------------------------------------------------------------------------


def scale(tmp: Path) -> dict[int, dict]:
    res = {}
    for n in SCALES:
        src = make_site(tmp / f"synth-{n}" / "src", n)
        serial_out, parallel_out = tmp / f"synth-{n}" / "serial", tmp / f"synth-{n}" / "parallel"
        serial = checked(measure(sphinx(src, serial_out), src), f"{n} case studies, serial")
        parallel = checked(measure(sphinx(src, parallel_out, "-j", "auto"), src), f"{n} case studies, -j auto")
        res[n] = {
            "pages": len(html_digest(serial_out)),
            "serial": serial,
            "parallel": parallel,
            "size": output_size(serial_out),
            "same": html_digest(serial_out) == html_digest(parallel_out),
            "src": src,
        }
        res[n]["edit"], res[n]["edit_ok"] = edit_rebuild(src, serial_out, f"case-studies/{slug(n // 2)}", f"N{n}")
    return res


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
        f"Serial cold build, {total:.1f} s under cProfile. Own time of the local extensions (`kb/`): "
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


# The PDF build before issue 11 (xelatex, TeX Live 2022), measured by this script then.
XELATEX_PDF = "10.6 s, 197 MiB"


def mib(n: int) -> str:
    return f"{n / 1024**2:.0f} MiB"


def ok(flag: bool) -> str:
    return "met" if flag else "**not met**"


def report(real: dict, big: dict[int, dict], prof: str, elapsed: float) -> str:
    cold, base, edit, nochange, pdf = real["cold"], real["baseline"], real["edit"], real["nochange"], real["pdf"]
    small, large = big[SCALES[0]], big[SCALES[1]]
    ratio_scale = large["serial"].seconds / small["serial"].seconds
    edit_share = edit.seconds / cold.seconds
    base_ratio = cold.seconds / base.seconds
    all_fresh = real["edit_correct"] and all(r["edit_ok"] for r in big.values())
    peak_1000 = max(large["serial"].peak_rss, large["parallel"].peak_rss)
    pdf_cell = (
        f"{s(pdf)} | {mib(pdf.peak_rss)} | `sphinx-build -b pdf` (WeasyPrint, PDF/UA-1), {real['pdf_pages']} pages, "
        f"PDF {real['pdf_size'] / 1024:.0f} KiB; before (issue 11): xelatex via latexmk {XELATEX_PDF}"
        if real["pdf_ok"]
        else f"failed | {mib(pdf.peak_rss)} | `sphinx-build -b pdf` failed after {s(pdf)}: `{real['pdf_error']}`"
    )
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (benchmarks/run.py); every figure below comes from one run.",
        "",
        f"- Machine: {machine()}",
        f"- Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; whole run {elapsed / 60:.1f} min",
        "- Times: wall clock; builds costing about a second ran three times, the median counts.",
        "- Peak RSS: largest sum of resident memory over the sphinx-build process tree (workers included).",
        "",
        f"## Real site ({real['pages']} HTML pages)",
        "",
        "| Build | Time | Peak RSS | Notes |",
        "| --- | ---: | ---: | --- |",
        f"| Cold HTML build (strict, furo, all extensions) | {s(cold)} | {mib(cold.peak_rss)} | "
        "fresh output and doctree dirs |",
        f"| No-change rebuild | {s(nochange)} | {mib(nochange.peak_rss)} | "
        f"pages re-read: {len(real['nochange_reread'])} |",
        f"| One-page-edit rebuild (`summary` of `{EDITED}.md`) | {s(edit)} | {mib(edit.peak_rss)} | "
        f"re-read: {', '.join(sorted(real['edit_reread']))} |",
        f"| PDF build (`make pdf`) | {pdf_cell} |",
        f"| Baseline: bare Sphinx + MyST, same sources | {s(base)} | {mib(base.peak_rss)} | "
        "`-c benchmarks/baseline`: theme `basic`, directive stubs |",
        "",
        "The baseline (benchmarks/baseline/) uses only myst_parser with the same MyST settings and language.",
        "The sphinx-design and kb-* directive names are registered by a stub that parses the directive's",
        "content as plain Markdown (so text, terms and links inside cards cost the same) and renders",
        "`kb-listing` as nothing: card generation is part of what the ratio measures.",
        "",
        "## Scale (real site + N synthetic case studies; `kb_sidebar_full_max_pages` = 300)",
        "",
        "| Case studies | HTML pages | Serial time | Serial peak RSS | `-j auto` time | `-j auto` peak RSS | "
        "Output size | `-j auto` HTML = serial | One-page edit (serial) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |",
    ]
    for n, r in big.items():
        lines.append(
            f"| {n} | {r['pages']} | {s(r['serial'])} | {mib(r['serial'].peak_rss)} | {s(r['parallel'])} | "
            f"{mib(r['parallel'].peak_rss)} | {mib(r['size'])} | {'yes' if r['same'] else '**no**'} | "
            f"{s(r['edit'])} ({100 * r['edit'].seconds / r['serial'].seconds:.0f} %, "
            f"{'listings fresh' if r['edit_ok'] else '**stale**'}) |"
        )
    lines += [
        "",
        "Synthetic pages come from `templates/case-study.md` via `kb/newpage.py`, with front matter valid",
        "against `schemas/case-study.schema.yaml`, four glossary terms and four cross-references each (two",
        "programme points, two neighbouring case studies); every one appears in the two `kb-listing` grids.",
        "",
        "## Page weight per page type (real site, one page view, cold cache)",
        "",
        "| Page type | Page | HTML | All files | All files, gzip | Requests |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for label, (html, total, zipped, requests) in real["weights"].items():
        lines.append(
            f"| {label} | `{PAGE_TYPES[label]}.html` | {html / 1024:.1f} KiB | {total / 1024:.1f} KiB | "
            f"{zipped / 1024:.1f} KiB | {requests} |"
        )
    lines += [
        "",
        "Requests: the page plus the stylesheets, scripts and images it references (and files those stylesheets",
        "reference); furo uses system fonts, so there are no font files.",
        "",
        "## Targets",
        "",
        "| Target | Measured | Result |",
        "| --- | --- | --- |",
        f"| One-page edit rebuild ≤ 25 % of cold build, real site | {s(edit)} / {s(cold)} = {100 * edit_share:.0f} % | "
        f"{ok(edit_share <= 0.25)}: the fixed start-up (imports, extension setup, environment; see the "
        f"no-change rebuild, {s(nochange)}) is {100 * nochange.seconds / cold.seconds:.0f} % of this small site's "
        "cold build |",
    ]
    for n, r in big.items():
        share = r["edit"].seconds / r["serial"].seconds
        lines.append(
            f"| One-page edit rebuild ≤ 25 % of cold build, {n} case studies | "
            f"{s(r['edit'])} / {s(r['serial'])} = {100 * share:.0f} % | {ok(share <= 0.25)} |"
        )
    lines += [
        f"| Edit rebuild correct: page and both listings re-read, no stale overview | "
        f"{'listings show the new summary' if all_fresh else 'stale or wrong pages'} | "
        f"{ok(all_fresh)} (also `tests/test_performance.py`) |",
        f"| t(1,000)/t(100) ≤ 10 (serial) | {s(large['serial'])} / {s(small['serial'])} = {ratio_scale:.1f} | "
        f"{ok(ratio_scale <= 10)} |",
        f"| Peak RSS ≤ 1 GiB at 1,000 case studies | serial {mib(large['serial'].peak_rss)}, "
        f"`-j auto` {mib(large['parallel'].peak_rss)} | {ok(peak_1000 <= GIB)} |",
        f"| Cold build ≤ 1.5 × bare baseline | {s(cold)} / {s(base)} = {base_ratio:.2f} × | {ok(base_ratio <= 1.5)} |",
        f"| `-j auto` output = serial output | HTML identical at 100 and 1,000: "
        f"{'yes' if small['same'] and large['same'] else 'no'} | {ok(small['same'] and large['same'])} "
        "(also `tests/test_performance.py`) |",
        f"| Two clean builds byte-identical | 3 cold builds of the real site: "
        f"{'identical' if real['reproducible'] else 'differ'} | {ok(real['reproducible'])} "
        "(also `tests/test_performance.py`) |",
        f"| `make bench` < 15 min | {elapsed / 60:.1f} min | {ok(elapsed < 15 * 60)} |",
        "",
        f"## Profile: {SCALES[1]} case studies (this run)",
        "",
        prof,
        "",
    ]
    if FINDINGS.exists():
        lines += [FINDINGS.read_text(encoding="utf-8").strip(), ""]
    return "\n".join(lines)


def main() -> int:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="kb-bench-") as name:
        tmp = Path(name)
        print("real site: cold, no-change, edit, baseline, PDF ...", flush=True)
        real = real_site(tmp)
        print("scale: 100 and 1,000 case studies, serial and -j auto ...", flush=True)
        big = scale(tmp)
        print("profile: 1,000 case studies ...", flush=True)
        prof = profile(big[SCALES[1]]["src"], tmp / "profile")
        shutil.rmtree(tmp / "profile", ignore_errors=True)
    text = report(real, big, prof, time.perf_counter() - started)
    RESULTS.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
