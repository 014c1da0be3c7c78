"""Term previews: a glossary term's or actor's short text on hover and keyboard focus.

A link to a glossary term or an entry of the Akteure list shows, when the
pointer rests on it or the keyboard focuses it, the first sentence of the
term's definition or the actor's role (Escape closes it, it stays while the
pointer is on it; touch shows nothing, so nothing covers the page). Like the
hover cards of mystmd and the tooltips of MkDocs Material, but built with
the site: the texts come from the doctrees (pages are written one sentence
per line, so the first line of the first paragraph is the first sentence) and
go with the script ``kb/previews.js`` into one file, ``_static/kb-previews.js``,
written at the end of the HTML build. A small loader in the page fetches it on
the first hover or keyboard focus of such a link, so loading a page costs no
request more. No request leaves the site. Pages without such links carry no
loader.

State lives in the domain ``vorschau`` (``clear_doc``, ``merge_domaindata``),
so ``-j`` and incremental builds stay right.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from kb.graph import actor_items, glossary_items
from kb.markup import WEB_BUILDERS
from kb.state import DocumentTables

SCRIPT = "kb-previews.js"
CODE = Path(__file__).with_name("previews.js")
# In each page that needs it: loads the script on the first hover (mouse) or
# keyboard focus of a term or actor link, so the page itself costs no request
# more (page budget: 12 requests).
LOADER_ID = "kb-previews-loader"
LOADER = """(() => {
  const links = 'article a.reference.internal[href*="#term-"], article a.reference.internal[href*="#akteur-"]';
  let ready = null;
  const load = () => (ready ??= new Promise((done) => {
    const script = document.createElement("script");
    const root = new URL(document.documentElement.dataset.content_root || "./", location.href);
    script.src = new URL("_static/@SCRIPT@", root).href;
    script.onload = done;
    document.head.append(script);
  }));
  const wanted = (e) => {
    const link = e.target.closest && e.target.closest(links);
    if (!link || (e.type === "pointerover" && e.pointerType !== "mouse")) return;
    if (e.type === "focusin" && !link.matches(":focus-visible")) return;
    load().then(() => window.kbPreviews.open(link));
  };
  document.addEventListener("pointerover", wanted);
  document.addEventListener("focusin", wanted);
})();""".replace("@SCRIPT@", SCRIPT)


class PreviewDomain(DocumentTables):
    """Preview texts: docname -> {anchor: first sentence}."""

    name = "vorschau"
    label = "Vorschau"
    initial_data: dict[str, dict] = {"texts": {}}
    data_version = 1


# A {ref} without its own link text shows the section title, known only once all
# pages are read: the text keeps the label between these marks until the script is written.
REF = "\x00"


def _text(node: nodes.Node) -> str:
    if isinstance(node, addnodes.pending_xref) and node.get("reftype") == "ref" and not node.get("refexplicit"):
        return f"{REF}{node['reftarget']}{REF}"
    if isinstance(node, nodes.Text):
        return str(node)
    return "".join(_text(child) for child in node.children)


def first_sentence(definition: nodes.Element) -> str:
    para = next(definition.findall(nodes.paragraph), None)
    return " ".join(_text(para).split("\n")[0].split()) if para is not None else ""


def _resolved(app: Sphinx, text: str) -> str:
    labels = app.env.domains.standard_domain.labels
    parts = text.split(REF)
    # Odd parts are labels: their section title (the label itself if it is unknown; the build warns).
    return "".join(labels.get(part, ("", "", part))[2] if index % 2 else part for index, part in enumerate(parts))


def collect(app: Sphinx, doctree: nodes.document) -> None:
    texts = {}
    for item in (*glossary_items(doctree), *actor_items(doctree)):
        definition = next((c for c in item.children if isinstance(c, nodes.definition)), None)
        text = first_sentence(definition) if definition is not None else ""
        for term in item.children:
            if isinstance(term, nodes.term) and term["ids"] and text:
                texts[term["ids"][0]] = text
    if texts:
        app.env.domains["vorschau"].data["texts"][app.env.current_document.docname] = texts


# The anchors that have a preview, gathered once when writing starts (before -j forks).
_anchors: set[str] = set()


def gather_anchors(app: Sphinx, env: BuildEnvironment) -> None:
    _anchors.clear()
    _anchors.update(anchor for texts in env.domains["vorschau"].data["texts"].values() for anchor in texts)


def script_where_needed(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree) -> None:
    """Load the script only on pages of the web site that link to a term or actor with a preview."""
    body = context.get("body", "")
    if app.builder.name not in WEB_BUILDERS or not any(f'#{anchor}"' in body for anchor in _anchors):
        context["script_files"] = [
            s for s in context.get("script_files", []) if getattr(s, "attributes", {}).get("id") != LOADER_ID
        ]


def write_script(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    data = {
        f"{docname}.html#{anchor}": _resolved(app, text)
        for docname, texts in sorted(app.env.domains["vorschau"].data["texts"].items())
        for anchor, text in texts.items()
    }
    target = Path(app.outdir, "_static", SCRIPT)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(
        "const KB_PREVIEWS = " + json.dumps(data, ensure_ascii=False, sort_keys=True) + ";\n" + CODE.read_text("utf-8"),
        encoding="utf-8",
    )


def setup(app: Sphinx) -> dict:
    app.require_sphinx("9.0")
    app.setup_extension("kb.graph")  # the Akteure list (definition lists of class kb-akteure)
    app.add_domain(PreviewDomain)
    app.add_js_file(None, body=LOADER, id=LOADER_ID)
    app.connect("doctree-read", collect)
    app.connect("env-updated", gather_anchors)
    app.connect("html-page-context", script_where_needed)
    app.connect("build-finished", write_script)
    return {"version": "1.0", "env_version": 2, "parallel_read_safe": True, "parallel_write_safe": True}
