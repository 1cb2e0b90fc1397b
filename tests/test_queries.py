"""Every named query against an answer computed from the gold records alone (seeds and dev set), row by row.

The graphs are built from the gold records, so the extractor plays no part; the expected answers are
computed here in plain Python from the same records (the unit and period rules re-implemented in a few
lines, not taken from kg/), and every query also runs on pyoxigraph with the union default graph.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from perfkg import ontology
from perfkg.extract.records import DocumentRecord
from perfkg.extract.vocabulary import framework, standard_level1, standard_level2
from perfkg.kg.concept_linker import CONCEPT_NS, default_linker
from perfkg.kg.divisions import resolve
from perfkg.kg.graph_build import build_dataset
from perfkg.kg.query_library import (
    QueryError,
    QueryUsageError,
    bind_value,
    list_queries,
    load_query,
    parse_query,
    run_query,
)

DATA = Path(__file__).parent / "data"
SETS = {"seeds": DATA / "gold", "dev": DATA / "dev" / "gold"}
INJECTION = '" } UNION { ?s ?p ?o } #'
SATISFACTION = "满意度指标"


def load_gold(directory: Path) -> list[DocumentRecord]:
    return [DocumentRecord.from_dict(json.loads(p.read_text(encoding="utf-8")))
            for p in sorted(directory.glob("*.json"))]


@pytest.fixture(scope="module", params=sorted(SETS))
def gold(request):
    """(records, dataset) of one gold set."""
    records = load_gold(SETS[request.param])
    return records, build_dataset(records)


@pytest.fixture(scope="module")
def seed_gold():
    records = load_gold(SETS["seeds"])
    return records, build_dataset(records)


def run(name, ds, **params):
    return run_query(load_query(name), ds, {k: str(v) for k, v in params.items()}).dicts()


def rows(records):
    """Every indicator of the documents that name their bureau (the queries report per bureau)."""
    for r in records:
        if not r.bureau:
            continue
        for p in r.projects:
            for i in p.indicators:
                yield r, p, i


def dec(x) -> Decimal | None:
    return None if x is None else Decimal(repr(float(x)))


def links(i) -> set[str]:
    return {link.concept for link in default_linker().tag_indicator(i).links}


def narrower_or_self(slug: str) -> set[str]:
    g = Graph().parse(data=ontology.path("concepts.ttl").read_text(encoding="utf-8"), format="turtle")
    out, todo = {slug}, [URIRef(CONCEPT_NS + slug)]
    while todo:
        for child in g.subjects(SKOS.broader, todo.pop()):
            out.add(str(child)[len(CONCEPT_NS):])
            todo.append(child)
    return out


def dimensions(i) -> set[str]:
    """The level-1 dimensions an indicator measures: its standard level 1, and its standard level 2's
    parent, except the older template's 成本指标 under 产出指标, which measures cost."""
    fw = framework()
    out = set()
    if i.level1 and standard_level1(i.level1):
        out.add(standard_level1(i.level1))
    level2 = standard_level2(i.level2) if i.level2 else None
    if level2:
        out.add("成本指标" if level2 == "成本指标" else fw["level2"][level2]["parent"])
    return out


def unit_parts(unit: str | None) -> list[str]:
    return [p for p in re.split(r"[/每.]", unit or "") if p]


YUAN_PER_WAN = {"元": Decimal("0.0001"), "万元": Decimal(1), "亿元": Decimal(10000)}
SUB_ANNUAL = ("月", "季", "周", "天", "日")


def sub_annual(i) -> bool:
    text = (i.level3 or "") + (i.description or "")
    stated = any(w + p in text for p in SUB_ANNUAL for w in ("每", "按")) or any(
        p + w in text for p in ("月", "日") for w in ("度", "均")) or "季度" in text
    return stated or any(p in SUB_ANNUAL for p in unit_parts(i.unit)[1:])


# -- the library itself ---------------------------------------------------------------------------

