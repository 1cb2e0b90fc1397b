"""The SHACL shapes compiled into direct checks over a graph's triples: pyshacl's verdicts, in a fraction of its time.

``compile_shapes(shapes)`` reads the shapes graph (``ontology/shapes.ttl``) and turns each shape into
Python checks over an index of the data's triples, one per constraint component, written after
pyshacl's own evaluation of that component (its comparisons, its datatype tests, the order in which
it looks at things and the messages it writes), so a graph gets the same conformance and the same
results: focus node, path, value, constraint component and message, nested ``sh:detail`` results of
``sh:node`` included. ``tests/test_compiled_shapes.py`` holds the two side by side on the seeds, the
dev set, generated documents and a crafted breakage of every constraint the shapes state.

What is translated is what the shapes use: targets (``sh:targetClass`` with subclasses,
``sh:targetNode``, ``sh:targetObjectsOf``, ``sh:targetSubjectsOf``, implicit class targets), paths that
are a predicate or ``sh:inversePath`` of one, and the components in ``COMPONENTS``; a shape may carry
one ``sh:message``. A shape that uses anything else of SHACL (another component or path form,
``sh:severity``, ``sh:deactivated``, ``sh:flags``, recursion) is *unsupported*: it is named in
``CompiledShapes.unsupported`` with the reason, a warning says so once, and a graph that gives it a
focus node is validated by pyshacl instead (``kg.validate``). A shapes graph with SHACL-AF rules,
custom targets, functions or custom constraint components is unsupported as a whole. Nothing in the
SHACL namespace is silently skipped.
"""
from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Optional

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD, NamespaceManager
from rdflib.term import Identifier, Node

from perfkg.errors import PerfkgError

SH_NS = str(SH)

# component parameter → constraint component
COMPONENTS: dict[URIRef, URIRef] = {
    SH.minCount: SH.MinCountConstraintComponent,
    SH.maxCount: SH.MaxCountConstraintComponent,
    SH.datatype: SH.DatatypeConstraintComponent,
    SH["class"]: SH.ClassConstraintComponent,
    SH.nodeKind: SH.NodeKindConstraintComponent,
    SH.minInclusive: SH.MinInclusiveConstraintComponent,
    SH.maxInclusive: SH.MaxInclusiveConstraintComponent,
    SH.minLength: SH.MinLengthConstraintComponent,
    SH.pattern: SH.PatternConstraintComponent,
    SH["in"]: SH.InConstraintComponent,
    SH.hasValue: SH.HasValueConstraintComponent,
    SH.lessThanOrEquals: SH.LessThanOrEqualsConstraintComponent,
    SH.node: SH.NodeConstraintComponent,
    SH.property: SH.PropertyConstraintComponent,
    SH["or"]: SH.OrConstraintComponent,
    SH["and"]: SH.AndConstraintComponent,
}
# what a shape may say besides its constraints
TARGETS = (SH.targetClass, SH.targetNode, SH.targetObjectsOf, SH.targetSubjectsOf)
DESCRIPTIVE = {SH.path, SH.message, SH.name, SH.description, SH.order, SH.group, SH.defaultValue, *TARGETS}
# a shapes graph with any of these (as predicate or as rdf:type) needs pyshacl whole
GLOBAL_FEATURES = {SH.rule, SH.target, SH.parameter, SH.declare, SH.prefixes, SH.entailment, SH.shapesGraph,
                   SH.ConstraintComponent, SH.SPARQLFunction, SH.Function, SH.SPARQLRule, SH.TripleRule,
                   SH.SPARQLTarget, SH.SPARQLTargetType, SH.JSTarget, SH.JSFunction, SH.JSRule}
OWL_IMPORTS = URIRef("http://www.w3.org/2002/07/owl#imports")
NODE_KINDS = {
    SH.BlankNode: (BNode,), SH.IRI: (URIRef,), SH.Literal: (Literal,),
    SH.BlankNodeOrIRI: (BNode, URIRef), SH.BlankNodeOrLiteral: (BNode, Literal), SH.IRIOrLiteral: (URIRef, Literal),
}


class Unsupported(PerfkgError):
    """A shape (or the shapes graph) states something the compiler does not translate."""


# -- the data -----------------------------------------------------------------------------------


