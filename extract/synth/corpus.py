"""One synthetic document with its gold: choices of content, table grammar, separator and
garbling, drawn from a per-document random generator so that (n, seed) fixes every byte."""
from __future__ import annotations

import math
import random
import re
from typing import Any

from perfkg.extract.synth import garble
from perfkg.extract.synth.compose import (
    compose_department_rows,
    compose_rows,
    make_bureau,
    make_project,
    pick,
    real_pool,
    recombine_rows,
    vocabulary,
)
from perfkg.extract.synth.containers import SEPARATORS, render
from perfkg.extract.synth.longdoc import budget_document
from perfkg.extract.synth.model import Doc, Proj, Row, gold_record
from perfkg.extract.synth.tables import (
    GRAMMARS,
    Item,
    Style,
    framework_parent,
    outline_items,
    project_table,
    summary_table,
    wide_summary_table,
)
from perfkg.extract.text_normalise import to_simplified

_OUTLINE = ("outline", "outline_indent")
_NO_OUTLINE = ("self_evaluation", "twin_groups", "summary", "split_value", "extra_columns", "wide_summary")
# separators a wide summary (groups side by side) is printed with: tabs, pipes, spaces
_WIDE_SEPARATORS = ("tab", "pipe", "pipe_bare", "pipe_markdown", "pipe_padded", "space_runs", "space_aligned")
# grammars whose projects have a table of their own (a title per project can name it)
_OWN_TABLE = ("standard", "extra_columns", "no_level1", "no_level2", "split_value", "self_evaluation", "twin_groups")
_TITLE_SUFFIXES = ("项目绩效目标表", "绩效目标表")
_SELF_TITLE_SUFFIXES = ("项目绩效自评表", "绩效自评表")


def _stride(preferred: int, n: int) -> int:
    """A step through ``n`` families that visits every one (coprime with n)."""
    return next(k for k in (preferred, 5, 7, 3, 11, 13, 1) if math.gcd(k, n) == 1)


def _style(rng: random.Random, grammar: str) -> Style:
    style = Style(grammar=grammar)
    style.labels = "merged" if rng.random() < 0.6 else "repeated"
    style.level1_weights = grammar == "self_evaluation" and rng.random() < 0.5 or rng.random() < 0.06
    style.letter_spaced = rng.random() < 0.06
    if grammar == "extra_columns":
        pool = ["description", "score_rule", "basis", "remark", "weight"]
        rng.shuffle(pool)
        style.extras = pool[:rng.randint(1, 3)]
    orders = [["op", "num", "unit"], ["num", "unit", "op"], ["unit", "op", "num"], ["op", "unit", "num"],
              ["num", "op", "unit"]]
    style.split_order = orders[0] if rng.random() < 0.5 else pick(rng, orders)
    style.weight_first = rng.random() < 0.4
    style.group_label = rng.random() < 0.15
    style.shuffle_rows = style.labels == "repeated" and rng.random() < 0.2
    if grammar == "twin_groups":
        style.twin = pick(rng, ["full", "name_value", "value_columns"])
        style.twin_goal_rows = rng.random() < 0.4
    return style


def _level_variants(rng: random.Random, rows: list[Row]) -> None:
    """Print level names as a local template does (one spelling per document)."""
    v = vocabulary()
    names1 = {k: pick(rng, vs) for k, vs in v["level1_variants"].items()}
    names2 = {k: pick(rng, vs) for k, vs in v["level2_variants"].items()}
    for r in rows:
        r.level1 = names1.get(r.level1 or "", r.level1)
        r.level2 = names2.get(r.level2 or "", r.level2)


def _umbrella(rng: random.Random, rows: list[Row]) -> None:
    label = pick(rng, vocabulary()["outcome_umbrella"]["label"])
    for r in rows:
        r.level1, r.level2 = label, r.level1


