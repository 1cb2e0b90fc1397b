"""The named SPARQL query library: reading ``queries/*.rq`` with their header, binding parameters, running.

A query file starts with a header comment::

    # title: Satisfaction targets per bureau
    # description: What the query answers.
    # param: bureau_name — meaning (string; all bureaus when not given)
    # param: concept — meaning (concept; default service-recipient-satisfaction)

The parenthesis of a ``param`` line gives its type (``string``, ``integer``, ``decimal``, ``iri``,
``concept``, or ``bureau`` / ``population``: a string the query matches as part of a bureau name or a
population tag), optionally ``default X`` and ``one of a, b, c`` (the allowed values); a parameter without
a default stays unbound when not given (queries test it with ``BOUND``). Values are bound as RDF terms
through ``initBindings``, never pasted into the query text, so a value cannot change what the query does.
When a ``bureau`` or ``population`` value matches nothing in the graph, the result carries a hint with
the closest names ("did you mean …").

Defaults are written in the query itself, as a one-line ``VALUES ?name { term }`` (an
``# param:`` line's ``default X`` says the same for people), so a ``.rq`` file gives the same rows on
any SPARQL 1.1 store run as it is. When a value is given, that line is left out and the value bound
instead. The queries run over the union default graph (rdflib's ``default_union``, Oxigraph's
``use_default_graph_as_union``): the data passed may be an rdflib Dataset or Graph, or an Oxigraph
store (``kg.store.OxigraphStore``), and both give the same rows.

A ``.rq`` file needs no header: its title is then its file name. SELECT results are rows; ASK gives one
row with the boolean (``QueryRows.boolean``); CONSTRUCT and DESCRIBE give the graph (``QueryRows.graph``).
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import SKOS, XSD
from rdflib.query import Result

from perfkg.errors import PerfkgError
from perfkg.kg import iris, query_guard
from perfkg.kg.concept_linker import CONCEPT_NS

PARAM_TYPES = ("string", "integer", "decimal", "iri", "concept", "bureau", "population")
# where the names a bureau or population parameter is matched against come from (for "did you mean")
CANDIDATES = {
    "bureau": "SELECT DISTINCT ?name WHERE { ?b a <https://w3id.org/perfkg/ns#Bureau> ; "
              "<http://www.w3.org/2000/01/rdf-schema#label> ?name }",
    "population": "SELECT DISTINCT ?name WHERE { ?i <https://w3id.org/perfkg/ns#population> ?name }",
}
# a parameter's default, written in the query: one VALUES line of one variable (and a trailing comment)
_DEFAULT_VALUES = re.compile(r"^[ \t]*VALUES[ \t]+\?(?P<name>[A-Za-z_][A-Za-z0-9_]*)[ \t]*\{[^{}\n]*\}[^\n]*(?:\n|$)",
                             re.M)
_HEADER = re.compile(r"^#\s*(title|description|param)\s*:\s*(.*?)\s*$")
_PARAM = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*(?:—|--|-)\s*(?P<meaning>.*?)\s*(?:\((?P<spec>[^()]*)\))?$")


class QueryError(PerfkgError):
    """A query that cannot be read or run; the message names the query and what is wrong."""


class QueryUsageError(QueryError):
    """A query asked for wrongly: unknown query or parameter, a value of the wrong type, an unknown concept."""


@dataclass(frozen=True)
class QueryParam:
    name: str
    meaning: str
    type: str = "string"
    default: str | None = None
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class NamedQuery:
    name: str
    source: str
    title: str
    description: str
    params: tuple[QueryParam, ...]
    text: str

    def param(self, name: str) -> QueryParam | None:
        return next((p for p in self.params if p.name == name), None)


@dataclass(frozen=True)
class QueryRows:
    """A result table: column names and rows of plain values (str, int, Decimal, bool or None)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    hints: tuple[str, ...] = field(default=(), compare=False)
    boolean: bool | None = None  # the answer of an ASK query
    graph: Graph | None = field(default=None, compare=False)  # the result of a CONSTRUCT or DESCRIBE query

    def dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row)) for row in self.rows]


