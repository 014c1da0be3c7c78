"""Where each node of a diagram goes: columns by kind, rows ordered to keep lines short.

The network is drawn as layers (one column per kind of node: people,
organisations, programme points, case studies), each node a labelled box; the
order of the columns and of the boxes in a column is chosen to shorten and
uncross the lines (barycentre sweeps, as in Sugiyama-style layered drawing).
benchmarks/FINDINGS.md compares this with networkx's force-directed
``spring_layout``: the layers keep every label readable and cost a fraction of
the time. Everything is sorted before it is placed, so two builds draw the same.
Beyond ``MAX_ROWS`` nodes in a column the rest become one box ("+ N weitere …").
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import networkx as nx

from kb.diagram_data import CASE_STUDY, KIND_NAMES, ORGANISATION, PERSON, SESSION, Node

KINDS = (PERSON, ORGANISATION, SESSION, CASE_STUDY)
MAX_ROWS = 10  # boxes per column before the rest are summed up in one
CHAR = 7.2  # estimated width of a character at 13 px (no font metrics at build time)
LINE = 16.0
WRAP = 26  # characters per line of a box label
PAD = 8.0
GAP_X = 56.0
GAP_Y = 10.0
HEAD = 28.0


def wrap(text: str, width: int = WRAP) -> list[str]:
    """Words into lines of at most width characters (a longer word stands alone)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def aggregate(graph: nx.Graph, keep: set[str] = frozenset(), max_rows: int = MAX_ROWS) -> nx.Graph:
    """A graph of at most max_rows nodes per kind: the best connected stay, the rest become one node.

    The summary node's id is ``mehr:<kind>``; its ``node`` names the count and, for case
    studies and actors, the overview page (see kb.diagrams). Nodes in ``keep`` always stay.
    """
    by_kind: dict[str, list[str]] = {}
    for node_id in sorted(graph):
        by_kind.setdefault(graph.nodes[node_id]["node"].kind, []).append(node_id)
    merged: dict[str, str] = {}
    out = nx.Graph()
    for kind, ids in sorted(by_kind.items()):
        if len(ids) <= max_rows:
            continue
        ranked = sorted(ids, key=lambda n: (n not in keep, -graph.degree(n), graph.nodes[n]["node"].label, n))
        for node_id in ranked[max_rows - 1 :]:
            merged[node_id] = f"mehr:{kind}"
        count = len(ranked) - (max_rows - 1)
        out.add_node(f"mehr:{kind}", node=Node(kind, f"+ {count} weitere {KIND_NAMES[kind][1]}", count=count))
    for node_id in sorted(graph):
        if node_id not in merged:
            out.add_node(node_id, **graph.nodes[node_id])
    for a, b in sorted(graph.edges()):
        a, b = merged.get(a, a), merged.get(b, b)
        if a != b:
            out.add_edge(a, b)
    return out


@dataclass
class Box:
    node_id: str
    node: Node
    lines: list[str]
    x: float = 0.0
    y: float = 0.0
    width: float = 0.0
    height: float = 0.0


@dataclass
class Layout:
    columns: list[tuple[str, list[Box]]]  # (kind, boxes top to bottom), left to right
    edges: list[tuple[Box, Box]]  # (left box, right box)
    width: float
    height: float


def _span(graph: nx.Graph, order: tuple[str, ...]) -> int:
    column = {kind: i for i, kind in enumerate(order)}
    return sum(abs(column[graph.nodes[a]["node"].kind] - column[graph.nodes[b]["node"].kind]) for a, b in graph.edges())


def _column_order(graph: nx.Graph) -> tuple[str, ...]:
    """The order of the kinds present that makes the lines span the fewest columns (ties: KINDS)."""
    present = tuple(k for k in KINDS if any(graph.nodes[n]["node"].kind == k for n in graph))
    return min(itertools.permutations(present), key=lambda order: (_span(graph, order), order != present))


def _centre(graph: nx.Graph, rows: dict[str, int], node_id: str) -> float:
    near = [rows[m] for m in graph[node_id] if m in rows]
    return sum(near) / len(near) if near else 1e6 + rows[node_id]  # no tie: at the foot of its column


def _sweep(graph: nx.Graph, columns: list[list[str]], fixed: set[int]) -> None:
    """Order each column by the mean row of its neighbours in the other columns (a few sweeps)."""
    for _ in range(4):
        for indices in (range(len(columns)), reversed(range(len(columns)))):
            rows = {n: r for col in columns for r, n in enumerate(col)}
            for i in indices:
                if i in fixed:
                    continue
                now = dict(rows)
                columns[i].sort(key=lambda n, now=now: (round(_centre(graph, now, n), 6), now[n]))
                rows.update({n: r for r, n in enumerate(columns[i])})


def layered(graph: nx.Graph) -> Layout:
    """Place the graph's nodes in columns by kind; programme points keep their programme order."""
    order = _column_order(graph)
    columns = [
        sorted((n for n in graph if graph.nodes[n]["node"].kind == kind), key=lambda n: _start(graph, n))
        for kind in order
    ]
    fixed = {i for i, kind in enumerate(order) if kind == SESSION}
    _sweep(graph, columns, fixed)
    placed: list[tuple[str, list[Box]]] = []
    x = 0.0
    for kind, ids in zip(order, columns, strict=True):
        boxes = [Box(n, graph.nodes[n]["node"], wrap(graph.nodes[n]["node"].label)) for n in ids]
        width = max([len(line) for b in boxes for line in b.lines] + [len(KIND_NAMES[kind][1])]) * CHAR + 2 * PAD
        y = HEAD
        for box in boxes:
            box.x, box.y, box.width = x, y, width
            box.height = len(box.lines) * LINE + PAD
            y += box.height + GAP_Y
        placed.append((kind, boxes))
        x += width + GAP_X
    height = max((b.y + b.height for _k, bs in placed for b in bs), default=HEAD)
    for _kind, boxes in placed:  # each column centred on the tallest
        if boxes:
            shift = (height - (boxes[-1].y + boxes[-1].height)) / 2
            for box in boxes:
                box.y += shift
    where = {b.node_id: (i, b) for i, (_k, bs) in enumerate(placed) for b in bs}
    edges = []
    for a, b in sorted(graph.edges()):
        (ia, ba), (ib, bb) = where[a], where[b]
        edges.append((ba, bb) if (ia, ba.y) <= (ib, bb.y) else (bb, ba))
    return Layout(placed, edges, max(x - GAP_X, 0.0), height)


def _start(graph: nx.Graph, node_id: str) -> tuple:
    node = graph.nodes[node_id]["node"]
    order = graph.nodes[node_id].get("order", 0)
    return (node_id.startswith("mehr:"), order, node.label.casefold(), node_id)