class Data:
    """The triples to validate, indexed: objects by subject and predicate, and subjects by object for the
    predicates the shapes walk backwards (rdf:type, rdfs:subClassOf, inverse paths, object targets).

    ``nsm`` is the namespace manager messages name the data's nodes with: pyshacl's is the data graph's."""

    def __init__(self, triples: Iterable[tuple[Node, Node, Node]], backward: Iterable[Node],
                 nsm: NamespaceManager):
        out: dict[Node, dict[Node, list[Node]]] = {}
        inv: dict[Node, dict[Node, list[Node]]] = {p: {} for p in backward}
        for s, p, o in triples:
            by_p = out.get(s)
            if by_p is None:
                by_p = out[s] = {}
            values = by_p.get(p)
            if values is None:
                by_p[p] = [o]
            elif o in values:
                continue  # the same triple twice (a shared triple the document also states)
            else:
                values.append(o)
            back = inv.get(p)
            if back is not None:
                subjects = back.get(o)
                if subjects is None:
                    back[o] = [s]
                else:
                    subjects.append(s)
        self.out = out
        self.inv = inv
        self.nsm = nsm
        nsm.bind("sh", SH, override=False, replace=False)  # as pyshacl does to the data graph's

    def objects(self, s: Node, p: Node) -> list[Node]:
        by_p = self.out.get(s)
        return (by_p.get(p) or []) if by_p is not None else []

    def subjects(self, p: Node, o: Node) -> list[Node]:
        return self.inv[p].get(o) or []

    def types_closure(self, cls: Node, forward: bool) -> list[Node]:
        """``cls`` and its subclasses (forward False: what is rdfs:subClassOf* it) or superclasses (True)."""
        seen = [cls]
        todo = [cls]
        while todo:
            node = todo.pop()
            nxt = self.objects(node, RDFS.subClassOf) if forward else self.subjects(RDFS.subClassOf, node)
            for other in nxt:
                if other not in seen:
                    seen.append(other)
                    todo.append(other)
        return seen

    def instance_of(self, node: Node, cls: Node) -> bool:
        for ctype in self.objects(node, RDF.type):
            if ctype == cls or cls in self.types_closure(ctype, forward=True):
                return True
        return False


# -- messages: pyshacl's stringify_node, over the index or the shapes graph ------------------------


def _n3(node: Node, nsm: NamespaceManager) -> str:
    try:
        return node.n3(namespace_manager=nsm)
    except Exception:  # noqa: BLE001 (pyshacl falls back to the bare text on any failure)
        return str(node)


def _literal_text(node: Literal, nsm: NamespaceManager, describe: Callable[[Node], str]) -> str:
    value = None if node.value is None else str(node.value)
    lexical = str(node)
    if value is not None:
        at = value.find(" object at 0x")
        if at > 0:
            value = value[:at]
    text = f'"{lexical}" = {value}' if value is not None and value != lexical else f'"{lexical}"'
    lang = f", lang={node.language}" if node.language else ""
    datatype = f", datatype={describe(node.datatype)}" if node.datatype else ""
    return f"Literal({text}{lang}{datatype})"


class _Describer:
    """Text of a node as pyshacl writes it in messages, over a source of (predicates, objects) of blank nodes."""

    def __init__(self, nsm: NamespaceManager, predicates: Callable[[Node], list[Node]],
                 objects: Callable[[Node, Node], list[Node]], items: Callable[[Node], list[Node]]):
        self.nsm = nsm
        self.predicates = predicates
        self.objects = objects
        self.items = items

    def __call__(self, node: Node, recursion: int = 0) -> str:
        if isinstance(node, Literal):
            return _literal_text(node, self.nsm, lambda n: self(n, recursion))
        if isinstance(node, BNode):
            return self._blank(node, recursion + 1)
        if isinstance(node, URIRef):
            return _n3(node, self.nsm)
        return str(node)

    def _blank(self, bnode: BNode, recursion: int) -> str:
        if recursion >= 12:
            return "<http://recursion.too.deep>"
        predicates = self.predicates(bnode)
        if not predicates:
            return "[ ]"
        if RDF.first in predicates:
            return "( {} )".format(" ".join(self(item, recursion + 1) for item in self.items(bnode)))
        by_p: dict[str, str] = {}
        for p in predicates:
            p_text = p.n3(namespace_manager=self.nsm) if isinstance(p, Identifier) else str(p)
            texts = [self(o, recursion + 1) for o in self.objects(bnode, p)]
            if not texts:
                continue
            by_p[p_text] = ", ".join(sorted(texts)) if len(texts) > 1 else texts[0]
        if len(by_p) > 1:
            body = " ; ".join(f"{p_text} {o_text}" for p_text, o_text in sorted(by_p.items()))
        else:
            p_text, o_text = next(iter(by_p.items()))
            body = f"{p_text} {o_text}"
        return f"[ {body} ]"


