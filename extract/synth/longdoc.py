"""Long budget documents: the performance-target tables embedded in a whole 部门预算 document.

Prose sections numbered 一、…（一）…1. with amounts and percentages, a 收支总表, a 三公经费
table, a 政府采购 table, 机关运行经费 and 名词解释 paragraphs, page numbers: the numbers and
names outside the 绩效目标表 are no indicators, budgets or project names, and the gold does not
hold them. Figures are drawn apart from every project budget so that no printed amount outside a
project's table equals one of its budgets.
"""
from __future__ import annotations

import random

from perfkg.extract.synth.compose import pick, vocabulary
from perfkg.extract.synth.model import Doc
from perfkg.extract.synth.tables import Item

_NUMERALS = "一二三四五六七八九十"
_INCOME = ["一般公共预算拨款收入", "政府性基金预算拨款收入", "国有资本经营预算拨款收入", "财政专户管理资金收入",
           "单位资金", "上年结转结余"]
_SPENDING = ["一般公共服务支出", "公共安全支出", "教育支出", "科学技术支出", "文化旅游体育与传媒支出",
             "社会保障和就业支出", "卫生健康支出", "节能环保支出", "城乡社区支出", "农林水支出", "住房保障支出",
             "灾害防治及应急管理支出", "其他支出"]
_DUTIES = ["贯彻执行国家和省市有关方针政策和法律法规，拟订并组织实施相关规划。",
           "负责本行业的监督管理工作，组织开展执法检查。", "承担本级财政资金的使用和管理，监督资金运行。",
           "组织协调本系统的公共服务工作，推进信息化建设。", "完成上级交办的其他任务。"]
_PURCHASES = [("办公设备购置", "台式计算机", "台"), ("办公设备购置", "打印设备", "台"),
              ("物业管理服务", "物业管理服务", "项"), ("信息系统运维", "运行维护服务", "项"),
              ("印刷服务", "印刷服务", "批"), ("公务用车运行维护", "车辆维修和保养服务", "项")]
_TERMS = ["财政拨款收入：指本级财政当年拨付的资金。", "事业收入：指事业单位开展专业业务活动及辅助活动所取得的收入。",
          "上年结转：指以前年度尚未完成、结转到本年仍按原规定用途继续使用的资金。",
          "“三公”经费：指用财政拨款安排的因公出国（境）费、公务用车购置及运行费和公务接待费。",
          "机关运行经费：指为保障行政单位运行用于购买货物和服务的各项资金。"]


class _Figures:
    """Amounts in 万元 that equal no project budget (in 万元 or 元)."""

    def __init__(self, rng: random.Random, doc: Doc):
        self.rng = rng
        self.taken: set[float] = set()
        for p in doc.projects:
            for x in (p.total, p.fiscal, p.other):
                if x is not None:
                    self.taken.update({round(x, 2), round(x * 10000, 2)})

    def count(self, lo: int, hi: int) -> int:
        """A count or serial number that is no budget figure."""
        x = self.rng.randint(lo, hi)
        while float(x) in self.taken:
            x += 1
        return x

    def draw(self, lo: float, hi: float, decimals: int = 2) -> float:
        x = round(self.rng.uniform(lo, hi), decimals)
        while x in self.taken or round(x * 10000, 2) in self.taken or x == 0:
            x = round(x + 0.37, decimals)
        self.taken.add(x)
        return x


def _fmt(x: float) -> str:
    """An amount as printed; a zero is left blank (a budget of 0 is printed in its own table only)."""
    return f"{x:.2f}" if x else ""


def _text(*lines: str) -> list[Item]:
    return [Item("text", [line]) for line in lines]


def _other(cells: list[str]) -> Item:
    return Item("other", cells, ["other"] * len(cells))


def _heading(k: int, title: str) -> Item:
    return Item("title", [f"{_NUMERALS[k % 10]}、{title}"])


def _bureau(doc: Doc) -> str:
    return doc.bureau if doc.bureau_printed else "本单位"


def _year(doc: Doc, offset: int = 0) -> str:
    return f"{doc.year + offset}年" if doc.year_printed else ("本年" if offset == 0 else "上年")


