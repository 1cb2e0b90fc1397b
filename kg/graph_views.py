"""The three views as networkx graphs: project, bureau and concept trees, folded to stay under a node budget.

Each view is a ``networkx.DiGraph`` whose nodes carry everything the renderer needs and nothing
RDF: ``kind`` (bureau, project, level1, level2, indicator, target, concept, aggregate), ``label``
(raw document text; escaping is the renderer's job), ``group`` (the level-1 name that picks the
colour, or None for structural nodes), ``size``, ``details`` (ordered (field, text) pairs for the
tooltip) and ``x``/``y`` from a layered tree layout whose columns are as wide as their labels.
Graph attributes: ``title``, ``view``, ``notes``
(what was folded and why, shown on the page), ``full_node_count`` and ``max_nodes``.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

import networkx as nx
from rdflib import Graph

from perfkg.kg.view_facts import (
    IndicatorFacts,
    ProjectFacts,
    ViewSelectionError,
    read_projects,
    select_bureau,
    select_concept,
    select_project,
)

DEFAULT_MAX_NODES = 250
AGGREGATE_PREVIEW = 12  # indicator names listed in an aggregate node's tooltip

__all__ = ["DEFAULT_MAX_NODES", "VIEWS", "ViewSelectionError", "build_view", "project_view", "bureau_view",
           "bureaus_view", "concept_view", "label_width"]


def _format_number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _indicator_details(ind: IndicatorFacts) -> list[tuple[str, str]]:
    details = [("indicator", ind.name), ("level", " / ".join(x for x in (ind.level1_printed, ind.level2_printed) if x)),
               ("value", ind.printed_value or ""), ("unit", ind.unit or "")]
    if ind.normalised_value is not None:
        details.append(("normalised", f"{_format_number(ind.normalised_value)} {ind.normalised_unit or ''}".strip()))
    details += [("description", ind.description or ""), ("source", ind.source_line())]
    return [(k, v) for k, v in details if v]


def _add_indicator(g: nx.DiGraph, parent: str, ind: IndicatorFacts, with_target: bool) -> None:
    g.add_node(ind.iri, kind="indicator", label=ind.name, group=ind.level1, size=12,
               details=_indicator_details(ind), level2=ind.level2_printed, facts=ind)
    g.add_edge(parent, ind.iri)
    if with_target and ind.printed_value:
        target = f"{ind.iri}#target"
        g.add_node(target, kind="target", label=ind.printed_value, group=ind.level1, size=8,
                   details=[(k, v) for k, v in (("value", ind.printed_value), ("unit", ind.unit or ""),
                                                ("source", ind.source_line())) if v], facts=ind)
        g.add_edge(ind.iri, target)


@dataclass
class _Fold:
    """A set of sibling subtrees that can be shown as one count node under ``parent``."""

    parent: str
    members: list[str]  # roots of the subtrees folded away (indicators)
    label: str
    group: str | None


def _subtree(g: nx.DiGraph, root: str) -> set[str]:
    return {root} | nx.descendants(g, root)


def _fold(g: nx.DiGraph, folds: list[_Fold], max_nodes: int, what: str) -> int:
    """Fold the biggest groups first until the graph fits; returns how many groups were folded."""
    sized = [(len(set().union(*(_subtree(g, m) for m in f.members))), order, f) for order, f in enumerate(folds)
             if f.members and all(m in g for m in f.members)]
    sized.sort(key=lambda item: (-item[0], item[1]))
    folded = 0
    for removed, _, fold in sized:
        if g.number_of_nodes() <= max_nodes:
            break
        if removed <= 1:
            continue
        facts = [f for m in fold.members for f in _folded_facts(g.nodes[m])]
        names = [f.name for f in facts]
        for member in fold.members:
            g.remove_nodes_from(_subtree(g, member))
        node = f"{fold.parent}#folded/{what}/{folded}"
        details = [("folded", f"{len(names)} indicators")]
        values = _value_range(facts)
        if values:
            details.append(("values", values))
        preview = "; ".join(names[:AGGREGATE_PREVIEW]) + (" …" if len(names) > AGGREGATE_PREVIEW else "")
        details.append(("indicators", preview))
        g.add_node(node, kind="aggregate", label=f"{fold.label} ×{len(names)}", group=fold.group,
                   size=round(10 + 4 * math.sqrt(len(names)), 1), details=details, folded=facts)
        g.add_edge(fold.parent, node)
        folded += 1
    return folded


def _folded_facts(data: dict) -> list[IndicatorFacts]:
    """The indicators a node stands for: itself, or everything an aggregate folded."""
    return data["folded"] if data["kind"] == "aggregate" else [data["facts"]]


def _value_range(facts: list[IndicatorFacts]) -> str:
    """``min – max unit`` of the numeric targets: in the printed unit when they share one, else in the
    normalised unit when they share that (万元 and 元 meet as 元); empty when the units differ."""
    for numbers in ([(f.numeric_value, f.unit) for f in facts if f.numeric_value is not None],
                    [(f.normalised_value, f.normalised_unit) for f in facts if f.normalised_value is not None]):
        units = {u for _, u in numbers}
        if numbers and len(units) == 1:
            low, high = min(v for v, _ in numbers), max(v for v, _ in numbers)
            unit = units.pop() or ""
            unit = "(ratio)" if unit == "1" else unit  # the normalised unit of percentages
            span = _format_number(low) if low == high else f"{_format_number(low)} – {_format_number(high)}"
            return f"{span} {unit}".strip()
    return ""


def _finish(g: nx.DiGraph, root: str, title: str, view: str, max_nodes: int,
            fold_stages: Sequence[tuple[str, Callable[[nx.DiGraph], list[_Fold]]]]) -> nx.DiGraph:
    """Fold when over budget, record what happened, lay the tree out."""
    full = g.number_of_nodes()
    notes = []
    for what, make_folds in fold_stages:
        if g.number_of_nodes() <= max_nodes:
            break
        count = _fold(g, make_folds(g), max_nodes, what)
        if count:
            notes.append(f"indicators of {count} {what} groups are folded into count nodes (×N)")
    if full > max_nodes:
        notes.insert(0, f"This view has {full} nodes, more than --max-nodes {max_nodes}; "
                        f"showing {g.number_of_nodes()}:")
    if g.number_of_nodes() > max_nodes:
        notes.append(f"still {g.number_of_nodes()} nodes after folding every group")
    g.graph.update(title=title, view=view, notes=notes, full_node_count=full, max_nodes=max_nodes)
    g.graph["roots"] = [root]
    _tree_layout(g, [root])
    return g


LABEL_FONT_PX = 14  # the renderer's label font (render_html.VIS_OPTIONS); widths below are estimated with it
LABEL_CHARS = 40  # labels are cut to this many characters by the renderer
COLUMN_GAP = 36
ROW_GAP = 26


def label_width(label: str, font_px: int = LABEL_FONT_PX) -> float:
    """Estimated drawn width of a label in pixels: CJK and full-width characters are one em, others ~0.6 em."""
    lines = str(label).split("\n") or [""]
    def width(line: str) -> float:
        line = line[:LABEL_CHARS + 1]
        return sum(font_px if ord(ch) > 0x2E7F else font_px * 0.6 for ch in line)
    return max(width(line) for line in lines)


def _tree_layout(g: nx.DiGraph, roots: list[str]) -> None:
    """A layered left-to-right layout of a tree (or of several, stacked): no two labels overlap.

    Depth (networkx shortest paths from the roots) gives the column; each column is as wide as its
    widest label, so a label never reaches into the next column. Leaves take one row each in
    depth-first order and parents sit in the row of their first child, so rows in a column are at
    least one row pitch apart; the pitch leaves room for the biggest node and its label below it.
    """
    depth: dict[Hashable, int] = {}
    leaves: list[Hashable] = []
    order: list[Hashable] = []
    for root in roots:
        depth.update(nx.single_source_shortest_path_length(g, root))
        leaves += [n for n in nx.dfs_preorder_nodes(g, root) if g.out_degree(n) == 0]
        order += list(nx.dfs_postorder_nodes(g, root))
    slot: dict[Hashable, float] = {leaf: float(i) for i, leaf in enumerate(leaves)}
    for node in order:
        if node not in slot:
            # a parent in the row of its first child: an outline read from the top left, root first
            slot[node] = min(slot[c] for c in g.successors(node))
    widths: dict[int, float] = {}
    for node, d in depth.items():
        data = g.nodes[node]
        widths[d] = max(widths.get(d, 0.0), label_width(data["label"]), 2.0 * data.get("size", 12))
    centre: dict[int, float] = {}
    x = 0.0
    for d in sorted(widths):
        centre[d] = x + widths[d] / 2
        x += widths[d] + COLUMN_GAP
    def extent(node: Hashable) -> tuple[float, float]:  # above and below the centre: the node, its label below
        size = float(g.nodes[node].get("size", 12))
        return size, size + (str(g.nodes[node]["label"]).count("\n") + 1) * (LABEL_FONT_PX + 4)
    pitch = max(sum(extent(leaf)) for leaf in leaves) + ROW_GAP
    columns: dict[int, list[Hashable]] = {}
    for node in slot:
        g.nodes[node]["x"] = round(centre[depth[node]], 1)
        columns.setdefault(depth[node], []).append(node)
    for nodes in columns.values():  # pushed down where a big node needs room
        nodes.sort(key=lambda n: slot[n])
        bottom = -math.inf
        for node in nodes:
            above, below = extent(node)
            y = max(slot[node] * pitch, bottom + above + ROW_GAP)
            g.nodes[node]["y"] = round(y, 1)
            bottom = y + below
    g.graph["row_pitch"] = pitch


def _by_level2(g: nx.DiGraph) -> list[_Fold]:
    """Folds of the indicators sharing a parent (level-2 node or project) and a printed level-2 name."""
    groups: dict[tuple[str, str], _Fold] = {}
    for node, data in g.nodes(data=True):
        if data["kind"] == "indicator":
            parent = next(iter(g.predecessors(node)))
            key = (parent, data["level2"])
            if key not in groups:
                groups[key] = _Fold(parent, [], data["level2"] or data["group"], data["group"])
            groups[key].members.append(node)
    return list(groups.values())


def _by_parent(g: nx.DiGraph) -> list[_Fold]:
    """Folds of all indicators (and earlier folds) under one parent."""
    groups: dict[str, _Fold] = {}
    for node, data in g.nodes(data=True):
        if data["kind"] in ("indicator", "aggregate"):
            parent = next(iter(g.predecessors(node)))
            groups.setdefault(parent, _Fold(parent, [], "indicators", None)).members.append(node)
    return list(groups.values())


def _project_details(p: ProjectFacts) -> list[tuple[str, str]]:
    details = [("project", p.name), ("bureau", p.bureau_name), ("year", str(p.year or "")),
               ("budget", f"{_format_number(p.budget_total)} 万元" if p.budget_total is not None else ""),
               ("indicators", str(len(p.indicators))), ("source", p.source or "")]
    return [(k, v) for k, v in details if v]


def project_view(graph: Graph, project: str, max_nodes: int = DEFAULT_MAX_NODES) -> nx.DiGraph:
    """Project → level 1 → level 2 → indicator → target, for the project named by label or IRI."""
    p = select_project(read_projects(graph), project)
    g = nx.DiGraph()
    g.add_node(p.iri, kind="project", label=p.name, group=None, size=24, details=_project_details(p))
    for ind in p.indicators:
        level1 = f"{p.iri}#level1/{ind.level1_printed}"
        level2 = f"{level1}/level2/{ind.level2_printed}"
        if level1 not in g:
            g.add_node(level1, kind="level1", label=ind.level1_printed, group=ind.level1, size=18,
                       details=[("level 1", ind.level1_printed)])
            g.add_edge(p.iri, level1)
        if level2 not in g:
            g.add_node(level2, kind="level2", label=ind.level2_printed or "—", group=ind.level1, size=14,
                       details=[("level 2", ind.level2_printed or "—"), ("level 1", ind.level1_printed)])
            g.add_edge(level1, level2)
        _add_indicator(g, level2, ind, with_target=True)
    for node, data in g.nodes(data=True):
        if data["kind"] in ("level1", "level2"):  # level nodes grow with the indicators under them
            below = sum(1 for d in nx.descendants(g, node) if g.nodes[d]["kind"] == "indicator")
            data["size"] = round(10 + 3 * math.sqrt(below), 1)
    stages = [("level-2", _by_level2)]
    return _finish(g, p.iri, f"Project: {p.name} ({p.bureau_name}, {p.year or '—'})", "project",
                   max_nodes, stages)


def bureau_view(graph: Graph, bureau: str, max_nodes: int = DEFAULT_MAX_NODES) -> nx.DiGraph:
    """The bureau, its projects sized by budget, and their indicators."""
    projects = read_projects(graph)
    iri = select_bureau(projects, bureau)
    own = [p for p in projects if p.bureau_iri == iri]
    name = own[0].bureau_name
    budgets = [p.budget_total for p in own if p.budget_total]
    largest = max(budgets) if budgets else 1.0
    years = sorted({str(p.year) for p in own if p.year})
    g = nx.DiGraph()
    details = [("bureau", name), ("years", ", ".join(years)), ("projects", str(len(own))),
               ("budget", f"{_format_number(sum(budgets))} 万元" if budgets else "")]
    g.add_node(iri, kind="bureau", label=name, group=None, size=30, details=[(k, v) for k, v in details if v])
    for p in own:
        # area proportional to budget: the radius grows with its square root
        size = 10 + 30 * math.sqrt((p.budget_total or 0) / largest)
        g.add_node(p.iri, kind="project", label=p.name, group=None, size=round(size, 1),
                   details=_project_details(p))
        g.add_edge(iri, p.iri)
        for ind in p.indicators:
            _add_indicator(g, p.iri, ind, with_target=False)
    stages = [("level-2", _by_level2),
              ("project", _by_parent)]
    return _finish(g, iri, f"Bureau: {name}", "bureau", max_nodes, stages)


def bureaus_view(graph: Graph, bureaus: Sequence[str], max_nodes: int = DEFAULT_MAX_NODES) -> nx.DiGraph:
    """Several bureau views side by side on one page: one tree per bureau, stacked, sharing the node budget."""
    if len(bureaus) == 1:
        return bureau_view(graph, bureaus[0], max_nodes)
    share = max(2, max_nodes // len(bureaus))
    views = [bureau_view(graph, name, share) for name in bureaus]
    g = nx.compose_all(views)
    roots = [root for view in views for root in view.graph["roots"]]
    if len(set(roots)) != len(roots):
        raise ViewSelectionError("the same bureau is given twice")
    notes = [f"{view.graph['title']}: {note}" for view in views for note in view.graph["notes"]]
    g.graph.update(title="Bureaus: " + ", ".join(v.graph["title"].removeprefix("Bureau: ") for v in views),
                   view="bureau", notes=notes, full_node_count=sum(v.graph["full_node_count"] for v in views),
                   max_nodes=max_nodes, roots=roots)
    _tree_layout(g, roots)
    return g


def concept_view(graph: Graph, concept: str, max_nodes: int = DEFAULT_MAX_NODES) -> nx.DiGraph:
    """One concept across bureaus: concept → bureau → indicator → target, targets sized by value."""
    c = select_concept(graph, concept)
    projects = read_projects(graph)
    g = nx.DiGraph()
    g.add_node(c.iri, kind="concept", label=c.label, group=None, size=28, details=[("concept", c.label)])
    wanted = _narrower_or_self(graph, c.iri)  # as compare and concept_targets: narrower concepts count too
    linked = [(p, ind) for p in projects for ind in p.indicators if wanted & set(ind.concepts)]
    for p, ind in linked:
        if p.bureau_iri not in g:
            g.add_node(p.bureau_iri, kind="bureau", label=p.bureau_name, group=None, size=20,
                       details=[("bureau", p.bureau_name)])
            g.add_edge(c.iri, p.bureau_iri)
        _add_indicator(g, p.bureau_iri, ind, with_target=True)
        g.nodes[ind.iri]["details"].insert(1, ("project", p.name))
    _size_targets_by_value(g)
    bureau_nodes = [n for n, d in g.nodes(data=True) if d["kind"] == "bureau"]
    for bureau in bureau_nodes:  # the bureau's span of targets, so bureaus compare at a glance (and after folding)
        span = _value_range([ind for p, ind in linked if p.bureau_iri == bureau])
        if span:
            g.nodes[bureau]["label"] += f"\n{span}"
            g.nodes[bureau]["details"].append(("targets", span))
    g.nodes[c.iri]["details"] += [("bureaus", str(len(bureau_nodes))), ("indicators", str(len(linked)))]
    stages = [("bureau", _by_parent)]
    return _finish(g, c.iri, f"Concept: {c.label}", "concept", max_nodes, stages)


def _narrower_or_self(graph: Graph, iri: str) -> set[str]:
    from rdflib import URIRef
    from rdflib.namespace import SKOS
    from rdflib.term import Node

    from perfkg.kg.view_facts import union_graph

    union = union_graph(graph)
    out = {iri}
    todo: list[Node] = [URIRef(iri)]
    while todo:
        for child in union.subjects(SKOS.broader, todo.pop()):
            if str(child) not in out:
                out.add(str(child))
                todo.append(child)
    return out


def _size_targets_by_value(g: nx.DiGraph) -> None:
    """Within each normalised unit, the larger target value gets the larger node: differences at a glance."""
    by_unit: dict[str, list[tuple[str, float]]] = {}
    for node, data in g.nodes(data=True):
        facts = data.get("facts")
        if data["kind"] == "target" and facts.normalised_value is not None:
            by_unit.setdefault(facts.normalised_unit or "", []).append((node, facts.normalised_value))
    for entries in by_unit.values():
        low, high = min(v for _, v in entries), max(v for _, v in entries)
        for node, value in entries:
            share = 0.5 if high == low else (value - low) / (high - low)
            g.nodes[node]["size"] = round(8 + 16 * share, 1)


VIEWS: dict[str, Callable[[Graph, str, int], nx.DiGraph]] = {
    "project": project_view, "bureau": bureau_view, "concept": concept_view}


def build_view(graph: Graph, kind: str, key: str | Sequence[str], max_nodes: int = DEFAULT_MAX_NODES) -> nx.DiGraph:
    """The view of one kind (project, bureau, concept) for the thing named by ``key`` (label or IRI).

    ``key`` may be several bureaus for the bureau view: one tree per bureau on the same page.
    """
    if kind not in VIEWS:
        raise ValueError(f"unknown view {kind!r}; choose one of {', '.join(VIEWS)}")
    if not isinstance(key, str):
        if kind != "bureau":
            raise ValueError(f"the {kind} view draws one {kind}")
        return bureaus_view(graph, list(key), max_nodes)
    return VIEWS[kind](graph, key, max_nodes)
