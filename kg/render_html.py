"""A view graph (networkx) as one self-contained HTML page: pyvis nodes, vis-network inlined, text escaped.

Document text reaches the page in three places and is escaped exactly once for each: page text
(title, notes, legend) through Jinja's HTML autoescaping; tooltips as HTML built here with every
piece of document text passed through ``html.escape``; labels as plain text, which vis-network
draws on the canvas as it is (its html label markup mangles entities: ``&lt;3天`` drew as
``&lt;天``, so it is not used and labels need no escaping).
The node/edge JSON inside the ``<script>`` is additionally escaped so no text can close the
script element. vis-network's JS and CSS come from the pyvis package and are inlined, so the
page makes no request at all.
"""
from __future__ import annotations

import functools
import html
import json
import math
from importlib import resources
from pathlib import Path

import networkx as nx
import pyvis
from jinja2 import Environment
from markupsafe import Markup
from pyvis.network import Network

from perfkg.extract.serialise import write_atomic
from perfkg.extract.vocabulary import framework

VIS_DIR = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
STRUCTURAL_COLOUR = "#9aa5b1"
OTHER_COLOUR = "#c9c9c9"
# one colour per standard level-1 name, in the framework's order; printed names that map to none share grey
LEVEL1_PALETTE = ("#4e79a7", "#59a14f", "#f28e2b", "#e15759", "#b07aa1", "#76b7b2")
SHAPES = {"bureau": "diamond", "concept": "star", "project": "dot", "level1": "hexagon", "level2": "square",
          "indicator": "dot", "target": "triangle", "aggregate": "box"}
SIZE_NOTES = {
    "project": "Level nodes grow with the indicators under them; folded groups with their count.",
    "bureau": "Projects: area proportional to the budget (预算总额, 万元).",
    "concept": "Targets: within one unit, the larger the target value, the larger the triangle.",
}
VIS_OPTIONS = {
    "physics": {"enabled": False},
    # the page scrolls over a canvas as big as the drawing; the wheel scrolls the page, buttons zoom
    "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False, "zoomView": False,
                    "dragView": True},
    "nodes": {"font": {"multi": False, "size": 14, "face": "sans-serif"}, "borderWidth": 1},
    "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.4}}, "color": {"color": "#b8b8b8"},
              "smooth": False},
    "layout": {"randomSeed": 7, "improvedLayout": False},
}


def label_markup(text: str) -> str:
    """Document text as a vis-network label: plain text, drawn on the canvas as it is (never HTML)."""
    return str(text)


def tooltip_html(title: str, details: list[tuple[str, str]]) -> str:
    """The tooltip of a node: an escaped heading and one escaped ``field: text`` line per detail."""
    lines = [f'<div class="tip-head">{html.escape(title)}</div>']
    lines += [f'<div><span class="tip-key">{html.escape(key)}:</span> {html.escape(value)}</div>'
              for key, value in details]
    return "".join(lines)


