"""Every named query on the seed graph, checked against the seed values (gold records and extracted records)."""
from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from extract.records import DocumentRecord
from extract.vocabulary import standard_level1
from kg.concept_linker import default_linker
from kg.query_library import (QueryError, QueryUsageError, list_queries, load_query, parse_query,
                              run_query)

GOLD_DIR = Path(__file__).parent / "data" / "gold"
INJECTION = '" } UNION { ?s ?p ?o } #'
BUREAUS = {"临沂市罗庄区医疗保障局", "漳州市医疗保障局", "平顶山市石龙区医疗保障局", "临西县医疗保障局",
           "聊城市东昌府区医疗保障局"}


@pytest.fixture(scope="module")
def gold() -> list[DocumentRecord]:
    return [DocumentRecord.from_dict(json.loads(p.read_text(encoding="utf-8")))
            for p in sorted(GOLD_DIR.glob("*.json"))]


def run(name, ds, **params):
    return run_query(load_query(name), ds, {k: str(v) for k, v in params.items()}).dicts()


def gold_rows(records):
    for r in records:
        for p in r.projects:
            for i in p.indicators:
                yield r, p, i


def dec(x) -> Decimal | None:
    return None if x is None else Decimal(repr(float(x)))


def test_the_library_has_the_required_queries_with_headers():
    names = {q.name for q in list_queries()}
    assert len(names) >= 10
    assert {"concept_targets", "satisfaction_targets", "per_capita_standards", "indicator_mix", "qualitative_share",
            "project_budgets", "shared_concepts", "projects_missing_level1", "cost_vs_budget",
            "document_flags"} <= names
    assert any("satisf" in n for n in names)
    for q in list_queries():
        assert q.title and q.description, q.name
        assert q.text.startswith("# title: ")
        for param in q.params:
            assert f"?{param.name}" in q.text, (q.name, param.name)


def test_every_named_query_runs_on_the_seed_graph(seed_dataset):
    for q in list_queries():
        result = run_query(q, seed_dataset)
        assert result.rows, f"{q.name} returned no rows on the seed graph"
        assert run_query(q, seed_dataset) == result  # deterministic, order included


def test_satisfaction_targets_of_each_seed_bureau_match_the_gold(seed_dataset, gold):
    rows = run("satisfaction_targets", seed_dataset)
    assert {r["bureau"] for r in rows} == BUREAUS
    got = Counter((r["bureau"], r["project"], r["indicator"], r["value"], r["unit"]) for r in rows)
    expected = Counter((rec.bureau, p.name, i.level3, dec(i.num), i.unit) for rec, p, i in gold_rows(gold)
                       if "满意" in i.level3 or "好评" in i.level3 or "满意度" in (i.level2 or ""))
    assert got == expected
    zhangzhou = [r for r in rows if r["bureau"] == "漳州市医疗保障局"]
    assert Counter(r["indicator"] for r in zhangzhou)["12345平台诉求群众满意率"] == 5
    assert all(r["value"] == Decimal("98") for r in zhangzhou if r["indicator"] == "12345平台诉求群众满意率")


def test_satisfaction_targets_of_one_bureau(seed_dataset):
    rows = run("satisfaction_targets", seed_dataset, bureau_name="临西县医疗保障局")
    assert {r["bureau"] for r in rows} == {"临西县医疗保障局"}
    assert [(r["indicator"], r["value"]) for r in rows if r["project"] == "医疗保障基金监管执法经费"] == \
        [("群众满意度", Decimal("90"))]
    assert Counter(r["surveyed"] for r in rows) == {"服务对象满意度": 6, "工作人员满意度": 2}


