"""Image files (kb.images): a name differing in case names the file; too many bytes or pixels fail, in German."""

from __future__ import annotations

import io

from PIL import Image
from support.build import ROOT


def _jpeg(width, height, quality=80):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 120, 40)).save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


TAGUNG = (ROOT / "tests/fast/roots/test-kb/events/tagung.md").read_text(encoding="utf-8")
LINE = len(TAGUNG.rstrip("\n").split("\n")) + 2  # the image's line: after a blank line at the end
EXTENSIONS = ["kb.metadata", "kb.graph", "kb.checks", "kb.smartquotes", "kb.images"]


def _page(images):
    return {"events/tagung.md": TAGUNG.rstrip("\n") + "\n\n" + images + "\n"}


def test_case_mismatch_names_the_existing_file(kb_build):
    built = kb_build(
        _page("![Ein Foto](bilder/foto.JPG)"),
        confoverrides={"extensions": EXTENSIONS},
        binary={"events/bilder/foto.jpg": _jpeg(10, 10)},
    )
    assert (
        f"tagung.md:{LINE}: WARNING: Die Bilddatei „bilder/foto.JPG“ gibt es nicht: es gibt „foto.jpg“"
        in built.warnings
    )
    assert "Dependency file" not in built.warnings and "not readable" not in built.warnings


def test_too_many_pixels_and_bytes_fail_at_the_line(kb_build):
    built = kb_build(
        _page("![Ein Foto](bilder/gross.jpg)\n\n![Rauschen](bilder/schwer.jpg)"),
        confoverrides={"extensions": EXTENSIONS},
        binary={"events/bilder/gross.jpg": _jpeg(3000, 2000), "events/bilder/schwer.jpg": b"\xff" * 1_200_000},
    )
    assert f"tagung.md:{LINE}: WARNING: Das Bild „bilder/gross.jpg“ ist 3000 × 2000 Pixel groß" in built.warnings
    assert (
        f"tagung.md:{LINE + 2}: WARNING: Die Bilddatei „bilder/schwer.jpg“ ist 1,2 MB groß, erlaubt sind 1,0 MB"
        in built.warnings
    )


def test_a_small_image_is_fine(kb_build):
    built = kb_build(
        _page("![Ein Foto](bilder/klein.jpg)"),
        confoverrides={"extensions": EXTENSIONS},
        binary={"events/bilder/klein.jpg": _jpeg(800, 600)},
    )
    assert "Bild" not in built.warnings, built.warnings
