"""309-digit numbers (issue 11, case 09): never inf, kept as printed with a flag; JSON never Infinity; build writes."""
from __future__ import annotations

import json
import math
from pathlib import Path

from click.testing import CliRunner

from perfkg.extract.checks import check_document
from perfkg.extract.pipeline import extract_document
from perfkg.extract.records import DocumentRecord, Indicator, Project
from perfkg.extract.serialise import records_to_csv, records_to_json, records_to_jsonl
from perfkg.extract.target_values import parse_quantity, parse_target_value
from perfkg.kg.cli import cli

CASE = Path(__file__).resolve().parent / "data" / "reliability" / "09_number_overflow_infinity.txt"


def _floats(value):
    if isinstance(value, float):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _floats(v)
    elif isinstance(value, list):
        for v in value:
            yield from _floats(v)


def test_a_309_digit_value_stays_printed_text():
    digits = "9" * 309
    assert parse_quantity(digits + "人") is None
    tv = parse_target_value("≥" + digits + "人")
    assert tv.num is None and tv.value == "≥" + digits + "人"


def test_the_reproducer_extracts_finite_numbers_with_flags():
    record = extract_document(CASE)
    data = record.to_dict()
    assert all(math.isfinite(x) for x in _floats(data))
    codes = [f.code for f in record.flags] + [f.code for p in record.projects for i in p.indicators for f in i.flags]
    assert "number_out_of_range" in codes
    kept = [i.value for p in record.projects for i in p.indicators if i.value and "9" * 100 in i.value]
    assert kept  # the printed value keeps every digit


def test_an_infinite_number_from_any_extractor_is_emptied_and_flagged():
    ind = Indicator("产出指标", "数量指标", "人数", value="≥" + "9" * 400, op=">=", num=float("inf"), span=(3, 3))
    doc = DocumentRecord("x.txt", projects=[Project("p", budget_total=float("inf"), indicators=[ind], span=(1, 3))])
    check_document(doc, ["", "", ""])
    assert doc.projects[0].budget_total is None and ind.num is None and ind.op is None
    assert [f.code for f in doc.projects[0].flags] == ["number_out_of_range"]
    assert [f.code for f in ind.flags] == ["number_out_of_range"]


def test_json_is_never_infinity_even_for_a_hand_made_record():
    doc = DocumentRecord("x.txt", projects=[Project("p", budget_total=float("inf"),
                                                     indicators=[Indicator(None, None, "a", num=float("nan"))])])
    for text in (records_to_json([doc]), records_to_jsonl([doc])):
        assert "Infinity" not in text and "NaN" not in text
        json.loads(text.splitlines()[0] if text.startswith("{\"") else text)
    assert "inf" not in records_to_csv([doc])


def test_extract_and_build_of_the_reproducer_succeed(tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["extract", str(CASE), "-o", str(tmp_path / "r.json")])
    assert result.exit_code == 0, result.output
    json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))  # strict JSON: no Infinity
    result = runner.invoke(cli, ["build", str(CASE), "-o", str(tmp_path / "g.ttl")])
    assert result.exit_code == 0, result.output
    assert "Infinity" not in (tmp_path / "g.ttl").read_text(encoding="utf-8")
