"""Convert a copy of the knowledge base into an MkDocs Material project (for `make bench`).

The comparison build must do the same work on the same text: every page, its
front matter, headings, glossary, cross-references, cards, key facts and the
generated listings. MyST constructs become what an MkDocs Material site would
write instead:

* ``(label)=`` + heading -> heading with ``{ #label }`` (attr_list);
  ``{ref}`label``` / ``{ref}`Text <label>``` -> Markdown links to page#label;
* ``{term}`Begriff``` -> link to the glossary entry; the ``glossary`` directive
  -> a definition list (def_list) with an anchor per term;
* ``{akteur}`Name``` -> link to the Akteure list; ``akteur`` entries -> ``###``;
* sphinx-design grids, cards, dropdowns -> Material's grid cards and
  ``md_in_html`` blocks, ``{only} html`` unwrapped, ``{rubric}`` -> ``##``;
* ``kb-listing`` / ``kb-schlagwort-seiten`` / ``kb-steckbrief`` -> the cards and
  key-facts tables written into the page from the front matter (MkDocs has no
  directive for them), so the listings cost MkDocs what they cost us;
* ``{include}`` -> the snippet text; ``{toctree}`` -> dropped (MkDocs builds its
  navigation from the folders).

Run: ``python -m benchmarks.mkdocs_convert SRC DEST``; build with ``mkdocs build -f DEST/mkdocs.yml``.
"""

from __future__ import annotations

import posixpath
import re
import sys
from pathlib import Path

from kb.cards import card_facts
from kb.frontmatter import read_page
from kb.german import slug, sort_key
from kb.labels import CONTENT_DIRS
from kb.steckbrief import steckbrief_rows

TYPES = {"events": "event", "case-studies": "case-study", "glossary": "topic", "tags": "tag"}
LABEL = re.compile(r"^\(([\w-]+)\)=\s*$")
HEADING = re.compile(r"^(#{1,6}) (.+)$")
ROLE = re.compile(r"\{(ref|term|akteur|doc)\}`([^`]+)`")
FENCE = re.compile(r"^(`{3,}|:{3,})\{([\w-]+)\}\s*(.*)$")
CONFIG = """site_name: Wissensbasis Zukunftszentren
theme:
  name: material
  language: de
  features: [navigation.sections]
plugins:
  - search:
      lang: de
markdown_extensions:
  - attr_list
  - def_list
  - md_in_html
  - tables
  - admonition
  - pymdownx.details
  - toc:
      permalink: false
"""


def _pages(src: Path) -> list[str]:
    pages = ["index"]
    for folder in CONTENT_DIRS:
        pages += [p.relative_to(src).with_suffix("").as_posix() for p in sorted((src / folder).rglob("*.md"))]
    return pages


def _labels(src: Path, pages: list[str]) -> dict[str, tuple[str, str]]:
    """label -> (page, heading title) for every ``(label)=`` in the sources."""
    found = {}
    for page in pages:
        lines = (src / f"{page}.md").read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            if (m := LABEL.match(line)) and i + 1 < len(lines) and (h := HEADING.match(lines[i + 1])):
                found[m.group(1)] = (page, h.group(2))
    return found


def _link(here: str, page: str, anchor: str = "") -> str:
    rel = posixpath.relpath(f"{page}.md", posixpath.dirname(here) or ".")
    return f"{rel}#{anchor}" if anchor else rel


def _roles(text: str, here: str, labels: dict[str, tuple[str, str]]) -> str:
    def replace(m: re.Match) -> str:
        kind, body = m.groups()
        explicit = re.match(r"(.*?)\s*<([^>]+)>$", body)
        shown, target = (explicit.group(1), explicit.group(2)) if explicit else (body, body)
        if kind == "ref":
            page, title = labels.get(target.lower(), (here, target))
            return f"[{shown if explicit else title}]({_link(here, page, target.lower())})"
        if kind == "term":
            return f"[{shown}]({_link(here, 'glossary/index', 'term-' + slug(target))})"
        if kind == "akteur":
            return f"[{shown}]({_link(here, 'actors/index', 'akteur-' + slug(target))})"
        return f"[{shown}]({_link(here, target.lstrip('/'))})"

    return ROLE.sub(replace, text)


def _card(here: str, page: str, title: str, lines: list[str], href: str = "") -> list[str]:
    body = [f"    {line.strip()}" if line.strip() else "" for line in lines]
    return [f"-   __[{title}]({href or _link(here, page)})__", "", "    ---", "", *body, ""]


