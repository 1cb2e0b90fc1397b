"""The compiled validator (kg/shape_compiler.py) against pyshacl, the reference: the same conformance and the same
violations (focus node, path, constraint component, value, message) on the seeds, the dev documents, 60
generated documents, and a breakage of every constraint the shapes state, made by walking the shapes graph
(so a constraint added to shapes.ttl later gets its breakage here, or the coverage check names it)."""
from __future__ import annotations

import copy
import itertools
import logging
import warnings
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD

from perfkg.extract.pipeline import extract_paths
from perfkg.extract.synth import generate
from perfkg.kg import graph_build, iris, shape_compiler, validate
from perfkg.kg.store import shared_graphs
from perfkg.kg.validate import Context, validate_document

DEV = Path(__file__).parent / "data" / "dev"
SEEDS = Path(__file__).resolve().parents[1] / "examples" / "documents"
EX = "https://example.org/crafted/"
GENERATED = 60  # with the seeds, dev documents and 437 breakages: about 2 minutes


@pytest.fixture(scope="module")
def context() -> Context:
    return Context(t for g in shared_graphs().values() for t in g)


def _same(graph: Graph, context, label: str) -> validate.ValidationReport:
    """Both engines on one document graph (with the shared nodes it reaches); their reports must agree."""
    reference = validate_document(graph, context, engine="shacl")
    compiled = validate_document(graph, context, engine="compiled")
    assert compiled.engine == "compiled", label
    assert (compiled.conforms, compiled.violations) == (reference.conforms, reference.violations), label
    return reference


def _documents(records, context) -> int:
    ds = graph_build.new_dataset()
    checked = 0
    for record in records:
        graph_id = graph_build.add_document(ds, record)
        _same(ds.graph(graph_id), context, record.source)
        graph_build.remove_document(ds, record)
        checked += 1
    return checked


def test_seed_documents_one_by_one(seed_records, context):
    """(The whole seed dataset at once: tests/test_shapes.py::test_seed_graph_conforms, under both engines.)"""
    assert _documents(seed_records, context) == len(list(SEEDS.glob("*.txt")))


def test_dev_documents(context):
    outcomes = list(extract_paths([DEV / "docs", DEV / "xlsx"]))
    records = [o.record for o in outcomes if o.record is not None]
    assert len(records) >= 10
    _documents(records, context)


def test_generated_documents(tmp_path, context):
    for name, text, _ in generate(GENERATED, 23):
        (tmp_path / name).write_text(text, encoding="utf-8")
    records = [o.record for o in extract_paths([tmp_path]) if o.record is not None]
    assert len(records) == GENERATED
    assert _documents(records, context) == GENERATED


# -- every constraint, broken -------------------------------------------------------------------------

Mutation = Callable[[Graph], None]


def _small_record(seed_records):
    """A seed document cut to two projects of a few indicators, keeping one of each kind of node the shapes
    target (flags, targets, concept links, framework concepts), so pyshacl checks each breakage quickly."""
    record = copy.deepcopy(min(seed_records, key=lambda r: r.indicator_count()))
    record.projects = record.projects[:2]
    for project in record.projects:
        keep = [i for i in project.indicators if i.flags][:1] + [i for i in project.indicators if i.num is not None][:2]
        keep += [i for i in project.indicators if i.num is None and i.value][:1]
        project.indicators = sorted({id(i): i for i in keep}.values(), key=project.indicators.index) or \
            project.indicators[:3]
    return record


@pytest.fixture(scope="module")
def base(seed_records, context) -> Graph:
    ds = graph_build.new_dataset()
    graph = ds.graph(graph_build.add_document(ds, _small_record(seed_records)))
    g = Graph()
    for prefix, ns in iris.PREFIXES.items():
        g.bind(prefix, ns)
    for triple in itertools.chain(graph, context.reached(graph)):
        g.add(triple)
    return g


def _path(sg: Graph, shape) -> tuple[URIRef, bool]:
    path = sg.value(shape, SH.path)
    if isinstance(path, URIRef):
        return path, False
    return sg.value(path, SH.inversePath), True


def _values(g: Graph, focus, predicate, inverse: bool) -> list:
    return sorted(g.subjects(predicate, focus) if inverse else g.objects(focus, predicate))


