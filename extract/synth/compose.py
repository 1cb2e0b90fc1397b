"""Synthetic content: bureaus, projects and indicators composed from vocabulary or recombined
from the real gold records (seeds and dev set), with printed values drawn from the value grammar.
"""
from __future__ import annotations

import functools
import json
import random
import re
from pathlib import Path
from typing import Any

from perfkg.extract.synth.model import Doc, Proj, Row
from perfkg.extract.target_values import parse_quantity
from perfkg.extract.text_normalise import compact

_DATA = Path(__file__).resolve().parents[1] / "data"
_REPO = Path(__file__).resolve().parents[2]
GOLD_DIRS = {"seeds": _REPO / "tests" / "data" / "gold", "dev": _REPO / "tests" / "data" / "dev" / "gold"}

# level-2 groups of the framework, by level 1, in the table order of most templates
FRAMEWORK_GROUPS: dict[str, list[str]] = {
    "产出指标": ["数量指标", "质量指标", "时效指标", "成本指标"],
    "成本指标": ["经济成本指标", "社会成本指标", "生态环境成本指标"],
    "效益指标": ["经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"],
    "满意度指标": ["服务对象满意度指标"],
}
PARENT = {l2: l1 for l1, l2s in FRAMEWORK_GROUPS.items() for l2 in l2s}


@functools.lru_cache(maxsize=1)
def vocabulary() -> dict[str, Any]:
    """The generator's vocabulary (``extract/data/synth_vocabulary.json``)."""
    return json.loads((_DATA / "synth_vocabulary.json").read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=4)
