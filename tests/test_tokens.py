"""The cell splitters: what cuts a line into tokens, and what each token remembers."""
from perfkg.extract.source_model import SourceCell, SourceRow
from perfkg.extract.tokens import cut_glued, tokenise_lines, tokenise_rows


def texts(lines):
    return [t.text for t in tokenise_lines(lines)]


def test_tabs_pipes_and_spaces_are_cell_boundaries():
    toks = tokenise_lines(["产出指标\t数量指标\t培训人数\t≥100人次", "| 质量指标 | 合格率 | ≥95% |",
                           "时效指标  完成时间  及时"])
    assert [(t.text, t.sep) for t in toks[:4]] == [("产出指标", "row"), ("数量指标", "tab"), ("培训人数", "tab"),
                                                   ("≥100人次", "tab")]
    assert [t.sep for t in toks[4:7]] == ["row", "pipe", "pipe"]
    assert [t.sep for t in toks[7:]] == ["row", "sp2", "sp2"]
    assert [t.row for t in toks] == [0] * 4 + [1] * 3 + [2] * 3


def test_empty_cells_are_counted_not_tokens():
    toks = tokenise_lines(["\t\t\t满意率\t≥90%"])
    assert [t.text for t in toks] == ["满意率", "≥90%"]
    assert toks[0].empty_before == 3 and toks[0].cell == 3


def test_markdown_rules_and_pipe_padding_are_dropped():
    assert texts(["|---|---|", "| |||", "| 产出指标 | | 人数 |"]) == ["产出指标", "人数"]


def test_cells_run_together_are_cut_at_level_names_values_and_openers():
    assert cut_glued("成本指标经济成本指标学生补助标准17元/人.每天反映学生每天用餐标准") == [
        "成本指标", "经济成本指标", "学生补助标准", "17元/人.每天", "反映学生每天用餐标准"]
    assert cut_glued("质量目标各类人才对我市人才政策的知晓率>=95%98%103%") == [
        "质量目标", "各类人才对我市人才政策的知晓率", ">=95%", "98%", "103%"]


def test_a_budget_year_glued_after_a_number_opens_a_cell():
    # a table's last points, then the next table's title, with nothing between them
    texts = [t.text for t in tokenise_lines(["长期发挥192024年度特困人员供养资金项目绩效自评表"])]
    assert texts == ["长期发挥", "19", "2024年度", "特困人员供养资金", "项目绩效自评表"], texts
    # a plain year of durations or a count is left whole
    assert [t.text for t in tokenise_lines(["服务期限102024年"])][-1] == "102024年"


def test_amounts_of_the_same_decimals_run_together_are_cut_apart():
    def texts(line):
        return [t.text for t in tokenise_lines([line])]
    assert texts("年度资金总额：5662.905662.905662.9010") == ["年度资金总额", "5662.90", "5662.90", "5662.90", "10"]
    assert texts("4530.324530.324530.32") == ["4530.32"] * 3  # not 4530.3 | 24530.3 | 24530.3 | 2
    assert texts("其他资金0.000.000.00") == ["其他资金", "0.00", "0.00", "0.00"]
    assert texts("日期2024.01.01")[-1] == "2024.01.01" and texts("版本1.2.3")[-1] == "1.2.3"


def test_a_bare_level_opening_a_row_of_cells_run_together_is_a_cell_of_its_own():
    run = ("数量指标成本控制不超过预算不超过预算10质量指标保证补助专款专用专款专用专款专用10"
           "成本每年财政补助1000万元1000万元10")
    texts = [t.text for t in tokenise_lines([run])]
    # right after a level it opens a name (成本控制); after a row's last cell, under another level, it is
    # the level
    assert texts == ["数量指标", "成本控制", "不超过预算", "不超过预算", "10", "质量指标", "保证补助专款专用",
                     "专款专用", "专款专用", "10", "成本", "每年财政补助", "1000万元", "1000万元", "10"], texts
    # under its own level the word opens a name
    texts = [t.text for t in tokenise_lines(["成本指标经济成本指标人均成本100元成本控制率≥95%社会效益指标受益率90%"])]
    assert "成本控制率" in texts, texts


def test_etc_after_a_level_name_stays_in_its_cell_and_names_the_same_level():
    from perfkg.extract.vocabulary import standard_level2

    assert cut_glued("服务对象满意度指标等学生满意度≧95%") == ["服务对象满意度指标等", "学生满意度", "≧95%"]
    assert standard_level2("服务对象满意度指标等") == standard_level2("服务对象满意度指标") is not None
    assert standard_level2("等") is None and standard_level2("学生满意度等") is None


