"""Records → graph → records: round trip, provenance, deterministic IRIs, re-ingestion, divisions, units."""
from __future__ import annotations

import copy
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from perfkg import ontology
from perfkg.extract.records import DocumentRecord, Flag, Indicator, Project
from perfkg.extract.vocabulary import framework
from perfkg.kg import iris, units
from perfkg.kg.divisions import resolve
from perfkg.kg.framework_scheme import framework_graph
from perfkg.kg.graph_build import add_document, build_dataset, decimal_literal, remove_document
from perfkg.kg.graph_io import load_dataset, serialise, union_graph, write_graph
from perfkg.kg.graph_read import read_records, summary
from perfkg.kg.iris import PKG
from perfkg.kg.validate import validate

HOSTILE = '<script>alert("x")</script> #?/%&'
SAFE_IRI = re.compile(r"^[A-Za-z0-9:/._~%#-]+$")


def _by_source(records):
    return {r.source: r for r in records}


def test_round_trip_equals_extracted_records_for_every_seed(seed_records, seed_dataset):
    back = _by_source(read_records(seed_dataset))
    assert sorted(back) == sorted(r.source for r in seed_records)
    for record in seed_records:
        assert back[record.source].to_dict() == record.to_dict(), record.source
        assert back[record.source] == record, record.source


def test_summary_counts_equal_the_extractor(seed_records, seed_dataset):
    counts = summary(seed_dataset)
    assert counts["indicators"] == sum(r.indicator_count() for r in seed_records)
    assert counts["projects"] == sum(len(r.projects) for r in seed_records)
    assert counts["bureaus"] == len({r.bureau for r in seed_records if r.bureau})
    assert counts["triples"] > counts["indicators"] * 5


def test_every_indicator_carries_source_document_and_line_span(seed_records, seed_dataset):
    rows = list(seed_dataset.query("""
        PREFIX pkg: <https://w3id.org/perfkg/ns#>
        SELECT ?i ?file ?start ?end WHERE {
          ?i a pkg:Indicator ; pkg:sourceDocument ?d ; pkg:lineStart ?start ; pkg:lineEnd ?end .
          ?d pkg:fileName ?file }"""))
    assert len(rows) == sum(r.indicator_count() for r in seed_records)
    spans = {(r.source, tuple(i.span)) for r in seed_records for p in r.projects for i in p.indicators}
    assert {(str(f), (int(s), int(e))) for _, f, s, e in rows} == spans


def test_one_named_graph_per_document(seed_records, seed_dataset):
    names = {str(g.identifier) for g in seed_dataset.graphs()}
    for record in seed_records:
        assert str(iris.graph_iri(record)) in names
        doc_graph = seed_dataset.graph(iris.graph_iri(record))
        files = set(doc_graph.objects(None, PKG.fileName))
        assert files == {Literal(record.source)}


def test_two_builds_are_isomorphic_with_the_same_iris(seed_records, seed_dataset):
    again = build_dataset(copy.deepcopy(seed_records))
    first, second = union_graph(seed_dataset), union_graph(again)
    assert isomorphic(first, second)
    assert set(first.subjects()) == set(second.subjects())
    assert serialise(seed_dataset, "ttl") == serialise(again, "ttl")


def test_serialisation_is_byte_identical_across_processes(tmp_path):
    # Different hash seeds change set and dict iteration; the output must not change.
    script = ("import hashlib, sys\nfrom tests.conftest import SEED_DIR\n"
              "from perfkg.extract.pipeline import extract_paths\nfrom kg.graph_build import build_dataset\n"
              "from perfkg.kg.graph_io import serialise\n"
              "ds = build_dataset([o.record for o in extract_paths([SEED_DIR])])\n"
              "print(' '.join(hashlib.sha256(serialise(ds, f).encode()).hexdigest() for f in sys.argv[1:]))\n")
    root = Path(__file__).resolve().parent.parent
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", script, "ttl", "nt", "trig", "jsonld"], cwd=root, env=env,
                              capture_output=True, text=True, check=True)
        outputs.append(done.stdout.strip())
    assert outputs[0] == outputs[1]
    assert len(outputs[0].split()) == 4


