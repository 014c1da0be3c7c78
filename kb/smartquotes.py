"""Typographic quotes, dashes and ellipses as Sphinx makes them, without re-writing text that has none.

Sphinx's ``SmartQuotes`` sends every block of text through docutils' educating steps and
replaces each text node, changed or not, though most text here has nothing to educate
(benchmarks/FINDINGS.md, section 6). ``QuickSmartQuotes`` skips a block holding none of what
the default ``smartquotes_action = "qDe"`` acts on (``"``, ``'``, ``--``, ``...``, ``. . .``,
escapes, ``&#``); every other block goes through docutils' own code, so the output is the
same. Its loop is a copy of docutils 0.22's ``SmartQuotes.apply``: a kb.upstream patch
("smartquotes"), compared with Sphinx's by the fast tests.
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes, utils
from docutils.utils import smartquotes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxSmartQuotes

from kb.upstream import applies, setup_upstream

# What educate_tokens() can change in a text (quotes, dashes, ellipses, escapes, entities).
EDUCABLE = re.compile(r"[\"'\\\x00]|--|\.\.\.|\. \. \.|&#")


class QuickSmartQuotes(SphinxSmartQuotes):
    """SphinxSmartQuotes that leaves blocks without anything to educate as they are."""

    def apply(self, **kwargs: Any) -> None:
        if not set(self.config.smartquotes_action) <= set("qDe"):
            super().apply()  # other steps (backticks, "stupefy"): Sphinx's and docutils' own code
            return
        if not self.is_available():
            return
        self.smartquotes_action = self.config.smartquotes_action
        self._educate()

    def _educate(self) -> None:
        # docutils 0.22.4, SmartQuotes.apply, with the EDUCABLE test (marked below).
        smart_quotes = self.document.settings.setdefault("smart_quotes", False)
        if not smart_quotes:
            return
        try:
            alternative = smart_quotes.startswith("alt")
        except AttributeError:
            alternative = False
        document_language = self.document.settings.language_code
        lc_smartquotes = self.document.settings.smartquotes_locales
        if lc_smartquotes:
            smartquotes.smartchars.quotes.update(dict(lc_smartquotes))
        for node in self.document.findall(nodes.TextElement):
            if isinstance(node, self.nodes_to_skip):
                continue
            if isinstance(node.parent, nodes.TextElement):
                continue
            txtnodes = [
                txtnode for txtnode in node.findall(nodes.Text) if not isinstance(txtnode.parent, nodes.option_string)
            ]
            lang = node.get_language_code(document_language)
            if alternative:
                if "-x-altquot" in lang:
                    lang = lang.replace("-x-altquot", "")
                else:
                    lang += "-x-altquot"
            for tag in utils.normalize_language_tag(lang):
                if tag in smartquotes.smartchars.quotes:
                    lang = tag
                    break
            else:
                if lang not in self.unsupported_languages:
                    self.document.reporter.warning(f'No smart quotes defined for language "{lang}".', base_node=node)
                self.unsupported_languages.add(lang)
                lang = ""
            # kb: nothing to educate in this block, so educating would give the same text.
            if not any(EDUCABLE.search(str(txtnode)) for txtnode in txtnodes):
                continue
            teacher = smartquotes.educate_tokens(self.get_tokens(txtnodes), attr=self.smartquotes_action, language=lang)
            for txtnode, newtext in zip(txtnodes, teacher, strict=False):
                txtnode.parent.replace(txtnode, nodes.Text(newtext))
        self.unsupported_languages.clear()


def install(app: Sphinx, config: Any) -> None:
    """Once the configuration is read: Sphinx's transform replaced, if the patch applies."""
    if applies(app, "smartquotes"):
        transforms = app.registry.transforms
        transforms[transforms.index(SphinxSmartQuotes)] = QuickSmartQuotes


def setup(app: Sphinx) -> dict:
    app.require_sphinx("9.0")
    setup_upstream(app)
    app.connect("config-inited", install)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
