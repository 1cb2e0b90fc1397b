"""``perfkg serve``: the SPARQL 1.1 Protocol over loopback, spoken by SPARQLWrapper and by plain HTTP, on a
store of the seed documents; the page at ``/`` in headless Chromium."""
from __future__ import annotations

import csv
import gc
import io
import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

import pytest
from rdflib import BNode, Literal, URIRef
from SPARQLWrapper import CSV, JSON, POST, TSV, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

import perfkg
from perfkg.kg.query_library import _plain, list_queries, run_query
from perfkg.kg.sparql_server import open_server
from perfkg.kg.store import OxigraphStore

SEEDS = Path(__file__).resolve().parents[1] / "examples" / "documents"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    where = tmp_path_factory.mktemp("served") / "ox"
    store = perfkg.open_store(where)
    assert store.load([SEEDS], jobs=2).errors == []
    del store
    gc.collect()  # Oxigraph locks the folder while a writable Store lives; the workers open it read-only
    return where


class Running:
    def __init__(self, store_dir: Path, **options):
        self.server = open_server(store_dir, "127.0.0.1", 0, **options)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = self.server.url

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(10)


@pytest.fixture(scope="module")
def endpoint(store_dir):
    running = Running(store_dir, timeout_s=30, max_rows=100_000, workers=2)
    yield running.url
    running.stop()


def wrapper(url: str, query: str, fmt=JSON, path: str = "query") -> SPARQLWrapper:
    sparql = SPARQLWrapper(url + path)
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    return sparql


def http(url: str, data: bytes | None = None, headers: dict | None = None, method: str | None = None):
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def term(binding: dict | None):
    """A SPARQL JSON binding as the rdflib term rdflib itself would give."""
    if binding is None:
        return None
    if binding["type"] == "uri":
        return URIRef(binding["value"])
    if binding["type"] == "bnode":
        return BNode(binding["value"])
    if "xml:lang" in binding:
        return Literal(binding["value"], lang=binding["xml:lang"])
    return Literal(binding["value"], datatype=URIRef(binding["datatype"]) if "datatype" in binding else None)


def test_every_named_query_returns_the_same_rows_through_the_endpoint_as_through_perfkg_query(endpoint, store_dir):
    store = OxigraphStore(store_dir, read_only=True)
    for query in list_queries():
        result = wrapper(endpoint, query.text).queryAndConvert()
        names = result["head"]["vars"]
        through_endpoint = Counter(tuple(_plain(term(b.get(n))) for n in names) for b in result["results"]["bindings"])
        expected = run_query(query, store)
        assert tuple(names) == expected.columns, query.name
        assert through_endpoint == Counter(expected.rows), query.name


def test_results_in_json_csv_tsv_and_xml_by_sparqlwrapper_and_content_negotiation(endpoint):
    query = ("PREFIX pkg: <https://w3id.org/perfkg/ns#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
             "SELECT DISTINCT ?b ?name WHERE { ?b a pkg:Bureau ; rdfs:label ?name } ORDER BY ?name")
    as_json = wrapper(endpoint, query, JSON).queryAndConvert()["results"]["bindings"]
    names = [b["name"]["value"] for b in as_json]
    assert len(names) == 5 and "漳州市医疗保障局" in names
    as_csv = wrapper(endpoint, query, CSV, "sparql").queryAndConvert().decode("utf-8")
    assert [row["name"] for row in csv.DictReader(io.StringIO(as_csv))] == names
    as_tsv = wrapper(endpoint, query, TSV).queryAndConvert().decode("utf-8").splitlines()
    assert as_tsv[0] == "?b\t?name" and [line.split("\t")[1] for line in as_tsv[1:]] == [f'"{n}"@zh' for n in names]
    as_xml = wrapper(endpoint, query, XML).queryAndConvert()  # a DOM document
    literals = [n.firstChild.data for n in as_xml.getElementsByTagName("literal")]
    assert literals == names
    # POST, as a form and as a query body; ASK; CONSTRUCT as Turtle
    posted = wrapper(endpoint, query, JSON)
    posted.setMethod(POST)
    assert [b["name"]["value"] for b in posted.queryAndConvert()["results"]["bindings"]] == names
    status, headers, body = http(endpoint + "query", query.encode("utf-8"),
                                 {"Content-Type": "application/sparql-query", "Accept": "text/csv"})
    assert status == 200 and headers["Content-Type"].startswith("text/csv") and body.decode().count("\r\n") == 6
    ask = wrapper(endpoint, "ASK { ?s a <https://w3id.org/perfkg/ns#Indicator> }").queryAndConvert()
    assert ask["boolean"] is True
    status, headers, body = http(endpoint + "query?" + urllib.parse.urlencode(
        {"query": "CONSTRUCT { ?b a <https://w3id.org/perfkg/ns#Bureau> } "
                  "WHERE { ?b a <https://w3id.org/perfkg/ns#Bureau> }"}),
        headers={"Accept": "text/turtle"})
    assert status == 200 and headers["Content-Type"] == "text/turtle" and body.decode().count("/id/bureau/") == 5
    status, _, _ = http(endpoint + "query?query=" + urllib.parse.quote(COUNT), headers={"Accept": "image/png"})
    assert status == 406


