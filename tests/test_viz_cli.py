"""``perfkg viz`` through click's CliRunner: each view from a graph file, exit codes, error messages."""
from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from perfkg.kg.cli import cli
from perfkg.kg.graph_io import write_graph


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory, seed_dataset):
    path = tmp_path_factory.mktemp("graph") / "graph.trig"
    write_graph(seed_dataset, path)
    return path


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def node_count(page: str) -> int:
    return int(re.search(r"(\d+) nodes, \d+ edges", page).group(1))


def test_bureau_project_and_concept_views_are_written(tmp_path, graph_file, seed_records):
    record = seed_records[0]
    project = record.projects[0]
    cases = {"bureau": record.bureau, "project": project.name, "concept": "service-recipient-satisfaction"}
    for kind, key in cases.items():
        out = tmp_path / f"{kind}.html"
        result = run("viz", "--data", str(graph_file), f"--{kind}", key, "-o", str(out))
        assert result.exit_code == 0, result.output
        page = out.read_text(encoding="utf-8")
        assert key in page or kind == "concept"
        assert f"{kind} view, {node_count(page)} nodes" in result.output
    project_page = (tmp_path / "project.html").read_text(encoding="utf-8")
    assert node_count(project_page) == 1 + len({i.level1 for i in project.indicators}) + len(
        {(i.level1, i.level2) for i in project.indicators}) + len(project.indicators) + sum(
        1 for i in project.indicators if i.value)


def test_max_nodes_folds_and_says_so(tmp_path, graph_file, seed_records):
    out = tmp_path / "small.html"
    result = run("viz", "--data", str(graph_file), "--bureau", seed_records[0].bureau, "--max-nodes", "30",
                 "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "folded from" in result.output
    page = out.read_text(encoding="utf-8")
    assert node_count(page) <= 30 and "--max-nodes 30" in page


def test_turtle_input_works_too(tmp_path, seed_dataset, seed_records):
    ttl = tmp_path / "graph.ttl"
    write_graph(seed_dataset, ttl)
    result = run("viz", "--data", str(ttl), "--bureau", seed_records[1].bureau, "-o", str(tmp_path / "b.html"))
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("selectors", [[], ["--bureau", "a", "--project", "b"]])
def test_exactly_one_selector_is_a_usage_error(tmp_path, graph_file, selectors):
    result = run("viz", "--data", str(graph_file), *selectors, "-o", str(tmp_path / "x.html"))
    assert result.exit_code == 2
    assert "exactly one of --bureau, --project or --concept" in result.output
    assert not (tmp_path / "x.html").exists()


def test_unknown_name_is_a_usage_error_naming_the_file(tmp_path, graph_file, seed_records):
    result = run("viz", "--data", str(graph_file), "--bureau", "不存在局", "-o", str(tmp_path / "x.html"))
    assert result.exit_code == 2
    assert str(graph_file) in result.output and "不存在局" in result.output
    assert seed_records[0].bureau in result.output  # the known names are listed


def test_unreadable_graph_file_fails_with_its_name(tmp_path):
    bad = tmp_path / "broken.ttl"
    bad.write_text("@prefix pkg: <https://w3id.org/perfkg/ns#> .\npkg:a pkg:b", encoding="utf-8")
    result = run("viz", "--data", str(bad), "--bureau", "x", "-o", str(tmp_path / "x.html"))
    assert result.exit_code == 1
    assert "broken.ttl" in result.output and "Traceback" not in result.output


def test_unwritable_output_fails_cleanly(tmp_path, graph_file, seed_records):
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    result = run("viz", "--data", str(graph_file), "--bureau", seed_records[0].bureau,
                 "-o", str(blocker / "view.html"))
    assert result.exit_code == 1
    assert "cannot write" in result.output and "Traceback" not in result.output
