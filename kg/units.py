"""Units of target values: printed unit label → unit IRI, and normalisation to the base unit.

The table lives in ``kg/data/units.json`` (万元→元 ×10000, 万人→人, 万人次→人次, %→ratio "1" ×0.01, …).
Numbers are handled as ``Decimal`` built from the float's shortest repr, so 3216.0 万元 becomes
exactly 32160000 元 and never 32159999.999….

>>> normalise(3216.0, "万元")
(Decimal('32160000.0'), '元')
>>> normalise(95.0, "%")
(Decimal('0.950'), '1')
>>> unit_iri("%")
'http://qudt.org/vocab/unit/PERCENT'
"""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources

from extract.text_normalise import compact

RATIO_LABEL = "1"  # the normalised unit of percentages: a plain ratio


@dataclass(frozen=True)
class UnitInfo:
    label: str
    iri: str
    base: str
    factor: Decimal


@functools.lru_cache(maxsize=1)
def _table() -> dict[str, UnitInfo]:
    data = json.loads(resources.files("kg").joinpath("data/units.json").read_text(encoding="utf-8"))
    prefixes = data["prefixes"]

    def expand(curie: str) -> str:
        prefix, _, local = curie.partition(":")
        return prefixes[prefix] + local

    return {label: UnitInfo(label, expand(e["iri"]), e["base"], Decimal(e["factor"]))
            for label, e in data["units"].items()}


def unit_info(label: str | None) -> UnitInfo | None:
    """The table entry of a printed unit label (whitespace ignored), or None when unknown."""
    if not label:
        return None
    return _table().get(compact(label))


def unit_iri(label: str | None) -> str | None:
    """The IRI of a printed unit label, or None when the unit is not in the table."""
    info = unit_info(label)
    return info.iri if info else None


def exact_decimal(value: float) -> Decimal:
    """A float as the decimal its shortest repr prints (3216.0 → Decimal('3216.0'))."""
    return Decimal(repr(float(value)))


def normalise(num: float | None, label: str | None) -> tuple[Decimal, str] | None:
    """(value in the base unit, base unit label), or None when the number or unit does not allow it."""
    info = unit_info(label)
    if num is None or info is None:
        return None
    return exact_decimal(num) * info.factor, info.base


def known_labels() -> list[str]:
    return sorted(_table())
