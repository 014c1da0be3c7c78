"""Run mutations (support.mutations) through strict builds of a copy of the site and judge them.

One copy, one output folder: a clean build first, then per mutation the mutated
file is written and built twice (the second build incremental, as a repeated
``make html``); then the file is restored and, where the mutation changed
anything, built once more, which must be clean and give the baseline pages
again (else the copy is rebuilt from scratch). Builds run ``sphinx-build``'s own
entry point in a forked child of a process that has imported Sphinx and kb
once: the same code path and output as the command, without a second of
start-up per build.
"""

from __future__ import annotations

import hashlib
import importlib
import io
import multiprocessing.util
import os
import pkgutil
import random
import re
import select
import shutil
import signal
import sys
import time
import traceback
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from support.build import STRICT, copy_sources
from support.mutations import KINDS, Mutation, mutate

BUILD_TIMEOUT = 120  # seconds; a build of the site takes about 3
WARNING = re.compile(r"^(?:(?P<path>.+?):(?P<line>\d+): )?(?:WARNING|ERROR|CRITICAL): (?P<message>.*)$", re.M)
BROKEN = re.compile(
    r"Traceback \(most recent call last\)|Exception occurred|Configuration error|Extension error|"
    r"Interner Fehler|Sphinx error|Dependency file|PosixPath\("
)
GERMAN = re.compile(r"[äöüÄÖÜß„“]|\b(der|die|das|nicht|ist|ein|eine|und|Seite|Feld|Zeile|Block|Datei|gibt)\b")


def _preimport() -> None:
    """Import Sphinx, the extensions and kb in this process, so that forked builds start warm."""
    import sphinx.cmd.build  # noqa: F401

    for name in (
        "myst_parser",
        "sphinx_design",
        "furo",
        "sphinx_reredirects",
        "sphinx_sitemap",
        "notfound.extension",
        "sphinxext.opengraph",
        "sphinx_last_updated_by_git",
        "myst_parser.parsers.sphinx_",
        "sphinx.builders.html",
        "sphinx.search.de",
    ):
        try:
            importlib.import_module(name)
        except ImportError:
            pass
    import kb

    for module in pkgutil.iter_modules(kb.__path__):
        if module.name not in ("spelling", "pdf_weasyprint"):
            try:
                importlib.import_module(f"kb.{module.name}")
            except ImportError:
                pass


