"""Document facts outside the tables: the publishing bureau and the budget year, from labelled lines and the cover.

The content model tags the bureau where a table labels it (主管部门, 预算单位 …); these are the
fallbacks read from the document's own lines when no table cell names it.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter

from perfkg.extract.text_normalise import compact
from perfkg.extract.tokens import content_words

# Greedy up to the last unit suffix: "某某市人力资源和社会保障局" must not stop at 社会.
_ORG = re.compile(
    r"([\u4e00-\u9fff（）()]{2,40}(?:局|委员会|办公室|中心|厅|院|所|站|委|馆|队|处|联合会|协会|政府|学校|中学|小学|医院|部(?!门)))"
)


def choose_bureau(candidates: list[str], lines: list[str]) -> str | None:
    """The publishing unit: a line that labels the unit itself (单位名称, 预算单位 …: ``unit_labels``),
    else the first tagged cell that reads as a unit's name (ends like one: …局, …委员会, …政府),
    else the cover or any labelled line (主管部门 too), else the first tagged cell."""
    labelled = _labelled_unit(lines, _unit_labels())
    if labelled:
        return labelled
    for text in candidates:
        t = re.sub(r"^[\d_\-\[\]［］]+", "", re.sub(r"^.{0,8}[:：]", "", text))
        m = _ORG.fullmatch(t) or _ORG.fullmatch(re.sub(r"(本级|机关|[（(]汇总[）)])$", "", t))
        if m:
            return t
    return find_bureau(lines) or (candidates[0] if candidates else None)


@functools.lru_cache(maxsize=1)
def _unit_labels() -> tuple[str, ...]:
    """Labels naming the publishing unit itself, longest first (``content_words.json``)."""
    return tuple(sorted({_plain(w) for w in content_words()["unit_labels"]}, key=len, reverse=True))


@functools.lru_cache(maxsize=1)
def _bureau_keys() -> tuple[str, ...]:
    """Every label a unit's name may follow (the supervising 主管部门 too), longest first."""
    words = content_words()["project_labels"]["bureau"] + content_words()["unit_labels"]
    # a bare 部门 is a label in a table's cell, but in a line it is any "部门预算": not read here
    return tuple(sorted({_plain(w) for w in words if len(_plain(w)) >= 3}, key=len, reverse=True))


def _plain(text: str) -> str:
    return compact(unicodedata.normalize("NFKC", text))


def _labelled_unit(lines: list[str], keys: tuple[str, ...]) -> str | None:
    """The unit name most often printed after one of ``keys`` (at a line's start, or inside a line
    whose cells ran together); a leading unit code (324001-) is not part of the name."""
    votes: Counter[str] = Counter()
    first_chars = {key[0] for key in keys}
    for line in lines:
        if not first_chars.intersection(line):  # no label can be in it: spare normalising a long line
            continue
        t = _plain(line).replace("|", "")
        for key in keys:
            at = t.find(key)
            if at == 0 or (at > 0 and "\t" not in line):
                rest = re.sub(r"^[\d_\-\[\]［］]+", "", t[at + len(key):].lstrip(":："))
                m = _ORG.match(re.sub(r"(本级|机关|[（(]汇总[）)])$", "", rest))
                if m:
                    votes[m.group(1)] += 1
                break  # the longest label found in the line is the one it prints
    return votes.most_common(1)[0][0] if votes else None


def find_bureau(lines: list[str]) -> str | None:
    """The publishing unit: the cover's name for it, else the most frequent labelled unit name."""
    return _cover_unit(lines) or _labelled_unit(lines, _bureau_keys())


_TITLE_CHARS = 400  # the part of a head line searched for the unit's name


def _cover_unit(lines: list[str]) -> str | None:
    """The unit named by the document's title lines (a title may wrap onto the next line)."""
    head = [compact(x) for x in lines[:20] if compact(x)][:8]
    for i, line in enumerate(head):
        for text in (line + (head[i + 1] if i + 1 < len(head) else ""), line):
            if "\t" in text or any(key in text for key in _bureau_keys() + ("目录", "项目名称")):
                continue
            # a title names its unit near its start; on a line of a million characters the search
            # for a unit name (up to 40 characters before each suffix) would take seconds
            text = text[:_TITLE_CHARS]
            text = re.sub(r"(部门|单位)?(预算|决算).*$", "", text)  # the title ends "…局部门预算"
            text = re.sub(r"\d{4}\s*年(度)?", "", text)
            m = _ORG.search(text)
            if m and len(m.group(1)) >= 4:
                return m.group(1)
    return None


def find_year(lines: list[str]) -> int | None:
    """The budget year: the first 20xx in the document head, else the most frequent 20xx年."""
    for line in lines[:40]:
        m = re.search(r"(20\d{2})\s*年|预算年度[:：]?\s*(20\d{2})", line)
        if m:
            return int(m.group(1) or m.group(2))
    years = Counter(int(y) for y in re.findall(r"(20\d{2})\s*年", "\n".join(lines)))
    return years.most_common(1)[0][0] if years else None
