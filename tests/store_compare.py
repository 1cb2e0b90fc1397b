"""What the store tests compare: a free loopback port, a query's typed rows, a store's graphs as sets of triples."""
from __future__ import annotations

import socket
from collections import Counter

from perfkg.kg.query_library import run_query
from perfkg.kg.store import CATALOGUE_GRAPH

FIXED_TIME = "1767225600"  # the same run time in every store


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rows_of(query, store) -> Counter:
    """A query's rows as a multiset of typed values (True is not 1, 1 is not 1.0)."""
    return Counter(tuple((type(v).__name__, v) for v in row) for row in run_query(query, store).rows)


def graphs_of(store) -> dict[str, set]:
    """Every graph perfkg wrote, as sets of triples (the catalogue without its load times)."""
    names = store.graph_names()
    ds = store.dataset(names, shared=False)
    out = {}
    for name in names:
        triples = set(ds.graph(name))
        if name == str(CATALOGUE_GRAPH):
            triples = {t for t in triples if not str(t[1]).endswith("loadedAt")}
        out[name] = triples
    return out


def part_of(graphs: dict[str, set], whole: dict[str, set]) -> bool:
    """Every graph is the whole store's, the catalogue a part of its catalogue."""
    catalogue = str(CATALOGUE_GRAPH)
    return (graphs[catalogue] <= whole[catalogue]
            and all(triples == whole[name] for name, triples in graphs.items() if name != catalogue))