def _extras(rng: random.Random, rows: list[Row], style: Style, year: int) -> None:
    v = vocabulary()
    g = style.grammar
    for r in rows:
        if "description" in style.extras:
            r.description = pick(rng, v["description_templates"]).format(name=r.level3)
        if "basis" in style.extras:
            r.basis = pick(rng, v["basis_values"])
        if "weight" in style.extras or g == "self_evaluation" or style.level1_weights:
            r.weight = float(rng.choice([5, 10, 10, 10, 15, 20]))
        if g == "self_evaluation":
            r.actual = _actual(rng, r)
            r.points = r.weight if rng.random() < 0.8 else max(0.0, (r.weight or 0) - rng.choice([1, 2, 0.5]))
        if g == "twin_groups":
            r.midterm = _midterm(rng, r)


def _actual(rng: random.Random, r: Row) -> str:
    if r.value is None:
        return ""
    m = re.search(r"\d+(?:\.\d+)?", r.value)
    if r.qualitative or not m:
        return r.value if rng.random() < 0.6 else pick(rng, ["已完成", "完成", "达到目标"])
    x = float(m.group(0))
    dec = len(m.group(0).split(".")[1]) if "." in m.group(0) else 0
    new = x if rng.random() < 0.5 else x * rng.uniform(0.9, 1.1)
    if "%" in r.value and new > 100:
        new = 100
    unit = r.value[m.end():]
    return (f"{new:.{dec}f}" if dec else str(int(round(new)))) + unit


def _midterm(rng: random.Random, r: Row) -> str:
    if r.value is None:
        return ""
    m = re.search(r"\d+(?:\.\d+)?", r.value)
    if r.qualitative or not m or "%" in r.value or "百分比" in r.value:
        return r.value
    x = float(m.group(0)) * rng.choice([2, 3, 5])
    return r.value[:m.start()] + str(int(round(x))) + r.value[m.end():]


def _strip_year(doc: Doc) -> None:
    pat = re.compile(rf"{doc.year}年(度)?")
    for p in doc.projects:
        p.name = pat.sub("", p.name) or p.name
        if p.goal:
            p.goal = pat.sub("", p.goal)
        for r in p.rows:
            if r.value:
                r.value = pat.sub("", r.value) or "年底前"
                if r.parts and "".join(r.parts) != r.value:  # split columns print the value's parts
                    r.parts = None
            r.level3 = pat.sub("", r.level3) or r.level3


def _title_lines(rng: random.Random, doc: Doc, kind: str, with_bureau: bool, with_year: bool) -> list[str]:
    h = vocabulary()["header_labels"]
    word = pick(rng, h[kind])
    b, y = doc.bureau, doc.year
    if with_bureau and with_year:
        return pick(rng, [[f"{b}{y}年{word}"], [f"{y}年{b}{word}"], [f"{b}{y}年度{word}"],
                          [word, f"部门名称：{b}", f"（{y}年度）"], [f"{y}年度{word}", f"主管部门 {b}"],
                          [f"{y} 年", "", b, "", "部门预算", "", word],
                          [f"{b}", f"{y}年度部门预算公开", "", word]])
    if with_year:
        return pick(rng, [[word, f"（{y}年度）"], [f"{y}年{word}"]])
    if with_bureau:
        return pick(rng, [[f"{b}{word}"], [word, f"部门名称：{b}"]])
    return [word] if rng.random() < 0.7 else []


def _cover_lines(rng: random.Random, doc: Doc, with_bureau: bool, with_year: bool) -> list[str]:
    """Document title lines that are no table title (the tables carry their own, naming the project)."""
    b, y = doc.bureau, doc.year
    if with_bureau and with_year:
        return pick(rng, [[f"{b}{y}年部门预算"], [f"{y}年{b}部门预算公开"], [b, f"{y}年度部门预算", "", "项目绩效目标"],
                          [f"{y}年度{b}单位预算", "", "七、预算绩效目标情况"]])
    if with_year:
        return pick(rng, [[f"{y}年部门预算"], [f"{y}年度项目绩效目标公开"]])
    if with_bureau:
        return pick(rng, [[f"{b}部门预算"], [b, "项目绩效目标"]])
    return [] if rng.random() < 0.5 else ["项目绩效目标"]


