"""What a user's SPARQL may not do: reach the network (SERVICE, FROM <url>), or fail as a traceback.

rdflib answers ``SERVICE <http://…>`` with a real HTTP request and loads ``FROM <url>`` graphs
from the web. Both are refused before the query runs (:func:`refuse_remote`) unless the caller
allows them; and, as a second lock for every rdflib query in the process (stores, views), a
custom evaluation step refuses a SERVICE pattern at run time and graph loading is switched off.
:func:`execute` runs a query and materialises its rows inside one error boundary, so an error
raised while rows are produced (a bad REGEX, a type error) is a :class:`QueryError` too.
"""
from __future__ import annotations

import contextvars
import re
from typing import Any

import rdflib.plugins.sparql as rdflib_sparql
from rdflib.plugins.sparql import CUSTOM_EVALS

from perfkg.errors import PerfkgError

REFUSAL = ("the query reaches the network ({what}); perfkg queries only the local graph — "
           "remove it, or pass --allow-service to run it anyway")
_ALLOW = contextvars.ContextVar("perfkg_allow_service", default=False)
# Comments and string literals are blanked before the keyword scan, so `"SERVICE"` in a string is no SERVICE.
_STRINGS = re.compile(r'"""(?:.|\n)*?"""|\'\'\'(?:.|\n)*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>\s]*>')
_COMMENT = re.compile(r"#[^\n]*")
_REMOTE = re.compile(r"(?<![:\w?$])(SERVICE|FROM|LOAD)(?![:\w])", re.I)


class RemoteQueryRefused(PerfkgError):
    """A SERVICE pattern met at evaluation time without permission."""


def remote_parts(text: str) -> list[str]:
    """The network-reaching keywords of a query (SERVICE, FROM, LOAD), outside comments and strings."""
    def blank(m: re.Match) -> str:
        return "<>" if m.group().startswith("<") else '""'

    bare = _STRINGS.sub(blank, text)
    bare = _COMMENT.sub("", bare)
    return sorted({m.group(1).upper() for m in _REMOTE.finditer(bare)})


def refuse_remote(text: str, source: str, allow: bool = False) -> None:
    """Raise QueryError (naming ``source``) when the query would reach the network and that is not allowed."""
    if allow:
        return
    found = remote_parts(text)
    if found:
        from perfkg.kg.query_library import QueryError

        raise QueryError(f"{source}: " + REFUSAL.format(what=", ".join(found)))


def _refuse_service(ctx, part) -> Any:
    if part.name == "ServiceGraphPattern" and not _ALLOW.get():
        raise RemoteQueryRefused(REFUSAL.format(what="SERVICE"))
    raise NotImplementedError


def install() -> None:
    """Switch rdflib to local-only evaluation for this process (idempotent)."""
    CUSTOM_EVALS["perfkg_refuse_service"] = _refuse_service
    rdflib_sparql.SPARQL_LOAD_GRAPHS = False


def execute(graph, text: str, source: str, init: dict | None = None, allow_service: bool = False):
    """``graph.query`` with its rows materialised; every failure is a QueryError naming ``source``."""
    from perfkg.kg.query_library import QueryError

    refuse_remote(text, source, allow_service)
    token = _ALLOW.set(allow_service)
    saved = rdflib_sparql.SPARQL_LOAD_GRAPHS
    rdflib_sparql.SPARQL_LOAD_GRAPHS = allow_service
    try:
        result = graph.query(text, initBindings=init or {})
        if result.type == "SELECT":
            result.bindings  # noqa: B018 (rows are produced lazily; errors in them, a bad REGEX …, must surface here)
        elif result.type in ("CONSTRUCT", "DESCRIBE"):
            result.graph  # noqa: B018 (evaluated on access: its errors surface here too)
        return result
    except QueryError:
        raise
    except RemoteQueryRefused as exc:
        raise QueryError(f"{source}: {exc}") from None
    except RecursionError:
        raise QueryError(f"{source}: the query is nested too deeply to evaluate") from None
    except Exception as exc:  # rdflib raises pyparsing, re.error and evaluation errors of many types
        raise QueryError(f"{source}: {type(exc).__name__}: {exc}") from exc
    finally:
        rdflib_sparql.SPARQL_LOAD_GRAPHS = saved
        _ALLOW.reset(token)


install()
