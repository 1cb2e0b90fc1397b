"""The flag codes records carry: one registry of every code, where it is put and what it means.

A flag (``records.Flag``) keeps what the reader could not place or had to change, so nothing is
dropped silently. Its code must be one of ``FLAG_CODES``: ``Flag("typo", …)`` raises at once, so a
misspelt or undocumented code cannot reach a record. The README's flag table is this registry
(a test compares them, and checks that every ``Flag("…")`` in the code base names a code here).
Flags read back from files (``Flag.read``) keep their code as written: gold files and graphs
of other versions may hold codes this one no longer emits.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FlagCode:
    code: str
    on: tuple[str, ...]  # the records it is put on: document, project, indicator, bureau (in the graph)
    meaning: str


_CODES = (
    # reading the file (extract/reader.py, extract/pipeline.py, extract/containers/)
    FlagCode("undecodable_bytes", ("document",),
             "bytes that are not valid in the document's encoding, replaced by U+FFFD"),
    FlagCode("control_characters", ("document",),
             "NUL bytes or stray control characters, dropped (NUL) or read as spaces"),
    FlagCode("line_too_long", ("document",), "a line (cell) longer than the per-line limit, cut at the limit"),
    FlagCode("too_many_cells", ("document",),
             "a line cut into more cells than the per-line limit: the rest of the line read as one cell"),
    FlagCode("csv_unreadable", ("document",),
             "a CSV export the csv module cannot split (e.g. an unclosed quote), read as text lines"),
    FlagCode("span_clamped", ("document",),
             "an HTML rowspan/colspan beyond the HTML standard's bounds, clamped to them"),
    FlagCode("file_name_not_utf8", ("document",),
             "a file name that is not UTF-8 (e.g. GBK from an unzipped archive), shown decoded"),
    # decoding the tables (extract/row_decoder.py, extract/pipeline.py)
    FlagCode("no_tables", ("document",), "no performance-target table was found in the document"),
    FlagCode("not_a_table", ("document",),
             "name-like cells (before a table header, or with no level or value) not read as indicators"),
    FlagCode("level_without_indicator", ("document",), "a level label with no indicator row under it"),
    FlagCode("value_without_name", ("document",), "a target value with no indicator name before it, not kept"),
    FlagCode("value_missing", ("indicator",), "no target value could be read for the indicator"),
    FlagCode("second_value", ("indicator",), "a second target value for the indicator, not kept"),
    FlagCode("cell_not_kept", ("indicator",),
             "a comparator, unit, actual, weight, points or description cell the indicator already has, or that "
             "does not read as one: its text kept here"),
    FlagCode("unplaced_cells", ("project",),
             "cells inside the table (or before its first indicator on that row) that no field takes, "
             "one flag per line"),
    FlagCode("header_without_table", ("document",),
             "project-header cells followed by another project name, or the document's end, before any indicator"),
    FlagCode("header_value_not_kept", ("document",),
             "a second budget, code or goal cell of a project header, or a budget cell that reads as no amount"),
    # checking the records (extract/checks.py)
    FlagCode("no_indicators", ("project",), "a project table with no readable indicator rows"),
    FlagCode("budget_inconsistent", ("project",), "fiscal + other budget differ from the total by more than 0.01 万元"),
    FlagCode("value_reordered", ("indicator",),
             "a target printed number, comparator, unit (92≥%) or comparator, unit, number (≤%0.6) run together, "
             "read as comparator, number, unit"),
    FlagCode("weight_glued", ("indicator",),
             "a weight run together with the target after it (5184个 for weight 5 and target 184个), read apart by the "
             "weights the table prints before its targets"),
    FlagCode("comparator_ocr", ("indicator",),
             "a comparator misread by OCR (工90%, 二2367元, 292% for ≥92%) read as the comparator it stood for; the "
             "value kept as printed"),
    FlagCode("budget_unit_from_target", ("project",),
             "budget amounts printed with no unit, read in 元 because a target of the project prints the same "
             "amount in 元"),
    FlagCode("budget_from_budget_table", ("project",),
             "the project's budget was read from the document's budget table, not its own table"),
    FlagCode("duplicate_indicator", ("indicator",), "the same name and value as an earlier indicator of the project"),
    FlagCode("level1_nonstandard", ("indicator",), "a level-1 name that is not in the national framework"),
    FlagCode("number_out_of_range", ("document", "project", "indicator"),
             "a number too large to be a quantity or budget: left empty, the printed value kept"),
    # building the graph (kg/divisions.py)
    FlagCode("division_unresolved", ("bureau",), "no administrative division could be found in the bureau's name"),
    FlagCode("division_ambiguous", ("bureau",),
             "the bureau's name names a county that several cities have; one was taken without a city to confirm it"),
    # hand-written (extract/records.py)
    FlagCode("note", ("document", "project", "indicator"), "a flag written as plain text in a record file"),
)
FLAG_CODES: dict[str, FlagCode] = {c.code: c for c in _CODES}


def check_code(code: str) -> str:
    """``code`` when it is registered; a ValueError (a bug in the emitter, not in the input) otherwise."""
    if code not in FLAG_CODES:
        raise ValueError(f"unknown flag code {code!r}: register it in perfkg.extract.flags (and the README)")
    return code
