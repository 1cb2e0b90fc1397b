"""View labels escaped exactly once (issue 11, case 10): names and values with <, &, quotes and </script>
read back from the page drawn in headless chromium as the document prints them."""
from __future__ import annotations

from pathlib import Path

import pytest

from perfkg.extract.pipeline import extract_document
from perfkg.extract.records import DocumentRecord, Indicator, Project
from perfkg.kg import iris
from perfkg.kg.graph_build import build_dataset
from perfkg.kg.graph_views import project_view
from tests.test_views_browser import browser, check_rendered  # noqa: F401 (the browser fixture)

CASE = Path(__file__).resolve().parent / "data" / "reliability" / "10_view_labels_lt_amp_mangled.txt"
HOSTILE = ['名称含"引号"与\'单引号\'', "A&B类 &amp; 成本", "</script><b>粗</b>", "<3天", "&lt;已转义"]

DRAWN = """Object.fromEntries(Object.values(network.body.nodes).map(n => [n.id, {
  drawn: (n.labelModule.lines || []).map(l => (l.blocks || []).map(b => b.text).join('')).join('\\n'),
  tooltip: n.options.title ? n.options.title.textContent : ''}]))"""


def _drawn(browser, tmp_path, record: DocumentRecord):  # noqa: F811
    project = record.projects[0]
    iri = str(iris.project_iri(record.bureau, record.year, project.code, project.name,
                               document=iris.document_key(record)))
    view = project_view(build_dataset([record]), iri)
    loaded = check_rendered(browser, view, tmp_path / "view.html")
    drawn = loaded.js(DRAWN)
    assert loaded.js("typeof window.__perfkgXss") == "undefined"
    return view, drawn


def test_the_reproducers_labels_draw_as_printed(browser, tmp_path):  # noqa: F811
    # 10: `<3天` was drawn as `&lt;天` (double-escaped, the number lost)
    record = extract_document(CASE)
    view, drawn = _drawn(browser, tmp_path, record)
    labels = {d["label"] for _, d in view.nodes(data=True)}
    assert {"<3天", "<=100万元", "R&D与信息化建设项目", "A&B类项目成本"} <= labels | {
        i.value for p in record.projects for i in p.indicators}
    for node, data in view.nodes(data=True):
        assert drawn[node]["drawn"] == data["label"], node
        assert drawn[node]["tooltip"].startswith(data["label"])


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_names_and_values_draw_exactly_once_escaped(browser, tmp_path, text):  # noqa: F811
    ind = Indicator("产出指标", "数量指标", text, value=text, span=(3, 3))
    record = DocumentRecord("h.txt", "漳州市医疗保障局", 2024, [Project(text, indicators=[ind], span=(1, 3))])
    view, drawn = _drawn(browser, tmp_path, record)
    shown = [drawn[n]["drawn"] for n, d in view.nodes(data=True) if d["kind"] in ("project", "indicator", "target")]
    assert shown == [text, text, text]
    tips = [drawn[n]["tooltip"] for n, d in view.nodes(data=True) if d["kind"] == "indicator"]
    assert tips[0].startswith(text)
