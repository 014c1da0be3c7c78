"""sphinx-design with one walk per page instead of four: its HTML steps run only where they apply.

sphinx-design's three HTML post-transforms (dropdown, tab set, aside) and its new-tab handler
each walk every page, whether it has such a component or not (benchmarks/FINDINGS.md,
section 6). One census walk per page notes the components it holds; sphinx-design's own
code then runs, unchanged, only on pages that need it, so the output is the same. A
kb.upstream patch ("design"); nothing is stored beyond the page being written.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx_design import aside, dropdown, extension, tabs

from kb.upstream import applies, setup_upstream

CENSUS = "_kb_design_census"  # a Python attribute of the document: not an output attribute


class DesignCensus(SphinxPostTransform):
    """Note the sphinx-design components of a page and whether any opens links in a new tab."""

    default_priority = 198  # before sphinx-design's (199, 200), after what makes components (kb.cards' at 1)
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        components: set[str] = set()
        new_tab = False
        for node in self.document.findall(nodes.Element):
            attributes = node.attributes
            if "design_component" in attributes:
                components.add(attributes["design_component"])
            new_tab = new_tab or bool(attributes.get("sd_new_tab"))
        setattr(self.document, CENSUS, (components, new_tab))


def _census(document: nodes.Node) -> tuple[set[str], bool] | None:
    """The page's census; None on a page of another format, where sphinx-design's steps all run."""
    return getattr(document, CENSUS, None)


def _only_with(transform: type[SphinxPostTransform], component: str) -> type[SphinxPostTransform]:
    """sphinx-design's transform, skipped on pages without the component."""

    def run(self, **kwargs: Any) -> None:
        census = _census(self.document)
        if census is None or component in census[0]:
            transform.run(self, **kwargs)

    return type(transform.__name__, (transform,), {"run": run, "__doc__": transform.__doc__})


GUARDED = {
    dropdown.DropdownHtmlTransform: "dropdown",
    tabs.TabSetHtmlTransform: "tab-set",
    aside.AsideHtmlTransform: "aside",
}


def resolve_new_tab_refs(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """sphinx-design's handler, on pages with a component marked to open links in a new tab."""
    census = _census(doctree)
    if census is None or census[1]:
        extension._resolve_new_tab_refs(app, doctree, docname)


def install(app: Sphinx, config: Any) -> None:
    """Once the configuration is read: sphinx-design's steps guarded, if the patch applies."""
    if not applies(app, "design"):
        return
    transforms = app.registry.post_transforms
    for index, transform in enumerate(transforms):
        if transform in GUARDED:
            transforms[index] = _only_with(transform, GUARDED[transform])
    listeners = app.events.listeners.get("doctree-resolved", [])
    for index, listener in enumerate(listeners):
        if listener.handler is extension._resolve_new_tab_refs:
            listeners[index] = listener._replace(handler=resolve_new_tab_refs)  # in its place among the handlers
    app.add_post_transform(DesignCensus)


def setup(app: Sphinx) -> dict:
    app.require_sphinx("9.0")
    app.setup_extension("sphinx_design")
    setup_upstream(app)
    app.connect("config-inited", install)  # (before kb.safety wraps the kb handlers, at 900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