def _graph_describer(g: Graph) -> _Describer:
    nsm = g.namespace_manager
    nsm.bind("sh", SH, override=False, replace=False)
    return _Describer(nsm, lambda n: list(g.predicates(n)), lambda n, p: list(g.objects(n, p)),
                      lambda n: list(g.items(n)))


def _data_describer(data: Data) -> _Describer:
    def items(head: Node) -> list[Node]:
        out: list[Node] = []
        chain = {head}
        node: Node | None = head
        while node:
            first = data.objects(node, RDF.first)
            if first:
                out.append(first[0])
            rest = data.objects(node, RDF.rest)
            node = rest[0] if rest else None
            if node in chain:
                raise ValueError("List contains a recursive rdf:rest reference")
            if node is not None:
                chain.add(node)
        return out

    return _Describer(data.nsm, lambda n: [p for p, os in data.out.get(n, {}).items() for _ in os],
                      data.objects, items)


# -- results ------------------------------------------------------------------------------------


@dataclass
class Result:
    """One validation result, as pyshacl reports it (``path`` is the shape's path node, or None)."""

    focus: Node
    path: Node | None
    value: Node | None
    component: URIRef
    shape: "CompiledShape"
    message: Callable[[], str] | str  # made when asked for: results of sh:or members are dropped unread
    details: list["Result"] = field(default_factory=list)

    def text(self) -> str:
        if callable(self.message):
            self.message = self.message()
        return self.message

    def flattened(self) -> Iterator["Result"]:
        """This result and, under it, the nested results of sh:node (pyshacl puts both in the report)."""
        yield self
        for detail in self.details:
            yield from detail.flattened()


# -- shapes -------------------------------------------------------------------------------------

Check = Callable[[list[tuple[Node, list[Node]]], Data, list[Result], "Run"], None]


class Run:
    """One validation: the data, the message describers, and the compiled shapes it calls."""

    def __init__(self, data: Data, shapes_text: _Describer):
        self.data = data
        self.shapes_text = shapes_text
        self._data_text: _Describer | None = None

    def data_text(self, node: Node) -> str:
        if self._data_text is None:
            self._data_text = _data_describer(self.data)
        return self._data_text(node)


class CompiledShape:
    """A node or property shape: its path (property shapes), its message, and one check per component."""

    def __init__(self, node: Node, path: Node | None, predicate: Node | None, inverse: bool, message: str | None):
        self.node = node
        self.path = path  # the shape's sh:path node (a blank node for an inverse path)
        self.predicate = predicate
        self.inverse = inverse
        self.message = message
        self.checks: list[Check] = []

    @property
    def is_property(self) -> bool:
        return self.path is not None

    def values(self, focus: Node, data: Data) -> list[Node]:
        if self.predicate is None:
            return [focus]
        if self.inverse:
            return data.subjects(self.predicate, focus)
        return data.objects(focus, self.predicate)

    def validate(self, focus_nodes: Iterable[Node], run: Run) -> list[Result]:
        pairs = [(f, self.values(f, run.data)) for f in focus_nodes]
        results: list[Result] = []
        for check in self.checks:
            check(pairs, run.data, results, run)
        return results

    def conforms(self, node: Node, run: Run) -> bool:
        return not self.validate([node], run)

    def result(self, run: Run, focus: Node, component: URIRef, value: Node | None,
               generic: Callable[[], str], details: list[Result] | None = None) -> Result:
        message: Callable[[], str] | str = self.message if self.message is not None else generic
        return Result(focus, self.path, value, component, self, message, details or [])


@dataclass
class Target:
    classes: list[Node]
    nodes: list[Node]
    objects_of: list[Node]
    subjects_of: list[Node]

    def focus_nodes(self, data: Data) -> list[Node]:
        found: dict[Node, None] = dict.fromkeys(self.nodes)
        for cls in self.classes:
            for sub in data.types_closure(cls, forward=False):
                found.update(dict.fromkeys(data.subjects(RDF.type, sub)))
        for p in self.subjects_of:
            for subjects in data.inv[p].values():
                found.update(dict.fromkeys(subjects))
        for p in self.objects_of:
            found.update(dict.fromkeys(data.inv[p]))
        return list(found)