def _listing(src: Path, here: str, pages: list[str], ptype: str | None, tag: str | None) -> list[str]:
    """Cards for every page of a type (or with a tag), from the front matter, as Material grid cards."""
    chosen = []
    for page in pages:
        folder = page.split("/")[0]
        if page.endswith("index") and "/" in page:
            continue
        info = read_page(src / f"{page}.md", page)
        if ptype and TYPES.get(folder) == ptype:
            chosen.append(info)
        elif tag and folder != "tags" and tag in (info.data.get("topics") or []):
            chosen.append(info)
    if ptype == "event":
        chosen.sort(key=lambda p: str(p.data.get("date", "")), reverse=True)
    else:
        chosen.sort(key=lambda p: sort_key(p.title))
    out = ['<div class="grid cards" markdown>', ""]
    for info in chosen:
        facts, summary = card_facts(info, TYPES.get(info.docname.split("/")[0], ""))
        out += _card(here, info.docname, info.title, [t for t in (facts, summary) if t])
    return out + ["</div>", ""]


class Converter:
    """Converts the pages of one source copy; knows its pages, labels and source snippet."""

    def __init__(self, src: Path):
        self.src = src
        self.pages = _pages(src)
        self.labels = _labels(src, self.pages)
        quelle = (src / "_snippets" / "quelle.md").read_text(encoding="utf-8").splitlines()
        self.snippet = "\n".join(line for line in quelle if ":::" not in line)

    def page(self, page: str) -> str:
        text = (self.src / f"{page}.md").read_text(encoding="utf-8")
        front, body = "", text
        if text.startswith("---\n"):
            end = text.find("\n---", 4)
            front, body = text[: end + 5], text[end + 5 :]
        return front + "\n".join(self.lines(body, page)) + "\n"

    def lines(self, body: str, page: str) -> list[str]:
        out: list[str] = []
        lines = body.splitlines()
        i, label = 0, ""
        while i < len(lines):
            line = lines[i]
            i += 1
            if m := LABEL.match(line):
                label = m.group(1)
            elif h := HEADING.match(line):
                anchor = f" {{ #{label} }}" if label else ""
                out.append(f"{h.group(1)} {_roles(h.group(2), page, self.labels)}{anchor}")
                label = ""
            elif m := FENCE.match(line):
                fence, name, arg = m.groups()
                options = {}
                while i < len(lines) and (o := re.match(r"^:([\w-]+):\s*(.*)$", lines[i])):
                    options[o.group(1)] = o.group(2)
                    i += 1
                content = []
                while i < len(lines) and lines[i].strip() != fence:
                    content.append(lines[i])
                    i += 1
                i += 1
                out += self.directive(page, name, arg.strip(), options, content)
            else:
                out.append(_roles(line, page, self.labels))
        return out

    def directive(self, page: str, name: str, arg: str, options: dict, content: list[str]) -> list[str]:
        roles = [_roles(line, page, self.labels) for line in content]
        if name == "only":
            return self.lines("\n".join(content), page)
        if name == "grid":
            return ['<div class="grid cards" markdown>', "", *self.lines("\n".join(content), page), "</div>", ""]
        if name == "grid-item-card":
            target, kind = options.get("link", ""), options.get("link-type")
            if kind == "ref" and target in self.labels:
                href = _link(page, self.labels[target][0], target)
            elif kind == "doc":
                href = _link(page, posixpath.normpath(posixpath.join(posixpath.dirname(page), target)).lstrip("/"))
            else:
                href = target
            return _card(page, "", arg, roles, href=href)
        if name in ("rubric",):
            return [f"## {arg}", ""]
        if name == "include":
            return [self.snippet, ""]
        if name == "toctree":
            return []
        if name == "glossary":
            out = []
            for line, converted in zip(content, roles, strict=True):
                if line.strip() and not line.startswith(" "):
                    out += ["", f"{line}"]
                elif line.strip():
                    out.append(f":   {converted.strip()}")
            return out + [""]
        if name == "akteur":
            return [f"### {arg} {{ #akteur-{slug(arg)} }}", "", *roles, ""]
        if name == "kb-listing":
            return _listing(self.src, page, self.pages, arg, None)
        if name == "kb-schlagwort-seiten":
            return _listing(self.src, page, self.pages, None, read_page(self.src / f"{page}.md", page).title)
        if name == "kb-steckbrief":
            info = read_page(self.src / f"{page}.md", page)
            rows = steckbrief_rows(info.data, TYPES.get(page.split("/")[0]))
            table = ["| Merkmal | Angabe |", "| --- | --- |"] + [f"| {label} | {value} |" for label, value in rows]
            return [f"**{arg}**", "", *[_roles(r, page, self.labels) for r in table], *roles, ""]
        # card, dropdown, tab-set, tab-item, admonitions: a block with a bold title
        inner = self.lines("\n".join(content), page)
        return [f'<div class="{name}" markdown>', "", f"**{arg}**" if arg else "", "", *inner, "", "</div>", ""]


def convert(src: Path, dest: Path) -> Path:
    """Write DEST/mkdocs.yml and DEST/docs/ from the knowledge base in SRC."""
    converter = Converter(src)
    docs = dest / "docs"
    for page in converter.pages:
        target = docs / f"{page}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(converter.page(page), encoding="utf-8")
    (dest / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    return dest / "mkdocs.yml"


if __name__ == "__main__":
    print(convert(Path(sys.argv[1]), Path(sys.argv[2])))