def _set(focus, predicate, inverse: bool, values: list) -> Mutation:
    def mutate(g: Graph) -> None:
        for old in _values(g, focus, predicate, inverse):
            g.remove((old, predicate, focus) if inverse else (focus, predicate, old))
        for new in values:
            g.add((new, predicate, focus) if inverse else (focus, predicate, new))
    return mutate


def _both(*mutations: Mutation) -> Mutation:
    def mutate(g: Graph) -> None:
        for m in mutations:
            m(g)
    return mutate


def _bumped(value: Literal, by: int) -> Literal:
    number = value.value + by if isinstance(value.value, int) else Decimal(str(value.value)) + by
    return Literal(number, datatype=value.datatype)


def _variants(sg: Graph, g: Graph, shape, parameter, focus) -> Iterator[tuple[str, Mutation]]:
    """Ways to break one constraint of ``shape`` on ``focus`` (a few edge cases that must pass too)."""
    rule = sg.value(shape, parameter)
    if parameter == SH["class"] and sg.value(shape, SH.path) is None:  # the focus node's own class
        yield "untyped", lambda g, c=rule: g.remove((focus, RDF.type, c))
        return
    if sg.value(shape, SH.path) is None:
        return
    predicate, inverse = _path(sg, shape)
    current = _values(g, focus, predicate, inverse)
    datatype = sg.value(shape, SH.datatype)

    def one(*values) -> Mutation:
        return _set(focus, predicate, inverse, list(values))

    if parameter == SH.minCount:
        yield "none", one()
    elif parameter == SH.maxCount:
        if inverse:
            extra = [URIRef(f"{EX}other-subject/{k}") for k in range(int(rule) + 1)]
        elif datatype is not None:
            extra = [Literal(f"{k}", datatype=datatype) if datatype != RDF.langString else Literal(f"{k}", lang="zh")
                     for k in range(int(rule) + 1)]
        else:
            extra = [URIRef(f"{EX}extra/{k}") for k in range(int(rule) + 1)]
        yield "too many", one(*(current + extra)[: int(rule) + 1 + len(current)])
    elif parameter == SH.datatype:
        yield "other datatype", one(Literal("wrong", datatype=XSD.anyURI))
        yield "an IRI", one(URIRef(f"{EX}not-a-literal"))
        if rule != XSD.string:
            yield "plain text", one(Literal("文本"))
        if rule != RDF.langString:
            yield "language-tagged", one(Literal("文本", lang="zh"))
        else:
            yield "typed string", one(Literal("文本", datatype=XSD.string))
        if rule in (XSD.integer, XSD.decimal, XSD.boolean):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # rdflib warns that the lexical form is not a number
                yield "ill-typed", one(Literal("abc", datatype=rule))
        if rule == XSD.string:
            yield "explicit xsd:string (passes)", one(Literal("文本", datatype=XSD.string))
    elif parameter == SH["class"]:
        yield "untyped IRI", one(URIRef(f"{EX}untyped"))
        yield "a literal", one(Literal("文本"))
        yield "another class", _both(one(URIRef(f"{EX}typed")),
                                     lambda g: g.add((URIRef(f"{EX}typed"), RDF.type, URIRef(f"{EX}Other"))))
        yield "a subclass (passes)", _both(
            one(URIRef(f"{EX}sub-instance")),
            lambda g, c=rule: g.add((URIRef(f"{EX}Sub"), RDFS.subClassOf, c)),
            lambda g: g.add((URIRef(f"{EX}sub-instance"), RDF.type, URIRef(f"{EX}Sub"))))
    elif parameter == SH.nodeKind:
        yield "a literal", one(Literal("x"))
        yield "a blank node", one(BNode())
    elif parameter in (SH.minInclusive, SH.maxInclusive):
        yield "out of range", one(_bumped(rule, -1 if parameter == SH.minInclusive else 1))
        yield "the bound itself (passes)", one(rule)
        yield "text", one(Literal("1949"))
        yield "an IRI", one(URIRef(f"{EX}number"))
    elif parameter == SH.minLength:
        yield "empty", one(Literal(""))
        yield "empty, an IRI is long enough (passes)", one(URIRef(f"{EX}x"))
    elif parameter == SH.pattern:
        yield "no match", one(Literal("NOT MATCHING"))
        yield "language-tagged match (passes)", one(Literal("0" * 64 if "64" in str(rule) else "350200", lang="zh"))
    elif parameter == SH["in"]:
        members = list(sg.items(rule))
        yield "unlisted", one(Literal("unlisted"))
        yield "listed text typed xsd:string", one(Literal(str(members[0]), datatype=XSD.string))
    elif parameter == SH.hasValue:
        yield "absent", one()
        yield "another value", one(Literal(not rule.value) if isinstance(rule, Literal) else URIRef(f"{EX}elsewhere"))
    elif parameter == SH.lessThanOrEquals:
        other = g.value(focus, rule)
        assert other is not None, f"the small graph gives {focus} a {rule}"
        yield "greater", one(_bumped(other, 1))
        yield "text against a number", one(Literal("1"))