def test_the_library_has_the_required_queries_with_headers():
    names = {q.name for q in list_queries()}
    assert {"concept_targets", "satisfaction_targets", "per_capita_standards", "indicator_mix", "qualitative_share",
            "project_budgets", "shared_concepts", "projects_missing_level1", "cost_vs_budget",
            "document_flags"} <= names
    for q in list_queries():
        assert q.title and q.description, q.name
        assert q.text.startswith("# title: ")
        for param in q.params:
            assert f"?{param.name}" in q.text, (q.name, param.name)


def test_every_named_query_runs_deterministically_on_the_gold_graphs(gold):
    _, ds = gold
    for q in list_queries():
        assert run_query(q, ds) == run_query(q, ds), q.name


# -- each query against its gold answer ------------------------------------------------------------

def test_projects_missing_level1_counts_older_template_cost_rows_as_cost(gold):
    records, ds = gold
    expected = Counter()
    for r in records:
        for p in r.projects if r.bureau else ():
            if p.kind == "project":
                present = set().union(*(dimensions(i) for i in p.indicators)) if p.indicators else set()
                for missing in set(framework()["level1"]) - present:
                    expected[(r.bureau, p.name, missing)] += 1
    got = Counter((x["bureau"], x["project"], x["missing"]) for x in run("projects_missing_level1", ds))
    assert got == expected


def test_older_template_cost_rows_are_not_missing_cost(seed_gold):
    records, ds = seed_gold
    linxi = [x for x in run("projects_missing_level1", ds) if x["bureau"] == "临西县医疗保障局"]
    assert linxi == []  # its eight tables print 成本指标 as a level 2 under 产出指标


def test_cost_vs_budget_compares_whole_annual_amounts_only(gold):
    records, ds = gold
    expected = Counter()
    for r, p, i in rows(records):
        if ("cost-ceiling" in links(i) and i.num is not None and i.unit in YUAN_PER_WAN
                and p.budget_total is not None and not sub_annual(i)):
            cost = dec(i.num) * YUAN_PER_WAN[i.unit]
            # SPARQL's ROUND takes halves up (fn:round), Python's round() to even: 0.0005 → 0.001
            ratio = ((cost / dec(p.budget_total)).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)
                     if p.budget_total > 0 else None)
            expected[(r.bureau, p.name, i.level3, cost.normalize(), ratio)] += 1
    got = Counter((x["bureau"], x["project"], x["indicator"], x["cost"].normalize(),
                   None if x["ratio"] is None else x["ratio"]) for x in run("cost_vs_budget", ds))
    assert got == expected


def test_cost_vs_budget_leaves_out_monthly_ceilings(seed_gold):
    _, ds = seed_gold
    names = {x["indicator"] for x in run("cost_vs_budget", ds)}
    assert not names & {"监管执法成本", "业务费用支出限额", "项目开展成本"}  # 月度费用限额, 月均费用限额
    assert "区级参保补助总成本" in names


def test_per_capita_standards_are_money_per_person(gold):
    records, ds = gold
    expected = Counter((r.bureau, p.name, i.level3, dec(i.num), i.unit) for r, p, i in rows(records)
                       if i.num is not None and len(unit_parts(i.unit)) > 1 and unit_parts(i.unit)[0] in ("元", "万元")
                       and any(d in ("人", "名", "位", "生") for d in unit_parts(i.unit)[1:]))
    got = run("per_capita_standards", ds)
    assert Counter((x["bureau"], x["project"], x["indicator"], x["value"], x["unit"]) for x in got) == expected
    assert [x["value"] for x in got] == sorted((x["value"] for x in got), reverse=True)


def test_per_village_is_not_per_capita(seed_gold):
    _, ds = seed_gold
    assert all("村" not in x["unit"] for x in run("per_capita_standards", ds))
    assert [(x["bureau"], x["value"]) for x in run("per_capita_standards", ds, per="village")] == \
        [("临西县医疗保障局", Decimal("800"))]
    per_year = {x["indicator"]: x["period"] for x in run("per_capita_standards", ds) if x["unit"] == "元/人/年"}
    assert set(per_year.values()) == {"year"}
    concept = run("concept_targets", ds, concept="per-capita-subsidy-standard")
    assert all(x["unit"] != "元/村" for x in concept)


