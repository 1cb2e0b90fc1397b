"""The indicator-row grammar on the garbled rows PDF converters print (cases from the gold notes)."""
from __future__ import annotations

from extract.grammar import ColumnRoles, read_indicator_rows

HEADER = ColumnRoles.from_cells(["绩效指标", "一级指标", "二级指标", "三级指标", "指标值"])


def read(*rows: str):
    result = read_indicator_rows([(n, r.split("\t")) for n, r in enumerate(rows, start=10)], HEADER)
    return [(i.level1, i.level2, i.level3, i.value) for i in result.indicators], result


def test_merged_cells_inherit_levels_from_the_rows_above():
    inds, _ = read("年度 绩效 指标\t成本指标\t经济成本指标\t总成本\t≤3216万元",
                   "\t\t\t人均标准\t67元/人",
                   "\t产出指标\t数量指标\t参保人数\t≤48万人")
    assert inds == [("成本指标", "经济成本指标", "总成本", "≤3216万元"),
                    ("成本指标", "经济成本指标", "人均标准", "67元/人"),
                    ("产出指标", "数量指标", "参保人数", "≤48万人")]


def test_level2_shifted_into_the_name_column_and_a_lost_value():
    inds, result = read("\t产出指标\t数量指标\t参保人数\t≤48万人",
                        "\t\t\t质量指标\t补助标准符合率\t100%",
                        "\t\t\t时效指标\t群众办事服务半径")
    assert inds[1] == ("产出指标", "质量指标", "补助标准符合率", "100%")
    assert inds[2] == ("产出指标", "时效指标", "群众办事服务半径", None)
    assert [f.code for f in result.indicators[2].flags] == ["value_missing"]


def test_level2_without_level1_takes_its_framework_parent():
    inds, result = read("\t成本指标\t经济成本指标\t保障率\t≥100%",
                        "\t\t\t时效指标\t即时结算率（%）")
    assert inds[1] == ("产出指标", "时效指标", "即时结算率（%）", None)
    assert any(f.code == "level1_from_level2" for f in result.flags)


def test_name_shifted_into_the_first_column():
    inds, _ = read("\t满意度指标\t服务对象满意度 指标\t参保人员满意度\t≥90%",
                   "市局基金管理科满意度\t\t\t≥90%\t\t")
    assert inds[1] == ("满意度指标", "服务对象满意度指标", "市局基金管理科满意度", "≥90%")


def test_rows_without_an_indicator_are_flagged_not_dropped():
    inds, result = read("\t产出指标\t数量指标\t参保人数\t≤48万人",
                        "\t\t\t产出指标\t时效指标")
    assert len(inds) == 1
    assert [f.code for f in result.flags] == ["labels_only_row"] and result.flags[0].line == 11


def test_twin_column_groups_read_the_annual_side():
    columns = ColumnRoles.from_cells(["一级指标", "二级指标", "三级指标", "指标值"] * 2,
                                     [["中长期指标", "", "", "", "年度指标", "", "", ""]])
    rows = [(1, ["产出指标", "数量指标", "五年面积", "≥5万亩", "产出指标", "数量指标", "当年面积", "≥1万亩"])]
    (ind,) = read_indicator_rows(rows, columns).indicators
    assert (ind.level3, ind.value) == ("当年面积", "≥1万亩")


def test_comparator_number_and_unit_columns_make_one_value():
    columns = ColumnRoles.from_cells(["三级指标", "度量单位", "计算符号", "指标值"])
    (ind,) = read_indicator_rows([(1, ["受助学生人数", "人", "≥", "1730"])], columns).indicators
    assert (ind.value, ind.op, ind.num, ind.unit) == ("≥1730人", ">=", 1730.0, "人")


def test_page_furniture_and_repeated_headers_are_skipped():
    inds, result = read("\t产出指标\t数量指标\t参保人数\t≤48万人",
                        "- 12 -", "续表", "绩效指标\t一级指标\t二级指标\t三级指标\t指标值",
                        "\t\t质量指标\t合格率\t100%")
    assert [i[2] for i in inds] == ["参保人数", "合格率"] and result.flags == []
