"""Page titles (kb.titles) within schemas/title.schema.yaml: German, at the heading's line."""

from __future__ import annotations

import re

import pytest
from support.build import ROOT, source_pages

from kb.frontmatter import schema_validator
from kb.titles import SCHEMA, _heading_line

TAGUNG = (ROOT / "tests/fast/roots/test-kb/events/tagung.md").read_text(encoding="utf-8")
LIMIT = schema_validator(ROOT / "schemas" / SCHEMA).schema["maxLength"]
# The names CONTRIBUTING's `make new-*` examples use, put into the templates' {{NAME}}.
EXAMPLE_NAMES = re.findall(r'make new-[\w-]+ NAME="([^"]+)"', (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8"))


def _title(path, text):
    line = _heading_line(path, "")
    assert line, path
    return text.split("\n")[line - 1][2:].strip()


@pytest.mark.parametrize("docname", source_pages())
def test_every_page_title_is_within_the_limit(docname):
    path = ROOT / f"{docname}.md"
    title = _title(path, path.read_text(encoding="utf-8"))
    assert not list(schema_validator(ROOT / "schemas" / SCHEMA).iter_errors(title)), title


@pytest.mark.parametrize("template", sorted(p.name for p in (ROOT / "templates").glob("*.md")))
def test_every_template_title_is_within_the_limit(template, tmp_path):
    assert EXAMPLE_NAMES
    for name in EXAMPLE_NAMES:
        text = (ROOT / "templates" / template).read_text(encoding="utf-8").replace("{{NAME}}", name)
        path = tmp_path / template
        path.write_text(text, encoding="utf-8")
        assert len(_title(path, text)) <= LIMIT


@pytest.mark.parametrize("extra", [LIMIT - len("Testtagung"), LIMIT - len("Testtagung") + 1])
def test_a_long_title_is_named_at_its_heading(kb_build, extra):
    title = "Testtagung" + "x" * extra
    page = TAGUNG.replace("# Testtagung", f"# {title}")
    built = kb_build({"events/tagung.md": page})
    line = page.split("\n").index(f"# {title}") + 1
    found = [w for w in built.warnings.splitlines() if "Der Titel der Seite" in w]
    if len(title) <= LIMIT:
        assert found == [], found
    else:
        assert len(found) == 1, built.warnings
        assert (
            f"events/tagung.md:{line}: WARNING: Der Titel der Seite (die Überschrift mit #) darf höchstens {LIMIT}"
            in found[0]
        )
