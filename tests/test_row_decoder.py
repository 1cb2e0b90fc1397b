"""The row decoder: tag sequences to projects and indicators by the table grammar (no model involved)."""
from perfkg.extract.row_decoder import clean_level3, decode, labelled_pieces, repeated_results
from perfkg.extract.tokens import Token, tokenise_lines


def decoded(lines, tags):
    toks = tokenise_lines(lines)
    assert len(toks) == len(tags), [t.text for t in toks]
    return decode(toks, tags)


def test_merged_level_cells_are_inherited_and_values_attach_to_their_name():
    out = decoded(["项目名称\t培训项目", "产出指标\t数量指标\t培训人数\t≥100人次", "\t\t合格率\t≥95%",
                   "\t质量指标\t达标率\t100%"],
                  ["O", "B-PNAME", "B-L1", "B-L2", "B-L3", "B-VAL", "B-L3", "B-VAL", "B-L2", "B-L3", "B-VAL"])
    (p,) = out.projects
    assert p.name == "培训项目"
    assert [(i.level1, i.level2, i.level3, i.value, i.op, i.num, i.unit) for i in p.indicators] == [
        ("产出指标", "数量指标", "培训人数", "≥100人次", ">=", 100.0, "人次"),
        ("产出指标", "数量指标", "合格率", "≥95%", ">=", 95.0, "%"),
        ("产出指标", "质量指标", "达标率", "100%", "=", 100.0, "%")]
    assert [i.span for i in p.indicators] == [(2, 2), (3, 3), (4, 4)]


def test_a_new_level1_clears_level2_and_a_missing_level1_comes_from_the_framework():
    out = decoded(["数量指标\t人数\t10人", "效益指标\t带动就业\t明显"],
                  ["B-L2", "B-L3", "B-VAL", "B-L1", "B-L3", "B-VAL"])
    inds = out.projects[0].indicators
    assert (inds[0].level1, inds[0].level2) == ("产出指标", "数量指标")
    assert (inds[1].level1, inds[1].level2) == ("效益指标", None)


def test_comparator_number_and_unit_columns_make_one_value():
    out = decoded(["满意度\t≥\t95\t%", "补助标准\t600\t元/人"],
                  ["B-L3", "B-OP", "B-VAL", "B-UNIT", "B-L3", "B-VAL", "B-UNIT"])
    inds = out.projects[0].indicators
    assert [(i.value, i.op, i.num, i.unit) for i in inds] == [("≥95%", ">=", 95.0, "%"),
                                                               ("600元/人", "=", 600.0, "元/人")]


def test_self_evaluation_extras_and_multi_token_names():
    out = decoded(["贫困地区旅游景点开发数量( ≥**个 ) >=4个 5个 10"],
                  ["B-L3", "I-L3", "B-VAL", "B-ACT", "B-WT"])
    (ind,) = out.projects[0].indicators
    assert (ind.level3, ind.value, ind.actual, ind.score) == ("贫困地区旅游景点开发数量(≥**个)", ">=4个", "5个", 10.0)


def test_a_value_without_a_name_is_kept_as_a_flag():
    out = decoded(["≥90%", "满意度\t≥95%"], ["B-VAL", "B-L3", "B-VAL"])
    assert [f.code for f in out.flags] == ["value_without_name"]
    assert out.flags[0].line == 1 and out.flags[0].text == "≥90%"


def test_a_second_project_header_starts_a_new_project_and_budgets_in_yuan_become_wan():
    out = decoded(["单位：元", "甲项目\t300000\t人数\t10人", "乙项目\t50000\t次数\t2次"],
                  ["O", "B-PNAME", "B-BT", "B-L3", "B-VAL", "B-PNAME", "B-BT", "B-L3", "B-VAL"])
    assert [(p.name, p.budget_total, len(p.indicators)) for p in out.projects] == [("甲项目", 30.0, 1),
                                                                                    ("乙项目", 5.0, 1)]


def test_a_budget_with_no_unit_is_in_yuan_where_a_target_prints_the_same_amount_in_yuan():
    tags = ["B-PNAME", "B-BT", "B-L3", "B-VAL", "B-PNAME", "B-BT", "B-L3", "B-VAL"]
    out = decoded(["甲项目\t1681680\t维护成本\t<1681680元", "乙项目\t300\t维护成本\t<3000000元"], tags)
    first, second = out.projects
    assert first.budget_total == 168.168 and [f.code for f in first.flags] == ["budget_unit_from_target"]
    assert second.budget_total == 300.0 and not first.flags[1:] and not second.flags  # other amounts: 万元


def test_a_summary_header_over_several_rows_names_the_project_columns():
    lines = ["| 项目名称 | 项目金额 | 绩效指标 |  |  |  |", "|  |  | 产出指标 |  | 效益指标 |  |",
             "|  |  | 三级指标 | 目标值 | 三级指标 | 目标值 |", "| 甲项目 | 415 | 人数 | 10人 | 收入 | 有效 |",
             "|  |  | 次数 | 2次 |  |  |", "| 乙项目 | 70 | 面积 | 5亩 | 影响 | 明显 |"]
    # the model read each project's first row as indicators: name, amount, name, value …
    tags = ["O"] * 3 + ["B-L1", "B-L1"] + ["O"] * 4 + ["B-L3", "B-VAL"] * 3 + ["B-L3", "B-VAL"] * 4
    out = decoded(lines, tags)
    assert [(p.name, p.budget_total, [i.level3 for i in p.indicators]) for p in out.projects] == [
        ("甲项目", 415.0, ["人数", "收入", "次数"]), ("乙项目", 70.0, ["面积", "影响"])]
    one_row = decoded(lines[2:], ["O"] * 4 + ["B-L3", "B-VAL"] * 3 + ["B-L3", "B-VAL"] * 4)
    assert [i.level3 for i in one_row.projects[0].indicators][:2] == ["甲项目", "人数"]  # no project columns named


def test_a_table_on_one_line_starts_the_next_project_where_its_first_level1_comes_back():
    run = "\t".join(["甲项目", "100", "产出指标", "数量指标", "人数", "10人", "效益指标", "社会效益指标", "影响",
                     "有效", "乙项目", "50", "产出指标", "数量指标", "次数", "2次"])
    tags = ["B-PNAME", "B-BT"] + ["B-L1", "B-L2", "B-L3", "B-VAL"] * 2 + ["O", "O", "B-L1", "B-L2", "B-L3", "B-VAL"]
    out = decoded([run], tags)
    assert [(p.name, p.budget_total, len(p.indicators)) for p in out.projects] == [("甲项目", 100.0, 2),
                                                                                    ("乙项目", 50.0, 1)]
    # an actual result and its points before a level 1 that comes back (groups out of order) are no project
    evaluated = run.replace("乙项目", "完成")
    assert [p.name for p in decoded([evaluated], tags).projects] == ["甲项目"]


def test_a_title_inside_a_line_of_tables_run_together_opens_the_next_table():
    line = ("四、项目支出绩效目标2024年甲补助项目绩效自评表产出指标数量指标培训人数≥10人12人10"
            "2024年度乙配套资金项目绩效自评表产出指标质量指标合格率≥95%96%10")
    toks = tokenise_lines([line])
    texts = [t.text for t in toks]
    tags = ["O"] * len(toks)
    for text, tag in (("产出指标", "B-L1"), ("数量指标", "B-L2"), ("培训人数", "B-L3"), ("≥10人", "B-VAL"),
                      ("12人", "B-ACT"), ("10", "B-PTS"), ("产出指标", "B-L1"), ("质量指标", "B-L2"),
                      ("合格率", "B-L3"), ("≥95%", "B-VAL"), ("96%", "B-ACT"), ("10", "B-PTS")):
        tags[next(i for i, t in enumerate(texts) if t == text and tags[i] == "O")] = tag
    out = decode(toks, tags)
    assert [(p.name, [i.level3 for i in p.indicators]) for p in out.projects] == [
        ("2024年甲补助", ["培训人数"]), ("2024年度乙配套资金", ["合格率"])], texts


def test_a_cell_wrapped_over_lines_of_the_documents_width_is_one_cell():
    lines = ["产出指标", "数量指标", "医保制度改革、", "医改政策落实、", "转保障经费", "=36万元",
             "自聘及劳务派遣", "人员工资性支出", "成本", "≥248万元", "政策宣传覆盖率", "定性", "达标"]
    # the model read only the last line or two of each wrapped name as the name
    tags = ["B-L1", "B-L2", "O", "O", "B-L3", "B-VAL", "O", "B-L3", "I-L3", "B-VAL", "B-L3", "O", "B-VAL"]
    (project,) = decoded(lines, tags).projects
    assert [(i.level3, i.value) for i in project.indicators] == [
        ("医保制度改革、医改政策落实、转保障经费", "=36万元"), ("自聘及劳务派遣人员工资性支出成本", "≥248万元"),
        ("政策宣传覆盖率", "达标")]  # 定性 (the value's type) is a word of its own, no line of the name


def test_a_summary_unit_column_printing_a_code_gives_the_unit_code_to_its_projects():
    header = "| 单位名称 | 项目名称 | 预算数 | 三级指标 | 指标值 |"
    lines = [header, "| 820001-马踏镇人民政府 | 甲项目 | 30 | 人数 | 10人 |", "| 乙项目 | 5 | 次数 | 2次 |",
             header, "| 马踏镇人民政府 | 丙项目 | 8 | 面积 | 5亩 |"]
    tags = ["O"] * 5 + ["O", "B-PNAME", "B-BT", "B-L3", "B-VAL", "B-PNAME", "B-BT", "B-L3", "B-VAL"] + ["O"] * 5 + [
        "O", "B-PNAME", "B-BT", "B-L3", "B-VAL"]
    out = decoded(lines, tags)
    # the second row's unit cell is merged with the first's; the next table prints its unit with no code
    assert [(p.name, p.code) for p in out.projects] == [("甲项目", "820001"), ("乙项目", "820001"), ("丙项目", None)]


def test_a_level_name_wrapped_in_its_column_takes_the_rest_of_its_row_along():
    lines = ["二级指标        指标名称            指标值", "社会成          离休干部资金成本    ≤5万元",
             "本指标          控制", "服务对象满意    经办机构人员        ≥88%", "度              满意度"]
    # the model read the level pieces as nothing and the wrapped rest of the names as nothing or a level
    tags = ["O"] * 3 + ["O", "B-L3", "B-VAL", "O", "O", "O", "B-L3", "B-VAL", "I-L3", "O"]
    (project,) = decoded(lines, tags).projects
    assert [(i.level1, i.level2, i.level3, i.value) for i in project.indicators] == [
        ("成本指标", "社会成本指标", "离休干部资金成本控制", "≤5万元"),
        ("满意度指标", "服务对象满意度", "经办机构人员满意度", "≥88%")]


def test_a_piece_printed_twice_after_a_name_is_target_and_result_but_not_after_a_label():
    pieces = ["年度资金总额", "100", "其中:财政拨款", "15.00", "15.00",
              "经济成本指标", "成本控制", "不超过预算", "不超过预算"]
    tokens = [Token(p, 0, "line 1", "row" if k == 0 else "glue", 0, 0, 0, 0) for k, p in enumerate(pieces)]
    tags = repeated_results(tokens, ["O", "B-BT", "O", "O", "O", "B-L2", "O", "O", "O"])
    # a budget printed twice (年初预算数, 全年预算数) is no indicator
    assert tags == ["O", "B-BT", "O", "O", "O", "B-L2", "B-L3", "B-VAL", "B-ACT"]


def test_a_budget_label_run_together_with_its_amount_gives_the_amount_its_role():
    pieces = ["预算执行情况", "预算数", "执行数", "年度财政资金总额", "1000", "1000", "100%",
              "一级指标", "资金总额", "300", "其他资金", "50", "其他资金", "20"]
    tokens = [Token(p, 0, "line 1", "row" if k == 0 else "glue", 0, 0, 0, 0) for k, p in enumerate(pieces)]
    tokens[13] = Token("20", 0, "line 1", "sp1", 1, 0, 0, 0)
    tags = labelled_pieces(tokens, ["O"] * 11 + ["B-VAL", "O", "O"])
    # the first amount after the label is the budget (the second its execution); a label beside a header word
    # (一级指标) is a header's; an amount the model read as something else keeps its role; an amount in a
    # cell of its own is labelled_fields' business
    assert tags == ["O"] * 4 + ["B-BF"] + ["O"] * 6 + ["B-VAL", "O", "O"]


def test_a_titled_column_header_starts_a_new_table_and_a_repeated_one_does_not():
    header = "一级指标\t二级指标\t三级指标\t指标值"
    rows = ["产出指标\t数量指标\t人数\t10人", "产出指标\t数量指标\t次数\t2次"]
    tags = ["B-L1", "B-L2", "B-L3", "B-VAL"]
    out = decoded([header, rows[0], "乙类项目绩效目标表", header, rows[1]],
                  ["O"] * 4 + tags + ["O", "O"] + ["O"] * 4 + tags)
    assert [(p.name, len(p.indicators)) for p in out.projects] == [("", 1), ("乙类", 1)]
    out = decoded([header, rows[0], header, rows[1]], ["O"] * 4 + tags + ["O"] * 4 + tags)
    assert [len(p.indicators) for p in out.projects] == [2]  # a header repeated after a page break


def test_stray_names_before_a_table_hand_their_project_header_to_the_table():
    out = decoded(["甲培训项目绩效目标表", "立项依据\t文件", "一级指标\t二级指标\t三级指标\t指标值",
                   "产出指标\t数量指标\t人数\t10人"],
                  ["B-PNAME", "O", "B-L3", "O", "O", "O", "O", "O", "B-L1", "B-L2", "B-L3", "B-VAL"])
    (p,) = out.projects
    assert p.name == "甲培训" and [i.level3 for i in p.indicators] == ["人数"]
    assert "not_a_table" in [f.code for f in out.flags]


def test_groups_printed_side_by_side_take_the_level_of_their_column():
    lines = ["项目\t成本指标\t\t产出指标\t", "\t三级指标\t指标值\t三级指标\t指标值", "甲\t总成本\t≤3万元\t人数\t10人"]
    tags = ["O", "B-L1", "B-L1", "O", "O", "O", "O", "B-PNAME", "B-L3", "B-VAL", "B-L3", "B-VAL"]
    inds = decoded(lines, tags).projects[0].indicators
    assert [(i.level1, i.level3) for i in inds] == [("成本指标", "总成本"), ("产出指标", "人数")]


def test_markers_and_numbering_are_not_part_of_a_name():
    printed = ("★★资金到位率", "指标1:机柜数量", "(2)培训人数", "1.满意度", "12345平台满意率")
    assert [clean_level3(t) for t in printed] == [
        "资金到位率", "机柜数量", "培训人数", "满意度", "12345平台满意率"]


def test_the_rest_of_a_wrapped_cell_joins_its_cell():
    out = decoded(["城乡居民基本医疗    ≥95%", "保险参保率"], ["B-L3", "B-VAL", "I-L3"])
    (ind,) = out.projects[0].indicators
    assert (ind.level3, ind.value, ind.span) == ("城乡居民基本医疗保险参保率", "≥95%", (1, 2))


def test_a_unit_in_its_own_cell_joins_a_value_with_a_comparator():
    out = decoded(["参保人数\t≥48\t万人"], ["B-L3", "B-VAL", "B-UNIT"])
    (ind,) = out.projects[0].indicators
    assert (ind.value, ind.op, ind.num, ind.unit) == ("≥48万人", ">=", 48.0, "万人")


def test_a_title_naming_no_project_gives_no_name():
    out = decoded(["部门预算项目绩效目标表", "一级指标\t三级指标\t指标值", "产出指标\t人数\t10人"],
                  ["O", "O", "O", "O", "O", "B-L1", "B-L3", "B-VAL"])
    assert out.projects[0].name == ""


def test_an_umbrella_level_over_the_framework_names_keeps_them_as_level2():
    out = decoded(["实施效果指标\t产出指标\t项目个数\t5个", "\t效益指标\t综合利用率\t≥90%"],
                  ["B-L1", "B-L1", "B-L3", "B-VAL", "B-L1", "B-L3", "B-VAL"])
    assert [(i.level1, i.level2) for i in out.projects[0].indicators] == [("实施效果指标", "产出指标"),
                                                                          ("实施效果指标", "效益指标")]


def test_a_stray_table_named_by_its_title_then_a_second_name_is_flagged_not_a_key_error():
    # make fuzz (seed 1): 4 of 10,000 mutations raised KeyError 'PNAME'. The title named a table whose
    # names were stray cells before a column header; restarting it gave its name back to the header
    # with no line, and the second name then looked that line up.
    lines = ["450001 临西县医\ufffd\t\t\ufffd\ufffd保障局本级 预算年\ufffd\t\t\ufffd：2024 单位：万元 ", "满意度 ",
             "7、冀财\ufffd  \ufffd〔2023〕225 号提前下达 2024 年省级财政城乡居\t\t民社会保险代办员补助资金绩效目标表 ",
             "一级指标 二级指标 三级指标 绩效指标描述 指标值 指标值确定依据 "]
    tags = ["O"] * 7 + ["O", "B-L3", "B-VAL", "B-PNAME", "I-PNAME", "I-PNAME", "I-PNAME", "O"] + ["O"] * 6
    out = decoded(lines, tags)
    codes = [f.code for f in out.flags]
    assert "not_a_table" in codes and "header_without_table" in codes
    kept = " ".join(f.text or "" for f in out.flags)
    assert "冀财\ufffd" in kept and "民社会保险代办员补助资金" in kept  # the cells are in the flags, not lost


def grid_decoded(rows, tags):
    """``rows``: lists of (column, text) grid cells, as a container reader gives them."""
    from perfkg.extract.source_model import SourceCell, SourceRow
    from perfkg.extract.tokens import tokenise_rows

    source = [SourceRow([SourceCell(text, f"r{r}c{c}", c) for c, text in cells], grid=True, table=0)
              for r, cells in enumerate(rows)]
    toks = tokenise_rows(source)
    assert len(toks) == len(tags), [t.text for t in toks]
    return decode(toks, tags)


