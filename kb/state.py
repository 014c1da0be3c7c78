"""Build state kept per document, as sphinx.ext.todo keeps it: in a Domain.

Sphinx pickles a domain's data with the environment, calls ``clear_doc`` when
a document is read again or removed, and ``merge_domaindata`` after parallel
(``-j``) reads. ``DocumentTables`` does both for tables keyed by docname, so
an extension only declares its tables.
"""

from __future__ import annotations

from sphinx.domains import Domain


class DocumentTables(Domain):
    """A domain whose tables (``initial_data``) map docname -> what that document contributed.

    ``per_document`` names the tables keyed by docname, when not all are
    (a table of build-wide data is then left to the extension).
    """

    per_document: tuple[str, ...] | None = None

    def _tables(self) -> tuple[str, ...]:
        return tuple(self.initial_data) if self.per_document is None else self.per_document

    def clear_doc(self, docname: str) -> None:
        for table in self._tables():
            self.data[table].pop(docname, None)

    def merge_domaindata(self, docnames, otherdata: dict) -> None:
        for table in self._tables():
            self.data[table].update({d: v for d, v in otherdata[table].items() if d in docnames})

    def resolve_any_xref(self, env, fromdocname, builder, target, node, contnode):
        return []  # it defines no cross-reference targets
