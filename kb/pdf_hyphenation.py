"""Hyphenation exceptions for the PDF: words German patterns break badly, set with their own breaks.

WeasyPrint hyphenates with pyphen's German patterns, which split English loanwords and
some compounds where no German reader would ("Ho-meoffice", "Storytel-ling"). Each word
listed here gets soft hyphens at the breaks given ("·") wherever it stands in the print
document; WeasyPrint then breaks it there and nowhere else (a word with soft hyphens is
not hyphenated automatically). Words shorter than seven letters are never hyphenated
(``hyphenate-limit-chars`` in kb-print.css: "Live-Demos" keeps "Demos" whole), nor are
names of people and organisations (``kb-name``, ``kb-mention``). No element is added:
an inline element per word made every layout slower.
"""

from __future__ import annotations

import re

from docutils import nodes

# Word -> its allowed breaks. A word matches whole or as part of a hyphenated compound.
EXCEPTIONS = {
    "Homeoffice": "Home·office",
    "Metaverse": "Meta·verse",
    "Storytelling": "Story·telling",
    "Keynote": "Key·note",
    "Networking": "Net·working",
    "Chatsysteme": "Chat·systeme",
    "Chatsystem": "Chat·system",
    "Chatbot": "Chat·bot",
    "Zukunftszentrum": "Zukunfts·zentrum",
    "Zukunftszentren": "Zukunfts·zentren",
    "Zukunftszentrums": "Zukunfts·zentrums",
    "Workshop": "Work·shop",
    "Workshops": "Work·shops",
}

# Never broken: a link to a person or organisation, a name the register indexes.
NEVER_BROKEN = {"kb-name", "kb-mention"}
# Headings and glossary terms are not hyphenated (kb-print.css); headings become the bookmarks.
_SKIP = (nodes.literal, nodes.raw, nodes.literal_block, nodes.title, nodes.term)


def apply_exceptions(tree: nodes.Node, exceptions: dict[str, str] = EXCEPTIONS) -> int:
    """Put soft hyphens into every listed word of the tree's text; the number of words changed."""
    words = "|".join(re.escape(w) for w in sorted(exceptions, key=len, reverse=True))
    pattern = re.compile(r"(?<![\w\u00ad])(" + words + r")(?![\w\u00ad])")
    count = 0
    for text in list(tree.findall(nodes.Text)):
        parent = text.parent
        if parent is None or any(isinstance(a, _SKIP) for a in _ancestors(parent)):
            continue
        if any(set(a.get("classes", [])) & NEVER_BROKEN for a in _ancestors(parent) if isinstance(a, nodes.Element)):
            continue  # names (and the register's indexed mentions) are never hyphenated
        value = str(text)
        marked, changed = pattern.subn(lambda m: exceptions[m.group(1)].replace("·", "\u00ad"), value)
        if changed:
            parent.replace(text, nodes.Text(marked))
            count += changed
    return count


def _ancestors(node: nodes.Node):
    while node is not None:
        yield node
        node = node.parent
