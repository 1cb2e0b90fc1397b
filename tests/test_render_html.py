"""The HTML page of a view: self-contained (vis-network inlined, nothing remote), escaped, legend and notes."""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from perfkg.extract.records import load_records
from perfkg.kg.graph_build import build_dataset
from perfkg.kg.graph_views import bureau_view, project_view
from perfkg.kg.render_html import (
    VIS_DIR,
    label_markup,
    notebook_frame,
    render_view,
    script_json,
    tooltip_html,
    write_view,
)

DATA = Path(__file__).parent / "data" / "views"
HOSTILE_INDICATOR = "<script>window.__perfkgXss=2</script>"
REMOTE_REFERENCE = re.compile(r"""\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//|@import|url\(\s*["']?(?:https?:)?//""",
                              re.I)


@pytest.fixture(scope="module")
def hostile_dataset():
    records = load_records(json.loads((DATA / "hostile_records.json").read_text(encoding="utf-8")))
    return build_dataset(records)


def own_markup(page: str) -> str:
    """The page without the inlined vis-network files (whose minified JS holds a "<script>" literal)."""
    for name in ("vis-network.min.js", "vis-network.css"):
        page = page.replace((VIS_DIR / name).read_text(encoding="utf-8"), "")
    return page


def page_data(page: str) -> dict:
    """The node/edge data the page hands to vis-network."""
    match = re.search(r"var perfkgView = (\{.*?\});\n", page)
    assert match, "no view data in the page"
    return json.loads(match.group(1))


def test_page_references_nothing_remote_and_inlines_vis_network(seed_records, seed_dataset):
    page = render_view(bureau_view(seed_dataset, seed_records[0].bureau))
    assert not REMOTE_REFERENCE.search(page)
    assert (VIS_DIR / "vis-network.min.js").read_text(encoding="utf-8") in page
    assert (VIS_DIR / "vis-network.css").read_text(encoding="utf-8") in page
    # vis-network, then the page's own
    assert re.findall(r"<script\b[^>]*>", own_markup(page)) == ["<script>", "<script>"]


def test_the_pyvis_template_would_not_do(tmp_path):
    """Why render_html has its own page: pyvis's template links a CDN even when inlining vis-network."""
    from pyvis.network import Network

    net = Network(cdn_resources="in_line")
    net.add_node("a")
    assert REMOTE_REFERENCE.search(net.generate_html())


def test_document_text_is_escaped_everywhere(hostile_dataset):
    view = project_view(hostile_dataset, '<img src=x onerror="window.__perfkgXss=1">项目')
    page = render_view(view)
    own = own_markup(page)
    # only the page's own two script elements exist; no document text opened or closed one
    assert own.count("<script") == 2 and own.count("</script") == 2
    assert "<img" not in own and "<b>局" not in own
    assert "&lt;img src=x onerror=&#34;window.__perfkgXss=1&#34;&gt;项目" in page  # the <h1> title
    nodes = {n["kind"] + ":" + n["id"].rsplit("/", 1)[-1]: n for n in page_data(page)["nodes"]}
    indicator = nodes["indicator:0"]
    assert indicator["label"] == "<script>window.__perfkgXss=2</script>"
    assert "&lt;script&gt;window.__perfkgXss=2&lt;/script&gt;" in indicator["title"]
    assert "&lt;/script&gt;&lt;script&gt;window.__perfkgXss=4&lt;/script&gt;&lt;!--" in indicator["title"]
    assert "a &amp; b &lt;i&gt;c&lt;/i&gt;" in nodes["indicator:1"]["title"]


def test_escaping_helpers():
    assert label_markup("a<b>&c") == "a<b>&c"  # plain text: the canvas draws it as it is
    assert tooltip_html("<x>", [("value", "≥90% & <b>")]) == (
        '<div class="tip-head">&lt;x&gt;</div><div><span class="tip-key">value:</span> ≥90% &amp; &lt;b&gt;</div>')
    text = str(script_json({"t": "</script><!-- \u2028"}))
    assert "<" not in text and ">" not in text and "\u2028" not in text
    assert json.loads(text) == {"t": "</script><!-- \u2028"}


def test_legend_lists_the_level1_colours_in_use(seed_records, seed_dataset):
    page = render_view(bureau_view(seed_dataset, seed_records[0].bureau))
    legend = page[page.index('<aside id="legend">'):page.index("</aside>")]
    used = {i.level1 for p in seed_records[0].projects for i in p.indicators if i.level1}
    for name in {"产出指标", "效益指标", "满意度指标", "成本指标"} & used:
        assert name in legend
    colours = {n["color"] for n in page_data(page)["nodes"] if n["kind"] == "indicator"}
    assert len(colours) == len({"产出指标", "效益指标", "满意度指标", "成本指标"} & used)


def test_folding_is_announced_on_the_page(seed_records, seed_dataset):
    page = render_view(bureau_view(seed_dataset, seed_records[0].bureau, max_nodes=30))
    notice = re.search(r'<div class="notice" id="aggregation-notice">(.*?)</div>', page, re.S)
    assert notice and "--max-nodes 30" in notice.group(1)
    assert "aggregation-notice" not in render_view(bureau_view(seed_dataset, seed_records[0].bureau, max_nodes=10_000))


def test_write_view_is_atomic_and_deterministic(tmp_path, seed_records, seed_dataset):
    target = tmp_path / "views" / "bureau.html"
    view = bureau_view(seed_dataset, seed_records[0].bureau)
    write_view(view, target)
    first = target.read_bytes()
    write_view(bureau_view(seed_dataset, seed_records[0].bureau), target)
    assert target.read_bytes() == first
    assert sorted(p.name for p in target.parent.iterdir()) == ["bureau.html"]


def test_notebook_frame_embeds_the_escaped_page(seed_records, seed_dataset):
    view = bureau_view(seed_dataset, seed_records[0].bureau)
    frame = notebook_frame(view, height=400)
    assert frame.startswith('<div class="perfkg-view"><iframe srcdoc="') and "height: 400px" in frame
    srcdoc = re.search(r'<iframe srcdoc="([^"]*)"', frame).group(1)
    assert html.unescape(srcdoc) == render_view(view)
