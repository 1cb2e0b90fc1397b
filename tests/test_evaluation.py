"""The evaluation's matching rules, each on a crafted gold/pred pair."""
from __future__ import annotations

import copy
from typing import Any

import pytest

from perfkg.extract.evaluation import evaluate, name_key, value_agrees, value_key
from perfkg.extract.records import DocumentRecord, Indicator


def ind(level3: str, value: str | None, op: str | None = None, num: float | None = None, unit: str | None = None,
        level1: str = "产出指标", level2: str | None = "数量指标") -> dict[str, Any]:
    return {"level1": level1, "level2": level2, "level3": level3, "value": value, "op": op, "num": num, "unit": unit}


def proj(name: str, indicators: list[dict[str, Any]], code: str | None = None, kind: str = "project",
         budget_total: float | None = None, **extra: Any) -> dict[str, Any]:
    return {"name": name, "code": code, "kind": kind, "budget_total": budget_total, "indicators": indicators, **extra}


def doc(projects: list[dict[str, Any]], source: str = "a.txt", bureau: str = "某市医疗保障局",
        year: int = 2024) -> DocumentRecord:
    return DocumentRecord.from_dict({"source": source, "bureau": bureau, "year": year, "projects": projects})


GOLD = doc([
    proj("城乡居民医保补助", [
        ind("参保人数", "≥67282人", ">=", 67282, "人"),
        ind("补助标准", "=390元/人", "=", 390, "元/人"),
        ind("群众满意度", "≥90%", ">=", 90, "%", level1="满意度指标", level2="服务对象满意度指标"),
        ind("减轻就医负担", "减轻", level1="效益指标", level2="社会效益指标"),
    ], budget_total=3216.0, goal="提高保障水平"),
])


def evaluate_one(gold: DocumentRecord, pred: DocumentRecord):
    return evaluate([gold], [pred])


def test_identical_records_score_one_with_no_misses():
    result = evaluate_one(GOLD, copy.deepcopy(GOLD))
    s = result.overall
    assert (s.indicator_f1, s.project_f1) == (1.0, 1.0)
    assert all(s.accuracy(n) == 1.0 for n in ("level1", "level2", "op", "num", "unit", "budget_total", "goal"))
    assert result.bureau_accuracy == 1.0 and result.year_accuracy == 1.0
    assert result.misses == []


def test_names_compared_after_nfkc_whitespace_and_punctuation_removal():
    gold = doc([proj("医疗服务与保障能力提升资金（2022年部门结转）",
                     [ind("“三公经费”控制率", "≤100%", "<=", 100, "%")])])
    pred = doc([proj("医疗服务与保障能力 提升资金(2022年部门结转)",
                     [ind("「三公经费」控制率：", "≤100%", "<=", 100, "%")])])
    s = evaluate_one(gold, pred).overall
    assert (s.projects_matched, s.indicators_correct) == (1, 1)
    assert name_key("ＡＢ １") == name_key("AB1")


def test_different_names_left_over_two_by_two_are_missing_and_extra_projects():
    gold = doc(GOLD.to_dict()["projects"] + [proj("房屋修缮", [ind("维修面积", "100平方米", "=", 100, "平方米")])])
    pred = copy.deepcopy(gold)
    pred.projects[0].name = "城乡居民医保补贴"
    pred.projects[1].name = "办公楼维护"
    result = evaluate_one(gold, pred)
    assert result.overall.projects_matched == 0
    assert result.overall.indicator_f1 == 0.0
    assert {m.kind for m in result.misses} == {"missing_project", "extra_project"}


def test_the_one_gold_project_left_matches_the_one_prediction_left_under_another_name():
    pred = copy.deepcopy(GOLD)
    pred.projects[0].name = "城乡居民医保补贴"
    result = evaluate_one(GOLD, pred)
    s = result.overall
    assert (s.projects_matched, s.indicator_f1, s.accuracy("project_name")) == (1, 1.0, 0.0)
    assert [m.describe() for m in result.misses] == [
        "a.txt: project name gold='城乡居民医保补助' pred='城乡居民医保补贴'"]
    assert result.to_dict()["all"]["project_name_acc"] == 0.0