class CompiledShapes:
    """The shapes graph compiled: the targeted shapes, and those that could not be translated (with why)."""

    def __init__(self, shapes: Graph):
        self.graph = shapes
        self.shapes: dict[Node, CompiledShape] = {}
        self.unsupported: dict[Node, str] = {}
        self.targeted: list[tuple[CompiledShape | None, Node, Target]] = []
        self.backward: set[Node] = {RDF.type, RDFS.subClassOf}
        self.describe = _graph_describer(shapes)
        self.global_reason = self._global_features()
        if self.global_reason:
            return
        for node in _targeted_shapes(shapes):
            target = Target(list(shapes.objects(node, SH.targetClass)) + _implicit_class(shapes, node),
                            list(shapes.objects(node, SH.targetNode)), list(shapes.objects(node, SH.targetObjectsOf)),
                            list(shapes.objects(node, SH.targetSubjectsOf)))
            self.backward.update(target.objects_of + target.subjects_of)
            try:
                compiled = self._shape(node, ())
            except Unsupported as exc:
                self.unsupported[node] = str(exc)
                compiled = None
            self.targeted.append((compiled, node, target))

    def name(self, node: Node) -> str:
        return self.describe(node)

    def _global_features(self) -> str | None:
        used = sorted({p for p in self.graph.predicates() if p in GLOBAL_FEATURES or p == OWL_IMPORTS
                       or p in (SH.js, SH.jsFunctionName, SH.jsLibrary)}, key=str)
        if used:
            return f"the shapes graph uses {self.name(used[0])}"
        declared = sorted({o for o in self.graph.objects(None, RDF.type) if o in GLOBAL_FEATURES}, key=str)
        if declared:
            return f"the shapes graph declares a {self.name(declared[0])}"
        return None

    # -- one shape --------------------------------------------------------------------------------

    def _shape(self, node: Node, within: tuple[Node, ...]) -> CompiledShape:
        if node in within:
            raise Unsupported(f"{self.name(node)} refers to itself (recursive shapes)")
        if node in self.shapes:
            return self.shapes[node]
        g = self.graph
        predicates = set(g.predicates(node))
        for p in sorted(predicates, key=str):
            if str(p).startswith(SH_NS) and p not in COMPONENTS and p not in DESCRIPTIVE:
                raise Unsupported(f"{self.name(node)} uses {self.name(p)}")
        paths = list(g.objects(node, SH.path))
        if len(paths) > 1:
            raise Unsupported(f"{self.name(node)} has {len(paths)} sh:path")
        path = paths[0] if paths else None
        predicate, inverse = self._path(node, path) if path is not None else (None, False)
        messages = list(g.objects(node, SH.message))
        if len(messages) > 1:
            raise Unsupported(f"{self.name(node)} has several sh:message")
        message = str(messages[0]) if messages and isinstance(messages[0], Literal) else None
        if messages and message is None:
            raise Unsupported(f"{self.name(node)} has a sh:message that is not a literal")
        shape = CompiledShape(node, path, predicate, inverse, message)
        inner = within + (node,)
        for parameter in sorted((p for p in predicates if isinstance(p, URIRef) and p in COMPONENTS), key=str):
            values = list(g.objects(node, parameter))  # a fixed order of components; results are sorted anyway
            shape.checks.append(self._component(shape, parameter, values, inner))
        self.shapes[node] = shape
        return shape

    def _path(self, node: Node, path: Node) -> tuple[Node, bool]:
        if isinstance(path, URIRef):
            return path, False
        g = self.graph
        inverse = list(g.objects(path, SH.inversePath))
        if isinstance(path, BNode) and len(inverse) == 1 and isinstance(inverse[0], URIRef) \
                and set(g.predicates(path)) == {SH.inversePath}:
            self.backward.add(inverse[0])
            return inverse[0], True
        raise Unsupported(f"{self.name(node)} has the path {self.name(path)} (only a predicate or its "
                          "sh:inversePath are translated)")

    def _shape_list(self, head: Node) -> list[Node]:
        try:
            members = list(self.graph.items(head))
        except ValueError as exc:
            raise Unsupported(f"a SHACL list that is not a list: {exc}") from None
        if not members:
            raise Unsupported(f"the list {self.name(head)} is empty")
        return members

    def _component(self, shape: CompiledShape, parameter: URIRef, values: list[Node],
                   inner: tuple[Node, ...]) -> Check:
        name = self.name
        component = COMPONENTS[parameter]
        if parameter in (SH.minCount, SH.maxCount):
            if len(values) != 1 or not isinstance(values[0], Literal) or values[0].datatype != XSD.integer \
                    or not isinstance(values[0].value, int) or values[0].value < 0:
                raise Unsupported(f"{name(shape.node)}: {name(parameter)} must be one non-negative xsd:integer")
            if not shape.is_property and parameter == SH.maxCount:
                raise Unsupported(f"{name(shape.node)}: sh:maxCount on a node shape")
            return _count_check(shape, component, int(values[0].value), parameter == SH.minCount)
        if parameter == SH.datatype:
            if len(values) != 1:
                raise Unsupported(f"{name(shape.node)}: more than one sh:datatype")
            return _datatype_check(shape, component, values[0])
        if parameter == SH["class"]:
            return _class_check(shape, component, values)
        if parameter == SH.nodeKind:
            if len(values) != 1 or values[0] not in NODE_KINDS:
                raise Unsupported(f"{name(shape.node)}: sh:nodeKind must be one of the six node kinds")
            return _node_kind_check(shape, component, values[0])
        if parameter in (SH.minInclusive, SH.maxInclusive):
            if not all(isinstance(v, Literal) for v in values):
                raise Unsupported(f"{name(shape.node)}: {name(parameter)} must be literals")
            return _range_check(shape, component, values, parameter == SH.minInclusive)
        if parameter == SH.minLength:
            if len(values) != 1 or not isinstance(values[0], Literal) or not isinstance(values[0].value, int) \
                    or isinstance(values[0].value, bool) or values[0].value < 0:
                raise Unsupported(f"{name(shape.node)}: sh:minLength must be one non-negative integer")
            return _min_length_check(shape, component, values[0])
        if parameter == SH.pattern:
            if not all(isinstance(v, Literal) for v in values):
                raise Unsupported(f"{name(shape.node)}: sh:pattern must be literals")
            return _pattern_check(shape, component, values)
        if parameter == SH["in"]:
            if len(values) != 1:
                raise Unsupported(f"{name(shape.node)}: more than one sh:in")
            members: set[Node] = set()
            for item in self.graph.items(values[0]):  # a set built in list order, as pyshacl builds its own
                members.add(item)
            return _in_check(shape, component, members)
        if parameter == SH.hasValue:
            return _has_value_check(shape, component, set(self.graph.objects(shape.node, SH.hasValue)))
        if parameter == SH.lessThanOrEquals:
            if not shape.is_property:
                raise Unsupported(f"{name(shape.node)}: sh:lessThanOrEquals on a node shape")
            others = set(values)
            if not all(isinstance(v, URIRef) for v in others):
                raise Unsupported(f"{name(shape.node)}: sh:lessThanOrEquals must name predicates")
            return _less_or_equal_check(shape, component, others)
        if parameter == SH.node:
            nested = [self._shape(v, inner) for v in values]
            if any(n.is_property for n in nested):
                raise Unsupported(f"{name(shape.node)}: sh:node names a property shape")
            return _node_check(shape, component, values, nested)
        if parameter == SH.property:
            nested = [self._shape(v, inner) for v in values]
            if not all(n.is_property for n in nested):
                raise Unsupported(f"{name(shape.node)}: sh:property names a shape without sh:path")
            return _property_check(nested)
        if parameter in (SH["or"], SH["and"]):
            lists = [(head, [self._shape(m, inner) for m in self._shape_list(head)]) for head in values]
            return _logical_check(shape, component, lists, parameter == SH["or"])
        raise Unsupported(f"{name(shape.node)}: {name(parameter)}")  # pragma: no cover (COMPONENTS is the list)