def test_concept_targets_by_label_slug_and_iri_agree(seed_dataset, gold):
    by_label = run("concept_targets", seed_dataset, concept="政策知晓率")
    assert run("concept_targets", seed_dataset, concept="policy-awareness-rate") == by_label
    assert run("concept_targets", seed_dataset,
               concept="https://w3id.org/perfkg/concept/policy-awareness-rate") == by_label
    expected = Counter((rec.bureau, i.level3, dec(i.num)) for rec, p, i in gold_rows(gold) if "知晓率" in i.level3)
    assert Counter((r["bureau"], r["indicator"], r["value"]) for r in by_label) == expected
    assert {r["bureau"] for r in by_label} == {"临沂市罗庄区医疗保障局", "平顶山市石龙区医疗保障局", "临西县医疗保障局"}


def test_concept_targets_include_narrower_concepts(seed_dataset):
    rows = run("concept_targets", seed_dataset, concept="satisfaction")
    assert len(rows) == len(run("satisfaction_targets", seed_dataset))
    assert {r["linked_concept"] for r in rows} >= {"服务对象满意度", "上级主管部门满意度"}


def test_per_capita_standards(seed_dataset, gold):
    rows = run("per_capita_standards", seed_dataset)
    expected = Counter((rec.bureau, i.level3, dec(i.num), i.unit) for rec, p, i in gold_rows(gold)
                       if i.num is not None and (i.unit or "").startswith("元/人"))
    assert Counter((r["bureau"], r["indicator"], r["value"], r["unit"]) for r in rows) == expected
    values = [r["value"] for r in rows]
    assert values == sorted(values, reverse=True)
    assert rows[0]["indicator"] == "离休人员医疗保险筹集人均标准" and rows[0]["value"] == Decimal("45836")
    per_village = run("per_capita_standards", seed_dataset, unit_prefix="元/村")
    assert [(r["bureau"], r["value"]) for r in per_village] == [("临西县医疗保障局", Decimal("800"))]


def test_indicator_mix(seed_dataset, seed_records):
    rows = run("indicator_mix", seed_dataset)
    got = {(r["bureau"], r["level1"], r["level2"]): r["indicators"] for r in rows}
    expected = Counter((rec.bureau, i.level1 or "-", i.level2 or "-") for rec, p, i in gold_rows(seed_records))
    assert got == dict(expected)
    assert got[("临沂市罗庄区医疗保障局", "成本指标", "经济成本指标")] == 20
    assert got[("临西县医疗保障局", "产出指标", "成本指标")] == 8
    one = run("indicator_mix", seed_dataset, bureau_name="漳州市医疗保障局")
    assert sum(r["indicators"] for r in one) == 54 and {r["bureau"] for r in one} == {"漳州市医疗保障局"}


def test_qualitative_share(seed_dataset, seed_records):
    rows = {r["bureau"]: r for r in run("qualitative_share", seed_dataset)}
    for rec in seed_records:
        targets = [i for p in rec.projects for i in p.indicators
                   if any(v is not None for v in (i.value, i.op, i.num, i.unit))]
        qualitative = [i for i in targets if i.num is None and i.value is not None]
        row = rows[rec.bureau]
        assert (row["targets"], row["qualitative"]) == (len(targets), len(qualitative)), rec.bureau
        assert row["share"] == round(Decimal(len(qualitative)) / len(targets), 3)
    assert rows["漳州市医疗保障局"]["qualitative"] == 0
    assert rows["聊城市东昌府区医疗保障局"]["share"] == Decimal("0.569")  # 41 of 72


def test_project_budgets(seed_dataset, gold):
    rows = run("project_budgets", seed_dataset)
    got = Counter((r["bureau"], r["project"], r["budget"], r["indicators"]) for r in rows)
    expected = Counter((rec.bureau, p.name, dec(p.budget_total), len(p.indicators))
                       for rec in gold for p in rec.projects)
    assert got == expected
    linxi = run("project_budgets", seed_dataset, bureau_name="临西县医疗保障局")
    assert (linxi[0]["project"], linxi[0]["budget"], linxi[0]["indicators"]) == ("城乡居民医保县级补助资金", Decimal("4124"), 9)