GRID = [[(0, "一级指标"), (1, "二级指标"), (2, "三级指标"), (3, "指标值")],
        [(0, "产出指标"), (1, "数量指标"), (2, "培训人数"), (3, "≥100人次")],
        [(2, "培训场次"), (3, "≥5场")],
        [(2, "合格率"), (3, "≥95%")],
        [(1, "质量指标"), (2, "达标率"), (3, "100%")],
        [(0, "说明"), (1, "以上均为计划数")]]


def test_grid_rows_the_model_left_unread_are_read_by_the_table_columns():
    # Rows under merged level cells: the model read two of them and left 培训场次 unread, and 合格率's
    # value; the grid's columns say what those cells are. The note under the table has no value cell.
    tags = ["O"] * 4 + ["B-L1", "B-L2", "B-L3", "B-VAL", "O", "O", "B-L3", "O", "B-L2", "B-L3", "B-VAL", "O", "O"]
    (p,) = grid_decoded(GRID, tags).projects
    assert [(i.level2, i.level3, i.value) for i in p.indicators] == [
        ("数量指标", "培训人数", "≥100人次"), ("数量指标", "培训场次", "≥5场"), ("数量指标", "合格率", "≥95%"),
        ("质量指标", "达标率", "100%")]


def test_text_rows_are_not_read_by_columns():
    # a bare number under the target's column of a grid is the target; in text rows it may be a weight
    lines = ["\t".join(t for _, t in row) for row in GRID[:5]]
    lines[2] = "培训场次\t5"
    tags = ["O"] * 4 + ["B-L1", "B-L2", "B-L3", "B-VAL", "O", "O", "B-L3", "O", "B-L2", "B-L3", "B-VAL"]
    (p,) = decoded(lines, tags).projects
    assert [i.level3 for i in p.indicators] == ["培训人数", "合格率", "达标率"]


def test_a_grid_cell_opened_by_a_name_is_one_name():
    # The splitters cut 70 out of the project name, and the model read it as the budget.
    rows = [[(0, "项目名称"), (1, "城乡居民医疗保险70岁及以上老年人代缴")], [(0, "资金总额"), (1, "2300")],
            [(0, "三级指标"), (1, "指标值")], [(0, "奖励金标准1"), (1, "不超过查实金额的3%")]]
    tags = ["O", "B-PNAME", "B-BT", "O", "O", "B-BT", "O", "O", "B-L3", "O", "B-VAL", "I-VAL"]
    (p,) = grid_decoded(rows, tags).projects
    assert (p.name, p.budget_total) == ("城乡居民医疗保险70岁及以上老年人代缴", 2300.0)
    assert [(i.level3, i.value) for i in p.indicators] == [("奖励金标准1", "不超过查实金额的3%")]


def test_one_read_row_is_enough_where_the_column_header_names_the_columns():
    rows = [[(0, "一级指标"), (1, "二级指标"), (2, "三级指标"), (3, "指标值")],
            [(0, "成本指标"), (1, "经济成本指标"), (2, "项目经费"), (3, "≤70万元")],
            [(1, "社会成本指标"), (2, "对社会产生的不利影响"), (3, "减少")]]
    tags = ["O"] * 4 + ["B-L1", "B-L2", "B-L3", "B-VAL", "B-L2", "O", "O"]
    (p,) = grid_decoded(rows, tags).projects
    assert [(i.level2, i.level3, i.value) for i in p.indicators] == [
        ("经济成本指标", "项目经费", "≤70万元"), ("社会成本指标", "对社会产生的不利影响", "减少")]
    # without the header naming them, one row is not enough to say what a column holds
    rows[0] = [(0, "一级指标"), (1, "二级指标"), (2, "内容"), (3, "目标")]
    (p,) = grid_decoded(rows, tags).projects
    assert [i.level3 for i in p.indicators] == ["项目经费"]


def test_cells_before_the_first_indicator_on_its_row_are_the_tables():
    # a table printed on one line: its project header shares the row of the first indicator
    out = decoded(["甲项目\t奇怪单元\t产出指标\t人数\t10人"], ["B-PNAME", "O", "B-L1", "B-L3", "B-VAL"])
    (p,) = out.projects
    assert [(f.code, f.line, f.text) for f in p.flags] == [("unplaced_cells", 1, "奇怪单元")]


def test_a_project_set_aside_as_no_table_keeps_its_budgets_as_printed():
    out = decoded(["甲项目\t1,000.00\t名称一", "乙项目\t人数\t10人"],
                  ["B-PNAME", "B-BT", "B-L3", "B-PNAME", "B-L3", "B-VAL"])
    assert [p.name for p in out.projects] == ["乙项目"]
    (flag,) = [f for f in out.flags if f.code == "not_a_table"]
    assert "1,000.00" in flag.text and "名称一" in flag.text


def test_a_budget_cell_that_reads_as_no_amount_and_a_header_at_the_end_are_flagged():
    out = decoded(["甲项目\t约一千\t人数\t10人", "丙项目\t500"],
                  ["B-PNAME", "B-BT", "B-L3", "B-VAL", "B-PNAME", "B-BT"])
    assert [(f.code, f.text) for f in out.flags] == [("header_value_not_kept", "约一千"),
                                                     ("header_without_table", "丙项目 500")]


def test_a_name_followed_by_budget_cells_in_its_row_names_a_project():
    out = decoded(["甲项目\t人数\t10人", "乙项目\t61\t48.8\t次数\t2次"],
                  ["B-PNAME", "B-L3", "B-VAL", "B-L3", "B-BT", "B-BF", "B-L3", "B-VAL"])
    assert [(p.name, p.budget_total, p.budget_fiscal, [i.level3 for i in p.indicators]) for p in out.projects] == [
        ("甲项目", None, None, ["人数"]), ("乙项目", 61.0, 48.8, ["次数"])]


def test_a_value_label_alone_is_furniture():
    from perfkg.extract.row_decoder import is_furniture

    assert is_furniture("文字描述：") and is_furniture("文字描述") and not is_furniture("文字描述：有效")


def test_a_row_of_level_names_the_model_left_unfinished_reads_on_as_name_and_target():
    # a body row whose name the model missed (both levels read as level 1): the table grammar reads on
    out = decoded(["产出指标\t人数\t10人", "产出指标\t成本指标\t河长制经费\t不超过19772元", "效益指标\t收益\t明显"],
                  ["B-L1", "B-L3", "B-VAL", "B-L1", "B-L1", "O", "O", "B-L1", "B-L3", "B-VAL"])
    (p,) = out.projects
    assert [(i.level1, i.level2, i.level3, i.value) for i in p.indicators][1] == (
        "产出指标", "成本指标", "河长制经费", "不超过19772元")
    assert not p.flags
    # 产出指标 成本指标 检查差旅费 470 人/天 2: a number and its unit cell are the target
    out = decoded(["产出指标\t成本指标\t检查差旅费\t470\t人/天\t2"], ["B-L1", "B-L2", "O", "O", "O", "O"])
    (ind,) = out.projects[0].indicators
    assert (ind.level3, ind.value) == ("检查差旅费", "470人/天")
    # and a comparator cell of its own before the number
    out = decoded(["产出指标\t质量指标\t按时发放\t≥\t1\t人/年\t10"], ["B-L1", "B-L2", "O", "O", "O", "O", "O"])
    (ind,) = out.projects[0].indicators
    assert (ind.level3, ind.op, ind.num, ind.unit) == ("按时发放", ">=", 1.0, "人/年")


def test_cells_beside_side_by_side_group_names_are_kept():
    # a row of group names followed by cells that are no name and target: those cells are flagged
    out = decoded(["产出指标\t人数\t10人", "产出指标\t成本指标\t2023年\t说明", "效益指标\t收益\t明显"],
                  ["B-L1", "B-L3", "B-VAL", "B-L1", "B-L1", "O", "O", "B-L1", "B-L3", "B-VAL"])
    (p,) = out.projects
    assert [(f.code, f.line, f.text) for f in p.flags] == [("unplaced_cells", 2, "2023年 说明")]


def test_a_bureau_cell_inside_a_table_is_kept_in_the_table_too():
    out = decoded(["满意度\t≥90%", "教师培训市局", "人数\t10人"], ["B-L3", "B-VAL", "B-BUR", "B-L3", "B-VAL"])
    assert out.bureaus == ["教师培训市局"]
    assert [(f.code, f.text) for f in out.projects[0].flags] == [("unplaced_cells", "教师培训市局")]


def test_a_comparator_beside_a_value_that_is_no_number_is_kept():
    out = decoded(["补助标准\t按规定\t≦\t元/平方米"], ["B-L3", "B-VAL", "B-OP", "B-UNIT"])
    (ind,) = out.projects[0].indicators
    assert ind.value == "按规定" and [(f.code, f.text) for f in ind.flags] == [("cell_not_kept", "≦ 元/平方米")]


def test_a_value_read_inside_a_name_cell_goes_back_to_the_name_when_the_next_cells_hold_the_target():
    # 村组干部230人 | ≥ | 230 | 个: the model cut the number out of the name cell; the next cells are the target
    out = decoded(["数量指标\t村组干部230人\t≥\t230\t个\t10"], ["B-L2", "B-L3", "B-VAL", "O", "O", "O", "O"])
    (ind,) = out.projects[0].indicators
    assert (ind.level3, ind.op, ind.num, ind.unit) == ("村组干部230人", ">=", 230.0, "个")
    # a value that is the cell's own (人数 10人 in one cell, a weight after it) stays the value
    out = decoded(["数量指标\t人数10人\t10"], ["B-L2", "B-L3", "B-VAL", "O"])
    (ind,) = out.projects[0].indicators
    assert (ind.level3, ind.value) == ("人数", "10人")


def test_a_name_left_without_value_takes_the_first_quantity_after_its_description():
    # cells run together: name, description, value; the model read the value as nothing
    out = decoded(["大楼安检巡察次数\t反映大楼保卫巡检情况\t200次\t10", "合格率\t≥95%\t98%"],
                  ["B-L3", "O", "O", "O", "B-L3", "B-VAL", "O"])
    first, second = out.projects[0].indicators
    assert (first.level3, first.value) == ("大楼安检巡察次数", "200次")
    assert second.value == "≥95%"  # a name with its value takes no second one
    # a bound written after the number (90%以上) is a target too
    out = decoded(["学生对学校伙食得满意度\t95%以上\t学生对学校伙食满意程度\t95%以上"], ["B-L3", "O", "B-L3", "B-VAL"])
    assert [i.value for i in out.projects[0].indicators] == ["95%以上", "95%以上"]


def test_a_quantity_read_as_a_name_is_the_value_of_the_name_before_it():
    out = decoded(["当年人才驿站组织活动数量>=28次"], ["O", "B-L3"])
    (ind,) = out.projects[0].indicators
    assert (ind.level3, ind.op, ind.num, ind.unit) == ("当年人才驿站组织活动数量", ">=", 28.0, "次")


def test_quantities_run_together_in_one_value_are_target_then_actual():
    out = decoded(["每年人才驿站服务人次>=500人1700人340%"], ["B-L3", "B-VAL", "I-VAL", "I-VAL"])
    (ind,) = out.projects[0].indicators
    assert (ind.value, ind.actual) == (">=500人", "1700人")
    assert "340%" in " ".join(f.text or "" for f in [*out.projects[0].flags, *ind.flags])  # kept, flagged
    # one quantity printed in pieces stays one value
    out = decoded(["合格率\t≥\t95\t%"], ["B-L3", "B-VAL", "I-VAL", "I-VAL"])
    assert out.projects[0].indicators[0].value == "≥95%"


def test_a_target_written_as_a_sentence_is_the_whole_cell():
    # space-cut self-evaluation: the quantity ends a cell of words the model read as nothing
    out = decoded(["数量指标  指标1:政府办基层医疗卫生机构覆盖率 实施乡镇社区基层医疗机构37个。 本年度已完成 37个"],
                  ["B-L2", "O", "B-L3", "O", "O", "O", "B-ACT"])
    (ind,) = out.projects[0].indicators
    assert (ind.level3, ind.value, ind.op) == ("政府办基层医疗卫生机构覆盖率", "实施乡镇社区基层医疗机构37个。", None)
    # a quantity in the name's own cell (cells run together) is the target alone
    out = decoded(["大楼安检巡察次数200次 10"], ["B-L3", "O", "O"])
    assert out.projects[0].indicators[0].value == "200次"


def test_words_continuing_a_target_in_its_cell_are_the_targets():
    out = decoded(["质量指标  指标1:基层医疗卫生机构补助。 37个基层医疗机构 100%"],
                  ["B-L2", "O", "B-L3", "B-VAL", "B-L3", "B-VAL"])
    (ind,) = out.projects[0].indicators
    assert (ind.level3, ind.value) == ("基层医疗卫生机构补助。", "37个基层医疗机构")
    # run together, a name glued after a value is the next indicator
    out = decoded(["满意度≥90%合格率≥95%"], ["B-L3", "B-VAL", "B-L3", "B-VAL"])
    assert [(i.level3, i.value) for i in out.projects[0].indicators] == [("满意度", "≥90%"), ("合格率", "≥95%")]


SELF_EVALUATION_GRID = [
    [(0, "指标类型"), (1, "指标名称"), (2, "指标性质"), (3, "指标值"), (4, "计量单位"), (5, "指标权重")],
    [(0, "产出类指标"), (1, "社会保险补贴发放准确率"), (2, "≥"), (3, "95"), (4, "%"), (5, "5")],
    [(0, "效益类指标"), (1, "城镇新增就业人数"), (2, "≥"), (3, "39500"), (4, "人"), (5, "5")],
    [(0, "管理类指标"), (1, "资金使用合规性"), (2, "无"), (3, "合规"), (4, "无"), (5, "10")],
    [(1, "绩效目标明确性"), (2, "无"), (3, "明确"), (4, "无"), (5, "6")]]


def test_a_grid_column_is_one_level_and_none_in_a_comparator_column_is_empty():
    tags = (["O"] * 6 + ["B-L1", "B-L3", "B-VAL", "I-VAL", "I-VAL", "B-WT"]
            + ["B-L2", "B-L3", "B-VAL", "I-VAL", "I-VAL", "B-WT"]
            + ["B-L2", "B-L3", "B-VAL", "O", "B-L3", "B-WT"]
            + ["O", "B-L3", "B-VAL", "O", "O", "O"])  # the splitters cut 绩效目标 | 明确性
    (p,) = grid_decoded(SELF_EVALUATION_GRID, tags).projects
    assert [(i.level1, i.level3, i.value) for i in p.indicators] == [
        ("产出类指标", "社会保险补贴发放准确率", "≥95%"), ("效益类指标", "城镇新增就业人数", "≥39500人"),
        ("管理类指标", "资金使用合规性", "合规"), ("管理类指标", "绩效目标明确性", "明确")]


def test_a_framework_level2_in_a_level1_column_stays_a_level2():
    rows = [SELF_EVALUATION_GRID[0], [(0, "数量指标"), (1, "孵化基地数量"), (2, "≥"), (3, "1"), (4, "个"), (5, "15")],
            SELF_EVALUATION_GRID[1]]
    tags = ["O"] * 6 + ["B-L2", "B-L3", "B-VAL", "I-VAL", "I-VAL", "B-WT"] + ["B-L1", "B-L3", "B-VAL", "I-VAL", "I-VAL",
                                                                              "B-WT"]
    (p,) = grid_decoded(rows, tags).projects
    assert [(i.level2, i.level3) for i in p.indicators] == [("数量指标", "孵化基地数量"),
                                                             (None, "社会保险补贴发放准确率")]


def test_a_bracketed_line_under_the_title_names_the_project_and_the_label_names_the_fund():
    lines = ["中央预算内投资计划绩效目标表", "(天津市宝坻区畜禽粪污资源化利用整区推进项目)",
             "专项名称\t农业绿色发展专项", "产出指标\t竣工验收合格率\t100%"]
    tags = ["O", "O", "O", "O", "B-PNAME", "B-L1", "B-L3", "B-VAL"]
    (p,) = decoded(lines, tags).projects
    assert p.name == "天津市宝坻区畜禽粪污资源化利用整区推进项目"
    assert [i.level3 for i in p.indicators] == ["竣工验收合格率"]
    # a year in brackets under the title names nothing
    lines[1] = "(2021年度)"
    (p,) = decoded(lines, tags).projects
    assert p.name == "农业绿色发展专项"


def test_the_annual_goal_is_kept_whole_and_the_other_periods_goal_yields():
    lines = ["项目名称 | 雾炮车降尘抑尘服务 |", "实施期 | 绩效目标 |",
             "通过采购雾炮车服务,服务周期2023.07-2024.01,空气质量优良 |", "本 | 年度绩效目标 |",
             "本年度采购雾炮车服务,服务周期2023.07-2024.01,空气质量优良 |", "产出指标 | 车辆数 | 10辆 |"]
    toks = tokenise_lines(lines)
    pieces = [t.text for t in toks]
    goal_at = [n for n, t in enumerate(pieces) if t.startswith(("通过", "本年度采购"))]
    tags = ["O"] * len(toks)
    tags[1] = "B-PNAME"
    for n in goal_at:
        tags[n] = "B-GOAL"  # the model read the goal's head; the splitters cut the dates out of it
    tags[-3:] = ["B-L1", "B-L3", "B-VAL"]
    (p,) = decode(toks, tags).projects
    assert p.goal == "本年度采购雾炮车服务,服务周期2023.07-2024.01,空气质量优良"
    # a line of glued text running on from the goal into the table keeps the goal as read
    toks = tokenise_lines(["以办公大楼服务对象满意为目标,打造文明型机关。绩效指标一级指标二级指标2023年",
                           "产出指标\t车辆数\t10辆"])
    tags = ["B-GOAL"] + ["O"] * (len(toks) - 4) + ["B-L1", "B-L3", "B-VAL"]
    assert decode(toks, tags).projects[0].goal == "以办公大楼服务对象满意为目标,打造文明型机关。"


