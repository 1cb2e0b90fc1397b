"""Table grammars of the generator: a project (or several) laid out as rows of cells.

Each grammar (standard, extra columns, no level-1 or level-2 column, separate comparator /
number / unit columns, self-evaluation, twin 中长期/年度 groups, multi-project summary,
department-wide, wide summary with the level-1 groups side by side) gives header rows, project-header
rows and indicator rows as :class:`Item` lists; the containers (``extract.synth.containers``) print them.
"""
from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from perfkg.extract.synth.compose import pick, split_printed, vocabulary
from perfkg.extract.synth.model import Doc, Proj, Row

GRAMMARS = ("standard", "extra_columns", "no_level1", "no_level2", "split_value", "self_evaluation",
            "twin_groups", "summary", "department", "wide_summary")


@dataclass
class Item:
    """One printed row: ``role`` is text/title/furniture/page/meta/header/ind; ``cells`` its cells."""

    role: str
    cells: list[str]
    roles: list[str] | None = None  # what each cell is (level1, level3, value, label, goal …)

    def cell_roles(self) -> list[str]:
        if self.roles is not None:
            return self.roles
        return [{"header": "header", "page": "furniture", "title": "title"}.get(self.role, "text")] * len(self.cells)


@dataclass
class Style:
    """The per-document choices of a table grammar."""

    grammar: str = "standard"
    labels: str = "merged"            # merged (first row of a block only) | repeated (every row)
    level1_weights: bool = False      # 产出指标(50分)
    letter_spaced: bool = False       # 产 出 指 标
    extras: list[str] = field(default_factory=list)
    split_order: list[str] = field(default_factory=lambda: ["op", "num", "unit"])
    weight_first: bool = False        # self-evaluation: 分值 before 年度指标值
    budget_yuan: bool = False
    header_wrap: bool = False         # 一级\n指标
    shift: bool = False               # blank merged cells dropped: the row shifted left
    group_label: bool = False         # 绩效指标 | 一级指标 | … header with a leading group cell
    markers: str = ""                 # marker family printed before names
    umbrella: bool = False            # 实施效果指标 | 产出指标 | name
    shuffle_rows: bool = False        # repeated labels, rows in any order
    title_name: bool = False          # the project name printed only in its title (〈name〉项目绩效目标表)
    twin: str = "full"                # twin groups: full (two level+name+value groups) | name_value | value_columns
    twin_goal_rows: bool = False      # twin goals printed as numbered pieces, one row each, side by side


@lru_cache(maxsize=1)
def _level2_parents() -> dict[str, str]:
    data = json.loads((Path(__file__).resolve().parents[1] / "data" / "framework.json").read_text(encoding="utf-8"))
    parents: dict[str, str] = {}
    for name, entry in data["level2"].items():
        for label in [name, *entry["variants"]]:
            parents.setdefault(label, entry["parent"])
    return parents


def framework_parent(level2: str | None) -> str | None:
    """The framework level-1 of a level-2 label (or a variant of one); None when unknown."""
    return _level2_parents().get(level2 or "")


def _header_word(rng: random.Random, role: str, style: Style) -> str:
    v = vocabulary()["column_words"]
    word = pick(rng, v[role])
    if style.header_wrap and len(word) == 4 and role in ("level1", "level2", "level3"):
        word = word[:2] + "\n" + word[2:]
    return word


def _fmt_weight(w: float | None) -> str:
    if w is None:
        return ""
    return str(int(w)) if float(w).is_integer() else f"{w:g}"


def _spaced(label: str) -> str:
    return " ".join(label)


def _marker(style: Style, n: int) -> str:
    if not style.markers:
        return ""
    return style.markers.replace("{n}", str(n))


_CELL_ROLE = {"target": "value", "mid_value": "midterm"}


def cell_roles(columns: list[str], cells: list[str] | None = None) -> list[str]:
    """The role of each cell of an indicator row printed with ``columns``; a text printed in the
    number column of a split table (a qualitative value) is a ``value``."""
    roles = [_CELL_ROLE.get(c, c) for c in columns]
    if cells is not None:
        roles = ["value" if r == "num" and c and not re.fullmatch(r"[\d.,]+", c) else r for r, c in zip(roles, cells)]
    return roles


