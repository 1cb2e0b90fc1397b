"""``perfkg extract DIR`` on a directory mixing every container and bad inputs: one-line errors, the rest extracted."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from container_render import write_docx, write_html, write_xlsx
from pdf_printing import CHROMIUM, print_pdf
from perfkg.extract.records import load_records
from perfkg.kg.cli import cli

ROOT = Path(__file__).resolve().parent
SEED = ROOT.parent / "examples" / "documents" / "000_5f7560c24654454f.txt"
GOLD = ROOT / "data" / "gold" / "001_7457e2252370b02a.json"
X01 = ROOT / "data" / "dev" / "xlsx" / "x01_zhanjiang-rensheju-2024-zhengti.xlsx"


def test_mixed_directory_extracts_every_good_file_and_names_each_bad_one(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    record = json.loads(GOLD.read_text(encoding="utf-8"))
    shutil.copy(SEED, docs / SEED.name)
    shutil.copy(X01, docs / X01.name)
    write_xlsx(record, docs / "typeset.xlsx")
    write_docx(record, docs / "typeset.docx")
    write_html(record, docs / "typeset.html")
    good = {SEED.name, X01.name, "typeset.xlsx", "typeset.docx", "typeset.html"}
    if CHROMIUM is not None:
        print_pdf((docs / "typeset.html").read_text(encoding="utf-8"), tmp_path / "typeset.pdf")
        shutil.move(tmp_path / "typeset.pdf", docs / "typeset.pdf")
        good.add("typeset.pdf")
    data = (docs / "typeset.xlsx").read_bytes()
    (docs / "truncated.xlsx").write_bytes(data[: len(data) // 2])
    Image.new("RGB", (300, 400), "white").save(docs / "scan.pdf")
    (docs / "broken.pdf").write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 4)
    bad = {"truncated.xlsx", "scan.pdf", "broken.pdf"}
    out = tmp_path / "records.json"
    result = CliRunner().invoke(cli, ["extract", str(docs), "-o", str(out)])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == len(bad) and "Traceback" not in result.stderr
    for name in bad:
        assert sum(name in line for line in errors) == 1
    assert any("scan.pdf" in line and "OCR" in line for line in errors)
    records = load_records(json.loads(out.read_text(encoding="utf-8")))
    assert {r.source for r in records} == good
    typeset = [r for r in records if r.source.startswith("typeset.")]
    assert all(r.projects and sum(len(p.indicators) for p in r.projects) for r in typeset)


@pytest.mark.parametrize("suffix", [".pdf", ".xlsx", ".xls", ".docx", ".xlsm"])
def test_directories_pick_up_container_files(tmp_path, suffix):
    from perfkg.extract.pipeline import expand_paths

    (tmp_path / f"a{suffix}").write_bytes(b"x")
    assert [p.name for p in expand_paths([tmp_path])] == [f"a{suffix}"]
