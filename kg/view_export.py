"""A view's networkx graph as GraphML or GEXF (Gephi, Cytoscape, yEd), node attributes flattened to scalars."""
from __future__ import annotations

from pathlib import Path

import networkx as nx

GRAPH_FORMATS = ("graphml", "gexf")
NODE_FIELDS = ("kind", "label", "group", "size", "x", "y")


def flat_view(view: nx.DiGraph) -> nx.DiGraph:
    """A copy of the view with only scalar attributes: kind, label, group, size, x, y and the tooltip
    details as ``field: text`` lines (``details``); facts and folded lists are dropped."""
    flat = nx.DiGraph()
    flat.graph.update({k: str(v) for k, v in view.graph.items() if k in ("title", "view")})
    for node, data in view.nodes(data=True):
        attrs = {k: data[k] for k in NODE_FIELDS if data.get(k) is not None}
        for key in ("size", "x", "y"):  # one type per attribute: GEXF readers insist
            if key in attrs:
                attrs[key] = float(attrs[key])
        attrs["label"] = str(attrs.get("label", ""))
        attrs["group"] = str(data.get("group") or "")
        details = data.get("details") or []
        attrs["details"] = "\n".join(f"{k}: {v}" for k, v in details)
        flat.add_node(str(node), **attrs)
    flat.add_edges_from((str(a), str(b)) for a, b in view.edges())
    return flat


def write_view_graph(view: nx.DiGraph, path: Path, fmt: str | None = None) -> str:
    """Write the view as GraphML or GEXF (format from ``fmt`` or the suffix); returns the format."""
    fmt = fmt or path.suffix.lower().lstrip(".")
    if fmt not in GRAPH_FORMATS:
        raise ValueError(f"unknown graph format {fmt!r}; choose one of {', '.join(GRAPH_FORMATS)}")
    flat = flat_view(view)
    tmp = path.with_name(f".{path.name}.tmp")
    if fmt == "graphml":
        nx.write_graphml(flat, tmp, encoding="utf-8")
    else:
        nx.write_gexf(flat, tmp, encoding="utf-8")
    tmp.replace(path)
    return fmt
