"""The wide summary layout (项目绩效目标汇总表): seed 002's summary projects against gold, invented fixtures."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from extract import layouts
from extract.layouts import wide_summary
from extract.layouts.base import DocumentContext
from extract.pipeline import extract_document, extract_text
from extract.reader import read_document
from extract.segment import find_table_blocks
from extract.summary_header import read_summary_header

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "examples" / "documents"
SEED = SEEDS / "002_69d8ecd0df86de6b.txt"
GOLD = ROOT / "tests" / "data" / "gold" / "002_69d8ecd0df86de6b.json"
FIXTURES = ROOT / "tests" / "data" / "layouts"
PROJECT_FIELDS = ("name", "code", "kind", "budget_total", "budget_fiscal", "budget_other", "goal")
INDICATOR_FIELDS = ("level1", "level2", "level3", "value", "op", "num", "unit")


def _summary_projects(record):
    return [p for p in record.projects if p.layout == wide_summary.NAME]


def test_summary_block_of_seed_002_is_read_by_wide_summary_and_department_block_is_not():
    blocks = find_table_blocks(read_document(SEED).lines)
    chosen = [layouts.choose(b)[0].NAME for b in blocks]
    assert chosen == ["tabbed", "wide_summary"]
    department = next(b for b in blocks if b.kind == "department")
    assert wide_summary.detect(department) == 0.0


def test_seed_002_summary_projects_match_gold():
    gold = [p for p in json.loads(GOLD.read_text(encoding="utf-8"))["projects"] if p["kind"] == "project"]
    got = _summary_projects(extract_document(SEED))
    assert [p.name for p in got] == [g["name"] for g in gold]
    for project, expected in zip(got, gold):
        for key in PROJECT_FIELDS:
            assert getattr(project, key) == expected[key], (expected["name"], key)
        assert list(project.span) == expected["span"]
        assert [(i.level1, i.level2, i.level3, i.value) for i in project.indicators] == [
            (g["level1"], g["level2"], g["level3"], g["value"]) for g in expected["indicators"]
        ], expected["code"]


def test_seed_002_subtotal_rows_are_flagged_not_projects():
    record = extract_document(SEED)
    skipped = [f for f in record.flags if f.code == "summary_row_skipped"]
    assert [(f.line, f.text) for f in skipped] == [(549, "308"), (550, "308001 平顶山市石龙区医疗保障局")]
    assert all(p.code not in ("308", "308001") for p in record.projects)


@pytest.mark.parametrize("fixture", ["wide_summary.txt", "wide_summary_pipe.txt", "wide_summary_level2.txt"])
def test_invented_summary_table_matches_expected_records(fixture):
    path = FIXTURES / fixture
    expected = json.loads(path.with_name(path.name.split(".")[0] + ".expected.json").read_text(encoding="utf-8"))
    record = extract_document(path)
    assert [(f.code, f.line) for f in record.flags] == [(f["code"], f["line"]) for f in expected.get("flags", [])]
    assert len(record.projects) == len(expected["projects"])
    for project, exp in zip(record.projects, expected["projects"]):
        for key in PROJECT_FIELDS + ("layout",):
            assert getattr(project, key) == exp[key], (exp["name"], key)
        assert list(project.span) == exp["span"]
        assert len(project.indicators) == len(exp["indicators"]), exp["name"]
        for ind, exp_ind in zip(project.indicators, exp["indicators"]):
            for key in INDICATOR_FIELDS:
                assert getattr(ind, key) == exp_ind[key], (exp["name"], exp_ind["level3"], key)
            assert list(ind.span) == exp_ind["span"]
            assert ind.flags == []


def test_group_order_and_budget_columns_come_from_the_header():
    header = read_summary_header(find_table_blocks(read_document(FIXTURES / "wide_summary_pipe.txt").lines)[0])
    assert [g.level1 for g in header.groups] == ["满意度指标", "成本指标", "效果指标"]
    assert header.roles == {0: "code", 1: "name", 2: "budget_total"}
    header = read_summary_header(find_table_blocks(read_document(FIXTURES / "wide_summary.txt").lines)[0])
    assert [g.level1 for g in header.groups] == ["产出指标", "效益指标", "满意度指标", "成本指标"]
    assert [(g.name_col, g.value_col) for g in header.groups] == [(5, 6), (7, 8), (9, 10), (11, 12)]
    assert header.roles == {0: "code", 1: "name", 2: "budget_total", 3: "budget_fiscal", 4: "budget_other"}


HEADER = [
    "项目绩效目标汇总表",
    "项目编码\t项目名称\t资金总额\t产出指标\t\t效益指标\t",
    "\t\t\t三级指标\t指标值\t三级指标\t指标值",
]


def test_cell_beyond_the_pairs_and_value_without_name_are_flagged_not_dropped():
    lines = HEADER + [
        "P001\t示例项目\t10\t完成数量\t≥5个\t群众受益\t有效提升\t多出的备注\t≥1项",
        "\t\t\t\t≥3次\t\t",
    ]
    record = extract_text(lines, "inline.txt")
    [project] = record.projects
    assert [(i.level1, i.level3, i.value) for i in project.indicators] == [
        ("产出指标", "完成数量", "≥5个"), ("效益指标", "群众受益", "有效提升")]
    assert {(f.code, f.line) for f in project.flags} == {("unplaced_cell", 4), ("value_without_name", 5)}


def test_header_without_rows_gives_no_projects_and_no_error():
    record = extract_text(HEADER, "truncated.txt")
    assert [p for p in record.projects if p.layout == wide_summary.NAME] == []


def test_ordinary_tables_of_the_other_seeds_are_not_detected():
    for path in sorted(SEEDS.glob("*.txt")):
        for block in find_table_blocks(read_document(path).lines):
            if path != SEED:
                assert wide_summary.detect(block) == 0.0, (path.name, block.header + 1)


def test_parse_of_a_non_summary_block_flags_instead_of_failing():
    block = find_table_blocks(read_document(SEEDS / "000_5f7560c24654454f.txt").lines)[0]
    result = wide_summary.parse(block, DocumentContext())
    assert result.projects == [] and [f.code for f in result.flags] == ["header_unreadable"]


def test_level2_columns_budget_in_yuan_and_no_code_column():
    header = read_summary_header(find_table_blocks(read_document(FIXTURES / "wide_summary_level2.txt").lines)[0])
    assert [(g.level2_col, g.name_col, g.value_col) for g in header.groups] == [(3, 4, 5), (6, 7, 8), (9, 10, 11)]
    assert header.roles == {0: "name", 1: "budget_total", 2: "budget_fiscal"}
    assert header.amount_unit == "元"


def test_row_number_and_goal_columns_are_read_beside_the_groups():
    lines = [
        "项目绩效目标汇总表",
        "序号\t项目名称\t资金总额\t年度绩效目标\t产出指标\t\t满意度指标\t",
        "\t\t\t\t三级指标\t指标值\t三级指标\t指标值",
        "1\t社区养老服务\t50\t为500名老人提供居家养老服务\t服务老人数\t≥500人\t老人满意度\t≥90%",
        "\t\t\t\t上门服务次数\t≥2000次\t\t",
        "2\t助餐点建设\t12.5\t新建助餐点数量\t≥3个\t就餐老人满意度\t≥85%",
    ]
    projects = extract_text(lines, "goal.txt").projects
    assert [(p.name, p.code, p.budget_total, p.goal) for p in projects] == [
        ("社区养老服务", None, 50.0, "为500名老人提供居家养老服务"), ("助餐点建设", None, 12.5, None)]
    assert [(i.level1, i.level3, i.value) for i in projects[0].indicators] == [
        ("产出指标", "服务老人数", "≥500人"), ("产出指标", "上门服务次数", "≥2000次"), ("满意度指标", "老人满意度", "≥90%")]
    # the second row prints no goal and its cells sit one column left: 新建助餐点数量 is a name, not a goal
    assert [(i.level1, i.level3, i.value) for i in projects[1].indicators] == [
        ("产出指标", "新建助餐点数量", "≥3个"), ("满意度指标", "就餐老人满意度", "≥85%")]
