"""The PDF's structure tree, finished where WeasyPrint 70 leaves gaps (PDF/UA-1, Matterhorn).

Runs as part of kb.pdf_weasyprint's finisher, on the pydyf objects before they are
written (no second pass over the file):

* running heads and page numbers (margin boxes) are artifacts: WeasyPrint 70 marks
  their text as ``/Span`` content with an MCID and builds structure elements for it
  that hang in no tree ("could be included as Artifact, but that's only allowed in
  PDF 2.0", weasyprint/pdf/tags.py); their marked content becomes
  ``/Artifact <</Type /Pagination>>`` and the parent tree forgets them;
* a list item's content sits in an ``LBody`` (WeasyPrint puts a ``<li>``'s
  paragraph straight under ``LI``, next to its ``Lbl``);
* structure elements without content (the empty ``<span id>`` anchors Sphinx writes
  before headings) leave the tree;
* a header cell in a row with data cells heads its row (``Scope /Row``), the others
  their column;
* the viewer opens with the bookmarks shown (``/PageMode /UseOutlines``).

Guarded by WeasyPrint's version (kb.upstream's rule): another version leaves the
structure as WeasyPrint made it and says so once.
"""

from __future__ import annotations

PATCHED_FOR = "70."


def _obj(pdf, ref):
    """The object a reference (b'12 0 R') names; the value itself when it is none."""
    if isinstance(ref, bytes) and ref.endswith(b" R"):
        return pdf.objects[int(ref.split()[0])]
    return ref


def _kids(element) -> list:
    kids = element.get("K")
    return kids if isinstance(kids, list) else ([] if kids is None else [kids])


def _reachable(pdf, root) -> set[int]:
    """Numbers of the structure elements in the tree below root."""
    seen: set[int] = set()
    todo = [root]
    while todo:
        element = todo.pop()
        if element.number in seen:
            continue
        seen.add(element.number)
        for kid in _kids(element):
            child = _obj(pdf, kid)
            if isinstance(child, dict) and child.get("Type") == "/StructElem":
                todo.append(child)
    return seen


def _pagination_artifacts(pdf, reachable: set[int]) -> int:
    """Marked content whose structure element hangs in no tree becomes a pagination artifact."""
    import pydyf

    tree_root = _obj(pdf, pdf.catalog["StructTreeRoot"])
    nums = _obj(pdf, tree_root["ParentTree"])["Nums"]
    changed = 0
    for page_index, page_ref in enumerate(pdf.page_references):
        position = nums.index(page_index) if page_index in nums[::2] else -1
        if position < 0 or not isinstance(nums[position + 1], list):
            continue
        mapping = nums[position + 1]
        orphans = {
            mcid
            for mcid, ref in enumerate(mapping)
            if isinstance(ref, bytes) and ref.endswith(b" R") and int(ref.split()[0]) not in reachable
        }
        if not orphans:
            continue
        for mcid in orphans:
            mapping[mcid] = "null"
        page = _obj(pdf, page_ref)
        contents = _obj(pdf, page["Contents"])
        ops = contents.stream
        for index in range(len(ops) - 2):
            props = ops[index + 1]
            if ops[index + 2] == b"BDC" and isinstance(props, dict) and props.get("MCID") in orphans:
                ops[index] = "/Artifact"
                ops[index + 1] = pydyf.Dictionary({"Type": "/Pagination"})
                changed += 1
    return changed


def _lbody(pdf, reachable: set[int]) -> int:
    """Wrap an LI's content (all but its Lbl) in an LBody."""
    import pydyf

    wrapped = 0
    for number in sorted(reachable):
        item = pdf.objects[number]
        if item.get("S") != "/LI":
            continue
        kids = _kids(item)
        labels = [k for k in kids if isinstance(_obj(pdf, k), dict) and _obj(pdf, k).get("S") in ("/Lbl", "/LBody")]
        content = [k for k in kids if k not in labels]
        if not content or any(_obj(pdf, k).get("S") == "/LBody" for k in labels):
            continue
        if any(not (isinstance(k, bytes) and k.endswith(b" R")) for k in content):
            continue  # marked content straight in the LI: left as it is
        body = pydyf.Dictionary({"Type": "/StructElem", "S": "/LBody", "K": pydyf.Array(content), "P": item.reference})
        if "Pg" in item:
            body["Pg"] = item["Pg"]
        pdf.add_object(body)
        for kid in content:
            _obj(pdf, kid)["P"] = body.reference
        item["K"] = pydyf.Array([*labels, body.reference])
        wrapped += 1
    return wrapped


def _drop_empty(pdf, root) -> int:
    """Remove structure elements with no content, no children, no /Alt or /ActualText."""
    dropped = 0

    def empty(element) -> bool:
        return (
            isinstance(element, dict)
            and element.get("Type") == "/StructElem"
            and not _kids(element)
            and "Alt" not in element
            and "ActualText" not in element
        )

    def walk(element) -> None:
        nonlocal dropped
        kids = _kids(element)
        keep = []
        for kid in kids:
            child = _obj(pdf, kid)
            if isinstance(child, dict) and child.get("Type") == "/StructElem":
                walk(child)
                if empty(child):
                    dropped += 1
                    continue
            keep.append(kid)
        if len(keep) != len(kids):
            element["K"] = type(element.get("K"))(keep) if isinstance(element.get("K"), list) else keep

    walk(root)
    return dropped


def _header_scopes(pdf, reachable: set[int]) -> None:
    import pydyf

    for number in reachable:
        row = pdf.objects[number]
        if row.get("S") != "/TR":
            continue
        cells = [_obj(pdf, k) for k in _kids(row)]
        has_data = any(isinstance(c, dict) and c.get("S") == "/TD" for c in cells)
        for cell in cells:
            if isinstance(cell, dict) and cell.get("S") == "/TH":
                cell.setdefault("A", pydyf.Dictionary({"O": "/Table"}))
                cell["A"]["Scope"] = "/Row" if has_data else "/Column"


def finish_structure(pdf) -> dict[str, int] | None:
    """Finish the structure tree of a pydyf PDF WeasyPrint made (see the module docstring)."""
    import weasyprint

    pdf.catalog["PageMode"] = "/UseOutlines"
    if not weasyprint.__version__.startswith(PATCHED_FOR) or "StructTreeRoot" not in pdf.catalog:
        return None
    tree_root = _obj(pdf, pdf.catalog["StructTreeRoot"])
    document = _obj(pdf, _kids(tree_root)[0])
    reachable = _reachable(pdf, document)
    counts = {
        "artifacts": _pagination_artifacts(pdf, reachable),
        "lbody": _lbody(pdf, reachable),
        "empty": _drop_empty(pdf, document),
    }
    _header_scopes(pdf, _reachable(pdf, document))
    return counts