def test_full_width_comparators_are_comparators_not_punctuation():
    assert cut_glued("＞") == ["＞"] and cut_glued("＜") == ["＜"]  # a comparator column's cell
    assert cut_glued("接受率＞100%") == ["接受率", "＞100%"]


def test_markers_and_trailing_value_groups_are_their_own_tokens():
    assert cut_glued("指标1:机柜数量(≥77台)") == ["指标1:", "机柜数量", "(≥77台)"]
    assert cut_glued("★资金到位率") == ["资金到位率"]  # a marker alone is punctuation: not a cell


def test_a_marker_right_after_another_cut_opens_a_cell_of_its_own():
    # a table printed on one line: the numbering of a name glued to the level before it
    assert cut_glued("产出指标1.雾炮车风炮射程≥89M效益指标12.提供优质服务") == [
        "产出指标", "1.", "雾炮车风炮射程", "≥89M", "效益指标", "12.", "提供优质服务"]
    assert cut_glued("完成率100%2、培训人数") == ["完成率", "100%", "2、", "培训人数"]
    assert cut_glued("增长3.5万元") == ["增长", "3.5万元"]  # a decimal is no marker


def test_dates_and_value_suffixes_stay_whole():
    assert cut_glued("任务完成时间2023年12月31日") == ["任务完成时间", "2023年12月31日"]
    assert cut_glued("满意度95%以上") == ["满意度", "95%以上"]
    assert cut_glued("2024年度财政项目") == ["2024年度", "财政项目"]


def test_letter_spaced_words_are_joined():
    assert texts(["产 出 指 标 (50分) 数量指标"]) == ["产出指标", "(50分)", "数量指标"]


def test_lost_full_width_spaces_printed_as_question_marks_separate_cells():
    assert texts(["社会效益指标???就业人数???≥20人"]) == ["社会效益指标", "就业人数", "≥20人"]


def test_grid_rows_keep_their_cells_and_positions():
    row = SourceRow([SourceCell("产出指标", "Sheet1!A3", col=0, row_span=4), SourceCell("数量指标", "Sheet1!B3", col=1),
                     SourceCell("培训人数", "Sheet1!C3", col=2), SourceCell("≥100人次", "Sheet1!E3", col=4)], grid=True)
    toks = tokenise_rows([row])
    assert [(t.text, t.sep, t.cell, t.where) for t in toks] == [
        ("产出指标", "row", 0, "Sheet1!A3"), ("数量指标", "cell", 1, "Sheet1!B3"),
        ("培训人数", "cell", 2, "Sheet1!C3"), ("≥100人次", "cell", 4, "Sheet1!E3")]
    assert toks[3].empty_before == 1


def test_blank_lines_before_a_row_are_counted():
    toks = tokenise_lines(["项目名称", "", "", "培训项目"])
    assert [t.blank_before for t in toks] == [0, 2]


def test_a_vocabulary_word_broken_by_a_space_is_one_token():
    assert texts(["满意度指标\t服务对象满意度 指标\t参保人员满意度"]) == ["满意度指标", "服务对象满意度指标",
                                                                             "参保人员满意度"]
    assert texts(["年度 绩效 指标\t成本指标"]) == ["年度绩效指标", "成本指标"]


def test_a_line_of_more_cells_than_the_limit_ends_in_one_cell_holding_the_rest_and_is_flagged():
    flags = []
    line = "\t".join(f"c{n}" for n in range(100))
    rows = [SourceRow([SourceCell("培训人数 ≥100人次", "line 1")]), SourceRow([SourceCell(line, "line 2")])]
    toks = tokenise_rows(rows, flags, max_cells=10)
    row = [t for t in toks if t.row == 1]
    assert [t.text for t in row[:10]] == [f"c{n}" for n in range(10)] and len(row) == 11
    assert row[-1].text == "\t".join(f"c{n}" for n in range(10, 100)) and row[-1].sep == "tab"  # nothing lost
    assert [t.text for t in toks if t.row == 0] == ["培训人数", "≥100人次"]  # the short line is untouched
    (flag,) = flags
    assert flag.code == "too_many_cells" and flag.line == 2 and "more than 10 cells" in flag.message
    assert flag.text == row[-1].text[:40]


def test_a_line_of_200000_space_separated_words_gives_a_bounded_number_of_tokens(monkeypatch):
    monkeypatch.setenv("PERFKG_MAX_LINE_CELLS", "500")
    flags = []
    toks = tokenise_rows([SourceRow([SourceCell("x " * 200_000, "line 1")])], flags)
    assert len(toks) == 501 and all(t.text == "x" for t in toks[:500])
    assert toks[-1].text == " ".join(["x"] * (200_000 - 500))  # the rest, read as one cell
    assert [f.code for f in flags] == ["too_many_cells"]


