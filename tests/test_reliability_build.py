"""One document never spoils the others (issue 11): document identity in IRIs, documents failing the
shapes left out with the rest written, N-Quads output, unwritable outputs, stale temporaries."""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from perfkg.extract.records import DocumentRecord, Indicator, Project
from perfkg.kg import graph_job, iris
from perfkg.kg.cli import cli
from perfkg.kg.graph_io import load_dataset
from perfkg.kg.graph_read import read_records
from perfkg.kg.iris import PKG

DATA = Path(__file__).resolve().parent / "data" / "reliability"
SEED = sorted((Path(__file__).resolve().parent.parent / "examples" / "documents").iterdir())[1]


def run(*args):
    return CliRunner().invoke(cli, [*map(str, args)])


def _projects(path: Path) -> list:
    from rdflib.namespace import RDF

    return sorted(set(load_dataset(path).subjects(RDF.type, PKG.Project)))


def test_two_documents_of_the_same_name_are_both_kept(tmp_path):
    # 01: two report.txt in different folders; the first vanished from the graph, exit 0
    case = DATA / "01_same_file_name_collision"
    out = tmp_path / "g.trig"
    result = run("build", case / "d1", case / "d2", "-o", out)
    assert result.exit_code == 0, result.output
    extracted = [r for d in ("d1", "d2") for r in graph_job.extract_all([case / d / "report.txt"])[0]]
    back = read_records(load_dataset(out))
    assert "2 documents" in result.output and len(back) == 2
    assert sorted(r.bureau or "" for r in back) == sorted(r.bureau or "" for r in extracted)
    assert len(_projects(out)) == sum(len(r.projects) for r in extracted)


def test_a_revised_copy_is_its_own_graph(tmp_path):
    # 02: two copies holding the same project collided on project IRIs; SHACL failed, nothing written
    out = tmp_path / "g.ttl"
    result = run("build", DATA / "02_revised_document_pair", "-o", out)
    assert result.exit_code == 0, result.output
    assert len(_projects(out)) == 2


def test_the_same_file_read_twice_keeps_its_graph():
    a = DocumentRecord("r.txt", sha256="ab", path="d1/r.txt")
    assert iris.graph_iri(a) == iris.graph_iri(DocumentRecord("r.txt", sha256="ab", path="d1/r.txt"))
    assert iris.graph_iri(a) != iris.graph_iri(DocumentRecord("r.txt", sha256="ab", path="d2/r.txt"))
    assert iris.graph_iri(a) != iris.graph_iri(DocumentRecord("r.txt", sha256="cd", path="d1/r.txt"))
    assert (iris.project_iri("局", 2024, None, "甲", document="k1")
            != iris.project_iri("局", 2024, None, "甲", document="k2"))


def _record(source: str, name: str) -> DocumentRecord:
    sha256 = hashlib.sha256(source.encode()).hexdigest()
    return DocumentRecord(source, "漳州市医疗保障局", 2024, sha256=sha256, path=source, projects=[
        Project(name, indicators=[Indicator("产出指标", "数量指标", "人数", "≥1人", ">=", 1.0, "人", span=(3, 3))],
                span=(1, 3))])


def test_a_document_failing_the_shapes_is_left_out_naming_document_node_and_line(monkeypatch):
    real = graph_job.build_dataset

    def breaking(records, provenance=None):  # the bad document's indicator loses its source document
        ds = real(records, provenance)
        for record in records:
            if record.source == "bad.txt":
                g = ds.graph(iris.graph_iri(record))
                for s in list(g.subjects(PKG.inProject, None)):
                    g.remove((s, PKG.sourceDocument, None))
        return ds

    monkeypatch.setattr(graph_job, "build_dataset", breaking)
    records = [_record("good1.txt", "甲"), _record("bad.txt", "乙"), _record("good2.txt", "丙")]
    ds, report, left_out = graph_job.conforming_dataset(records)
    assert report.conforms
    assert len(left_out) == 1 and left_out[0].startswith("bad.txt: its graph violates the SHACL shapes")
    assert "/indicator/0> (line 3)" in left_out[0]
    assert sorted(r.source for r in read_records(ds)) == ["good1.txt", "good2.txt"]