def parse_query(text: str, name: str, source: str, require_title: bool = True) -> NamedQuery:
    """A query with the metadata of its header comment (the comment lines before the first other line);
    without ``require_title`` a query with no ``# title:`` line is titled by its name."""
    fields: dict[str, str] = {}
    params: list[QueryParam] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.startswith("#"):
            break
        m = _HEADER.match(line)
        if not m:
            continue
        key, value = m.groups()
        if key != "param":
            fields[key] = value
            continue
        pm = _PARAM.match(value)
        if not pm:
            raise QueryError(f"{source}: line {number}: a param line reads '# param: name — meaning (type; default X)'")
        ptype, default, choices = "string", None, tuple[str, ...]()
        for part in (pm.group("spec") or "").split(";"):
            part = part.strip()
            if part in PARAM_TYPES:
                ptype = part
            elif part.startswith("default "):
                default = part[len("default "):].strip()
            elif part.startswith("one of "):
                choices = tuple(c.strip() for c in part[len("one of "):].split(",") if c.strip())
        params.append(QueryParam(pm.group("name"), pm.group("meaning"), ptype, default, choices))
    if "title" not in fields and require_title:
        raise QueryError(f"{source}: the header comment has no '# title:' line")
    return NamedQuery(name, source, fields.get("title", name), fields.get("description", ""), tuple(params), text)


def list_queries() -> list[NamedQuery]:
    """The packaged named queries, by name."""
    files = sorted((f for f in resources.files("perfkg.queries").iterdir() if f.name.endswith(".rq")),
                   key=lambda f: f.name)
    return [parse_query(f.read_text(encoding="utf-8"), f.name[:-3], f"queries/{f.name}") for f in files]


def load_query(name_or_path: str) -> NamedQuery:
    """A named query (``satisfaction_targets``) or a query file (``my.rq``)."""
    if name_or_path.endswith(".rq") and Path(name_or_path).is_file():
        path = Path(name_or_path)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise QueryError(f"{path}: cannot read: {exc}") from exc
        return parse_query(text, path.stem, str(path), require_title=False)
    named = {q.name: q for q in list_queries()}
    key = name_or_path[:-3] if name_or_path.endswith(".rq") else name_or_path
    if key not in named:
        raise QueryUsageError(f"no query named {name_or_path!r} (and no such .rq file); "
                         f"named queries: {', '.join(sorted(named))}")
    return named[key]


def _select(data: Any, text: str, init: dict | None = None) -> list[tuple]:
    """Rows (rdflib terms) of a SELECT of our own over rdflib data or an Oxigraph store."""
    from perfkg.kg.store import is_store

    if is_store(data):
        from perfkg.kg.store import sparql_term

        for name, term in (init or {}).items():  # our own queries: each variable once, as ?name
            text = re.sub(rf"\?{name}\b", sparql_term(term), text)
        return data.execute(text).rows
    return [tuple(row) for row in data.query(text, initBindings=init or {})]


_CONCEPT_BY_LABEL = """SELECT DISTINCT ?c WHERE {
  VALUES ?prop { <http://www.w3.org/2004/02/skos/core#prefLabel> <http://www.w3.org/2004/02/skos/core#altLabel> }
  ?c ?prop ?label . FILTER(STR(?label) = ?key && STRSTARTS(STR(?c), ?ns))
}"""


def resolve_concept(graph: Any, key: str) -> URIRef:
    """A concept of the indicator scheme by slug, IRI or (pref/alt) label, any language (in an rdflib
    graph or an Oxigraph store)."""
    candidate = URIRef(key) if key.startswith(CONCEPT_NS) else URIRef(CONCEPT_NS + key)
    from perfkg.kg.store import is_store

    if is_store(graph):
        if _select(graph, "SELECT ?p WHERE { ?c ?p ?o } LIMIT 1", {"c": candidate}):
            return candidate
        matches = sorted({row[0] for row in _select(graph, _CONCEPT_BY_LABEL, {"key": Literal(key),
                                                                               "ns": Literal(CONCEPT_NS)})})
    else:
        if (candidate, None, None) in graph:
            return candidate
        matches = sorted({URIRef(str(c)) for prop in (SKOS.prefLabel, SKOS.altLabel)
                          for c, _, label in graph.triples((None, prop, None))
                          if str(label) == key and str(c).startswith(CONCEPT_NS)})
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise QueryUsageError(f"concept {key!r} is ambiguous: {', '.join(m[len(CONCEPT_NS):] for m in matches)}")
    raise QueryUsageError(f"unknown concept {key!r}; list them with: perfkg query concepts --data FILE")


