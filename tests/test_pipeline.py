"""The extraction pipeline over many files: order, parallel workers, failures kept apart."""
from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from perfkg.extract.pipeline import expand_paths, extract_paths
from perfkg.kg.cli import cli

SEEDS = Path(__file__).resolve().parents[1] / "examples" / "documents"


def test_parallel_extraction_equals_serial_in_input_order() -> None:
    serial = [o.record.to_dict() for o in extract_paths([SEEDS])]
    parallel = [o.record.to_dict() for o in extract_paths([SEEDS], jobs=2)]
    assert parallel == serial
    assert [d["source"] for d in serial] == [p.name for p in expand_paths([SEEDS])]


def test_a_failing_document_does_not_stop_the_others(tmp_path) -> None:
    (tmp_path / "a.txt").write_bytes(b"\x00\x01\x02" * 100)
    (tmp_path / "b.txt").write_text((SEEDS / "004_0a8a22fa5a2243d7.txt").read_text(encoding="utf-8"), encoding="utf-8")
    outcomes = list(extract_paths([tmp_path], jobs=2))
    assert [o.path.name for o in outcomes] == ["a.txt", "b.txt"]
    assert outcomes[0].record is None and "a.txt" in outcomes[0].error
    assert outcomes[1].error is None and outcomes[1].record.indicator_count() > 0


def test_cli_jobs_option_gives_the_same_output(tmp_path) -> None:
    runner = CliRunner()
    one = runner.invoke(cli, ["extract", str(SEEDS), "-o", str(tmp_path / "1.json")])
    two = runner.invoke(cli, ["extract", str(SEEDS), "-o", str(tmp_path / "2.json"), "--jobs", "2"])
    assert one.exit_code == 0 and two.exit_code == 0, one.output + two.output
    assert (tmp_path / "1.json").read_text(encoding="utf-8") == (tmp_path / "2.json").read_text(encoding="utf-8")


def test_a_decoder_failure_on_one_document_keeps_the_other_documents(monkeypatch, tmp_path) -> None:
    import perfkg.extract.pipeline as pipeline

    original = pipeline.decode
    calls = []

    def fail_on_second(tokens, tags):
        calls.append(len(tokens))
        if len(calls) == 2:
            raise ValueError("boom")
        return original(tokens, tags)

    monkeypatch.setattr(pipeline, "decode", fail_on_second)
    outcomes = list(pipeline.extract_paths([SEEDS / "000_5f7560c24654454f.txt", SEEDS / "001_7457e2252370b02a.txt",
                                            SEEDS / "004_0a8a22fa5a2243d7.txt"]))
    assert [o.error is None for o in outcomes] == [True, False, True]
    assert "001_7457e2252370b02a.txt" in outcomes[1].error and "boom" in outcomes[1].error
    assert outcomes[2].record.indicator_count() > 0
