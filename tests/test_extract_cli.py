"""``perfkg extract`` through click's CliRunner: formats, directories, bad and truncated inputs, exit codes."""
from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from perfkg.extract.records import load_records
from perfkg.extract.serialise import CSV_COLUMNS
from perfkg.kg.cli import cli

DOCUMENTS = Path(__file__).resolve().parent.parent / "examples" / "documents"
SEED = DOCUMENTS / "000_5f7560c24654454f.txt"
GOLD = Path(__file__).resolve().parent / "data" / "gold" / "000_5f7560c24654454f.json"


def run(*args: str):
    return CliRunner().invoke(cli, ["extract", *map(str, args)])


def records_without_hash(data) -> list[dict]:
    """Records as dicts, without the byte hash (which differs between encodings of one text)."""
    return [{k: v for k, v in r.to_dict().items() if k != "sha256"} for r in load_records(data)]


@pytest.fixture(scope="module")
def seed_json(tmp_path_factory) -> list[dict]:
    out = tmp_path_factory.mktemp("seed") / "records.json"
    result = run(SEED, "-o", out)
    assert result.exit_code == 0, result.output
    return records_without_hash(json.loads(out.read_text(encoding="utf-8")))


def test_json_round_trips_through_load_records(tmp_path, seed_json):
    assert len(seed_json) == 1 and seed_json[0]["source"] == SEED.name
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    assert [p["name"] for p in seed_json[0]["projects"]][:3] == [p["name"] for p in gold["projects"]][:3]
    again = tmp_path / "again.json"
    again.write_text(json.dumps(seed_json, ensure_ascii=False), encoding="utf-8")
    assert records_without_hash(json.loads(again.read_text(encoding="utf-8"))) == seed_json


def test_jsonl_has_one_document_a_line_and_round_trips(tmp_path, seed_json):
    out = tmp_path / "records.jsonl"
    result = run(DOCUMENTS, "--format", "jsonl", "-o", out)
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(list(DOCUMENTS.glob("*.txt")))
    records = [r for line in lines for r in records_without_hash(json.loads(line))]
    assert [r["source"] for r in records] == sorted(p.name for p in DOCUMENTS.glob("*.txt"))
    assert records[0] == seed_json[0]