def test_indicators_run_together_repeat_the_shape_of_the_one_before():
    # OCR'd cells run together: name, description, target; the model read the last indicator as nothing
    line = ("经常性大型设备更新验收合格率反映大型设备更新验收情况292%"
            "重要设备维修维保验收合格率反映设备设施维保质量情况95%")
    toks = tokenise_lines(["项目名称 甲项目", line])
    assert [t.sep for t in toks[2:]] == ["row", "glue", "glue", "glue", "glue", "glue"], [t.text for t in toks]
    tags = ["O", "B-PNAME", "B-L3", "O", "B-VAL", "O", "O", "O"]
    inds = decode(toks, tags).projects[0].indicators
    assert [(i.level3, i.value) for i in inds] == [("经常性大型设备更新验收合格率", "292%"),
                                                   ("重要设备维修维保验收合格率", "95%")]
    # in a row cut into columns the same pieces are left to the column rules
    toks = tokenise_lines(["项目名称 甲项目", line.replace("情况", "情况\t").replace("%", "%\t")])
    tags = ["O", "B-PNAME"] + ["B-L3", "O", "B-VAL"] + ["O"] * (len(toks) - 5)
    assert len(decode(toks, tags).projects[0].indicators) == 1


def test_a_target_and_actual_printed_alike_after_a_name_are_read_so():
    toks = tokenise_lines(["项目名称 甲项目", "数量指标成本控制不超过预算不超过预算10"])
    assert [t.text for t in toks[2:]] == ["数量指标", "成本控制", "不超过预算", "不超过预算", "10"]
    tags = ["O", "B-PNAME", "B-L2", "O", "O", "O", "O"]
    (ind,) = decode(toks, tags).projects[0].indicators
    assert (ind.level2, ind.level3, ind.value, ind.actual) == ("数量指标", "成本控制", "不超过预算", "不超过预算")


def test_a_bare_level_name_glued_before_a_name_is_the_level():
    # OCR'd self-evaluation run together: 时效 (no 指标) | name 1年 | target | actual | points
    toks = tokenise_lines(["项目名称 甲项目", "数量指标成本控制不超过预算不超过预算10时效1年1年1年10"])
    texts = [t.text for t in toks[2:]]
    assert texts[5:] == ["时效", "1年", "1年", "1年", "10"], texts
    tags = ["O", "B-PNAME", "B-L2", "B-L3", "B-VAL", "B-ACT", "B-PTS", "B-L3", "I-L3", "B-VAL", "B-ACT", "B-PTS"]
    inds = decode(toks, tags).projects[0].indicators
    assert [(i.level2, i.level3, i.value, i.actual) for i in inds] == [
        ("数量指标", "成本控制", "不超过预算", "不超过预算"), ("时效", "1年", "1年", "1年")]
    # read as nothing before a name, a bare level is the level; 成本 among level 2s is a level 2
    toks = tokenise_lines(["项目名称 甲项目", "产出指标质量指标合格率100%100%10成本每年补助1000万元1000万元10"])
    texts = [t.text for t in toks[2:]]
    assert texts[6:] == ["成本", "每年补助", "1000万元", "1000万元", "10"], texts
    tags = ["O", "B-PNAME", "B-L1", "B-L2", "B-L3", "B-VAL", "B-ACT", "B-PTS", "O", "B-L3", "B-VAL", "B-ACT", "B-PTS"]
    inds = decode(toks, tags).projects[0].indicators
    assert [(i.level1, i.level2, i.level3) for i in inds] == [("产出指标", "质量指标", "合格率"),
                                                              ("产出指标", "成本", "每年补助")]
    # a level name in a cell of its own is left to its column
    toks = tokenise_lines(["项目名称 甲项目", "时效\t1年\t1年\t1年\t10"])
    tags = ["O", "B-PNAME", "B-L3", "I-L3", "B-VAL", "B-ACT", "B-PTS"]
    assert decode(toks, tags).projects[0].indicators[0].level2 is None


def test_a_name_restating_its_target_keeps_it_where_three_quantities_follow():
    # name ending in 达到5亿元 | target 5亿元 | actual 6.47亿元 | points: the first quantity is the name's
    toks = tokenise_lines(["项目名称 甲项目", "经济效益指标医疗收入达到5亿元5亿元6.47亿元10"])
    texts = [t.text for t in toks[2:]]
    assert texts == ["经济效益指标", "医疗收入", "达到5亿元", "5亿元", "6.47亿元", "10"], texts
    tags = ["O", "B-PNAME", "B-L2", "B-L3", "B-VAL", "I-VAL", "B-ACT", "B-PTS"]
    (ind,) = decode(toks, tags).projects[0].indicators
    assert (ind.level3, ind.value, ind.actual) == ("医疗收入达到5亿元", "5亿元", "6.47亿元")
    # with only target and actual after the name, the comparator word stays the target's
    toks = tokenise_lines(["项目名称 甲项目", "经济效益指标医疗收入达到5亿元6.47亿元10"])
    tags = ["O", "B-PNAME", "B-L2", "B-L3", "B-VAL", "B-ACT", "B-PTS"]
    (ind,) = decode(toks, tags).projects[0].indicators
    assert (ind.level3, ind.value) == ("医疗收入", "达到5亿元")


def test_a_summary_row_of_code_name_and_amount_names_its_project():
    # one cell a paragraph: the unit's row (read as a bureau), then the project's code | name | amount
    lines = ["单位编码", "单位名称", "年度预算安排", "", "037001", "", "某市公安局", "", "27955180", "",
             "037001", "", "某市机房租赁服务采购项目", "", "1681680", "", "【总体目标】", "",
             "保障机房设备运转,持续发挥作用", "", "【产出指标-数量指标】", "", "指标1:机柜数量(≥77台)", "",
             "【产出指标-成本指标】", "", "指标1:维护成本(<1681680元)"]
    toks = tokenise_lines(lines)
    texts = [t.text for t in toks]
    tags = ["O"] * len(toks)
    tags[texts.index("某市公安局")] = "B-BUR"
    tags[texts.index("保障机房设备运转,持续发挥作用")] = "B-GOAL"
    for text, tag in (("产出指标", "B-L1"), ("数量指标】", "B-L2"), ("机柜数量", "B-L3"), ("(≥77台)", "B-VAL"),
                      ("成本指标】", "B-L2"), ("维护成本", "B-L3"), ("(<1681680元)", "B-VAL")):
        for i, t in enumerate(texts):
            if t == text and tags[i] == "O":
                tags[i] = tag
                break
    assert texts.count("037001") == 2 and "B-L3" in tags, texts
    (p,) = decode(toks, tags).projects
    assert (p.name, p.code, p.goal) == ("某市机房租赁服务采购项目", "037001", "保障机房设备运转,持续发挥作用")
    assert p.budget_total == 168.168  # in yuan: the cost target prints the same amount in 元


def test_summary_project_rows_under_unit_rows_each_name_their_project():
    # unit row (code | unit | amount), category row (name | amount), then each project's code | name | amount;
    # the model read the unit row as a project and the category's amount as a budget
    def block(code, name, amount, indicator):
        return [code, "", name, "", amount, "", "【总体目标】", "", "保障设备运转,持续发挥作用", "",
                "【产出指标-数量指标】", "", f"指标1:{indicator}(≥77台)", ""]
    lines = ["单位编码", "单位名称", "年度预算安排", "", "037001", "", "某市公安局交警支队", "", "3500000", "",
             "其他运转类", "", "2350000", ""] + block("037002", "某市违法处理中心运维服务项目", "2350000", "设备数量") \
        + block("037003", "全市公安信息网络安全保障经费", "560000", "终端数量")
    toks = tokenise_lines(lines)
    texts = [t.text for t in toks]
    tags = ["O"] * len(toks)
    tags[texts.index("某市公安局交警支队")] = "B-PNAME"
    tags[texts.index("3500000")] = "B-BT"
    tags[texts.index("2350000")] = "B-BT"
    for i, t in enumerate(texts):
        tags[i] = {"保障设备运转,持续发挥作用": "B-GOAL", "产出指标": "B-L1", "数量指标】": "B-L2", "设备数量": "B-L3",
                   "终端数量": "B-L3", "(≥77台)": "B-VAL"}.get(t, tags[i])
    out = decode(toks, tags)
    assert [(p.name, p.code, p.budget_total, [i.level3 for i in p.indicators]) for p in out.projects] == [
        ("某市违法处理中心运维服务项目", "037002", 2350000.0, ["设备数量"]),
        ("全市公安信息网络安全保障经费", "037003", 560000.0, ["终端数量"])]
    assert any("某市公安局交警支队" in (f.text or "") for f in out.flags)  # the unit row is kept, flagged


def test_the_goal_labels_text_is_the_goal_not_another_labels():
    lines = ["项目名称\t甲项目", "【项目概况】:该项目为机房租赁服务,共计77个机柜。", "【总体目标】",
             "保障机房设备运转,持续发挥作用", "产出指标\t数量指标\t机柜数量\t≥77台"]
    toks = tokenise_lines(lines)
    texts = [t.text for t in toks]
    overview = next(i for i, t in enumerate(texts) if t.startswith("该项目为"))
    tags = ["O", "B-PNAME"] + ["O"] * (len(toks) - 2)
    tags[overview] = "B-GOAL"
    tags[texts.index("保障机房设备运转,持续发挥作用")] = "B-GOAL"
    tags[-4:] = ["B-L1", "B-L2", "B-L3", "B-VAL"]
    (p,) = decode(toks, tags).projects
    assert p.goal == "保障机房设备运转,持续发挥作用"


def test_the_rest_of_a_name_wrapped_under_a_row_cut_at_single_spaces_joins_the_name():
    lines = ["项目名称 甲项目", "数量指标 异地就医结 15 不少于11302份 10762份 15", "算宣传资料发放",
             "质量指标 达标率 20 98.6% 100.0% 19.5", "扫一扫在手机打开当前页"]
    toks = tokenise_lines(lines)
    assert [t.text for t in toks][8] == "算宣传资料发放", [t.text for t in toks]
    tags = ["O", "B-PNAME", "B-L2", "B-L3", "B-WT", "B-VAL", "B-ACT", "B-PTS", "O",
            "B-L2", "B-L3", "B-WT", "B-VAL", "B-ACT", "B-PTS", "O"]
    inds = decode(toks, tags).projects[0].indicators
    # the page's furniture after the last row is no piece of its name
    assert [i.level3 for i in inds] == ["异地就医结算宣传资料发放", "达标率"]
    # a level's weight wrapped under it, or a line above a row that wraps too (its target on the next
    # line: the line may open that next name), is no rest of the name
    lines2 = ["项目名称 甲项目", "产出指标 宣传资料发放 ≥832份", "(90分)", "体育赛事面积 ＝15004亩",
              "代缴金额 =593元/人", "学前教育一站式", "医疗救助结算人次", "≥1773人次"]
    toks2 = tokenise_lines(lines2)
    tags2 = ["O", "B-PNAME", "B-L1", "B-L3", "B-VAL", "O", "B-L3", "B-VAL", "B-L3", "B-VAL", "O", "B-L3", "B-VAL"]
    assert len(toks2) == len(tags2), [t.text for t in toks2]
    names = [i.level3 for i in decode(toks2, tags2).projects[0].indicators]
    assert names[:3] == ["宣传资料发放", "体育赛事面积", "代缴金额"], names
    # under columns of runs of spaces the offsets tell which cell wrapped: this pass leaves them
    toks = tokenise_lines([line.replace(" ", "  ") for line in lines])
    assert [i.level3 for i in decode(toks, tags).projects[0].indicators][0] == "异地就医结"


def test_a_name_whose_value_is_read_further_on_takes_no_earlier_quantity():
    # 中期指标值 | 年度指标值: the model read the annual value; the midterm one before it is another column's
    out = decoded(["一级指标\t二级指标\t三级指标\t中期指标值\t年度指标值",
                   "产出指标\t数量指标\t举报机构数量\t≥4家\t≥2家"],
                  ["O"] * 5 + ["B-L1", "B-L2", "B-L3", "O", "B-VAL"])
    (ind,) = out.projects[0].indicators
    assert (ind.level3, ind.value) == ("举报机构数量", "≥2家")
    assert not ind.flags  # no second value


def test_summary_rows_whose_levels_are_not_read_are_projects_not_stray_cells():
    # one header over several projects, one per row (code | name | budget | name | value), no level read
    out = decoded(["项目名称  预算数  三级指标  指标值", "甲项目  30  人数  10人", "合格率  95%",
                   "乙项目  5  次数  2次"],
                  ["O"] * 4 + ["B-PNAME", "B-BT", "B-L3", "B-VAL", "B-L3", "B-VAL", "B-PNAME", "B-BT", "B-L3", "B-VAL"])
    assert [(p.name, [i.level3 for i in p.indicators]) for p in out.projects] == [
        ("甲项目", ["人数", "合格率"]), ("乙项目", ["次数"])]
    assert "not_a_table" not in [f.code for f in out.flags]


def test_a_cell_wrapped_in_its_column_of_a_space_aligned_table_is_one_cell():
    # a PDF printed with its layout: long cells go on in their column on the next lines
    lines = ["项目名称    2025年度特困人员",
             "            供养专项资金",
             "一级指标    三级指标          指标值",
             "产出指标    老年人代缴人数    ≥46831人",
             "            参保人住院费用实  ≥52%",
             "            际报销比例",
             "            补助标准符合率    100%"]
    # the model read the rest of the name and the rest of the second name as names of their own
    tags = ["O", "B-PNAME", "I-PNAME", "B-L3", "O", "O", "O",
            "B-L1", "B-L3", "B-VAL", "B-L3", "B-VAL", "B-L3", "B-L3", "B-VAL"]
    out = decoded(lines, tags)
    (p,) = out.projects
    assert p.name == "2025年度特困人员供养专项资金"
    assert [(i.level3, i.value) for i in p.indicators] == [
        ("老年人代缴人数", "≥46831人"), ("参保人住院费用实际报销比例", "≥52%"), ("补助标准符合率", "100%")]


def test_a_merged_row_under_a_full_cell_is_a_row_of_its_own_not_its_continuation():
    lines = ["二级指标    三级指标                  指标值",
             "数量指标    生活垃圾收运宣传资料发放  不少于3396张",
             "            生活垃圾收运覆盖人数      29631名"]
    out = decoded(lines, ["O"] * 3 + ["B-L2", "B-L3", "B-VAL", "B-L3", "B-VAL"])
    assert [(i.level3, i.value) for i in out.projects[0].indicators] == [
        ("生活垃圾收运宣传资料发放", "不少于3396张"), ("生活垃圾收运覆盖人数", "29631名")]


def test_a_label_and_its_value_are_read_after_a_title_but_not_in_a_row_of_column_headers():
    # the title before the label is a label word too (绩效目标申报表): it is on another line
    out = decoded(["绩效目标申报表", "专项名称  殡葬服务采购项目  项目编码  949470752093", "三级指标  指标值",
                   "人数  10人"],
                  ["O", "O", "O", "O", "B-PCODE", "O", "O", "B-L3", "B-VAL"])
    assert out.projects[0].name == "殡葬服务采购项目"
    # a row of column headers (项目名称 年度预算 … 指标值) holds no label's value
    out = decoded(["项目名称 年度预算 三级指标 指标值", "甲项目  30  人数  10人"],
                  ["O"] * 4 + ["B-PNAME", "B-BT", "B-L3", "B-VAL"])
    assert out.projects[0].name == "甲项目"
    # a name that only ends like a label (…资金总额) followed by its weight stays a name
    out = decoded(["一级指标\t三级指标\t权重\t指标值", "成本指标\t市级配套资金总额\t15\t≤758万元"],
                  ["O"] * 4 + ["B-L1", "B-L3", "I-L3", "B-WT", "B-VAL"])
    (ind,) = out.projects[0].indicators
    assert (ind.level3, ind.value, ind.score) == ("市级配套资金总额", "≤758万元", 15.0)


def test_a_level_name_wrapped_in_its_column_joins_its_level_and_an_empty_level_cleans_to_nothing():
    from perfkg.extract.row_decoder import clean_level

    lines = ["一级指标    二级指标      三级指标          指标值",
             "成本指标    经济成本指    “补充医疗保障     ≤6万元",
             "            标            基金”成本",
             "                          离休人员总成本    21.04万元"]
    tags = ["O"] * 4 + ["B-L1", "B-L2", "I-L2", "B-L3", "B-VAL", "B-L2", "B-L3", "B-L3", "B-VAL"]
    inds = decoded(lines, tags).projects[0].indicators
    assert [(i.level2, i.level3, i.value) for i in inds] == [
        ("经济成本指标", "“补充医疗保障基金”成本", "≤6万元"), ("经济成本指标", "离休人员总成本", "21.04万元")]
    assert clean_level("") == "" and clean_level("（必填）") == ""


def test_budget_lines_under_a_row_of_labels_are_no_project_header():
    # a department's income table (项目 | 预算数 | 项目 | 预算数, then 一、财政拨款 | 6,640.20) before the
    # project's own table: its amounts are no label's value
    lines = ["项目\t预算数\t项目\t预算数", "一、财政拨款\t6,640.20\t一、一般公共服务支出\t",
             "项目名称\t\t城乡居民医保配套", "其中:财政拨款:\t3216万元", "产出指标\t参保人数\t≥1万人"]
    toks = tokenise_lines(lines)
    tags = ["O"] * len(toks)
    tags[-3:] = ["B-L1", "B-L3", "B-VAL"]
    (p,) = decode(toks, tags).projects
    assert (p.name, p.budget_fiscal) == ("城乡居民医保配套", 3216.0)