def test_shared_concepts(seed_dataset, seed_records):
    rows = run("shared_concepts", seed_dataset)
    bureaus_of: dict[str, set[str]] = {}
    for rec, p, i in gold_rows(seed_records):
        for link in default_linker().tag_indicator(i).links:
            bureaus_of.setdefault(link.concept, set()).add(rec.bureau)
    expected = {c: len(b) for c, b in bureaus_of.items() if len(b) >= 2}
    assert {r["concept"]: r["bureaus"] for r in rows} == expected
    assert {r["concept"] for r in rows} >= {"cost-ceiling", "service-recipient-satisfaction", "policy-awareness-rate",
                                             "per-capita-subsidy-standard", "reimbursement-ratio"}
    everywhere = run("shared_concepts", seed_dataset, min_bureaus=5)
    assert everywhere and all(r["bureaus"] == 5 for r in everywhere)
    assert "cost-ceiling" in {r["concept"] for r in everywhere}


def test_projects_missing_level1(seed_dataset, seed_records):
    rows = run("projects_missing_level1", seed_dataset)
    standard = {"成本指标", "产出指标", "效益指标", "满意度指标"}
    expected = Counter()
    for rec in seed_records:
        for p in rec.projects:
            if p.kind == "project":
                present = {standard_level1(i.level1) for i in p.indicators if i.level1}
                for missing in standard - present:
                    expected[(rec.bureau, p.name, missing)] += 1
    assert Counter((r["bureau"], r["project"], r["missing"]) for r in rows) == expected
    # 临西县 prints 成本指标 as a level-2 row under 产出指标 in all eight tables
    assert Counter(r["missing"] for r in rows if r["bureau"] == "临西县医疗保障局") == {"成本指标": 8}


def test_cost_vs_budget(seed_dataset):
    rows = run("cost_vs_budget", seed_dataset)
    assert {r["bureau"] for r in rows} == BUREAUS - {"聊城市东昌府区医疗保障局"}  # its cost rows are words
    by_name = {(r["bureau"], r["indicator"]): r for r in rows}
    first = by_name[("临沂市罗庄区医疗保障局", "区级参保补助总成本")]
    assert (first["budget"], first["cost"], first["ratio"]) == (Decimal("3216"), Decimal("3216"), Decimal("1"))
    linxi = by_name[("临西县医疗保障局", "监管执法成本")]
    assert (linxi["budget"], linxi["cost"], linxi["ratio"]) == (Decimal("14"), Decimal("1.2"), Decimal("0.086"))
    for r in rows:
        assert r["ratio"] == round(r["cost"] / r["budget"], 3)


def test_document_flags(seed_dataset, seed_records):
    rows = run("document_flags", seed_dataset)
    expected = Counter()
    for rec in seed_records:
        flags = list(rec.flags) + [f for p in rec.projects for f in p.flags] + \
            [f for p in rec.projects for i in p.indicators for f in i.flags]
        for flag in flags:
            expected[(rec.source, flag.code)] += 1
    assert {(r["document"], r["code"]): r["flags"] for r in rows} == dict(expected)


def test_population_targets(seed_dataset, gold):
    rows = run("population_targets", seed_dataset)
    assert all("参保人" in r["indicator"] or "参保对象" in r["indicator"] for r in rows)
    names = {(r["bureau"], r["indicator"]) for r in rows}
    assert {(rec.bureau, i.level3) for rec, p, i in gold_rows(gold) if "参保人员" in i.level3} <= names
    aid = run("population_targets", seed_dataset, population="救助对象")
    assert {r["indicator"] for r in aid} == {"减轻城乡医疗救助对象就医经济负担", "救助对象满意度", "医疗救助对象人次",
                                               "医疗救助对象覆盖范围"}


