"""PDF reader (pdfplumber): tables printed by headless chromium read back as grids; scans, encrypted and broken
files."""
from __future__ import annotations

import pytest
from PIL import Image

from pdf_printing import CHROMIUM, print_pdfs
from perfkg.extract.reader import ReadError, read_source

needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="chromium is installed by `make test` (browser target)")

TABLE = """<h3>某某县卫生健康局2025年项目绩效目标表</h3><p>单位：万元</p>
<table>
<tr><td>项目名称</td><td colspan="3">家庭医生签约服务补助</td></tr>
<tr><th>一级指标</th><th>二级指标</th><th>三级指标</th><th>指标值</th></tr>
<tr><td rowspan="2">产出指标</td><td>数量指标</td><td>重点人群家庭医生签约人数</td><td>≥1.8万人</td></tr>
<tr><td>质量指标</td><td>签约居民履约率<br>（年度）</td><td>≥90%</td></tr>
<tr><td>满意度指标</td><td>服务对象满意度指标</td><td>签约居民满意度</td><td>≥85%</td></tr>
</table><p>表后说明：2025年度目标。</p>"""


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    if CHROMIUM is None:
        pytest.skip("chromium is installed by `make test` (browser target)")
    d = tmp_path_factory.mktemp("pdf")
    rows = "".join(f"<tr><td>产出指标</td><td>数量指标</td><td>指标{i}</td><td>≥{i}人</td></tr>" for i in range(70))
    # level cells merged down over the page break: 40 rows of 产出指标 (4 runs of 数量指标 …), then 效益指标
    level2 = ["数量指标", "质量指标", "时效指标", "成本指标", "社会效益指标", "经济效益指标", "生态效益指标"]
    merged = "".join(
        "<tr>" + ("<td rowspan='40'>产出指标</td>" if i == 0 else "<td rowspan='30'>效益指标</td>" if i == 40 else "")
        + (f"<td rowspan='10'>{level2[i // 10]}</td>" if i % 10 == 0 else "")
        + f"<td>指标{i}</td><td>≥{i}人</td></tr>" for i in range(70))
    pages = {
        "table": (TABLE, d / "table.pdf"),
        "merged": ("<h3>某某局项目绩效目标表</h3><table><tr><th>一级指标</th><th>二级指标</th>"
                   f"<th>三级指标</th><th>指标值</th></tr>{merged}</table>", d / "merged.pdf"),
        "wrapped": ("<table><tr><th>三级指标</th><th>指标值</th></tr><tr><td style='width:6em'>"
                    "开展村（社区）级医保服务提供帮办、代办服务的村（社区）覆盖率</td>"
                    "<td style='width:4em'>不超过查实金额的3%</td></tr>"
                    "<tr><td>Latin words wrapped in a narrow cell</td><td>2023.07-2024.01</td></tr></table>",
                    d / "wrapped.pdf"),
        "long": ("<h3>某某局项目绩效目标表</h3><table><tr><th>一级指标</th><th>二级指标</th>"
                 f"<th>三级指标</th><th>指标值</th></tr>{rows}</table><p>完</p>", d / "long.pdf"),
        "prose": ("<h2>某某县2025年预算报告</h2>" + "<p>全县一般公共预算收入安排12.5亿元，"
                  "比上年增长5%。</p>" * 12, d / "prose.pdf"),
        "unruled": ("<h3>某某局项目绩效目标表</h3><table style='border:0'>"
                    "<tr><td style='border:0'>一级指标</td><td style='border:0'>三级指标</td>"
                    "<td style='border:0'>指标值</td></tr><tr><td style='border:0'>产出指标</td>"
                    "<td style='border:0'>培训人数</td><td style='border:0'>≥1200人</td></tr></table>",
                    d / "unruled.pdf"),
    }
    return dict(zip(pages, print_pdfs(list(pages.values()))))


def grid(doc):
    return [[(c.text, c.col, c.row_span, c.col_span) for c in r.cells] for r in doc.rows if r.grid]


def test_ruled_table_reads_cell_by_cell_with_spans_rebuilt_from_boxes(pdfs):
    doc = read_source(pdfs["table"])
    assert doc.container == "pdf"
    assert grid(doc) == [
        [("项目名称", 0, 1, 1), ("家庭医生签约服务补助", 1, 1, 3)],
        [("一级指标", 0, 1, 1), ("二级指标", 1, 1, 1), ("三级指标", 2, 1, 1), ("指标值", 3, 1, 1)],
        [("产出指标", 0, 2, 1), ("数量指标", 1, 1, 1), ("重点人群家庭医生签约人数", 2, 1, 1), ("≥1.8万人", 3, 1, 1)],
        # a line broken where the rest would have fitted is a break (<br>), kept
        [("质量指标", 1, 1, 1), ("签约居民履约率\n（年度）", 2, 1, 1), ("≥90%", 3, 1, 1)],
        [("满意度指标", 0, 1, 1), ("服务对象满意度指标", 1, 1, 1), ("签约居民满意度", 2, 1, 1), ("≥85%", 3, 1, 1)],
    ]
    assert [c.where for c in doc.rows[2].cells] == ["page 1 table 1 r1c1", "page 1 table 1 r1c2"]


