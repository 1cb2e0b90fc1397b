"""Exports: the indicator table (pandas dtypes, BOM for Excel, XLSX), views as GraphML/GEXF, query -o and
formats, CONSTRUCT/ASK printed, hints, the comparison page in headless chromium."""
from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from click.testing import CliRunner

from perfkg.kg.cli import cli
from perfkg.kg.graph_io import write_graph
from perfkg.kg.graph_views import bureau_view
from perfkg.kg.indicator_table import COLUMNS

CHROMIUM = Path("/usr/bin/chromium")
BUREAU = "漳州市医疗保障局"


@pytest.fixture(scope="module")
def graph_file(seed_dataset, tmp_path_factory):
    path = tmp_path_factory.mktemp("export") / "seed.trig"
    write_graph(seed_dataset, path)
    return path


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_indicator_table_as_csv_with_bom_and_xlsx_opens_in_pandas(graph_file, tmp_path, seed_records):
    csv_path, xlsx_path = tmp_path / "t.csv", tmp_path / "t.xlsx"
    assert invoke("export", "--data", graph_file, "--table", csv_path, "--excel").exit_code == 0
    assert invoke("export", "--data", graph_file, "--table", xlsx_path).exit_code == 0
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 by the BOM
    frame = pd.read_csv(csv_path, encoding="utf-8-sig", dtype={"division_code": str})
    assert tuple(frame.columns) == COLUMNS
    assert len(frame) == sum(r.indicator_count() for r in seed_records)
    assert frame["number"].dtype.kind == "f" and frame["year"].dtype.kind == "i"
    row = frame[frame["indicator"] == "区级参保补助总成本"].iloc[0]
    assert (row["concept"], row["unit"], row["normalised_number"], row["normalised_unit"]) == \
        ("cost-ceiling", "万元", 32160000.0, "元")
    assert row["normalised_unit_iri"] == "http://qudt.org/vocab/unit/CCY_CNY"
    sheet = pd.read_excel(xlsx_path, dtype={"division_code": str})
    assert len(sheet) == len(frame) and sheet["number"].dtype.kind == "f"
    assert set(sheet["bureau"]) == set(frame["bureau"])


def test_views_as_graphml_and_gexf_load_with_the_same_node_count(graph_file, tmp_path, seed_dataset):
    graphml, gexf = tmp_path / "b.graphml", tmp_path / "b.gexf"
    result = invoke("export", "--data", graph_file, "--graphml", graphml, "--gexf", gexf, "--bureau", BUREAU)
    assert result.exit_code == 0, result.output
    view = bureau_view(seed_dataset, BUREAU)
    for loaded in (nx.read_graphml(graphml), nx.read_gexf(gexf)):
        assert loaded.number_of_nodes() == view.number_of_nodes()
        assert loaded.number_of_edges() == view.number_of_edges()
        labels = {d.get("label") for _, d in loaded.nodes(data=True)}
        assert BUREAU in labels
    assert b"<graphml" in graphml.read_bytes()[:400]


def test_query_output_files_and_formats(graph_file, tmp_path):
    for suffix in ("csv", "tsv", "json", "xlsx"):
        out = tmp_path / f"s.{suffix}"
        result = invoke("query", "satisfaction_targets", "--data", graph_file, "-o", out)
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 100
    assert "\t" in (tmp_path / "s.tsv").read_text(encoding="utf-8").splitlines()[0]
    assert len(pd.read_excel(tmp_path / "s.xlsx")) == len(json.loads((tmp_path / "s.json").read_text()))


def test_construct_and_ask_are_printed_as_answers(graph_file, tmp_path):
    ask = tmp_path / "ask.rq"
    ask.write_text("PREFIX pkg: <https://w3id.org/perfkg/ns#>\nASK { ?b a pkg:Bureau }\n")
    assert invoke("query", ask, "--data", graph_file).stdout == "true\n"
    construct = tmp_path / "c.rq"
    construct.write_text("PREFIX pkg: <https://w3id.org/perfkg/ns#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
                         "CONSTRUCT { ?b rdfs:label ?n } WHERE { ?b a pkg:Bureau ; rdfs:label ?n }\n")
    result = invoke("query", construct, "--data", graph_file)
    assert result.exit_code == 0 and BUREAU in result.stdout and "rdfs:label" in result.stdout


def test_a_parameter_matching_nothing_prints_a_hint(graph_file):
    result = invoke("query", "satisfaction_targets", "--data", graph_file, "--param", "bureau_name=漳洲")
    assert result.exit_code == 0
    assert "hint: bureau_name='漳洲' matches no bureau" in result.stderr and BUREAU in result.stderr
    assert invoke("query", "satisfaction_targets", "--data", graph_file, "--param", "bureau_name=漳州").stdout.count(
        BUREAU) >= 7


def test_viz_draws_every_bureau_given(graph_file, tmp_path):
    out = tmp_path / "v.html"
    result = invoke("viz", "--data", graph_file, "--bureau", BUREAU, "--bureau", "临西县医疗保障局", "-o", out)
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert f"Bureaus: {BUREAU}, 临西县医疗保障局" in page
    nodes = json.loads(page.split("var perfkgView = ", 1)[1].split(";\n", 1)[0])["nodes"]
    assert sorted(n["label"] for n in nodes if n["kind"] == "bureau") == sorted([BUREAU, "临西县医疗保障局"])


def test_viz_concept_draws_what_compare_finds(graph_file, tmp_path, seed_dataset):
    from perfkg.kg.concept_compare import compare_concept
    from perfkg.kg.graph_views import concept_view

    view = concept_view(seed_dataset, "满意度", max_nodes=10_000)
    indicators = sum(1 for _, d in view.nodes(data=True) if d["kind"] == "indicator")
    comparison = compare_concept(seed_dataset, "满意度")
    assert indicators == sum(len(r[2].split("; ")) for r in comparison.table.rows)
    assert comparison.bureaus == sum(1 for _, d in view.nodes(data=True) if d["kind"] == "bureau")


def test_comparison_page_shows_every_bureau_on_one_axis(graph_file, tmp_path, seed_records):
    from playwright.sync_api import sync_playwright

    page_file = tmp_path / "compare.html"
    result = invoke("compare", "service-recipient-satisfaction", "--data", graph_file, "--html", page_file)
    assert result.exit_code == 0, result.output
    bureaus = {r.bureau for r in seed_records}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox"])
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        remote = []
        context.route("**/*", lambda route: (route.continue_() if route.request.url.startswith(("file:", "data:"))
                                             else (remote.append(route.request.url), route.abort())))
        page = context.new_page()
        page.goto(page_file.as_uri())
        svgs = page.locator("svg.strip")
        assert svgs.count() == 1  # one common axis: every target is a ratio
        assert set(page.locator("svg.strip text.bureau").all_text_contents()) == bureaus
        dots = page.locator("svg.strip text.dot").count()
        assert dots == page.locator("#targets tbody tr").count() - page.locator("svg text.words").count() or dots > 30
        sizes = page.evaluate("[...document.querySelectorAll('svg text')].map(t => t.getBoundingClientRect().height)")
        assert min(sizes) >= 12
        box = page.evaluate("document.querySelector('svg.strip').getBoundingClientRect().right")
        assert box <= 1280
        page.fill("#search", "漳州")
        visible = page.evaluate("[...document.querySelectorAll('#targets tbody tr')].filter(r => r.offsetParent)"
                                ".map(r => r.cells[0].textContent)")
        assert visible and set(visible) == {BUREAU}
        assert remote == []
        browser.close()