def test_updates_and_service_are_refused_and_nothing_changes(endpoint):
    before = wrapper(endpoint, COUNT).queryAndConvert()["results"]["bindings"][0]["n"]["value"]
    insert = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    for data, kind in ((urllib.parse.urlencode({"update": insert}).encode(), "application/x-www-form-urlencoded"),
                       (insert.encode(), "application/sparql-update"),
                       (urllib.parse.urlencode({"query": insert}).encode(), "application/x-www-form-urlencoded"),
                       (urllib.parse.urlencode({"query": "SELECT * WHERE { SERVICE <http://example.org/sparql> "
                                                         "{ ?s ?p ?o } }"}).encode(),
                        "application/x-www-form-urlencoded")):
        status, _, body = http(endpoint + "query", data, {"Content-Type": kind})
        assert status == 403, (kind, body)
    sparql = wrapper(endpoint, "DELETE WHERE { ?s ?p ?o }")
    sparql.setMethod(POST)
    with pytest.raises(urllib.error.HTTPError) as refused:  # SPARQLWrapper passes a 403 on as it is
        sparql.queryAndConvert()
    assert refused.value.code == 403
    with pytest.raises(QueryBadFormed):
        wrapper(endpoint, "SELECT WHERE {").queryAndConvert()
    after = wrapper(endpoint, COUNT).queryAndConvert()["results"]["bindings"][0]["n"]["value"]
    assert before == after and int(after) > 10_000


def test_cors_headers_and_the_preflight(endpoint):
    status, headers, _ = http(endpoint + "query?query=" + urllib.parse.quote(COUNT), headers={"Origin": "http://yasgui.example"})
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "*"
    status, headers, _ = http(endpoint + "sparql", method="OPTIONS",
                              headers={"Origin": "http://yasgui.example", "Access-Control-Request-Method": "POST"})
    assert status == 204 and "POST" in headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in headers["Access-Control-Allow-Headers"]


def test_a_runaway_query_is_stopped_at_the_limit_and_the_row_cap_cuts_results(store_dir):
    running = Running(store_dir, timeout_s=1.0, max_rows=7, workers=1)
    try:
        cube = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # 20,000³ rows to count
        with pytest.raises(urllib.error.HTTPError) as stopped:  # SPARQLWrapper passes a 503 on as it is
            wrapper(running.url, cube).queryAndConvert()
        assert stopped.value.code == 503 and "time limit of 1 s" in stopped.value.read().decode()
        # the worker that ran it was replaced: the next query is answered
        status, headers, body = http(running.url + "query?query=" + urllib.parse.quote("SELECT * WHERE { ?s ?p ?o }"))
        assert status == 200 and headers["X-Perfkg-Truncated"] == "true"
        assert len(json.loads(body)["results"]["bindings"]) == 7
    finally:
        running.stop()


def test_the_page_lists_the_named_queries_and_loads_nothing_from_elsewhere(endpoint):
    status, headers, body = http(endpoint)
    page = body.decode("utf-8")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    for query in list_queries():
        assert f'"name": "{query.name}"' in page
    for loads_something in ("src=", "<link", "@import", "url(", 'href="http'):  # the page is one file
        assert loads_something not in page, loads_something
    status, _, listed = http(endpoint + "queries")
    assert status == 200 and {q["name"] for q in json.loads(listed)} == {q.name for q in list_queries()}


def test_the_page_runs_a_named_query_in_headless_chromium(endpoint):
    from playwright.sync_api import sync_playwright

    from tests.test_views_browser import CHROMIUM, CHROMIUM_ARGS

    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser` (installs Debian's chromium)")
    origin = endpoint.rstrip("/")
    elsewhere: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.on("request", lambda r: None if r.url.startswith(origin) else elsewhere.append(r.url))
            page.goto(endpoint)
            page.wait_for_selector("body[data-ready=yes]", state="attached", timeout=30_000)
            assert page.locator("nav button").count() == len(list_queries())
            page.click("nav button[data-query=concept_coverage]")
            page.wait_for_selector("body[data-rows]", state="attached", timeout=30_000)
            assert page.evaluate("document.body.dataset.rows") == "5"
            headers = page.locator("#results th").all_text_contents()
            assert headers == ["bureau", "indicators", "linked", "share"]
            assert "漳州市医疗保障局" in page.locator("#results").inner_text()
            # an edited query, and an error shown as text
            page.fill("#editor", "SELECT ?x WHERE { BIND(\"<b>x</b>\" AS ?x) }")
            page.click("#run")
            page.wait_for_selector("body[data-rows='1']", state="attached", timeout=30_000)
            assert page.locator("#results td").inner_text() == "<b>x</b>"
            page.fill("#editor", "SELECT WHERE {")
            page.click("#run")
            page.wait_for_selector("body[data-rows=error]", state="attached", timeout=30_000)
            assert page.locator("#status").inner_text().startswith("400")
        finally:
            browser.close()
    assert elsewhere == []
