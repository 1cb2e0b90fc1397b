"""The project header grammar: key/value cells above an indicator table to project fields.

Reads 项目名称, 项目编码, budget (total / fiscal / other, converted to 万元) and the goal text
from rows of cells, whatever the layout that split the cells. Also names a project from a
table title where no 项目名称 cell is printed.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from extract.text_normalise import compact

Row = tuple[int, list[str]]  # (1-based line number, cells)

# Keys by field, most specific first; a cell that starts with a key (after cleaning) names it.
_KEYS: list[tuple[str, tuple[str, ...]]] = [
    ("code", ("单位编码(项目编码)", "项目编码", "项目代码", "项目编号")),
    ("name", ("项目单位(项目名称)", "项目名称", "项目全称")),
    ("unit_name", ("部门(单位)名称", "部门名称", "单位名称")),
    ("fiscal", ("其中:当年财政拨款", "当年财政拨款", "其中:财政拨款", "其中:财政资金", "其中财政拨款", "财政拨款", "财政资金", "本级财政资金", "一般公共预算")),
    ("other", ("其中:其他资金", "其他资金")),
    ("total", ("年度预算资金总额", "年度资金总额", "部门预算总额", "项目资金总额", "资金总额", "预算总额",
               "项目总金额", "项目总额", "资金合计", "预算数", "预算金额", "项目金额", "年度预算数", "本年预算数",
               "当年预算数")),
    ("goal", ("年度总体绩效目标", "年度总体目标", "年度绩效目标", "项目实施期目标", "年度履职目标",
              "部门整体绩效目标", "整体绩效目标", "项目绩效目标", "总体绩效目标", "绩效目标", "总体目标", "年度目标",
              "实施期目标")),
]
_AMOUNT = re.compile(r"^(-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(万元|元|万)?$")
# Sub-header words printed where a goal cell would be (the text follows on the next row).
_PLACEHOLDER = re.compile(r"^((目标内容|目标|内容)\d*|预期目标|实际完成情况|实际完成值|中长期目标|年度目标)$")
_TITLE_SUFFIX = re.compile(r"(项目)?(支出)?(预算)?绩效(目标|自评)(申报)?(汇总)?表.*$")
_NUMBERING = re.compile(r"^((附表|表)\s*[\d\-－—.．]+[:：、]?|\d+[.、．]|[（(]?[一二三四五六七八九十\d]+[）)、.．])")
_GENERIC_TITLE = re.compile(r"^(\d{4}年)?(部门|单位)?(预算)?(项目)?(支出)?$|^(部门|单位)(整体)?$")


@dataclass
class ProjectHeader:
    name: str | None = None
    code: str | None = None
    unit_name: str | None = None
    budget_total: float | None = None
    budget_fiscal: float | None = None
    budget_other: float | None = None
    goal: str | None = None
    goal_is_annual: bool = False
    lines: list[int] = field(default_factory=list)


def key_of(cell: str) -> tuple[str, str] | None:
    """(field, remainder) where a cell begins with a header key."""
    found = header_key(cell)
    return None if found is None else (found[0], found[2])


def header_key(cell: str) -> tuple[str, str, str] | None:
    """(field, key, remainder) where a cell begins with a header key."""
    t = compact(cell).replace("：", ":").replace("（", "(").replace("）", ")")
    t = re.sub(r"^其中[:]?", "其中:", t)
    for fld, keys in _KEYS:
        for k in keys:
            if t.startswith(k):
                rest = t[len(k):]
                rest = re.sub(r"^\(万元\)|^\(元\)", "", rest).lstrip(":")
                return fld, k, rest
    return None


@functools.lru_cache(maxsize=1)
def _key_pattern() -> re.Pattern:
    keys = sorted({k for _, ks in _KEYS for k in ks}, key=len, reverse=True)
    spelled = [k.replace("(", "[(（]").replace(")", "[)）]").replace(":", "[:：]?") for k in keys]
    return re.compile("|".join(spelled))


def split_at_keys(text: str) -> list[str]:
    """Cells of a run-together header line: ``项目名称X项目编码Y`` → ``[项目名称X, 项目编码Y]``."""
    t = compact(text)
    # "…绩效目标表" is a title, not the key 绩效目标
    starts = sorted({m.start() for m in _key_pattern().finditer(t) if not t.startswith("表", m.end())} | {0})
    return [t[a:b] for a, b in zip(starts, starts[1:] + [len(t)]) if t[a:b]]


def parse_amount(text: str, default_unit: str = "万元") -> float | None:
    """An amount cell in 万元: ``3216万元``, ``9,000.00``, ``32160000元`` (÷10000)."""
    t = compact(text).replace("：", "").replace(":", "").strip("（）()，,；;")
    m = _AMOUNT.match(t)
    if not m:
        return None
    value = float(m.group(1).replace(",", ""))
    unit = m.group(2) or default_unit
    return round(value / 10000, 6) if unit == "元" else value


def read_project_header(rows: list[Row], amount_unit: str = "万元") -> ProjectHeader:
    """Header fields from the rows above the indicator header; later keys do not overwrite."""
    header = ProjectHeader()
    last_field = None
    for line_no, cells in rows:
        cells = [c for c in cells if compact(c)]
        if cells and last_field == "goal" and header.goal is None and all(header_key(c) is None for c in cells):
            header.goal = compact(cells[0])  # goal text under a 预期目标 | 实际完成情况 sub-header
            continue
        i = 0
        while i < len(cells):
            found = header_key(cells[i])
            if found is None:
                i += 1
                continue
            fld, key, rest = found
            values = [rest] if rest else []
            j = i + 1
            while j < len(cells) and key_of(cells[j]) is None:
                values.append(cells[j])
                j += 1
            _store(header, fld, key, values, amount_unit)
            header.lines.append(line_no)
            last_field = fld
            i = j
    return header


def _store(header: ProjectHeader, fld: str, key: str, values: list[str], amount_unit: str) -> None:
    texts = [compact(v) for v in values if compact(v)]
    if fld in ("total", "fiscal", "other"):
        attr = {"total": "budget_total", "fiscal": "budget_fiscal", "other": "budget_other"}[fld]
        for t in texts:
            amount = parse_amount(t, amount_unit)
            if amount is not None:
                if getattr(header, attr) is None:
                    setattr(header, attr, amount)
                break
        return
    if not texts:
        return
    if fld == "goal":
        texts = [t for t in texts if not _PLACEHOLDER.match(t)]
        annual = key.startswith("年度")
        if texts and (header.goal is None or (annual and not header.goal_is_annual)):
            header.goal = "".join(texts)
            header.goal_is_annual = annual
        return
    if getattr(header, fld) is None:
        setattr(header, fld, texts[0])


def name_from_title(title: str | None) -> str | None:
    """A project name from a table title (``城乡医疗救助项目绩效目标表`` → ``城乡医疗救助``)."""
    if not title:
        return None
    t = compact(title).strip("|")
    t = _NUMBERING.sub("", t)
    t = _TITLE_SUFFIX.sub("", t)
    if not t or _GENERIC_TITLE.match(t):
        return None
    return t


def document_amount_unit(lines: list[str], default: str | None = "万元") -> str | None:
    """The amount unit stated in the lines (``单位：元``, ``（元）``), else ``default``."""
    for line in lines:
        m = re.search(r"单位[:：]\s*(万元|元)|(?:资金|金额|预算)\s*[（(](万元|元)[）)]", line)
        if m:
            return m.group(1) or m.group(2)
    return default