def test_satisfaction_targets_say_which_rows_lie_outside_the_dimension(gold):
    records, ds = gold
    satisfaction = narrower_or_self("satisfaction")
    in_dimension = {(r.bureau, p.name, i.level3): SATISFACTION in dimensions(i) for r, p, i in rows(records)}
    linked = Counter((r.bureau, p.name, i.level3) for r, p, i in rows(records) if links(i) & satisfaction)
    under = Counter((r.bureau, p.name, i.level3) for r, p, i in rows(records) if SATISFACTION in dimensions(i))
    for scope, expected in (("all", linked | under), ("concept", linked), ("dimension", under)):
        got = run("satisfaction_targets", ds, scope=scope)
        assert Counter((x["bureau"], x["project"], x["indicator"]) for x in got) == expected, scope
        for x in got:
            assert x["in_dimension"] == in_dimension[(x["bureau"], x["project"], x["indicator"])]


def test_satisfaction_targets_on_the_seeds(seed_gold):
    _, ds = seed_gold
    everything, dimension = run("satisfaction_targets", ds), run("satisfaction_targets", ds, scope="dimension")
    assert (len(everything), len(dimension)) == (53, 51)
    outside = {(x["indicator"], x["printed_under"]) for x in everything if not x["in_dimension"]}
    assert outside == {("办事大厅好评率", "效益指标"), ("服务对象满意度指标", "效益指标")}
    one = run("satisfaction_targets", ds, bureau_name="漳州")  # part of the name
    assert one and {x["bureau"] for x in one} == {"漳州市医疗保障局"}


def test_concept_targets_follow_the_scheme(gold):
    records, ds = gold
    for slug in ("policy-awareness-rate", "satisfaction", "cost-ceiling"):
        wanted = narrower_or_self(slug)
        expected = Counter((r.bureau, p.name, i.level3, dec(i.num)) for r, p, i in rows(records)
                           for c in links(i) if c in wanted)
        got = Counter((x["bureau"], x["project"], x["indicator"], x["value"]) for x in run("concept_targets", ds,
                                                                                           concept=slug))
        assert got == expected, slug


def test_concept_targets_by_label_slug_and_iri_agree(seed_gold):
    _, ds = seed_gold
    by_label = run("concept_targets", ds, concept="政策知晓率")
    assert run("concept_targets", ds, concept="policy-awareness-rate") == by_label
    assert run("concept_targets", ds, concept=CONCEPT_NS + "policy-awareness-rate") == by_label


def test_concepts_and_coverage(gold):
    records, ds = gold
    counts = Counter(c for r in records for p in r.projects for i in p.indicators for c in links(i))
    got = {x["concept"]: x["indicators"] for x in run("concepts", ds)}
    assert {c: n for c, n in got.items() if n} == dict(counts)
    coverage = {x["bureau"]: (x["indicators"], x["linked"]) for x in run("concept_coverage", ds)}
    expected: dict[str, list[int]] = {}
    for r, _, i in rows(records):
        entry = expected.setdefault(r.bureau, [0, 0])
        entry[0] += 1
        entry[1] += bool(links(i))
    assert coverage == {b: tuple(v) for b, v in expected.items()}


def test_shared_concepts(gold):
    records, ds = gold
    bureaus_of: dict[str, set[str]] = {}
    for r, _, i in rows(records):
        for c in links(i):
            bureaus_of.setdefault(c, set()).add(r.bureau)
    for least in (2, 3):
        expected = {c: len(b) for c, b in bureaus_of.items() if len(b) >= least}
        assert {x["concept"]: x["bureaus"] for x in run("shared_concepts", ds, min_bureaus=least)} == expected


def test_indicator_mix(gold):
    records, ds = gold
    expected = Counter((r.bureau, i.level1 or "-", i.level2 or "-") for r, _, i in rows(records))
    got = {(x["bureau"], x["level1"], x["level2"]): x["indicators"] for x in run("indicator_mix", ds)}
    assert got == dict(expected)


