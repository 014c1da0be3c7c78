"""The fast tier: in-process Sphinx builds of a small testroot (roots/test-kb).

`make test-fast` runs only this folder. Each test gets its own copy of the
testroot, changed by the test, and builds it with sphinx.testing's make_app,
so a build takes a fraction of a second and error paths are cheap to reach.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp
from support.build import in_process_warnings

ROOTS = Path(__file__).parent / "roots"


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return ROOTS


@dataclass
class Built:
    app: SphinxTestApp
    srcdir: Path

    @property
    def warnings(self) -> str:
        """The build's warnings, without ANSI colours and without docutils' "already registered"
        notices, which every SphinxTestApp after the first in one process gets."""
        return in_process_warnings(self.app.warning.getvalue())

    def html(self, docname: str) -> str:
        return (self.app.outdir / f"{docname}.html").read_text(encoding="utf-8")

    def domain(self, name: str) -> dict:
        return self.app.env.domains[name].data


@pytest.fixture
def kb_build(make_app, tmp_path):
    """kb_build(files={path: text or None}, parallel=0, builder="html", confoverrides=None) -> Built.

    Copies the testroot, writes (or, with None, removes) the given files, builds.
    """
    count = 0

    def build(
        files: dict[str, str | None] | None = None,
        parallel: int = 0,
        builder: str = "html",
        confoverrides: dict | None = None,
        binary: dict[str, bytes] | None = None,
    ) -> Built:
        nonlocal count
        count += 1
        srcdir = tmp_path / f"src{count}"
        shutil.copytree(ROOTS / "test-kb", srcdir)
        for name, text in (files or {}).items():
            path = srcdir / name
            if text is None:
                path.unlink()
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
        for name, data in (binary or {}).items():  # images and other non-text files
            (srcdir / name).parent.mkdir(parents=True, exist_ok=True)
            (srcdir / name).write_bytes(data)
        app = make_app(builder, srcdir=srcdir, parallel=parallel, freshenv=True, confoverrides=confoverrides or {})
        app.build()
        return Built(app, srcdir)

    return build