def test_a_pipe_cell_opened_by_a_name_or_level_is_one_name_or_level():
    lines = ["时效指标 | 城市道路以克论净量化考核 | 1次/月 |"]
    toks = tokenise_lines(lines)
    assert [t.text for t in toks] == ["时效指标", "城市道路以克论净量化", "考核", "1次/月"]
    (ind,) = decode(toks, ["B-L2", "B-L3", "O", "B-VAL"]).projects[0].indicators
    assert (ind.level2, ind.level3, ind.value) == ("时效指标", "城市道路以克论净量化考核", "1次/月")


def test_twin_groups_are_read_as_the_annual_group_the_midterm_cells_as_nothing():
    lines = ["\t\t中长期指标\t\t年度指标", "一级指标\t二级指标\t三级指标\t指标值\t三级指标\t指标值",
             "产出指标\t数量指标\t累计补助人数\t144人\t补助人数\t72人", "\t\t参保率\t100%\t参保率\t100%",
             "项目名称\t乙项目", "一级指标\t三级指标\t指标值", "产出指标\t次数\t2次"]
    tags = ["O", "O"] + ["O"] * 6 + ["B-L1", "B-L2", "B-L3", "B-VAL", "B-L3", "B-VAL", "B-L3", "B-VAL", "B-L3",
                                     "B-VAL"] + ["O", "B-PNAME"] + ["O"] * 3 + ["B-L1", "B-L3", "B-VAL"]
    first, second = decoded(lines, tags).projects
    assert [(i.level1, i.level2, i.level3, i.value) for i in first.indicators] == [
        ("产出指标", "数量指标", "补助人数", "72人"), ("产出指标", "数量指标", "参保率", "100%")]
    assert "累计补助人数" in " ".join(f.text or "" for f in first.flags)  # kept, not lost
    assert [(i.level3, i.value) for i in second.indicators] == [("次数", "2次")]  # the next table is its own


def test_space_aligned_twin_groups_pair_their_cells_by_order_not_by_offset():
    # the groups' columns are of other widths (name at 24 and 48, target at 38 and 66): a cell under the
    # annual group the model read as nothing is read as its midterm twin, the k-th cell as the k-th
    lines = ["                        中长期指标              年度指标",
             "一级指标    二级指标    三级指标      指标值    三级指标                指标值",
             "产出指标    数量指标    累计补助人数  144人     补助人数                72人"]
    toks = tokenise_lines(lines)
    assert [t.offset for t in toks if t.row == 2][2:] == [24, 38, 48, 72]
    out = decode(toks, ["O"] * 8 + ["B-L1", "B-L2", "B-L3", "B-VAL", "O", "O"])
    assert [(i.level3, i.value) for i in out.projects[0].indicators] == [("补助人数", "72人")]


def test_comparator_unit_and_number_columns_are_read_by_their_column_header():
    lines = ["一级指标\t二级指标\t三级指标\t符号\t度量单位\t目标值", "产出指标\t质量指标\t完成率\t大于等于\t%\t94",
             "\t\t服务质量\t\t\t达标"]
    out = decoded(lines, ["O"] * 6 + ["B-L1", "B-L2", "B-L3", "O", "B-UNIT", "O", "B-L3", "O"])
    first, second = out.projects[0].indicators
    assert (first.level3, first.op, first.num, first.unit) == ("完成率", ">=", 94.0, "%")
    assert (second.level3, second.value) == ("服务质量", "达标")


def test_twin_groups_printed_one_cell_per_line_keep_the_annual_indicator_of_each_pair():
    lines = ["中长期指标", "年度指标", "一级指标", "三级指标", "指标值", "三级指标", "指标值",
             "产出指标", "累计补助人数", "144人", "补助人数", "72人", "参保率", "100%", "参保率", "98%"]
    tags = ["O"] * 7 + ["B-L1", "B-L3", "B-VAL", "B-L3", "B-VAL", "B-L3", "B-VAL", "B-L3", "B-VAL"]
    (p,) = decoded(lines, tags).projects
    assert [(i.level3, i.value) for i in p.indicators] == [("补助人数", "72人"), ("参保率", "98%")]
    assert "累计补助人数 144人" in [f.text for f in p.flags]
    # the same columns aligned by spaces (a PDF printed with its layout): cells by display offset
    lines = ["三级指标    符号      度量单位  目标值", "完成率      大于等于  %         94"]
    (ind,) = decoded(lines, ["O"] * 4 + ["B-L3", "O", "B-UNIT", "O"]).projects[0].indicators
    assert (ind.level3, ind.op, ind.num, ind.unit) == ("完成率", ">=", 94.0, "%")
    # the model read the midterm group's cells and not the annual ones: those are read as the midterm ones were
    lines = ["\t\t中长期指标\t\t年度指标", "一级指标\t二级指标\t三级指标\t指标值\t三级指标\t指标值",
             "产出指标\t数量指标\t累计补助人数\t144人\t补助人数\t72人"]
    out = decoded(lines, ["O"] * 8 + ["B-L1", "B-L2", "B-L3", "B-VAL", "O", "O"])
    assert [(i.level3, i.value) for i in out.projects[0].indicators] == [("补助人数", "72人")]


def test_a_target_printed_as_its_parts_one_cell_per_line_after_its_name_is_one_value():
    lines = ["新增点位", "所", "大于等于", "195", "覆盖率", "百分比", "＝", "100", "人数", "10", "自评得分"]
    tags = ["B-L3", "B-UNIT", "O", "O", "B-L3", "O", "O", "O", "B-L3", "O", "O"]
    inds = decoded(lines, tags).projects[0].indicators
    assert [(i.level3, i.op, i.num, i.unit) for i in inds[:2]] == [("新增点位", ">=", 195.0, "所"),
                                                                   ("覆盖率", "=", 100.0, "%")]
    assert inds[2].value is None  # a bare number alone after a name may be a weight: not taken


def test_yuan_is_the_money_unit_after_a_budget_label_not_after_an_indicator_name():
    from perfkg.extract.row_decoder import money_unit

    assert money_unit(tokenise_lines(["项目资金（元）\t年度资金总额\t6370000"])) == 1e-4
    assert money_unit(tokenise_lines(["预算数（元）\t一级指标"])) == 1e-4
    assert money_unit(tokenise_lines(["金额单位：元"])) == 1e-4
    assert money_unit(tokenise_lines(["项目名称\t年度预算", "市级财政补助标准(元)\t≥778元/人"])) == 1.0



def test_a_self_evaluation_goal_is_its_expected_cells_not_their_completion_or_weight():
    from perfkg.extract.row_decoder import expected_goals

    lines = ["预期目标", "目标实际完成情况", "20", "目标1:开展排查整治。", "已完成排查整治。", "目标2:加强培训。",
             "已完成培训。", "年度绩效指标完成情况"]
    toks = tokenise_lines(lines)
    tags = ["O"] * len(toks)
    got = expected_goals(toks, tags)
    goal = [(t.text, g) for t, g in zip(toks, got) if g.endswith("GOAL")]
    assert goal == [("目标", "B-GOAL"), ("1:开展排查整治。", "I-GOAL"), ("目标", "I-GOAL"), ("2:加强培训。", "I-GOAL")]
    assert got[[t.text for t in toks].index("20")] == "O"
    # one row a pair (a pipe table): the first of each row
    toks = tokenise_lines(["年度总体目标 | 预期目标 | 实际完成情况", "| 完成整治 | 已完成整治 |",
                           "| 加强培训 | 已培训 |"])
    got = expected_goals(toks, ["O"] * len(toks))
    assert [t.text for t, g in zip(toks, got) if g.endswith("GOAL")] == ["完成整治", "加强培训"]
    # an odd number of cells one a line cannot be paired: the tags stay as they were
    toks = tokenise_lines(lines[:6] + lines[-1:])
    assert expected_goals(toks, ["O"] * len(toks)) == ["O"] * len(toks)


def test_a_level_of_the_tables_own_over_the_framework_levels_is_level1_and_they_level2():
    from perfkg.extract.row_decoder import umbrella_levels

    lines = ["一级指标", "二级指标", "三级指标", "指标值", "实施效果指标", "产出指标", "竣工验收合格率", "100%",
             "效益指标", "综合利用率", "≥90%"]
    tags = ["O"] * 5 + ["B-L1", "B-L3", "B-VAL", "B-L1", "B-L3", "B-VAL"]
    toks = tokenise_lines(lines)
    got = umbrella_levels(toks, tags)
    assert got[4] == "B-L1" and got[5:] == tags[5:]
    (p,) = decode(toks, got).projects
    assert [(i.level1, i.level2, i.level3) for i in p.indicators] == [
        ("实施效果指标", "产出指标", "竣工验收合格率"), ("实施效果指标", "效益指标", "综合利用率")]
    # not under a column header: a stray line ending in 指标 stays what the model read
    assert umbrella_levels(tokenise_lines(lines[4:]), tags[4:]) == tags[4:]


def test_two_unread_cells_before_a_name_and_its_target_are_an_indicator_of_that_shape():
    from perfkg.extract.row_decoder import names_between_levels

    toks = tokenise_lines(["产出指标", "建设项目个数(含续建)", "1", "竣工验收合格率", "100%"])
    tags = ["B-L1"] + ["O"] * (len(toks) - 3) + ["B-L3", "B-VAL"]
    got = names_between_levels(toks, tags)
    assert [(t.text, g) for t, g in zip(toks, got)][1:3] == [("建设项目个数", "B-L3"), ("(含续建)", "I-L3")]
    assert got[-3] == "B-VAL"
    # the second cell no target: nothing is read into them
    toks = tokenise_lines(["产出指标", "建设项目个数", "说明文字", "竣工验收合格率", "100%"])
    tags = ["B-L1", "O", "O", "B-L3", "B-VAL"]
    assert names_between_levels(toks, tags) == tags


def test_a_level1_printed_on_a_middle_row_of_its_merged_cell_names_the_rows_above_it():
    # an xlsx / PDF merged cell prints its text on the middle row: the first row has only its level 2
    out = decoded(["数量指标\t孵化基地数量\t≥1个", "产出类指标\t补贴发放准确率\t≥95%", "\t见习补贴发放及时率\t≥95%",
                   "效益类指标\t新增就业人数\t≥39500人"],
                  ["B-L2", "B-L3", "B-VAL", "B-L1", "B-L3", "B-VAL", "B-L3", "B-VAL", "B-L1", "B-L3", "B-VAL"])
    (p,) = out.projects
    assert [(i.level1, i.level2) for i in p.indicators] == [
        ("产出类指标", "数量指标"), ("产出类指标", None), ("产出类指标", None), ("效益类指标", None)]
    # a printed level 1 of another framework level is the next block's: the rows above keep the framework's
    out = decoded(["数量指标\t孵化基地数量\t≥1个", "效益类指标\t新增就业人数\t≥39500人"],
                  ["B-L2", "B-L3", "B-VAL", "B-L1", "B-L3", "B-VAL"])
    assert [i.level1 for i in out.projects[0].indicators] == ["产出指标", "效益类指标"]


def test_a_row_printing_a_framework_level1_and_its_level2_reads_on_as_name_and_target():
    from perfkg.extract.row_decoder import level_rows_read

    toks = tokenise_lines(["产出指标 | 成本指标 | 培训费 | 320 | 人/天 | 3"])
    got = level_rows_read(toks, ["O"] * len(toks))
    assert [g for g in got][:4] == ["B-L1", "B-L2", "B-L3", "B-VAL"]
    # two level names that are no framework pair say nothing about the row
    toks = tokenise_lines(["效益指标 | 成本指标 | 培训费 | 320 | 人/天 | 3"])
    assert level_rows_read(toks, ["O"] * len(toks)) == ["O"] * len(toks)


def test_a_read_target_under_an_indicator_row_takes_the_cell_before_it_as_its_name():
    from perfkg.extract.row_decoder import names_of_lone_values

    toks = tokenise_lines(["| 清扫保洁道路条数 | 485条 |", "| 生活垃圾运输车辆 | 283辆 |"])
    got = names_of_lone_values(toks, ["B-L3", "B-VAL", "O", "B-VAL"])
    assert got == ["B-L3", "B-VAL", "B-L3", "B-VAL"]
    # under a project header's row (no indicator name above), a label | amount row is left alone
    assert names_of_lone_values(toks, ["O", "B-VAL", "O", "B-VAL"]) == ["O", "B-VAL", "O", "B-VAL"]


def test_a_quantity_in_the_next_cell_closes_a_name_and_is_its_target():
    from perfkg.extract.row_decoder import quantities_closing_names

    toks = tokenise_lines(["| 三级指标 | 年度指标值 | 全年实际值 |", "| 其中露天蔬菜 | 20亩 | 18亩 |"])
    got = quantities_closing_names(toks, ["O", "O", "O", "B-L3", "I-L3", "B-VAL"])
    assert got[3:] == ["B-L3", "B-VAL", "B-ACT"]
    # in one cell (a name and its unit in brackets) the model's reading stands
    toks = tokenise_lines(["| 其中露天蔬菜 20亩 | 18亩 |"])
    tags = ["B-L3", "I-L3", "B-VAL"] if len(toks) == 3 else ["B-L3", "B-VAL"]
    assert quantities_closing_names(toks, tags) == tags


def test_a_goal_read_under_the_overview_yields_to_the_goal_labels_text():
    from perfkg.extract.row_decoder import goals_of_goal_labels

    toks = tokenise_lines(["【项目概况】:该项目为机房租赁服务,租赁周期为36个月。", "【总体目标】",
                           "保障机房内所有设备设施运转"])
    texts = [t.text for t in toks]
    assert texts[0] == "项目概况】:"  # the bracket closes the label; the colon after a label is the label's
    tags = ["O"] + ["B-GOAL"] + ["I-GOAL"] * (len(toks) - 4) + ["O", "O"]
    got = goals_of_goal_labels(toks, tags)
    assert [t.text for t, g in zip(toks, got) if g.endswith("GOAL")] == ["保障机房内所有设备设施运转"]
    # no goal label after it: the overview stays the goal read
    toks = tokenise_lines(["【项目概况】:该项目为机房租赁服务。"])
    tags = ["O", "B-GOAL"]
    assert goals_of_goal_labels(toks, tags) == tags


def test_a_unit_in_the_cell_after_a_bare_number_joins_it_but_another_word_does_not():
    from perfkg.extract.row_decoder import units_after_numbers

    toks = tokenise_lines(["检查差旅费 | 470 | 人/天 | 2", "培训费 | 320 | 定量 | 场"])
    got = units_after_numbers(toks, ["B-L3", "B-VAL", "O", "O", "B-L3", "B-VAL", "O", "O"])
    assert got == ["B-L3", "B-VAL", "I-VAL", "O", "B-L3", "B-VAL", "O", "O"]


def test_a_goal_stops_at_a_row_printing_a_label_and_a_wrapped_label_names_its_value():
    from perfkg.extract.row_decoder import goals_end_at_labels, labelled_fields

    toks = tokenise_lines(["年度绩效目标 | 全市空气质量达到优良 |", "本年度 | 绩效指标 |"])
    tags = ["O", "B-GOAL", "I-GOAL", "O"]
    assert goals_end_at_labels(toks, tags) == ["O", "B-GOAL", "O", "O"]
    toks = tokenise_lines(["年度绩效目标 | 全市空气质量达到优良, |", "| 持续改善 |"])  # prose goes on
    assert goals_end_at_labels(toks, tags[:3]) == tags[:3]
    # a label printed over two lines of its own (年度 / 目标) is one label
    toks = tokenise_lines(["年度", "目标", "聚焦残疾人康复需求,强化基本康复保障"])
    assert labelled_fields(toks, ["O", "O", "O"])[2] == "B-GOAL"
    toks = tokenise_lines(["年度", "计划", "聚焦残疾人康复需求,强化基本康复保障"])
    assert labelled_fields(toks, ["O", "O", "O"]) == ["O", "O", "O"]


def test_a_label_cut_at_a_space_on_a_row_of_its_own_names_the_value_under_it():
    from perfkg.extract.row_decoder import labelled_fields

    toks = tokenise_lines(["年度本级 预算金额 |", "250万 |"])
    assert [t.text for t in toks] == ["年度本级", "预算金额", "250", "万"]
    assert labelled_fields(toks, ["O"] * 4) == ["O", "O", "B-BT", "I-BT"]
    # two labels of a row over two cells: not one label's value
    toks = tokenise_lines(["年度本级 预算金额 |", "250万 300万 |"])
    assert set(labelled_fields(toks, ["O"] * len(toks))) == {"O"}


def test_a_name_on_the_line_under_its_label_is_the_project_name_and_beats_the_title():
    from perfkg.extract.row_decoder import labelled_fields

    # a project-expenditure template (项目支出绩效目标申报表) labels the name 项目支出名称
    lines = ["某市环境卫生管理处2023年雾炮车服务项目支出绩效目标申报表", "项目支出名称", "雾炮车服务",
             "一级指标\t二级指标\t三级指标\t指标值", "产出指标\t数量指标\t车辆数\t≥5辆"]
    toks = tokenise_lines(lines)
    at = next(k for k, t in enumerate(toks) if t.text == "雾炮车服务" and t.row == 2)
    assert labelled_fields(toks, ["O"] * len(toks))[at] == "B-PNAME"
    tags = labelled_fields(toks, ["O"] * len(toks))
    tags[-4:] = ["B-L1", "B-L2", "B-L3", "B-VAL"]
    (p,) = decode(toks, tags).projects
    assert p.name == "雾炮车服务"


def test_one_unread_cell_between_a_level1_and_a_name_is_the_level2_where_the_header_has_that_column():
    from perfkg.extract.row_decoder import level2_between

    lines = ["一级指标\t二级指标\t三级指标\t指标值", "满意度指标\t服务对象\t群众满意度\t≥75%"]
    toks = tokenise_lines(lines)
    tags = ["O"] * 4 + ["B-L1", "O", "B-L3", "B-VAL"]
    assert level2_between(toks, tags)[5] == "B-L2"
    (p,) = decode(toks, level2_between(toks, tags)).projects
    assert p.indicators[0].level2 == "服务对象"
    # no level-2 column in the header: the cell is left as the model read it
    toks = tokenise_lines(["一级指标\t三级指标\t指标值", lines[1]])
    tags = ["O"] * 3 + ["B-L1", "O", "B-L3", "B-VAL"]
    assert level2_between(toks, tags) == tags