def _targeted_shapes(g: Graph) -> list[Node]:
    found: dict[Node, None] = {}
    for p in TARGETS:
        for s in g.subjects(p, None):
            found[s] = None
    for s in g.subjects(RDF.type, None):
        if _implicit_class(g, s):
            found[s] = None
    return sorted(found, key=str)


def _implicit_class(g: Graph, node: Node) -> list[Node]:
    """pyshacl's implicit class target: a shape that is also an rdfs:Class (or a subclass of it) targets itself."""
    types = set(g.objects(node, RDF.type))
    classes = set(g.subjects(RDFS.subClassOf, RDFS.Class)) | {RDFS.Class}
    return [node] if types & classes else []


# -- the component checks, after pyshacl's (pyshacl/constraints/core/*.py) --------------------------


def _count_check(shape: CompiledShape, component: URIRef, bound: int, minimum: bool) -> Check:
    word = "Less" if minimum else "More"

    def message(run: Run, focus: Node) -> Callable[[], str]:
        def make() -> str:
            path = f"->{run.shapes_text(shape.path)}" if shape.path is not None else ""
            return f"{word} than {bound} values on {run.data_text(focus)}{path}"
        return make

    def check(pairs: list[tuple[Node, list[Node]]], data: Data, out: list[Result], run: Run) -> None:
        if minimum and bound == 0:
            return
        for focus, values in pairs:
            if (len(values) < bound) if minimum else (len(values) > bound):
                out.append(shape.result(run, focus, component, None, message(run, focus)))
    return check