def bind_value(param: QueryParam, value: str, graph: Graph) -> URIRef | Literal:
    """A parameter value as the RDF term its type asks for."""
    if param.choices and value not in param.choices:
        raise QueryUsageError(f"parameter {param.name}: {value!r} is not one of {', '.join(param.choices)}")
    if param.type == "concept":
        return resolve_concept(graph, value)
    if param.type == "iri":
        if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*$", value):
            raise QueryUsageError(f"parameter {param.name}: {value!r} is not an IRI")
        return URIRef(value)
    if param.type == "integer":
        if not re.fullmatch(r"[+-]?\d+", value.strip()):
            raise QueryUsageError(f"parameter {param.name}: {value!r} is not an integer")
        return Literal(int(value), datatype=XSD.integer)
    if param.type == "decimal":
        try:
            return Literal(Decimal(value.strip()), datatype=XSD.decimal)
        except InvalidOperation:
            raise QueryUsageError(f"parameter {param.name}: {value!r} is not a number") from None
    return Literal(value)


def default_in_query(query: NamedQuery, name: str) -> str | None:
    """The VALUES line that writes the default of parameter ``name`` in the query text, if there is one."""
    for m in _DEFAULT_VALUES.finditer(query.text):
        if m.group("name") == name:
            return m.group(0)
    return None


def bindings(query: NamedQuery, values: dict[str, str], graph: Any) -> dict[str, URIRef | Literal]:
    """initBindings for a query: the given values, typed, and the defaults a query does not write itself
    (a VALUES line); unknown names are an error."""
    unknown = sorted(set(values) - {p.name for p in query.params})
    if unknown:
        known = ", ".join(p.name for p in query.params) or "none"
        raise QueryUsageError(f"query {query.name} has no parameter {', '.join(unknown)} (parameters: {known})")
    bound = {}
    for param in query.params:
        value = values.get(param.name)
        if value is None and default_in_query(query, param.name) is None:
            value = param.default
        if value is not None:
            bound[param.name] = bind_value(param, value, graph)
    return bound


def prepared(query: NamedQuery, values: dict[str, str], graph: Any) -> tuple[str, dict[str, URIRef | Literal]]:
    """(query text, bindings): a given value replaces the default the query writes as a VALUES line."""
    init = bindings(query, values, graph)
    text = query.text
    for name in values:
        line = default_in_query(query, name)
        if line is not None:
            text = text.replace(line, "", 1)
    return text, init


_WHERE = re.compile(r"\bWHERE\s*\{", re.I)


def inlined(query: NamedQuery, values: dict[str, str], graph: Any) -> str:
    """The query text with its parameters as VALUES lines, for stores that bind no variables from outside
    (Oxigraph substitutes projected variables only). A given value replaces the default's VALUES line;
    a parameter the query writes no line for gets one opening the outer WHERE group. Terms are typed
    and checked first (``bind_value``) and written by Oxigraph's own serialiser, which escapes them, so a
    value is one RDF term and cannot change what the query does."""
    from perfkg.kg.store import sparql_term

    text = query.text
    for name, term in bindings(query, values, graph).items():
        block = f"  VALUES ?{name} {{ {sparql_term(term)} }}\n"
        line = default_in_query(query, name)
        if line is not None:
            text = text.replace(line, block, 1)
        elif _WHERE.search(text):
            text = _WHERE.sub(lambda m, block=block: m.group(0) + "\n" + block, text, count=1)  # type: ignore[misc]
        else:
            raise QueryUsageError(f"{query.source}: parameter {name} cannot be bound on a store: write "
                                  f"'VALUES ?{name} {{ UNDEF }}' in the query's WHERE group")
    return text