def _basic(rng: random.Random, doc: Doc, f: _Figures) -> list[Item]:
    duties = rng.sample(_DUTIES, rng.randint(2, 4))
    out = _text("（一）主要职能",
                "".join(f"{k + 1}.{d}" for k, d in enumerate(duties)) if rng.random() < 0.5 else duties[0])
    out += _text("（二）机构设置", f"{_bureau(doc)}内设机构{f.count(3, 12)}个，下属单位{f.count(1, 6)}个，"
                               f"编制人数{f.count(8, 160)}人，实有人数{f.count(8, 160)}人。")
    return out


def _income_table(rng: random.Random, doc: Doc, f: _Figures) -> tuple[list[Item], float]:
    incomes = [f.draw(50, 9000)] + [f.draw(1, 900) if rng.random() < 0.35 else 0.0 for _ in _INCOME[1:]]
    total = round(sum(incomes), 2)
    spend_kinds = rng.sample(_SPENDING, rng.randint(3, 7))
    weights = [rng.uniform(0.2, 1.0) for _ in spend_kinds]
    spends = [f.draw(total * w / sum(weights) * 0.98, total * w / sum(weights)) for w in weights[:-1]]
    spends.append(round(total - sum(spends), 2))
    out = [Item("title", [pick(rng, ["部门收支总表", "单位预算收支总表", "收支预算总表"])]),
           Item("text", [pick(rng, ["单位：万元", "金额单位：万元"])]),
           _other(["序号", "收入", "", "支出", ""]), _other(["", "项  目", "预算数", "项  目", "预算数"])]
    rows = max(len(_INCOME), len(spend_kinds))
    if any(float(k) in f.taken for k in range(1, rows + 1)):  # serial numbers that read as a budget: no column
        out[2].cells[0] = out[3].cells[0] = ""
    for k in range(rows):
        left = ([f"{_NUMERALS[k]}、{_INCOME[k]}", _fmt(incomes[k]) if incomes[k] else ""] if k < len(_INCOME)
                else ["", ""])
        right = [f"{_NUMERALS[k]}、{spend_kinds[k]}", _fmt(spends[k])] if k < len(spend_kinds) else ["", ""]
        out.append(_other([str(k + 1) if out[2].cells[0] else ""] + left + right))
    out.append(_other(["", "收入总计", _fmt(total), "支出总计", _fmt(total)]))
    return out, total


def _income_prose(rng: random.Random, doc: Doc, f: _Figures, total: float) -> list[Item]:
    change = f.draw(1, max(2.0, total / 5))
    pct = round(change / total * 100, 1)
    up = rng.random() < 0.6
    return _text(f"{_year(doc)}收入预算{_fmt(total)}万元，支出预算{_fmt(total)}万元。"
                 f"与{_year(doc, -1)}相比，收、支预算总计各{'增加' if up else '减少'}{_fmt(change)}万元，"
                 f"{'增长' if up else '下降'}{pct}%，主要原因是"
                 f"{pick(rng, ['人员经费调整', '项目支出增加', '部分专项资金结束', '业务工作量增加'])}。")


def _three_public(rng: random.Random, doc: Doc, f: _Figures) -> list[Item]:
    abroad = 0.0 if rng.random() < 0.7 else f.draw(1, 20)
    car = f.draw(0.5, 30)
    reception = f.draw(0.1, 8)
    total = round(abroad + car + reception, 2)
    abroad_text = f"因公出国（境）费{_fmt(abroad)}万元" if abroad else "未安排因公出国（境）费"
    out = _text(f"{_year(doc)}财政拨款“三公”经费预算{_fmt(total)}万元，其中：{abroad_text}；"
                f"公务用车购置及运行维护费{_fmt(car)}万元；公务接待费{_fmt(reception)}万元。"
                f"较上年{pick(rng, ['减少', '持平', '增加'])}，主要原因是严格落实厉行节约要求。")
    if rng.random() < 0.7:
        out += [Item("title", ["财政拨款“三公”经费支出预算表"]), Item("text", ["单位：万元"]),
                _other(["合计", "因公出国（境）费", "公务用车购置及运行费", "", "", "公务接待费"]),
                _other(["", "", "小计", "公务用车购置费", "公务用车运行费", ""]),
                _other([_fmt(total), _fmt(abroad), _fmt(car), "", _fmt(car), _fmt(reception)])]
    return out