_ACTUAL: dict[Node, type | tuple[type, ...]] = {
    XSD.string: (str, bytes), RDF.langString: (str, bytes), XSD.integer: int, XSD.float: float,
    XSD.decimal: Decimal, XSD.boolean: bool, XSD.date: datetime.date, XSD.time: datetime.time,
    XSD.dateTime: datetime.datetime,
}


def _actual(value: Literal, rule: Node) -> bool:
    kind = _ACTUAL.get(rule)
    return True if kind is None else isinstance(value.value, kind)


def _datatype_matches(v: Node, rule: Node) -> bool:
    if not isinstance(v, Literal):
        return False
    if v.datatype == rule:
        return False if getattr(v, "ill_typed", None) is True else _actual(v, rule)
    if rule == RDFS.Literal:
        return True
    if rule == RDFS.Datatype and v.datatype:
        return True
    if v.datatype is None and v.language is None and rule == XSD.string:
        return _actual(v, rule)
    if rule == RDF.langString and v.language:
        return _actual(v, rule)
    return False


def _datatype_check(shape: CompiledShape, component: URIRef, rule: Node) -> Check:
    def check(pairs: list[tuple[Node, list[Node]]], data: Data, out: list[Result], run: Run) -> None:
        for focus, values in pairs:
            for v in values:
                if not _datatype_matches(v, rule):
                    out.append(shape.result(run, focus, component, v,
                                            lambda: f"Value is not Literal with datatype {run.shapes_text(rule)}"))
    return check


def _class_check(shape: CompiledShape, component: URIRef, classes: list[Node]) -> Check:
    def make(run: Run) -> Callable[[], str]:
        if len(classes) < 2:
            return lambda: f"Value does not have class {run.shapes_text(classes[0])}"
        return lambda: "Value class is not in classes ({})".format(", ".join(run.shapes_text(c) for c in classes))

    def check(pairs: list[tuple[Node, list[Node]]], data: Data, out: list[Result], run: Run) -> None:
        for cls in classes:
            for focus, values in pairs:
                for v in values:
                    if isinstance(v, Literal) or not data.instance_of(v, cls):
                        out.append(shape.result(run, focus, component, v, make(run)))
    return check


def _node_kind_check(shape: CompiledShape, component: URIRef, kind: Node) -> Check:
    kinds = NODE_KINDS[kind]  # type: ignore[index]  # kind is one of them (checked when compiled)

    def matches(v: Node) -> bool:
        if isinstance(v, BNode):
            return BNode in kinds
        if isinstance(v, Literal):
            return Literal in kinds
        if isinstance(v, Identifier):
            return URIRef in kinds
        return False

    def check(pairs: list[tuple[Node, list[Node]]], data: Data, out: list[Result], run: Run) -> None:
        for focus, values in pairs:
            for v in values:
                if not matches(v):
                    out.append(shape.result(run, focus, component, v,
                                            lambda: f"Value is not of Node Kind {run.shapes_text(kind)}"))
    return check


def _compare_literal(l1: Literal, l2: Literal) -> int:
    """pyshacl's compare_literal: 0 when equal in value, 1 when l1 is greater, -1 otherwise (may raise TypeError)."""
    if l1.eq(l2):
        return 0
    if l1.value.__class__ in (datetime.datetime, datetime.time):
        if l1.value == l2.value:
            return 0
        if l1.value > l2.value:
            return 1
    elif l1 > l2:
        return 1
    return -1


def _in_range(v: Node, bound: Literal, minimum: bool) -> bool:
    if not isinstance(v, Literal):  # blank nodes and IRIs cannot pass a value comparison
        return False
    bound_is_string = isinstance(bound.value, str)
    v_is_string = isinstance(v.value, str)
    if bound_is_string != v_is_string:
        return False
    try:
        cmp = _compare_literal(v, bound)
    except (TypeError, NotImplementedError):
        return False
    return cmp >= 0 if minimum else cmp <= 0


