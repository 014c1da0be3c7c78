"""Build state kept per document, as sphinx.ext.todo keeps it: in a Domain.

Sphinx pickles a domain's data with the environment, calls ``clear_doc`` when
a document is read again or removed, and ``merge_domaindata`` after parallel
(``-j``) reads. ``DocumentTables`` does both, so an extension only declares
which of its tables belong to which document.
"""

from __future__ import annotations

from sphinx.domains import Domain


class DocumentTables(Domain):
    """A domain whose tables (``initial_data``) hold what each document contributed.

    ``per_document`` names the tables keyed by docname (default: every table not
    in ``by_owner``); ``by_owner`` names tables of key -> (docname, ...) whose
    entries belong to the document in their first field (an actor, a tag, a
    section defined on that page). Any other table is build-wide data that the
    extension manages itself.
    """

    per_document: tuple[str, ...] | None = None
    by_owner: tuple[str, ...] = ()

    def _per_document(self) -> tuple[str, ...]:
        if self.per_document is not None:
            return self.per_document
        return tuple(table for table in self.initial_data if table not in self.by_owner)

    def clear_doc(self, docname: str) -> None:
        for table in self._per_document():
            self.data[table].pop(docname, None)
        for table in self.by_owner:
            for key in [k for k, v in self.data[table].items() if v[0] == docname]:
                del self.data[table][key]

    def merge_domaindata(self, docnames, otherdata: dict) -> None:
        for table in self._per_document():
            self.data[table].update({d: v for d, v in otherdata[table].items() if d in docnames})
        for table in self.by_owner:
            self.data[table].update({k: v for k, v in otherdata[table].items() if v[0] in docnames})

    def read_in(self, docnames: set[str]) -> dict:
        """A copy of the data with only what ``docnames`` contributed: all ``merge_domaindata`` reads.

        A ``-j`` reader sends its environment back whole, and Sphinx forks each reader from the
        main process after the chunks before it were merged, so without this every reader would
        send back the tables of every page read so far (kb.parallel, "parallel" patch).
        """
        data = dict(self.data)
        for table in self.initial_data:
            if table in self.by_owner:
                data[table] = {k: v for k, v in self.data[table].items() if v[0] in docnames}
            elif table in self._per_document():
                data[table] = {d: v for d, v in self.data[table].items() if d in docnames}
            else:  # build-wide: merge_domaindata does not read it
                data[table] = {}
        return data

    def resolve_any_xref(self, env, fromdocname, builder, target, node, contnode):
        return []  # "any" references never resolve to these entries
