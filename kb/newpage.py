"""Create a new page from a template: python -m kb.newpage case-study "Firma XY GmbH".

The slug (file name and label) is derived from the name: lowercase, umlauts
spelled out, legal forms such as GmbH or AG dropped, hyphens between words.
Used by `make new-case-study`, `make new-event`, `make new-topic` and `make new-tag`.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from kb import german

ROOT = Path(__file__).resolve().parent.parent
KINDS = {  # page type -> (template, folder)
    "case-study": ("templates/case-study.md", "case-studies"),
    "event": ("templates/event.md", "events"),
    "topic": ("templates/topic.md", "glossary"),
    "tag": ("templates/tag.md", "tags"),
}


def slugify(name: str) -> str:
    """'Müller & Söhne GmbH' -> 'mueller-soehne'."""
    return german.slug(name, drop_legal_form=True)


def create(kind: str, name: str, slug: str | None = None, root: Path = ROOT) -> Path:
    template, folder = KINDS[kind]
    slug = slug or slugify(name)
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug or ""):
        raise SystemExit(f"Kein gültiger Dateiname aus {name!r}: bitte SLUG=kleinbuchstaben-mit-bindestrich angeben.")
    target = root / folder / f"{slug}.md"
    if target.exists():
        raise SystemExit(f"{target.relative_to(root)} gibt es schon: bitte einen anderen NAME oder SLUG wählen.")
    text = (root / template).read_text(encoding="utf-8")
    text = text.replace("{{NAME}}", name.strip()).replace("{{SLUG}}", slug)
    target.write_text(text, encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=sorted(KINDS))
    parser.add_argument("name", help="Name des Unternehmens, der Veranstaltung oder des Themas")
    parser.add_argument("--slug", help="Dateiname ohne .md (sonst aus dem Namen abgeleitet)")
    args = parser.parse_args(argv)
    if not args.name.strip():
        parser.error('NAME fehlt, z. B. make new-case-study NAME="Firma XY GmbH"')
    target = create(args.kind, args.name, args.slug)
    print(f"Neue Seite: {target.relative_to(ROOT)}")
    print("Jetzt alle Stellen mit AUSFÜLLEN ersetzen und mit `make livehtml` ansehen.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
