"""Published labels (kb.published_labels) and unknown roles named once (kb.source_checks), by in-process builds.

A label listed in published-labels.txt that no page defines is an error at the closest new
label's line (the typo, the rename), else at its line in the list; a {ref} to it names where
the closest label stands, in one German message. New labels are free; no list, no check.
"""

from __future__ import annotations

import re

import pytest
from support.build import ROOT

from kb.published_labels import read_list, write_list

TAGUNG = (ROOT / "tests/fast/roots/test-kb/events/tagung.md").read_text(encoding="utf-8")
ALPHA = (ROOT / "tests/fast/roots/test-kb/case-studies/alpha.md").read_text(encoding="utf-8")
EXTENSIONS = ["kb.metadata", "kb.graph", "kb.checks", "kb.smartquotes", "kb.published_labels"]
LISTED = ["alpha", "beta", "tagung", "tagung-workshop"]


def _list_text(tmp_path, labels=LISTED):
    path = tmp_path / "published-labels.txt"
    write_list(path, labels)
    return path.read_text(encoding="utf-8")


def _line(text, wanted):
    return next(n for n, line in enumerate(text.split("\n"), 1) if line == wanted)


def _warnings(built, where):
    """Warnings located at where ("events/tagung.md:19"; a file alone: any of its lines)."""
    pattern = re.compile(rf"/{re.escape(where)}{'' if re.search(r':[0-9]+$', where) else ':[0-9]+'}: WARNING")
    return [line for line in built.warnings.splitlines() if pattern.search(line)]


def test_the_shipped_list_is_the_pages_labels():
    """The committed list names exactly labels that `make labels` finds (make html checks they exist)."""
    from kb.labels import collect

    listed = read_list(ROOT / "published-labels.txt")
    assert listed, "published-labels.txt is missing or empty"
    labels, _, _ = collect()
    assert set(listed) <= {label for label, _, _ in labels}


def test_a_typo_in_a_published_label_is_named_at_its_line(kb_build, tmp_path):
    typo = TAGUNG.replace("(tagung-workshop)=", "(tagung-worksop)=")
    built = kb_build(
        {"events/tagung.md": typo, "published-labels.txt": _list_text(tmp_path)},
        confoverrides={"extensions": EXTENSIONS},
    )
    line = _line(typo, "(tagung-worksop)=")
    at_label = _warnings(built, f"events/tagung.md:{line}")
    assert len(at_label) == 1, built.warnings
    assert "„tagung-worksop“ ist neu" in at_label[0] and "„tagung-workshop“" in at_label[0]
    assert "published-labels.txt Zeile" in at_label[0]
    # Each {ref} to the old label: one German message that names where the new one stands.
    refs = _warnings(built, "case-studies/alpha.md")
    assert not [w for w in refs if "undefined label" in w and "ähnlichste" not in w], refs
    ref_line = _line(ALPHA, "Vorgestellt im {ref}`tagung-workshop` von {akteur}`Erika Muster`.")
    ref_messages = _warnings(built, f"case-studies/alpha.md:{ref_line}")
    assert len(ref_messages) == 1, refs
    assert f"events/tagung.md:{line}" in ref_messages[0]
    assert "undefined label" in ref_messages[0]  # the original wording stays findable


def test_a_published_label_removed_and_a_bad_line_are_named_at_their_lines_in_the_list(kb_build, tmp_path):
    listed = _list_text(tmp_path, [*LISTED, "verschwunden"]) + "tagung workshop\n"
    built = kb_build({"published-labels.txt": listed}, confoverrides={"extensions": EXTENSIONS})
    found = _warnings(built, f"published-labels.txt:{_line(listed, 'verschwunden')}")
    assert len(found) == 1, built.warnings
    assert "„verschwunden“ definiert keine Seite mehr" in found[0]
    bad = _warnings(built, f"published-labels.txt:{_line(listed, 'tagung workshop')}")
    assert len(bad) == 1 and "ist kein einzelnes Label" in bad[0], built.warnings


def test_new_labels_are_free_and_no_list_means_no_check(kb_build, tmp_path):
    added = TAGUNG.replace("(tagung-workshop)=", "(tagung-neu)=\n\n(tagung-workshop)=")
    built = kb_build(
        {"events/tagung.md": added, "published-labels.txt": _list_text(tmp_path)},
        confoverrides={"extensions": EXTENSIONS},
    )
    assert "published-label" not in built.warnings, built.warnings
    typo = TAGUNG.replace("(tagung-workshop)=", "(tagung-worksop)=")
    unchecked = kb_build({"events/tagung.md": typo}, confoverrides={"extensions": EXTENSIONS})
    assert "ist neu" not in unchecked.warnings


@pytest.mark.parametrize("parallel", [0, 2])
def test_an_unknown_role_is_named_once_at_its_own_line(kb_build, parallel):
    """kb names the role at its line and column; MyST's message at the paragraph's first line is dropped."""
    page = TAGUNG.replace(
        "Im Workshop sprach {akteur}`Erika Muster` über {term}`Testbegriff`.",
        "Im Workshop sprach {akteur}`Erika Muster`\nüber {trem}`Testbegriff`.",
    )
    line = _line(page, "über {trem}`Testbegriff`.")
    built = kb_build(
        {"events/tagung.md": page},
        parallel=parallel,
        confoverrides={"extensions": [*EXTENSIONS, "kb.parallel", "kb.source_checks"], "kb_parallel_min_pages": 0},
    )
    about = [w for w in built.warnings.splitlines() if "trem" in w]
    assert len(about) == 1, about
    assert re.search(rf"events/tagung\.md:{line}: WARNING: Unbekannte Rolle „trem“ in Zeile {line}, Spalte 6", about[0])


def test_a_role_kb_does_not_report_keeps_mysts_message(kb_build, monkeypatch):
    """Where kb's list of roles misses one, MyST's message stays: never silence."""
    import kb.source_checks

    monkeypatch.setattr(kb.source_checks, "unknown_roles", lambda lines, known: [])
    page = TAGUNG.replace("{term}`Testbegriff`", "{trem}`Testbegriff`")
    built = kb_build({"events/tagung.md": page}, confoverrides={"extensions": [*EXTENSIONS, "kb.source_checks"]})
    assert 'Unknown interpreted text role "trem"' in built.warnings


@pytest.mark.parametrize("written", ["(tagung-workshop) =", "(tagung-workshop)"])
def test_a_published_label_written_wrong_is_named_at_its_line(kb_build, tmp_path, written):
    page = TAGUNG.replace("(tagung-workshop)=", written)
    built = kb_build(
        {"events/tagung.md": page, "published-labels.txt": _list_text(tmp_path)},
        confoverrides={"extensions": EXTENSIONS},
    )
    found = _warnings(built, f"events/tagung.md:{_line(page, written)}")
    assert any("veröffentlichte Label „tagung-workshop“" in w for w in found), built.warnings
