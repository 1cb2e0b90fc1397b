"""The segmenter: a document's lines to performance-target table blocks, plus bureau and year.

A block runs from its start marker (a table title such as ``…绩效目标表`` or a project
header key such as ``项目名称``) through its indicator header row (``一级指标 … 指标值``) to
the next block's start. A header row with no start marker since the previous header is a
page-break repetition and stays in the previous block. Layout parsers read blocks; this
module knows nothing about columns.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from extract.text_normalise import compact
from extract.vocabulary import header_role

_TITLE = re.compile(r"(绩效目标(?:申报)?表|绩效目标汇总表|绩效自评表|绩效目标表[（(]|目标申报表)")
_START_KEYS = ("项目名称", "项目编码", "项目代码", "部门名称", "部门(单位)名称", "部门（单位）名称", "单位名称")
_HEADER_WORDS = ("一级指标", "二级指标", "三级指标")
_VALUE_WORDS = ("指标值", "目标值", "指标名称")
_NUMBERED_HEADING = re.compile(r"^\d{1,2}[.、．][\u4e00-\u9fff（）()]{2,20}$")
_SECTION = re.compile(
    r"^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|附件|附表|名词解释)"
)


@dataclass
class TableBlock:
    """Lines ``start``..``end`` (0-based, end exclusive) of one table, with its header line(s)."""

    lines: list[str]  # the whole document, shared by all blocks
    start: int
    header: int
    end: int
    title: str | None = None
    headers: list[int] = field(default_factory=list)  # every header line, repeats included

    def text_lines(self) -> list[tuple[int, str]]:
        """(1-based line number, text) of the block."""
        return [(i + 1, self.lines[i]) for i in range(self.start, self.end)]

    @property
    def kind(self) -> str:
        head = compact("".join(self.lines[self.start:self.header]))
        return "department" if re.search(r"整体绩效目标|部门整体|单位整体", head) else "project"


def is_header_line(lines: list[str], i: int) -> bool:
    """True where line ``i`` starts an indicator header (possibly one cell per line)."""
    t = compact(lines[i])
    if not t or len(t) > 120 or re.search(r"[，。；、]", t):
        return False  # prose that names the levels ("一级指标、二级指标…") is no header
    hits = sum(w in t for w in _HEADER_WORDS)
    if hits >= 2 or ("三级指标" in t and any(w in t for w in _VALUE_WORDS)):
        return True
    cells = [c for c in re.split(r"\t|\||\s{2,}", lines[i].strip()) if c.strip()]
    roles = [header_role(c) for c in cells]
    if len(cells) >= 2 and all(roles) and "value" in roles and ({"level3", "group"} & set(roles)):
        return True  # a short header such as "绩效指标  指标值" (outline tables)
    if t in _HEADER_WORDS or t == "一级指标":  # one cell per line: look ahead
        ahead = "".join(compact(x) for x in lines[i + 1:i + 8])
        return t == "一级指标" and "二级指标" in ahead[:40] or t == "三级指标" and "指标值" in ahead[:20]
    return False


def is_title_line(line: str) -> bool:
    """A table title such as ``…项目绩效目标表`` (short, not a sentence)."""
    t = compact(line).replace("|", "")
    return bool(t) and len(t) <= 90 and bool(_TITLE.search(t)) and not t.endswith(("。", "；", ";"))


def is_key_line(line: str) -> bool:
    """A project header row that starts a table: 项目名称, 项目编码, 部门名称 …"""
    t = compact(line).replace("|", "")
    return t.startswith(_START_KEYS)


def is_start_marker(line: str) -> bool:
    return is_title_line(line) or is_key_line(line)


def _block_start(lines: list[str], lo: int, h: int) -> int | None:
    """Where the table whose header is line ``h`` starts, searching lines lo..h-1; None if no marker.

    Key rows (项目名称 …) come in a cluster just above the header; a key row far above it
    belongs to some other table (a budget list), so the cluster is followed upwards only
    while rows stay close together. A title just above the cluster opens the table.
    """
    titles = [j for j in range(lo, h) if is_title_line(lines[j])]
    last_title = titles[-1] if titles else None
    # Key rows above the last title belong to another table (a budget list, a unit list).
    keys = [j for j in range(lo, h) if is_key_line(lines[j]) and (last_title is None or j > last_title)
            and h - j <= _KEY_REACH]
    cluster = None
    for j in reversed(keys):
        if cluster is None or cluster - j <= _KEY_GAP:
            cluster = j
        else:
            break
    if cluster is not None:
        return last_title if last_title is not None and cluster - last_title <= _TITLE_GAP else cluster
    return last_title


_KEY_GAP = 14
_KEY_REACH = 160  # key rows further above the header than this open no table
_TITLE_GAP = 12


def is_section_heading(line: str) -> bool:
    """A document heading (``第三部分``, ``八、…``, ``2. 有关情况说明``) outside any table row."""
    t = compact(line)
    if not t or len(t) > 40 or "\t" in line or "|" in line:
        return False
    return bool(_SECTION.match(t)) or bool(_NUMBERED_HEADING.match(t))


def find_table_blocks(lines: list[str]) -> list[TableBlock]:
    """Every performance-target table of a document, in order."""
    headers = []
    for i in range(len(lines)):
        if is_header_line(lines, i) and not (headers and i - headers[-1] < 3 and _adjacent_header(lines, headers[-1], i)):
            headers.append(i)
    blocks: list[TableBlock] = []
    prev_header = -1
    for h in headers:
        start = _block_start(lines, prev_header + 1, h)
        if blocks and start is None:
            blocks[-1].headers.append(h)  # header repeated after a page break
            prev_header = h
            continue
        if start is None:
            start = max(prev_header + 1, h - 1)
        if blocks:
            blocks[-1].end = start
        titles = [lines[j] for j in range(start, h) if is_title_line(lines[j])]
        blocks.append(TableBlock(lines, start, h, len(lines), titles[-1].strip() if titles else None, [h]))
        prev_header = h
    if blocks:
        blocks[-1].end = _last_block_end(lines, blocks[-1])
    return blocks


def _adjacent_header(lines: list[str], a: int, b: int) -> bool:
    # A header spread over two or three lines (wide tables) counts once.
    return all(compact(lines[k]) == "" or is_header_line(lines, k) or "指标" in lines[k] for k in range(a, b + 1))


def _last_block_end(lines: list[str], block: TableBlock) -> int:
    """The last table ends at the next section heading after its header, or the document end."""
    for i in range(block.header + 1, len(lines)):
        if is_section_heading(lines[i]):
            return i
    return len(lines)


# Greedy up to the last unit suffix: "某某市人力资源和社会保障局" must not stop at 社会.
_ORG = re.compile(
    r"([\u4e00-\u9fff（）()]{2,40}(?:局|委员会|办公室|中心|厅|院|所|站|委|馆|队|处|联合会|协会|部(?!门)))"
)
_BUREAU_KEYS = ("主管部门", "部门名称", "部门(单位)名称", "部门（单位）名称", "单位名称", "部门(单位)", "部门（单位）", "预算单位")


def find_bureau(lines: list[str]) -> str | None:
    """The publishing unit: the cover's name for it, else the most frequent labelled unit name."""
    votes: Counter[str] = Counter()
    for line in lines:
        t = compact(line).replace("|", "")
        for key in _BUREAU_KEYS:
            if t.startswith(key):
                rest = t[len(key):].lstrip(":：")
                m = _ORG.match(re.sub(r"(本级|机关|[（(]汇总[）)])$", "", rest))
                if m:
                    votes[m.group(1)] += 1
    cover = _cover_unit(lines)
    return cover or (votes.most_common(1)[0][0] if votes else None)


def _cover_unit(lines: list[str]) -> str | None:
    """The unit named by the document's title lines (a title may wrap onto the next line)."""
    head = [compact(x) for x in lines[:20] if compact(x)][:8]
    for i, line in enumerate(head):
        for text in (line + (head[i + 1] if i + 1 < len(head) else ""), line):
            if "\t" in text or any(key in text for key in _BUREAU_KEYS + ("目录", "项目名称")):
                continue
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