def test_a_name_containing_the_other_matches_where_both_have_four_characters():
    gold = doc([proj("城乡居民医保补助", [ind("人数", "5人", "=", 5, "人")]),
                proj("房屋修缮", [ind("面积", "5平方米", "=", 5, "平方米")]),
                proj("信息化", [ind("系统", "1个", "=", 1, "个")]),
                proj("培训", [ind("人次", "9人次", "=", 9, "人次")])])
    pred = doc([proj("2024年城乡居民医保补助资金", [ind("人数", "5人", "=", 5, "人")]),  # contains the gold name
                proj("修缮", [ind("面积", "5平方米", "=", 5, "平方米")]),  # contained, but two characters
                proj("信息化建设", [ind("系统", "1个", "=", 1, "个")]),  # gold name only three characters
                proj("培训费", [ind("人次", "9人次", "=", 9, "人次")])])
    s = evaluate_one(gold, pred).overall
    assert (s.projects_matched, s.indicators_correct) == (1, 1)
    assert s.accuracy("project_name") == 0.0


def test_project_name_accuracy_is_over_matched_projects():
    gold = doc([proj("城乡居民医保补助", [ind("人数", "5人", "=", 5, "人")]),
                proj("房屋修缮", [ind("面积", "5平方米", "=", 5, "平方米")])])
    pred = doc([proj("城乡居民医保补助", [ind("人数", "5人", "=", 5, "人")]),
                proj("机关房屋修缮工程", [ind("面积", "5平方米", "=", 5, "平方米")])])
    s = evaluate_one(gold, pred).overall
    assert s.projects_matched == 2 and s.accuracy("project_name") == 0.5


def test_shared_gold_name_is_told_apart_by_code_or_budget():
    gold = doc([proj("提升资金", [ind("结算率", "100%", "=", 100, "%")], code="0900", budget_total=0.51),
                proj("提升资金", [ind("结算率", "90%", "=", 90, "%")], code="0901", budget_total=0.13)])
    by_code = doc([proj("提升资金", [ind("结算率", "90%", "=", 90, "%")], code="0901"),
                   proj("提升资金", [ind("结算率", "100%", "=", 100, "%")], code="0900")])
    assert evaluate_one(gold, by_code).overall.indicator_f1 == 1.0
    by_budget = doc([proj("提升资金", [ind("结算率", "90%", "=", 90, "%")], budget_total=0.13),
                     proj("提升资金", [ind("结算率", "100%", "=", 100, "%")], budget_total=0.51)])
    assert evaluate_one(gold, by_budget).overall.indicator_f1 == 1.0
    # one prediction of the name: the first gold project of that name takes it, code or not
    neither = doc([proj("提升资金", [ind("结算率", "90%", "=", 90, "%")])])
    result = evaluate_one(gold, neither)
    assert result.overall.projects_matched == 1 and result.overall.accuracy("code") == 0.0
    assert result.overall.indicators_matched == 1 and result.overall.indicators_correct == 0
    # the code decides before the budget
    crossed = doc([proj("提升资金", [ind("结算率", "100%", "=", 100, "%")], code="0900", budget_total=0.13),
                   proj("提升资金", [ind("结算率", "90%", "=", 90, "%")], code="0901", budget_total=0.51)])
    assert evaluate_one(gold, crossed).overall.indicator_f1 == 1.0


def test_unshared_name_matches_despite_a_wrong_code_which_is_scored():
    gold = doc([proj("房屋修缮", [ind("维修面积", "≥100平方米", ">=", 100, "平方米")], code="4104")])
    pred = doc([proj("房屋修缮", [ind("维修面积", "≥100平方米", ">=", 100, "平方米")], code="9999")])
    s = evaluate_one(gold, pred).overall
    assert s.projects_matched == 1 and s.accuracy("code") == 0.0


