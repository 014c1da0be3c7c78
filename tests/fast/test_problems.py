"""kb.problems in-process: a mistake fails every build, incremental or not, until it is fixed; then none does.

The whole-site version of these mistakes is in the broken corpus (tests/broken,
conftest.corpus_builds); here each one is made, built twice and fixed on the
small testroot, with kb.problems and kb.pdf loaded as on the site (kb.pdf reads
the event page for its title page: a broken one must not crash the configuration).
"""

from __future__ import annotations

import re
import shutil

import pytest
from support.build import in_process_warnings

EVENT = "events/tagung.md"
# kind -> (text in the event page, the text with the mistake, message)
EVENT_MISTAKES = {
    "impossible day": ('date: "2024-11-19"', "date: 2024-11-31", r"Feld „date“ braucht ein Datum"),
    "month and day swapped": ('date: "2024-11-19"', "date: 2024-19-11", r"Feld „date“ braucht ein Datum"),
    "tab in front matter": ("city: Teststadt", "city:\tTeststadt", r"Tabulatorzeichen durch Leerzeichen ersetzen"),
}


@pytest.fixture
def testroot_with_problems(make_app, rootdir, tmp_path):
    """build() -> the warnings of a build of one copy of the testroot, with kb.problems and kb.pdf."""
    srcdir = tmp_path / "src"
    shutil.copytree(rootdir / "test-kb", srcdir)
    conf = (srcdir / "conf.py").read_text(encoding="utf-8")
    overrides = {"kb_pdf_event": "events/tagung"}

    def build() -> str:
        app = make_app("html", srcdir=srcdir, confoverrides=overrides)
        app.build()
        return in_process_warnings(app.warning.getvalue())

    (srcdir / "conf.py").write_text(conf + '\nextensions += ["kb.problems", "kb.pdf"]\n', encoding="utf-8")
    return srcdir, build


@pytest.mark.parametrize("kind", sorted(EVENT_MISTAKES))
def test_event_page_mistake_fails_every_build_until_fixed(testroot_with_problems, kind):
    srcdir, build = testroot_with_problems
    old, new, message = EVENT_MISTAKES[kind]
    page = srcdir / EVENT
    text = page.read_text(encoding="utf-8")
    assert old in text, old
    page.write_text(text.replace(old, new, 1), encoding="utf-8")
    line = text[: text.index(old)].count("\n") + 1
    for _ in range(2):  # the first and the repeated build (nothing re-read by Sphinx itself)
        warnings = build()
        assert re.search(re.escape(f"{EVENT}:{line}:") + r" WARNING: .*" + message, warnings), warnings
        assert "Traceback" not in warnings and "Exception occurred" not in warnings
    page.write_text(text, encoding="utf-8")
    assert build() == ""
