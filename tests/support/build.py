"""Strict builds of the site and of copies of it, output digests, pages added the documented way.

Shared by the tests, tools and benchmarks. ``ROOT`` is the repository.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kb import newpage
from kb.frontmatter import PLACEHOLDER
from kb.labels import CONTENT_DIRS, source_pages  # noqa: F401 – re-exported

ROOT = Path(__file__).resolve().parents[2]
# The files and folders a build needs; copied when a test builds a variant.
BUILD_INPUTS = (
    "conf.py",
    "index.md",
    "_templates",
    "_static",
    "_snippets",
    "schemas",
    "templates",
    "locale",
    "redirects.yml",
    "published-labels.txt",  # labels whose addresses are published (kb.published_labels)
    "publish.yaml",  # the operator's details, where a checkout has them (kb.publish)
    "spelling_wordlist.txt",
    *CONTENT_DIRS,
)
# The strictness of `make html`: nitpicky, warnings are errors, but report all.
STRICT = ["-n", "-W", "--keep-going"]
# Two processes whatever the size: kb.parallel builds small sites serially (kb_parallel_min_pages).
PARALLEL = ["-j", "2", "-D", "kb_parallel_min_pages=0"]
# Sphinx's progress line for each document it reads ("reading sources... [ 50%] index").
_READING = re.compile(r"reading sources\.\.\. \[[ \d]+%\] (\S+)")
# ... and for each document it writes (serial builds; a parallel one names only chunk ends).
_WRITING = re.compile(r"writing output\.\.\. \[[ \d]+%\] (\S+)")


@dataclass
class BuildResult:
    returncode: int
    output: str  # stdout and stderr together
    outdir: Path

    @property
    def warnings(self) -> list[str]:
        return [line for line in self.output.splitlines() if "WARNING" in line or "ERROR" in line]

    @property
    def reread(self) -> set[str]:
        return reread(self.output)


def sphinx_command(srcdir: Path, outdir: Path, builder: str = "html", extra: list[str] | None = None) -> list[str]:
    """The strict sphinx-build command line of `make html` (doctrees inside outdir)."""
    return [
        sys.executable,
        "-m",
        "sphinx",
        "--no-color",  # CI=true would colour the output, and the tests read it
        "-b",
        builder,
        *STRICT,
        "-d",
        str(outdir / ".doctrees"),
        str(srcdir),
        str(outdir),
        *(extra or []),
    ]


def run_sphinx(
    srcdir: Path, outdir: Path, builder: str = "html", extra: list[str] | None = None, env: dict | None = None
) -> BuildResult:
    """Run sphinx-build strictly, the same way `make html` does (env: extra environment variables)."""
    cmd = sphinx_command(srcdir, outdir, builder, extra)
    environ = {**os.environ, "NO_COLOR": "1", **(env or {})}
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=srcdir, env=environ)
    return BuildResult(proc.returncode, proc.stdout + proc.stderr, outdir)


def copy_sources(dest: Path, root: Path = ROOT) -> Path:
    """Copy everything the build reads into dest, for tests that change sources."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in BUILD_INPUTS:
        src = root / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.exists():
            shutil.copy2(src, dest / name)
    return dest


def in_process_warnings(text: str) -> str:
    """The warnings of an in-process (sphinx.testing) build, without ANSI colours and without docutils'
    "already registered" notices, which every application after the first in one process gets."""
    text = re.sub(r"\x1b\[[\d;]*m", "", text)
    return "".join(line for line in text.splitlines(True) if "is already registered" not in line)


def reread(output: str) -> set[str]:
    """The documents a build's output says it read."""
    return set(_READING.findall(output))


def rewritten(output: str) -> set[str]:
    """The documents a serial build's output says it wrote."""
    return set(_WRITING.findall(output))


def ran_in_parallel(output: str) -> bool:
    """A parallel build reports chunks of pages ("[ 50%] a .. b") when reading and writing."""
    return all(
        re.search(rf"{phase}\.\.\. \[[ \d]+%\] \S+ \.\. \S+", output) for phase in ("reading sources", "writing output")
    )