def test_duplicate_level3_paired_by_value_whatever_the_order():
    gold = doc([proj("P", [ind("满意度", "≥90%", ">=", 90, "%"), ind("满意度", "100%", "=", 100, "%")])])
    pred = doc([proj("P", [ind("满意度", "100%", "=", 100, "%"), ind("满意度", "≥90%", ">=", 90, "%")])])
    s = evaluate_one(gold, pred).overall
    assert (s.indicators_matched, s.indicators_correct) == (2, 2)


@pytest.mark.parametrize("pred_value", ["≥90百分比", "≧90%", "≥ 90 %", "文字描述：≥90%", "文字描述:≥90%"])
def test_printed_value_variants_agree(pred_value):
    gold = Indicator("满意度指标", None, "满意度", "≥90%", ">=", 90.0, "%")
    assert value_agrees(gold, Indicator("满意度指标", None, "满意度", pred_value))
    assert value_key(pred_value) == value_key("≥90%")


def test_quantitative_value_agrees_by_op_num_unit_when_printed_in_columns():
    gold = Indicator("产出指标", "数量指标", "参保人数", "≥67282人", ">=", 67282.0, "人")
    columns = Indicator("产出指标", "数量指标", "参保人数", "67282", ">=", 67282.0, "人")
    assert value_agrees(gold, columns)
    assert not value_agrees(gold, Indicator("产出指标", "数量指标", "参保人数", "67282", "<=", 67282.0, "人"))
    assert not value_agrees(gold, Indicator("产出指标", "数量指标", "参保人数", "67282", ">=", 67282.0, "万人"))
    assert not value_agrees(gold, Indicator("产出指标", "数量指标", "参保人数", "67282", ">=", 67283.0, "人"))
    assert value_agrees(gold, Indicator("产出指标", "数量指标", "参保人数", "67282", ">=", 67282.00001, "人"))


def test_qualitative_value_needs_the_same_text():
    gold = Indicator("效益指标", "社会效益指标", "减轻就医负担", "减轻")
    assert value_agrees(gold, Indicator("效益指标", "社会效益指标", "减轻就医负担", "文字描述: 减轻"))
    assert not value_agrees(gold, Indicator("效益指标", "社会效益指标", "减轻就医负担", "有效"))
    assert not value_agrees(gold, Indicator("效益指标", "社会效益指标", "减轻就医负担", None))


def test_wrong_value_counts_as_matched_but_not_correct():
    pred = copy.deepcopy(GOLD)
    first = pred.projects[0].indicators[0]
    first.value, first.op, first.num = "≥6728人", ">=", 6728.0
    pred.projects[0].indicators.append(Indicator("产出指标", "数量指标", "多余指标", "1个", "=", 1.0, "个"))
    s = evaluate_one(GOLD, pred).overall
    assert (s.indicators_gold, s.indicators_pred, s.indicators_matched, s.indicators_correct) == (4, 5, 4, 3)
    precision, recall, f1 = s.indicator_prf
    assert (precision, recall) == (3 / 5, 3 / 4)
    assert f1 == pytest.approx(2 * 0.6 * 0.75 / 1.35)
    assert s.accuracy("num") == 3 / 4 and s.accuracy("op") == 1.0 and s.accuracy("unit") == 1.0


def test_level_accuracies_over_matched_indicators():
    pred = copy.deepcopy(GOLD)
    pred.projects[0].indicators[2].level2 = "满意度指标"
    pred.projects[0].indicators[3].level1 = "产出指标"
    pred.projects[0].indicators[0].level3 = "没有这个指标"  # unmatched: not in the accuracies
    s = evaluate_one(GOLD, pred).overall
    assert s.fields["level1"].total == 3
    assert s.accuracy("level1") == 2 / 3 and s.accuracy("level2") == 2 / 3


