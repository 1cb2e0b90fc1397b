"""The project header grammar: names, codes, budgets and goals from the cells above a table."""
from __future__ import annotations

import pytest

from extract.project_header import name_from_title, parse_amount, read_project_header, split_at_keys


@pytest.mark.parametrize("title,name", [
    ("城乡居民基本医疗保险市级配套项目绩效目标表", "城乡居民基本医疗保险市级配套"),
    ("1、医疗保障基金监管执法经费绩效目标表", "医疗保障基金监管执法经费"),
    ("表12-1 城乡医疗救助项目绩效目标表", "城乡医疗救助"),
    ("附表3：城乡医疗救助项目支出绩效目标表", "城乡医疗救助"),
    ("（三）城乡医疗救助项目绩效目标表（2024年）", "城乡医疗救助"),
    ("城乡医疗救助绩效目标申报表", "城乡医疗救助"),
    ("项目支出绩效目标表", None),
    ("(二) 单位预算项目绩效目标表", None),
    ("2024年部门预算项目绩效目标表", None),
])
def test_name_from_title(title, name):
    assert name_from_title(title) == name


@pytest.mark.parametrize("text,unit,amount", [
    ("3216万元", "万元", 3216.0), ("9,000.00", "万元", 9000.0), ("1,250,000.00", "元", 125.0),
    ("32160000元", "万元", 3216.0), ("（财政拨款120万元）", "万元", None), ("120万元）", "万元", 120.0),
    ("无", "万元", None),
])
def test_parse_amount_in_wan_yuan(text, unit, amount):
    assert parse_amount(text, unit) == amount


def test_header_rows_of_a_tab_table():
    rows = [
        (1, ["项目名称", "", "城乡医疗救助", "", "实施单位", "某某局"]),
        (2, ["项目资金（万元）", "", "年度预算资金总额：", "1800万元"]),
        (3, ["", "", "其中：财政拨款：", "", "1700万元"]),
        (4, ["", "", "其他资金：", "100万元"]),
        (5, ["年度总体 绩效目标", "对困难群众 给予医疗救助。"]),
    ]
    header = read_project_header(rows)
    assert (header.name, header.budget_total, header.budget_fiscal, header.budget_other) == ("城乡医疗救助", 1800, 1700, 100)
    assert header.goal == "对困难群众给予医疗救助。"


def test_annual_goal_wins_and_placeholders_are_no_goal():
    assert read_project_header([(1, ["绩效目标", "目标内容1"])]).goal is None
    rows = [(1, ["中长期目标", "建成5万亩", "年度目标", "建成1万亩"])]
    assert read_project_header(rows).goal == "建成1万亩"
    rows = [(1, ["项目实施期目标", "三年目标"]), (2, ["年度绩效目标", "当年目标"])]
    assert read_project_header(rows).goal == "当年目标"


def test_goal_under_a_sub_header_row():
    rows = [(1, ["年度总体目标", "预期目标", "实际完成情况"]), (2, ["", "及时拨付资金。", "已拨付。"])]
    assert read_project_header(rows).goal == "及时拨付资金。"


def test_run_together_header_line_splits_at_keys():
    assert split_at_keys("项目名称农村饮水安全工程项目编码52260125资金总额：45万元财政拨款：45万元") == [
        "项目名称农村饮水安全工程", "项目编码52260125", "资金总额：45万元", "财政拨款：45万元"]
    assert split_at_keys("某某项目绩效目标表") == ["某某项目绩效目标表"]
