"""Helpers shared by the tests, tools and benchmarks: strict builds, copies, output digests.

Not a Sphinx extension. ``ROOT`` is the repository (the package is installed
editable, so it lives in ROOT/kb).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTENT_DIRS = ("events", "case-studies", "glossary", "actors", "tags", "praxis", "quelle")
# The files and folders a build needs; copied when a test builds a variant.
BUILD_INPUTS = (
    "conf.py",
    "index.md",
    "_templates",
    "_static",
    "_snippets",
    "_latex",
    "schemas",
    "templates",
    "locale",
    "redirects.yml",
    "spelling_wordlist.txt",
    *CONTENT_DIRS,
)
# The strictness of `make html`: nitpicky, warnings are errors, but report all.
STRICT = ["-n", "-W", "--keep-going"]
# Sphinx's progress line for each document it reads ("reading sources... [ 50%] index").
_READING = re.compile(r"reading sources\.\.\. \[[ \d]+%\] (\S+)")


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


def source_pages(root: Path = ROOT) -> list[str]:
    """Docnames of all Markdown pages in the build (mirrors include_patterns)."""
    pages = ["index"]
    for folder in CONTENT_DIRS:
        pages += [p.relative_to(root).with_suffix("").as_posix() for p in sorted((root / folder).rglob("*.md"))]
    return pages


def reread(output: str) -> set[str]:
    """The documents a build's output says it read."""
    return set(_READING.findall(output))


def digest(outdir: Path, pattern: str = "*") -> dict[str, str]:
    """SHA-256 of every output file matching pattern (doctree pickles excluded), by path."""
    return {
        p.relative_to(outdir).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(outdir.rglob(pattern))
        if p.is_file() and ".doctrees" not in p.relative_to(outdir).parts
    }