def script_json(data: object) -> Markup:
    """JSON that is safe inside a ``<script>`` element: nothing in it can end the element or open a comment."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return Markup(text)


def level1_colours(groups: set[str]) -> dict[str, str]:
    """Colour of each level-1 group: standard names in framework order, any other name grey."""
    standard = list(framework()["level1"])
    return {g: LEVEL1_PALETTE[standard.index(g) % len(LEVEL1_PALETTE)] if g in standard else OTHER_COLOUR
            for g in groups}


def _truncate(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def to_pyvis(view: nx.DiGraph) -> Network:
    """The view's nodes and edges as a pyvis network (positions fixed by the view's layout)."""
    colours = level1_colours({d["group"] for _, d in view.nodes(data=True) if d.get("group")})
    net = Network(directed=True, cdn_resources="in_line")
    for node, data in view.nodes(data=True):
        colour = colours.get(data.get("group")) or STRUCTURAL_COLOUR
        net.add_node(str(node), label=label_markup(_truncate(str(data["label"]))), shape=SHAPES[data["kind"]],
                     color=colour, size=data.get("size", 12), x=data.get("x", 0), y=data.get("y", 0),
                     title=tooltip_html(str(data["label"]), data.get("details", [])), kind=data["kind"],
                     level1=data.get("group") or "")
    for source, target in view.edges():
        net.add_edge(str(source), str(target))
    return net


@functools.lru_cache(maxsize=1)
def _page_template():
    env = Environment(autoescape=True, keep_trailing_newline=True)
    text = resources.files("perfkg.kg").joinpath("data/view_page.html").read_text(encoding="utf-8")
    return env.from_string(text)


@functools.lru_cache(maxsize=1)
def _vis_assets() -> tuple[Markup, Markup]:
    js = (VIS_DIR / "vis-network.min.js").read_text(encoding="utf-8")
    css = (VIS_DIR / "vis-network.css").read_text(encoding="utf-8")
    if "</script" in js.lower() or "</style" in css.lower():  # would end the inline element early
        raise RuntimeError(f"cannot inline vis-network from {VIS_DIR}: it contains a closing tag")
    return Markup(js), Markup(css)


PAGE_MARGIN = 40


def drawing_box(view: nx.DiGraph) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) of everything drawn, labels included, in canvas pixels at scale 1.

    The page's canvas is this big and shown at scale 1, so every label is drawn at its font size
    (14 px) and nothing lies outside the page; the page scrolls where the drawing is larger than the window.
    """
    from perfkg.kg.graph_views import LABEL_FONT_PX, label_width

    left = top = math.inf
    right = bottom = -math.inf
    for _, data in view.nodes(data=True):
        x, y, size = float(data.get("x", 0)), float(data.get("y", 0)), float(data.get("size", 12))
        half = max(label_width(_truncate(str(data["label"]))) / 2, size)
        lines = str(data["label"]).count("\n") + 1
        left, right = min(left, x - half), max(right, x + half)
        top, bottom = min(top, y - size), max(bottom, y + size + lines * (LABEL_FONT_PX + 4))
    if left == math.inf:
        return (0.0, 0.0, 400.0, 300.0)
    return (left - PAGE_MARGIN, top - PAGE_MARGIN, right + PAGE_MARGIN, bottom + PAGE_MARGIN)


def render_view(view: nx.DiGraph) -> str:
    """The whole HTML page of a view."""
    net = to_pyvis(view)
    nodes, edges, *_ = net.get_network_data()
    order = list(framework()["level1"])
    groups = sorted({d["group"] for _, d in view.nodes(data=True) if d.get("group")},
                    key=lambda g: (order.index(g) if g in order else len(order), g))
    colours = level1_colours(set(groups))
    kinds = [k for k in SHAPES if any(d["kind"] == k for _, d in view.nodes(data=True))]
    vis_js, vis_css = _vis_assets()
    box = drawing_box(view)
    return _page_template().render(
        canvas_width=int(box[2] - box[0]), canvas_height=int(box[3] - box[1]),
        title=view.graph.get("title", "perfkg view"),
        notes=view.graph.get("notes", []),
        node_count=view.number_of_nodes(), edge_count=view.number_of_edges(),
        legend_groups=[(g, colours[g]) for g in groups], structural_colour=STRUCTURAL_COLOUR,
        legend_kinds=[(k, SHAPES[k]) for k in kinds],
        size_note=SIZE_NOTES.get(view.graph.get("view", ""), ""),
        vis_js=vis_js, vis_css=vis_css,
        data_json=script_json({"nodes": nodes, "edges": edges, "options": VIS_OPTIONS,
                               "centre": [(box[0] + box[2]) / 2, (box[1] + box[3]) / 2],
                               "view": view.graph.get("view"), "fullNodeCount": view.graph.get("full_node_count")}),
    )


def write_view(view: nx.DiGraph, path: Path) -> None:
    """Render a view and write it atomically."""
    write_atomic(render_view(view), Path(path))


def notebook_frame(view: nx.DiGraph, height: int = 620) -> str:
    """The page inside an ``<iframe srcdoc>``, for showing a view inline in a notebook (``IPython.display.HTML``)."""
    return framed_page(render_view(view), view.graph.get("title", "perfkg view"), height, "perfkg-view")


def framed_page(page: str, title: str, height: int = 620, css_class: str = "perfkg-page") -> str:
    """A whole HTML page (a view, the comparison chart) inside an ``<iframe srcdoc>``: the notebook shows it
    with its own styles and scripts, kept apart from the notebook's, and nothing is fetched."""
    source = html.escape(page, quote=True)
    return (f'<div class="{html.escape(css_class)}"><iframe srcdoc="{source}" style="width: 100%; '
            f'height: {int(height)}px; border: 1px solid #ddd;" title="{html.escape(title)}"></iframe></div>')