def test_traditional_prediction_does_not_match_simplified_gold_and_is_counted():
    pred = doc([proj("城鄉居民醫保補助", [
        ind("參保人數", "≥67282人", ">=", 67282, "人"),
        ind("補助標準", "=390元/人", "=", 390, "元/人"),
        ind("群眾滿意度", "≥90%", ">=", 90, "%", level1="滿意度指標", level2="服務對象滿意度指標"),
        ind("減輕就醫負擔", "減輕", level1="效益指標", level2="社會效益指標"),
    ], budget_total=3216.0, goal="提高保障水平")], bureau="某市醫療保障局")
    result = evaluate_one(GOLD, pred)
    # the one project left is matched to the one prediction left; no level3 agrees, nor the bureau
    assert result.overall.projects_matched == 1 and result.overall.accuracy("project_name") == 0.0
    assert result.overall.indicators_matched == 0 and result.overall.indicator_f1 == 0.0
    assert result.bureau_accuracy == 0.0
    # bureau, project name, four level3, two level1, two level2 and one value (減輕) are traditional
    assert result.traditional_texts == 1 + 1 + 4 + 2 + 2 + 1
    assert evaluate_one(GOLD, copy.deepcopy(GOLD)).traditional_texts == 0


def test_budget_within_relative_tolerance_and_only_where_gold_prints_it():
    gold = doc([proj("P", [], budget_total=3216.0, budget_fiscal=None),
                proj("Q", [], budget_total=100.0)])
    pred = doc([proj("P", [], budget_total=3216.000001, budget_fiscal=3216.0),
                proj("Q", [], budget_total=100.01)])
    s = evaluate_one(gold, pred).overall
    assert s.fields["budget_total"].correct == 1 and s.fields["budget_total"].total == 2
    assert "budget_fiscal" not in s.fields


def test_bureau_agrees_when_either_name_contains_the_other():
    assert evaluate_one(GOLD, doc(GOLD.to_dict()["projects"], bureau="某市医疗保障局（汇总）")).bureau_accuracy == 1.0
    assert evaluate_one(GOLD, doc(GOLD.to_dict()["projects"], bureau="医疗保障局")).bureau_accuracy == 1.0
    assert evaluate_one(GOLD, doc(GOLD.to_dict()["projects"], bureau="某市财政局")).bureau_accuracy == 0.0
    assert evaluate_one(GOLD, doc(GOLD.to_dict()["projects"], year=2023)).year_accuracy == 0.0


def test_scores_are_kept_per_kind():
    gold = doc([proj("某局", [ind("预算执行率", "100%", "=", 100, "%")], kind="department"),
                proj("P", [ind("人数", "5人", "=", 5, "人")])])
    pred = doc([proj("某局", [ind("预算执行率", "90%", "=", 90, "%")], kind="department"),
                proj("P", [ind("人数", "5人", "=", 5, "人")])])
    result = evaluate_one(gold, pred)
    assert result.kinds() == ["project", "department"]
    assert result.by_kind("department").indicator_f1 == 0.0
    assert result.by_kind("project").indicator_f1 == 1.0
    assert result.overall.indicator_f1 == 0.5
    assert result.to_dict()["department"]["indicator_f1"] == 0.0


def test_documents_paired_by_file_name_and_unpaired_ones_reported():
    other_gold = doc([proj("Q", [ind("人数", "5人", "=", 5, "人")])], source="b.txt")
    pred = copy.deepcopy(GOLD)
    pred.source = "some/dir/a.txt"
    stray = doc([], source="c.txt")
    result = evaluate([GOLD, other_gold], [pred, stray])
    assert [d.source for d in result.documents] == ["a.txt", "b.txt"]
    assert result.documents[0].overall.indicator_f1 == 1.0
    assert not result.documents[1].has_prediction and result.documents[1].overall.indicators_gold == 1
    assert result.unscored == ["c.txt"]
    assert result.overall.indicators_gold == 5
    only = evaluate([GOLD, other_gold], [pred], predicted_only=True)
    assert [d.source for d in only.documents] == ["a.txt"] and only.overall.indicator_f1 == 1.0


