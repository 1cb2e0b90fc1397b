"""Every seed's and dev document's gold typeset as XLSX, DOCX and HTML tables (merged level cells, separate
comparator/number/unit columns, extra columns) reads back as exactly the grid that was written."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from container_render import expected_grids, table_specs, write_docx, write_html, write_xlsx
from perfkg.extract.reader import read_source

DATA = Path(__file__).resolve().parent / "data"
GOLDS = sorted((DATA / "gold").glob("*.json")) + sorted((DATA / "dev" / "gold").glob("*.json"))
WRITERS = {"xlsx": write_xlsx, "docx": write_docx, "html": write_html}


def norm(cells) -> list[tuple[str, int, int, int]]:
    return [(" ".join(t.split()), c, rs, cs) for t, c, rs, cs in cells]


def read_grids(doc) -> list[list[list[tuple[str, int, int, int]]]]:
    tables: dict[int, list] = {}
    for row in doc.rows:
        if row.grid:
            cells = [(c.text, c.col, c.row_span, c.col_span) for c in row.cells
                     if c.text or c.row_span > 1 or c.col_span > 1]
            tables.setdefault(row.table, []).append(norm(cells))
    return [[r for r in rows if r] for _, rows in sorted(tables.items())]


@pytest.mark.parametrize("container", sorted(WRITERS))
@pytest.mark.parametrize("gold", GOLDS, ids=[g.stem for g in GOLDS])
def test_typeset_gold_reads_back_as_written(tmp_path, gold, container):
    record = json.loads(gold.read_text(encoding="utf-8"))
    path = WRITERS[container](record, tmp_path / f"{gold.stem}.{container}")
    doc = read_source(path)
    expected = [[norm(row) for row in rows] for rows in expected_grids(record)]
    lines, _ = table_specs(record)
    if container == "xlsx":
        # One sheet, one grid: the lines above the tables are cells too; blank rows separate tables.
        flat = [[(line, 0, 1, 1)] for line in lines] + [row for rows in expected for row in rows]
        assert read_grids(doc) == [flat]
    else:
        assert read_grids(doc) == expected
        assert [r.text for r in doc.rows if not r.grid and r.text.strip()][:2] == lines