def build(src: Path, out: Path) -> tuple[int, str]:
    """A strict sphinx-build of src into out (doctrees inside), in a forked child: (exit code, output)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: sphinx-build's main with stdout and stderr into the pipe
        os.close(read)
        code = 1
        try:
            os.dup2(write, 1)
            os.dup2(write, 2)
            sys.stdout = io.TextIOWrapper(os.fdopen(1, "wb", closefd=False), encoding="utf-8", write_through=True)
            sys.stderr = sys.stdout
            os.environ["NO_COLOR"] = "1"
            os.chdir(src)
            from sphinx.cmd.build import build_main

            code = build_main(
                ["--no-color", "-b", "html", *STRICT, "-q", "-d", str(out / ".doctrees"), str(src), str(out)]
            )
        except BaseException:  # noqa: BLE001 – reported as a traceback, which the oracle rejects
            traceback.print_exc()
            code = 3
        finally:
            try:
                multiprocessing.util._exit_function()  # sphinx-sitemap's manager process holds the pipe
                sys.stdout.flush()
            finally:
                os._exit(code)
    os.close(write)
    chunks = []
    deadline = time.monotonic() + BUILD_TIMEOUT
    with os.fdopen(read, "rb") as pipe:
        while True:
            ready, _, _ = select.select([pipe], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:  # a hanging build: stopped, and reported as a failure the oracle rejects
                os.kill(pid, signal.SIGKILL)
                chunks.append(b"\nTraceback (most recent call last): build timed out\n")
                break
            if not (chunk := os.read(pipe.fileno(), 65536)):
                break
            chunks.append(chunk)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), b"".join(chunks).decode("utf-8", "replace")


def pages_digest(out: Path) -> dict[str, str]:
    return {
        p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*.html"))
        if ".doctrees" not in p.parts
    }


@dataclass
class Verdict:
    mutation: Mutation
    handled: bool
    how: str  # "fails" / "renders as meant" / the reason it is not handled
    messages: list[str] = field(default_factory=list)


def _at(mutation: Mutation, src: Path, output: str) -> list[str]:
    """German messages at the mutated file and one of its accepted lines (or naming file:line)."""
    relative = f"{mutation.docname}.md"
    names = {f"{relative}:{n}" for n in mutation.lines}
    found = []
    for m in WARNING.finditer(output):
        message = m.group("message")
        path, line = m.group("path") or "", m.group("line")
        here = path.replace("\\", "/").endswith(relative) and line and int(line) in mutation.lines
        named = any(name in message for name in names)
        if (here or named) and GERMAN.search(message):
            found.append(f"{path}:{line}: {message}" if path else message)
    return found


def judge(mutation: Mutation, src: Path, out: Path, baseline: dict[str, str]) -> Verdict:
    path = src / f"{mutation.docname}.md"
    original = path.read_bytes()
    path.write_bytes(mutation.text.encode("utf-8"))
    try:
        first = build(src, out)
        second = build(src, out)
    finally:
        path.write_bytes(original)
    outputs = first[1] + second[1]
    if BROKEN.search(outputs):
        line = next(line for line in outputs.splitlines() if BROKEN.search(line))
        verdict = Verdict(mutation, False, f"traceback or internal error: {line[:200]}")
    elif first[0] == 0 and second[0] == 0:
        same = pages_digest(out) == baseline
        verdict = Verdict(mutation, same, "renders as meant" if same else "silent: clean build, pages differ")
    elif first[0] == 0 or second[0] == 0:
        verdict = Verdict(mutation, False, "fails only once" if second[0] == 0 else "fails only on the second build")
    else:
        at1, at2 = _at(mutation, src, first[1]), _at(mutation, src, second[1])
        if at1 and at2:
            verdict = Verdict(mutation, True, "fails", at1)
        else:
            shown = [
                f"{m.group('path') or ''}:{m.group('line') or ''}: {m.group('message')}"
                for m in WARNING.finditer(first[1])
            ]
            why = "no German message at the line" if at1 or not at2 else "no German message at the line"
            verdict = Verdict(mutation, False, why, shown[:4])
    return verdict


def reset(src: Path, out: Path, baseline: dict[str, str]) -> None:
    """Build the restored copy; rebuild from scratch where it is not clean and as before."""
    code, _ = build(src, out)
    if code != 0 or pages_digest(out) != baseline:
        shutil.rmtree(out)
        code, output = build(src, out)
        if code != 0:
            raise RuntimeError(f"the restored copy does not build clean:\n{output}")


def prepare(workdir: Path, root: Path | None = None) -> tuple[Path, Path, dict[str, str]]:
    """A copy of the site in workdir/src, built clean into workdir/out; the baseline page digests."""
    _preimport()
    src = copy_sources(workdir / "src", **({"root": root} if root else {}))
    out = workdir / "out"
    code, output = build(src, out)
    if code != 0:
        raise RuntimeError(f"the unmutated copy does not build clean:\n{output}")
    return src, out, pages_digest(out)


def plan(src: Path, docnames: list[str], kinds: list[str], seed: int) -> list[Mutation]:
    """One mutation of each kind on each page (where the page has a place for it)."""
    mutations = []
    for docname in docnames:
        text = (src / f"{docname}.md").read_text(encoding="utf-8")
        for name in kinds:
            rng = random.Random(f"{seed}:{docname}:{name}")
            if (mutation := mutate(docname, text, name, rng)) is not None:
                mutations.append(mutation)
    return mutations


def run(
    workdir: Path,
    docnames: list[str],
    kinds: list[str] | None = None,
    seed: int = 23,
    sample: int | None = None,
    progress=None,
    shard: tuple[int, int] | None = None,
) -> list[Verdict]:
    src, out, baseline = prepare(workdir)
    mutations = plan(src, docnames, kinds or list(KINDS), seed)
    if shard:  # (index, count): every count-th mutation, for a run on several cores
        mutations = mutations[shard[0] :: shard[1]]
    if sample is not None and sample < len(mutations):
        mutations = random.Random(seed).sample(mutations, sample)
    verdicts = []
    for number, mutation in enumerate(mutations, 1):
        started = time.monotonic()
        verdict = judge(mutation, src, out, baseline)
        if verdict.how != "renders as meant":
            reset(src, out, baseline)
        verdicts.append(verdict)
        if progress:
            progress(number, len(mutations), verdict, time.monotonic() - started)
    return verdicts


def table(verdicts: list[Verdict]) -> str:
    """Markdown table: kind, pages, handled (fails / renders as meant), share."""
    by_kind: dict[str, list[Verdict]] = defaultdict(list)
    for verdict in verdicts:
        by_kind[verdict.mutation.kind].append(verdict)
    rows = [
        "| Kind | Pages | Fails at the line | Renders as meant | Not handled | Share handled |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name in sorted(by_kind):
        group = by_kind[name]
        how = Counter(v.how if v.handled else "no" for v in group)
        handled = how["fails"] + how["renders as meant"]
        rows.append(
            f"| {name} | {len(group)} | {how['fails']} | {how['renders as meant']} | {how['no']} | {100 * handled / len(group):.0f} % |"
        )
    total = len(verdicts)
    handled = sum(v.handled for v in verdicts)
    rows.append(
        f"| **all {len(by_kind)} kinds** | {total} | | | {total - handled} | **{100 * handled / max(1, total):.1f} %** |"
    )
    return "\n".join(rows)
