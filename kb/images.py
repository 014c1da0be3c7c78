"""Image files: a missing one names the file meant, a too large one says how to make it smaller.

Checked at ``doctree-read`` for every local image of a page, at its line:

* a file that does not exist: when only upper/lower case differ, the existing
  file is named ("bild.JPG" / "bild.jpg", which works on Windows and macOS
  but not on the server); otherwise the closest file name in that folder. The
  image node is removed, so Sphinx's English "image file not readable" and
  "Dependency file … doesn't exist" do not follow;
* a file larger than the limits in ``schemas/images.schema.yaml`` (bytes and
  pixels, read with Pillow): an 8 MB photo would be copied into the site as
  it is.

The limits live in the schema file, the one place the messages read them from.
"""

from __future__ import annotations

import difflib
from functools import lru_cache
from pathlib import Path

import yaml
from docutils import nodes
from docutils.utils import get_source_line
from sphinx.application import Sphinx
from sphinx.util import logging

from kb.source_checks import line_in_block

logger = logging.getLogger(__name__)

LIMITS = "images.schema.yaml"


def limits(app: Sphinx) -> dict:
    """The limits from the schema folder (kb_schema_dir of kb.metadata; "schemas" without it)."""
    path = Path(app.confdir) / getattr(app.config, "kb_schema_dir", "schemas") / LIMITS
    try:
        return _read_limits(path, path.stat().st_mtime_ns)
    except OSError:  # a project without the file: no limits to check
        return {}


@lru_cache(maxsize=8)
def _read_limits(path: Path, _mtime: int) -> dict:
    """Parsed once per process and file version, not once per page (it was 1 s of a 1,000-page build)."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))["properties"]


def _size(number: int) -> str:
    return f"{number / 1_000_000:.1f} MB".replace(".", ",") if number >= 100_000 else f"{number // 1000} KB"


def check_images(app: Sphinx, doctree: nodes.document) -> None:
    docname = app.env.current_document.docname
    folder = Path(app.env.doc2path(docname)).parent
    limit = limits(app)
    max_bytes = limit.get("bytes", {}).get("maximum", float("inf"))
    max_pixels = limit.get("pixels", {}).get("maximum", float("inf"))
    for image in list(doctree.findall(nodes.image)):
        uri = image.get("uri", "")
        if not uri or "://" in uri or uri.startswith("data:"):
            continue
        path = (Path(app.srcdir) / uri.lstrip("/")) if uri.startswith("/") else folder / uri
        source, line = get_source_line(image)  # MyST's image has no line of its own: its paragraph's,
        line = line_in_block(source, line, uri) or line or 1  # so the line that names the file
        where = (docname, line)
        if not path.is_file():
            if str(image.get("alt", "")).strip():  # without alt text kb.checks reports the image first
                _missing(image, path, uri, where)
            continue
        size = path.stat().st_size
        if size > max_bytes:
            logger.warning(
                f"Die Bilddatei „{uri}“ ist {_size(size)} groß, erlaubt sind {_size(max_bytes)}: "
                f"kleiner speichern, z. B. als JPEG mit Qualität 80 und höchstens {max_pixels} Pixeln Breite "
                "(im Bildprogramm „Exportieren“ oder „Größe ändern“)",
                location=where,
                type="kb",
                subtype="image",
            )
            continue
        try:
            from PIL import Image

            with Image.open(path) as picture:
                width, height = picture.size
        except Exception:  # noqa: BLE001 – not an image Pillow reads (e.g. SVG): nothing to measure
            continue
        if max(width, height) > max_pixels:
            logger.warning(
                f"Das Bild „{uri}“ ist {width} × {height} Pixel groß, erlaubt sind höchstens {max_pixels} Pixel "
                "an der längeren Seite: im Bildprogramm verkleinern („Größe ändern“)",
                location=where,
                type="kb",
                subtype="image",
            )


def _missing(image: nodes.image, path: Path, uri: str, where: tuple[str, int]) -> None:
    folder = path.parent
    names = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
    same = [n for n in names if n.casefold() == path.name.casefold()]
    if same:
        hint = (
            f"es gibt „{same[0]}“ – nur Groß- und Kleinschreibung unterscheiden sich, "
            "und der Server unterscheidet sie: den Namen genau so schreiben"
        )
    elif close := difflib.get_close_matches(path.name, names, n=1, cutoff=0.5):
        hint = f"meinten Sie „{close[0]}“?"
    else:
        hint = "Pfad und Dateinamen prüfen (relativ zur Seite, z. B. bilder/foto.jpg)"
    logger.warning(f"Die Bilddatei „{uri}“ gibt es nicht: {hint}", location=where, type="kb", subtype="image")
    if image.parent is not None:
        image.parent.remove(image)


def setup_images(app: Sphinx) -> None:
    app.connect("doctree-read", check_images, priority=400)  # before Sphinx's image collector (500)


def setup(app: Sphinx) -> dict:
    """Loadable on its own (the fast tests' testroot); the site loads it through kb.authoring."""
    setup_images(app)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