def test_a_grid_row_of_more_cells_than_the_limit_keeps_the_rest_in_its_last_cell():
    flags = []
    row = SourceRow([SourceCell(f"{n}%", f"Sheet1!{n}", col=n) for n in range(30)], grid=True)
    toks = tokenise_rows([row], flags, max_cells=5)
    assert [t.text for t in toks] == ["0%", "1%", "2%", "3%", "4%", " ".join(f"{n}%" for n in range(5, 30))]
    assert flags[0].code == "too_many_cells" and flags[0].line == 1


def test_lines_under_the_limit_are_cut_as_without_it():
    lines = ["产出指标\t数量指标\t培训人数\t≥100人次", "| 质量指标 | 合格率 | ≥95% |", "产 出 指 标 (50分) 数量指标"]
    rows = [SourceRow([SourceCell(line, f"line {n}")]) for n, line in enumerate(lines, 1)]
    flags = []
    assert tokenise_rows(rows, flags, max_cells=4) == tokenise_rows(rows, max_cells=10_000) and not flags


def test_a_phrase_printed_again_and_again_is_target_and_actual_run_together():
    text = "数量指标成本控制不超过预算不超过预算10质量指标保证财政建设补助专款专用专款专用专款专用10"
    assert cut_glued(text) == ["数量指标", "成本控制", "不超过预算", "不超过预算", "10", "质量指标",
                               "保证财政建设补助专款专用", "专款专用", "专款专用", "10"]
    assert cut_glued("社会保险补贴发放准确率") == ["社会保险补贴发放准确率"]


def test_a_document_of_bare_pipes_keeps_the_empty_first_cell_of_a_merged_row():
    bare = ["一级指标 | 二级指标 | 三级指标 | 指标值", "产出指标 | 数量指标 | 人数 | 10人", " |  | 合格率 | ≥95%"]
    assert [(t.cell, t.text) for t in tokenise_lines(bare)[-2:]] == [(2, "合格率"), (3, "≥95%")]
    # outer pipes: the empty text before the first pipe is outside the table
    outer = ["| 一级指标 | 二级指标 | 三级指标 | 指标值 |", "| 产出指标 | 数量指标 | 人数 | 10人 |",
             "|  |  | 合格率 | ≥95% |"]
    assert [(t.cell, t.text) for t in tokenise_lines(outer)[-2:]] == [(2, "合格率"), (3, "≥95%")]
    # bare rows that end in an empty cell and open with one (`` |  | 合格率 | ≥95% | ``) still vote bare:
    # a line opening with spaces and a pipe is no evidence of outer pipes
    merged = ["一级指标 | 二级指标 | 三级指标 | 指标值 | ", "产出指标 | 数量指标 | 人数 | 10人 | ",
              " |  | 合格率 | ≥95% | ", " |  | 次数 | 2次 | ", " |  | 时限 | 3天 | "]
    assert [(t.cell, t.text) for t in tokenise_lines(merged)[-2:]] == [(2, "时限"), (3, "3天")]


def test_a_row_run_together_is_cut_at_its_basis_its_description_s_full_stop_and_its_qualitative_value():
    text = ("质量指标定点医药机构规范程度达标计划标准完成得满分"
            "反映定点医药机构规范程度的完成情况。参保人员办结时限不超过23天")
    assert cut_glued(text) == ["质量指标", "定点医药机构规范程度", "达标", "计划标准", "完成得满分",
                               "反映定点医药机构规范程度的完成情况。", "参保人员办结时限", "不超过23天"]
    text = "生态效益指标医疗救助对生态环境的促进作用稳步提升10考察医疗救助成效。组织培训场次＝18场次"
    assert cut_glued(text) == [
        "生态效益指标", "医疗救助对生态环境的促进作用", "稳步提升", "10", "考察医疗救助成效。",
        "组织培训场次", "＝18场次"]


def test_words_that_close_a_cell_of_their_own_are_not_cut_off_it():
    assert cut_glued("符合行业标准") == ["符合行业标准"]  # a basis word ending a value is the value's
    assert cut_glued("资金拨付及时") == ["资金拨付及时"]  # a qualitative word closing a lone cell: a name
    # after a project label, the piece is the project's name, whatever word closes it
    cells = cut_glued("项目名称办公大楼运行保障项目类别本级数量指标培训人数100人")
    assert cells[:2] == ["项目名称", "办公大楼运行保障"]