def test_misses_name_what_differs():
    pred = copy.deepcopy(GOLD)
    pred.projects[0].indicators[1].value = "=39元/人"
    pred.projects[0].indicators[1].num = 39.0
    pred.projects[0].indicators.pop()
    result = evaluate_one(GOLD, pred)
    described = [m.describe() for m in result.misses]
    assert "a.txt: 城乡居民医保补助: '补助标准' value gold='=390元/人' pred='=39元/人'" in described
    assert "a.txt: 城乡居民医保补助: '补助标准' num gold=390.0 pred=39.0" in described
    assert "a.txt: 城乡居民医保补助: missing indicator '减轻就医负担'='减轻'" in described
    assert len(described) == 3


@pytest.mark.parametrize("marked", ["★参保人数", "★★★参保人数", "*参保人数", "※参保人数", "指标1:参保人数",
                                    "1.参保人数", "(1)参保人数"])
def test_a_marker_or_numbering_kept_in_level3_does_not_match(marked):
    pred = copy.deepcopy(GOLD)
    pred.projects[0].indicators[0].level3 = marked
    s = evaluate_one(GOLD, pred).overall
    assert (s.indicators_matched, s.indicators_correct) == (3, 3)
    assert name_key(marked) != name_key("参保人数")


def test_among_same_level3_the_prediction_whose_value_agrees_by_op_num_unit_is_chosen():
    gold = doc([proj("P", [ind("满意度", "≥90%", ">=", 90, "%")])])
    pred = doc([proj("P", [ind("满意度", "95%", "=", 95, "%"), ind("满意度", "90", ">=", 90, "%")])])
    s = evaluate_one(gold, pred).overall
    assert (s.indicators_matched, s.indicators_correct, s.indicators_pred) == (1, 1, 2)


def test_numbers_agree_within_one_millionth_and_absolutely_below_one():
    gold = doc([proj("P", [], budget_total=0.5, budget_fiscal=0.5)])
    pred = doc([proj("P", [], budget_total=0.5000009, budget_fiscal=0.500002)])
    s = evaluate_one(gold, pred).overall
    assert s.accuracy("budget_total") == 1.0 and s.accuracy("budget_fiscal") == 0.0


def test_empty_scores_are_zero_not_one():
    gold = doc([proj("P", [])])
    s = evaluate_one(gold, doc([proj("P", [])])).overall
    assert s.project_f1 == 1.0 and s.indicator_f1 == 0.0 and s.name_f1 == 0.0
    assert evaluate([], []).bureau_accuracy == 0.0


def test_the_last_of_several_documents_with_one_file_name_counts():
    first = doc([proj("P", [ind("人数", "5人", "=", 5, "人")])])
    last = doc([proj("P", [ind("人数", "6人", "=", 6, "人")])])
    gold = doc([proj("P", [ind("人数", "6人", "=", 6, "人")])])
    assert evaluate([gold], [first, last]).overall.indicator_f1 == 1.0
    assert evaluate([first, gold], [last]).overall.indicator_f1 == 1.0
    assert len(evaluate([first, gold], [last]).documents) == 1


def test_goal_scored_only_where_the_gold_prints_one():
    gold = doc([proj("P", [], goal=""), proj("Q", [], goal="提高 保障水平")])
    pred = doc([proj("P", [], goal="x"), proj("Q", [], goal="提高保障水平")])
    s = evaluate_one(gold, pred).overall
    assert s.fields["goal"].total == 1 and s.accuracy("goal") == 1.0