def test_text_outside_tables_is_read_in_order_around_them(pdfs):
    doc = read_source(pdfs["table"])
    kinds = [("grid" if r.grid else r.text.strip()) for r in doc.rows if r.grid or r.text.strip()]
    # 2025 is set in another font than the CJK around it: still one line.
    assert kinds == ["某某县卫生健康局2025年项目绩效目标表", "单位：万元"] + ["grid"] * 5 + ["表后说明：2025年度目标。"]


def test_table_continued_over_page_breaks_stays_one_table(pdfs):
    doc = read_source(pdfs["long"])
    rows = [r for r in doc.rows if r.grid]
    pages = {c.where.split(" table")[0] for r in rows for c in r.cells}
    assert len(pages) >= 2 and {r.table for r in rows} == {0}
    assert [r.cells[2].text for r in rows[1:]] == [f"指标{i}" for i in range(70)]


def test_merged_level_cells_continue_over_the_page_break(pdfs):
    # The browser prints a merged cell's text once and leaves its border open at the cut: the rows
    # at the top of the next page are still under the merge, one table, none lost to the text.
    doc = read_source(pdfs["merged"])
    rows = [r for r in doc.rows if r.grid]
    assert {r.table for r in rows} == {0} and len({c.where.split(" table")[0] for r in rows for c in r.cells}) >= 2
    assert not any("指标" in r.text and "≥" in r.text for r in doc.rows if not r.grid)
    names = [c for r in rows[1:] for c in r.cells if c.col == 2]
    assert [c.text for c in names] == [f"指标{i}" for i in range(70)]
    spans = [(c.text, c.row_span) for r in rows for c in r.cells if c.col < 2 and r is not rows[0]]
    assert spans == [("产出指标", 40), ("数量指标", 10), ("质量指标", 10), ("时效指标", 10), ("成本指标", 10),
                     ("效益指标", 30), ("社会效益指标", 10), ("经济效益指标", 10), ("生态效益指标", 10)]


def test_lines_wrapped_in_a_cell_read_as_one(pdfs):
    doc = read_source(pdfs["wrapped"])
    cells = [[c.text for c in r.cells] for r in doc.rows if r.grid]
    assert cells == [["三级指标", "指标值"],
                     ["开展村（社区）级医保服务提供帮办、代办服务的村（社区）覆盖率", "不超过查实金额的3%"],
                     ["Latin words wrapped in a narrow cell", "2023.07-2024.01"]]


def test_prose_pdf_without_tables_reads_as_text_rows(pdfs):
    doc = read_source(pdfs["prose"])
    assert not any(r.grid for r in doc.rows)
    assert "某某县2025年预算报告" in doc.as_lines()[0] and sum("12.5亿元" in line for line in doc.as_lines()) >= 12


def test_table_without_ruling_lines_falls_back_to_layout_text(pdfs):
    doc = read_source(pdfs["unruled"])
    assert not any(r.grid for r in doc.rows)
    lines = [line for line in doc.as_lines() if "培训人数" in line]
    assert len(lines) == 1 and lines[0].split() == ["产出指标", "培训人数", "≥1200人"]


def test_scanned_pdf_is_an_error_saying_so(tmp_path):
    path = tmp_path / "scan.pdf"
    Image.new("RGB", (600, 800), "white").save(path)
    with pytest.raises(ReadError) as err:
        read_source(path)
    message = str(err.value)
    assert "scan.pdf" in message and "scanned" in message and "OCR" in message and "\n" not in message


def test_encrypted_pdf_is_an_error_naming_the_file(pdfs, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter(clone_from=str(pdfs["table"]))
    writer.encrypt(user_password="secret", owner_password="owner")
    path = tmp_path / "locked.pdf"
    with path.open("wb") as f:
        writer.write(f)
    with pytest.raises(ReadError) as err:
        read_source(path)
    assert "locked.pdf" in str(err.value) and "encrypted" in str(err.value) and "\n" not in str(err.value)


@pytest.mark.parametrize("data", [b"%PDF-1.7\n" + bytes(range(256)) * 8, b"%PDF-1.4\n1 0 obj << /Type /Catalog"])
def test_corrupt_pdf_is_an_error_naming_the_file(tmp_path, data):
    path = tmp_path / "broken.pdf"
    path.write_bytes(data)
    with pytest.raises(ReadError) as err:
        read_source(path)
    assert "broken.pdf" in str(err.value) and "\n" not in str(err.value)


def test_truncated_pdf_is_an_error_or_reads_what_is_left(pdfs, tmp_path):
    data = pdfs["table"].read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: len(data) // 2])
    try:
        read_source(path)
    except ReadError as exc:
        assert "cut.pdf" in str(exc) and "\n" not in str(exc)