def test_every_iri_is_safe_text(seed_dataset):
    for s, p, o in seed_dataset.triples((None, None, None)):
        for term in (s, p, o):
            if isinstance(term, URIRef):
                assert SAFE_IRI.match(str(term)), term


def _hostile_record() -> DocumentRecord:
    ind = Indicator(level1=HOSTILE, level2="数量指标", level3=HOSTILE, value=f"≥5{HOSTILE}", op=">=", num=5.0,
                    unit=HOSTILE, description=f"line1\nline2 \"quoted\" \\ {HOSTILE}", basis="<b>&amp;</b>",
                    score=2.5, flags=[Flag.read("odd_text", HOSTILE, 3, HOSTILE)], span=(3, 4))  # a stored code
    project = Project(name=HOSTILE, code=f"code {HOSTILE}", kind="project", budget_total=1.25, budget_fiscal=1.0,
                      budget_other=0.25, goal=HOSTILE, indicators=[ind, Indicator(None, None, "", span=(5, 5))],
                      flags=[Flag("note", "a message")], span=(1, 5), layout="tabbed")
    return DocumentRecord(source=f"{HOSTILE}.txt", bureau=f"{HOSTILE}医疗保障局", year=2024, projects=[project],
                          flags=[Flag("no_tables", HOSTILE)], sha256="ab" * 32)


def test_hostile_text_survives_the_round_trip_and_never_enters_an_iri(tmp_path):
    record = _hostile_record()
    ds = build_dataset([record])
    assert read_records(ds) == [record]
    for s, p, o in ds.triples((None, None, None)):
        for term in (s, p, o):
            if isinstance(term, URIRef):
                assert SAFE_IRI.match(str(term)), term
    report = validate(ds)
    assert report.conforms, report.text()
    for fmt in ("ttl", "trig", "nt", "jsonld"):
        path = tmp_path / f"hostile.{fmt}"
        write_graph(ds, path)
        assert read_records(load_dataset(path)) == [record], fmt


def test_unresolvable_bureau_is_flagged_on_the_bureau_not_the_document():
    record = _hostile_record()
    ds = build_dataset([record])
    bureau = iris.bureau_iri(record.bureau)
    codes = {str(ds.value(f, PKG.flagCode)) for f in ds.objects(bureau, PKG.hasFlag)}
    assert codes == {"division_unresolved"}
    assert ds.value(bureau, PKG.division) is None
    assert read_records(ds)[0].flags == record.flags


def test_reingesting_a_document_replaces_exactly_its_graph(seed_records):
    ds = build_dataset(copy.deepcopy(seed_records))
    target = max(seed_records, key=lambda r: r.indicator_count())
    others = {str(g.identifier): set(g) for g in ds.graphs() if g.identifier != iris.graph_iri(target)}
    changed = copy.deepcopy(target)
    changed.projects = changed.projects[:1]
    changed.projects[0].indicators[0].level3 = "改过的指标名"
    add_document(ds, changed)
    assert {str(g.identifier): set(g) for g in ds.graphs() if g.identifier != iris.graph_iri(target)} == others
    back = _by_source(read_records(ds))
    assert back[target.source] == changed
    alone = build_dataset([changed])
    assert set(ds.graph(iris.graph_iri(target))) == set(alone.graph(iris.graph_iri(target)))
    remove_document(ds, target)
    assert target.source not in _by_source(read_records(ds))
    assert len(ds.graph(iris.graph_iri(target))) == 0


def test_same_named_tables_in_one_document_get_distinct_iris():
    p1 = Project(name="同名项目", indicators=[Indicator("产出指标", "数量指标", "a", span=(2, 2))], span=(1, 2))
    p2 = Project(name="同名项目", indicators=[Indicator("产出指标", "数量指标", "b", span=(4, 4))], span=(3, 4))
    record = DocumentRecord(source="twice.txt", bureau="漳州市医疗保障局", year=2024, projects=[p1, p2])
    ds = build_dataset([record])
    assert len(set(ds.subjects(RDF.type, PKG.Project))) == 2
    assert read_records(ds) == [record]
    assert validate(ds).conforms


