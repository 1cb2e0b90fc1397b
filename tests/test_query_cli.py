"""``perfkg queries``, ``perfkg query`` and ``perfkg compare`` through click's CliRunner."""
from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from perfkg.kg.cli import cli
from perfkg.kg.graph_io import write_graph
from perfkg.kg.query_library import list_queries

INJECTION = '" } UNION { ?s ?p ?o } #'


@pytest.fixture(scope="module")
def seed_files(seed_dataset, tmp_path_factory):
    """The seed graph written as TriG (named graphs) and Turtle (union)."""
    out = tmp_path_factory.mktemp("graph")
    trig, ttl = out / "seed.trig", out / "seed.ttl"
    write_graph(seed_dataset, trig)
    write_graph(seed_dataset, ttl)
    return trig, ttl


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_queries_lists_every_named_query_with_its_title():
    result = invoke("queries")
    assert result.exit_code == 0
    for query in list_queries():
        assert f"{query.name:26} {query.title}" in result.output
    assert "--param bureau_name=" in result.output and "(default person)" in result.output


def test_query_table_csv_and_json_agree(seed_files):
    trig, ttl = seed_files
    table = invoke("query", "satisfaction_targets", "--data", trig)
    assert table.exit_code == 0, table.output
    assert table.output.splitlines()[0].split() == ["bureau", "project", "indicator", "surveyed", "printed_under",
                                                    "in_dimension", "comparator", "value", "unit"]
    as_csv = invoke("query", "satisfaction_targets", "--data", ttl, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    as_json = json.loads(invoke("query", "satisfaction_targets", "--data", trig, "--format", "json").stdout)
    assert len(rows) == len(as_json) == len(table.stdout.splitlines()) - 2
    assert {r["bureau"] for r in rows} == {r["bureau"] for r in as_json} and len({r["bureau"] for r in rows}) == 5
    first = as_json[0]
    assert rows[0]["indicator"] == first["indicator"] and rows[0]["value"] == str(first["value"])
    assert first["value"] == 90 and first["unit"] == "%"


def test_query_with_params(seed_files):
    trig, _ = seed_files
    result = invoke("query", "satisfaction_targets", "--param", "bureau_name=漳州市医疗保障局", "--data", trig,
                    "--format", "json")
    rows = json.loads(result.stdout)
    assert result.exit_code == 0 and len(rows) == 7
    assert {r["bureau"] for r in rows} == {"漳州市医疗保障局"}
    shared = json.loads(invoke("query", "shared_concepts", "--param", "min_bureaus=5", "--data", trig,
                               "--format", "json").stdout)
    assert shared and all(r["bureaus"] == 5 for r in shared)


def test_injection_through_param_returns_no_rows(seed_files):
    trig, _ = seed_files
    result = invoke("query", "satisfaction_targets", "--param", f"bureau_name={INJECTION}", "--data", trig,
                    "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []
    concept = invoke("query", "concept_targets", "--param", f"concept={INJECTION}", "--data", trig)
    assert concept.exit_code == 2 and "unknown concept" in concept.output


def test_query_file_by_path(seed_files, tmp_path, seed_records):
    trig, _ = seed_files
    rq = tmp_path / "count.rq"
    rq.write_text("# title: Indicator count\nPREFIX pkg: <https://w3id.org/perfkg/ns#>\n"
                  "SELECT (COUNT(?i) AS ?n) WHERE { ?i a pkg:Indicator }\n", encoding="utf-8")
    result = invoke("query", rq, "--data", trig, "--format", "csv")
    assert result.exit_code == 0 and result.stdout == f"n\n{sum(r.indicator_count() for r in seed_records)}\n"


@pytest.mark.parametrize("args,message", [
    (["query", "nope"], "no query named 'nope'"),
    (["query", "indicator_mix", "--param", "colour=red"], "has no parameter colour"),
    (["query", "indicator_mix", "--param", "bureau_name"], "write it as name=value"),
    (["query", "shared_concepts", "--param", "min_bureaus=two"], "is not an integer"),
    (["compare", "no-such-concept"], "unknown concept 'no-such-concept'"),
])
def test_usage_errors_exit_2(seed_files, args, message):
    trig, _ = seed_files
    result = invoke(*args, "--data", trig)
    assert result.exit_code == 2 and message in result.output
    assert "Traceback" not in result.output


def test_unreadable_data_file_exits_1(tmp_path):
    bad = tmp_path / "broken.ttl"
    bad.write_text("this is not turtle <", encoding="utf-8")
    for args in (["query", "indicator_mix"], ["compare", "satisfaction"]):
        result = invoke(*args, "--data", bad)
        assert result.exit_code == 1 and "broken.ttl" in result.output and "Traceback" not in result.output


def test_compare_by_slug_and_by_label(seed_files):
    trig, ttl = seed_files
    by_slug = invoke("compare", "policy-awareness-rate", "--data", trig)
    by_label = invoke("compare", "政策知晓率", "--data", ttl)
    assert by_slug.exit_code == by_label.exit_code == 0
    assert by_slug.output == by_label.output
    lines = by_slug.output.splitlines()
    assert lines[0] == "政策知晓率 (policy-awareness-rate): 3 bureaus, 10 projects"
    assert lines[1].split() == ["bureau", "project", "indicators", "targets"]
    assert any("平顶山市石龙区医疗保障局" in line and "医保政策群众知晓率" in line and "≥90%" in line for line in lines)
    assert any("临西县医疗保障局" in line and "≥80%" in line for line in lines)


def test_compare_per_capita_standard_as_json(seed_files):
    trig, _ = seed_files
    rows = json.loads(invoke("compare", "per-capita-subsidy-standard", "--data", trig, "--format", "json").stdout)
    by_project = {(r["bureau"], r["project"]): r for r in rows}
    special = by_project[("临沂市罗庄区医疗保障局", "2024年城乡居民医疗保险特殊人群缴费补助")]
    assert special["targets"] == "380元/人; 230元/人"
    assert by_project[("临西县医疗保障局", "长期护理险县级补助")] == {
        "bureau": "临西县医疗保障局", "project": "长期护理险县级补助", "indicators": "人均筹资标准",
        "targets": "50元/人"}
    assert {r["bureau"] for r in rows} == {"临沂市罗庄区医疗保障局", "漳州市医疗保障局", "临西县医疗保障局",
                                           "聊城市东昌府区医疗保障局"}
