"""``perfkg evaluate`` through click's CliRunner: record files, documents extracted on the fly, exit codes."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from perfkg.kg.cli import cli

GOLD_DIR = Path(__file__).resolve().parent / "data" / "gold"
SEED_004 = Path(__file__).resolve().parent.parent / "examples" / "documents" / "004_0a8a22fa5a2243d7.txt"
GOLD_004 = GOLD_DIR / "004_0a8a22fa5a2243d7.json"


def run(*args: str):
    return CliRunner().invoke(cli, ["evaluate", *args])


@pytest.fixture
def gold_copy(tmp_path: Path) -> Path:
    """The gold of seed 004 used as a prediction: a perfect score."""
    target = tmp_path / "pred.json"
    shutil.copy(GOLD_004, target)
    return target


def test_gold_against_itself_is_perfect(gold_copy):
    result = run("--gold", str(GOLD_004), str(gold_copy))
    assert result.exit_code == 0, result.output
    assert "indicator F1 1.000" in result.output
    assert "004_0a8a22fa5a2243d7.txt" in result.output  # the per-document table


def test_json_output_and_min_f1(tmp_path, gold_copy):
    data = json.loads(GOLD_004.read_text(encoding="utf-8"))
    data["projects"][0]["indicators"] = data["projects"][0]["indicators"][1:]
    damaged = tmp_path / "damaged.json"
    damaged.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = run("--gold", str(GOLD_004), str(damaged), "--json")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    gold_count = report["all"]["indicators_gold"]
    assert report["all"]["indicators_correct"] == gold_count - 1
    assert report["all"]["indicator_r"] == pytest.approx((gold_count - 1) / gold_count)
    assert report["misses"][0]["kind"] == "missing_indicator"
    assert run("--gold", str(GOLD_004), str(damaged), "--min-f1", "0.999").exit_code == 1
    assert run("--gold", str(GOLD_004), str(damaged), "--min-f1", "0.9").exit_code == 0


def test_verbose_lists_every_miss(tmp_path):
    data = json.loads(GOLD_004.read_text(encoding="utf-8"))
    level3 = data["projects"][0]["indicators"][0]["level3"]
    data["projects"][0]["indicators"][0]["level1"] = "效益指标"
    pred = tmp_path / "pred.jsonl"
    pred.write_text(json.dumps(data, ensure_ascii=False) + "\n", encoding="utf-8")
    result = run("--gold", str(GOLD_004), str(pred), "--verbose")
    assert result.exit_code == 0
    assert f"'{level3}' level1 gold='成本指标' pred='效益指标'" in result.output
    assert "misses (1)" in result.output


def test_documents_are_extracted_on_the_fly():
    result = run("--gold", str(GOLD_DIR), str(SEED_004), "--predicted-only", "--json")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert [d["source"] for d in report["documents"]] == [SEED_004.name]
    assert report["all"]["indicators_pred"] > 0
    whole = run("--gold", str(GOLD_DIR), str(SEED_004), "--json")
    assert len(json.loads(whole.stdout)["documents"]) == 5  # gold without prediction counts as missed


def test_unreadable_inputs(tmp_path, gold_copy):
    bad = tmp_path / "bad.json"
    bad.write_text('{"source": "a.txt",\n "projects": [}', encoding="utf-8")
    result = run("--gold", str(bad), str(gold_copy))
    assert result.exit_code == 1
    assert f"{bad}: line 2" in result.stderr
    binary = tmp_path / "scan.txt"
    binary.write_bytes(bytes(range(256)) * 8)
    result = run("--gold", str(GOLD_004), str(gold_copy), str(binary))
    assert result.exit_code == 1
    assert str(binary) in result.stderr
    assert "indicator F1 1.000" in result.stdout  # the readable prediction is still scored


def test_usage_errors_exit_2(tmp_path, gold_copy):
    assert run(str(gold_copy)).exit_code == 2  # no --gold
    assert run("--gold", str(GOLD_004)).exit_code == 2  # no prediction
    assert run("--gold", str(tmp_path / "missing.json"), str(gold_copy)).exit_code == 2


def test_a_directory_of_documents_is_extracted_and_paired(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(SEED_004, docs / SEED_004.name)
    result = run("--gold", str(GOLD_DIR), str(docs), "--json")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    by_source = {d["source"]: d for d in report["documents"]}
    assert by_source[SEED_004.name]["has_prediction"]
    assert sum(d["has_prediction"] for d in report["documents"]) == 1
    assert report["all"]["indicators_pred"] == by_source[SEED_004.name]["all"]["indicators_pred"] > 0