def _row_cells(columns: list[str], r: Row, l1: str, l2: str, marker: str, score_rule: str) -> list[str]:
    cells = []
    for c in columns:
        if c == "level1":
            cells.append(l1)
        elif c == "level2":
            cells.append(l2)
        elif c == "level3":
            cells.append(marker + r.level3)
        elif c in ("value", "target"):
            cells.append(r.value or "")
        elif c in ("op", "num", "unit"):
            if r.value is None:
                cells.append("")
            else:
                parts = r.parts or split_printed(r.value) or ("", r.value, "")
                cells.append(parts[("op", "num", "unit").index(c)])
        elif c == "value_type":
            cells.append("定性" if r.qualitative else "定量")
        elif c == "description":
            cells.append(r.description or "")
        elif c == "basis":
            cells.append(r.basis or "")
        elif c == "score_rule":
            cells.append(score_rule)
        elif c == "weight":
            cells.append(_fmt_weight(r.weight))
        elif c == "actual":
            cells.append(r.actual or "")
        elif c == "points":
            cells.append(_fmt_weight(r.points))
        elif c == "mid_value":
            cells.append(r.midterm or "")
        else:  # remark, reason
            cells.append("")
    return cells


def indicator_columns(rng: random.Random, style: Style) -> list[str]:
    g = style.grammar
    if g == "no_level1":
        return ["level2", "level3", "value"]
    if g == "no_level2":
        return ["level1", "level3", "value"]
    if g == "split_value":
        cols = ["level1", "level2", "level3"]
        middle = list(style.split_order)
        if rng.random() < 0.5:
            middle.insert(rng.randrange(len(middle) + 1), "value_type")
        cols += middle
        if rng.random() < 0.4:
            cols.append(pick(rng, ["weight", "description", "remark"]))
        return cols
    if g == "self_evaluation":
        core = ["weight", "target", "actual"] if style.weight_first else ["target", "actual", "weight"]
        return ["level1", "level2", "level3", *core, "points", "reason"]
    cols = ["level1", "level2", "level3", "value"]
    if g == "extra_columns":
        extras = list(style.extras)
        if "description" in extras and rng.random() < 0.3:
            cols.insert(3, "description")
            extras.remove("description")
        cols += extras
    return cols


def header_items(rng: random.Random, style: Style, columns: list[str]) -> list[Item]:
    v = vocabulary()["column_words"]
    words = []
    for c in columns:
        if c in ("level1", "level2", "level3"):
            words.append(_header_word(rng, c, style))
        elif c == "value":
            words.append(pick(rng, v["value"]))
        elif c == "target":
            words.append(pick(rng, v["target_self"]))
        elif c == "num":
            words.append(pick(rng, v["value_split"]))
        elif c == "op":
            words.append(pick(rng, v["op"][:3]))
        else:
            words.append(pick(rng, v[{"mid_value": "value"}.get(c, c)]))
    if style.group_label:
        words.insert(0, pick(rng, ["绩效指标", "年度绩效指标", "绩效指标"]))
    return [Item("header", words)]


def indicator_items(rng: random.Random, proj: Proj, style: Style, columns: list[str],
                    weights: dict[str, int]) -> list[Item]:
    """Indicator rows: level labels merged or repeated, markers, level-1 weights."""
    rows = proj.rows
    if style.shuffle_rows:
        rng.shuffle(rows)  # in place: the gold lists the rows in printed order
    v = vocabulary()
    items: list[Item] = []
    prev1 = prev2 = object()
    n = 0
    for r in rows:
        n = n + 1 if r.level2 == prev2 or style.markers in ("★", "*", "※") else 1
        l1_label = r.level1 or ""
        if style.level1_weights and l1_label in weights:
            l1_label = l1_label + pick(rng, ["({}分)", "（{}分）"]).format(weights[l1_label])
        if style.letter_spaced and r.level1:
            l1_label = _spaced(l1_label) if not style.level1_weights else _spaced(r.level1) + l1_label[len(r.level1):]
        new1 = r.level1 != prev1
        new2 = new1 or r.level2 != prev2
        merged = style.labels == "merged"
        l1 = l1_label if (new1 or not merged) else ""
        l2 = (r.level2 or "") if (new2 or not merged) else ""
        marker = _marker(style, n) if (style.markers not in ("★", "*", "※") or rng.random() < 0.5) else ""
        r.marker = marker
        cells = _row_cells(columns, r, l1, l2, marker, pick(rng, v["score_rules"]))
        roles = cell_roles(columns, cells)
        if style.group_label:
            cells.insert(0, "")
            roles.insert(0, "blank")
        if style.shift:
            while cells and not cells[0]:
                cells.pop(0)
                roles.pop(0)
        items.append(Item("ind", cells, roles))
        prev1, prev2 = r.level1, r.level2
    return items


