"""HTML reader (lxml): rowspan/colspan as spans, <br> in cells, nested tables, scripts, text around tables."""
from __future__ import annotations

import pytest

from perfkg.extract.reader import read_source

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>某某县卫生健康局2025年部门预算</title>
<style>td { border: 1px solid #000 }</style><script>var x = "<td>not a cell</td>";</script></head>
<body><h1>某某县卫生健康局2025年部门预算</h1><p>单位：万元</p>
<table>
<tr><td>项目名称</td><td colspan="3">家庭医生签约服务补助</td></tr>
<tr><th>一级指标</th><th>二级指标</th><th>三级指标</th><th>指标值</th></tr>
<tr><td rowspan="2">产出指标</td><td>数量指标</td><td>签约人数<br>（重点人群）</td><td>≥1.8万人</td></tr>
<tr><td>质量指标</td><td>签约居民&nbsp;履约率</td><td>&ge;90%</td></tr>
<tr><td>效益指标</td><td colspan="2">社会效益指标<table><tr><td>内1</td><td>内2</td></tr></table></td><td>逐步提高</td></tr>
<tr><td>满意度指标</td><td>服务对象满意度指标</td><td>签约居民满意度</td><td>≥85%</td></tr>
</table>
<p>注：以上为年度目标。</p>
</body></html>"""  # noqa: E501 (the page as a bureau prints it, one row a line)


def read(tmp_path, html: str, name: str = "page.html", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(html.encode(encoding))
    return read_source(path)


def grid(doc, table: int = 0):
    return [[(c.text, c.col, c.row_span, c.col_span) for c in r.cells] for r in doc.rows if r.grid and r.table == table]


def test_page_reads_text_and_table_cell_by_cell(tmp_path):
    doc = read(tmp_path, PAGE)
    assert doc.container == "html"
    texts = [r.text for r in doc.rows if not r.grid]
    assert texts == ["某某县卫生健康局2025年部门预算", "某某县卫生健康局2025年部门预算", "单位：万元",
                     "注：以上为年度目标。"]
    assert grid(doc) == [
        [("项目名称", 0, 1, 1), ("家庭医生签约服务补助", 1, 1, 3)],
        [("一级指标", 0, 1, 1), ("二级指标", 1, 1, 1), ("三级指标", 2, 1, 1), ("指标值", 3, 1, 1)],
        [("产出指标", 0, 2, 1), ("数量指标", 1, 1, 1), ("签约人数\n（重点人群）", 2, 1, 1), ("≥1.8万人", 3, 1, 1)],
        [("质量指标", 1, 1, 1), ("签约居民 履约率", 2, 1, 1), ("≥90%", 3, 1, 1)],
        [("效益指标", 0, 1, 1), ("社会效益指标", 1, 1, 2), ("逐步提高", 3, 1, 1)],
        [("满意度指标", 0, 1, 1), ("服务对象满意度指标", 1, 1, 1), ("签约居民满意度", 2, 1, 1), ("≥85%", 3, 1, 1)],
    ]
    where = [c.where for r in doc.rows if r.grid and r.table == 0 for c in r.cells]
    assert where[:2] == ["table 1 r1c1", "table 1 r1c2"] and "table 1 r4c2" in where
    assert "not a cell" not in "\n".join(doc.as_lines())


def test_nested_table_is_its_own_table_right_after_its_row(tmp_path):
    doc = read(tmp_path, PAGE)
    order = [(r.table, r.text) for r in doc.rows if r.grid]
    assert order[4] == (0, "效益指标\t社会效益指标\t逐步提高")
    assert order[5] == (1, "内1\t内2")
    assert order[6][0] == 0 and order[6][1].startswith("满意度指标")


def test_unclosed_script_does_not_drop_the_tables_after_it(tmp_path):
    html = ("<html><body><p>标题</p><script>var a = 1; if (a < 2) { document.write('x') }"
            "<table><tr><td>一级指标</td><td>指标值</td></tr><tr><td>产出指标</td><td>≥90%</td></tr></table>"
            "</body></html>")
    doc = read(tmp_path, html)
    assert grid(doc) == [[("一级指标", 0, 1, 1), ("指标值", 1, 1, 1)], [("产出指标", 0, 1, 1), ("≥90%", 1, 1, 1)]]
    assert "document.write" not in "\n".join(doc.as_lines())


def test_huge_spans_are_capped_to_the_table(tmp_path):
    html = ("<table><tr><td colspan='100000' rowspan='100000'>标题</td></tr>"
            + "<tr><td>一级指标</td><td>二级指标</td><td>指标值</td></tr>" * 3 + "</table>")
    doc = read(tmp_path, html)  # spans are clamped, so nothing is allocated per covered cell
    rows = grid(doc)
    assert rows[0] == [("标题", 0, 4, 1)]  # rows to the table's end; no column of its own
    # Rows below the title are covered at column 0 by its rowspan; their cells follow it.
    assert [c[1] for c in rows[1]] == [1, 2, 3]


def test_gb18030_page_saved_as_txt_is_sniffed_as_html(tmp_path):
    doc = read(tmp_path, PAGE.replace('charset="utf-8"', 'charset="gb18030"'), name="page.txt", encoding="gb18030")
    assert doc.container == "html" and grid(doc)[0][1][0] == "家庭医生签约服务补助"


@pytest.mark.parametrize("html", ["", "   ", "<html></html>", "<table></table>", "<tr><td>x"])
def test_degenerate_pages_do_not_raise_tracebacks(tmp_path, html):
    from perfkg.extract.reader import ReadError

    try:
        read(tmp_path, html)
    except ReadError as exc:
        assert "page.html" in str(exc)


def test_deep_nesting_is_read_or_refused_never_dropped_silently(tmp_path):
    from perfkg.extract.reader import ReadError

    page = "<html><body>{open}x{close}<table><tr><td>一级指标</td></tr></table></body></html>"
    doc = read(tmp_path, page.format(open="<div>" * 400, close="</div>" * 400))
    assert [r.text for r in doc.rows] == ["x", "一级指标"]
    with pytest.raises(ReadError, match="page.html: elements nested too deeply"):
        read(tmp_path, page.format(open="<div>" * 5000, close="</div>" * 5000))