def test_measure_mix(gold):
    records, ds = gold
    expected = Counter((r.bureau, default_linker().tag_indicator(i).measure_type or "-") for r, _, i in rows(records))
    assert {(x["bureau"], x["measure"]): x["indicators"] for x in run("measure_mix", ds)} == dict(expected)


def test_qualitative_share(gold):
    records, ds = gold
    got = {x["bureau"]: x for x in run("qualitative_share", ds)}
    per_bureau: dict[str, list[int]] = {}
    for r, _, i in rows(records):
        if any(v is not None for v in (i.value, i.op, i.num, i.unit)):
            entry = per_bureau.setdefault(r.bureau, [0, 0])
            entry[0] += 1
            entry[1] += i.num is None and i.value is not None
    assert {b: (x["targets"], x["qualitative"]) for b, x in got.items()} == {b: tuple(v) for b, v in per_bureau.items()}
    for b, (targets, qualitative) in per_bureau.items():
        assert got[b]["share"] == (Decimal(qualitative) / targets).quantize(Decimal("0.001"), ROUND_HALF_UP)


def test_project_budgets(gold):
    records, ds = gold
    expected = Counter((r.bureau, p.name, dec(p.budget_total), len(p.indicators)) for r in records if r.bureau
                       for p in r.projects)
    got = run("project_budgets", ds)
    assert Counter((x["bureau"], x["project"], x["budget"], x["indicators"]) for x in got) == expected


def test_population_targets(gold):
    records, ds = gold
    populations = Counter(t for _, _, i in rows(records) for t in default_linker().tag_indicator(i).populations)
    for population in list(populations)[:4] or ["参保人员"]:
        expected = Counter((r.bureau, p.name, i.level3) for r, p, i in rows(records)
                           if any(population in t for t in default_linker().tag_indicator(i).populations))
        got = Counter((x["bureau"], x["project"], x["indicator"]) for x in run("population_targets", ds,
                                                                               population=population))
        assert got == expected, population


def test_document_flags(gold):
    records, ds = gold
    expected = Counter()
    for r in records:
        flags = list(r.flags) + [f for p in r.projects for f in p.flags] + \
            [f for p in r.projects for i in p.indicators for f in i.flags]
        if r.bureau and resolve(r.bureau).flag is not None:
            flags.append(resolve(r.bureau).flag)
        for flag in flags:
            expected[(r.source, flag.code)] += 1
    assert {(x["document"], x["code"]): x["flags"] for x in run("document_flags", ds)} == dict(expected)


# Parameter values tried on both engines beside each query's defaults (every parameter at least once).
PORTABLE_VALUES = {
    "concept_targets": [{"concept": "政策知晓率"}, {"concept": "satisfaction"}],
    "cost_vs_budget": [{"bureau_name": "临沂"}],
    "indicator_mix": [{"bureau_name": "漳州"}],
    "per_capita_standards": [{"per": "village"}],
    "population_targets": [{"population": "救助对象"}],
    "project_budgets": [{"bureau_name": "临西"}],
    "satisfaction_targets": [{"bureau_name": "临西", "scope": "dimension"}, {"scope": "concept"}],
    "shared_concepts": [{"min_bureaus": "4"}],
}


