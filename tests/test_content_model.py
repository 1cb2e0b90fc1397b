"""The content model: its features, the packaged CRF, and the command that refits it from labelled documents."""
from __future__ import annotations

import json
from pathlib import Path

from perfkg.extract import content_model, content_training
from perfkg.extract.content_model import ROLES, document_features, model_summary, tag_tokens
from perfkg.extract.records import load_records
from perfkg.extract.tokens import tokenise_lines

ROOT = Path(__file__).resolve().parents[1]
TABLE = ["项目名称\t城乡居民培训补助", "一级指标\t二级指标\t三级指标\t指标值",
         "产出指标\t数量指标\t培训人数\t≥1200人次",
         "\t质量指标\t培训合格率\t≥95%", "满意度指标\t服务对象满意度指标\t学员满意度\t≥90%"]


def test_the_packaged_model_knows_every_role():
    summary = model_summary()
    assert "content_model.crfsuite" in summary
    tags = {t.split("-", 1)[1] for t in content_model._tagger().labels() if t != "O"}
    assert {"L1", "L2", "L3", "VAL", "PNAME"} <= tags <= set(ROLES)


def test_features_are_a_function_of_the_text():
    tokens = tokenise_lines(TABLE)
    assert document_features(tokens) == document_features(tokenise_lines(TABLE))
    first = document_features(tokens)[tokens.index(next(t for t in tokens if t.text == "产出指标"))]
    assert "lvl1" in first and "lvl1=产出指标" in first and "sep=row" in first


def test_a_plain_table_is_tagged_by_role():
    tokens = tokenise_lines(TABLE)
    roles = {t.text: tag.split("-")[-1] for t, tag in zip(tokens, tag_tokens(tokens))}
    assert roles["产出指标"] == "L1" and roles["质量指标"] == "L2"
    assert roles["培训人数"] == "L3" and roles["≥1200人次"] == "VAL" and roles["学员满意度"] == "L3"
    assert roles["城乡居民培训补助"] == "PNAME" and roles["一级指标"] == "O"


def test_a_column_header_wrapped_in_its_cells_gives_the_columns_their_roles():
    header = ["一级        二级        绩效指标名  指标值", "指标        指标        称"]
    row = "产出指标    数量指标    培训人数    ≥1200人次"
    tokens = tokenise_lines([*header, row])
    columns = dict(zip((t.text for t in tokens), content_model._column_roles(tokens)))
    # by display column: 一级 + 指标 is 一级指标, 绩效指标名 + 称 an indicator name's column
    assert [columns[text][2] for text in ("产出指标", "数量指标", "培训人数", "≥1200人次")] == [
        "level1", "level2", "level3", "value"]
    tokens = tokenise_lines(["一级\t二级\t三级\t指标值", "指标\t指标\t指标", "产出指标\t数量指标\t培训人数\t10人"])
    assert content_model._column_roles(tokens)[-2][3] == "level3"  # by cell index in a delimited row
    tokens = tokenise_lines(["一级指标\t二级指标\t三级指标\t指标值", "产出指标\t数量指标\t培训人数\t10人",
                             "指标\t指标\t人次"])
    assert content_model._wrapped_header_texts(tokens, {0: [0, 1, 2, 3], 1: [4, 5, 6, 7], 2: [8, 9, 10]}).skip == set()


def test_gold_aligns_to_the_tokens_of_a_seed():
    doc = ROOT / "examples/documents/000_5f7560c24654454f.txt"
    raw = json.loads((ROOT / "tests/data/gold/000_5f7560c24654454f.json").read_text(encoding="utf-8"))
    from perfkg.extract.pipeline import source_rows
    from perfkg.extract.tokens import tokenise_rows

    tokens = tokenise_rows(source_rows(doc))
    labels, placed = content_training.label_document(tokens, load_records(raw)[0], raw)
    assert placed == 1.0
    assert sum(lab == "B-L3" for lab in labels) >= sum(len(p["indicators"]) for p in raw["projects"])


