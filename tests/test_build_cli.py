"""``perfkg build`` and ``perfkg validate`` through click's CliRunner: output, summary, failures, exit codes."""
from __future__ import annotations

import re
import shutil

import pytest
from click.testing import CliRunner
from rdflib import Literal

from perfkg.kg import graph_job
from perfkg.kg.cli import cli
from perfkg.kg.graph_io import load_dataset, union_graph
from perfkg.kg.graph_read import read_records
from perfkg.kg.iris import PKG
from tests.conftest import SEED_DIR

SUMMARY = re.compile(r"(\d+) documents, (\d+) bureaus, (\d+) projects, (\d+) indicators, (\d+) triples")


def run(*args, env=None):
    return CliRunner().invoke(cli, [*map(str, args)], env=env)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("build") / "graph.ttl"
    result = run("build", SEED_DIR, "-o", out, env={"SOURCE_DATE_EPOCH": "1735689600"})
    return result, out


def test_build_writes_a_conforming_graph_and_prints_the_summary(built, seed_records):
    result, out = built
    assert result.exit_code == 0, result.output
    found = SUMMARY.search(result.output)
    assert found, result.output
    docs, bureaus, projects, indicators, triples = map(int, found.groups())
    assert docs == len(seed_records)
    assert bureaus == len({r.bureau for r in seed_records if r.bureau})
    assert projects == sum(len(r.projects) for r in seed_records)
    assert indicators == sum(r.indicator_count() for r in seed_records)
    loaded = load_dataset(out)
    assert triples == len(union_graph(loaded))
    assert read_records(loaded) == sorted(seed_records, key=lambda r: r.source)


def test_build_is_byte_identical_when_run_again(built, tmp_path):
    _, first = built
    again = tmp_path / "again.ttl"
    assert run("build", SEED_DIR, "-o", again, env={"SOURCE_DATE_EPOCH": "1735689600"}).exit_code == 0
    assert again.read_bytes() == first.read_bytes()  # the run's start time is SOURCE_DATE_EPOCH


@pytest.mark.parametrize("fmt", ["nt", "jsonld", "trig"])
def test_build_other_formats(tmp_path, seed_records, fmt):
    seed = sorted(SEED_DIR.iterdir())[0]
    out = tmp_path / "graph.out"
    result = run("build", seed, "-o", out, "--format", fmt)
    assert result.exit_code == 0, result.output
    shutil.copy(out, tmp_path / f"graph.{fmt}")
    back = read_records(load_dataset(tmp_path / f"graph.{fmt}"))
    assert back == [r for r in seed_records if r.source == seed.name]


def test_validate_accepts_the_built_graph(built):
    _, out = built
    result = run("validate", out)
    assert result.exit_code == 0, result.output
    assert "conforms" in result.output


def test_validate_rejects_a_crafted_invalid_graph_naming_the_node(built, tmp_path):
    _, out = built
    g = union_graph(load_dataset(out))
    indicator = sorted(g.subjects(PKG.inProject, None))[0]
    target = sorted(g.subjects(PKG.comparator, None))[0]
    g.remove((indicator, PKG.lineStart, None))
    g.set((target, PKG.comparator, Literal("约等于")))
    bad = tmp_path / "bad.ttl"
    bad.write_text(g.serialize(format="turtle"), encoding="utf-8")
    result = run("validate", bad)
    assert result.exit_code == 1
    assert f"<{indicator}>" in result.output and "lineStart" in result.output
    assert f"<{target}>" in result.output and "comparator" in result.output


def test_validate_reports_an_unreadable_file_without_a_traceback(tmp_path):
    bad = tmp_path / "broken.ttl"
    bad.write_text("this is not turtle <<<", encoding="utf-8")
    result = run("validate", bad)
    assert result.exit_code == 1
    assert "broken.ttl" in result.output
    assert "Traceback" not in result.output


def test_build_refuses_a_graph_that_violates_the_shapes(monkeypatch, tmp_path):
    real_build = graph_job.build_dataset

    def broken_build(records, provenance=None):
        ds = real_build(records, provenance)
        for g in ds.graphs():
            for indicator in list(g.subjects(PKG.sourceDocument, None)):
                if (indicator, PKG.inProject, None) in g:
                    g.remove((indicator, PKG.sourceDocument, None))
                    return ds
        return ds

    monkeypatch.setattr(graph_job, "build_dataset", broken_build)
    out = tmp_path / "graph.ttl"
    result = run("build", sorted(SEED_DIR.iterdir())[0], "-o", out)
    assert result.exit_code == 1
    assert "violates the SHACL shapes" in result.output
    assert re.search(r"<https://w3id\.org/perfkg/id/project/[0-9a-f]+/indicator/\d+> \(<[^>]*sourceDocument>\)",
                     result.output), result.output
    assert not out.exists()


def test_build_usage_errors_exit_2(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run("build", empty, "-o", tmp_path / "g.ttl").exit_code == 2
    result = run("build", sorted(SEED_DIR.iterdir())[0], "-o", tmp_path / "g.unknown")
    assert result.exit_code == 2
    assert "g.unknown" in result.output
    assert run("build").exit_code == 2


def test_build_goes_on_past_an_unreadable_document(tmp_path, seed_records):
    docs = tmp_path / "docs"
    docs.mkdir()
    seed = sorted(SEED_DIR.iterdir())[0]
    shutil.copy(seed, docs / seed.name)
    (docs / "zz_binary.txt").write_bytes(b"\x00\xff\xfe" * 100)
    out = tmp_path / "graph.ttl"
    result = run("build", docs, "-o", out)
    assert result.exit_code == 1
    assert "zz_binary.txt" in result.output
    assert read_records(load_dataset(out)) == [r for r in seed_records if r.source == seed.name]