def test_a_framework_level_name_wrapped_onto_lines_of_its_own_is_that_level():
    from perfkg.extract.row_decoder import wrapped_level_names

    toks = tokenise_lines(["效益指标", "社会效益", "指", "标", "维护基金安全运行", "有效"])
    tags = ["B-L1", "O", "O", "O", "B-L3", "B-VAL"]
    assert wrapped_level_names(toks, tags) == ["B-L1", "B-L2", "I-L2", "I-L2", "B-L3", "B-VAL"]
    # pieces that spell no level name, or a level name no indicator follows, stay as read
    toks = tokenise_lines(["效益指标", "社会效益", "说明", "维护基金安全运行", "有效"])
    assert wrapped_level_names(toks, ["B-L1", "O", "O", "B-L3", "B-VAL"]) == ["B-L1", "O", "O", "B-L3", "B-VAL"]
    toks = tokenise_lines(["社会效益", "指标", "有效"])
    assert wrapped_level_names(toks, ["O", "O", "B-VAL"]) == ["O", "O", "B-VAL"]


def test_without_a_level1_column_each_level2_names_its_own_framework_parent():
    out = decoded(["数量指标\t补贴完成数量\t≥104套", "经济成本指标\t质量安全支出\t≤4万元",
                   "生态效益指标\t促进作用\t明显提升"],
                  ["B-L2", "B-L3", "B-VAL", "B-L2", "B-L3", "B-VAL", "B-L2", "B-L3", "B-VAL"])
    assert [i.level1 for i in out.projects[0].indicators] == ["产出指标", "成本指标", "效益指标"]
    # a printed level 1 holds for the level 2s under it (older tables print 成本指标 under 产出指标)
    out = decoded(["产出指标\t数量指标\t补贴完成数量\t≥104套", "\t成本指标\t质量安全支出\t≤4万元"],
                  ["B-L1", "B-L2", "B-L3", "B-VAL", "B-L2", "B-L3", "B-VAL"])
    assert [i.level1 for i in out.projects[0].indicators] == ["产出指标", "产出指标"]


def test_the_rest_of_a_name_inside_a_cell_read_as_nothing_continues_no_name():
    from perfkg.extract.row_decoder import continuations_inside_cells

    toks = tokenise_lines(["管理制度健全性\t健全", "说明\t请在此处逐一针对完成度较差绩效指标简要说明原因"])
    texts = [t.text for t in toks]
    tags = ["I-L3" if t.startswith("简要说明") else "O" for t in texts]
    tags[:2] = ["B-L3", "B-VAL"]
    got = continuations_inside_cells(toks, tags)
    assert got[:2] == ["B-L3", "B-VAL"] and set(got[2:]) == {"O"}
    # a name opened inside the cell after a marker keeps its rest
    toks = tokenise_lines(["经济成本指标\t指标2：公益性岗 位支出\t≤1万元"])
    assert [t.text for t in toks] == ["经济成本指标", "指标2：", "公益性岗", "位支出", "≤1万元"]
    tags = ["B-L2", "O", "B-L3", "I-L3", "B-VAL"]
    assert continuations_inside_cells(toks, tags) == tags


def test_a_name_read_after_its_label_holds_and_a_line_of_one_cell_is_a_name_whole():
    from perfkg.extract.row_decoder import names_after_name_labels, names_whole_lines

    toks = tokenise_lines(["项目名称东津院区建设补助主管部门襄阳市卫生健康委项目类型1、常年性项目口2、延续性项目"])
    texts = [t.text for t in toks]
    tags = ["B-PNAME" if t in ("东津院区建设补助", "延续性项目") else "O" for t in texts]
    got = names_after_name_labels(toks, tags)
    assert [t for t, g in zip(texts, got) if g == "B-PNAME"] == ["东津院区建设补助"]
    # one cell per line: the pieces before the name the model found are its beginning
    toks = tokenise_lines(["037001", "黄山市雪亮工程市本级机房租赁2024至2027服务采购项目", "1681680"])
    tags = ["O"] + ["O", "B-PNAME", "I-PNAME"][:len(toks) - 2] + ["B-BT"]
    got = names_whole_lines(toks, tags)
    assert [t.text for t, g in zip(toks, got) if g.endswith("PNAME")] == [t.text for t in toks[1:-1]]
    assert got[1] == "B-PNAME" and got[-1] == "B-BT"


def test_a_level2_only_name_read_as_level1_is_a_level2_beside_another_framework_level():
    from perfkg.extract.row_decoder import level2_names_read_as_level1

    header = ["一级指标 | 二级指标 | 三级指标 | 指标值"]
    toks = tokenise_lines(header + ["| 可持续影响指标 |", "| 社会公众或服务对象满意度指标 | 市民满意度 | ≥90% |"])
    tags = ["O"] * 4 + ["B-L1", "B-L2", "B-L3", "B-VAL"]
    assert level2_names_read_as_level1(toks, tags)[4] == "B-L2"
    # over a level 2 of its own framework level it is the template's level 1
    toks = tokenise_lines(header + ["| 社会公众或服务对象满意度指标 | 服务对象满意度 | 市民满意度 | ≥90% |"])
    tags = ["O"] * 4 + ["B-L1", "B-L2", "B-L3", "B-VAL"]
    assert level2_names_read_as_level1(toks, tags) == tags
    # with no level-2 column, the level-1 column holds it
    toks = tokenise_lines(["一级指标 | 三级指标 | 指标值", "| 可持续影响指标 | 长效机制 | 完善 |"])
    tags = ["O"] * 3 + ["B-L1", "B-L3", "B-VAL"]
    assert level2_names_read_as_level1(toks, tags) == tags


def test_a_row_printing_only_framework_level_names_is_a_row_of_levels():
    from perfkg.extract.row_decoder import level_only_rows

    toks = tokenise_lines(["| 成本指标 | 经济成本指标 | 人均成本 | ≤70元 |", "| 效益指标 | 经济效益指标 |",
                           "| 社会效益指标 | 提高全民参保覆盖面 | 按时办结 |"])
    tags = ["B-L1", "B-L2", "B-L3", "B-VAL", "O", "O", "B-L2", "B-L3", "B-VAL"]
    got = level_only_rows(toks, tags)
    assert got[4:6] == ["B-L1", "B-L2"]
    assert decode(toks, got).projects[0].indicators[1].level1 == "效益指标"
    # before any indicator (a title, a header) nothing is read as levels
    assert level_only_rows(toks[4:6], ["O", "O"]) == ["O", "O"]


def test_a_level2_of_another_framework_level_under_a_printed_level1_waits_for_the_next_level():
    # seed 001: 时效指标 in a shifted row under 成本指标, the merged 产出指标 printed on the row below
    tags = ["B-L1", "B-L2", "B-L3", "B-VAL", "B-L2", "B-L3", "B-VAL", "B-L1", "B-L2", "B-L3", "B-VAL"]
    out = decoded(["成本指标\t经济成本指标\t配套资金保障率\t≥100%", "\t\t时效指标\t即时结算率\t100%",
                   "产出指标\t数量指标\t参保人数\t≥380万人"], tags)
    assert [i.level1 for i in out.projects[0].indicators] == ["成本指标", "产出指标", "产出指标"]
    # dev x01: 质量指标 printed inside the 效益指标 block, which goes on with 生态效益指标
    tags = ["B-L1", "B-L2", "B-L3", "B-VAL", "B-L2", "B-L3", "B-VAL", "B-L2", "B-L3", "B-VAL"]
    out = decoded(["效益指标\t经济效益指标\t就业人数\t1500", "\t质量指标\t养老保险覆盖面\t不低于上年度水平",
                   "\t生态效益指标\t绿化率\t≥30%"], tags)
    assert [i.level1 for i in out.projects[0].indicators] == ["效益指标"] * 3


def test_a_target_printed_in_a_self_evaluation_s_name_stays_in_the_name():
    line = "经济效益医疗收入达到5亿元5亿元6.47亿元成本每年补助1000万元1000万元1000万元10"
    toks = tokenise_lines(["项目名称 甲项目", line])
    assert [t.text for t in toks[2:]] == ["经济效益", "医疗收入", "达到5亿元", "5亿元", "6.47亿元",
                                          "成本", "每年补助", "1000万元", "1000万元", "1000万元", "10"]
    tags = ["O", "B-PNAME", "B-L2", "B-L3", "O", "B-VAL", "B-ACT", "O", "B-L3", "B-VAL", "B-ACT", "I-ACT", "B-WT"]
    inds = decode(toks, tags).projects[0].indicators
    assert [(i.level2, i.level3, i.value, i.actual) for i in inds] == [
        ("经济效益", "医疗收入达到5亿元", "5亿元", "6.47亿元"), ("成本", "每年补助1000万元", "1000万元", "1000万元")]
    # two quantities alike after a bare name are its target and actual result
    toks = tokenise_lines(["项目名称 甲项目", "数量指标完成率100%100%反映完成情况。"])
    tags = ["O", "B-PNAME", "B-L2", "B-L3", "B-VAL", "B-ACT", "B-DESC"]
    (ind,) = decode(toks, tags).projects[0].indicators
    assert (ind.level3, ind.value, ind.actual) == ("完成率", "100%", "100%")


def test_of_twin_value_columns_the_annual_one_is_the_target():
    lines = ["一级指标\t二级指标\t三级指标\t中长期指标值\t年度指标值",
             "产出指标\t成本指标\t供养成本\t6387元\t2129元", "产出指标\t数量指标\t完成数量\t≧1745台\t≧349台"]
    tags = ["O"] * 5 + ["B-L1", "B-L2", "B-L3", "B-VAL", "B-VAL"] + ["B-L1", "B-L2", "B-L3", "B-VAL", "O"]
    inds = decoded(lines, tags).projects[0].indicators
    assert [(i.level3, i.value) for i in inds] == [("供养成本", "2129元"), ("完成数量", "≧349台")]
    # annual first: the same
    lines = ["三级指标\t年度目标值\t实施期目标值", "完成数量\t≧349台\t≧1745台"]
    (ind,) = decoded(lines, ["O"] * 3 + ["B-L3", "B-VAL", "B-VAL"]).projects[0].indicators
    assert ind.value == "≧349台" and not ind.flags


def test_a_name_opening_a_row_before_its_levels_is_a_project_of_a_summary_table():
    lines = ["项目名称 | 资金 | 年度目标 | 一级指标 | 二级指标 | 三级指标 | 指标值",
             "| 公益性岗位专项 | 55 | 做好公益性岗位工作。 | 产出指标 | 数量指标 | 检查户数 | 不少于3297家 |",
             "|  |  |  |  |  | 培训场次 | ＝69期 |"]
    tags = ["O"] * 7 + ["B-L3", "B-VAL", "B-DESC", "B-L1", "B-L2", "B-L3", "B-VAL", "B-L3", "B-VAL"]
    (p,) = decoded(lines, tags).projects
    assert (p.name, p.budget_total, p.goal) == ("公益性岗位专项", 55.0, "做好公益性岗位工作。")
    assert [(i.level1, i.level3, i.value) for i in p.indicators] == [("产出指标", "检查户数", "不少于3297家"),
                                                                     ("产出指标", "培训场次", "＝69期")]
    # a name and a quantity with its unit before a level: no budget, left as the model read them
    tags = ["O"] * 7 + ["B-L3", "B-VAL", "B-DESC", "B-L1", "B-L2", "B-L3", "B-VAL", "B-L3", "B-VAL"]
    lines[1] = lines[1].replace("| 55 |", "| 55人 |")
    assert decoded(lines, tags).projects[0].name != "公益性岗位专项"


def test_a_project_whose_goal_wrapped_over_lines_starts_where_its_first_level1_comes_back():
    # a summary printed without columns: name and budget on a line, the goal's lines, then the levels
    lines = ["项目名称 年度预算 年度目标 一级指标 二级指标 三级指标 指标值", "甲项目 100",
             "完成甲项目年度任务，", "群众满意。", "产出指标 数量指标 人数 10人", "效益指标 社会效益指标 影响 有效",
             "乙项目 50", "完成乙项目年度任务，", "群众满意。", "产出指标 数量指标 次数 2次"]
    tags = (["O"] * 7 + ["B-PNAME", "B-BT", "B-GOAL", "I-GOAL"] + ["B-L1", "B-L2", "B-L3", "B-VAL"] * 2
            + ["B-L3", "B-VAL", "O", "I-VAL", "B-L1", "B-L2", "B-L3", "B-VAL"])
    out = decoded(lines, tags)
    assert [(p.name, p.budget_total, p.goal, len(p.indicators)) for p in out.projects] == [
        ("甲项目", 100.0, "完成甲项目年度任务，群众满意。", 2), ("乙项目", 50.0, "完成乙项目年度任务，群众满意。", 1)]
    # a name and a target before prose lines in one project's table (levels not coming back) stay an indicator
    (p,) = decoded(lines[:9] + ["数量指标 次数 2次"], tags[:23] + ["B-L2", "B-L3", "B-VAL"]).projects
    assert p.name == "甲项目" and [i.level3 for i in p.indicators] == ["人数", "影响", "乙项目", "次数"]


def test_twin_value_columns_printed_one_cell_per_line_keep_the_annual_target():
    lines = ["三级指标", "中期指标值", "年度指标值", "产出指标", "补助人数", "≥300人", "≥100人",
             "参保率", "100%", "98%"]
    tags = ["O"] * 3 + ["B-L1", "B-L3", "B-VAL", "B-VAL", "B-L3", "B-VAL", "B-VAL"]
    (p,) = decoded(lines, tags).projects
    assert [(i.level3, i.value) for i in p.indicators] == [("补助人数", "≥100人"), ("参保率", "98%")]
    # the annual column printed first: its target is the first of the two
    lines[1], lines[2] = lines[2], lines[1]
    (p,) = decoded(lines, tags).projects
    assert [(i.level3, i.value) for i in p.indicators] == [("补助人数", "≥300人"), ("参保率", "100%")]


def test_a_column_header_with_its_money_unit_after_the_name_label_is_no_name():
    # one cell per line: 项目名称 then 预算数（元） are two column headers, not a label and its value
    lines = ["项目名称", "预算数（元）", "年度目标", "一级指标", "三级指标", "指标值",
             "学生资助专项资金", "2,654,000", "做好学生资助工作。", "产出指标", "资助人数", "13人"]
    tags = ["O"] * 7 + ["B-PNAME", "B-BT", "B-GOAL", "B-L1", "B-L3", "B-VAL"]
    (p,) = decoded(lines, tags).projects
    assert (p.name, p.budget_total, [i.level3 for i in p.indicators]) == ("学生资助专项资金", 265.4, ["资助人数"])


def test_bare_numbers_after_a_name_follow_the_headers_order_of_target_and_weight():
    # single spaces, the unit column empty: 2 and 15 are the target and the weight, as the header orders them
    lines = ["一级指标 二级指标 三级指标 指标值 度量单位 权重", "产出指标 数量指标 召开全体会议 2 15",
             "产出指标 成本指标 培训费 320 人/天 3", "产出指标 数量指标 开展专项整治 2"]
    tags = ["O"] * 6 + ["B-L1", "B-L2", "B-L3", "B-WT", "B-PTS"] + ["B-L1", "B-L2", "B-L3", "B-VAL", "B-UNIT", "B-WT"] \
        + ["B-L1", "B-L2", "B-L3", "B-WT"]
    first, second, third = decoded(lines, tags).projects[0].indicators
    assert (first.value, first.score, second.value, second.score) == ("2", 15.0, "320人/天", 3.0)
    assert third.value is None and third.score == 2.0  # one number: the target may be the one lost
    # the header printing the weight first: the model's reading stands
    lines[0] = "一级指标 二级指标 三级指标 权重 指标值 度量单位"
    first = decoded(lines, tags).projects[0].indicators[0]
    assert (first.value, first.score) == (None, 2.0)


def test_a_second_name_after_a_target_in_a_document_of_one_indicator_a_row_is_a_description():
    # single spaces, one indicator a row: the text after the target describes it (指标值内容)
    lines = ["产出指标 数量指标 补助学生数量 168", "质量指标 伙食补助发放率 90%以上",
             "满意度指标 服务对象满意度指标 学生伙食满意度 95%以上 学生对学校伙食满意程度 95%以上"]
    tags = ["B-L1", "B-L2", "B-L3", "B-VAL", "B-L2", "B-L3", "B-VAL",
            "B-L1", "B-L2", "B-L3", "B-VAL", "B-L3", "B-VAL"]
    inds = decoded(lines, tags).projects[0].indicators
    assert len(inds) == 3
    last = inds[-1]
    assert (last.level3, last.value, last.description) == ("学生伙食满意度", "95%以上", "学生对学校伙食满意程度")
    # a row cut into columns is read by them
    assert len(decoded([line.replace(" ", "\t") for line in lines], tags).projects[0].indicators) == 4
    # most rows holding two names (groups side by side): the second is an indicator
    lines[:2] = ["产出指标 数量指标 补助学生数量 168 补助天数 200天", "质量指标 伙食补助发放率 90%以上 资金到位率 100%"]
    tags = ["B-L1", "B-L2", "B-L3", "B-VAL", "B-L3", "B-VAL", "B-L2", "B-L3", "B-VAL", "B-L3", "B-VAL"] + tags[7:]
    assert len(decoded(lines, tags).projects[0].indicators) == 6


def test_a_name_read_in_the_middle_of_a_sentence_is_part_of_the_sentence():
    # a long cell a converter printed with single spaces: the pieces the model read as a name are no project
    lines = ["甲项目", "项目立项的依据  关于将 经费等项目专项资金列入 2024年 部门专项预算的请示》（编号）的批示",
             "一级指标  二级指标  三级指标  指标值", "产出指标  数量指标  人数  10人"]
    toks = tokenise_lines(lines)
    tags = ["O"] * len(toks)
    at = {t.text: k for k, t in enumerate(toks)}
    tags[at["甲项目"]], tags[at["2024年"]] = "B-PNAME", "B-PNAME"
    tags[-4:] = ["B-L1", "B-L2", "B-L3", "B-VAL"]
    assert [(p.name, len(p.indicators)) for p in decode(toks, tags).projects] == [("甲项目", 1)]


