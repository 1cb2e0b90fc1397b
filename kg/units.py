"""Units of target values: printed unit label → unit (IRI, base unit, factor, what it counts, per what).

The vocabulary is data (``kg/data/units.json``): *atoms* (元, 万元, 人, 天, 亩 …) with their QUDT IRI
where QUDT has the unit (``unit:PERCENT``, ``unit:CCY_CNY``, ``unit:DAY`` …), else one of the
project's own (``pku:``), each with a base unit and a conversion factor. Printed labels are read by a
small grammar: a multiplier prefix (万人 = 10 000 人, 亿元), then *per* parts after ``/``, ``每`` or
``.`` (元/人/年, 元每人每月, 元/人.每天). A compound unit gets a minted IRI from its parts
(``pku:CNY-PER-Person-PER-YR``) and is described in the graph like the atoms.

Numbers are handled as ``Decimal`` built from the float's shortest repr, so 3216.0 万元 becomes
exactly 32160000 元 and never 32159999.999….

>>> normalise(3216.0, "万元")
(Decimal('32160000.0'), '元')
>>> normalise(95.0, "%")
(Decimal('0.950'), '1')
>>> unit_iri("%")
'http://qudt.org/vocab/unit/PERCENT'
>>> parse_unit("元/人/年").per_kinds
('person', 'time')
>>> parse_unit("元/村").per_kinds
('village',)
"""
from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources

from perfkg.extract.text_normalise import compact

RATIO_LABEL = "1"  # the normalised unit of percentages: a plain ratio
PKU = "https://w3id.org/perfkg/unit/"


@dataclass(frozen=True)
class UnitInfo:
    """One unit: its label as printed (compacted), IRI, base unit label, factor to the base, and parts.

    ``kind`` is what an atom counts (currency, person, time …); a compound unit has the kind of its
    numerator and its ``per`` parts (the atoms after ``/``), in order.
    """

    label: str
    iri: str
    base: str
    factor: Decimal
    kind: str
    en: str
    quantity_kind: str | None = None
    period: str | None = None  # an atom of time: the period it names as a denominator (day, month, year …)
    numerator: UnitInfo | None = None  # compound units only
    per: tuple[UnitInfo, ...] = ()

    @property
    def compound(self) -> bool:
        return bool(self.per)

    @property
    def per_kinds(self) -> tuple[str, ...]:
        return tuple(p.kind for p in self.per)

    @property
    def per_period(self) -> str | None:
        """The period a compound unit is per (元/人/年 → year), if one of its per parts is a time."""
        return next((p.period for p in self.per if p.period), None)

    @property
    def symbol(self) -> str:
        return self.label


@functools.lru_cache(maxsize=1)
def _data() -> dict:
    return json.loads(resources.files("perfkg.kg").joinpath("data/units.json").read_text(encoding="utf-8"))


def _expand(curie: str | None) -> str | None:
    if curie is None:
        return None
    prefix, _, local = curie.partition(":")
    return _data()["prefixes"][prefix] + local


@functools.lru_cache(maxsize=1)
def _atoms() -> dict[str, UnitInfo]:
    entries = _data()["atoms"]
    atoms: dict[str, UnitInfo] = {}
    for label, e in entries.items():
        if "same_as" in e:
            continue
        atoms[label] = UnitInfo(label, str(_expand(e["iri"])), e.get("base", label), Decimal(e.get("factor", "1")),
                                e["kind"], e["en"], _expand(e.get("qk")), e.get("period"))
    for label, e in entries.items():
        if "same_as" in e:
            atoms[label] = atoms[e["same_as"]]
    return atoms


def atoms() -> list[UnitInfo]:
    """Every atom unit of the vocabulary once (aliases such as 日 for 天 left out), by label."""
    return sorted({u.iri: u for u in _atoms().values()}.values(), key=lambda u: u.label)


def _local(iri: str) -> str:
    local = iri.rsplit("/", 1)[-1]
    return local[4:] if local.startswith("CCY_") else local


def _atom(part: str) -> UnitInfo | None:
    """An atom, or a multiplier prefix before an atom (万人, 万平方米); None when unknown."""
    table = _atoms()
    if part in table:
        return table[part]
    for prefix, m in _data()["multipliers"].items():
        rest = part[len(prefix):]
        if part.startswith(prefix) and rest in table:
            inner = table[rest]
            base = table.get(inner.base, inner)
            return UnitInfo(part, f"{PKU}{_local(inner.iri)}-{m['local']}", base.label,
                            inner.factor * Decimal(m["factor"]), inner.kind, f"{m['en']} {inner.en}",
                            inner.quantity_kind, inner.period)
    return None


def _split(label: str) -> list[str]:
    seps = "".join(re.escape(s) for s in _data()["separators"])
    return [p for p in re.split(f"[{seps}]", label) if p]


@functools.lru_cache(maxsize=512)
def parse_unit(label: str | None) -> UnitInfo | None:
    """The unit a printed label stands for (whitespace ignored), or None when some part is unknown."""
    if not label:
        return None
    text = compact(label)
    atom = _atoms().get(text)
    if atom is not None:
        return atom
    parts = _split(text)
    found = [_atom(p) for p in parts]
    units = [u for u in found if u is not None]
    if not parts or len(units) < len(found):
        return None
    if len(units) == 1:
        return units[0]
    numerator, per = units[0], tuple(units[1:])
    table = _atoms()
    iri = PKU + "-PER-".join(_local(u.iri) for u in units)
    base_num = table.get(numerator.base, numerator)
    base_label = "/".join([base_num.label] + [p.label for p in per])
    label = "/".join([numerator.label] + [p.label for p in per])  # canonical: 元每人每月 → 元/人/月
    return UnitInfo(label, iri, base_label, numerator.factor, numerator.kind,
                    " per ".join([numerator.en] + [p.en for p in per]), None, None, numerator, per)


def unit_info(label: str | None) -> UnitInfo | None:
    """Kept for callers of the atom table: the unit of a printed label (see ``parse_unit``)."""
    return parse_unit(label)


def unit_iri(label: str | None) -> str | None:
    """The IRI of a printed unit label, or None when the unit is not known."""
    info = parse_unit(label)
    return info.iri if info else None


def base_unit(label: str | None) -> UnitInfo | None:
    """The unit a printed unit normalises to (万元 → 元, % → 1, 万元/个 → 元/个)."""
    info = parse_unit(label)
    return parse_unit(info.base) if info else None


def exact_decimal(value: float) -> Decimal:
    """A float as the decimal its shortest repr prints (3216.0 → Decimal('3216.0'))."""
    return Decimal(repr(float(value)))


def normalise(num: float | None, label: str | None) -> tuple[Decimal, str] | None:
    """(value in the base unit, base unit label), or None when the number or unit does not allow it."""
    info = parse_unit(label)
    if num is None or info is None:
        return None
    return exact_decimal(num) * info.factor, info.base


def unit_period(label: str | None) -> str | None:
    """The period a printed unit is per (元/人/年 → year, 万/月 → month), read from its parts even
    when the numerator is unknown; None when the unit names no period."""
    if not label:
        return None
    for part in _split(compact(label))[1:]:
        atom = _atom(part)
        if atom is not None and atom.period:
            return atom.period
    return None


def text_period(*texts: str | None) -> str | None:
    """The sub-annual period a name or description states (月度费用限额 → month), else None."""
    for period, words in _data()["period_words"].items():
        if any(w in t for t in texts if t for w in words):
            return period
    return None


def known_labels() -> list[str]:
    return sorted(_atoms())