def _breaking(sg: Graph, g: Graph, shape, focus) -> Mutation | None:
    """One mutation that makes ``focus`` fail ``shape`` (for the members of sh:or and sh:and)."""
    for parameter in sorted(sg.predicates(shape)):
        if parameter == SH["or"]:
            found = [_breaking(sg, g, m, focus) for m in sg.items(sg.value(shape, parameter))]
            if all(found):
                return _both(*found)  # type: ignore[arg-type]
        elif parameter == SH["and"]:
            found = _breaking(sg, g, next(iter(sg.items(sg.value(shape, parameter)))), focus)
            if found:
                return found
        elif parameter == SH.maxCount and sg.value(shape, SH.path) is not None:
            predicate, inverse = _path(sg, shape)
            datatype = sg.value(shape, SH.datatype) or XSD.decimal
            value = Literal("1.0", datatype=datatype) if datatype != XSD.boolean else Literal(True)
            return _set(focus, predicate, inverse,
                        _values(g, focus, predicate, inverse) + [value] * (int(sg.value(shape, parameter)) + 1))
        else:
            for label, mutation in _variants(sg, g, shape, parameter, focus):
                if "passes" not in label:
                    return mutation
    return None


def _cases(sg: Graph, g: Graph) -> Iterator[tuple[str, tuple, Mutation]]:
    """(label, (shape, parameter) it aims at, mutation) for every constraint of every shape reachable from a
    target, on one focus node of the small graph; the members of sh:or and sh:and are broken together."""
    compiled = shape_compiler.CompiledShapes(sg)
    data = shape_compiler.index(compiled, g)

    def visit(shape, focus, where: str) -> Iterator[tuple[str, tuple, Mutation]]:
        for parameter in sorted(set(sg.predicates(shape))):
            if parameter == SH.property:
                for prop in sorted(sg.objects(shape, SH.property), key=lambda p: str(sg.value(p, SH.path))):
                    yield from visit(prop, focus, where)
            elif parameter == SH.node:
                predicate, inverse = _path(sg, shape)
                values = _values(g, focus, predicate, inverse)
                assert values, f"the small graph has a value of {predicate} on {focus}"
                for nested in sg.objects(shape, SH.node):
                    yield from visit(nested, values[0], f"{where} {sg.qname(predicate)} →")
            elif parameter in (SH["or"], SH["and"]):
                for head in sg.objects(shape, parameter):
                    members = list(sg.items(head))
                    if parameter == SH["or"]:
                        broken = [_breaking(sg, g, m, focus) for m in members]
                        assert all(broken), f"a breakage of every member of {shape}'s sh:or"
                        yield f"{where} sh:or, every member failing", (shape, parameter), _both(*broken)
                    else:
                        for k, member in enumerate(members):
                            broken_member = _breaking(sg, g, member, focus)
                            assert broken_member is not None
                            yield f"{where} sh:and, member {k} failing", (shape, parameter), broken_member
            elif parameter in shape_compiler.COMPONENTS:
                path = sg.value(shape, SH.path)
                shown = sg.qname(path) if isinstance(path, URIRef) else "^" + sg.qname(sg.value(path, SH.inversePath)) \
                    if path is not None else ""
                for label, mutation in _variants(sg, g, shape, parameter, focus):
                    yield f"{where} {shown} {sg.qname(parameter)}: {label}", (shape, parameter), mutation

    for _, node, target in compiled.targeted:
        focus = sorted(target.focus_nodes(data), key=str)
        assert focus, f"the small graph has a focus node of {node}"
        yield from visit(node, focus[0], sg.qname(node))


