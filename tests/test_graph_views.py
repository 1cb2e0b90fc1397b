"""The networkx views of the seed graph: structure and node counts against the records, folding, selection."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest
from rdflib import URIRef

from perfkg.extract.records import DocumentRecord, Indicator, Project, load_records
from perfkg.kg import iris
from perfkg.kg.graph_build import build_dataset
from perfkg.kg.graph_views import ViewSelectionError, build_view, bureau_view, concept_view, project_view

DATA = Path(__file__).parent / "data" / "views"


def expected_project_nodes(project: Project) -> int:
    """project + its level-1 names + (level-1, level-2) pairs + indicators + printed target values."""
    inds = project.indicators
    return (1 + len({i.level1 for i in inds}) + len({(i.level1, i.level2) for i in inds})
            + len(inds) + sum(1 for i in inds if i.value))


def largest_projects(records: list[DocumentRecord]) -> list[tuple[DocumentRecord, Project]]:
    """The project with the most indicators of each seed document (a department table where there is one)."""
    return [(r, max(r.projects, key=lambda p: len(p.indicators))) for r in records]


def linked_indicators(dataset, concept: str) -> list[str]:
    """Indicators linked to a concept, read with SPARQL (a path independent of the views' reader)."""
    rows = dataset.query("SELECT ?i WHERE { ?i <https://w3id.org/perfkg/ns#concept> ?c }",
                         initBindings={"c": URIRef(concept)})
    return sorted(str(row.i) for row in rows)


def kinds(view: nx.DiGraph) -> Counter:
    return Counter(data["kind"] for _, data in view.nodes(data=True))


def folded_indicator_total(view: nx.DiGraph) -> int:
    """Indicators still shown plus those folded into aggregate nodes."""
    return sum(len(d["folded"]) if d["kind"] == "aggregate" else 1
               for _, d in view.nodes(data=True) if d["kind"] in ("indicator", "aggregate"))


def test_project_view_has_one_node_per_level_indicator_and_target(seed_records, seed_dataset):
    for record, project in largest_projects(seed_records):
        iri = str(iris.project_iri(record.bureau, record.year, project.code, project.name,
                                   document=iris.document_key(record)))
        view = project_view(seed_dataset, iri, max_nodes=10_000)
        assert view.number_of_nodes() == expected_project_nodes(project), project.name
        assert nx.is_arborescence(view)
        assert kinds(view)["indicator"] == len(project.indicators)
        indicators = [n for n, d in view.nodes(data=True) if d["kind"] == "indicator"]
        assert [view.nodes[n]["label"] for n in indicators] == [i.level3 for i in project.indicators]
        # every indicator hangs under level2 under level1 under the project
        for node in indicators:
            chain = [view.nodes[a]["kind"] for a in nx.shortest_path(view, iri, node)]
            assert chain == ["project", "level1", "level2", "indicator"]
        targets = {view.nodes[n]["label"] for n, d in view.nodes(data=True) if d["kind"] == "target"}
        assert targets == {i.value for i in project.indicators if i.value}
        assert view.graph["notes"] == []


def test_project_view_tooltips_carry_value_unit_description_and_source_line(seed_records, seed_dataset):
    record, project = largest_projects(seed_records)[0]
    indicator = next(i for i in project.indicators if i.unit and i.span)
    view = project_view(seed_dataset, str(iris.project_iri(record.bureau, record.year, project.code, project.name,
                                                           document=iris.document_key(record))))
    node = next(d for _, d in view.nodes(data=True) if d["kind"] == "indicator" and d["label"] == indicator.level3)
    details = dict(node["details"])
    assert details["value"] == indicator.value
    assert details["unit"] == indicator.unit
    assert details["source"].startswith(record.source)
    assert str(indicator.span[0]) in details["source"]


def test_bureau_view_holds_every_project_sized_by_budget(seed_records, seed_dataset):
    for record in seed_records:
        own = [p for r in seed_records if r.bureau == record.bureau for p in r.projects]
        view = bureau_view(seed_dataset, record.bureau, max_nodes=10_000)
        assert view.number_of_nodes() == 1 + len(own) + sum(len(p.indicators) for p in own)
        assert kinds(view)["project"] == len(own)
        projects = [d for _, d in view.nodes(data=True) if d["kind"] == "project"]
        budget = {p.name: p.budget_total or 0 for p in own}
        by_size = sorted(projects, key=lambda d: d["size"])
        assert [budget[d["label"]] for d in by_size] == sorted(budget[d["label"]] for d in projects)
        largest = max(projects, key=lambda d: d["size"])
        assert largest["size"] > min(d["size"] for d in projects) or len(set(budget.values())) == 1


def test_concept_view_groups_linked_indicators_by_bureau(seed_dataset):
    concept = "https://w3id.org/perfkg/concept/service-recipient-satisfaction"
    linked = linked_indicators(seed_dataset, concept)
    assert len(linked) >= 5, "the seed documents all ask about satisfaction"
    view = concept_view(seed_dataset, concept, max_nodes=10_000)
    shown = sorted(n for n, d in view.nodes(data=True) if d["kind"] == "indicator")
    assert shown == linked
    bureaus = {p for i in linked for p in view.predecessors(i)}
    assert all(view.nodes[b]["kind"] == "bureau" for b in bureaus)
    assert set(view.successors(concept)) == bureaus
    assert len(bureaus) >= 3
    targets = [n for n, d in view.nodes(data=True) if d["kind"] == "target"]
    assert view.number_of_nodes() == 1 + len(bureaus) + len(linked) + len(targets)
    # within one unit the larger target is drawn larger
    sized = sorted(((view.nodes[t]["facts"].normalised_value, view.nodes[t]["size"]) for t in targets
                    if view.nodes[t]["facts"].normalised_unit == "1"))
    assert [s for _, s in sized] == sorted(s for _, s in sized)


def test_concept_is_found_by_chinese_label_slug_or_iri(seed_dataset):
    by_iri = concept_view(seed_dataset, "https://w3id.org/perfkg/concept/service-recipient-satisfaction")
    by_label = concept_view(seed_dataset, "服务对象满意度")
    by_slug = concept_view(seed_dataset, "service-recipient-satisfaction")
    assert list(by_iri.nodes) == list(by_label.nodes) == list(by_slug.nodes)


def test_views_fold_past_max_nodes_and_say_so(seed_records, seed_dataset):
    record = max(seed_records, key=lambda r: r.indicator_count())
    own = [p for r in seed_records if r.bureau == record.bureau for p in r.projects]
    total = sum(len(p.indicators) for p in own)
    view = bureau_view(seed_dataset, record.bureau, max_nodes=40)
    assert view.number_of_nodes() <= 40
    assert kinds(view)["project"] == len(own)
    assert kinds(view)["aggregate"] > 0
    assert folded_indicator_total(view) == total, "folding loses no indicator"
    assert view.graph["full_node_count"] == 1 + len(own) + total
    assert any("--max-nodes 40" in note for note in view.graph["notes"])


def test_project_view_folds_level2_groups_under_their_level2_node(seed_records, seed_dataset):
    record, project = max(largest_projects(seed_records), key=lambda rp: len(rp[1].indicators))
    iri = str(iris.project_iri(record.bureau, record.year, project.code, project.name,
                               document=iris.document_key(record)))
    budget = expected_project_nodes(project) - 10
    view = project_view(seed_dataset, iri, max_nodes=budget)
    assert view.number_of_nodes() <= budget
    aggregates = [n for n, d in view.nodes(data=True) if d["kind"] == "aggregate"]
    assert aggregates
    for node in aggregates:
        parent = next(iter(view.predecessors(node)))
        assert view.nodes[parent]["kind"] == "level2"
        assert f"×{len(view.nodes[node]['folded'])}" in view.nodes[node]["label"]
    assert folded_indicator_total(view) == len(project.indicators)
    assert view.graph["notes"]


def test_a_budget_too_small_to_meet_is_reported(seed_records, seed_dataset):
    view = bureau_view(seed_dataset, seed_records[0].bureau, max_nodes=2)
    assert view.number_of_nodes() > 2
    assert any(note.startswith("still") for note in view.graph["notes"])


def test_views_are_deterministic(seed_records):
    first = bureau_view(build_dataset(seed_records), seed_records[1].bureau)
    second = bureau_view(build_dataset(list(seed_records)), seed_records[1].bureau)
    assert list(first.nodes(data=True)) == list(second.nodes(data=True))
    assert list(first.edges) == list(second.edges)


def test_unknown_and_ambiguous_names_are_clear_errors(seed_dataset):
    with pytest.raises(ViewSelectionError, match="no bureau labelled or identified as '不存在局'"):
        bureau_view(seed_dataset, "不存在局")
    with pytest.raises(ViewSelectionError, match="unknown concept 'no-such-concept'"):
        concept_view(seed_dataset, "no-such-concept")
    twice = [DocumentRecord(source=f"{year}.txt", bureau="某局", year=year,
                            projects=[Project(name="同名项目", indicators=[Indicator("产出指标", "数量指标", "人数")])])
             for year in (2023, 2024)]
    with pytest.raises(ViewSelectionError, match="2 projects are labelled '同名项目'; give one by IRI"):
        project_view(build_dataset(twice), "同名项目")
    with pytest.raises(ValueError, match="unknown view"):
        build_view(seed_dataset, "division", "x")


def test_document_text_stays_raw_in_the_graph_and_is_escaped_only_when_rendered():
    records = load_records(json.loads((DATA / "hostile_records.json").read_text(encoding="utf-8")))
    view = bureau_view(build_dataset(records), "测试<b>局</b>&amp;")
    labels = {d["label"] for _, d in view.nodes(data=True)}
    assert "<script>window.__perfkgXss=2</script>" in labels
    assert '<img src=x onerror="window.__perfkgXss=1">项目' in labels


def test_level_nodes_grow_with_their_indicators(seed_records, seed_dataset):
    record, project = largest_projects(seed_records)[2]
    view = project_view(seed_dataset, str(iris.project_iri(record.bureau, record.year, project.code, project.name,
                                                           document=iris.document_key(record))))
    for kind in ("level1", "level2"):
        nodes = [n for n, d in view.nodes(data=True) if d["kind"] == kind]
        below = {n: sum(1 for d in nx.descendants(view, n) if view.nodes[d]["kind"] == "indicator") for n in nodes}
        by_count = sorted(nodes, key=lambda n: below[n])
        assert [view.nodes[n]["size"] for n in by_count] == sorted(view.nodes[n]["size"] for n in nodes)
    level1 = Counter(i.level1 for i in project.indicators)
    biggest = max(level1, key=level1.get)
    sizes = {d["label"]: d["size"] for _, d in view.nodes(data=True) if d["kind"] == "level1"}
    assert sizes[biggest] == max(sizes.values())


def test_concept_view_bureaus_show_their_span_of_targets(seed_dataset):
    concept = "https://w3id.org/perfkg/concept/service-recipient-satisfaction"
    rows = seed_dataset.query("""
        PREFIX pkg: <https://w3id.org/perfkg/ns#>
        SELECT ?bureau ?value ?unit WHERE {
          ?i pkg:concept ?c ; pkg:inProject/pkg:bureau ?bureau ; pkg:target ?t .
          ?t pkg:numericValue ?value ; pkg:unitLabel ?unit }""", initBindings={"c": URIRef(concept)})
    spans: dict[str, list] = {}
    for row in rows:
        spans.setdefault(str(row.bureau), []).append((float(row.value), str(row.unit)))
    view = concept_view(seed_dataset, concept)
    checked = 0
    for bureau, values in spans.items():
        if {u for _, u in values} != {"%"}:
            continue
        low, high = min(v for v, _ in values), max(v for v, _ in values)
        span = f"{low:g} %" if low == high else f"{low:g} – {high:g} %"
        assert dict(view.nodes[bureau]["details"])["targets"] == span
        assert view.nodes[bureau]["label"].endswith("\n" + span)
        checked += 1
    assert checked >= 3
