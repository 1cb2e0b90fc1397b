"""The vocabulary, loaded from data: the national framework's levels (财预〔2021〕101号) and the
words the splitters and models read cells by.

Classifies table cells as level-1 names, level-2 names or header words, gives each level-2
name its standard parent, and cleans printed labels. The names themselves live in
``extract/data/framework.json``; label, unit and splitter word lists in
``extract/data/content_words.json`` (:func:`content_words`); :func:`vocabulary_entries` is every
word of both with its kind, the one list the splitter's words and the run-together cell model's
word features are taken from.

>>> standard_level1("预期产出指标（必填）")
'产出指标'
>>> standard_parent("时效指标")
'产出指标'
"""
from __future__ import annotations

import functools
import json
import re
from importlib import resources

from perfkg.extract.text_normalise import compact

_LABEL_SUFFIX = re.compile(r"[（(【\[](?:必填|选填|可选|必选)[）)】\]]$|[*＊]+$")


@functools.lru_cache(maxsize=1)
def framework() -> dict:
    """The framework data file, parsed once."""
    text = resources.files("perfkg.extract").joinpath("data/framework.json").read_text(encoding="utf-8")
    return json.loads(text)


@functools.lru_cache(maxsize=1)
def content_words() -> dict:
    """The splitter and content-model word lists (``extract/data/content_words.json``), parsed once."""
    text = resources.files("perfkg.extract").joinpath("data/content_words.json").read_text(encoding="utf-8")
    return json.loads(text)


@functools.lru_cache(maxsize=1)
def vocabulary_entries() -> tuple[tuple[str, str, bool], ...]:
    """Every vocabulary word as ``(word, kind, printed)``, in the order of the data files: kind ``l1`` /
    ``l2`` a level name or variant (``printed`` False for its form without 指标: 产出, 成本), ``hd`` a
    header or splitter word, ``lb`` a project label, ``un`` a unit, ``q`` a qualitative target,
    ``tw`` a twin-group value header (实施期目标值)."""
    fw, cw = framework(), content_words()
    out: list[tuple[str, str, bool]] = []
    for kind, names in (("l1", [(n, v) for n, v in fw["level1"].items()]),
                        ("l2", [(n, e["variants"]) for n, e in fw["level2"].items()])):
        for name, variants in names:
            for w in (name, *variants):
                out += [(w, kind, True), (w.removesuffix("指标"), kind, False)]
    out += [(w, "hd", True) for keys in fw["header_words"].values() for w in keys]
    out += [(w, "lb", True) for keys in cw["project_labels"].values() for w in keys]
    out += [(w, "hd", True) for w in cw["split_words"]]
    out += [(w, "un", True) for w in cw["units"]]
    out += [(w, "q", True) for w in fw.get("qualitative_values", [])]
    out += [(w, "tw", True) for group in ("midterm_value", "annual_value") for w in cw["twin_groups"].get(group, ())]
    return tuple(out)


@functools.lru_cache(maxsize=65536)
def clean_label(text: str | None) -> str:
    """A printed label as records keep it: no whitespace, no （必填）-style suffix.

    Documents in traditional characters are simplified as a whole before any cell is read
    (``text_normalise.simplify_if_traditional``), so labels need no conversion here.
    """
    return _LABEL_SUFFIX.sub("", compact(text))


@functools.lru_cache(maxsize=1)
def _level1_index() -> dict[str, str]:
    index = {}
    for name, variants in framework()["level1"].items():
        for v in [name, *variants]:
            index[v] = name
    return index


@functools.lru_cache(maxsize=1)
def _level2_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for name, entry in framework()["level2"].items():
        for v in [name, *entry["variants"]]:
            index.setdefault(v, name)
    return index


def _standard(index: dict[str, str], text: str | None) -> str | None:
    label = clean_label(text)
    # "etc." after a level name (服务对象满意度指标等) names the same level; records keep it as printed
    return index.get(label) or (index.get(label.rstrip("等")) if label.endswith("等") else None)


def standard_level1(text: str | None) -> str | None:
    """The standard 一级指标 a printed label stands for, or None when it is not one."""
    return _standard(_level1_index(), text)


def standard_level2(text: str | None) -> str | None:
    """The standard 二级指标 a printed label stands for, or None when it is not one."""
    return _standard(_level2_index(), text)


def standard_parent(level2: str | None) -> str | None:
    """The level-1 name a level-2 name belongs under in the framework."""
    std = standard_level2(level2)
    if std is None:
        return None
    return framework()["level2"][std]["parent"]


def level2_parents(level2: str | None) -> frozenset[str]:
    """The level-1 names a level-2 name is printed under: its framework parent, and the parents of
    templates before the framework (``older_parents``: satisfaction under 效益指标)."""
    std = standard_level2(level2)
    if std is None:
        return frozenset()
    entry = framework()["level2"][std]
    return frozenset([entry["parent"], *entry.get("older_parents", ())])


def is_level_label(text: str | None) -> bool:
    """True for a cell that is a level-1 or level-2 name rather than an indicator."""
    return standard_level1(text) is not None or standard_level2(text) is not None


@functools.lru_cache(maxsize=1)
def _header_index() -> dict[str, str]:
    index = {}
    for role, words in framework()["header_words"].items():
        for w in words:
            index[w] = role
    return index


_TRAILING_GROUP = re.compile(r"[（(].*?[）)]$")


@functools.lru_cache(maxsize=65536)
def header_role(text: str | None) -> str | None:
    """The column role a header cell names (level1, level3, value, unit, …), or None."""
    t = clean_label(text)
    t = _TRAILING_GROUP.sub("", t)  # "指标值（年度）" -> "指标值"
    return _header_index().get(t)


@functools.lru_cache(maxsize=1)
def qualitative_values() -> frozenset[str]:
    """Common qualitative target words (有效, 及时, 逐步提高 …), for telling values from names."""
    return frozenset(framework().get("qualitative_values", []))


def level1_names() -> list[str]:
    return list(framework()["level1"])


def level2_names() -> list[str]:
    return list(framework()["level2"])