def _range_check(shape: CompiledShape, component: URIRef, bounds: list[Node], minimum: bool) -> Check:
    op = ">=" if minimum else "<="

    def make(run: Run) -> Callable[[], str]:
        if len(bounds) < 2:
            return lambda: f"Value is not {op} {run.shapes_text(bounds[0])}"
        return lambda: "Value is not {} in ({})".format(op, ", ".join(run.shapes_text(b) for b in bounds))

    def check(pairs: list[tuple[Node, list[Node]]], data: Data, out: list[Result], run: Run) -> None:
        for bound in bounds:
            assert isinstance(bound, Literal)
            for focus, values in pairs:
                for v in values:
                    if not _in_range(v, bound, minimum):
                        out.append(shape.result(run, focus, component, v, make(run)))
    return check


def _string_of(v: Node) -> str:
    if isinstance(v, Literal) and v.value is not None and v.datatype in (None, RDF.langString, XSD.string):
        return str(v.value)
    return str(v)


def _min_length_check(shape: CompiledShape, component: URIRef, rule: Literal) -> Check:
    least = int(rule.value)

    def check(pairs: list[tuple[Node, list[Node]]], data: Data, out: list[Result], run: Run) -> None:
        for focus, values in pairs:
            for v in values:
                ok = least == 0 or (not isinstance(v, BNode) and len(_string_of(v)) >= least)
                if not ok:
                    out.append(shape.result(run, focus, component, v,
                                            lambda: f"String length not >= {run.data_text(rule)}"))
    return check


def _pattern_check(shape: CompiledShape, component: URIRef, patterns: list[Node]) -> Check:
    literals = [p for p in patterns if isinstance(p, Literal)]
    compiled = [re.compile(str(p.value) if p.value is not None and len(p.value) > 1 else str(p)) for p in literals]
    if len(literals) < 2:
        text = "Value does not match pattern '{}'".format(str(literals[0].value))
    else:
        text = "Value does not match every pattern in ('{}')".format("', '".join(str(p.value) for p in literals))

    def check(pairs: list[tuple[Node, list[Node]]], data: Data, out: list[Result], run: Run) -> None:
        for matcher in compiled:
            for focus, values in pairs:
                for v in values:
                    if isinstance(v, BNode):
                        ok = False
                    else:
                        s = _string_of(v)
                        ok = bool(matcher.match(s) or matcher.search(s))
                    if not ok:
                        out.append(shape.result(run, focus, component, v, lambda: text))
    return check


def _in_check(shape: CompiledShape, component: URIRef, members: set[Node]) -> Check:
    def make(run: Run, v: Node) -> Callable[[], str]:
        return lambda: "Value {} not in list {}".format(run.data_text(v), [run.shapes_text(m) for m in members])

    def check(pairs: list[tuple[Node, list[Node]]], data: Data, out: list[Result], run: Run) -> None:
        for focus, values in pairs:
            for v in values:
                if v not in members:
                    out.append(shape.result(run, focus, component, v, make(run, v)))
    return check


def _has_value_check(shape: CompiledShape, component: URIRef, wanted: set[Node]) -> Check:
    def make(run: Run, focus: Node) -> Callable[[], str]:
        def text() -> str:
            the_set = [run.shapes_text(s) for s in wanted]
            if shape.path is not None:
                return "Node {}->{} does not contain a value in the set: {}".format(
                    run.data_text(focus), run.shapes_text(shape.path), the_set)
            return "Node {} value is not a in the set of values: {}".format(run.data_text(focus), the_set)
        return text

    def check(pairs: list[tuple[Node, list[Node]]], data: Data, out: list[Result], run: Run) -> None:
        for hv in wanted:
            for focus, values in pairs:
                if not any(v == hv for v in values):
                    out.append(shape.result(run, focus, component, None, make(run, focus)))
    return check