def digest(outdir: Path, pattern: str = "*") -> dict[str, str]:
    """SHA-256 of every output file matching pattern (doctree pickles excluded), by path."""
    return {
        p.relative_to(outdir).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(outdir.rglob(pattern))
        if p.is_file() and ".doctrees" not in p.relative_to(outdir).parts
    }


# -- Pages added the documented way (tests that must outlive today's content) -------

EXAMPLE = {
    "tag": "Testschlagwort",
    "actor": "Testakteurin Beispiel",
    "term": "ZZ Testbegriff",
}


def rewrite_page(page: Path, changes: dict[str, Any], body: Callable[[str], str]) -> dict[str, Any]:
    """Rewrite a page made by kb.newpage: front-matter fields from changes, its body through body().

    Returns the new front matter.
    """
    _, head, text = page.read_text(encoding="utf-8").split("---\n", 2)
    data = {**yaml.safe_load(head), **changes}
    text = body(text)
    page.write_text("---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "---\n" + text, "utf-8")
    return data


def fill_page(page: Path, changes: dict[str, Any]) -> None:
    """Fill a page made by kb.newpage: front-matter fields from changes, body placeholders with text."""
    rewrite_page(page, changes, lambda body: body.replace(PLACEHOLDER, "Testangabe"))


def add_example_pages(root: Path) -> dict[str, str]:
    """Add one case study, event, topic, tag, actor and glossary term to a copy of the site,
    each the way CONTRIBUTING.md describes; return kind -> docname (or entry name)."""
    tag, actor, term = EXAMPLE["tag"], EXAMPLE["actor"], EXAMPLE["term"]
    common = {
        "description": "Eine Testseite, angelegt mit der Vorlage.",
        "summary": "Eine Testseite.",
        "sources": ["workshops-und-networking"],
    }
    made = {}
    page = newpage.create("tag", tag, root=root)
    fill_page(page, {"summary": "Seiten zum Testschlagwort.", "sources": ["workshops-und-networking"]})
    made["tag"] = _docname(root, page)
    page = newpage.create("case-study", "Musterfirma Beispiel GmbH", root=root)
    fill_page(
        page,
        {
            **common,
            "sector": "Testbranche",
            "location": "Teststadt",
            "size": "",
            "people": [{"name": "Erika Muster", "role": "Geschäftsführerin"}],
            "topics": [tag],
            "session": "jahrestagung-2024-workshops",
        },
    )
    with page.open("a", encoding="utf-8") as f:  # mention the new term and actor
        f.write(f"\nIm Test genannt: {{term}}`{term}` und {{akteur}}`{actor}`.\n")
    made["case-study"] = _docname(root, page)
    page = newpage.create("event", "Testtagung 2099", root=root)
    fill_page(
        page,
        {
            **common,
            "date": "2099-01-01",
            "place": "Testhaus",
            "city": "Teststadt",
            "organiser": "Testveranstalter",
            "topics": [tag],
            "source": "rueckblick-jahrestagung-2024",
        },
    )
    made["event"] = _docname(root, page)
    page = newpage.create("topic", "Testthema", root=root)
    fill_page(page, {**common, "topics": [tag]})
    made["topic"] = _docname(root, page)
    actors = root / "actors" / "index.md"
    text = actors.read_text(encoding="utf-8")
    entry = f":::{{akteur}} {actor}\nEine Rolle, die nur der Test vergibt.\n:::\n\n"
    actors.write_text(
        text.replace("```{include} /_snippets/quelle.md", entry + "```{include} /_snippets/quelle.md"), "utf-8"
    )
    made["actor"] = actor
    glossary = root / "glossary" / "index.md"
    text = glossary.read_text(encoding="utf-8")
    last = text.rindex("```{glossary}\n")  # the last letter section; the term sorts last in it
    end = text.index("\n```", last)
    glossary.write_text(text[:end] + f"\n\n{term}\n  Ein Begriff, den nur der Test anlegt." + text[end:], "utf-8")
    made["term"] = term
    return made


def _docname(root: Path, page: Path) -> str:
    return page.relative_to(root).with_suffix("").as_posix()