def test_a_cell_printed_twice_after_a_name_under_an_actual_column_is_target_and_result():
    # a self-evaluation cut into cells: the model read neither the name nor the target of the second row
    lines = ["三级指标 | 年度指标值 | 全年实际值 | 得分", "补助种植面积 | 29.5亩 | 29.5亩 | 20",
             "其中桃树种植面积 | 1.5亩 | 1.5亩 |"]
    toks = tokenise_lines(lines)
    tags = ["O"] * 4 + ["B-L3", "B-VAL", "B-ACT", "B-PTS"] + ["O", "O", "B-VAL"]
    assert len(toks) == len(tags), [t.text for t in toks]
    inds = decode(toks, tags).projects[0].indicators
    assert [(i.level3, i.value, i.actual) for i in inds] == [("补助种植面积", "29.5亩", "29.5亩"),
                                                             ("其中桃树种植面积", "1.5亩", "1.5亩")]
    # without a column of actual results the repeat is not read as one
    toks = tokenise_lines(["三级指标 | 年度指标值 | 中期指标值 | 得分", *lines[1:]])
    assert len(decode(toks, tags).projects[0].indicators) == 1


def test_an_outline_heading_names_both_levels():
    # 【产出指标-履职目标实现】 cut at its dash: the piece after the level 1 is the level 2, without dash and bracket
    lines = ["【产出指标-履职目标实现】", "指标1:公共文化服务目标完成率(良好)"]
    toks = tokenise_lines(lines)
    tags = ["B-L1", "O", "O", "B-L3", "B-VAL"]
    assert len(toks) == len(tags), [t.text for t in toks]
    (ind,) = decoded(lines, tags).projects[0].indicators
    assert (ind.level1, ind.level2, ind.level3) == ("产出指标", "履职目标实现", "公共文化服务目标完成率")


def test_a_framework_level_read_as_level2_under_the_tables_own_level_makes_that_level_an_umbrella():
    # 实施效果指标 over 产出指标 (read as a level 2), then 效益指标 (read as a level 1): both under the umbrella
    lines = ["实施效果指标", "产出指标", "建设项目个数(含续建)", "1", "效益指标", "综合利用率", "≥90%"]
    toks = tokenise_lines(lines)
    assert [t.text for t in toks][2:4] == ["建设项目个数", "(含续建)"]
    tags = ["B-L1", "B-L2", "B-L3", "B-VAL", "O", "B-L1", "B-L3", "B-VAL"]
    first, second = decode(toks, tags).projects[0].indicators
    # and the bracket after the name, read as its target, ends the name: the target is the next line's 1
    assert (first.level1, first.level2) == ("实施效果指标", "产出指标")
    assert (first.level3, first.value) == ("建设项目个数(含续建)", "1")
    assert (second.level1, second.level2) == ("实施效果指标", "效益指标")
    # a bracket that holds a target (an outline's 名称(≥90%)) stays the target
    toks = tokenise_lines(["产出指标", "综合利用率(≥90%)"])
    (ind,) = decode(toks, ["B-L1", "B-L3", "B-VAL"]).projects[0].indicators
    assert (ind.level3, ind.value) == ("综合利用率", "≥90%")


def test_a_marked_row_read_as_nothing_takes_the_shape_of_the_marked_rows_that_were_read():
    lines = ["数量指标  指标1:机构实施覆盖率 实施基层医疗机构 37个。 本年度已完成",
             " 指标2:村卫生室实施制度 实施补助村卫生室 352个。 本年度已完成"]
    toks = tokenise_lines(lines)
    assert len(toks) == 11, [t.text for t in toks]
    tags = ["B-L2"] + ["O"] * 5 + ["O", "B-L3", "B-VAL", "I-VAL", "O"]
    inds = decode(toks, tags).projects[0].indicators
    assert [(i.level3, i.value) for i in inds] == [("机构实施覆盖率", "实施基层医疗机构37个。"),
                                                   ("村卫生室实施制度", "实施补助村卫生室352个。")]


def test_a_value_type_cell_stands_between_name_and_target_and_a_level2_name_after_level1_is_the_level2():
    lines = ["效益指标 社会效益指标 食品安全整体状况 定性 高中低",
             "效益指标 可持续影响指标 进一步提高工作规范化 定性 高中低"]
    toks = tokenise_lines(lines)
    tags = ["B-L1", "B-L2", "B-L3", "O", "O", "B-L1", "O", "O", "O", "B-VAL"]
    assert len(toks) == len(tags), [t.text for t in toks]
    inds = decode(toks, tags).projects[0].indicators
    assert [(i.level2, i.level3, i.value) for i in inds] == [("社会效益指标", "食品安全整体状况", "高中低"),
                                                             ("可持续影响指标", "进一步提高工作规范化", "高中低")]


def test_a_quantity_right_after_a_name_with_no_target_read_is_the_target_unless_weights_come_first():
    lines = ["一级指标 二级指标 三级指标 指标值 指标值内容", "产出指标 数量指标 补助学生数量 168 反映补助学生人数"]
    tags = ["O"] * 5 + ["B-L1", "B-L2", "B-L3", "O", "O"]
    (ind,) = decoded(lines, tags).projects[0].indicators
    assert (ind.level3, ind.value, ind.num) == ("补助学生数量", "168", 168.0)
    # a header printing the weight before the target: the number after the name is not taken for the target
    lines[0] = "一级指标 二级指标 三级指标 权重 指标值"
    (ind,) = decoded(lines, tags).projects[0].indicators
    assert ind.value is None


def test_twin_groups_named_a_single_space_apart_are_read_by_order():
    # text joined by single spaces prints no columns: the group opened by a row's second name is the
    # second group (here the midterm one), whatever the display offsets
    lines = ["年度指标 中长期指标", "一级指标 二级指标 三级指标 指标值 三级指标 指标值",
             "产出目标 数量指标 补助人次 不低于24344人次 累计补助人次 不低于121720人次",
             "质量指标 健康教育质量 达到标准 累计健康教育质量 达到标准"]
    tags = ["O"] * 8 + ["B-L1", "B-L2", "B-L3", "B-VAL", "B-L3", "B-VAL", "B-L2", "B-L3", "B-VAL", "B-L3", "B-VAL"]
    (p,) = decoded(lines, tags).projects
    assert [(i.level2, i.level3, i.value) for i in p.indicators] == [
        ("数量指标", "补助人次", "不低于24344人次"), ("质量指标", "健康教育质量", "达到标准")]
    lines[0] = "中长期指标 年度指标"  # the midterm group first: the first name's group goes
    (p,) = decoded(lines, tags).projects
    assert [(i.level3, i.value) for i in p.indicators] == [("累计补助人次", "不低于121720人次"),
                                                           ("累计健康教育质量", "达到标准")]


def test_a_budget_label_under_a_row_of_execution_headers_takes_its_amount():
    # a self-evaluation's funds block (全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 over 年度资金总额: | 9.48 …):
    # the headers label no project field, so the amount after the row's label is the label's
    lines = ["资金情况 (万元) |", "全年预算数(A) | 全年执行数(B) | 分值 | 执行率(B/A) | 得分 |",
             "年度资金总额: | 9.48 | 9.48 | 10 | 100% | 10 |", "产出指标 | 数量指标 | 补贴户数 | 39户 |"]
    toks = tokenise_lines(lines)
    tags = ["O"] * (len(toks) - 4) + ["B-L1", "B-L2", "B-L3", "B-VAL"]
    (p,) = decode(toks, tags).projects
    assert p.budget_total == 9.48


def test_a_row_of_amounts_under_budget_column_headers_is_read_by_column():
    # 全年预算数（A） | 全年执行数（B） over 7574 | 6643: columns counted from the right (the row label has no amount)
    lines = ["项目预算执行情况（万元）\t全年预算数（A）\t全年执行数（B）", "7574\t6643", "产出指标\t新增人数\t≥1个"]
    toks = tokenise_lines(lines)
    tags = ["O"] * (len(toks) - 3) + ["B-L1", "B-L3", "B-VAL"]
    (p,) = decode(toks, tags).projects
    assert (p.budget_total, p.budget_fiscal) == (7574.0, None)
    # a header spanning sub-columns (财政资金 over 中央 | 省级 | 市级资金 | 本级): their one amount that is not zero
    lines = ["| 专项资金情况 | 本年度预计投入(万元) | 财政资金(万元) | 其他 |", "| 中央 | 省级 | 市级资金 | 本级 |",
             "| 7 | 0 | 7 | 0 | 0 | 0 |", "| 产出指标 | 补助人数 | ≥10人 |"]
    toks = tokenise_lines(lines)
    tags = ["O"] * (len(toks) - 3) + ["B-L1", "B-L3", "B-VAL"]
    (p,) = decode(toks, tags).projects
    assert (p.budget_total, p.budget_fiscal, p.budget_other) == (7.0, 7.0, 0.0)
    lines[2] = "| 7 | 2 | 5 | 0 | 0 | 0 |"  # two parts: their sum is not printed, so not read
    toks = tokenise_lines(lines)
    (p,) = decode(toks, tags).projects
    assert (p.budget_total, p.budget_fiscal, p.budget_other) == (7.0, None, 0.0)
    # a column of no known header: the row is not a budget row
    lines = ["项目\t金额\t数量", "7574\t6643", "产出指标\t新增人数\t≥1个"]
    toks = tokenise_lines(lines)
    (p,) = decode(toks, ["O"] * (len(toks) - 3) + ["B-L1", "B-L3", "B-VAL"]).projects
    assert p.budget_total is None


def test_a_central_subsidy_label_is_the_fiscal_funds():
    # 区域绩效目标自评表 (one cell per paragraph): 其中:中央补助 | 2.38 万元 is the fiscal part of the funds
    lines = ["预算数:", "2.38", "其中:中央补助", "2.38 万元", "产出指标", "监管次数", "≥10次"]
    toks = tokenise_lines(lines)
    tags = ["O"] * (len(toks) - 3) + ["B-L1", "B-L3", "B-VAL"]
    (p,) = decode(toks, tags).projects
    assert (p.budget_total, p.budget_fiscal) == (2.38, 2.38)


def test_a_project_name_label_outranks_a_name_printed_in_the_title():
    # the title names the fund the project is paid from (抗疫特别国债项目绩效目标表); 项目名称 names the project
    lines = ["抗疫特别国债项目绩效目标表(打捆项目)", "项目名称 | 病媒防治环境卫生清洁费用 |",
             "产出指标 | 清扫道路条数 | 485条 |"]
    toks = tokenise_lines(lines)
    tags = ["B-PNAME", "O", "O", "O", "B-PNAME", "B-L1", "B-L3", "B-VAL"]
    assert len(toks) == len(tags), [t.text for t in toks]
    (p,) = decode(toks, tags).projects
    assert p.name == "病媒防治环境卫生清洁费用"
    # a fund's label (专项名称) after a subtitle naming the project: the subtitle stays the name
    lines[1] = "专项名称 | 病媒防治专项资金 |"
    (p,) = decode(tokenise_lines(lines), tags).projects
    assert p.name == "抗疫特别国债"


def test_the_money_unit_is_the_one_stated_last_before_the_amount():
    # a long document: 单位：万元 over an earlier table, then a table whose budget header prints （元）
    lines = ["单位：万元", "公务接待费\t6.82", "单位（项目）名称\t预算金额（元）",
             "优抚对象补助配套资金\t56,410,000.00", "产出指标\t检查户数\t2211家"]
    toks = tokenise_lines(lines)
    tags = ["O"] * 6 + ["B-PNAME", "B-BT", "B-L1", "B-L3", "B-VAL"]
    assert len(toks) == len(tags), [t.text for t in toks]
    (p,) = decode(toks, tags).projects
    assert p.budget_total == 5641.0
    # the same table with no unit of its own: the document's 万元
    lines[2] = "单位（项目）名称\t预算金额"
    (p,) = decode(tokenise_lines(lines), tags[1:]).projects
    assert p.budget_total == 56410000.0


def test_a_cell_of_a_containers_level1_column_ending_as_its_level1s_is_a_level1():
    rows = [[(0, "指标类型"), (1, "指标名称"), (2, "指标值")],
            [(0, "产出类指标"), (1, "补贴发放准确率"), (2, "≥95%")],
            [(0, "满意度类指标"), (1, "服务满意度"), (2, "≥90%")],
            [(0, "管理类指标"), (1, "预算执行率"), (2, "≥90%")],
            [(1, "资金使用合规性"), (2, "合规")],
            [(0, "合计"), (1, "说明")]]
    tags = ["O"] * 3 + ["B-L1", "B-L3", "B-VAL", "B-L1", "B-L3", "B-VAL", "O", "B-L3", "B-VAL", "B-L3", "B-VAL",
                        "O", "O"]
    inds = grid_decoded(rows, tags).projects[0].indicators
    assert [(i.level1, i.level3) for i in inds] == [
        ("产出类指标", "补贴发放准确率"), ("满意度类指标", "服务满意度"), ("管理类指标", "预算执行率"),
        ("管理类指标", "资金使用合规性")]


def test_a_target_whose_columns_ran_together_number_first_is_an_open_names_target():
    # 指标值 | 指标性质 | 度量单位 run together: 1811<=元 is the target ≤1811元 of the name before it
    out = decoded(["校舍维修经费1811<=元效果指标"], ["B-L3", "O", "B-L1"])
    (ind,) = out.projects[0].indicators
    assert (ind.level3, ind.op, ind.num, ind.unit) == ("校舍维修经费", "<=", 1811.0, "元")


def test_a_deadline_after_an_open_name_is_its_target():
    # cells run together: 任务完成时间 | 2023年12月31日 | 反映该项目完成时间 …
    out = decoded(["时效指标任务完成时间2023年12月31日反映该项目完成时间"], ["B-L2", "B-L3", "O", "O"])
    (ind,) = out.projects[0].indicators
    assert (ind.level3, ind.value) == ("任务完成时间", "2023年12月31日")


def test_a_names_last_piece_printed_again_as_the_actual_result_is_the_target():
    # a self-evaluation run together: 保证…专款专用 | 专款专用 | 专款专用 | 10, the model reading the second
    # copy into the name and no target: the copy is the target, met (the name keeps its own words)
    out = decoded(["质量指标保证财政建设补助专款专用专款专用专款专用10"], ["B-L2", "B-L3", "I-L3", "B-ACT", "B-PTS"])
    (ind,) = out.projects[0].indicators
    assert (ind.level3, ind.value, ind.actual) == ("保证财政建设补助专款专用", "专款专用", "专款专用")


def test_a_rows_opening_text_read_as_a_result_before_the_target_is_the_name():
    lines = ["补助鱼塘面积 | 10 | 3亩 | 3亩 | 10 |", "其中鱼塘养殖面积 | 3亩 | 3亩 |"]
    tags = ["B-ACT", "B-PTS", "B-VAL", "B-ACT", "B-PTS", "B-L3", "B-VAL", "B-ACT"]
    first, second = decoded(lines, tags).projects[0].indicators
    assert (first.level3, first.value, first.actual) == ("补助鱼塘面积", "3亩", "3亩")
    assert second.level3 == "其中鱼塘养殖面积"


def test_one_goal_alone_under_a_goal_and_a_completion_header_is_the_goal():
    # a declaration printed on the self-evaluation's form: the completion column left blank
    lines = ["总体目标 年度目标 年度总体目标完成情况", "为水濂村带来观光游客不少于6万人,村集体收入达6万元。",
             "产出指标 数量指标 景点开发数量 >=4个"]
    toks = tokenise_lines(lines)
    tags = ["O"] * (len(toks) - 4) + ["B-L1", "B-L2", "B-L3", "B-VAL"]
    (p,) = decode(toks, tags).projects
    assert p.goal == "为水濂村带来观光游客不少于6万人,村集体收入达6万元。"


def test_a_goal_label_outranks_a_goal_read_in_another_labels_text():
    # the model read the basis (立项依据 | 依据…) as the goal; the goal label (年度 / 目标, wrapped) has a sentence
    lines = ["立项依据 依据《实施方案的通知》 皖政办秘〔2016〕190号, 坚持需求导向,精准服务。", "年度", "目标",
             "聚焦残疾人康复需求,强化基本康复保障,实施精准康复服务。", "产出指标 数量指标 康复人数 >=100人"]
    toks = tokenise_lines(lines)
    tags = ["O"] * len(toks)
    first_basis = next(i for i, t in enumerate(toks) if t.text.startswith("皖政办秘"))
    tags[first_basis:first_basis + 3] = ["I-GOAL"] * 3
    tags[-4:] = ["B-L1", "B-L2", "B-L3", "B-VAL"]
    (p,) = decode(toks, tags).projects
    assert p.goal == "聚焦残疾人康复需求,强化基本康复保障,实施精准康复服务。"


def test_a_piece_glued_to_a_name_before_a_spaced_target_is_the_names():
    lines = ["一级指标 二级指标 三级指标 指标值 备注", "质量指标 *贫困地区旅游基础设施建设质量达标率100% >=98%",
             "时效指标 贫困地区基础设施建设按期完成率(≥**%) >=95%"]
    toks = tokenise_lines(lines)
    assert [t.text for t in toks][5:] == ["质量指标", "贫困地区旅游基础设施建设质量达标率", "100%", ">=98%",
                                          "时效指标", "贫困地区基础设施建设按期完成率", "(≥**%)", ">=95%"]
    tags = ["O"] * 5 + ["B-L2", "B-L3", "B-VAL", "I-VAL", "B-L2", "B-L3", "O", "B-VAL"]
    inds = decode(toks, tags).projects[0].indicators
    assert [(i.level3, i.value) for i in inds] == [("贫困地区旅游基础设施建设质量达标率100%", ">=98%"),
                                                   ("贫困地区基础设施建设按期完成率(≥**%)", ">=95%")]
    # under a self-evaluation's header the glued quantity may be the target, the spaced one its result
    lines[0] = "一级指标 二级指标 三级指标 指标值 实际完成值"
    toks = tokenise_lines(lines)
    tags[7:9] = ["B-VAL", "B-ACT"]
    first = decode(toks, tags).projects[0].indicators[0]
    assert (first.level3, first.value, first.actual) == ("贫困地区旅游基础设施建设质量达标率", "100%", ">=98%")