def test_a_long_qualitative_value_between_two_names_is_a_cell_of_its_own():
    text = "数量指标交通安全设施长效机制长期发挥交通安全设施可持续发展反映情况。合格率90%"
    assert cut_glued(text) == ["数量指标", "交通安全设施长效机制", "长期发挥", "交通安全设施可持续发展", "反映情况。",
                               "合格率", "90%"]


def test_a_comparator_closing_a_piece_is_cut_off_the_name_before_it():
    assert cut_glued("新增传染病防控点位大于等于") == ["新增传染病防控点位", "大于等于"]
    assert cut_glued("维修按期完成率＝") == ["维修按期完成率", "＝"]
    assert cut_glued("群众获得感不断增强，村民满意度达到") == ["群众获得感不断增强，村民满意度达到"]


def test_a_letter_spaced_level_name_glued_to_the_cells_around_it_is_one_word():
    line = "考察办结时限。成 本 指 标经济成本补助标准≤2367元指标说明预 期 产 出 指 标数量目标开展活动次数"
    assert [t.text for t in tokenise_lines([line])] == [
        "考察办结时限。", "成本指标", "经济成本", "补助标准", "≤2367元", "指标说明", "预期产出指标", "数量目标",
        "开展活动次数"]

    def cells(text):
        return [t.text for t in tokenise_lines([text])]
    # a header of its own next to another is two cells, though 指标目标值 is a header too
    assert cells("一级 二级指标 三级指标 目标值") == ["一级", "二级指标", "三级指标", "目标值"]
    assert cells("一级 二级 三级 指标值内容") == ["一级", "二级", "三级", "指标值内容"]


def test_a_scoring_rule_is_one_cell_and_its_numbers_are_no_values():
    text = "补助标准≤2367元/平方米行业标准达到目标值得满分，每降低1%扣1分用于反映补助标准。"
    assert cut_glued(text) == ["补助标准", "≤2367元/平方米", "行业标准", "达到目标值得满分，每降低1%扣1分",
                               "用于反映补助标准。"]
    assert cut_glued("活动次数≥47场完成得10分，未完成酌情扣分") == ["活动次数", "≥47场", "完成得10分，未完成酌情扣分"]


def test_a_target_and_an_actual_result_closing_a_piece_are_both_cut_off_and_every_long_value_inside():
    text = ("数量指标农村人居环境整治环境改善有所提升已完成反映情况。"
            "质量指标视频监控系统发放及时性按期完成视频监控系统完成时间年底前")
    assert cut_glued(text) == ["数量指标", "农村人居环境整治环境改善", "有所提升", "已完成", "反映情况。", "质量指标",
                               "视频监控系统发放及时性", "按期完成", "视频监控系统完成时间", "年底前"]


def test_a_names_number_printed_a_space_after_its_word_is_one_marker():
    assert texts(["指标 1：城乡居民参保人数"]) == ["指标1：", "城乡居民参保人数"]
    assert texts(["指标 就业人数"]) == ["指标", "就业人数"]  # no number: two cells


def test_a_space_inside_brackets_cuts_no_cell():
    # a name's placeholder printed with spaces inside its brackets (开发数量( ≥**个 )) stays glued to the name
    toks = tokenise_lines(["贫困地区旅游景点开发数量( ≥**个 ) >=4个"])
    assert [(t.text, t.sep) for t in toks] == [("贫困地区旅游景点开发数量", "row"), ("(≥**个)", "glue"),
                                              (">=4个", "sp1")]
    # a bracket that never closes leaves the spaces as they cut
    assert [t.text for t in tokenise_lines(["开发数量( ≥**个 >=4个"])] == ["开发数量(", "≥**个", ">=4个"]


def test_the_run_together_model_cuts_no_bare_decimal_amount_but_parts_a_weight_from_its_target():
    line = "疫苗接种可持续发展3年家庭医生签约专项资金8501.78产出指标数量指标传染病防控覆盖人数>=25590人"
    # a project's budget between its name and the first level (the model cut 850 | 1.78)
    assert "8501.78" in [t.text for t in tokenise_lines([line])]
    texts = [t.text for t in tokenise_lines(["产出指标数量指标残疾人康复达标率1096.7%以上98%10"])]
    assert texts[3:5] == ["10", "96.7%以上"]  # weight, then the target


def test_a_lone_equals_sign_is_a_comparator_cell_and_a_page_number_one_cell_of_furniture():
    texts = [t.text for t in tokenise_lines(["开展药品安全   =          49         场", "— 20 —", "=====",
                                             "名称 ...... 49"])]
    # the comparator column's 等于 printed as a sign; a rule and a dot leader are still filler
    assert texts == ["开展药品安全", "=", "49", "场", "— 20 —", "名称", "49"]
