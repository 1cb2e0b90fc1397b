"""XLSX and XLS readers: the grid read back cell by cell (positions, merged ranges as spans, printed numbers)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from perfkg.extract.containers.number_format import format_value
from perfkg.extract.reader import ReadError, read_source

DEV_XLSX = Path(__file__).resolve().parent / "data" / "dev" / "xlsx"
X01 = DEV_XLSX / "x01_zhanjiang-rensheju-2024-zhengti.xlsx"
X04 = DEV_XLSX / "x04_yuzhong-jiuye-2021-ziping.xlsx"


def cells(doc) -> dict[str, tuple[str, int, int, int]]:
    """position → (text, column, row span, column span) of every grid cell."""
    return {c.where: (c.text, c.col, c.row_span, c.col_span) for r in doc.rows if r.grid for c in r.cells}


def grid(doc, table: int = 0) -> list[list[str]]:
    return [[c.text for c in r.cells] for r in doc.rows if r.grid and r.table == table]


# The real workbooks -------------------------------------------------------------------------

def test_x01_merged_ranges_come_back_as_spans_at_their_top_left_cell():
    doc = read_source(X01)
    assert doc.container == "xlsx" and doc.name == X01.name
    got = cells(doc)
    assert got["Sheet1!A1"] == ("2024年市级部门整体预算绩效目标表", 0, 1, 5)  # A1:E1
    assert got["Sheet1!A16"] == ("绩效指标", 0, 22, 1)  # A16:A37
    assert got["Sheet1!B17"] == ("产出指标", 1, 9, 1)  # B17:B25
    assert got["Sheet1!C17"] == ("数量指标", 2, 4, 1)  # C17:C20
    assert got["Sheet1!B2"] == ("湛江市人力资源和社会保障局", 1, 1, 4)  # B2:E2
    assert got["Sheet1!B15"] == ("", 1, 1, 4)  # an empty merged range is still one cell
    # Covered positions are left out: row 18 holds only its level-3 name and value.
    rows = [r for r in doc.rows if r.grid]
    assert [c.where for c in rows[17].cells] == ["Sheet1!D18", "Sheet1!E18"]
    assert all("Sheet1!B18" != c.where for r in rows for c in r.cells)
    assert len(rows) == 37 and {r.table for r in rows} == {0}


def test_x01_numbers_print_as_their_number_format_prints_them():
    got = cells(read_source(X01))
    assert got["Sheet1!E22"][0] == "100%"  # 1 under 0%
    assert got["Sheet1!E5"][0] == "72807.38"  # a formula's cached result under 0.00_
    assert got["Sheet1!C5"][0] == "10,891.62"  # #,##0.00
    assert got["Sheet1!E18"][0] == "50000"  # General
    assert got["Sheet1!D9"][0] == "拟用于对下\n转移支付资金"  # a line break in a cell stays one


def test_x04_block_merge_covers_rows_that_are_then_empty():
    doc = read_source(X04)
    got = cells(doc)
    assert got["就业补助资金!B7"][2:] == (3, 6)  # B7:G9
    assert got["就业补助资金!H7"][2:] == (3, 8)  # H7:O9
    assert got["就业补助资金!G21"][0] == "88%"  # 0.88 under 0%
    rows = [r for r in doc.rows if r.grid]
    assert rows[7].cells == [] and rows[8].cells == []  # rows 8 and 9 are covered all along


# Generated workbooks ------------------------------------------------------------------------

def make_workbook(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "绩效目标"
    ws.append(["某某局2025年项目绩效目标表"])
    ws.merge_cells("A1:D1")
    ws.append(["一级指标", "二级指标", "三级指标", "指标值"])
    ws.append(["产出指标", "数量指标", "培训人数", 1200])
    ws.append([None, None, "补贴标准", 1234.5])
    ws.append([None, "质量指标", "合格率", 1])
    ws.append(["满意度指标", "服务对象满意度指标", "满意度", 0.955])
    ws.merge_cells("A3:A5")  # level 1 merged vertically, as published tables do
    ws.merge_cells("B3:B4")
    ws["D4"].number_format = "#,##0.00"
    ws["D5"].number_format = "0%"
    ws["D6"].number_format = "0.0%"
    ws["A8"] = dt.datetime(2025, 3, 15)
    ws["A8"].number_format = 'yyyy"年"m"月"d"日"'
    ws["B8"] = dt.date(2025, 1, 2)
    ws["B8"].number_format = "yyyy-mm-dd"
    ws["C8"] = "=D3*2"  # no cached result (openpyxl computes nothing): the formula is kept as text
    other = wb.create_sheet("说明")
    other["B2"] = "单位：万元"
    wb.save(path)
    return path


def test_generated_workbook_reads_cell_by_cell(tmp_path):
    doc = read_source(make_workbook(tmp_path / "t.xlsx"))
    assert grid(doc) == [
        ["某某局2025年项目绩效目标表"],
        ["一级指标", "二级指标", "三级指标", "指标值"],
        ["产出指标", "数量指标", "培训人数", "1200"],
        ["补贴标准", "1,234.50"],
        ["质量指标", "合格率", "100%"],
        ["满意度指标", "服务对象满意度指标", "满意度", "95.5%"],
        [],
        ["2025年3月15日", "2025-01-02", "=D3*2"],
    ]
    got = cells(doc)
    assert got["绩效目标!A1"] == ("某某局2025年项目绩效目标表", 0, 1, 4)
    assert got["绩效目标!A3"] == ("产出指标", 0, 3, 1)
    assert got["绩效目标!B3"] == ("数量指标", 1, 2, 1)
    assert got["绩效目标!C4"] == ("补贴标准", 2, 1, 1)
    # Every sheet is read, each as its own table, positions relative to its text.
    assert grid(doc, 1) == [["单位：万元"]] and got["说明!B2"][1] == 0
    assert doc.as_lines()[3] == "补贴标准\t1,234.50"


def test_workbook_saved_under_another_name_is_sniffed_by_its_bytes(tmp_path):
    path = make_workbook(tmp_path / "t.xlsx").rename(tmp_path / "download.txt")
    assert read_source(path).container == "xlsx"


def test_a_merge_over_the_whole_sheet_width_is_clipped_to_the_text(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "标题"
    ws.merge_cells("A1:XFD1")  # 16384 columns
    ws["A2"], ws["B2"] = "一级指标", "指标值"
    ws["A1048576"] = "末行"
    path = tmp_path / "wide.xlsx"
    wb.save(path)
    doc = read_source(path)  # its cost is measured in bench/container_speed.py, not asserted here
    assert cells(doc)["Sheet!A1"] == ("标题", 0, 1, 2)  # clipped to the sheet's text
    assert cells(doc)["Sheet!A1048576"][0] == "末行"


def test_truncated_workbook_is_a_one_line_error_naming_the_file(tmp_path):
    data = make_workbook(tmp_path / "t.xlsx").read_bytes()
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(data[: len(data) // 2])
    with pytest.raises(ReadError) as err:
        read_source(bad)
    message = str(err.value)
    assert "broken.xlsx" in message and "XLSX" in message and "\n" not in message


@pytest.mark.parametrize("value, code, printed", [
    (1, "0%", "100%"), (0.95, "0%", "95%"), (0.885, "0.0%", "88.5%"), (10891.615675, "#,##0.00", "10,891.62"),
    (72807.384975, "0.00_ ", "72807.38"), (90, "0_ ", "90"), (2.5, "0", "3"), (-2.5, "0", "-3"),
    (-1234.5, "#,##0.00_);(#,##0.00)", "(1,234.50)"), (-1234.5, "#,##0.00;[Red]-#,##0.00", "-1,234.50"),
    (0, '0.00;-0.00;"-"', "-"), (1234567, "#,##0,", "1,235"), (12345, "0.00E+00", "1.23E+04"),
    (1.5, "0.0#", "1.5"), (12, '0"万元"', "12万元"), (0.1 + 0.2, "General", "0.3"), (50000, "General", "50000"),
    (45731, 'yyyy"年"m"月"d"日"', "2025年3月15日"), (dt.datetime(2024, 3, 5, 14, 7), "h:mm AM/PM", "2:07 PM"),
    ("文字", "0%", "文字"), (True, "General", "TRUE"), (5, '"共"@', "共5"), (3, "[>=100]0;0.0", "3.0"),
])
def test_number_formats(value, code, printed):
    assert format_value(value, code) == printed


# XLS (BIFF), written with xlwt ---------------------------------------------------------------

def test_xls_workbook_reads_merges_and_number_formats(tmp_path):
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("表1")
    sheet.write_merge(0, 0, 0, 3, "某某局项目绩效目标表")
    for c, text in enumerate(["一级指标", "二级指标", "三级指标", "指标值"]):
        sheet.write(1, c, text)
    sheet.write_merge(2, 3, 0, 0, "产出指标")
    sheet.write(2, 1, "数量指标")
    sheet.write(2, 2, "培训人数")
    sheet.write(2, 3, 1200)
    sheet.write(3, 1, "质量指标")
    sheet.write(3, 2, "合格率")
    sheet.write(3, 3, 1, xlwt.easyxf(num_format_str="0%"))
    sheet.write(4, 0, dt.datetime(2025, 3, 15), xlwt.easyxf(num_format_str="yyyy-mm-dd"))
    sheet.write(4, 1, 10891.615675, xlwt.easyxf(num_format_str="#,##0.00"))
    path = tmp_path / "t.xls"
    book.save(str(path))
    doc = read_source(path)
    assert doc.container == "xls"
    assert grid(doc) == [["某某局项目绩效目标表"], ["一级指标", "二级指标", "三级指标", "指标值"],
                         ["产出指标", "数量指标", "培训人数", "1200"], ["质量指标", "合格率", "100%"],
                         ["2025-03-15", "10,891.62"]]
    got = cells(doc)
    assert got["表1!A1"] == ("某某局项目绩效目标表", 0, 1, 4)
    assert got["表1!A3"] == ("产出指标", 0, 2, 1)
    assert got["表1!B4"] == ("质量指标", 1, 1, 1)


def test_ole2_file_that_is_no_workbook_says_what_it_is(tmp_path):
    from perfkg.extract.containers import OLE2_MAGIC

    bad = tmp_path / "old.doc"
    bad.write_bytes(OLE2_MAGIC + b"\0" * 600)
    with pytest.raises(ReadError) as err:
        read_source(bad)
    assert "old.doc" in str(err.value) and "\n" not in str(err.value)