def _plain(term: Any) -> Any:
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, float):  # xsd:double from arithmetic: keep the lexical digits
            return Decimal(str(term))
        if isinstance(value, (bool, int, Decimal, str)):
            return value
        return str(term)
    return str(term)


def match_hints(query: NamedQuery, values: dict[str, str], graph: Any) -> tuple[str, ...]:
    """For each given bureau/population value that is part of no name in the graph, the closest names."""
    hints = []
    for param in query.params:
        value = values.get(param.name)
        if value is None or param.type not in CANDIDATES:
            continue
        names = sorted({str(row[0]) for row in _select(graph, CANDIDATES[param.type])})
        if any(value in name for name in names):
            continue
        close = difflib.get_close_matches(value, names, n=3, cutoff=0.3)
        close += [n for n in names if n not in close and any(ch in n for ch in value)][: 3 - len(close)]
        hint = f"{param.name}={value!r} matches no {param.type} in the graph"
        hints.append(hint + (f"; did you mean: {', '.join(close)}?" if close else f"; {param.type}s: "
                             + ", ".join(names[:8]) + (" …" if len(names) > 8 else "")))
    return tuple(hints)


def run_query(query: NamedQuery, data: Any, values: dict[str, str] | None = None,
              allow_service: bool = False, max_rows: int | None = None) -> QueryRows:
    """Run a query over the union of the graphs of ``data`` (an rdflib Dataset or Graph, or an Oxigraph
    store) with the given parameter values; ``max_rows`` (stores only) stops a SELECT early."""
    from perfkg.kg.store import is_store

    values = values or {}
    if is_store(data):
        text = inlined(query, values, data)
        query_guard.refuse_remote(text, query.source, allow_service)
        try:
            answer = data.execute(text, max_rows=max_rows, plain=True)
        except (SyntaxError, OSError, ValueError, RuntimeError) as exc:
            raise QueryError(f"{query.source}: {type(exc).__name__}: {exc}") from None
        if answer.type == "ASK":
            return QueryRows(("ask",), ((answer.ask,),), boolean=answer.ask)
        if answer.type in ("CONSTRUCT", "DESCRIBE"):
            g = Graph()
            for prefix, ns in iris.PREFIXES.items():
                g.bind(prefix, ns)
            for triple in answer.triples:
                g.add(triple)
            return QueryRows(("subject", "predicate", "object"),
                             tuple(tuple(str(t) for t in triple) for triple in sorted(g)), graph=g)
        rows = tuple(answer.rows)  # plain values already (store.to_plain)
        hints = match_hints(query, values, data) if not rows else ()
        return QueryRows(tuple(answer.vars), rows, hints)
    graph = data
    if isinstance(data, Dataset) and not data.default_union:
        graph = Dataset(store=data.store, default_union=True)
    text, init = prepared(query, values, graph)
    # no network (SERVICE, FROM <url>) unless allowed; errors while rows are made are QueryErrors too
    result: Result = query_guard.execute(graph, text, query.source, init, allow_service)
    if result.type == "ASK":
        return QueryRows(("ask",), ((bool(result.askAnswer),),), boolean=bool(result.askAnswer))
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        g = Graph()
        for prefix, ns in graph.namespaces():
            g.bind(prefix, ns)
        for triple in result:
            g.add(triple)  # type: ignore[arg-type]  # a CONSTRUCT's rows are triples
        return QueryRows(("subject", "predicate", "object"),
                         tuple(tuple(str(t) for t in triple) for triple in sorted(g)), graph=g)
    columns = tuple(str(v) for v in (result.vars or []))
    rows = tuple(tuple(_plain(row[i]) for i in range(len(columns))) for row in result)  # type: ignore[index]
    hints = match_hints(query, values, graph) if not rows else ()
    return QueryRows(columns, rows, hints)