def _expected(sg: Graph) -> set[tuple]:
    """(shape, parameter) of every constraint reachable from a target, outside sh:or and sh:and lists."""
    found: set[tuple] = set()

    def visit(shape) -> None:
        for parameter in set(sg.predicates(shape)):
            if parameter == SH.property:
                for prop in sg.objects(shape, parameter):
                    visit(prop)
            elif parameter == SH.node:
                found.add((shape, parameter))
                for nested in sg.objects(shape, parameter):
                    visit(nested)
            elif parameter in shape_compiler.COMPONENTS:
                found.add((shape, parameter))

    for node in shape_compiler._targeted_shapes(sg):
        visit(node)
    return found


@pytest.fixture
def quiet_rdflib():
    """rdflib logs a traceback for each ill-typed literal (abc as an xsd:integer), made here on purpose."""
    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    yield
    logger.setLevel(level)


def test_every_constraint_of_the_shapes_broken_gives_the_same_violations(base, quiet_rdflib):
    sg = validate.shapes_graph()
    covered: set[tuple] = set()
    nested_seen = False
    cases = list(_cases(sg, base))
    for label, (shape, parameter), mutation in cases:
        g = Graph()
        for prefix, ns in base.namespaces():
            g.bind(prefix, ns)
        g += base
        mutation(g)
        try:
            reference = validate.validate(g, engine="shacl")
        except TypeError as exc:  # pyshacl compares an ill-typed number with <= and fails; so must the compiled
            with pytest.raises(TypeError, match=str(exc).split(":")[0]):
                validate.validate(g, engine="compiled")
            continue
        compiled = validate.validate(g, engine="compiled")
        assert compiled.engine == "compiled"
        assert (compiled.conforms, compiled.violations) == (reference.conforms, reference.violations), label
        component = shape_compiler.COMPONENTS[parameter].rsplit("#", 1)[-1]
        if any(v.component == component for v in reference.violations):
            covered.add((shape, parameter))
            if parameter == SH.node or "→" in label:
                nested_seen = True
                if "→" in label:  # a nested shape's violation reaches the report as a detail and as sh:node
                    assert any(v.component == "NodeConstraintComponent" for v in reference.violations), label
                    covered.update((s, p) for s, p in _expected(sg) if p == SH.node and
                                   any(v.component == "NodeConstraintComponent" for v in reference.violations))
    assert nested_seen
    missing = _expected(sg) - covered
    assert not missing, [f"{sg.qname(s) if isinstance(s, URIRef) else s} {sg.qname(p)}" for s, p in missing]
    assert len(cases) > 150


def test_a_document_breaking_shapes_gets_the_same_report_from_both_engines(seed_records, context):
    """Several breakages in one document graph, validated with the shared nodes it reaches (the load path)."""
    ds = graph_build.new_dataset()
    graph = ds.graph(graph_build.add_document(ds, seed_records[0]))
    indicators = sorted(graph.subjects(RDF.type, iris.PKG.Indicator))
    graph.remove((indicators[0], iris.PKG.lineStart, None))
    graph.set((indicators[1], iris.PKG.level2, URIRef(f"{EX}stray-concept")))
    graph.add((indicators[2], iris.PKG.scoreWeight, Literal("十分")))
    targets = sorted(graph.subjects(RDF.type, iris.PKG.TargetValue))
    graph.set((targets[0], iris.PKG.isQualitative, Literal(True)))
    report = _same(graph, context, "broken seed")
    assert not report.conforms and len(report.violations) >= 4


# -- what the compiler does not translate ---------------------------------------------------------


def _with(extra: str) -> Graph:
    sg = Graph()
    sg.parse(data=validate.shapes_graph().serialize(format="turtle"), format="turtle")
    sg.parse(data="@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix pkg: <https://w3id.org/perfkg/ns#> . "
                  "@prefix pks: <https://w3id.org/perfkg/shapes#> . " + extra, format="turtle")
    return sg


