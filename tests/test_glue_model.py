"""The run-together cell model: seams of cells printed with no separator (extract/glue_model.py)."""
from __future__ import annotations

from pathlib import Path

import pytest

from perfkg.extract import glue_model, glue_training
from perfkg.extract.crf_tagger import CrfWeights
from perfkg.extract.pipeline import extract_document
from perfkg.extract.tokens import cell_cuts, cut_glued, glue_cuts, tokenise_lines

DEV = Path(__file__).parent / "data" / "dev" / "docs"


def _pieces(text: str, cuts: tuple[int, ...]) -> list[str]:
    bounds = [0, *cuts, len(text)]
    return [text[a:b] for a, b in zip(bounds, bounds[1:])]


@pytest.fixture(scope="module")
def held_out_runs() -> list[tuple[str, list[str]]]:
    # seed 6: the packaged model was fitted on seed 5's documents
    return glue_training.training_runs(40, 6)


def test_model_finds_seams_the_rules_miss_on_generated_runs(held_out_runs):
    tp = {"rules": 0, "cells": 0}
    predicted = {"rules": 0, "cells": 0}
    gold_total = 0
    for text, labels in held_out_runs:
        gold = {i for i, y in enumerate(labels) if i and y == glue_model.CELL_START}
        gold_total += len(gold)
        for key, cuts in (("rules", glue_cuts(text)), ("cells", cell_cuts(text))):
            tp[key] += len(gold & set(cuts))
            predicted[key] += len(cuts)
    recall = {k: tp[k] / gold_total for k in tp}
    precision = {k: tp[k] / predicted[k] for k in tp}
    assert recall["cells"] > recall["rules"] + 0.05
    assert recall["cells"] >= 0.9
    assert precision["cells"] >= 0.95


def test_model_seams_are_added_to_the_rules_never_taken_away(held_out_runs):
    for text, _ in held_out_runs[:200]:
        assert set(glue_cuts(text)) <= set(cell_cuts(text))


def test_a_sentence_stays_whole_and_a_comparator_keeps_its_number():
    # a goal sentence, then level and indicator cells run together (the b06 family)
    text = ("以办公大楼服务对象满意为目标，着力打造文明型机关。"
            "数量指标办公大楼日常维修维护次数达到2280次质量指标验收合格率≥92%")
    pieces = cut_glued(text, undelimited=True)
    assert "以办公大楼服务对象满意为目标，着力打造文明型机关。" in pieces
    assert "达到2280次" in pieces and "≥92%" in pieces
    assert "数量指标" in pieces and "质量指标" in pieces


def test_a_delimited_cell_is_cut_by_the_rules_alone():
    # a tab or pipe cell, or a container's grid cell, is a cell: the model looks only at lines without
    run = ("数量指标开展学生资助活动次数≥101场成本校舍维修支出"
           "学前教育补助标准2535元/平方米效益减轻受助学生经济负担持续改善")
    assert cut_glued(run, undelimited=True) != cut_glued(run)
    assert [t.text for t in tokenise_lines([run])] == cut_glued(run, undelimited=True)
    assert [t.text for t in tokenise_lines(["指标\t" + run])][1:] == cut_glued(run)


def test_run_together_document_is_read():
    # b06: an OCR'd .docx whose whole table is one line (held out from the model's fit: generated only)
    doc = extract_document(DEV / "b06_ezhou_office_building_ocr.txt")
    names = {i.level3 for p in doc.projects for i in p.indicators}
    assert "经常性大型设备更新验收合格率" in names
    assert "大楼安检巡察次数" in names


def test_refit_writes_a_model_the_tagger_reads(tmp_path):
    runs = glue_training.training_runs(3, 1)
    model = tmp_path / "glue.crfsuite"
    glue_training.fit(runs, model, iterations=20)
    weights = CrfWeights.read(model)
    assert set(weights.labels) == {glue_model.CELL_START, glue_model.INSIDE}
    glue_model.use_model(str(model))
    try:
        text, _ = runs[0]
        assert isinstance(glue_model.model_cuts(text, glue_cuts(text)), tuple)
    finally:
        glue_model.use_model(None)