def _budget_text(x: float | None, style: Style, rng: random.Random) -> str:
    if x is None:
        return ""
    if style.budget_yuan:
        yuan = int(round(x * 10000))
        return pick(rng, [f"{yuan:,}.00", str(yuan), f"{yuan}.00", f"{yuan:,}"])
    if float(x).is_integer():
        return pick(rng, [str(int(x)), f"{x:.2f}", str(int(x))])
    return f"{x:g}" if rng.random() < 0.6 else f"{x:.2f}"


def meta_items(rng: random.Random, doc: Doc, proj: Proj, style: Style, show_bureau: bool) -> list[Item]:
    """The project header: name, code, 主管部门 / 实施单位, budget, goal, in varied order."""
    h = vocabulary()["header_labels"]
    pairs: list[list[str]] = []
    roles: dict[str, str] = {}
    if proj.kind == "department":
        pairs.append([pick(rng, h["dept_name"]), proj.name])
    elif not style.title_name:
        pairs.append([pick(rng, h["name"]), proj.name])
    roles[proj.name] = "project_name"
    if proj.code and proj.code_printed:
        pairs.append([pick(rng, h["code"]), proj.code])
        roles[proj.code] = "project_code"
    if show_bureau and proj.kind != "department":
        pairs.append([pick(rng, h["bureau"][:4]), doc.bureau])
        roles.setdefault(doc.bureau, "bureau")
        if proj.unit and rng.random() < 0.6:
            pairs.append([pick(rng, h["unit"]), proj.unit])
            roles.setdefault(proj.unit, "unit")
    if rng.random() < 0.25:
        pairs.reverse() if len(pairs) == 2 else rng.shuffle(pairs)
    items: list[Item] = []
    if rng.random() < 0.5:
        for i in range(0, len(pairs), 2):
            cells = [c for pair in pairs[i:i + 2] for c in pair]
            items.append(Item("meta", cells,
                              [roles.get(c, "label") if k % 2 else "label" for k, c in enumerate(cells)]))
    else:
        items += [Item("meta", pair, ["label", roles.get(pair[1], "label")]) for pair in pairs]
    budget = _budget_items(rng, proj, style)
    goal = _goal_items(rng, proj, style)
    items += (goal + budget) if rng.random() < 0.2 else (budget + goal)
    return items


