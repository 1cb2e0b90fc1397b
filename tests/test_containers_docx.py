"""DOCX reader: python-docx documents with gridSpan, vMerge and nested tables, read back cell by cell."""
from __future__ import annotations

from pathlib import Path

import docx
import pytest

from perfkg.extract.reader import ReadError, read_source


def make_document(path: Path) -> Path:
    d = docx.Document()
    d.add_paragraph("某某县教育局2025年部门预算")
    d.add_paragraph("单位：万元")
    t = d.add_table(rows=5, cols=4)
    texts = [["项目名称", "学生资助", "", ""],
             ["一级指标", "二级指标", "三级指标", "指标值"],
             ["产出指标", "数量指标", "资助人数", "≥1200人"],
             ["", "质量指标", "资助准确率", "100%"],
             ["满意度指标", "服务对象满意度指标", "学生满意度", "≥90%"]]
    for r, row in enumerate(texts):
        for c, text in enumerate(row):
            t.cell(r, c).text = text
    t.cell(0, 1).merge(t.cell(0, 3))  # gridSpan 3
    top = t.cell(2, 0)
    top.merge(t.cell(3, 0))  # vMerge restart + continue
    top.paragraphs[0].text = "产出指标"  # merging joins the paragraphs; keep the one label
    for p in top.paragraphs[1:]:
        p._element.getparent().remove(p._element)
    d.add_paragraph("表后说明文字")
    wrapper = d.add_table(rows=2, cols=2)
    wrapper.cell(0, 0).text = "外层左"
    outer = wrapper.cell(0, 1)
    outer.text = "外层右"
    inner = outer.add_table(rows=2, cols=2)
    for r in range(2):
        for c in range(2):
            inner.cell(r, c).text = f"内{r}{c}"
    wrapper.cell(1, 0).text = "外层第二行"
    d.save(path)
    return path


@pytest.fixture(scope="module")
def document(tmp_path_factory):
    return read_source(make_document(tmp_path_factory.mktemp("docx") / "t.docx"))


def test_paragraphs_and_tables_in_reading_order(document):
    assert document.container == "docx"
    kinds = [(r.grid, r.table, r.text) for r in document.rows]
    assert kinds[:2] == [(False, None, "某某县教育局2025年部门预算"), (False, None, "单位：万元")]
    assert [k[1] for k in kinds[2:7]] == [0] * 5
    assert kinds[7] == (False, None, "表后说明文字")


def test_grid_spans_and_vertical_merges_are_spans(document):
    rows = [[(c.text, c.where, c.col, c.row_span, c.col_span) for c in r.cells]
            for r in document.rows if r.grid and r.table == 0]
    assert rows[0] == [("项目名称", "table 1 r1c1", 0, 1, 1), ("学生资助", "table 1 r1c2", 1, 1, 3)]
    assert rows[2][0] == ("产出指标", "table 1 r3c1", 0, 2, 1)
    # The continued cell is covered: row 4 starts at column 1.
    assert rows[3] == [("质量指标", "table 1 r4c2", 1, 1, 1), ("资助准确率", "table 1 r4c3", 2, 1, 1),
                       ("100%", "table 1 r4c4", 3, 1, 1)]
    assert [c[0] for c in rows[4]] == ["满意度指标", "服务对象满意度指标", "学生满意度", "≥90%"]


def test_nested_table_rows_follow_the_outer_row_and_keep_it(document):
    rows = [(r.table, [c.text for c in r.cells]) for r in document.rows if r.grid and r.table != 0]
    assert rows == [(1, ["外层左", "外层右"]), (2, ["内00", "内01"]), (2, ["内10", "内11"]),
                    (1, ["外层第二行", ""])]


def test_every_text_of_the_file_is_read(document):
    text = "\n".join(document.as_lines())
    for word in ("学生资助", "资助准确率", "外层右", "内11", "外层第二行", "表后说明文字"):
        assert word in text


def test_truncated_docx_is_a_one_line_error_naming_the_file(tmp_path):
    data = make_document(tmp_path / "t.docx").read_bytes()
    bad = tmp_path / "broken.docx"
    bad.write_bytes(data[: len(data) // 3])
    with pytest.raises(ReadError) as err:
        read_source(bad)
    assert "broken.docx" in str(err.value) and "DOCX" in str(err.value) and "\n" not in str(err.value)


def test_huge_grid_span_is_bounded_by_the_table(tmp_path):
    from docx.oxml.ns import qn

    d = docx.Document()
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text, t.cell(1, 0).text, t.cell(1, 1).text = "标题", "一级指标", "指标值"
    t.cell(0, 0).merge(t.cell(0, 1))
    t.rows[0]._tr.tc_lst[0].tcPr.find(qn("w:gridSpan")).set(qn("w:val"), "100000")
    path = tmp_path / "span.docx"
    d.save(path)
    rows = [r.cells for r in read_source(path).rows if r.grid]
    assert [(c.text, c.col_span) for c in rows[0]] == [("标题", 2)]
