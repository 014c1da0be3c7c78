"""Page metadata: the front matter of every page, kept per page for everything built from it.

One extension, four jobs, each in its own module with a ``setup_*`` function
(as sphinx-design's ``extension.py`` does):

* ``kb.schema``     – front matter checked against ``schemas/<type>.schema.yaml``;
* ``kb.listings``   – ``kb-listing``: a card per page of a type, redone when a listed page changes;
* ``kb.paging``     – long HTML overviews split into pages;
* ``kb.steckbrief`` – ``kb-steckbrief``: a page's key facts from its own front matter.

This module holds what they share: the domain with the parsed front matter
(merged after parallel reads, purged per page) and the page type of a document.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from kb.state import DocumentTables


def page_type(config, docname: str) -> str | None:
    """The page type of a document, from its folder; None for overviews and others."""
    folder, _, name = docname.rpartition("/")
    if name == "index":
        return None
    return config.kb_page_types.get(folder)


class MetadataDomain(DocumentTables):
    """Build state of kb.metadata, merged after parallel reads and purged per page.

    ``label_refs``: docname -> {field: (label, line)} for ``event``/``session``;
    ``listings``: docname -> [(kind, key, limit)] of the listings on the page;
    ``pages``: docname -> (file version, parsed front matter): the listings' cards and the next build;
    ``written`` (build-wide): docname -> what its listings showed when last written.
    """

    name = "kbmeta"
    label = "Wissensbasis-Metadaten"
    initial_data: dict[str, dict] = {"label_refs": {}, "listings": {}, "pages": {}, "written": {}}
    data_version = 3
    per_document = ("label_refs", "listings", "pages")


def metadata(env: BuildEnvironment) -> dict[str, dict]:
    return env.domains["kbmeta"].data


def setup(app: Sphinx) -> dict:
    from kb.listings import setup_listings
    from kb.paging import setup_paging
    from kb.schema import setup_schema
    from kb.steckbrief import setup_steckbrief
    from kb.titles import setup_titles

    app.require_sphinx("9.0")
    app.setup_extension("myst_parser")  # the text in cards and key facts goes through its inline parser
    app.setup_extension("sphinx_design")  # the cards are its nodes (grids, cards), rendered by it
    app.add_config_value("kb_page_types", {}, "env", types=[dict])
    app.add_domain(MetadataDomain)
    setup_schema(app)
    setup_listings(app)
    setup_paging(app)
    setup_steckbrief(app)
    setup_titles(app)  # the # heading within schemas/title.schema.yaml
    return {"version": "1.0", "env_version": 2, "parallel_read_safe": True, "parallel_write_safe": True}