def _title_only_name(rng: random.Random, p: Proj, grammar: str) -> None:
    """The name a title prints (〈name〉项目绩效目标表 / 〈name〉绩效目标表): a name ending in 项目
    loses it to the title word, so the gold holds what comes before 项目绩效目标表."""
    if p.name.endswith("项目") and len(p.name) > 4:
        p.name = p.name[:-2]
    p.title_suffix = pick(rng, _SELF_TITLE_SUFFIXES if grammar == "self_evaluation" else _TITLE_SUFFIXES)


Cell = tuple[str, str]


def document(seed: int, index: int, sources: tuple[str, ...] = ("seeds", "dev")) -> tuple[str, str, dict[str, Any]]:
    """Document ``index`` of the corpus ``seed``: (file name, text, gold record)."""
    name, text, gold, _ = labelled_document(seed, index, sources)
    return name, text, gold


def labelled_document(seed: int, index: int, sources: tuple[str, ...] = ("seeds", "dev")
                      ) -> tuple[str, str, dict[str, Any], list[Cell]]:
    """Document ``index`` with its gold and its printed table cells in reading order, each with
    its role (level1, level2, level3, value, op, num, unit, actual, weight, label, project_name,
    budget_total, goal, header, furniture …): labelled cells for a content model."""
    rng = random.Random(f"perfkg-synth:{seed}:{index}")
    grammar = GRAMMARS[(index + seed) % len(GRAMMARS)]
    separator = SEPARATORS[(index * _stride(5, len(SEPARATORS)) + seed * 3) % len(SEPARATORS)]
    forced = garble.GARBLINGS[(index * _stride(7, len(garble.GARBLINGS)) + seed) % len(garble.GARBLINGS)]
    if separator in _OUTLINE and grammar in _NO_OUTLINE:
        separator = pick(rng, [s for s in SEPARATORS if s not in _OUTLINE])
    if grammar == "wide_summary" and separator not in _WIDE_SEPARATORS:
        separator = pick(rng, _WIDE_SEPARATORS)
    wants = {g for g in garble.GARBLINGS if g == forced or rng.random() < 0.12}
    if "traditional" in wants and "ocr_characters" in wants:
        wants.discard("ocr_characters" if forced != "ocr_characters" else "traditional")
    name = f"synth_{seed}_{index:05d}.txt"
    long = "long_document" in wants

    topic = pick(rng, list(vocabulary()["topics"]))
    doc = Doc(bureau=make_bureau(rng, topic), year=rng.randint(2018, 2026), topic=topic)
    style = _style(rng, grammar)
    style.budget_yuan = "budget_yuan" in wants
    style.header_wrap = "header_wrap" in wants
    style.shift = "merged_shift" in wants
    if "merged_blank" in wants or style.shift:
        style.labels = "merged"
        style.shuffle_rows = False
    if "markers" in wants:
        style.markers = pick(rng, vocabulary()["markers"])
    split = grammar == "split_value"
    pool = real_pool(tuple(s for s in sources if s in ("seeds", "dev")))
    recombined = bool(pool) and grammar != "department" and rng.random() < 0.35
    nonstandard = rng.random() < 0.25
    cost_level1 = rng.random() < 0.6
    umbrella = grammar == "standard" and not recombined and rng.random() < 0.3

    n_projects = {"summary": rng.randint(2, 4), "wide_summary": rng.randint(2, 5)}.get(
        grammar, rng.choice([1, 1, 1, 2, 2, 3]))
    if long and grammar in _OWN_TABLE:
        n_projects = max(n_projects, rng.randint(2, 4))
    if grammar == "department":
        dept = make_project(rng, doc, compose_department_rows(rng, topic, doc.year, split), kind="department")
        doc.projects.append(dept)
        n_projects = rng.choice([0, 0, 1, 2])
    for _ in range(n_projects):
        if recombined:
            rows = recombine_rows(rng, pool, topic, rng.randint(5, 14), split, cost_level1)
        else:
            rows = compose_rows(rng, topic, doc.year, cost_level1, rng.randint(3, 8), split)
        doc.projects.append(make_project(rng, doc, rows))
    features = [f"labels_{style.labels}", "recombined" if recombined else "composed"]
    features.append("cost_level1" if cost_level1 else "cost_level2")
    if nonstandard:
        _level_variants(rng, [r for p in doc.projects if p.kind != "department" for r in p.rows])
    for p in doc.projects:
        if p.kind == "department":
            continue
        if umbrella:
            _umbrella(rng, p.rows)
        if grammar == "no_level1":
            for r in p.rows:
                r.gold_level1 = framework_parent(r.level2)
        if grammar == "no_level2":
            for r in p.rows:
                r.level2 = None
        if grammar == "twin_groups":
            p.midterm_goal = "实施期内" + (p.goal or "")
        if rng.random() < 0.1:
            p.budget_printed = False
        elif rng.random() < 0.15:
            p.budget_parts_printed = False
        if rng.random() < 0.08:
            p.goal_printed = False
    for p in doc.projects:
        _extras(rng, p.rows, style, doc.year)
    if nonstandard:
        features.append("nonstandard_levels")
    if umbrella:
        features.append("umbrella_level1")
    if style.level1_weights:
        features.append("level1_weights")
    if style.shuffle_rows:
        features.append("groups_out_of_order")
    if grammar == "extra_columns":
        features += [f"extra_{e}" for e in style.extras]
    if grammar == "self_evaluation":
        features.append("weight_first" if style.weight_first else "weight_after")
    if grammar == "twin_groups":
        features.append(f"twin_{style.twin}")
        if style.twin_goal_rows:
            features.append("twin_goal_rows")

    # where bureau and year are printed
    no_title = "no_title" in wants and grammar != "department"
    title_bureau = not no_title and rng.random() < 0.85
    title_year = not no_title and rng.random() < 0.9
    meta_bureau = grammar not in ("summary", "wide_summary") and (
        rng.random() < 0.6 or (not title_bureau and not no_title))
    if no_title:
        meta_bureau = False
        title_year = rng.random() < 0.4
    doc.bureau_printed = title_bureau or meta_bureau or grammar == "department"
    doc.year_printed = title_year
    if not doc.year_printed:
        _strip_year(doc)

    garbling: list[str] = []
    for key, fn in (("lost_values", garble.lose_values), ("ocr_comparators", garble.ocr_comparators),
                    ("ocr_characters", garble.ocr_characters)):
        if key in wants and fn(rng, doc):
            garbling.append(key)

    kind = {"self_evaluation": "title_self", "department": "title_department", "summary": "title_summary",
            "wide_summary": "title_summary"}.get(grammar, "title_project")
    title_name = "title_name" in wants and grammar in _OWN_TABLE and separator not in _OUTLINE
    style.title_name = title_name
    if title_name:
        for p in doc.projects:
            _title_only_name(rng, p, grammar)
    if long:  # the document's title comes with the whole document; a table of several projects keeps its own
        items: list[Item] = [] if grammar in _OWN_TABLE else [
            Item("title", [pick(rng, vocabulary()["header_labels"][kind])])]
    elif title_name:
        items = [Item("title", [line]) for line in _cover_lines(rng, doc, title_bureau, title_year)]
    else:
        items = [Item("title", [line]) for line in _title_lines(rng, doc, kind, title_bureau, title_year)]
    wide_bureau = grammar == "wide_summary" and rng.random() < 0.5 and not any(
        doc.bureau in c for it in items for c in it.cells)
    if style.budget_yuan and grammar == "summary":
        items.append(Item("title", [pick(rng, ["金额单位：元", "单位：元", "单位:元"])]))
    elif grammar == "summary" and rng.random() < 0.5:
        items.append(Item("title", [pick(rng, ["金额单位：万元", "单位：万元"])]))
    if wide_bureau:
        items += [Item("text", [""]), Item("text", [pick(rng, ["单位名称：", "部门名称：", "单位名称:"]) + doc.bureau]),
                  Item("text", [""])]
    if grammar == "summary":
        items += summary_table(rng, doc, style)
    elif grammar == "wide_summary":
        wide, wide_features = wide_summary_table(rng, doc, style)
        items += wide
        features += wide_features
        if "wide_unit_row" in wide_features or wide_bureau:
            doc.bureau_printed = True
    else:
        numbering = pick(rng, ["", "", "{n}、", " {n}、", "（{c}）"] if title_name
                         else ["", "{n}、", " {n}、", "（{c}）"])
        for k, p in enumerate(doc.projects):
            number = numbering.format(n=k + 1, c="一二三四五六七八九十"[k % 10])
            if title_name:
                items.append(Item("title", [number + p.name + p.title_suffix], ["project_title"]))
            elif long:  # each project's table under its own title (the name is printed in its header too)
                suffix = pick(rng, ["绩效目标表", "支出绩效目标表"] if p.name.endswith("项目") else
                              ["项目绩效目标表", "绩效目标表", "项目支出绩效目标表"])
                items.append(Item("title", [number + p.name + suffix], ["project_title"]))
            elif k and rng.random() < 0.5:
                items.append(Item("title", [pick(rng, vocabulary()["header_labels"]["title_project"])]))
            elif k:
                items.append(Item("text", [""]))
            if separator in _OUTLINE:
                items += outline_items(rng, doc, p, style, separator == "outline_indent", meta_bureau)
            else:
                items += project_table(rng, doc, p, style, meta_bureau)
    if separator not in _OUTLINE:
        if "wrapped_cells" in wants and grammar != "wide_summary" and garble.wrap_cells(rng, items):
            garbling.append("wrapped_cells")
        if ("page_breaks" in wants or long and rng.random() < 0.7) and garble.page_breaks(rng, items):
            garbling.append("page_breaks")
    if long:
        items = budget_document(rng, doc, items, title_bureau, title_year)
        garbling.append("long_document")
    if style.labels == "merged" and separator not in _OUTLINE:
        garbling.append("merged_blank")
    if style.shift and separator not in _OUTLINE:
        garbling.append("merged_shift")
    if style.markers and separator != "outline":
        garbling.append("markers")
    if style.header_wrap and separator not in _OUTLINE:
        garbling.append("header_wrap")
    if style.budget_yuan and any(p.budget_printed for p in doc.projects):
        garbling.append("budget_yuan")
    if no_title:
        garbling.append("no_title")
    if title_name:
        garbling.append("title_name")

    text = render(items, separator, rng)
    if "portal_furniture" in wants:
        before, after = garble.furniture(rng, doc, doc.bureau if doc.bureau_printed else "本站")
        garbling.append("portal_furniture")
    else:
        before, after = [], []
    traditional = "traditional" in wants
    if traditional:
        before = ([garble.insert_pinyin(rng, line) for line in before]
                  or [garble.insert_pinyin(rng, "本页面内容为繁体版")])
        garbling.append("traditional")
    text = "\n".join(before + [text.rstrip("\n")] + after) + "\n"
    if traditional:
        text = garble.to_traditional(text)

    def convert(s: str) -> str:
        return to_simplified(garble.to_traditional(s)) if traditional else s

    tags = {"family": separator, "grammar": grammar, "features": features, "garbling": garbling}
    cells = [(garble.to_traditional(c) if traditional else c, role)
             for it in items for c, role in zip(it.cells, it.cell_roles()) if c]
    return name, text, gold_record(doc, name, tags, convert), cells