def _budget_items(rng: random.Random, proj: Proj, style: Style) -> list[Item]:
    h = vocabulary()["header_labels"]
    if not proj.budget_printed:
        return []
    funds = pick(rng, h["funds_yuan"] if style.budget_yuan else h["funds"])
    t, f, o = (_budget_text(x, style, rng) for x in (proj.total, proj.fiscal, proj.other))
    if style.grammar == "self_evaluation":
        total = proj.total
        spent = total * rng.choice([1, 1, 0.98, 0.95]) if total else None
        s = _budget_text(spent, style, rng)
        rate = "100%" if not total or spent is None or spent == total else f"{round(spent / total * 100)}%"
        fig = ["figure"] * 4
        rows = [Item("meta", [funds, "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
                     ["label"] * 8),
                Item("meta", ["", pick(rng, h["total"][:2]), t, t, s, "10", rate, "10"],
                     ["blank", "label", "budget_total", "budget_total", *fig])]
        if proj.budget_parts_printed:
            rows.append(Item("meta", ["", pick(rng, h["fiscal"][:3]), f, f, s if not proj.other else f, "—", "—", "—"],
                             ["blank", "label", "budget_fiscal", "budget_fiscal", *fig]))
            rows.append(Item("meta", ["", pick(rng, h["other"][:2]), o, o, o, "—", "—", "—"],
                             ["blank", "label", "budget_other", "budget_other", *fig]))
        return rows
    form = rng.randrange(3) if proj.budget_parts_printed else 3
    if form == 0:
        return [Item("meta", [funds, pick(rng, h["total"]), t, pick(rng, h["fiscal"]), f, pick(rng, h["other"]), o],
                     ["label", "label", "budget_total", "label", "budget_fiscal", "label", "budget_other"])]
    if form == 1:
        return [Item("meta", [funds, pick(rng, h["total"]), t], ["label", "label", "budget_total"]),
                Item("meta", ["", pick(rng, h["fiscal"]), f], ["blank", "label", "budget_fiscal"]),
                Item("meta", ["", pick(rng, h["other"]), o], ["blank", "label", "budget_other"])]
    if form == 2:
        return [Item("meta", [funds, "年度资金总额", "财政拨款", "其他资金"], ["label"] * 4),
                Item("meta", ["", t, f, o], ["blank", "budget_total", "budget_fiscal", "budget_other"])]
    label = "预算金额（元）" if style.budget_yuan else pick(rng, ["预算金额（万元）", "项目资金（万元）",
                                                                   "年度预算金额（万元）"])
    return [Item("meta", [label, t], ["label", "budget_total"])]


def _goal_items(rng: random.Random, proj: Proj, style: Style) -> list[Item]:
    h = vocabulary()["header_labels"]
    if not proj.goal_printed or not proj.goal:
        return []
    if style.grammar == "self_evaluation":
        return [Item("meta", ["年度总体目标", "预期目标", "实际完成情况"], ["label"] * 3),
                Item("meta", ["", proj.goal, "已完成年度目标，" + pick(rng, vocabulary()["effects"]) + "。"],
                     ["blank", "goal", "goal_actual"])]
    if style.grammar == "twin_groups":
        mid_word, year_word = pick(rng, h["goal_midterm"]), pick(rng, ["年度目标", "年度绩效目标"])
        if style.twin_goal_rows:
            return _twin_goal_rows(rng, proj, mid_word, year_word)
        return [Item("meta", [mid_word, proj.midterm_goal or "", year_word,
                              proj.goal], ["label", "goal_midterm", "label", "goal"])]
    label = pick(rng, h["department_goal"] if proj.kind == "department" else h["goal"])
    return [Item("meta", [label, proj.goal], ["label", "goal"])]


def group_weights(rng: random.Random, rows: list[Row]) -> dict[str, int]:
    """Points per level-1 group (产出指标(50分)): the sum of row weights, or a template figure."""
    sums: dict[str, float] = {}
    for r in rows:
        if r.level1:
            sums[r.level1] = sums.get(r.level1, 0) + (r.weight or 0)
    fixed = {"产出指标": 50, "效益指标": 30, "满意度指标": 10, "成本指标": 10}
    return {k: int(s) if s else fixed.get(k, 20) for k, s in sums.items()}


def project_table(rng: random.Random, doc: Doc, proj: Proj, style: Style, show_bureau: bool) -> list[Item]:
    """A whole project table: header block then indicator header and rows."""
    items = meta_items(rng, doc, proj, style, show_bureau)
    if style.grammar == "twin_groups":
        return items + _twin_items(rng, proj, style)
    columns = indicator_columns(rng, style)
    if rng.random() < 0.3 and not style.group_label:
        items.append(Item("header", [pick(rng, ["绩效指标", "年度绩效指标", "项目绩效指标", "绩效目标指标"])]))
    items += header_items(rng, style, columns)
    items += indicator_items(rng, proj, style, columns, group_weights(rng, proj.rows))
    return items


def _goal_pieces(text: str) -> list[str]:
    """A goal cut after its sentences (。；) and, for long ones, after commas: the pieces join to it."""
    pieces = [x for x in re.split(r"(?<=[。；;])", text) if x]
    out: list[str] = []
    for x in pieces:
        if len(x) > 24 and "，" in x[6:-4]:
            k = x.index("，", 6) + 1
            out += [x[:k], x[k:]]
        else:
            out.append(x)
    return out or [text]


def _twin_goal_rows(rng: random.Random, proj: Proj, mid_word: str, year_word: str) -> list[Item]:
    """中长期目标 | 年度目标 over rows holding the goals piece by piece (numbered or not)."""
    mid, year = _goal_pieces(proj.midterm_goal or ""), _goal_pieces(proj.goal or "")
    if rng.random() < 0.5:
        mid = [f"{k + 1}.{x}" for k, x in enumerate(mid)]
        year = [f"{k + 1}.{x}" for k, x in enumerate(year)]
        proj.goal, proj.midterm_goal = "".join(year), "".join(mid)
    label = pick(rng, ["绩效目标", "总体目标", ""])
    items = [Item("meta", [label, mid_word, year_word], ["label" if label else "blank", "label", "label"])]
    for k in range(max(len(mid), len(year))):
        cells = ["", mid[k] if k < len(mid) else "", year[k] if k < len(year) else ""]
        items.append(Item("meta", cells,
                          ["blank", "goal_midterm" if cells[1] else "blank", "goal" if cells[2] else "blank"]))
    return items


def _twin_items(rng: random.Random, proj: Proj, style: Style) -> list[Item]:
    if style.twin == "value_columns":
        return _twin_value_columns(rng, proj, style)
    if style.twin == "name_value":
        return _twin_name_value(rng, proj, style)
    v = vocabulary()["column_words"]
    annual_first = rng.random() < 0.2
    words = [_header_word(rng, "level1", style), _header_word(rng, "level2", style),
             _header_word(rng, "level3", style), pick(rng, v["value"][:3])]
    left, right = ("年度指标", "中长期指标") if annual_first else ("中长期指标", "年度指标")
    items = [Item("header", [left, "", "", "", right, "", "", ""]), Item("header", words + words)]
    prev1 = prev2 = object()
    for r in proj.rows:
        l1 = r.level1 if r.level1 != prev1 or style.labels == "repeated" else ""
        l2 = r.level2 if (r.level1 != prev1 or r.level2 != prev2 or style.labels == "repeated") else ""
        mid_name = r.level3 if rng.random() < 0.5 else pick(rng, ["累计", "实施期", "三年"]) + r.level3
        mid = [l1 or "", l2 or "", mid_name, r.midterm or ""]
        annual = [l1 or "", l2 or "", r.level3, r.value or ""]
        aroles = ["level1", "level2", "level3", "value"]
        mroles = ["midterm_level1", "midterm_level2", "midterm_level3", "midterm"]
        items.append(Item("ind", annual + mid if annual_first else mid + annual,
                          aroles + mroles if annual_first else mroles + aroles))
        prev1, prev2 = r.level1, r.level2
    return items


def _twin_levels(rows: list[Row], style: Style) -> list[tuple[str, str]]:
    """The level labels each row prints (merged: only where they change)."""
    out = []
    prev1 = prev2 = object()
    for r in rows:
        l1 = r.level1 if r.level1 != prev1 or style.labels == "repeated" else ""
        l2 = r.level2 if (r.level1 != prev1 or r.level2 != prev2 or style.labels == "repeated") else ""
        out.append((l1 or "", l2 or ""))
        prev1, prev2 = r.level1, r.level2
    return out


def _twin_value_columns(rng: random.Random, proj: Proj, style: Style) -> list[Item]:
    """One group of level and name columns with two value columns: 中期指标值 | 年度指标值."""
    annual_first = rng.random() < 0.2
    mid_word = pick(rng, ["中期指标值", "中长期指标值", "实施期指标值", "中期目标值"])
    year_word = pick(rng, ["年度指标值", "年度目标值", "本年度指标值"])
    words = [_header_word(rng, "level1", style), _header_word(rng, "level2", style), _header_word(rng, "level3", style)]
    items = [Item("header", words + ([year_word, mid_word] if annual_first else [mid_word, year_word]))]
    for r, (l1, l2) in zip(proj.rows, _twin_levels(proj.rows, style)):
        values = [r.value or "", r.midterm or ""] if annual_first else [r.midterm or "", r.value or ""]
        vroles = ["value", "midterm"] if annual_first else ["midterm", "value"]
        items.append(Item("ind", [l1, l2, r.level3] + values, ["level1", "level2", "level3"] + vroles))
    return items


def _twin_name_value(rng: random.Random, proj: Proj, style: Style) -> list[Item]:
    """Level columns once, then two groups of name + value: 中长期指标 (三级指标 | 指标值) and 年度指标."""
    v = vocabulary()["column_words"]
    annual_first = rng.random() < 0.2
    left, right = (("年度指标", "中长期指标") if annual_first
                   else (pick(rng, ["中长期指标", "中期指标", "实施期指标"]), "年度指标"))
    l3, val = _header_word(rng, "level3", style), pick(rng, v["value"][:3])
    items = [Item("header", ["", "", left, "", right, ""]),
             Item("header", [_header_word(rng, "level1", style), _header_word(rng, "level2", style), l3, val, l3, val])]
    for r, (l1, l2) in zip(proj.rows, _twin_levels(proj.rows, style)):
        mid_name = r.level3 if rng.random() < 0.5 else pick(rng, ["累计", "实施期", "三年"]) + r.level3
        mid, annual = [mid_name, r.midterm or ""], [r.level3, r.value or ""]
        mroles, aroles = ["midterm_level3", "midterm"], ["level3", "value"]
        items.append(Item("ind", [l1, l2] + (annual + mid if annual_first else mid + annual),
                          ["level1", "level2"] + (aroles + mroles if annual_first else mroles + aroles)))
    return items


def summary_table(rng: random.Random, doc: Doc, style: Style) -> list[Item]:
    """Several projects in one table; the project cells printed on each project's first row."""
    v = vocabulary()["column_words"]
    with_code = any(p.code for p in doc.projects) and rng.random() < 0.7
    with_goal = rng.random() < 0.8
    budget_word = ("预算数（元）" if style.budget_yuan
                   else pick(rng, ["预算数", "资金总额", "预算金额（万元）", "年度预算"]))
    head = ["项目名称"] + (["项目编码"] if with_code else []) + [budget_word] + (["年度目标"] if with_goal else [])
    split = style.split_order if rng.random() < 0.4 else None
    ind_cols = ["level1", "level2", "level3"] + (list(split) if split else ["value"])
    words = [_header_word(rng, "level1", style), _header_word(rng, "level2", style), pick(rng, v["level3"])]
    words += ([{"op": "指标性质", "num": "指标值", "unit": "度量单位"}[c] for c in split] if split
              else [pick(rng, v["value"])])
    items = [Item("header", head + words)]
    for p in doc.projects:
        p.code_printed = with_code
        p.goal_printed = with_goal
        p.budget_parts_printed = False
        first = True
        prev1 = prev2 = object()
        for r in p.rows:
            pcells = [p.name] + ([p.code or ""] if with_code else []) + [_budget_text(p.total, style, rng)] + \
                     ([p.goal or ""] if with_goal else [])
            if not first:
                pcells = [""] * len(pcells)
            l1 = r.level1 if (r.level1 != prev1 or style.labels == "repeated" or first) else ""
            l2 = r.level2 if (r.level2 != prev2 or r.level1 != prev1 or style.labels == "repeated" or first) else ""
            cells = pcells + _row_cells(ind_cols, r, l1 or "", l2 or "", "", "")
            roles = ["project_name"] + (["project_code"] if with_code else []) + ["budget_total"] + \
                (["goal"] if with_goal else []) + cell_roles(ind_cols, cells[len(pcells):])
            if style.shift and not first:
                while cells and not cells[0]:
                    cells.pop(0)
                    roles.pop(0)
            items.append(Item("ind", cells, roles))
            first = False
            prev1, prev2 = r.level1, r.level2
    return items


def outline_items(rng: random.Random, doc: Doc, proj: Proj, style: Style, indent: bool,
                  show_bureau: bool) -> list[Item]:
    """A project as an outline: 【产出指标-数量指标】 then 指标1:name(value) lines, or an
    indented tree (level 1, level 2 indented, names and values aligned below)."""
    items: list[Item] = []
    name_label = "部门名称" if proj.kind == "department" else pick(rng, ["项目名称", "项目名称", "专项名称"])
    items.append(Item("text", [f"{name_label}：{proj.name}"]))
    if proj.code and proj.code_printed:
        items.append(Item("text", [f"项目编码：{proj.code}"]))
    if show_bureau and proj.kind != "department":
        items.append(Item("text", [f"{pick(rng, vocabulary()['header_labels']['bureau'][:3])}：{doc.bureau}"]))
    proj.budget_parts_printed = False
    if proj.budget_printed:
        total = proj.total or 0
        items.append(Item("text", [f"预算金额：{int(round(total * 10000))}元" if style.budget_yuan
                                   else f"预算金额：{total:g}万元"]))
    if proj.goal and proj.goal_printed:
        if indent:
            items.append(Item("text", [f"绩效目标：{proj.goal}"]))
        else:
            items += [Item("text", ["【总体目标】"]), Item("text", [proj.goal])]
    if indent:
        items.append(Item("text", ["绩效指标      指标值"]))
    prev1 = prev2 = object()
    n = 0
    for r in proj.rows:
        if indent:
            if r.level1 != prev1:
                items.append(Item("text", [r.level1 or ""]))
            if r.level2 and (r.level2 != prev2 or r.level1 != prev1):
                items.append(Item("text", ["    " + r.level2]))
            pad = " " * max(2, 30 - 2 * len(r.level3))
            n = n + 1 if r.level2 == prev2 else 1
            r.marker = _marker(style, n)
            items.append(Item("text", ["        " + r.marker + r.level3 + pad + (r.value or "")]))
        else:
            if r.level1 != prev1 or r.level2 != prev2:
                items.append(Item("text", [f"【{r.level1}-{r.level2}】" if r.level2 else f"【{r.level1}】"]))
                n = 0
            n += 1
            value = f"({r.value})" if r.value else ""
            items.append(Item("text", [f"指标{n}:{r.level3}{value}" if not r.marker
                                       else f"{r.marker}{r.level3}{value}"]))
        prev1, prev2 = r.level1, r.level2
    return items


# ---------------------------------------------------------------- wide summary: level-1 groups side by side


def spaced_wrap(rng: random.Random, text: str, width: int | None = None) -> str:
    """``text`` as a narrow cell that a PDF export flattened: the wrapped pieces joined by spaces
    (农村人居 环境整 治提升); digit and Latin runs are not cut."""
    width = width or rng.randint(3, 6)
    pieces: list[str] = []
    k = 0
    while k < len(text):
        step = max(2, width + rng.choice([-1, 0, 0, 1]))
        cut = min(len(text), k + step)
        while 0 < cut < len(text) and text[cut - 1].isascii() and text[cut].isascii() and text[cut].isalnum():
            cut += 1
        pieces.append(text[k:cut])
        k = cut
    return " ".join(p for p in pieces if p)


def _value_spaced(rng: random.Random, value: str) -> str:
    """≥300户 printed ≥300 户 (a space between the number and its unit)."""
    m = re.match(r"^(\D*\d[\d.,]*)(\D+)$", value)
    return f"{m.group(1)} {m.group(2)}" if m and rng.random() < 0.5 else value


def _wide_code(rng: random.Random, year: int, k: int) -> str:
    return rng.choice([f"{year}{rng.randint(10, 99)}{k + 1:04d}",
                       f"{rng.randint(41, 53)}{rng.randint(10**15, 10**16 - 1)}",
                       f"{year % 100}{rng.randint(1000, 9999)}P{rng.randint(10**6, 10**7 - 1)}"])


def wide_summary_table(rng: random.Random, doc: Doc, style: Style) -> tuple[list[Item], list[str]]:
    """A multi-project summary whose level-1 groups are column groups (产出指标 | | 效益指标 | | …):
    a project's first row holds its code, name, budgets and the first indicator of every group,
    continuation rows the next ones; a unit row may come first; rows may be shifted one cell left
    (a lost merged cell); the header may come again after a page break; long names are printed
    wrapped with spaces. Gold: each indicator's level1 is its column group's name, in reading order.
    Returns the items and the features used."""
    features: list[str] = []
    with_level2 = rng.random() < 0.2
    names: list[str] = []
    for p in doc.projects:
        for r in p.rows:
            if r.level1 and r.level1 not in names:
                names.append(r.level1)
    if rng.random() < 0.6:
        rng.shuffle(names)
        features.append("wide_groups_shuffled")
    n_budget = pick(rng, [1, 3, 3, 3])
    with_code = rng.random() < 0.85
    wrap_names = rng.random() < 0.45
    yuan = style.budget_yuan
    gw = 3 if with_level2 else 2
    code_word = pick(rng, ["项目编码", "单位编码（项目编码）", "项目代码", "项目编码"])
    name_word = pick(rng, ["项目名称", "项目单位（项目名称）", "单位（项目）名称", "项目名称"])
    money_word = pick(rng, ["项目金额（元）", "预算金额（元）"] if yuan
                      else ["项目金额（万元）", "预算金额（万元）", "项目金额"])
    subs = pick(rng, [["资金总额", "财政拨款", "其他资金"], ["合计", "财政拨款", "其他资金"],
                      ["资金总额", "财政资金", "其他资金"]])[:n_budget]
    if n_budget == 1:
        subs = [pick(rng, ["资金总额", "合计", ""])]
    l3_word, value_word = pick(rng, ["三级指标", "三级指标", "指标名称"]), pick(rng, ["指标值", "指标值", "目标值"])
    lead = (1 if with_code else 0) + 1
    proj_cols = lead + n_budget
    three_rows = rng.random() < 0.7
    group_cells = [c for n in names for c in [n] + [""] * (gw - 1)]
    group_roles = [r for n in names for r in ["level1"] + ["blank"] * (gw - 1)]
    sub_cells = [c for _ in names for c in (["二级指标"] if with_level2 else []) + [l3_word, value_word]]
    head: list[Item] = []
    if three_rows:
        head.append(Item("header", ([code_word] if with_code else []) + [name_word, money_word] + [""] * (n_budget - 1)
                         + [pick(rng, ["绩效目标", "绩效指标", "项目绩效目标"])] + [""] * (len(group_cells) - 1)))
        head.append(Item("header", [""] * proj_cols + group_cells, ["blank"] * proj_cols + group_roles))
    else:
        head.append(Item("header", ([code_word] if with_code else []) + [name_word, money_word] + [""] * (n_budget - 1)
                         + group_cells, ["header"] * proj_cols + group_roles))
    head.append(Item("header", [""] * lead + subs + sub_cells))
    features.append("wide_header_3_rows" if three_rows else "wide_header_2_rows")
    if with_level2:
        features.append("wide_level2")
    items: list[Item] = list(head)

    def money(x: float | None) -> str:
        return _budget_text(x, style, rng)

    for k, p in enumerate(doc.projects):
        p.goal_printed = False
        p.code_printed = with_code
        p.budget_parts_printed = n_budget == 3
        p.budget_printed = True
        if with_code and not p.code:
            p.code = _wide_code(rng, doc.year, k)
    if rng.random() < 0.55:
        t = sum(p.total or 0 for p in doc.projects)
        f = sum(p.fiscal or 0 for p in doc.projects)
        sums = [money(round(t, 2))] + ([money(round(f, 2)), money(round(t - f, 2)) if t - f > 0.001 else ""]
                                       if n_budget == 3 else [])
        unit_code = str(rng.randint(100, 999))
        if with_code and rng.random() < 0.6:
            items.append(Item("ind", [unit_code, ""] + sums, ["unit_code", "blank"] + ["figure"] * len(sums)))
        items.append(Item("ind", ([unit_code + "001"] if with_code else []) + [doc.bureau] + sums,
                          (["unit_code"] if with_code else []) + ["unit"] + ["figure"] * len(sums)))
        features.append("wide_unit_row")
    every = rng.randint(4, 9) if rng.random() < 0.35 else 0
    since = 0
    page = rng.randint(2, 40)
    shifted = False
    for k, p in enumerate(doc.projects):
        groups = {n: [r for r in p.rows if r.level1 == n] for n in names}
        p.rows[:] = []
        height = max(len(g) for g in groups.values())
        if n_budget == 3 and not p.other and rng.random() < 0.5:
            p.other_printed = False
        shift = style.shift and n_budget == 3 and (rng.random() < 0.6 or not shifted and k == len(doc.projects) - 1)
        if shift:
            p.other_printed = p.other_printed and bool(p.other)
            shift = not p.other_printed
        shifted = shifted or shift
        name = spaced_wrap(rng, p.name) if wrap_names and len(p.name) >= 7 and rng.random() < 0.6 else p.name
        prev2: dict[str, object] = {}
        for row in range(height):
            if row == 0:
                pcells = ([p.code or ""] if with_code else []) + [name, money(p.total)]
                proles = (["project_code"] if with_code else []) + ["project_name", "budget_total"]
                if n_budget == 3:
                    pcells += [money(p.fiscal), money(p.other) if p.other_printed else ""]
                    proles += ["budget_fiscal", "budget_other" if p.other_printed else "blank"]
            else:
                pcells, proles = [""] * proj_cols, ["blank"] * proj_cols
            cells, roles = list(pcells), list(proles)
            for n in names:
                g = groups[n]
                if row >= len(g):
                    cells += [""] * gw
                    roles += ["blank"] * gw
                    continue
                r = g[row]
                p.rows.append(r)
                if with_level2:
                    new = r.level2 != prev2.get(n) or style.labels == "repeated"
                    cells.append((r.level2 or "") if new else "")
                    roles.append("level2" if new and r.level2 else "blank")
                    prev2[n] = r.level2
                else:
                    r.level2 = None
                l3 = (spaced_wrap(rng, r.level3) if wrap_names and len(r.level3) >= 7 and rng.random() < 0.35
                      else r.level3)
                value = _value_spaced(rng, r.value) if r.value and wrap_names else (r.value or "")
                cells += [l3, value]
                roles += ["level3", "value" if value else "blank"]
            if shift:
                drop = proj_cols - 1 if row == 0 else 0
                del cells[drop], roles[drop]
            items.append(Item("ind", cells, roles))
            since += 1
            if every and since >= every and (k < len(doc.projects) - 1 or row < height - 1):
                since = 0
                page += 1
                items.append(Item("text", [""]))
                if rng.random() < 0.5:
                    form = pick(rng, vocabulary()["page_number_forms"])
                    items.append(Item("page", [form.format(n=page, m=page + 5)]))
                if rng.random() < 0.75:
                    again = head if rng.random() < 0.4 or not three_rows else head[1:]
                    items += [Item("header", list(h.cells), list(h.roles) if h.roles else None) for h in again]
                    features.append("wide_header_repeated") if "wide_header_repeated" not in features else None
    if shifted:
        features.append("wide_shifted")
    if wrap_names:
        features.append("wide_wrapped_names")
    if rng.random() < 0.3:
        width = max(len(it.cells) for it in items if it.role == "header")
        items.append(Item("ind", ["--"] * width, ["furniture"] * width))
    if rng.random() < 0.3:
        notes = ["注：表中资金单位为万元。", "注：本表金额单位为万元。", "说明：指标值为年度目标值。"]
        items.append(Item("text", [pick(rng, notes) if not yuan else "注：表中资金单位为元。"]))
    return items, features