def test_build_over_a_folder_with_one_broken_document_writes_the_others(monkeypatch, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        shutil.copy(SEED, folder / name)
    real = graph_job.build_dataset

    def breaking(records, provenance=None):
        ds = real(records, provenance)
        for record in records:
            if record.source == "b.txt":
                g = ds.graph(iris.graph_iri(record))
                for s in list(g.subjects(PKG.inProject, None))[:1]:
                    g.remove((s, PKG.sourceDocument, None))
        return ds

    monkeypatch.setattr(graph_job, "build_dataset", breaking)
    out = tmp_path / "g.trig"
    result = run("build", folder, "-o", out)
    assert result.exit_code == 1
    assert "b.txt: its graph violates the SHACL shapes" in result.output and "Traceback" not in result.output
    assert sorted(r.source for r in read_records(load_dataset(out))) == ["a.txt", "c.txt"]


def test_build_writes_n_quads(tmp_path):
    # `build -o x.nq` was a traceback
    out = tmp_path / "x.nq"
    result = run("build", SEED, "-o", out)
    assert result.exit_code == 0, result.output
    assert run("validate", out).exit_code == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines == sorted(lines) and all(line.endswith(" .") for line in lines)


def test_an_unwritable_output_is_one_error_line(monkeypatch, tmp_path):
    import tempfile

    def refuse(*args, **kwargs):  # what a read-only folder does (the tests may run as root)
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    for command in ("build", "extract"):
        result = run(command, SEED, "-o", tmp_path / "out" / "g.ttl")
        assert result.exit_code == 1, result.output
        assert "cannot write" in result.output and "Permission denied" in result.output
        assert "Traceback" not in result.output


def test_an_output_below_a_file_is_one_error_line(tmp_path):
    (tmp_path / "file").write_text("x")
    for command in ("build", "extract"):
        result = run(command, SEED, "-o", tmp_path / "file" / "g.ttl")
        assert result.exit_code == 1 and "cannot write" in result.output, result.output


def test_a_writer_killed_mid_write_leaves_a_temporary_that_the_next_write_removes(tmp_path):
    # kill -9 during build -o left a hidden partial .tmp file
    out = tmp_path / "g.ttl"
    code = ("import os, sys, time\nfrom pathlib import Path\nfrom extract import serialise\n"
            "os.replace = lambda *a: (print('written', flush=True), time.sleep(60))\n"
            f"serialise.write_atomic('partial', Path({str(out)!r}))\n")
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                             cwd=Path(__file__).resolve().parent.parent)
    assert child.stdout.readline().strip() == "written"
    child.kill()
    child.wait()
    leftovers = [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]
    assert leftovers and leftovers[0].startswith(".g.ttl.")
    from perfkg.extract.serialise import write_atomic

    write_atomic("whole", out)
    assert sorted(os.listdir(tmp_path)) == ["g.ttl"] and out.read_text() == "whole"


def test_a_document_the_builder_cannot_build_is_left_out(monkeypatch):
    real = graph_job.build_dataset

    def raising(records, provenance=None):
        if any(r.source == "bad.txt" for r in records):
            raise ValueError("an enricher bug")
        return real(records, provenance)

    monkeypatch.setattr(graph_job, "build_dataset", raising)
    ds, report, left_out = graph_job.conforming_dataset([_record("good1.txt", "甲"), _record("bad.txt", "乙")])
    assert report.conforms and [r.source for r in read_records(ds)] == ["good1.txt"]
    assert left_out == ["bad.txt: its graph could not be built (ValueError: an enricher bug); left out of the graph"]
