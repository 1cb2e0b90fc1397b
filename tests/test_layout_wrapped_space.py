"""The wrapped space-separated layout (PDF layout-tool text): seed 003 against its gold, two
invented fixtures field by field, and all again with the tool's open-line hint removed.

The fixtures keep the tool's line ends: a line that ends in a space closes its cells, a line
without one is a cell that wraps (the "open-line hint"); do not let an editor strip them."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from extract.cell_roles import basis_strength, is_cut_level_name, role_score
from extract.cell_stream import Token, open_line_hint, segment_rows, tokenise
from extract.evaluation import evaluate, load_gold
from extract.layouts import wrapped_space
from extract.pipeline import extract_document
from extract.records import DocumentRecord
from extract.segment import find_table_blocks
from wrapped_typesetter import typeset_document

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "documents" / "003_e48c9036102b6734.txt"
GOLD = Path(__file__).parent / "data" / "gold" / "003_e48c9036102b6734.json"
FIXTURE = Path(__file__).parent / "data" / "layouts" / "wrapped_space.txt"
# Comparator, number and unit in separate cells, a 权重 column, no description, amounts in 元.
UNITS_FIXTURE = FIXTURE.with_name("wrapped_space_units.txt")
PROJECT_FIELDS = ("name", "code", "kind", "budget_total", "budget_fiscal", "budget_other", "goal", "layout")
INDICATOR_FIELDS = ("level1", "level2", "level3", "value", "op", "num", "unit", "description", "basis", "score")


def _without_trailing_space(src: Path, tmp_path: Path, drop_blank_lines: bool = False) -> Path:
    """The same document as a tool that strips line ends would give it: no open-line hint."""
    out = tmp_path / src.name
    lines = [line.rstrip() for line in src.read_text(encoding="utf-8").split("\n")]
    out.write_text("\n".join(line for line in lines if line or not drop_blank_lines), encoding="utf-8")
    return out


@pytest.fixture(params=["as printed", "line ends stripped", "line ends and blank lines stripped"])
def seed_path(request, tmp_path) -> Path:
    if request.param == "as printed":
        return SEED
    return _without_trailing_space(SEED, tmp_path, drop_blank_lines="blank" in request.param)


def test_seed_003_scores_against_its_gold(seed_path):
    record = extract_document(seed_path)
    assert {p.layout for p in record.projects} == {"wrapped_space"}
    evaluation = evaluate(load_gold(GOLD), [record])
    scores = evaluation.overall
    misses = "\n".join(m.describe() for m in evaluation.misses)
    assert scores.project_f1 == 1.0, misses
    assert scores.indicator_f1 >= 0.97, misses
    for field in ("level1", "level2", "op", "num", "unit", "code", "budget_total", "budget_fiscal", "goal"):
        assert scores.accuracy(field) >= 0.98, f"{field}\n{misses}"


def test_seed_003_descriptions_and_bases_are_rejoined_exactly(seed_path):
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    record = extract_document(seed_path).to_dict()
    for gold_project, project in zip(gold["projects"], record["projects"], strict=True):
        assert project["name"] == gold_project["name"]
        assert project["budget_other"] is gold_project["budget_other"] is None  # the 其他资金 cell is blank
        pairs = zip(gold_project["indicators"], project["indicators"], strict=True)
        for gold_ind, ind in pairs:
            assert (ind["level3"], ind.get("description"), ind.get("basis")) == (
                gold_ind["level3"], gold_ind["description"], gold_ind["basis"])


def _check_fixture(path: Path, fixture: Path | None = None) -> None:
    """Records of ``path`` equal the expected records of ``fixture`` (default: ``path`` itself)."""
    fixture = fixture or path
    expected = json.loads(fixture.with_name(fixture.stem + ".expected.json").read_text(encoding="utf-8"))
    record = extract_document(path).to_dict()
    assert (record["bureau"], record["year"]) == (expected["bureau"], expected["year"])
    assert len(record["projects"]) == len(expected["projects"])
    for exp_p, got_p in zip(expected["projects"], record["projects"]):
        for field in PROJECT_FIELDS:
            assert got_p[field] == exp_p[field], f"{exp_p['name']}: {field}"
        assert [f["code"] for f in got_p.get("flags", [])] == [f["code"] for f in exp_p.get("flags", [])]
        assert len(got_p["indicators"]) == len(exp_p["indicators"]), exp_p["name"]
        for exp_i, got_i in zip(exp_p["indicators"], got_p["indicators"]):
            for field in INDICATOR_FIELDS:
                assert got_i.get(field) == exp_i.get(field), f"{exp_i['level3']}: {field}"
            assert [f["code"] for f in got_i.get("flags", [])] == [f["code"] for f in exp_i.get("flags", [])]


@pytest.mark.parametrize("fixture", [FIXTURE, UNITS_FIXTURE], ids=lambda p: p.stem)
def test_fixture_records_field_by_field(fixture):
    _check_fixture(fixture)


@pytest.mark.parametrize("fixture", [FIXTURE, UNITS_FIXTURE], ids=lambda p: p.stem)
def test_fixture_without_the_open_line_hint_gives_the_same_records(fixture, tmp_path):
    stripped = _without_trailing_space(fixture, tmp_path)
    assert open_line_hint(fixture.read_text(encoding="utf-8").split("\n"))
    assert not open_line_hint(stripped.read_text(encoding="utf-8").split("\n"))
    _check_fixture(stripped, fixture)


def test_fixture_covers_what_it_claims():
    """The fixture really has a page-break header inside a row, a wrapped value and a note line."""
    lines = FIXTURE.read_text(encoding="utf-8").split("\n")
    blocks = find_table_blocks(lines)
    assert len(blocks) == 2 and len(blocks[0].headers) == 2
    assert "≥1.5 万人" in lines and "次 " in lines
    record = extract_document(FIXTURE)
    carried = [i for p in record.projects for i in p.indicators if any(f.code == "page_break_carry" for f in i.flags)]
    assert [i.level3 for i in carried] == ["公共文化服务长效运行机制"]
    unplaced = [f for p in record.projects for f in p.flags if f.code == "unplaced_row"]
    assert [f.text for f in unplaced] == ["注：指标值为年度目标值。"]


def test_detect_takes_single_space_headers_only():
    lines = ["一级指标 二级指标 三级指标 绩效指标描述 指标值 指标值确定依据", "产出指标"]
    tabbed = ["一级指标\t二级指标\t三级指标\t指标值", "产出指标"]
    block = find_table_blocks(lines)[0]
    assert wrapped_space.detect(block) > 0
    assert wrapped_space.detect(find_table_blocks(tabbed)[0]) == 0.0


def _row_texts(lines: list[str], roles: list[str]) -> list[list[str]]:
    numbered = list(enumerate(lines, start=1))
    tokens = tokenise(numbered, set(), open_line_hint(lines))
    return [[c.text for c in row.cells] for row in segment_rows(tokens, roles).rows]


def test_cells_are_cut_at_chinese_spaces_and_joined_at_tool_spaces():
    roles = ["level2", "level3", "description", "value", "basis"]
    rows = _row_texts(["数量指标 参保率 2024 城乡居民综合参保率 ≥95% 工作计划 ",
                       "时效指标 回款时限 药品回款时限 ≤10 工作日 工作计划 "], roles)
    assert rows == [["数量指标", "参保率", "2024城乡居民综合参保率", "≥95%", "工作计划"],
                    ["时效指标", "回款时限", "药品回款时限", "≤10工作日", "工作计划"]]


def test_wrapped_label_and_value_are_rejoined_without_the_hint():
    roles = ["level1", "level2", "level3", "description", "value", "basis"]
    lines = ["效益指标", "", "社会效益指", "", "标", "服务人次 年度公共文化场馆服务人次", "≥1.5 万人", "", "次", "历史标准",
             "", "满意度指标", "服务对象满", "", "意度指标", "群众满意度 抽样调查群众满意程度 ≥90% 问卷调查"]
    assert _row_texts(lines, roles) == [
        ["效益指标", "社会效益指标", "服务人次", "年度公共文化场馆服务人次", "≥1.5万人次", "历史标准"],
        ["满意度指标", "服务对象满意度指标", "群众满意度", "抽样调查群众满意程度", "≥90%", "问卷调查"]]


def test_header_without_level3_is_refused():
    with pytest.raises(ValueError):
        segment_rows([Token("产出指标", 1, True, True)], ["level1", "value"])


def test_header_word_wrapped_onto_the_next_line_is_finished_and_skipped():
    lines = ["一级指标 二级指标 三级指标 绩效指标描述 指标值 指标值确定 ", "", "依据 ", "产出指标 "]
    words, continued = wrapped_space.header_columns(lines, 0)
    assert words[-1] == "指标值确定依据" and continued == [2]
    assert wrapped_space.header_columns(lines, 3) == (["产出指标"], [])
    cut_after_a_header_word = ["一级指标 二级指标 三级指标 指标值 指标值 ", "确定依据 ", "产出指标 "]
    words, continued = wrapped_space.header_columns(cut_after_a_header_word, 0)
    assert words[-2:] == ["指标值", "指标值确定依据"] and continued == [1]


def test_seed_003_with_its_header_wrapped_scores_the_same(tmp_path):
    text = SEED.read_text(encoding="utf-8").replace("指标值 指标值确定依据 \n", "指标值 指标值确定 \n依据 \n")
    assert text.count("\n依据 \n") == 9  # eight tables and one repeat at a page break
    path = tmp_path / SEED.name
    path.write_text(text, encoding="utf-8")
    assert evaluate(load_gold(GOLD), [extract_document(path)]).overall.indicator_f1 >= 0.97


def test_cell_roles_read_what_a_cell_can_be():
    assert basis_strength("工作计划") == 2.0
    assert basis_strength("邢医保发[2021]11号") == basis_strength("冀财社〔2023〕208号") == 1.5
    assert basis_strength("绩效评价标准") == 1.0 and basis_strength("维护基金安全运行") == 0.0
    # the first part of a level name fills its column only where a page break cut it
    assert is_cut_level_name("level2", "社会效益指") and not is_cut_level_name("level2", "社会效益指标")
    assert role_score("level2", "社会效益指") < role_score("level2", "社会效益")
    assert role_score("level3", "社会效益指") is not None and role_score("level1", "数量指标") is None
    assert role_score("level2", "社会效益指标") > role_score("level2", "社会效益") > 0
    assert role_score("level1", "成本指标") > 0 and role_score("level2", "成本指标") > 0
    assert role_score("level3", "社会效益指标") is None and role_score("level3", "指标") is None
    assert role_score("value", "≥1.5万人次") > role_score("value", "有效缓解") > role_score("value", "计划标准")
    assert role_score("basis", "≥90%") is None and role_score("level3", "≥90%") is None
    assert role_score("unit", "人次") > role_score("unit", "明显提升")


def _typeset_and_read(gold_file: Path, tmp_path: Path, hint: bool, break_every: int = 0):
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    gold["projects"] = [p for p in gold["projects"] if p["kind"] == "project" and p["indicators"]]
    gold["source"] = gold_file.stem + ".txt"
    text = typeset_document(gold, break_every)
    if not hint:
        text = "\n".join(line.rstrip() for line in text.split("\n"))
    path = tmp_path / gold["source"]
    path.write_text(text, encoding="utf-8")
    record = extract_document(path)
    assert {p.layout for p in record.projects} == {"wrapped_space"}
    return record, evaluate([DocumentRecord.from_dict(gold)], [record]).overall


@pytest.mark.parametrize("hint", [True, False], ids=["open-line hint", "line ends stripped"])
@pytest.mark.parametrize("gold_file", sorted(GOLD.parent.glob("*.json")), ids=lambda p: p.stem[:3])
def test_every_seed_typeset_as_wrapped_tables_reads_back(gold_file, hint, tmp_path):
    """Other seeds' indicators (other names, values, long cells) typeset the way the tool does."""
    _, scores = _typeset_and_read(gold_file, tmp_path, hint)
    assert scores.project_f1 == 1.0
    assert scores.indicator_f1 >= (0.99 if hint else 0.93)
    assert scores.accuracy("level1") >= 0.98 and scores.accuracy("level2") >= 0.98


@pytest.mark.parametrize("gold_file", sorted(GOLD.parent.glob("*.json")), ids=lambda p: p.stem[:3])
def test_rows_cut_by_page_breaks_are_rejoined(gold_file, tmp_path):
    """Every third row cut by a page break: page number, repeated header, then the cells' rest."""
    record, scores = _typeset_and_read(gold_file, tmp_path, hint=True, break_every=3)
    assert any(f.code == "page_break_carry" for p in record.projects for i in p.indicators for f in i.flags)
    assert scores.project_f1 == 1.0
    assert scores.indicator_f1 >= 0.93
    assert scores.accuracy("level1") >= 0.95 and scores.accuracy("level2") >= 0.95