def _purchases(rng: random.Random, doc: Doc, f: _Figures) -> list[Item]:
    if rng.random() < 0.25:
        return _text(f"{_bureau(doc)}{_year(doc)}无政府采购预算。")
    rows = rng.sample(_PURCHASES, rng.randint(2, 4))
    amounts = [f.draw(0.5, 120) for _ in rows]
    out = _text(f"{_year(doc)}政府采购预算总额{_fmt(sum(amounts))}万元，其中：货物类{_fmt(amounts[0])}万元，"
                f"服务类{_fmt(round(sum(amounts[1:]), 2))}万元。")
    out += [Item("title", [pick(rng, ["政府采购预算表", "政府采购预算明细表"])]),
            _other(["采购项目", "采购品目", "计量单位", "数量", "金额（万元）"])]
    for (item, kind, unit), amount in zip(rows, amounts):
        out.append(_other([item, kind, unit, str(f.count(1, 30)), _fmt(amount)]))
    out.append(_other(["合计", "", "", "", _fmt(round(sum(amounts), 2))]))
    return out


def _running_costs(rng: random.Random, doc: Doc, f: _Figures) -> list[Item]:
    x = f.draw(2, 200)
    return _text(f"{_year(doc)}机关运行经费安排{_fmt(x)}万元，"
                 f"比上年{pick(rng, ['减少', '增加'])}{_fmt(f.draw(0.1, 9))}万元，"
                 f"主要用于办公费、印刷费、水电费、差旅费、公务用车运行维护费等日常公用经费支出。")


def _terms(rng: random.Random) -> list[Item]:
    return _text(*[f"{k + 1}.{t}" for k, t in enumerate(rng.sample(_TERMS, rng.randint(2, 4)))])


def budget_document(rng: random.Random, doc: Doc, tables: list[Item], with_bureau: bool, with_year: bool) -> list[Item]:
    """``tables`` (the performance-target tables, each with its title) inside a whole budget document."""
    f = _Figures(rng, doc)
    b, y = doc.bureau, doc.year
    out: list[Item] = []
    if with_bureau and with_year:
        out += _text(*pick(rng, [[f"{b}{y}年部门预算"], [f"{b}", f"{y}年度部门预算"], [f"{y}年{b}单位预算公开"]]))
    elif with_year:
        out += _text(f"{y}年部门预算")
    elif with_bureau:
        out += _text(f"{b}部门预算")
    if rng.random() < 0.6:
        out += _text("", pick(rng, ["目 录", "目录"]), "第一部分 部门概况", "第二部分 部门预算情况说明",
                     "第三部分 部门预算表", "第四部分 项目绩效目标", "")
    sections: list[tuple[str, list[Item]]] = [("部门基本情况", _basic(rng, doc, f))]
    income_table, total = _income_table(rng, doc, f)
    sections.append(("收支预算情况说明",
                     _income_prose(rng, doc, f, total) + (income_table if rng.random() < 0.8 else [])))
    sections.append(("财政拨款“三公”经费预算情况及增减变化原因", _three_public(rng, doc, f)))
    if rng.random() < 0.7:
        sections.append(("机关运行经费安排情况", _running_costs(rng, doc, f)))
    purchases = ("政府采购预算情况", _purchases(rng, doc, f))
    perf: tuple[str, list[Item]] = (pick(rng, ["预算绩效目标情况", "单位项目预算安排情况及绩效目标",
                                               "项目支出绩效目标"]), [])
    after = [purchases] if rng.random() < 0.5 else []
    if not after:
        sections.append(purchases)
    sections.append(perf)
    sections += after
    if rng.random() < 0.5:
        sections.append(("名词解释", _terms(rng)))
    page = rng.randint(1, 9)
    forms = vocabulary()["page_number_forms"]
    for k, (title, body) in enumerate(sections):
        out.append(_heading(k, title))
        if title == perf[0]:
            out += tables
        else:
            out += body
        if rng.random() < 0.5:
            page = f.count(page + 1, page + 1)
            out += [Item("text", [""]), Item("page", [pick(rng, forms).format(n=page, m=page + 20)]),
                    Item("text", [""])]
    return out