def test_project_iri_depends_on_code_before_name():
    assert iris.project_iri("局", 2024, "A1", "甲") == iris.project_iri("局", 2024, "A1", "乙")
    assert iris.project_iri("局", 2024, None, "甲") != iris.project_iri("局", 2024, None, "乙")
    assert iris.project_iri("局", 2024, None, "甲") != iris.project_iri("局", 2023, None, "甲")
    assert iris.digest("a", "bc") != iris.digest("ab", "c")
    assert iris.digest(None) != iris.digest("")


@pytest.mark.parametrize("bureau, codes", [
    ("临沂市罗庄区医疗保障局", ["370000", "371300", "371311"]),
    ("漳州市医疗保障局", ["350000", "350600"]),
    ("平顶山市石龙区医疗保障局", ["410000", "410400", "410404"]),
    ("临西县医疗保障局", ["130000", "130500", "130535"]),
    ("聊城市东昌府区医疗保障局", ["370000", "371500", "371502"]),
])
def test_seed_bureaus_resolve_to_their_divisions(bureau, codes):
    resolution = resolve(bureau)
    assert [d.code for d in resolution.divisions] == codes
    assert [d.level for d in resolution.divisions] == ["province", "city", "county"][: len(codes)]
    assert resolution.flag is None


def test_division_resolution_flags_what_it_cannot_settle():
    assert resolve("财政局").flag.code == "division_unresolved"
    assert resolve(None).flag.code == "division_unresolved"
    ambiguous = resolve("朝阳区卫生健康委员会")  # Beijing and Changchun both have a 朝阳区
    assert ambiguous.flag is not None and ambiguous.flag.code == "division_ambiguous"
    assert resolve("北京市朝阳区卫生健康委员会").flag is None


def test_seed_graph_links_bureaus_to_division_chains(seed_records, seed_dataset):
    rows = seed_dataset.query("""
        PREFIX pkg: <https://w3id.org/perfkg/ns#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?name ?code WHERE { ?b a pkg:Bureau ; rdfs:label ?name ; pkg:division/pkg:withinDivision* ?d .
                                   ?d pkg:divisionCode ?code }""")
    chains: dict[str, set[str]] = {}
    for name, code in rows:
        chains.setdefault(str(name), set()).add(str(code))
    for record in seed_records:
        assert chains[record.bureau] == {d.code for d in resolve(record.bureau).divisions}, record.bureau


def test_unit_normalisation_to_base_units():
    assert units.normalise(3216.0, "万元") == (Decimal("32160000"), "元")
    assert units.normalise(1.5, "万人") == (Decimal("15000"), "人")
    assert units.normalise(2.0, "万人次") == (Decimal("20000"), "人次")
    assert units.normalise(95.0, "%") == (Decimal("0.95"), "1")
    assert units.normalise(None, "%") is None
    assert units.normalise(3.0, "某种怪单位") is None
    assert units.unit_iri("%") == "http://qudt.org/vocab/unit/PERCENT"


def test_percent_targets_in_the_seed_graph_are_normalised_to_ratios(seed_dataset):
    rows = list(seed_dataset.query("""
        PREFIX pkg: <https://w3id.org/perfkg/ns#>
        SELECT ?num ?norm ?base WHERE { ?t pkg:unitLabel "%" ; pkg:numericValue ?num ;
                                        pkg:normalisedValue ?norm ; pkg:normalisedUnitLabel ?base }"""))
    assert rows, "the seeds have percentage targets"
    for num, norm, base in rows:
        assert str(base) == "1"
        assert norm.toPython() * 100 == num.toPython()


def test_decimal_literals_are_canonical_and_exact():
    assert str(decimal_literal(3216.0)) == "3216.0"
    assert str(decimal_literal(Decimal("183600.00"))) == "183600.0"
    assert str(decimal_literal(-0.0)) == "0.0"
    assert str(decimal_literal(0.1)) == "0.1"
    assert str(decimal_literal(1e-7)) == "0.0000001"
    assert float(decimal_literal(193.86).toPython()) == 193.86