def test_a_shape_with_a_component_the_compiler_lacks_falls_back_to_pyshacl(monkeypatch, seed_records, context):
    sg = _with("pks:ShortFileName a sh:NodeShape ; sh:targetClass pkg:BudgetDocument ; "
               "sh:property [ sh:path pkg:fileName ; sh:maxLength 5 ] .")
    compiled = shape_compiler.CompiledShapes(sg)
    assert list(compiled.unsupported.values()) == ["[ sh:maxLength Literal(\"5\", datatype=xsd:integer) ; "
                                                   "sh:path pkg:fileName ] uses sh:maxLength"]
    monkeypatch.setattr(validate, "shapes_graph", lambda: sg)
    validate.compiled_shapes.cache_clear()
    try:
        with pytest.warns(RuntimeWarning, match="sh:maxLength, which the compiled validator does not translate"):
            validate.compiled_shapes()
        ds = graph_build.new_dataset()
        graph = ds.graph(graph_build.add_document(ds, seed_records[0]))
        report = validate_document(graph, context)
        assert report.engine.startswith("shacl (fallback")
        assert [v.component for v in report.violations] == ["MaxLengthConstraintComponent"]
        assert report.violations == validate_document(graph, context, engine="shacl").violations
        # a graph the shape does not apply to (no document in it) is still checked by the compiled shapes
        concepts = Graph()
        for triple in graph.triples((None, RDF.type, iris.PKG.Flag)):
            concepts.add(triple)
        assert validate.validate(concepts).engine == "compiled"
    finally:
        validate.compiled_shapes.cache_clear()


@pytest.mark.parametrize("extra, reason", [
    ("pks:R a sh:NodeShape ; sh:targetClass pkg:Project ; sh:rule [ a sh:TripleRule ] .", "uses sh:rule"),
    ("pks:S a sh:NodeShape ; sh:targetClass pkg:Project ; sh:severity sh:Warning ; sh:property "
     "[ sh:path pkg:goal ; sh:minCount 1 ] .", "pks:S uses sh:severity"),
    ("pks:P a sh:NodeShape ; sh:targetClass pkg:Project ; sh:property [ sh:path ( pkg:bureau pkg:division ) ; "
     "sh:minCount 1 ] .", "has the path"),
    ("pks:N a sh:NodeShape ; sh:targetClass pkg:Project ; sh:node pks:N .", "refers to itself"),
])
def test_what_the_compiler_refuses_is_named(extra, reason):
    compiled = shape_compiler.CompiledShapes(_with(extra))
    reasons = [compiled.global_reason] if compiled.global_reason else list(compiled.unsupported.values())
    assert len(reasons) == 1 and reason in reasons[0], reasons


# -- the command line -----------------------------------------------------------------------------


def _run(*args):
    from click.testing import CliRunner

    from perfkg.kg.cli import cli

    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_build_and_load_give_the_same_output_with_either_validator(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    built = {}
    for engine in ("compiled", "shacl"):
        result = _run("build", SEEDS, "-o", tmp_path / f"{engine}.trig", "--validate", engine)
        assert result.exit_code == 0, result.output
        built[engine] = (tmp_path / f"{engine}.trig").read_bytes()
    assert built["compiled"] == built["shacl"]
    assert _run("validate", tmp_path / "compiled.trig", "--validate", "compiled").exit_code == 0

    docs = tmp_path / "docs"
    docs.mkdir()
    seed = sorted(SEEDS.glob("*.txt"))[1]
    for name in ("a.txt", "b.txt"):
        (docs / name).write_bytes(seed.read_bytes())
    real = graph_build.write_document

    def breaking(g, record, provenance, ds):  # b.txt: an indicator without its line span, a stray level 2
        real(g, record, provenance, ds)
        if record.source == "b.txt":
            indicators = sorted(g.subjects(RDF.type, iris.PKG.Indicator))
            g.remove((indicators[0], iris.PKG.lineStart, None))
            g.set((indicators[1], iris.PKG.level2, URIRef(f"{EX}stray")))

    # the workers fork after this; load builds with rdflib for pyshacl and without it for the compiled shapes
    monkeypatch.setattr(graph_build, "write_document", breaking)
    errors = {}
    for engine in ("compiled", "shacl"):
        result = _run("load", docs, "--store", tmp_path / f"ox-{engine}", "-j", "2", "--validate", engine)
        assert result.exit_code == 1 and "1 loaded" in result.output, result.output
        errors[engine] = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert errors["compiled"] == errors["shacl"]
    assert len(errors["compiled"]) == 1 and "b.txt: its graph violates the SHACL shapes" in errors["compiled"][0]
