"""The segmenter: table blocks, page-break headers, bureau and year, on crafted documents."""
from __future__ import annotations

from extract.segment import find_bureau, find_table_blocks, find_year

DOC = """2025年某某县人力资源和社会保障局部门预算

一、部门职责
本部门的绩效指标包括一级指标、二级指标、三级指标和指标值。

项目名称\t类型\t金额
就业补助\t特定目标类\t100

（二）项目支出绩效目标表

甲项目绩效目标表
项目名称\t甲项目
一级指标\t二级指标\t三级指标\t指标值
产出指标\t数量指标\t人数\t≥5人
- 3 -
一级指标\t二级指标\t三级指标\t指标值
\t质量指标\t合格率\t100%

乙项目绩效目标表
项目名称\t乙项目
主管部门\t某某县人力资源和社会保障局
一级指标\t二级指标\t三级指标\t指标值
效益指标\t社会效益指标\t就业率\t≥95%

三、其他事项
正文。
"""


def test_blocks_start_at_their_title_and_keep_page_break_headers():
    lines = DOC.split("\n")
    blocks = find_table_blocks(lines)
    assert [b.title for b in blocks] == ["甲项目绩效目标表", "乙项目绩效目标表"]
    first, second = blocks
    assert lines[first.start] == "甲项目绩效目标表" and len(first.headers) == 2  # repeated header stays
    assert first.end == second.start
    assert lines[second.end] == "三、其他事项"  # the last table ends at the next section heading


def test_prose_naming_the_levels_is_no_header():
    lines = DOC.split("\n")
    assert all("包括" not in lines[b.header] for b in find_table_blocks(lines))


def test_bureau_and_year():
    lines = DOC.split("\n")
    assert find_bureau(lines) == "某某县人力资源和社会保障局"
    assert find_year(lines) == 2025
    assert find_bureau(["2024 年聊城市东昌府区医疗保障局部", "门预算"]) == "聊城市东昌府区医疗保障局"
    assert find_bureau(["", "目 录", "主管部门\t某某市民政局"]) == "某某市民政局"