def test_marked_rows_alike_by_their_name_and_first_target_only():
    # the marked rows the model read agree in their name and first target (the second prints a
    # result after it): the row read as nothing after its marker takes that shape
    lines = ["数量指标  指标1:机构实施覆盖率 实施基层医疗机构 37个。 本年度已完成",
             " 指标2:村卫生室实施制度 实施补助村卫生室 352个。 本年度已完成",
             "质量指标  指标1:机构补助制度 37个 基层医疗机构 100%"]
    toks = tokenise_lines(lines)
    texts = [t.text for t in toks]
    assert texts[:6] == ["数量指标", "指标1:", "机构实施覆盖率", "实施基层医疗机构", "37个。", "本年度已完成"], texts
    tags = ["B-L2"] + ["O"] * 5 + ["O", "B-L3", "B-VAL", "I-VAL", "O"] + ["B-L2", "O", "B-L3", "B-VAL", "I-VAL",
                                                                           "B-VAL"]
    assert len(tags) == len(toks), texts
    inds = decode(toks, tags).projects[0].indicators
    assert (inds[0].level3, inds[0].value) == ("机构实施覆盖率", "实施基层医疗机构37个。")


def test_a_row_of_two_unread_cells_in_a_table_under_way_is_a_name_and_its_target():
    lines = ["| 时效指标 | 环境卫生专项考核 | 1次/月 |", "| 各项费用使用周期 | 2020年1月--2020年11月 |",
             "| 成本指标 | 人工成本 | ≤620万/月 |"]
    toks = tokenise_lines(lines)
    tags = ["B-L2", "B-L3", "I-L3", "B-VAL", "O", "O", "B-L2", "B-L3", "B-VAL", "I-VAL"]
    assert len(toks) == len(tags), [t.text for t in toks]
    inds = decode(toks, tags).projects[0].indicators
    assert [(i.level2, i.level3, i.value) for i in inds][1] == ("时效指标", "各项费用使用周期", "2020年1月--2020年11月")
    # a label's row is no indicator
    lines[1] = "| 项目负责人 | 张三 |"
    assert len(decode(tokenise_lines(lines), tags).projects[0].indicators) == 2


def test_cost_read_as_a_level1_after_output_level2_rows_and_before_a_name_is_a_level2():
    lines = ["一级指标 二级指标 三级指标 指标值", "产出指标 数量指标 流转土地 >=60亩", "时效指标 按期完成率 >=95%",
             "成本指标 流转土地补助标准 <=475元/亩", "效益指标 经济效益指标 增加村集体收入 >=6万元"]
    toks = tokenise_lines(lines)
    tags = ["O"] * 4 + ["B-L1", "B-L2", "B-L3", "B-VAL", "B-L2", "B-L3", "B-VAL", "B-L1", "B-L3", "B-VAL",
                        "B-L1", "B-L2", "B-L3", "B-VAL"]
    assert len(toks) == len(tags), [t.text for t in toks]
    inds = decode(toks, tags).projects[0].indicators
    assert (inds[2].level1, inds[2].level2) == ("产出指标", "成本指标")
    assert (inds[3].level1, inds[3].level2) == ("效益指标", "经济效益指标")
    # the 2021 framework's 成本指标 with its own level 2 stays a level 1
    lines[3] = "成本指标 经济成本指标 流转土地补助标准 <=475元/亩"
    toks = tokenise_lines(lines)
    tags = ["O"] * 4 + ["B-L1", "B-L2", "B-L3", "B-VAL", "B-L2", "B-L3", "B-VAL", "B-L1", "B-L2", "B-L3", "B-VAL",
                        "B-L1", "B-L2", "B-L3", "B-VAL"]
    inds = decode(toks, tags).projects[0].indicators
    assert (inds[2].level1, inds[2].level2) == ("成本指标", "经济成本指标")


def test_a_level_like_cell_trailing_an_indicators_row_is_no_umbrella_over_the_next_row():
    # 正向指标 (the indicator's direction) ends each row; read as a level 1, it must not become the level
    # over the next row's framework level 1
    lines = ["| 效益指标 | 可持续影响指标 | 项目维持时效 | ≥95% | 正向指标 |",
             "| 满意度指标 | 服务对象满意度指标 | 人民群众满意度 | ≥95% | 正向指标 |"]
    tags = ["B-L1", "B-L2", "B-L3", "B-VAL", "B-L1", "B-L1", "B-L2", "B-L3", "B-VAL", "O"]
    inds = decoded(lines, tags).projects[0].indicators
    assert [(i.level1, i.level2) for i in inds] == [("效益指标", "可持续影响指标"),
                                                    ("满意度指标", "服务对象满意度指标")]


def test_a_quantity_read_as_a_level_is_the_open_names_target():
    out = decoded(["数量指标办公大楼日常维修维护次数反映办公大楼全年维修维护情况2280次大楼安检巡察次数"],
                  ["B-L2", "B-L3", "O", "B-L2", "B-L3"])
    first = out.projects[0].indicators[0]
    assert (first.level2, first.level3, first.value) == ("数量指标", "办公大楼日常维修维护次数", "2280次")


def test_a_level_closing_its_row_with_two_unread_pieces_run_together_opens_a_name_and_target():
    out = decoded(["质量指标重要设备维修维保验收合格率95%成本指标成本控制率不超预算"],
                  ["B-L2", "B-L3", "B-VAL", "B-L2", "O", "O"])
    last = out.projects[0].indicators[-1]
    assert (last.level2, last.level3, last.value) == ("成本指标", "成本控制率", "不超预算")
    # the name read, the target not: the row's last piece is the target
    out = decoded(["质量指标重要设备维修维保验收合格率95%成本指标成本控制率不超预算"],
                  ["B-L2", "B-L3", "B-VAL", "B-L2", "B-L3", "O"])
    assert out.projects[0].indicators[-1].value == "不超预算"
    # two cells cut by pipes may be one name wrapped, its target lost: not read
    out = decoded(["| 质量指标 | 验收合格率 | 95% |", "| 成本指标 | 全民健身资 | 金使用合规率 |"],
                  ["B-L2", "B-L3", "B-VAL", "B-L2", "O", "O"])
    assert [i.level3 for i in out.projects[0].indicators] == ["验收合格率"]


def test_a_bracketed_group_of_words_in_a_names_cell_is_the_names_whatever_it_was_read_as():
    lines = ["特色产业带动增加受益农户收入(总收入) | 20 | ≥11.376万元 | 12万元 | 20 |"]
    toks = tokenise_lines(lines)
    assert [t.text for t in toks][:2] == ["特色产业带动增加受益农户收入", "(总收入)"]
    (ind,) = decode(toks, ["B-L3", "B-WT", "B-WT", "B-VAL", "B-ACT", "B-PTS"]).projects[0].indicators
    assert (ind.level3, ind.value) == ("特色产业带动增加受益农户收入(总收入)", "≥11.376万元")
    # a group with a number after a name is a field of its own (a weight printed in the name's cell)
    toks = tokenise_lines(["满意度(10分) | ≥90% |"])
    tags = ["B-L3"] + ["B-WT"] * (len(toks) - 2) + ["B-VAL"]
    (ind,) = decode(toks, tags).projects[0].indicators
    assert ind.level3 == "满意度"


def test_a_line_read_as_nothing_between_two_indicator_lines_is_one_too():
    lines = ["伙食补助发放率90%以上实际发放金额/应发放金额", "伙食补助资金到位率90%以上实际收到金额/伙食补助预算",
             "伙食补助覆盖率90%以上实际领取人数/应发放人数"]
    toks = tokenise_lines(lines)
    rows = [[t.text for t in toks if t.row == r] for r in range(3)]
    tags = [{0: "B-L3", 1: "B-VAL"}.get(n, "O") for r in range(3) for n in range(len(rows[r]))]
    middle = [k for k, t in enumerate(toks) if t.row == 1]
    for k in middle:
        tags[k] = "O"
    inds = decode(toks, tags).projects[0].indicators
    assert [(i.level3, i.value) for i in inds][1] == ("伙食补助资金到位率", "90%以上"), rows


def test_a_bare_amount_after_a_names_bracket_read_as_a_budget_is_the_target():
    # 建设项目个数(含续建) | 1, one cell per line: the model read the bracket as the target and 1 as a budget
    toks = tokenise_lines(["产出指标", "建设项目个数(含续建)", "1", "竣工验收合格率", "100%"])
    tags = ["B-L1", "B-L3", "B-VAL", "B-BT", "B-L3", "B-VAL"]
    assert len(toks) == len(tags), [t.text for t in toks]
    out = decode(toks, tags)
    assert len(out.projects) == 1
    assert [(i.level3, i.value) for i in out.projects[0].indicators] == [("建设项目个数(含续建)", "1"),
                                                                         ("竣工验收合格率", "100%")]


def test_a_grid_rows_value_cell_read_as_a_second_name_is_the_value():
    rows = [[(0, "指标类型"), (1, "指标名称"), (2, "指标性质"), (3, "指标值")],
            [(0, "管理类指标"), (1, "预算执行率"), (2, "≥"), (3, "90%")],
            [(1, "资金使用合规性"), (2, "无"), (3, "合规")],
            [(1, "管理制度健全性"), (2, "无"), (3, "健全")]]
    tags = ["O"] * 4 + ["B-L1", "B-L3", "B-OP", "B-VAL", "B-L3", "O", "B-VAL", "B-L3", "O", "B-L3"]
    inds = grid_decoded(rows, tags).projects[0].indicators
    assert [(i.level3, i.value) for i in inds] == [("预算执行率", "≥90%"), ("资金使用合规性", "合规"),
                                                   ("管理制度健全性", "健全")]


def test_a_summarys_column_header_printed_one_cell_per_line_names_no_project():
    # 项目名称 / 年度预算 / 年度目标 …: the header's cells follow each other; 年度预算 labels a budget, no name
    lines = ["项目名称 |", "年度预算 |", "年度目标 |", "一级指标 |", "三级指标 |", "指标值 |",
             "校舍维修工作经费 |", "66 |", "完成校舍维修年度任务。 |", "产出指标 |", "学生资助完成数量 |", "≥245辆 |"]
    toks = tokenise_lines(lines)
    tags = ["O"] * 6 + ["B-PNAME", "B-BT", "B-GOAL", "B-L1", "B-L3", "B-VAL"]
    assert len(toks) == len(tags), [t.text for t in toks]
    (p,) = decode(toks, tags).projects
    assert (p.name, p.budget_total) == ("校舍维修工作经费", 66.0)


def test_a_summarys_project_row_right_before_its_first_level_is_the_project():
    lines = ["单位代码单位(专项)名称资金总额实施期绩效目标绩效指标", "一级指标二级指标三级指标指标值",
             "505006州民族特殊教育学校30.00", "", "  505006  学生伙食费30.00",
             "成本指标经济成本指标学生补助标准17元/人.每天"]
    toks = tokenise_lines(lines)
    texts = [t.text for t in toks]
    start = texts.index("成本指标")
    assert texts[start - 3:start] == ["505006", "学生伙食费", "30.00"], texts
    tags = ["O"] * start + ["B-L1", "B-L2", "B-L3", "B-VAL"]
    (p,) = decode(toks, tags).projects
    assert (p.name, p.code, p.budget_total) == ("学生伙食费", "505006", 30.0)
    # without a header naming a name column above, the row is left as read
    (p,) = decode(tokenise_lines(lines[2:]), tags[len(toks) - len(tokenise_lines(lines[2:])):]).projects
    assert p.name in (None, "")


def test_a_summary_row_opening_with_its_project_cells_is_read_by_the_header_columns():
    lines = ["项目名称   项目编码   预算金额（万元）   年度目标   一级指标   二级指标   三级指标   指标值",
             "甲项目经费   828   完成甲项目年度任务，保障工作正常运转。   产出指标   数量指标   人数   ≥10人",
             "乙项目经费   697901   360   做好乙项目工作，确保资金及时足额到位。   产出指标   质量指标   合格率   100%"]
    # the model read each project's cells as nothing (a goal read as one); the first project's code is lost
    tags = ["O"] * 9 + ["O", "O", "B-GOAL", "B-L1", "B-L2", "B-L3", "B-VAL"] + [
        "O", "O", "O", "O", "B-L1", "B-L2", "B-L3", "B-VAL"]
    out = decoded(lines, tags)
    assert [(p.name, p.code, p.budget_total, p.goal, [i.level3 for i in p.indicators]) for p in out.projects] == [
        ("甲项目经费", None, 828.0, "完成甲项目年度任务，保障工作正常运转。", ["人数"]),
        ("乙项目经费", "697901", 360.0, "做好乙项目工作，确保资金及时足额到位。", ["合格率"])]
    # with no column header naming a name column nothing is read as a project's field
    assert all(p.name != "甲项目经费" for p in decoded(lines[1:], tags[9:]).projects)


def test_a_summary_run_together_on_one_line_reads_each_project_by_the_header_columns():
    line = ("项目名称预算金额（万元）年度目标一级指标二级指标指标名称指标值甲项目经费2433.80完成甲项目年度任务，"
            "保障工作正常运转。产出指标数量指标检查户数23644户次乙项目经费20做好乙项目工作，确保资金到位。"
            "产出指标质量指标合格率100%")
    # the model read the second project's name and budget as an actual result and its points
    tags = ["O"] * 8 + ["B-PNAME", "B-BT", "B-GOAL", "B-L1", "B-L2", "B-L3", "B-VAL"] + [
        "B-ACT", "B-PTS", "O", "B-L1", "B-L2", "B-L3", "B-VAL"]
    out = decoded([line], tags)
    assert [(p.name, p.budget_total, p.goal, [i.level3 for i in p.indicators]) for p in out.projects] == [
        ("甲项目经费", 2433.8, "完成甲项目年度任务，保障工作正常运转。", ["检查户数"]),
        ("乙项目经费", 20.0, "做好乙项目工作，确保资金到位。", ["合格率"])]
    # a header naming an actual result column: the cells read as one are the previous indicator's
    with_actual = line.replace("指标值", "指标值实际完成值", 1)
    assert [p.name for p in decoded([with_actual], ["O"] * 9 + tags[8:]).projects] == ["甲项目经费"]
    # a project whose fields the model read: its goal stays the goal
    read = ["O"] * 8 + ["B-PNAME", "B-BT", "B-GOAL", "B-L1", "B-L2", "B-L3", "B-VAL"] * 2
    second = decoded([line], read).projects[1]
    assert (second.name, second.goal) == ("乙项目经费", "做好乙项目工作，确保资金到位。")


def test_a_row_shifted_left_by_merged_levels_reads_its_target_parts_by_the_header_columns():
    lines = ["一级指标\t二级指标\t指标名称\t指标类型\t单位\t符号\t指标值\t备注",
             "产出指标\t数量指标\t检查户数\t定量\t户次\t＝\t1919",
             "质量指标\t调解差错率\t定量\t%\t小于等于\t0",
             "合格率\t定量\t%\t≥\t91"]
    # the level cells merged away shift the later rows left; the model missed the parts of two targets
    tags = ["O"] * 8 + ["B-L1", "B-L2", "B-L3", "O", "B-UNIT", "B-OP", "B-VAL"] + [
        "B-L2", "B-L3", "O", "B-UNIT", "O", "O"] + ["B-L3", "O", "B-UNIT", "O", "O"]
    (project,) = decoded(lines, tags).projects
    assert [(i.level3, i.value) for i in project.indicators] == [
        ("检查户数", "=1919户次"), ("调解差错率", "≤0%"), ("合格率", "≥91%")]


def test_a_summary_row_needs_a_name_and_another_field_to_open_a_project():
    line = ("项目名称年度预算年度目标一级指标二级指标三级指标目标值甲项目经费73.09完成甲项目年度任务，管理更加规范。"
            "产出指标数量指标检查户数1217家产出指标质量指标抽检质量高质量完成产出指标成本指标补助标准元/人·月2041")
    # labels repeated on every row; the model missed a qualitative target and read a unit and number apart
    tags = ["O"] * 7 + ["B-PNAME", "B-BT", "B-GOAL"] + ["B-L1", "B-L2", "B-L3", "B-VAL"] + [
        "B-L1", "B-L2", "B-L3", "O", "O"] + ["B-L1", "B-L2", "B-L3", "O", "O", "O"]
    # neither 高质量完成 alone nor a unit and an amount are a project
    assert [p.name for p in decoded([line], tags).projects] == ["甲项目经费"]


def test_target_parts_one_cell_per_line_step_over_a_value_type_cell():
    lines = ["产出指标", "时效指标", "办结时限", "分钟", "定量", "<", "34", "产出指标", "数量指标", "检查户数", "家",
             "定量", "≥", "4920", "验收合格率", "%", "定量", "大于等于", "100"]
    # the model read the unit as the value, missed the second row's comparator and number, read the third
    # row's number as a budget
    tags = ["B-L1", "B-L2", "B-L3", "B-VAL", "O", "B-OP", "B-VAL", "B-L1", "B-L2", "B-L3", "B-UNIT", "O", "O", "O",
            "B-L3", "B-UNIT", "O", "O", "B-BT"]
    (project,) = decoded(lines, tags).projects
    assert [(i.level3, i.value, i.unit) for i in project.indicators] == [
        ("办结时限", "<34分钟", "分钟"), ("检查户数", "≥4920家", "家"), ("验收合格率", "≥100%", "%")]
    assert project.budget_total is None


