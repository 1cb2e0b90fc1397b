"""The flag-code registry (extract/flags.py): every code the code base emits is registered, the
README's table is the registry, and an unregistered code is an error where the flag is made."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from library_modules import package_dirs
from perfkg.extract.flags import FLAG_CODES
from perfkg.extract.records import DocumentRecord, Flag, Indicator, Project

ROOT = Path(__file__).resolve().parents[1]


def _library_sources() -> list[Path]:
    return sorted({p for folder in package_dirs().values() for p in folder.glob("*.py")})


def _is_flag_constructor(func: ast.expr) -> bool:
    return (isinstance(func, ast.Name) and func.id == "Flag") or (
        isinstance(func, ast.Attribute) and func.attr == "Flag")


def _emitted() -> tuple[dict[str, list[str]], list[str]]:
    """Codes of every ``Flag(…)`` call in the library → where; and calls whose code is not a literal."""
    codes: dict[str, list[str]] = {}
    not_literal = []
    for path in _library_sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if not (isinstance(node, ast.Call) and _is_flag_constructor(node.func)):
                continue
            code = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "code"), None)
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            if isinstance(code, ast.Constant) and isinstance(code.value, str):
                codes.setdefault(code.value, []).append(where)
            else:
                not_literal.append(where)
    return codes, not_literal


def _compared() -> dict[str, list[str]]:
    """Codes the library tests flags against (``f.code == "…"``)."""
    found: dict[str, list[str]] = {}
    for path in _library_sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Compare) and isinstance(node.left, ast.Attribute) and node.left.attr == "code" \
                    and isinstance(node.left.value, ast.Name) and node.left.value.id in ("f", "flag"):
                for right in node.comparators:
                    if isinstance(right, ast.Constant) and isinstance(right.value, str):
                        found.setdefault(right.value, []).append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_every_emitted_code_is_registered_and_every_registered_code_is_emitted() -> None:
    emitted, not_literal = _emitted()
    assert sum(len(w) for w in emitted.values()) >= 25  # the scan sees the emitters (reader, decoder, checks, kg)
    assert not_literal == [], "a Flag(…) whose code is not a literal cannot be checked; use Flag.read for stored flags"
    unregistered = {code: where for code, where in emitted.items() if code not in FLAG_CODES}
    assert unregistered == {}, "register these codes in extract/flags.py and the README's table"
    assert set(FLAG_CODES) - set(emitted) == set(), "registered codes nothing emits: remove them"
    compared = {code: where for code, where in _compared().items() if code not in FLAG_CODES}
    assert compared == {}


def test_the_readme_table_is_the_registry() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("\n### Flags\n"):]
    section = section[:section.index("\n#", 1)]
    rows = re.findall(r"^\| `([a-z0-9_]+)` \| ([a-z, ]+) \| (.+) \|$", section, re.M)
    assert rows == [(c.code, ", ".join(c.on), c.meaning) for c in FLAG_CODES.values()]


def test_an_unregistered_code_is_an_error_where_the_flag_is_made() -> None:
    with pytest.raises(ValueError, match="value_mising"):
        Flag("value_mising", "no target value")
    assert Flag("value_missing", "no target value", 3).to_dict() == {
        "code": "value_missing", "message": "no target value", "line": 3}


def test_stored_flags_keep_their_codes() -> None:
    """Gold files and graphs written by other versions hold codes this one does not emit; reading keeps them."""
    old = Flag.from_dict({"code": "page_break_carry", "message": "carried over", "line": 7})
    assert (old.code, old.message, old.line) == ("page_break_carry", "carried over", 7)
    assert old.to_dict() == {"code": "page_break_carry", "message": "carried over", "line": 7}
    assert Flag.from_dict("checked by hand").code == "note"


def test_a_stored_code_survives_the_graph_round_trip() -> None:
    from perfkg.kg.graph_build import build_dataset
    from perfkg.kg.graph_read import read_records

    indicator = Indicator(level1="产出指标", level2="数量指标", level3="参保人数", value="≥100人", op=">=", num=100.0,
                          unit="人", flags=[Flag.read("page_break_carry", "carried over", 4)])
    record = DocumentRecord(source="one.txt", bureau="漳州市医疗保障局", year=2024,
                            projects=[Project(name="城乡居民医保", indicators=[indicator])])
    back = read_records(build_dataset([record]))
    assert [f.to_dict() for f in back[0].projects[0].indicators[0].flags] == [
        {"code": "page_break_carry", "message": "carried over", "line": 4}]
