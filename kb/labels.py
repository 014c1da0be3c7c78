"""What a page may link to: python -m kb.labels (make labels).

``--update`` (make labels-update) writes the list of published labels instead
(published-labels.txt, checked by kb.published_labels).

Prints, from the Markdown sources (no build needed), every label for
``{ref}`Text <label>``` and the front-matter fields ``event``/``session``, with
the file, line and heading it stands above; every glossary term for
``{term}``; every actor for ``{akteur}``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from kb.frontmatter import FrontMatterError, read_text

# The folders that hold pages (conf.py builds them and only them: include_patterns).
CONTENT_DIRS = ("events", "case-studies", "glossary", "actors", "tags", "praxis", "quelle", "ueber")
# The repository, when run as `make labels` (the package is installed editable).
ROOT = Path(__file__).resolve().parent.parent

LABEL = re.compile(r"^\(([\w.-]+)\)=\s*$")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*$")
ACTOR = re.compile(r"^:{3,}\{akteur\}\s+(.+?)\s*$")


def source_pages(root: Path = ROOT) -> list[str]:
    """Docnames of all Markdown pages in the build (mirrors conf.py's include_patterns)."""
    pages = ["index"]
    for folder in CONTENT_DIRS:
        pages += [p.relative_to(root).with_suffix("").as_posix() for p in sorted((root / folder).rglob("*.md"))]
    return pages


def collect(root: Path = ROOT) -> tuple[list[tuple[str, str, str]], list[str], list[str]]:
    """(label, file:line, heading), glossary terms, actors."""
    labels, terms, actors = [], [], []
    for docname in source_pages(root):
        path = root / f"{docname}.md"
        try:
            lines = read_text(path).splitlines()
        except FrontMatterError:
            continue  # the build names the file
        in_glossary = False
        for index, line in enumerate(lines):
            if match := LABEL.match(line):
                heading = next((m for n in lines[index + 1 : index + 4] if (m := HEADING.match(n))), None)
                labels.append((match.group(1), f"{docname}.md:{index + 1}", heading.group(1) if heading else ""))
            elif match := ACTOR.match(line):
                actors.append(match.group(1))
            elif line.startswith("```{glossary}"):
                in_glossary = True
            elif in_glossary and line.startswith("```"):
                in_glossary = False
            elif in_glossary and line.strip() and not line.startswith((" ", ":")):
                terms.append(line.strip())
    return labels, terms, actors


def main() -> int:
    labels, terms, actors = collect()
    if sys.argv[1:] == ["--update"]:  # make labels-update: the published labels' list (kb.published_labels)
        from kb.published_labels import write_list

        write_list(ROOT / "published-labels.txt", [label for label, _, _ in labels])
        print(f"published-labels.txt: {len({label for label, _, _ in labels})} Labels")
        return 0
    width = max((len(label) for label, _, _ in labels), default=10)
    print("Labels für {ref}`Text <label>` und die Felder event/session im Kopf einer Seite:\n")
    for label, where, heading in sorted(labels):
        print(f"  {label:<{width}}  {heading}  ({where})")
    print("\nGlossarbegriffe für {term}`Begriff` (glossary/index.md):\n")
    print("  " + " · ".join(sorted(terms, key=str.casefold)))
    print("\nAkteure für {akteur}`Name` (actors/index.md):\n")
    print("  " + " · ".join(sorted(actors, key=str.casefold)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
