"""The document generator (extract/synth, ``perfkg synth``): deterministic, every family present,
gold in the record format and printed in the document it belongs to."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from perfkg.extract.records import load_records
from perfkg.extract.synth import FAMILIES, generate, gold_json, write_corpus
from perfkg.extract.target_values import parse_target_value
from perfkg.extract.text_normalise import compact, to_simplified
from perfkg.kg.cli import cli

N = 200
SEED = 11


@pytest.fixture(scope="module")
def corpus() -> list[tuple[str, str, dict]]:
    return list(generate(N, SEED))


def test_same_n_and_seed_give_the_same_bytes(corpus):
    again = list(generate(N, SEED))
    assert [(n, t, gold_json(g)) for n, t, g in again] == [(n, t, gold_json(g)) for n, t, g in corpus]
    other = list(generate(5, SEED + 1))
    assert [t for _, t, _ in other] != [t for _, t, _ in corpus[:5]]
    assert list(generate(5, SEED))[4][1] == corpus[4][1]  # a prefix of a larger corpus is the same


def test_every_family_appears_in_200_documents(corpus):
    for axis, names in FAMILIES.items():
        seen: set[str] = set()
        for _, _, gold in corpus:
            tag = gold["synth"][axis]
            seen.update(tag if isinstance(tag, list) else [tag])
        assert set(names) <= seen, (axis, sorted(set(names) - seen))


def test_features_of_the_table_grammar_appear(corpus):
    features = {f for _, _, g in corpus for f in g["synth"]["features"]}
    for f in ("labels_merged", "labels_repeated", "recombined", "composed", "cost_level1", "cost_level2",
              "nonstandard_levels", "umbrella_level1", "level1_weights", "groups_out_of_order",
              "weight_first", "weight_after"):
        assert f in features, f
    kinds = {p["kind"] for _, _, g in corpus for p in g["projects"]}
    assert kinds == {"project", "department"}
    assert any(g["bureau"] is None for _, _, g in corpus) and any(g["year"] is None for _, _, g in corpus)


def test_gold_round_trips_through_the_record_model(corpus):
    for name, _, gold in corpus:
        (record,) = load_records(json.loads(gold_json(gold)))
        assert record.source == name
        back = record.to_dict()
        for key in ("source", "bureau", "year"):
            assert back[key] == gold[key]
        assert len(back["projects"]) == len(gold["projects"]) >= 1
        for p, q in zip(back["projects"], gold["projects"]):
            assert p["name"] == q["name"] and p["kind"] in ("project", "department")
            assert [i["level3"] for i in p["indicators"]] == [i["level3"] for i in q["indicators"]]
            assert len(q["indicators"]) >= 1


def test_gold_values_follow_the_value_grammar(corpus):
    for _, _, gold in corpus:
        for p in gold["projects"]:
            for b in ("budget_total", "budget_fiscal", "budget_other"):
                assert p[b] is None or isinstance(p[b], float)
            for ind in p["indicators"]:
                tv = parse_target_value(ind["value"])
                assert (ind["value"], ind["op"], ind["num"], ind["unit"]) == tuple(tv)
                assert ind["level3"] and not re.search(r"\s", ind["level3"])
                assert not re.match(r"^(★|\*|※|指标\d|\d+[.、]|[(（]\d+[)）])", ind["level3"])


def _printed(text: str) -> str:
    return compact(to_simplified(text))


def _shown(s: str, printed: str, wrapped: int) -> bool:
    """``s`` printed whole, or (for wrapped cells) as at most ``wrapped`` pieces."""
    if s in printed:
        return True
    if wrapped < 2:
        return False
    if wrapped == 2:
        return any(s[:k] in printed and s[k:] in printed for k in range(1, len(s)))
    i = pieces = 0
    while i < len(s):
        j = next((j for j in range(len(s), i, -1) if s[i:j] in printed), None)
        if j is None or pieces == wrapped:
            return False
        i, pieces = j, pieces + 1
    return True


_WRAPPING = ("space_wrapped", "wrapped_lines")


def test_the_document_prints_its_gold(corpus):
    for name, text, gold in corpus:
        printed = _printed(text)
        wrapped = (12 if gold["synth"]["family"] in _WRAPPING
                   else 2 if "wrapped_cells" in gold["synth"]["garbling"] else 1)
        for p in gold["projects"]:
            assert _shown(p["name"], printed, wrapped), (name, p["name"])
            if p["goal"]:  # twin goals may be printed piece by piece beside the 中长期 pieces
                pieces = 12 if "twin_goal_rows" in gold["synth"]["features"] else wrapped
                assert _shown(p["goal"], printed, pieces), (name, p["goal"])
            for ind in p["indicators"]:
                assert _shown(ind["level3"], printed, wrapped), (name, ind["level3"])
                if ind["value"] is not None and ind["num"] is None:  # quantities may sit in split columns
                    assert _shown(ind["value"], printed, wrapped), (name, ind["value"])
                for label in (ind["level2"], ind["level1"] if "no_level1" != gold["synth"]["grammar"] else None):
                    if label:
                        assert _shown(label, printed, wrapped), (name, label)
        if gold["bureau"]:
            assert gold["bureau"] in printed, name
        if gold["year"]:
            assert str(gold["year"]) in printed, name


def test_budget_in_yuan_is_gold_in_wanyuan(corpus):
    found = 0
    for _, text, gold in corpus:
        if "budget_yuan" not in gold["synth"]["garbling"]:
            continue
        for p in gold["projects"]:
            if p["budget_total"] is not None:
                yuan = int(round(p["budget_total"] * 10000))
                assert str(yuan) in text.replace(",", ""), p["name"]
                found += 1
    assert found


def test_cli_writes_n_documents_and_n_gold_files(tmp_path: Path):
    out = tmp_path / "corpus"
    result = CliRunner().invoke(cli, ["synth", "--docs", "12", "--seed", "3", "-o", str(out), "--cells"])
    assert result.exit_code == 0, result.output
    assert len(list((out / "cells").glob("*.jsonl"))) == 12
    docs = sorted(p.name for p in (out / "docs").glob("*.txt"))
    gold = sorted(p.name for p in (out / "gold").glob("*.json"))
    assert len(docs) == len(gold) == 12
    assert [Path(d).stem for d in docs] == [Path(g).stem for g in gold]
    again = tmp_path / "again"
    write_corpus(again, 12, 3)
    for d in docs:
        assert (out / "docs" / d).read_bytes() == (again / "docs" / d).read_bytes()


def test_the_corpus_scores_with_perfkg_evaluate(tmp_path: Path):
    out = tmp_path / "corpus"
    write_corpus(out, 6, 5)
    # gold against itself through the evaluate command: perfect, and documents extract without error
    result = CliRunner().invoke(cli, ["evaluate", "--gold", str(out / "gold"), str(out / "gold")])
    assert result.exit_code == 0, result.output
    assert "indicator F1 1.000" in result.output
    result = CliRunner().invoke(cli, ["evaluate", "--json", "--gold", str(out / "gold"), str(out / "docs")])
    assert result.exit_code in (0, 1), result.output
    assert "indicator_f1" in result.output


def test_no_dev_keeps_dev_strings_out():
    dev_dir = Path(__file__).resolve().parent / "data" / "dev" / "gold"
    dev_names = {i["level3"] for f in dev_dir.glob("*.json") for p in json.loads(f.read_text())["projects"]
                 for i in p["indicators"] if len(i["level3"]) >= 8}
    for _, _, gold in generate(60, 2, sources=("seeds",)):
        if "recombined" not in gold["synth"]["features"]:
            continue  # names composed from the vocabulary may meet a dev name by chance
        for p in gold["projects"]:
            for ind in p["indicators"]:
                assert ind["level3"] not in dev_names


def test_labelled_cells_match_the_gold():
    from perfkg.extract.synth import generate_labelled

    for name, _text, gold, cells in generate_labelled(120, SEED):
        assert [c for c, _ in cells if c] and all(c for c, _ in cells)
        if gold["synth"]["family"].startswith("outline"):
            continue
        names = [compact(to_simplified(c)) for c, role in cells if role == "level3"]
        indicators = [i for p in gold["projects"] for i in p["indicators"]]
        assert len(names) == len(indicators), name
        for printed, ind in zip(names, indicators):
            assert printed.endswith(ind["level3"]), (name, printed, ind["level3"])  # a marker may come first
        values = [parse_target_value(to_simplified(c)).value for c, role in cells if role == "value"]
        assert all(v in values for v in (i["value"] for i in indicators if i["value"] and i["num"] is None)), name



def test_wide_summary_prints_groups_side_by_side(corpus):
    wide = [(n, t, g) for n, t, g in corpus if g["synth"]["grammar"] == "wide_summary"]
    assert len(wide) >= 10
    features = {f for _, _, g in wide for f in g["synth"]["features"]}
    for f in ("wide_unit_row", "wide_shifted", "wide_header_repeated", "wide_wrapped_names", "wide_level2",
              "wide_header_2_rows", "wide_header_3_rows", "wide_groups_shuffled"):
        assert f in features, f
    assert {g["synth"]["family"] for _, _, g in wide} >= {"tab", "space_aligned"}
    for name, text, gold in wide:
        assert len(gold["projects"]) >= 2
        lines = [_printed(line) for line in text.split("\n")]
        for p in gold["projects"]:
            assert p["goal"] is None
            for ind in p["indicators"]:
                # the level-1 name is a column group's name, printed in a header row before the rows
                assert any(ind["level1"] in line for line in lines), (name, ind["level1"])
                if "wide_level2" not in gold["synth"]["features"]:
                    assert ind["level2"] is None
        if "wide_shifted" in gold["synth"]["features"]:
            assert any(p["budget_other"] is None for p in gold["projects"]), name


def test_title_only_names_are_printed_before_the_title_word():
    from perfkg.extract.synth import generate_labelled

    seen = 0
    for name, _text, gold, cells in generate_labelled(N, SEED):
        if "title_name" not in gold["synth"]["garbling"]:
            continue
        seen += 1
        titles = [compact(to_simplified(c)) for c, role in cells if role == "project_title"]
        assert len(titles) == len(gold["projects"]), name
        for title, p in zip(titles, gold["projects"]):
            m = re.fullmatch(r"(?:\d+、|（[一二三四五]）)?(.+?)(项目绩效目标表|绩效目标表|项目绩效自评表|绩效自评表)",
                             title)
            assert m and m.group(1) == p["name"], (name, title, p["name"])
            assert not p["name"].endswith("项目")
        # the name is in no 项目名称 cell
        assert not any(role == "project_name" for _, role in cells), name
    assert seen >= 5


def _column_tokens(line: str) -> list[tuple[int, str]]:
    """(display offset, text) of the cells of a space-aligned line (cells apart by two spaces or more)."""
    from perfkg.extract.synth.containers import display_width

    out = []
    for m in re.finditer(r"\S+(?: \S+)*", line):
        out.append((display_width(line[:m.start()]), m.group(0)))
    return out


def test_wrapped_families_print_the_pieces_in_their_column(corpus):
    aligned = lines_seen = 0
    for name, text, gold in corpus:
        family = gold["synth"]["family"]
        if family == "wrapped_lines":
            printed = _printed(text)
            for p in gold["projects"]:
                for ind in p["indicators"]:
                    assert ind["level3"] in printed, (name, ind["level3"])  # the pieces follow each other
            lines_seen += 1
        if family != "space_wrapped":
            continue
        lines = [_column_tokens(to_simplified(line)) for line in text.split("\n")]
        for p in gold["projects"]:
            for ind in p["indicators"]:
                target = ind["level3"]
                found = False
                for i, row in enumerate(lines):
                    for x, piece in row:
                        acc = re.sub(r"^(★|\*|※|指标\d+[:：]?|\d+[.、]|[(（]\d+[)）])", "", compact(piece))
                        j = i + 1
                        while target.startswith(acc) and acc != target and j < len(lines):
                            nxt = [t for off, t in lines[j] if off == x]
                            if not nxt:
                                break
                            acc += compact(nxt[0])
                            j += 1
                        if acc == target:
                            found = True
                            break
                    if found:
                        break
                assert found, (name, target)
        aligned += 1
    assert aligned >= 5 and lines_seen >= 5


def test_twin_groups_come_in_three_layouts_and_the_gold_holds_the_annual_side(corpus):
    from perfkg.extract.synth import generate_labelled

    layouts = set()
    for name, _text, gold, cells in generate_labelled(N, SEED):
        if gold["synth"]["grammar"] != "twin_groups":
            continue
        layouts.update(f for f in gold["synth"]["features"] if f.startswith("twin_"))
        annual = [compact(to_simplified(c)) for c, role in cells if role == "value"]
        indicators = [i for p in gold["projects"] for i in p["indicators"]]
        assert [compact(to_simplified(c)) for c, role in cells if role == "level3"] == [i["level3"] for i in indicators]
        assert len(annual) == sum(1 for i in indicators if i["value"]), name
        if "twin_goal_rows" in gold["synth"]["features"]:
            goals = ["".join(compact(to_simplified(c)) for c, role in cells if role == "goal")]
            assert goals[0] == "".join(p["goal"] or "" for p in gold["projects"]), name
    assert layouts >= {"twin_full", "twin_name_value", "twin_value_columns", "twin_goal_rows"}


def test_long_documents_keep_their_figures_apart_from_the_tables():
    from perfkg.extract.synth import generate_labelled

    seen = own = 0
    for name, text, gold, cells in generate_labelled(N, SEED):
        if "long_document" not in gold["synth"]["garbling"]:
            continue
        seen += 1
        printed = _printed(text)
        assert "三公" in printed and ("收支" in printed or "政府采购" in printed), name
        budgets = {round(x * s, 2) for p in gold["projects"]
                   for x in (p["budget_total"], p["budget_fiscal"], p["budget_other"])
                   if x is not None for s in (1, 10000)}
        for c, role in cells:
            outline = gold["synth"]["family"].startswith("outline")  # an outline prints its budget as text
            if role == "other" or role == "text" and "万元" in c and not outline:
                for m in re.finditer(r"\d+(?:\.\d+)?", c.replace(",", "")):
                    assert float(m.group(0)) not in budgets, (name, c)
        if gold["synth"]["grammar"] in ("standard", "extra_columns", "no_level1", "no_level2", "split_value",
                                        "self_evaluation", "twin_groups"):
            own += 1
            assert len(gold["projects"]) >= 2, name
            titles = [compact(to_simplified(c)) for c, role in cells if role == "project_title"]
            assert len(titles) == len(gold["projects"]), name
            for title, p in zip(titles, gold["projects"]):
                assert p["name"] in title, (name, title, p["name"])
    assert seen >= 8 and own >= 4