@pytest.fixture(scope="module")
def portable_corpus():
    """Seed and dev gold, and two seeds again under other paths: bureaus stated by several document graphs,
    which Oxigraph's union default graph repeats and rdflib's merges."""
    import copy

    import pyoxigraph as ox

    from perfkg.kg.graph_io import serialise
    from perfkg.kg.store import OxigraphStore

    records = load_gold(SETS["seeds"]) + load_gold(SETS["dev"])
    for record in records[:2]:
        again = copy.deepcopy(record)
        again.path, again.sha256 = f"elsewhere/{record.source}", "0" * 64
        records.append(again)
    ds = build_dataset(records)
    store = OxigraphStore()
    store.store.load(serialise(ds, "nq").encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    return ds, store


@pytest.fixture(scope="module")
def on_rdflib(portable_corpus):
    """``run_query(q, ds, values)`` on the portable corpus's rdflib dataset, run once per query and values (rdflib
    takes seconds where Oxigraph takes milliseconds; two tests compare Oxigraph's rows with the same answers)."""
    ds, _ = portable_corpus
    answers: dict = {}

    def rows(q, values: dict | None = None):
        key = (q.name, tuple(sorted((values or {}).items())))
        if key not in answers:
            answers[key] = run_query(q, ds, values)
        return answers[key]

    return rows


def test_every_named_query_gives_the_same_rows_on_rdflib_and_oxigraph(portable_corpus, on_rdflib):
    """The .rq files are plain SPARQL 1.1 over a union default graph: the same rows on both engines, with
    their defaults (written in the query) and with given values, also where bureaus repeat across graphs."""
    _, store = portable_corpus
    for q in list_queries():
        for values in [{}] + PORTABLE_VALUES.get(q.name, []):
            on_rdflib_rows, on_oxigraph = on_rdflib(q, values), run_query(q, store, values)
            assert on_rdflib_rows.columns == on_oxigraph.columns, q.name
            assert Counter(on_rdflib_rows.rows) == Counter(on_oxigraph.rows), (q.name, values)
            assert on_rdflib_rows.rows or q.name == "projects_missing_level1", (q.name, values)
    assert {q.name for q in list_queries() if q.params} <= set(PORTABLE_VALUES)
    # a value written into the query for Oxigraph is one escaped term there too
    for name, param in (("satisfaction_targets", "bureau_name"), ("per_capita_standards", "per")):
        assert run_query(load_query(name), store, {param: INJECTION}).rows == ()
        assert run_query(load_query(name), store, {param: 'x" } } SELECT * { ?s ?p ?o } #'}).rows == ()


def test_the_rq_files_run_unchanged_on_oxigraph_with_their_written_defaults(portable_corpus, on_rdflib):
    """No binding from outside: the text of each file, as a SPARQL client would send it."""
    _, store = portable_corpus
    for q in list_queries():
        text_rows = Counter(tuple(r) for r in store.execute(q.text).rows)
        assert sum(text_rows.values()) == len(on_rdflib(q).rows), q.name


def test_each_default_is_written_in_the_query_as_its_header_says(seed_gold):
    from perfkg.kg.query_library import default_in_query
    from perfkg.kg.store import sparql_term

    _, ds = seed_gold
    for q in list_queries():
        for param in q.params:
            line = default_in_query(q, param.name)
            assert line is not None, f"{q.name}: parameter {param.name} has no VALUES line"
            written = line.split("{", 1)[1].split("}", 1)[0].strip()
            if param.default is None:
                assert written == "UNDEF", (q.name, param.name)
            else:
                term = bind_value(param, param.default, ds)
                expected = {sparql_term(term), term.n3(), f"pkc:{param.default}"}
                assert written in expected or written == str(term), (q.name, param.name, written)


# -- parameters --------------------------------------------------------------------------------------

def test_a_parameter_that_matches_nothing_gets_a_did_you_mean_hint(seed_gold):
    _, ds = seed_gold
    result = run_query(load_query("satisfaction_targets"), ds, {"bureau_name": "漳洲市医疗保障局"})
    assert result.rows == ()
    assert len(result.hints) == 1 and "did you mean: 漳州市医疗保障局" in result.hints[0]
    found = run_query(load_query("satisfaction_targets"), ds, {"bureau_name": "漳州"})
    assert found.rows and found.hints == ()


def test_choices_are_checked(seed_gold):
    _, ds = seed_gold
    with pytest.raises(QueryUsageError, match="not one of all, dimension, concept"):
        run("satisfaction_targets", ds, scope="everything")


def test_injection_through_a_string_parameter_returns_nothing(seed_gold):
    _, ds = seed_gold
    query = load_query("satisfaction_targets")
    text_before = query.text
    assert run("satisfaction_targets", ds, bureau_name=INJECTION) == []
    assert run("per_capita_standards", ds, per='person")) || true || ("') == []
    assert query.text == text_before == load_query("satisfaction_targets").text


def test_injection_through_a_concept_or_number_parameter_is_refused(seed_gold):
    _, ds = seed_gold
    with pytest.raises(QueryUsageError, match="unknown concept"):
        run("concept_targets", ds, concept=INJECTION)
    with pytest.raises(QueryUsageError, match="not an integer"):
        run("shared_concepts", ds, min_bureaus="2) || (1")


def test_unknown_query_and_parameter_are_usage_errors(seed_gold):
    _, ds = seed_gold
    with pytest.raises(QueryUsageError, match="no query named 'nope'"):
        load_query("nope")
    with pytest.raises(QueryUsageError, match="has no parameter colour"):
        run("indicator_mix", ds, colour="red")


def test_query_files_load_by_path_with_or_without_a_header(tmp_path, seed_gold):
    _, ds = seed_gold
    rq = tmp_path / "bureaus.rq"
    rq.write_text("# title: Bureaus\n# param: name — bureau label (string)\n"
                  "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
                  "PREFIX pkg: <https://w3id.org/perfkg/ns#>\n"
                  "SELECT DISTINCT ?bureau WHERE { ?b a pkg:Bureau ; rdfs:label ?bureau . "
                  "FILTER(!BOUND(?name) || STR(?bureau) = ?name) } ORDER BY ?bureau\n", encoding="utf-8")
    q = load_query(str(rq))
    assert (q.name, q.title, [p.name for p in q.params]) == ("bureaus", "Bureaus", ["name"])
    assert len(run_query(q, ds).rows) == 5
    assert run_query(q, ds, {"name": "漳州市医疗保障局"}).rows == (("漳州市医疗保障局",),)
    bare = tmp_path / "count.rq"
    bare.write_text("PREFIX pkg: <https://w3id.org/perfkg/ns#>\n"
                    "SELECT (COUNT(?i) AS ?n) WHERE { ?i a pkg:Indicator }\n")
    assert load_query(str(bare)).title == "count"
    assert run_query(load_query(str(bare)), ds).rows == ((392,),)
    with pytest.raises(QueryError, match="no '# title:' line"):
        parse_query("SELECT * WHERE { ?s ?p ?o }", "x", "x.rq")
    with pytest.raises(QueryError, match=r"x.rq: line 2"):
        parse_query("# title: X\n# param: 1bad\nSELECT * WHERE { ?s ?p ?o }", "x", "x.rq")
    broken = parse_query("# title: Broken\nSELECT WHERE {", "broken", "broken.rq")
    with pytest.raises(QueryError, match="broken.rq"):
        run_query(broken, ds)


def test_ask_and_construct_queries(tmp_path, seed_gold):
    _, ds = seed_gold
    ask = tmp_path / "ask.rq"
    ask.write_text("PREFIX pkg: <https://w3id.org/perfkg/ns#>\nASK { ?b a pkg:Bureau }\n")
    assert run_query(load_query(str(ask)), ds).boolean is True
    construct = tmp_path / "bureaus.rq"
    construct.write_text("PREFIX pkg: <https://w3id.org/perfkg/ns#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
                         "CONSTRUCT { ?b rdfs:label ?name } WHERE { ?b a pkg:Bureau ; rdfs:label ?name }\n")
    result = run_query(load_query(str(construct)), ds)
    assert result.graph is not None and len(result.graph) == 5


def test_queries_see_every_named_graph_of_a_dataset_without_union_default(seed_gold):
    from rdflib import Dataset

    from perfkg.kg.graph_io import serialise

    _, ds = seed_gold
    plain = Dataset()  # default_union=False: the default graph alone is empty
    plain.parse(data=serialise(ds, "trig"), format="trig")
    assert run("concept_coverage", plain) == run("concept_coverage", ds)