def _less_or_equal_check(shape: CompiledShape, component: URIRef, others: set[Node]) -> Check:
    def make(run: Run, focus: Node, v: Node) -> Callable[[], str]:
        if len(others) < 2:
            return lambda: "Value of {}->{} < {}".format(run.data_text(focus), run.shapes_text(next(iter(others))),
                                                        run.data_text(v))
        return lambda: "Value of {}->{} < {}".format(run.data_text(focus),
                                                    ", ".join(run.shapes_text(p) for p in others), run.data_text(v))

    def comparable(node: Node) -> tuple[Any, bool]:
        if isinstance(node, BNode):
            raise RuntimeError("Cannot use sh:lessThanOrEquals to compare a BlankNode.")
        if isinstance(node, URIRef):
            return str(node), True
        if isinstance(node, Literal) and isinstance(node.value, str):
            return node.value, True
        return node, False

    def check(pairs: list[tuple[Node, list[Node]]], data: Data, out: list[Result], run: Run) -> None:
        for other in others:
            for focus, values in pairs:
                compare_values = set(data.objects(focus, other))
                for original in set(values):
                    value, value_is_string = comparable(original)
                    for compare in compare_values:
                        bound, bound_is_string = comparable(compare)
                        if value_is_string != bound_is_string or not value <= bound:
                            out.append(shape.result(run, focus, component, original, make(run, focus, original)))
    return check


def _node_check(shape: CompiledShape, component: URIRef, names: list[Node], nested: list[CompiledShape]) -> Check:
    def make(run: Run) -> Callable[[], str]:
        def text() -> str:
            if len(names) < 2:
                m = f"Value does not conform to Shape {run.shapes_text(names[0])}."
            else:
                m = "Value must conform to every Shape in ('{}').".format(
                    "', '".join(run.shapes_text(n) for n in names))
            return m + " See details for more information."
        return text

    def check(pairs: list[tuple[Node, list[Node]]], data: Data, out: list[Result], run: Run) -> None:
        for node_shape in nested:
            for focus, values in pairs:
                for v in values:
                    details = node_shape.validate([v], run)
                    if details:
                        out.append(shape.result(run, focus, component, v, make(run), details))
    return check


def _property_check(nested: list[CompiledShape]) -> Check:
    def check(pairs: list[tuple[Node, list[Node]]], data: Data, out: list[Result], run: Run) -> None:
        nodes = [v for _, values in pairs for v in values]
        if not nodes:
            return
        for property_shape in nested:
            for v in nodes:
                out.extend(property_shape.validate([v], run))
    return check


def _logical_check(shape: CompiledShape, component: URIRef, lists: list[tuple[Node, list[CompiledShape]]],
                   any_of: bool) -> Check:
    def make(run: Run, v: Node) -> Callable[[], str]:
        def text() -> str:
            g = run.shapes_text
            strings = [" , ".join(g(m.node) for m in members) for _, members in lists]
            joined = strings[0] if len(strings) < 2 else " and ".join(f"({s})" for s in strings)
            if any_of:
                return f"Node {run.data_text(v)} must conform to one or more shapes in {joined}"
            return f"Node {run.data_text(v)} must conform to all shapes in {joined}"
        return text

    def check(pairs: list[tuple[Node, list[Node]]], data: Data, out: list[Result], run: Run) -> None:
        for _, members in lists:
            for focus, values in pairs:
                for v in values:
                    verdicts = (m.conforms(v, run) for m in members)
                    if not (any(verdicts) if any_of else all(verdicts)):
                        out.append(shape.result(run, focus, component, v, make(run, v)))
    return check


# -- validating ---------------------------------------------------------------------------------


@dataclass
class Outcome:
    """The compiled verdict: ``results`` flattened as pyshacl's report lists them (sh:detail included), or
    ``fallback`` naming the shapes that pyshacl must check for this graph (results then empty)."""

    conforms: bool
    results: list[Result]
    fallback: list[Node] = field(default_factory=list)


def index(compiled: CompiledShapes, triples: Iterable[tuple[Node, Node, Node]],
          nsm: Optional[NamespaceManager] = None) -> Data:
    return Data(triples, compiled.backward, nsm if nsm is not None else Graph().namespace_manager)


def check(compiled: CompiledShapes, data: Data) -> Outcome:
    """Validate indexed data against the compiled shapes; pyshacl's conformance and results."""
    if compiled.global_reason:
        return Outcome(False, [], [compiled.graph.identifier])
    run = Run(data, compiled.describe)
    results: list[Result] = []
    fallback: list[Node] = []
    for shape, node, target in compiled.targeted:
        focus = target.focus_nodes(data)
        if not focus:
            continue
        if shape is None:
            fallback.append(node)
            continue
        results.extend(shape.validate(focus, run))
    if fallback:
        return Outcome(False, [], fallback)
    flat = [r for top in results for r in top.flattened()]
    return Outcome(not flat, flat)
