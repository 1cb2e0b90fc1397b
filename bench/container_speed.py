"""Container read speed: ``read_source`` time per container (PDF, XLSX, XLS, DOCX, HTML) on typical files.

Run with ``make bench`` or ``.venv/bin/python bench/container_speed.py [--repeat 5]``. The files are
made here: a seed's gold typeset as one table per project (XLSX, DOCX, HTML, XLS), a one-page
PDF table printed by headless chromium (skipped without chromium), and the real workbook x01.
Each figure is the best of ``--repeat`` reads after one warm-up read (library imports excluded;
they are printed apart). Nothing is asserted: speed is measured, never tested.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from container_render import write_docx, write_html, write_xlsx  # noqa: E402
from pdf_printing import CHROMIUM, print_pdf  # noqa: E402
from perfkg.extract.reader import read_source  # noqa: E402

GOLD = ROOT / "tests" / "data" / "gold" / "000_5f7560c24654454f.json"
X01 = ROOT / "tests" / "data" / "dev" / "xlsx" / "x01_zhanjiang-rensheju-2024-zhengti.xlsx"
ONE_PAGE = """<h3>某某县卫生健康局2025年项目绩效目标表</h3><p>单位：万元</p><table>
<tr><td>项目名称</td><td colspan="3">家庭医生签约服务补助</td></tr>
<tr><th>一级指标</th><th>二级指标</th><th>三级指标</th><th>指标值</th></tr>""" + "".join(
    f"<tr><td>产出指标</td><td>数量指标</td><td>重点人群签约人数{i}</td><td>≥{i}万人</td></tr>"
    for i in range(20)) + "</table>"


def write_xls(record: dict, path: Path) -> Path | None:
    try:
        import xlwt
    except ImportError:
        return None
    from container_render import table_specs

    lines, tables = table_specs(record)
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Sheet1")
    r = 0
    for line in lines:
        sheet.write(r, 0, line)
        r += 1
    for rows in tables:
        for row in rows:
            for c in row:
                if c.row_span > 1 or c.col_span > 1:
                    sheet.write_merge(r, r + c.row_span - 1, c.col, c.col + c.col_span - 1, c.text)
                elif c.text:
                    sheet.write(r, c.col, c.text)
            r += 1
        r += 1
    book.save(str(path))
    return path


def timed(path: Path, repeat: int) -> tuple[float, float, int]:
    """(first read, best of ``repeat`` reads after it, rows)."""
    start = time.perf_counter()
    doc = read_source(path)
    first = time.perf_counter() - start
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        read_source(path)
        best = min(best, time.perf_counter() - start)
    return first, best, len(doc.rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    record = json.loads(GOLD.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        files = {
            "xlsx (real workbook x01)": X01,
            "xlsx (seed 000, 11 tables)": write_xlsx(record, d / "seed.xlsx"),
            "xls (seed 000)": write_xls(record, d / "seed.xls"),
            "docx (seed 000)": write_docx(record, d / "seed.docx"),
            "html (seed 000)": write_html(record, d / "seed.html"),
        }
        if CHROMIUM is not None:
            files["pdf (one-page table)"] = print_pdf(ONE_PAGE, d / "one_page.pdf")
            files["pdf (seed 000, all pages)"] = print_pdf(write_html(record, d / "p.html").read_text(encoding="utf-8"),
                                                          d / "seed.pdf")
        print(f"container read times (read_source), best of {args.repeat} after a first read incl. imports")
        print(f"{'file':32} {'rows':>6} {'first s':>8} {'best s':>8}")
        for label, path in files.items():
            if path is None:
                print(f"{label:32} skipped (xlwt not installed)")
                continue
            first, best, rows = timed(path, args.repeat)
            print(f"{label:32} {rows:6d} {first:8.3f} {best:8.3f}")
        if CHROMIUM is None:
            print("pdf: skipped (no chromium; `make browser` installs it)")


if __name__ == "__main__":
    main()