def test_framework_turtle_agrees_with_framework_json():
    shipped = Graph().parse(data=ontology.path("framework.ttl").read_text(encoding="utf-8"), format="turtle")
    assert isomorphic(shipped, framework_graph()), "run `python -m perfkg.kg.framework_scheme` to regenerate"
    data = framework()
    for name, entry in data["level2"].items():
        broader = shipped.value(iris.framework_concept_iri(2, name), SKOS.broader)
        assert broader == iris.framework_concept_iri(1, entry["parent"])
    assert len(set(shipped.subjects(RDF.type, SKOS.Concept))) == len(data["level1"]) + len(data["level2"])


def test_indicators_link_standard_levels_and_keep_printed_ones(seed_records, seed_dataset):
    from perfkg.extract.vocabulary import standard_level1, standard_level2

    rows = seed_dataset.query("""
        PREFIX pkg: <https://w3id.org/perfkg/ns#>
        SELECT ?f ?l1 ?c1 ?l2 ?c2 WHERE { ?i a pkg:Indicator ; pkg:sourceDocument/pkg:fileName ?f .
            OPTIONAL { ?i pkg:level1Label ?l1 } OPTIONAL { ?i pkg:level1 ?c1 }
            OPTIONAL { ?i pkg:level2Label ?l2 } OPTIONAL { ?i pkg:level2 ?c2 } }""")
    found = {tuple(None if t is None else str(t) for t in row) for row in rows}

    def concept(level, printed, standard):
        name = standard(printed) if printed is not None else None
        return str(iris.framework_concept_iri(level, name)) if name else None

    expected = {(r.source, i.level1, concept(1, i.level1, standard_level1),
                 i.level2, concept(2, i.level2, standard_level2))
                for r in seed_records for p in r.projects for i in p.indicators}
    assert found == expected


def test_a_non_standard_level_name_is_kept_as_printed_without_a_framework_concept():
    record = DocumentRecord(source="x.txt", bureau="某某县民政局", year=2025, projects=[Project(
        name="示例项目", indicators=[Indicator(level1="自定义指标", level2="数量指标", level3="人数", value="5人",
                                          op="=", num=5.0, unit="人", span=(3, 3))])])
    rows = list(build_dataset([record]).query("""
        PREFIX pkg: <https://w3id.org/perfkg/ns#>
        SELECT ?l1 ?c1 ?c2 WHERE { ?i a pkg:Indicator ; pkg:level1Label ?l1 ; pkg:level2 ?c2 .
            OPTIONAL { ?i pkg:level1 ?c1 } }"""))
    assert [(str(r[0]), r[1]) for r in rows] == [("自定义指标", None)]
    assert rows[0][2] == iris.framework_concept_iri(2, "数量指标")


def test_every_pkg_term_used_is_declared_with_labels_and_comment(seed_dataset):
    onto = Graph().parse(data=ontology.path("perfkg.ttl").read_text(encoding="utf-8"), format="turtle")
    used = {p for _, p, _ in seed_dataset.triples((None, None, None)) if str(p).startswith(str(PKG))}
    used |= {o for _, _, o in seed_dataset.triples((None, RDF.type, None)) if str(o).startswith(str(PKG))}
    declared = set(onto.subjects(RDF.type, OWL.Class)) | set(onto.subjects(RDF.type, OWL.ObjectProperty)) \
        | set(onto.subjects(RDF.type, OWL.DatatypeProperty))
    assert used <= declared, sorted(used - declared)
    for term in declared:
        langs = {lit.language for lit in onto.objects(term, RDFS.label)}
        assert {"zh", "en"} <= langs, term
        assert onto.value(term, RDFS.comment) is not None, term



def test_self_evaluation_results_and_weights_survive_the_round_trip():
    from perfkg.extract.pipeline import extract_document

    fixture = Path(__file__).parent / "data" / "layouts" / "self_evaluation.txt"
    record = extract_document(fixture)
    assert [i.actual for i in record.projects[0].indicators] == ["12个", "93%", "860元/人", "95%"]
    ds = build_dataset([record])
    assert validate(ds).conforms
    assert [p.to_dict() for p in read_records(ds)[0].projects] == [p.to_dict() for p in record.projects]


