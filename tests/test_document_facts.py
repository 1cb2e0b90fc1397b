"""The publishing bureau read from a document's lines (``extract/document_facts.py``): which label
wins, how a label's value is cut out of cells, and which lines are no title. Lines are crafted in the
shapes the dev set shows (tab- and pipe-cut rows, space-cut rows, cells run together, web-page furniture)."""
from __future__ import annotations

import pytest

from perfkg.extract.document_facts import choose_bureau


def test_the_units_own_label_wins_over_the_supervising_bureau():
    lines = ["主管部门\t襄阳市卫生健康委\t项目实施单位\t襄阳市中心医院",
             "单位名称：襄阳市中心医院 填报日期：2022年3月18日"]
    assert choose_bureau([], lines) == "襄阳市中心医院"


@pytest.mark.parametrize("row, unit", [
    ("主管部门 | 县农业农村局 | 实施单位 | 张庄寨镇人民政府 |", "县农业农村局"),
    ("项目实施单位\t渝中区就业和人才中心\t项目主管部门\t渝中区人力资源和社会保障局", "渝中区就业和人才中心"),
    ("主管部门 宣城市公安局 实施单位 禁毒支队", "宣城市公安局"),
])
def test_of_a_headers_two_units_the_one_printed_first_is_the_bureau(row, unit):
    assert choose_bureau([], ["2022年度项目支出绩效自评表", row]) == unit


def test_a_label_known_by_its_ending_and_a_unit_code_before_the_name():
    lines = ["主管部门及代码 [103]六安市金安区残疾人联合会 实施单位 六安市金安区残疾人联合会"]
    assert choose_bureau([], lines) == "六安市金安区残疾人联合会"
    assert choose_bureau([], ["项目主管部门\t武汉市人力资源和社会保障局东湖新技术开发区分局"]) == \
        "武汉市人力资源和社会保障局东湖新技术开发区分局"


def test_a_value_on_the_line_after_its_label():
    assert choose_bureau([], ["下达地方或单位 |", "宝坻区人民政府 | ||||"]) == "宝坻区人民政府"


def test_cells_run_together_end_the_name_at_the_next_label():
    lines = ["主管部门襄阳市卫生健康委项目实施单位襄阳市中心医院项目类别1、部门预算项目"]
    assert choose_bureau([], lines) == "襄阳市卫生健康委"


def test_a_higher_levels_bureau_is_not_the_publisher():
    # a transfer-payment self-evaluation names the central and provincial bureaus above the county's
    lines = ["来源:安居区市场监管局 发布时间:2022-08-15 18:21", "食品监管补助资金区域绩效目标自评表",
             "中央主管部门", "市场监管总局", "省级主管部门", "四川省市场监管局"]
    assert choose_bureau(["市场监管总局", "四川省市场监管局"], lines) == "安居区市场监管局"


def test_the_pages_publisher_yields_to_the_tables_unit():
    lines = ["发布机构: 金安区财政局 生成日期: 2022-12-29", "来源单位: 金安区财政局",
             "主管部门及代码 [103]六安市金安区残疾人联合会"]
    assert choose_bureau(["金安区财政局", "金安区财政局"], lines) == "六安市金安区残疾人联合会"


def test_a_page_header_with_a_colon_names_the_unit():
    lines = ["2022年度项目支出绩效自评表 | 部门:临沧市永德县明朗中学 |",
             "| 项目名称 | 义务教育营养改善计划专项资金 | 主管部门 | 永德县教育体育局 | 实施单位 | 永德县明朗中学 |"]
    assert choose_bureau(["永德县教育体育局"], lines) == "临沧市永德县明朗中学"


def test_a_unit_the_model_read_from_a_unit_column_wins_over_the_department_header():
    lines = ["部门:505_湘西州教育和体育局金额单位:万元", "单位代码单位(专项)名称资金总额",
             "505006州民族特殊教育学校30.00"]
    assert choose_bureau(["州民族特殊教育学校"], lines) == "州民族特殊教育学校"
    # without the model's reading, the unit's code under the department's says the same
    assert choose_bureau([], lines) == "州民族特殊教育学校"


def test_a_sentence_at_the_top_is_no_title():
    lines = ["人才驿站补助资金到位率绩效目标值为100%,,如下图:项目年度绩效目标", "评价内容 绩效内容"]
    assert choose_bureau([], lines) is None
    # a thousands separator is no sentence mark
    row = "| 820001-井研县马踏镇人民政府 | 村组干部报酬 | 3,309,840.00 |"
    assert choose_bureau([], [row]) == "井研县马踏镇人民政府"


def test_the_title_names_the_unit_when_no_cell_does():
    assert choose_bureau([], ["漳州市医疗保障局2024年部门预算", "项目名称\t培训项目"]) == "漳州市医疗保障局"


def test_the_one_unit_listed_under_the_departments_code_is_the_publisher():
    lines = ["2023年项目支出绩效目标表公开", "部门:505_湘西州教育和体育局金额单位:万元",
             "单位代码单位(专项)名称资金总额", "505006州民族特殊教育学校30.00", "学生伙食费 30.00"]
    assert choose_bureau([], lines) == "州民族特殊教育学校"
    # two units under it: the department publishes for both
    lines.append("505007州第二特殊教育学校12.00")
    assert choose_bureau([], lines) == "湘西州教育和体育局"
    # a code that does not extend the department's names no unit of it
    assert choose_bureau([], lines[:3] + ["712006州民族特殊教育学校30.00"]) == "湘西州教育和体育局"
