"""No tracebacks (issue 11): GBK file names, unreadable folders, bad and network-reaching queries, dead
workers through the CLI; CSV cells neutralised against formula injection (extract, query, compare)."""
from __future__ import annotations

import json
import os
import shutil
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from perfkg.extract import pipeline
from perfkg.kg.cli import cli

SEEDS = Path(__file__).resolve().parent.parent / "examples" / "documents"
SEED = sorted(SEEDS.iterdir())[1]
GBK_NAME = os.fsdecode("绩效目标表.txt".encode("gbk"))  # what an unzipped Chinese archive gives


def run(*args):
    return CliRunner().invoke(cli, [*map(str, args)])


@pytest.fixture(scope="module")
def graph(tmp_path_factory):
    out = tmp_path_factory.mktemp("g") / "g.ttl"
    assert run("build", SEED, "-o", out).exit_code == 0
    return out


def test_gbk_file_names_are_extracted_and_built(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(SEED, folder / GBK_NAME)
    result = run("extract", folder, "-o", tmp_path / "r.json")
    assert result.exit_code == 0, result.output
    record = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert record["source"] == "绩效目标表.txt"
    assert record["flags"][0]["code"] == "file_name_not_utf8"
    result = run("build", folder, "-o", tmp_path / "g.ttl")
    assert result.exit_code == 0, result.output
    assert "绩效目标表.txt" in (tmp_path / "g.ttl").read_text(encoding="utf-8")


def test_an_error_about_a_gbk_named_file_is_printable(tmp_path):
    bad = tmp_path / GBK_NAME
    bad.write_bytes(b"\x00" * 4000)
    result = run("extract", bad)
    assert result.exit_code == 1 and "绩效目标表.txt: not a text document" in result.output
    assert "Traceback" not in result.output


def test_an_unreadable_subfolder_is_one_error_and_the_rest_is_extracted(tmp_path, monkeypatch):
    folder = tmp_path / "docs"
    (folder / "locked").mkdir(parents=True)
    shutil.copy(SEED, folder / "a.txt")
    shutil.copy(SEED, folder / "locked" / "b.txt")
    real = os.scandir

    def scandir(path="."):  # a folder without read permission (tests may run as root)
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = run("extract", folder, "-o", tmp_path / "r.json")
    assert result.exit_code == 1
    assert "locked: cannot read the folder (Permission denied)" in result.output
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["source"] == "a.txt"


def test_a_query_with_a_bad_regex_is_a_query_error(tmp_path, graph):
    rq = tmp_path / "bad.rq"
    rq.write_text('SELECT ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(REGEX(?l, "(")) }\n')
    result = run("query", rq, "--data", graph)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.startswith(f"error: {rq}:") and "unterminated subpattern" in result.output


class _Recorder(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 (http.server's naming)
        _Recorder.hits.append(self.path)
        self.send_response(500)
        self.end_headers()

    do_POST = do_GET

    def log_message(self, *args):
        pass


@pytest.fixture
def endpoint():
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Recorder.hits = []
    yield f"http://127.0.0.1:{server.server_port}/sparql"
    server.shutdown()


@pytest.mark.parametrize("pattern", ["SELECT ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
                                     "SELECT ?s FROM <{url}> WHERE {{ ?s ?p ?o }}",
                                     "select ?s where {{ service silent <{url}> {{ ?s ?p ?o }} }}"])
def test_service_and_from_never_make_a_request_unless_allowed(tmp_path, graph, endpoint, pattern):
    rq = tmp_path / "remote.rq"
    rq.write_text(pattern.format(url=endpoint))
    result = run("query", rq, "--data", graph)
    assert result.exit_code == 1 and "reaches the network" in result.output and "--allow-service" in result.output
    assert _Recorder.hits == []


def test_allow_service_lets_the_request_through(tmp_path, graph, endpoint):
    rq = tmp_path / "remote.rq"
    rq.write_text(f"SELECT ?s WHERE {{ SERVICE <{endpoint}> {{ ?s ?p ?o }} }}")
    run("query", rq, "--data", graph, "--allow-service")
    assert _Recorder.hits  # proof that the refusal above is what kept the request from being made


def test_the_word_service_in_a_string_or_comment_is_no_service():
    from perfkg.kg.query_guard import remote_parts

    assert remote_parts('# SERVICE\nSELECT ?s WHERE { ?s ?p "SERVICE from" . ?s pkg:from ?from }') == []


def _starts(text: str, prefix: str) -> bool:
    import csv
    import io

    return any(cell.startswith(prefix) for row in csv.reader(io.StringIO(text)) for cell in row)


def _formula_record_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    text = SEED.read_text(encoding="utf-8")
    name = pipeline.extract_document(SEED).projects[0].indicators[0].level3
    (folder / "f.txt").write_text(text.replace(name, "=" + name), encoding="utf-8")  # a formula to a spreadsheet
    return folder


def test_extract_csv_neutralises_formulas_raw_keeps_them_excel_adds_a_bom(tmp_path):
    folder = _formula_record_dir(tmp_path)
    safe = run("extract", folder, "--format", "csv").stdout
    assert _starts(safe, "'=") and not _starts(safe, "=")
    raw = run("extract", folder, "--format", "csv", "--raw").stdout
    assert _starts(raw, "=") and not _starts(raw, "'=")
    assert run("extract", folder, "--format", "csv", "--excel").stdout.startswith("\ufeff")


def test_query_and_compare_csv_neutralise_formulas(tmp_path):
    from perfkg.extract.csv_safe import neutralise

    assert [neutralise(v) for v in ("=1+1", "+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx", "-5", "+3.5", "≥90%")] == \
        ["'=1+1", "'+cmd", "'-2+3", "'@SUM(A1)", "'\tx", "'\rx", "-5", "+3.5", "≥90%"]
    folder = _formula_record_dir(tmp_path)
    graph = tmp_path / "g.ttl"
    assert run("build", folder, "-o", graph).exit_code == 0
    rq = tmp_path / "names.rq"
    rq.write_text("SELECT ?l WHERE { ?i a <https://w3id.org/perfkg/ns#Indicator> ; "
                  "<http://www.w3.org/2000/01/rdf-schema#label> ?l }")
    out = run("query", rq, "--data", graph, "--format", "csv").stdout
    assert _starts(out, "'=") and not _starts(out, "=")
    assert _starts(run("query", rq, "--data", graph, "--format", "csv", "--raw").stdout, "=")
    assert run("query", rq, "--data", graph, "--format", "csv", "--excel").stdout.startswith("\ufeff")


def test_a_killed_worker_under_jobs_2_is_one_error_line_and_the_others_are_written(tmp_path, monkeypatch):
    import signal

    folder = tmp_path / "docs"
    folder.mkdir()
    for name in ("a.txt", "b_dies.txt", "c.txt", "d.txt"):
        shutil.copy(SEED, folder / name)
    real = pipeline.extract_document

    def dying(path):
        if "dies" in str(path):
            os.kill(os.getpid(), signal.SIGKILL)  # as the OOM killer would
        return real(path)

    monkeypatch.setattr(pipeline, "extract_document", dying)
    for attempt in range(3):  # it deadlocked once in three and crashed the other two
        out = tmp_path / f"r{attempt}.json"
        result = run("extract", folder, "--jobs", "2", "-o", out)
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert "b_dies.txt: the worker was killed" in result.output
        assert [r["source"] for r in json.loads(out.read_text(encoding="utf-8"))] == ["a.txt", "c.txt", "d.txt"]


def test_a_document_past_the_time_limit_is_one_error_line(tmp_path, monkeypatch):
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in ("a.txt", "b_spins.txt"):
        shutil.copy(SEED, folder / name)
    real = pipeline.extract_document

    def spinning(path):
        while "spins" in str(path):
            pass
        return real(path)

    monkeypatch.setattr(pipeline, "extract_document", spinning)
    out = tmp_path / "r.json"
    result = run("extract", folder, "--timeout", "1", "-o", out)
    assert result.exit_code == 1 and "b_spins.txt: over the time limit of 1 s CPU" in result.output
    assert json.loads(out.read_text(encoding="utf-8"))["source"] == "a.txt"
