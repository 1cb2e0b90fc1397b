"""The Python API: one function per stage, each a thin door onto the library (the CLI calls these too).

``extract`` is reached as ``perfkg.extract(paths)``: the ``perfkg.extract`` package is callable and
hands the call to ``extract`` here, so the package of readers and the function share one name.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from perfkg.errors import PerfkgError

if TYPE_CHECKING:  # imported lazily below: `import perfkg` stays quick
    from typing import TypeAlias

    import networkx as nx
    import pandas as pd
    from rdflib import Dataset, Graph

    from perfkg.extract.evaluation import Evaluation
    from perfkg.extract.records import DocumentRecord
    from perfkg.kg.query_library import QueryRows
    from perfkg.kg.store import SparqlStore

    Data: TypeAlias = "Dataset | Graph | SparqlStore | str | Path"


class ExtractionError(PerfkgError):
    """Some documents could not be read; ``errors`` holds one line per document (naming the file)."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


def extract(paths: Iterable[str | Path] | str | Path, jobs: int = 1, strict: bool = False) -> list[DocumentRecord]:
    """Read documents (files or folders of PDF, XLSX/XLS, DOCX, HTML or text) into checked records.

    A document that cannot be read is left out with a warning (or raises ``ExtractionError`` when
    ``strict``); what was read but could not be placed is kept in the records' flags.
    """
    import warnings

    from perfkg.extract.pipeline import extract_paths

    if isinstance(paths, (str, Path)):
        paths = [paths]
    records, errors = [], []
    for outcome in extract_paths(list(paths), jobs=jobs):
        if outcome.record is not None:
            records.append(outcome.record)
        else:
            errors.append(outcome.error or f"{outcome.path}: not read")
    if errors and strict:
        raise ExtractionError(errors)
    for message in errors:
        warnings.warn(message, stacklevel=2)
    return records


def build(records: Iterable[DocumentRecord]) -> Dataset:
    """The RDF dataset of the records: one named graph per document, with provenance."""
    from perfkg.kg.graph_build import build_dataset

    return build_dataset(list(records))


def open_store(path: str | Path, read_only: bool = False, **endpoint: Any) -> SparqlStore:
    """The Oxigraph store in folder ``path`` (created when absent): ``.load(paths)`` extracts, builds, validates
    and loads documents into it (as ``perfkg load``), and ``query``, ``compare`` and ``view`` take it in place
    of a dataset. ``read_only`` opens a store another process may read at the same time. An ``http(s)://`` URL
    is a SPARQL 1.1 store on the network (as ``--endpoint``; ``update_url=``, ``gsp_url=``, ``union=`` as
    ``kg.endpoint_store.EndpointStore`` takes them)."""
    from perfkg.kg.store import OxigraphStore

    if isinstance(path, str) and path.startswith(("http://", "https://")):
        from perfkg.kg.endpoint_store import EndpointStore

        return EndpointStore(path, **endpoint)
    return OxigraphStore(Path(path), read_only=read_only)


def _graph(data: Data) -> Dataset | Graph | SparqlStore:
    if isinstance(data, (str, Path)):
        from perfkg.kg.graph_io import load_dataset

        return load_dataset(Path(data))
    return data


def query(name_or_sparql: str, data: Data, **params: str) -> pd.DataFrame:
    """A named query (``queries/*.rq``, e.g. ``"satisfaction_targets"``), a ``.rq`` path or SPARQL text,
    run over a dataset, a store (``open_store``) or a graph file with the query's parameters; the rows as a
    DataFrame (decimal numbers as floats)."""
    from perfkg.kg.query_library import load_query, parse_query, run_query

    if "{" in name_or_sparql:
        named = parse_query(name_or_sparql, "query", "<sparql>", require_title=False)
    else:
        named = load_query(name_or_sparql)
    return _frame(run_query(named, _graph(data), dict(params)))


def _frame(result: QueryRows) -> pd.DataFrame:
    """Result rows as a DataFrame. xsd:decimal values arrive as Decimal, which pandas keeps as objects
    it cannot compute with (``describe``, plots), so they become floats; integers stay integers."""
    from decimal import Decimal

    import pandas as pd

    rows = [tuple(float(v) if isinstance(v, Decimal) else v for v in row) for row in result.rows]
    return pd.DataFrame(rows, columns=list(result.columns))


def table(data: Data, path: str | Path | None = None, excel: bool = False) -> pd.DataFrame:
    """The flat indicator table of ``perfkg export --table``: one row per indicator (bureau, division code,
    year, project, levels, indicator, concept, comparator, number, unit, normalised number and unit,
    printed value, source and line). With ``path`` it is written there too, in the format its suffix
    names (.csv .tsv .json .xlsx .parquet; ``excel`` adds the BOM Excel needs to a CSV)."""
    from perfkg.kg.indicator_table import indicator_table
    from perfkg.kg.table_export import format_for, write_table

    rows = indicator_table(_graph(data))
    if path is not None:
        write_table(rows.columns, rows.rows, Path(path), format_for(Path(path)), bom=excel)
    return _frame(rows)


def compare(concept: str, data: Data, html: str | Path | None = None) -> pd.DataFrame:
    """The targets every bureau sets for one concept (slug, label or IRI), one row per project; with
    ``html`` the comparison chart of ``perfkg compare --html`` is written there too."""
    from perfkg.kg.concept_compare import compare_concept

    graph = _graph(data)
    frame = _frame(compare_concept(graph, concept).table)
    if html is not None:
        from perfkg.kg.compare_chart import write_comparison

        write_comparison(graph, concept, Path(html))
    return frame


def view(data: Data, kind: str, key: str, html: str | Path | None = None, **options: Any) -> nx.DiGraph:
    """A networkx view of the graph: ``kind`` is ``project``, ``bureau`` or ``concept``; with ``html``
    the interactive page (pyvis) is written there too. From a store only the documents drawn are read."""
    from perfkg.kg.graph_views import build_view
    from perfkg.kg.store import is_store

    source: Any = _graph(data)
    if is_store(source):
        source = source.view_dataset(kind, key)
    g = build_view(source, kind, key, **options)
    if html is not None:
        from perfkg.kg.render_html import write_view

        write_view(g, Path(html))
    return g


def evaluate(gold: Iterable[DocumentRecord] | str | Path, predicted: Iterable[DocumentRecord]) -> Evaluation:
    """Score predicted records against gold records (a gold JSON file or records) by the matching rules
    of ``perfkg evaluate``; ``.overall`` and ``.to_dict()`` give the scores."""
    from perfkg.extract.evaluation import evaluate as score, load_gold

    if isinstance(gold, (str, Path)):
        gold = load_gold(Path(gold))
    return score(gold, predicted)
