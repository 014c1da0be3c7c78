"""Hyphenation exceptions for the PDF: words German patterns break badly, set with their own breaks.

WeasyPrint hyphenates with pyphen's German patterns, which split English loanwords and
some compounds where no German reader would ("Ho-meoffice", "Live-De-mos"). Each word
listed here is set, wherever it stands in the print document, with soft hyphens at the
breaks given ("·") and no others (CSS ``hyphens: manual``, class ``kb-keep``); a word
without a "·" is never broken. Names of people and organisations are never hyphenated
anyway (``kb-name``, ``kb-mention`` in kb-print.css).
"""

from __future__ import annotations

import re

from docutils import nodes

# Word -> its allowed breaks. A word matches whole or as part of a hyphenated compound.
EXCEPTIONS = {
    "Homeoffice": "Home·office",
    "Demos": "Demos",
    "Metaverse": "Meta·verse",
    "Storytelling": "Story·telling",
    "Keynote": "Key·note",
    "Networking": "Net·working",
    "Chatsysteme": "Chat·systeme",
    "Chatsystem": "Chat·system",
    "Chatbot": "Chat·bot",
    "KMUfutureLab": "KMUfutureLab",
    "Zukunftszentrum": "Zukunfts·zentrum",
    "Zukunftszentren": "Zukunfts·zentren",
    "Zukunftszentrums": "Zukunfts·zentrums",
    "Workshop": "Work·shop",
    "Workshops": "Work·shops",
    "Social": "Social",
    "Media": "Media",
}

# Headings are not hyphenated (kb-print.css), and their text becomes the bookmarks.
_SKIP = (nodes.literal, nodes.raw, nodes.literal_block, nodes.title)


def apply_exceptions(tree: nodes.Node, exceptions: dict[str, str] = EXCEPTIONS) -> int:
    """Wrap every listed word of the tree's text in a ``kb-keep`` inline with its own breaks."""
    words = "|".join(re.escape(w) for w in sorted(exceptions, key=len, reverse=True))
    pattern = re.compile(r"(?<![\w\u00ad])(" + words + r")(?![\w\u00ad])")
    count = 0
    for text in list(tree.findall(nodes.Text)):
        parent = text.parent
        if parent is None or any(isinstance(a, _SKIP) for a in _ancestors(parent)):
            continue
        if isinstance(parent, nodes.inline) and "kb-keep" in parent.get("classes", []):
            continue
        value = str(text)
        if not pattern.search(value):
            continue
        link = next((a for a in _ancestors(parent) if isinstance(a, nodes.reference)), None)
        if link is not None:
            # No <span> in a link (WeasyPrint would give it a second, untagged annotation):
            # the soft hyphens go straight into the text, and the link breaks only there.
            marked = pattern.sub(lambda m: exceptions[m.group(1)].replace("·", "\u00ad"), value)
            parent.replace(text, nodes.Text(marked))
            link["classes"].append("kb-keep")
            count += 1
            continue
        parts: list[nodes.Node] = []
        position = 0
        for match in pattern.finditer(value):
            if match.start() > position:
                parts.append(nodes.Text(value[position : match.start()]))
            word = exceptions[match.group(1)].replace("·", "\u00ad")
            parts.append(nodes.inline(word, word, classes=["kb-keep"]))
            position = match.end()
            count += 1
        if position < len(value):
            parts.append(nodes.Text(value[position:]))
        index = parent.index(text)
        parent[index : index + 1] = parts
    return count


def _ancestors(node: nodes.Node):
    while node is not None:
        yield node
        node = node.parent