def test_a_summary_project_name_wrapped_above_its_budget_row_names_the_next_project():
    lines = ["项目名称\t资金总额\t一级指标\t二级指标\t三级指标\t指标值", "甲项目经费\t15.85\t产出指标\t数量指标",
             "检查户数", "463个", "效益指标\t社会效益指标\t服务能力\t有效", "道路清扫保洁运行", "保障经费",
             "32.6\t产出指标\t数量指标", "开展活动次数", "≥67期"]
    # the model read the wrapped name as an indicator's and its budget as that indicator's value
    tags = ["O"] * 6 + ["B-PNAME", "B-BT", "B-L1", "B-L2", "B-L3", "B-VAL", "B-L1", "B-L2", "B-L3", "B-VAL",
                        "B-L3", "I-L3", "B-VAL", "B-L1", "B-L2", "B-L3", "B-VAL"]
    projects = decoded(lines, tags).projects
    assert [(p.name, p.budget_total, [i.level3 for i in p.indicators]) for p in projects] == [
        ("甲项目经费", 15.85, ["检查户数", "服务能力"]), ("道路清扫保洁运行保障经费", 32.6, ["开展活动次数"])]
    # under its levels a wrapped name is an indicator's, and a number opening a row after it its value
    tags = ["B-PNAME", "B-BT", "B-L1", "B-L2", "B-L3", "I-L3", "B-VAL", "B-L1", "B-L2", "B-L3", "B-VAL"]
    (project,) = decoded(["甲项目经费\t15.85\t产出指标\t数量指标", "开展道路清扫保洁", "活动次数",
                          "67\t产出指标\t质量指标\t合格率\t≥90%"], tags).projects
    assert [(i.level3, i.value) for i in project.indicators] == [("开展道路清扫保洁活动次数", "67"),
                                                                 ("合格率", "≥90%")]


def test_a_row_the_model_read_none_of_is_read_by_the_split_target_columns():
    lines = ["一级指标\t二级指标\t指标名称\t运算符号\t指标值\t单位",
             "产出\t数量\t开展防控活\t大于等于\t10\t次", "指标\t指标\t动次数",
             "交通安全设施检查\t等于\t2686\t户",  # its level cells merged away: shifted left
             "成本\t经济成\t禁毒宣传总成本\t\t0.48\t万元"]  # at its columns, no comparator
    # the model read the two rows as nothing; the wrapped rest of two level cells (指标 | 指标) is no header
    tags = ["O"] * 6 + ["B-L1", "B-L2", "B-L3", "B-OP", "B-VAL", "B-UNIT", "O", "O", "I-L3"] + ["O"] * 9
    (project,) = decoded(lines, tags).projects
    assert [(i.level3, i.value) for i in project.indicators] == [
        ("开展防控活动次数", "≥10次"), ("交通安全设施检查", "=2686户"), ("禁毒宣传总成本", "0.48万元")]
    # cells that do not fit their columns (a word under the number column) stay unread
    lines[3] = "交通安全设施检查\t等于\t若干\t户"
    (project,) = decoded(lines, tags).projects
    assert [i.level3 for i in project.indicators] == ["开展防控活动次数", "禁毒宣传总成本"]


def test_twin_value_columns_pushed_off_their_header_places_keep_the_annual_target():
    lines = ["一级指标   二级  三级指标内容    中期指标值  本年度指标值",
             "产出指标     数量指标     户籍管理老年人代缴人数   ≥236400人   ≥78800人",
             "本年度承租场所使用率  ≥100%   ≥95%"]
    # the first row's wide level cells push its two targets right of the header words: by place both
    # stand nearest the annual column; by order the second is the annual one
    tags = ["O"] * 5 + ["B-L1", "B-L2", "B-L3", "B-VAL", "B-VAL", "B-L3", "B-VAL", "B-VAL"]
    (project,) = decoded(lines, tags).projects
    assert [(i.level3, i.value) for i in project.indicators] == [("户籍管理老年人代缴人数", "≥78800人"),
                                                                 ("本年度承租场所使用率", "≥95%")]


def test_a_summary_printed_one_cell_per_line_reads_each_projects_cells_by_the_header_columns():
    header = ["项目名称", "项目编码", "预算数", "一级", "指标", "二级", "指标", "绩效指标名称", "指标值"]
    first = ["生活垃圾收运运行保障经费", "665319", "3924", "产出指标", "数量指标", "新增垃圾分类点位", "≥45件"]
    second = ["路灯维护专项资金", "915421", "64.26", "产出指标", "质量指标", "市政道路维修差错率", "<5%"]
    # the model read the first name and none of the code and budget cells after the names
    tags = ["O"] * 9 + ["B-PNAME", "O", "O", "B-L1", "B-L2", "B-L3", "B-VAL"] + [
        "O", "O", "O", "B-L1", "B-L2", "B-L3", "B-VAL"]
    projects = decoded(header + first + second, tags).projects
    assert [(p.name, p.code, p.budget_total, len(p.indicators)) for p in projects] == [
        ("生活垃圾收运运行保障经费", "665319", 3924.0, 1), ("路灯维护专项资金", "915421", 64.26, 1)]


def test_a_deadline_the_model_read_as_a_project_name_is_the_open_indicators_target():
    lines = ["优抚对象补助完成时间\t10", "文字描述：2026年", "6月30日前", "文字描述：2026年", "6月30日前", "10",
             "资金拨付及时率\t10\t>=81%\t73%\t10"]
    # weight first; the model read the target's date as a project's name, the actual's as value and actual
    tags = ["B-L3", "B-WT", "O", "B-PNAME", "I-PNAME", "I-PNAME", "I-PNAME", "O", "B-VAL", "B-ACT", "I-ACT",
            "I-ACT", "B-PTS", "B-L3", "B-WT", "B-VAL", "B-ACT", "B-PTS"]
    (project,) = decoded(lines, tags).projects
    assert [(i.level3, i.value) for i in project.indicators] == [("优抚对象补助完成时间", "2026年6月30日前"),
                                                                 ("资金拨付及时率", ">=81%")]


def test_a_tables_number_before_its_title_is_no_part_of_the_projects_name():
    for title, name in (("1、2026年度残疾人康复配套资金项目绩效自评表", "2026年度残疾人康复配套资金"),
                        ("二、儿童福利专项资金项目绩效自评表", "儿童福利专项资金"),
                        ("（二）职业技能培训项目绩效目标表", "职业技能培训")):
        tags = ["O"] * len(tokenise_lines([title])) + ["B-L1", "B-L2", "B-L3", "B-VAL"]
        (project,) = decoded([title, "产出指标\t数量指标\t服务人次\t≥100人次"], tags).projects
        assert project.name == name


def test_a_wrapped_cell_goes_on_only_on_the_next_line_of_its_column():
    lines = ["产出指标        重点工作任务    年度重点工    及时",
             "                完成            作完成率",
             "满意度指标      服务对象满意    教师满意度    不少于87%",
             "                度",
             "                                服务对象满",
             "                                意度"]
    # the last name's value was lost; it starts two lines under the full-width name above, not on the next
    tags = ["B-L1", "B-L2", "B-L3", "B-VAL", "I-L2", "I-L3", "B-L1", "B-L2", "B-L3", "B-VAL", "I-L2", "O", "O"]
    out = decoded(lines, tags)
    assert [(i.level3, i.value) for i in out.projects[0].indicators] == [
        ("年度重点工作完成率", "及时"), ("教师满意度", "不少于87%")]
    assert [f.text for f in out.flags if "服务对象满" in (f.text or "")], out.flags  # kept, flagged



def test_a_page_number_on_a_line_of_its_own_wraps_no_cell():
    from perfkg.extract.pipeline import extract_text
    from perfkg.extract.synth.corpus import document

    # a generated document printed one cell per line: a page's number right after a target, then the
    # column header repeated; the lines' width made the number read as the rest of the target
    name, text, _ = document(99, 1235, ("seeds",))
    values = {i.level3: i.value for p in extract_text(text.split("\n"), name).projects for i in p.indicators}
    assert "— 20 —" in text.split("\n") and values["对健全医疗保障制度体系的作用"] == "成效明显"


def test_twin_value_columns_one_cell_per_line_read_the_annual_target_of_each_tables_own_order():
    def table(first, second, rows):
        lines = ["绩效指标名称", first, second]
        tags = ["O", "O", "O"]
        for name, a, b, read in rows:
            lines += [name, a, b]
            tags += ["B-L3", *read]
        return lines, tags

    # the first table prints the midterm column first, the second the annual one; the model read one
    # of each pair, and nothing the other
    one, tags_one = table("实施期指标值", "年度指标值", [("完成数量", ">=694个", ">=347个", ["O", "B-VAL"]),
                                                   ("检查户数", "5832家", "2916家", ["B-VAL", "O"])])
    two, tags_two = table("年度指标值", "实施期指标值", [("对象数", "16010人次以上", "32020人次以上", ["O", "B-VAL"])])
    lines = ["甲项目绩效目标表", "产出指标", *one, "乙项目绩效目标表", "产出指标", *two]
    tags = ["O", "O", "B-L1", *tags_one, "O", "O", "B-L1", *tags_two]
    values = [i.value for p in decoded(lines, tags).projects for i in p.indicators]
    assert values == [">=347个", "2916家", "16010人次以上"]


def test_a_cell_the_last_passes_read_takes_its_wrapped_pieces():
    from perfkg.extract.pipeline import extract_text
    from perfkg.extract.synth.corpus import document

    # a generated page of space-aligned columns: a marked row the model read none of (1.残疾人满 | ≥96%),
    # read in the shape of the other marked rows, with the rest of its name (意度) on the next line
    name, text, _ = document(99, 1809, ("seeds",))
    names = [i.level3 for p in extract_text(text.split("\n"), name).projects for i in p.indicators]
    assert "1.残疾人满  ≥96%" in text and "残疾人满意度" in names


def test_a_projects_field_read_inside_the_indicator_rows_is_the_indicators():
    lines = ["项目名称\t甲项目经费", "产出指标\t数量指标\t宣传资料发放\t20\t≥4898张\t4943张\t20",
             "农产品质量安全", "节约资金", "20\t≤3.68万元\t3.68万元\t19",
             "高标准农田建设成本\t20\t0.30\t万元\t0.30万元\t20"]
    # a self-evaluation, weight first: the model read a wrapped name as a project's and an amount as a budget
    tags = ["O", "B-PNAME", "B-L1", "B-L2", "B-L3", "B-WT", "B-VAL", "B-ACT", "B-PTS", "B-PNAME", "I-PNAME",
            "B-WT", "B-VAL", "B-ACT", "B-PTS", "B-L3", "B-WT", "B-BO", "B-UNIT", "B-ACT", "B-PTS"]
    projects = decoded(lines, tags).projects
    assert [(p.name, p.budget_other) for p in projects] == [("甲项目经费", None)]
    assert [(i.level3, i.value) for i in projects[0].indicators] == [
        ("宣传资料发放", "≥4898张"), ("农产品质量安全节约资金", "≤3.68万元"), ("高标准农田建设成本", "0.30万元")]


def test_a_description_among_the_indicator_rows_opens_no_table():
    lines = ["项目名称\t甲项目经费", "一级指标\t二级指标\t指标名称\t指标说明\t预期目标值",
             "产出指标\t数量目标\t检查户数\t反映检查户数。\t100户", "产出指标\t质量目标\t工作完成情况",
             "反映工作完成情况的完成情况。", "≥100%", "用于反映覆盖率的完成情况。",
             "产出指标\t成本指标\t奖励金标准\t2%"]
    # 质量目标 | 工作完成情况 (a level and a name) read as a self-evaluation's goal headers (预期目标 |
    # 实际完成情况); the model read the last description as a goal
    tags = ["O", "B-PNAME"] + ["O"] * 5 + ["B-L1", "B-L2", "B-L3", "B-DESC", "B-VAL", "B-L1", "B-L2", "B-L3",
                                          "B-DESC", "B-VAL", "B-GOAL", "B-L1", "B-L2", "B-L3", "B-VAL"]
    (project,) = decoded(lines, tags).projects
    assert [i.level3 for i in project.indicators] == ["检查户数", "工作完成情况", "奖励金标准"]
    assert project.goal is None


def test_twin_groups_printed_one_cell_per_line_read_each_tables_own_order():
    def table(title, first, second, rows):
        lines = ["项目名称", f"{title}项目经费", first, second, "三级指标", "指标值", "三级指标", "指标值", "产出指标"]
        tags = ["O", "B-PNAME"] + ["O"] * 6 + ["B-L1"]
        for name, value in rows:
            lines += [name, value]
            tags += ["B-L3", "B-VAL"]
        return lines, tags

    # the first table prints the annual group first, the second the midterm one
    one, tags_one = table("甲", "年度指标", "中长期指标", [("补助人数", "72人"), ("累计补助人数", "144人")])
    two, tags_two = table("乙", "中长期指标", "年度指标", [("三年参保率", "100%"), ("参保率", "98%")])
    projects = decoded(one + two, tags_one + tags_two).projects
    assert [[(i.level3, i.value) for i in p.indicators] for p in projects] == [[("补助人数", "72人")],
                                                                                 [("参保率", "98%")]]


def test_a_budget_cell_that_reads_as_no_amount_ends_no_table():
    lines = ["项目名称\t甲项目经费", "产出指标\t数量指标\t检查户数\t100户",
             "成本指标\t社会成本指标\t资金成本控制\t在预算金额内", "效益指标\t社会效益指标\t好评率\t≥98%"]
    # the model read 内 of 在预算金额内 (glued apart) as a budget
    toks = tokenise_lines(lines)
    texts = [t.text for t in toks]
    tags = ["O", "B-PNAME", "B-L1", "B-L2", "B-L3", "B-VAL", "B-L1", "B-L2", "B-L3"]
    value_pieces = texts.index("效益指标") - len(tags)  # 在 | 预算金额 | 内
    tags += ["B-VAL"] + ["I-VAL"] * (value_pieces - 2) + ["B-BT", "B-L1", "B-L2", "B-L3", "B-VAL"]
    assert len(tags) == len(toks) and texts[len(tags) - 5] == "内", texts
    (project,) = decoded(lines, tags).projects
    assert project.budget_total is None
    assert [i.level3 for i in project.indicators] == ["检查户数", "资金成本控制", "好评率"]


def test_a_targets_comparator_and_unit_run_together_before_its_number_read_in_print_order():
    # 符号 | 单位 | 指标值 columns run together: ≤% | 0.6 is the target ≤0.6%; 小于等于 | 0 has no unit
    lines = ["差错率\t≤%\t0.6", "带动相关收入\t小于等于0", "资金\t万元"]
    tags = ["B-L3", "B-VAL", "I-VAL", "B-L3", "B-VAL", "I-L3", "I-VAL"]
    inds = decoded(lines, tags).projects[0].indicators
    assert [(i.value, i.op, i.num, i.unit) for i in inds] == [("≤0.6%", "<=", 0.6, "%"),
                                                               ("小于等于0万元", "<=", 0.0, "万元")]


def test_one_character_the_model_read_as_a_target_under_a_wrapped_name_is_its_rest():
    lines = ["产出指标    数量指标    公益性岗位覆盖  ≧100百分比",
             "                        率",
             "            质量指标    验收合格率      ≥95%"]
    tags = ["B-L1", "B-L2", "B-L3", "B-VAL", "B-VAL", "B-L2", "B-L3", "B-VAL"]
    inds = decoded(lines, tags).projects[0].indicators
    assert [(i.level3, i.value) for i in inds] == [("公益性岗位覆盖率", "≧100百分比"), ("验收合格率", "≥95%")]


def test_rows_cut_at_single_spaces_the_model_read_none_of_read_in_the_order_of_the_split_targets():
    lines = ["三级指标内容 度量单位 指标性质 指标值", "户籍管理面积 万平方米 大于等于 153.5",
             "质量指标 验收合格率 % 100.0", "资金使用合规率 % ≧ 82", "按期完成率 百分比 ≥ 100", "完成得 10 分，未完"]
    # the model read the last rows' parts (unit, comparator, number) and none of the first two rows;
    # a scoring rule (完成得 10 分，未完) fits no unit
    tags = ["O"] * 4 + ["O"] * 4 + ["O"] * 4 + ["B-L3", "B-UNIT", "B-OP", "B-VAL"] * 2 + ["O"] * 3
    inds = decoded(lines, tags).projects[0].indicators
    assert [(i.level2, i.level3, i.value) for i in inds] == [
        (None, "户籍管理面积", "≥153.5万平方米"), ("质量指标", "验收合格率", "100.0%"),
        ("质量指标", "资金使用合规率", "≥82%"), ("质量指标", "按期完成率", "≥100百分比")]


def test_a_weight_run_together_with_its_target_is_read_apart_by_the_tables_weights():
    lines = ["检查户数\t10\t≥100户\t98户\t10", "达标率\t5\t≥95%\t96%\t5", "服务对象数量\t5184个\t180个\t5",
             "服务网络\t10构建县乡村三级医保服务网络\t完成\t10", "参保人数\t150人\t140人\t8"]
    # a self-evaluation printing each weight before its target: the model read three weights glued to
    # their targets as the targets; 150人 opens with no weight of the table but 15 | 0人 is no target
    tags = ["B-L3", "B-WT", "B-VAL", "B-ACT", "B-PTS"] * 2 + ["B-L3", "B-VAL", "B-ACT", "B-PTS"] + [
        "B-L3", "B-VAL", "I-VAL", "B-ACT", "B-PTS"] + ["B-L3", "B-VAL", "B-ACT", "B-PTS"]
    inds = decoded(lines, tags).projects[0].indicators
    assert [(i.value, i.score) for i in inds] == [("≥100户", 10.0), ("≥95%", 5.0), ("184个", 5.0),
                                                   ("构建县乡村三级医保服务网络", 10.0), ("150人", None)]
    assert [f.code for f in inds[2].flags] == ["weight_glued"] and inds[2].flags[0].text == "5184个"