def real_pool(sources: tuple[str, ...]) -> tuple[tuple[str, str | None, str, str], ...]:
    """(level1, level2, level3, value) of every gold indicator with a printed value in ``sources``."""
    pool: list[tuple[str, str | None, str, str]] = []
    for source in sources:
        directory = GOLD_DIRS.get(source)
        if directory is None or not directory.is_dir():
            continue
        for path in sorted(directory.glob("*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            for doc in data if isinstance(data, list) else [data]:
                for project in doc.get("projects") or []:
                    for ind in project.get("indicators") or []:
                        l1, l3, value = ind.get("level1"), ind.get("level3"), ind.get("value")
                        if l1 and l3 and value and len(l3) <= 40 and len(value) <= 30:
                            pool.append((l1, ind.get("level2"), l3, value))
    return tuple(pool)


def pick(rng: random.Random, items: list[Any] | tuple[Any, ...]) -> Any:
    return items[rng.randrange(len(items))]


def fmt_number(x: float, decimals: int) -> str:
    return f"{x:.{decimals}f}" if decimals else str(int(round(x)))


def make_bureau(rng: random.Random, topic: str) -> str:
    v = vocabulary()
    place = pick(rng, v["places"])
    suffix = pick(rng, v["place_suffixes"]).replace("{place2}", pick(rng, [p for p in v["places"] if p != place]))
    return place + suffix + pick(rng, v["topics"][topic]["departments"])


def draw_value(rng: random.Random, kind: str, year: int,
               split: bool = False) -> tuple[str, tuple[str, str, str] | None, bool]:
    """A printed value of ``kind``: (value text, (comparator, number, unit) parts, qualitative)."""
    v = vocabulary()
    spec = v["value_kinds"][kind]
    if "qualitative" in spec:
        text = pick(rng, spec["qualitative"]).replace("{year}", str(year))
        if not split and rng.random() < 0.04:
            text = "文字描述：" + text
        return text, ("", text, ""), True
    lo, hi = spec["range"]
    decimals = pick(rng, spec.get("decimals", [0]))
    x = rng.uniform(lo, hi) if decimals else rng.randint(int(lo), int(hi))
    if kind.startswith("pct") and hi == 100 and rng.random() < 0.3:
        x = 100
    unit = pick(rng, spec["units"])
    if unit.startswith("万") and x > 100:
        x, decimals = x / 10000 * rng.choice([1, 10, 100]), rng.choice([0, 1, 2])
    number = fmt_number(x, decimals)
    op = pick(rng, spec["ops"])
    if split:
        parts = (pick(rng, v["op_column_spellings"][op]), number, unit)
        return "".join(parts), parts, False
    spelled = pick(rng, v["op_spellings"][op])
    if op in (">=", "=") and not spelled and rng.random() < 0.12 and unit != "百分比":
        return number + unit + "以上", None, False
    gap = " " if rng.random() < 0.08 else ""
    return f"{spelled}{gap}{number}{gap}{unit}", None, False


def split_printed(value: str | None) -> tuple[str, str, str] | None:
    """(comparator, number, unit) of a printed quantity, for tables with separate columns."""
    if not value:
        return None
    m = re.match(r"^(\D*?)([+-]?\d[\d,]*(?:\.\d+)?)(\D*)$", value)
    if not m or parse_quantity(value) is None:
        return None
    return m.group(1), m.group(2), m.group(3)


def redraw_number(rng: random.Random, value: str) -> str:
    """``value`` with its number replaced by one of similar magnitude (same decimals)."""
    m = re.search(r"\d+(?:\.\d+)?", value)
    if not m or parse_quantity(value) is None:
        return value
    old = m.group(0)
    decimals = len(old.split(".")[1]) if "." in old else 0
    x = float(old)
    if x in (0.0, 100.0) or (x <= 100 and "%" in value and x >= 90):
        new = x if rng.random() < 0.5 else min(100.0, max(0.0, x + rng.choice([-5, -2, -1, 1, 2])))
    else:
        new = max(1.0, x * rng.uniform(0.5, 1.8))
        if ("%" in value or "百分比" in value) and x <= 100:
            new = min(new, 100.0)
    return value[:m.start()] + fmt_number(new, decimals) + value[m.end():]


def perturb_name(rng: random.Random, name: str, obj: str) -> str:
    """A recombined indicator name: prefixes dropped or added, sometimes the project's object."""
    name = re.sub(r"^(其中|指标\d+[:：]?)", "", compact(name))
    r = rng.random()
    if r < 0.15:
        name = pick(rng, ["年度", "全年", "本年度", "当年"]) + name
    elif r < 0.3 and not name.startswith(obj[:2]):
        name = obj + name
    return name or obj


def make_goal(rng: random.Random, obj: str, recipient: str) -> str:
    v = vocabulary()
    return pick(rng, v["goal_templates"]).format(obj=obj, recipient=recipient, effect=pick(rng, v["effects"]),
                                                 sat=rng.choice([85, 90, 95]))


def compose_rows(rng: random.Random, topic: str, year: int, cost_as_level1: bool,
                 n_groups: int, split: bool) -> list[Row]:
    """Indicators composed from the templates: a few level-2 groups of 1-4 rows each."""
    v = vocabulary()
    t = v["topics"][topic]
    groups: list[tuple[str, str]] = [("产出指标", "数量指标"), ("产出指标", "质量指标")]
    optional = [("产出指标", "时效指标"), ("效益指标", "社会效益指标"), ("满意度指标", "服务对象满意度指标"),
                ("效益指标", "经济效益指标"), ("效益指标", "可持续影响指标"), ("效益指标", "生态效益指标")]
    optional.append(("成本指标", "经济成本指标") if cost_as_level1 else ("产出指标", "成本指标"))
    if cost_as_level1 and rng.random() < 0.4:
        optional.append(("成本指标", pick(rng, ["社会成本指标", "生态环境成本指标"])))
    rng.shuffle(optional)
    groups += optional[:max(0, n_groups - 2)]
    order = ["产出指标", "成本指标", "效益指标", "满意度指标"]
    groups.sort(key=lambda g: (order.index(g[0]), FRAMEWORK_GROUPS[g[0]].index(g[1])))
    rows: list[Row] = []
    for l1, l2 in groups:
        templates = list(v["indicator_templates"][l2])
        rng.shuffle(templates)
        for template, kind in templates[:rng.choice([1, 1, 2, 2, 3, 4])]:
            name = template.format(obj=pick(rng, t["objects"]), recipient=pick(rng, t["recipients"]))
            value, parts, qual = draw_value(rng, kind, year, split)
            rows.append(Row(level1=l1, level2=l2, level3=name, value=value, parts=parts, qualitative=qual))
    return rows


@functools.lru_cache(maxsize=1)
def _canonical_level2() -> dict[str, str]:
    data = json.loads((_DATA / "framework.json").read_text(encoding="utf-8"))
    names: dict[str, str] = {}
    for name, entry in data["level2"].items():
        for label in [name, *entry["variants"]]:
            names.setdefault(label, name)
    names.update({"数量目标": "数量指标", "质量目标": "质量指标", "时效目标": "时效指标", "成本目标": "成本指标"})
    return names


def framework_levels(l2: str | None, cost_as_level1: bool) -> tuple[str, str] | None:
    """(level1, level2) of the framework for a printed level-2 label, in the document's cost scheme."""
    canonical = _canonical_level2().get(compact(l2 or ""))
    if canonical is None or canonical not in PARENT:
        return None
    if canonical == "成本指标" and cost_as_level1:
        return "成本指标", "经济成本指标"
    if PARENT[canonical] == "成本指标" and not cost_as_level1:
        return "产出指标", "成本指标"
    return PARENT[canonical], canonical


def recombine_rows(rng: random.Random, pool: tuple[tuple[str, str | None, str, str], ...], topic: str,
                   n: int, split: bool, cost_as_level1: bool = True) -> list[Row]:
    """Indicators drawn from the real gold records, names perturbed and numbers re-drawn; their
    level names are brought to the framework so that the document's own spelling applies."""
    t = vocabulary()["topics"][topic]
    picked = [pool[rng.randrange(len(pool))] for _ in range(n * 2)]
    rows: list[Row] = []
    seen: set[str] = set()
    for _, l2, l3, value in picked:
        levels = framework_levels(l2, cost_as_level1)
        if levels is None or len(rows) >= n:
            continue
        l1, l2 = levels
        name = perturb_name(rng, l3, pick(rng, t["objects"]))
        if name in seen:
            continue
        seen.add(name)
        value = redraw_number(rng, compact(value))
        qual = parse_quantity(value) is None
        parts = split_printed(value) if split and not qual else None
        rows.append(Row(level1=l1, level2=l2, level3=name, value=value, parts=parts, qualitative=qual))
    order = ["产出指标", "成本指标", "效益指标", "满意度指标"]
    rows.sort(key=lambda r: (order.index(r.level1 or ""), FRAMEWORK_GROUPS[r.level1 or ""].index(r.level2 or "")))
    return rows


def compose_department_rows(rng: random.Random, topic: str, year: int, split: bool) -> list[Row]:
    """Indicators of a department-wide table (履职 / 管理 groups)."""
    v = vocabulary()
    t = v["topics"][topic]
    rows = []
    for l1, l2s in v["department_levels"].items():
        for l2, kinds in l2s.items():
            if rng.random() < 0.25:
                continue
            for template in v["department_indicators"][l2][:rng.choice([1, 2])]:
                name = template.format(obj=pick(rng, t["objects"]), recipient=pick(rng, t["recipients"]))
                value, parts, qual = draw_value(rng, pick(rng, kinds), year, split)
                rows.append(Row(level1=l1, level2=l2, level3=name, value=value, parts=parts, qualitative=qual))
    return rows


def make_project(rng: random.Random, doc: Doc, rows: list[Row], kind: str = "project") -> Proj:
    v = vocabulary()
    t = v["topics"][doc.topic]
    obj = pick(rng, t["objects"])
    if kind == "department":
        name = doc.bureau
    else:
        prefix = pick(rng, v["project_prefixes"]).replace("{year}", str(doc.year)).replace("{place}", "")
        name = prefix + obj + pick(rng, v["project_kinds"])
    total = round(rng.choice([rng.uniform(2, 80), rng.uniform(50, 900), rng.uniform(500, 9000)]),
                  rng.choice([0, 0, 1, 2]))
    other = 0.0 if rng.random() < 0.7 else round(total * rng.choice([0.1, 0.2, 0.5]), 2)
    code = None
    if rng.random() < 0.35:
        code = rng.choice([f"{rng.randint(10, 99)}{rng.randint(10**9, 10**10 - 1)}",
                           f"{doc.year % 100}{rng.randint(100000, 999999)}P{rng.randint(10**8, 10**9 - 1)}",
                           f"{rng.randint(100, 999)}{rng.randint(100, 999):03d}"])
    unit = doc.bureau if rng.random() < 0.5 else doc.bureau + pick(rng, t["subunits"])
    return Proj(name=name, kind=kind, code=code, total=total, fiscal=round(total - other, 2), other=other,
                goal=make_goal(rng, obj, pick(rng, t["recipients"])), unit=unit, rows=rows)