# -- the load path's build: the same triples without an rdflib store ---------------------------------


def _same_build(records) -> int:
    """document_triples gives add_document's triples, and nquads_text rdflib's N-Quads lines of them."""
    from perfkg.kg.graph_build import document_triples, new_dataset, nquads_text
    from perfkg.kg.store import nquads

    ds = new_dataset()
    for record in records:
        graph_id = add_document(ds, record)
        graph = ds.graph(graph_id)
        direct = document_triples(record)
        assert direct.identifier == graph_id
        assert set(direct) == set(graph) and len(direct) == len(graph), record.source
        assert sorted(nquads_text(iter(direct), graph_id).splitlines()) == sorted(nquads(graph, graph_id).splitlines())
        remove_document(ds, record)
    return len(records)


def test_triples_without_rdflib_are_the_rdflib_build_on_seeds_dev_hostile_and_generated(seed_records, tmp_path):
    from perfkg.extract.pipeline import extract_paths
    from perfkg.extract.synth import generate

    dev = Path(__file__).parent / "data" / "dev"
    assert _same_build(seed_records) == len(seed_records)
    assert _same_build([o.record for o in extract_paths([dev / "docs", dev / "xlsx"]) if o.record]) >= 10
    assert _same_build([_hostile_record()]) == 1
    for name, text, _ in generate(200, 31):
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert _same_build([o.record for o in extract_paths([tmp_path]) if o.record]) == 200


def test_nquads_text_is_read_back_by_oxigraph_as_the_same_quads():
    import pyoxigraph

    from perfkg.kg.graph_build import document_triples, nquads_text
    from perfkg.kg.store import to_rdflib

    record = _hostile_record()
    triples = document_triples(record)
    store = pyoxigraph.Store()
    store.load(nquads_text(iter(triples), triples.identifier).encode("utf-8"), format=pyoxigraph.RdfFormat.N_QUADS)
    def canonical(o):  # Oxigraph keeps decimals in canonical form (1.0 is read back as 1)
        return o.value if isinstance(o, Literal) and o.datatype == XSD.decimal else o

    back = {(to_rdflib(q.subject), to_rdflib(q.predicate), canonical(to_rdflib(q.object))) for q in store}
    assert back == {(s, p, canonical(o)) for s, p, o in triples}
    assert len(store) == len(triples)


def test_the_linker_memo_answers_as_the_linker_does(seed_records):
    """ConceptLinker.tag keeps its answers: the same as tagging anew (a fresh linker, no memo)."""
    from perfkg.kg.concept_linker import ConceptLinker, default_linker

    fresh = ConceptLinker()
    kept = default_linker()
    for indicator in (i for r in seed_records for p in r.projects for i in p.indicators):
        args = (indicator.level3, indicator.level1, indicator.level2, indicator.value, indicator.num, indicator.unit)
        assert kept.tag(*args) == fresh._tag(*args) == kept.tag(*args)


def test_last_match_is_the_longest_lexicon_term_each_word_ends_in(seed_records):
    from perfkg.kg.concept_linker import default_linker
    from perfkg.kg.name_structure import last_match

    linker = default_linker()
    lexicon, suffix_terms = linker._lexicon, linker._suffix_terms
    terms = sorted(lexicon, key=len, reverse=True)

    def naive(words):  # the definition: every term tried, longest first
        hits = []
        for index in range(len(words) - 1, -1, -1):
            word = words[index]
            term = next((t for t in terms if word.endswith(t) and (len(t) > 1 or word == t or t in suffix_terms)),
                        None)
            if term is not None:
                hits.append((index, term, lexicon[term]))
        return hits

    names = {i.level3 for r in seed_records for p in r.projects for i in p.indicators}
    names |= {t[:k] for t in lexicon for k in range(1, len(t) + 1)} | {"员", "护林员", "办公大楼", ""}
    for name in sorted(names):
        words = list(linker._parser.parse(name).words) + [name, name[1:], name[:-1]]
        assert last_match(words, lexicon, suffix_terms) == naive(words), name