def test_csv_has_one_row_per_indicator(seed_json):
    result = run(SEED, "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == CSV_COLUMNS
    expected = [(p["name"], i["level3"], i["value"] or "") for p in seed_json[0]["projects"] for i in p["indicators"]]
    assert [(r["project"], r["level3"], r["value"]) for r in rows] == expected


def test_directory_extracts_every_document(tmp_path):
    out = tmp_path / "all.json"
    result = run(DOCUMENTS, "-o", out)
    assert result.exit_code == 0
    records = load_records(json.loads(out.read_text(encoding="utf-8")))
    assert [r.source for r in records] == sorted(p.name for p in DOCUMENTS.glob("*.txt"))
    assert f"{len(records)} documents" in result.stderr


def test_binary_input_fails_by_name_and_the_rest_is_written(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(SEED, docs / SEED.name)
    (docs / "scan.txt").write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 20)
    out = tmp_path / "out.json"
    result = run(docs, "-o", out)
    assert result.exit_code == 1
    # The bytes say PDF, whatever the name: read as one, and refused as a broken one.
    assert "scan.txt" in result.stderr and "not a readable PDF" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 2
    records = load_records(json.loads(out.read_text(encoding="utf-8")))
    assert [r.source for r in records] == [SEED.name]


def test_empty_file_fails_by_name(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = run(empty, SEED, "--format", "jsonl")
    assert result.exit_code == 1
    assert f"{empty}: empty file" in result.stderr
    assert len(result.stdout.splitlines()) == 1


def test_usage_errors_exit_2(tmp_path):
    assert run().exit_code == 2
    missing = run(tmp_path / "nowhere.txt")
    assert missing.exit_code == 2 and "nowhere.txt" in missing.stderr
    assert run(SEED, "--format", "xml").exit_code == 2
    empty_dir = tmp_path / "nothing"
    empty_dir.mkdir()
    assert run(empty_dir).exit_code == 2


def test_gbk_copy_gives_the_same_records(tmp_path, seed_json):
    gbk = tmp_path / SEED.name
    gbk.write_bytes(SEED.read_text(encoding="utf-8").encode("gbk"))
    result = run(gbk)
    assert result.exit_code == 0, result.stderr
    assert records_without_hash(json.loads(result.stdout)) == seed_json


def _truncated_seed(tmp_path: Path, last_line: str, keep: int) -> dict:
    """The seed cut after ``keep`` lines inside its fifth table, ending with a half-written ``last_line``."""
    lines = SEED.read_text(encoding="utf-8").split("\n")[:keep] + [last_line]
    path = tmp_path / SEED.name
    path.write_text("\n".join(lines), encoding="utf-8")
    result = run(path)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_truncated_table_keeps_complete_rows_and_flags_the_cut_row(tmp_path):
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["projects"]
    cut_project = gold[4]["name"]
    lines = SEED.read_text(encoding="utf-8").split("\n")
    keep = next(n for n, line in enumerate(lines) if line.endswith("\t提高")) - 1  # a row of the fifth table
    cut_row = lines[keep].split("\t")
    half = "\t".join(cut_row[:-1])[:-1]  # the value and the name's last character lost
    projects = _truncated_seed(tmp_path, half, keep)["projects"]
    assert [p["name"] for p in projects] == [p["name"] for p in gold[:5]]
    assert projects[4]["name"] == cut_project
    for got, want in zip(projects[:4], gold[:4]):
        assert [(i["level3"], i["value"]) for i in got["indicators"]] == [
            (i["level3"], i["value"]) for i in want["indicators"]]
    *complete, last = projects[4]["indicators"]
    assert [(i["level3"], i["value"]) for i in complete] == [
        (i["level3"], i["value"]) for i in gold[4]["indicators"][:len(complete)]]
    assert last["value"] is None and last["level3"] == cut_row[-2][:-1]
    assert any(f["code"] == "value_missing" for f in last["flags"])


def test_table_cut_after_its_labels_flags_the_lost_row(tmp_path):
    lines = SEED.read_text(encoding="utf-8").split("\n")
    keep = next(n for n, line in enumerate(lines) if line.endswith("\t提高")) + 1
    document = _truncated_seed(tmp_path, "\t满意度指标\t服务对象满意度", keep)
    fifth = document["projects"][4]
    # every complete row; the cut one is either left out or read with no value, but never silently
    assert len(fifth["indicators"]) in (8, 9)
    flagged = (document.get("flags", []) + fifth.get("flags", [])
               + [f for i in fifth["indicators"] for f in i.get("flags", [])])
    assert any(f.get("line") == keep + 1 for f in flagged), "the half-written last row is dropped without a flag"


def test_unwritable_output_is_an_error_not_a_traceback(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    result = run(SEED, "-o", blocker / "out.json")  # parent is a file
    assert result.exit_code == 1
    assert f"cannot write {blocker / 'out.json'}" in result.stderr


def test_a_parser_failure_names_the_document_and_the_rest_is_written(tmp_path, monkeypatch):
    from perfkg.extract import pipeline

    real = pipeline.extract_document

    def failing(path):
        if Path(path).name.startswith("001"):
            raise IndexError("list index out of range")
        return real(path)

    monkeypatch.setattr(pipeline, "extract_document", failing)
    out = tmp_path / "out.jsonl"
    result = run(DOCUMENTS, "--format", "jsonl", "-o", out)
    assert result.exit_code == 1
    assert "001_7457e2252370b02a.txt: extraction failed (IndexError" in result.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) == len(list(DOCUMENTS.glob("*.txt"))) - 1