def test_measure_mix_and_concept_coverage(seed_dataset, seed_records):
    counts = {rec.bureau: rec.indicator_count() for rec in seed_records}
    mix = run("measure_mix", seed_dataset)
    for bureau, n in counts.items():
        assert sum(r["indicators"] for r in mix if r["bureau"] == bureau) == n
    coverage = {r["bureau"]: r for r in run("concept_coverage", seed_dataset)}
    assert {b: r["indicators"] for b, r in coverage.items()} == counts
    assert sum(r["linked"] for r in coverage.values()) / sum(counts.values()) >= 0.8


def test_concepts_query_lists_the_scheme(seed_dataset, gold):
    rows = run("concepts", seed_dataset)
    by_slug = {r["concept"]: r for r in rows}
    assert by_slug["policy-awareness-rate"]["indicators"] == sum(1 for *_, i in gold_rows(gold) if "知晓率" in i.level3)
    assert by_slug["insured-count"]["broader"] == "beneficiary-count"
    assert by_slug["service-recipient-satisfaction"]["label_en"] == "satisfaction of insured persons and service recipients"


def test_injection_through_a_string_parameter_returns_nothing(seed_dataset):
    query = load_query("satisfaction_targets")
    text_before = query.text
    assert run("satisfaction_targets", seed_dataset, bureau_name=INJECTION) == []
    assert run("per_capita_standards", seed_dataset, unit_prefix='元/人")) || true || ("') == []
    assert query.text == text_before == load_query("satisfaction_targets").text


def test_injection_through_a_concept_or_number_parameter_is_refused(seed_dataset):
    with pytest.raises(QueryUsageError, match="unknown concept"):
        run("concept_targets", seed_dataset, concept=INJECTION)
    with pytest.raises(QueryUsageError, match="not an integer"):
        run("shared_concepts", seed_dataset, min_bureaus="2) || (1")


def test_unknown_query_and_parameter_are_usage_errors(seed_dataset):
    with pytest.raises(QueryUsageError, match="no query named 'nope'"):
        load_query("nope")
    with pytest.raises(QueryUsageError, match="has no parameter colour"):
        run("indicator_mix", seed_dataset, colour="red")


def test_query_files_load_by_path_and_headers_are_checked(tmp_path, seed_dataset):
    rq = tmp_path / "bureaus.rq"
    rq.write_text("# title: Bureaus\n# param: name — bureau label (string)\n"
                  "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
                  "PREFIX pkg: <https://w3id.org/perfkg/ns#>\n"
                  "SELECT DISTINCT ?bureau WHERE { ?b a pkg:Bureau ; rdfs:label ?bureau . "
                  "FILTER(!BOUND(?name) || STR(?bureau) = ?name) } ORDER BY ?bureau\n", encoding="utf-8")
    q = load_query(str(rq))
    assert (q.name, q.title, [p.name for p in q.params]) == ("bureaus", "Bureaus", ["name"])
    assert {r["bureau"] for r in run_query(q, seed_dataset).dicts()} == BUREAUS
    assert run_query(q, seed_dataset, {"name": "漳州市医疗保障局"}).rows == (("漳州市医疗保障局",),)
    with pytest.raises(QueryError, match="no '# title:' line"):
        parse_query("SELECT * WHERE { ?s ?p ?o }", "x", "x.rq")
    with pytest.raises(QueryError, match=r"x.rq: line 2"):
        parse_query("# title: X\n# param: 1bad\nSELECT * WHERE { ?s ?p ?o }", "x", "x.rq")
    broken = parse_query("# title: Broken\nSELECT WHERE {", "broken", "broken.rq")
    with pytest.raises(QueryError, match="broken.rq"):
        run_query(broken, seed_dataset)


def test_queries_see_every_named_graph_of_a_dataset_without_union_default(seed_dataset):
    from rdflib import Dataset

    from kg.graph_io import serialise

    plain = Dataset()  # default_union=False: the default graph alone is empty
    plain.parse(data=serialise(seed_dataset, "trig"), format="trig")
    assert run("concept_coverage", plain) == run("concept_coverage", seed_dataset)