def test_both_groups_of_twin_indicator_groups_are_labelled_alike():
    # the gold holds the annual group; its copy under the midterm group is the same kind of cell
    lines = ["项目名称\t养老服务补助", "中长期指标\t\t\t\t年度指标",
             "一级指标\t二级指标\t三级指标\t指标值\t一级指标\t二级指标\t三级指标\t指标值",
             "产出指标\t数量指标\t补助人数\t≥300人\t产出指标\t数量指标\t补助人数\t≥100人",
             "\t质量指标\t累计发放准确率\t100%\t\t质量指标\t发放准确率\t100%"]
    raw = {"source": "t.txt", "projects": [{"name": "养老服务补助", "indicators": [
        {"level1": "产出指标", "level2": "数量指标", "level3": "补助人数", "value": "≥100人"},
        {"level1": "产出指标", "level2": "质量指标", "level3": "发放准确率", "value": "100%"}]}]}
    tokens = tokenise_lines(lines)
    labels, placed = content_training.label_document(tokens, load_records(raw)[0], raw)
    roles = [(t.text, lab.split("-")[-1]) for t, lab in zip(tokens, labels) if t.row >= 3]
    assert placed == 1.0
    assert roles == [("产出指标", "L1"), ("数量指标", "L2"), ("补助人数", "L3"), ("≥300人", "VAL"),
                     ("产出指标", "L1"), ("数量指标", "L2"), ("补助人数", "L3"), ("≥100人", "VAL"),
                     ("质量指标", "L2"), ("累计发放准确率", "L3"), ("100%", "VAL"),
                     ("质量指标", "L2"), ("发放准确率", "L3"), ("100%", "VAL")]
    # one group of names with two value columns: both columns' cells are targets
    lines = ["一级指标\t二级指标\t三级指标\t中期指标值\t年度指标值", "产出指标\t数量指标\t补助人数\t≥300人\t≥100人"]
    raw["projects"][0]["indicators"] = raw["projects"][0]["indicators"][:1]
    tokens = tokenise_lines(lines)
    labels, _ = content_training.label_document(tokens, load_records(raw)[0], raw)
    assert [lab for t, lab in zip(tokens, labels) if t.row == 1][-2:] == ["B-VAL", "B-VAL"]


def test_the_refit_command_writes_a_model_that_tags(tmp_path):
    corpus = content_training.synth_corpus(12, seed=5, sources=("seeds",))
    model = tmp_path / "model.crfsuite"
    content_training.fit(corpus, model, iterations=30)
    try:
        content_model.use_model(str(model))
        tokens = tokenise_lines(TABLE)
        tags = tag_tokens(tokens)
        assert len(tags) == len(tokens) and any(t.endswith("L3") for t in tags)
    finally:
        content_model.use_model(None)


def test_a_document_longer_than_a_chunk_is_tagged_in_chunks_cut_at_row_starts(monkeypatch):
    tokens = tokenise_lines(TABLE * 40)
    whole = tag_tokens(tokens)
    assert whole == list(content_model._tagger().tag(document_features(tokens)))  # one chunk: as fitted
    monkeypatch.setattr(content_model, "CHUNK_TOKENS", 25)
    chunks = content_model._chunks(tokens, 25)
    assert len(chunks) > 5 and chunks[0][0] == 0 and chunks[-1][1] == len(tokens)
    assert all(a[1] == b[0] and tokens[b[0]].sep == "row" for a, b in zip(chunks, chunks[1:]))
    seen = []
    weights = content_model._weights()  # the tagger's (crf_tagger.CrfWeights.tag), counting the tokens it is given
    tag = type(weights).tag
    monkeypatch.setattr(type(weights), "tag", lambda self, x: seen.append(len(x)) or tag(self, x))
    chunked = tag_tokens(tokens)
    # every chunk's features are those of the whole document (context is read across the cut)
    assert seen == [b - a for a, b in chunks] and len(chunked) == len(tokens)
    assert sum(a == b for a, b in zip(chunked, whole)) >= 0.95 * len(whole)


def test_the_numpy_tagger_tags_as_python_crfsuite(tmp_path):
    """The numpy tagger (crf_tagger) reads the model's weights from its file and adds them up in crfsuite's
    order: its tags are crfsuite's, token for token, on the seeds and on generated documents; a file it
    cannot read leaves the tagging to python-crfsuite."""
    from perfkg.extract.crf_tagger import CrfWeights, ModelFormatError
    from perfkg.extract.source_model import SourceDocument
    from perfkg.extract.synth import generate
    from perfkg.extract.tokens import tokenise_rows

    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples" / "documents").glob("*.txt"))]
    texts += [text for _, text, _ in generate(12, 3)]
    assert content_model._weights() is not None
    for n, text in enumerate(texts):
        tokens = tokenise_rows(SourceDocument.from_text(f"{n}.txt", text).rows)
        assert tag_tokens(tokens) == content_model._tagger().tag(document_features(tokens))
    broken = tmp_path / "broken.crfsuite"
    broken.write_bytes(b"lCRF" + bytes(60))
    try:
        CrfWeights.read(broken)
    except ModelFormatError:
        pass
    else:
        raise AssertionError("a file that is no crfsuite model was read")
