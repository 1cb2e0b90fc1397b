"""``perfkg evaluate`` prints the same figures as the reference scorer, on real and damaged predictions.

The reference scorer is vendored as test data (tests/reference/score.py, unchanged but for its
provenance header); nothing here reads outside the repository. Every figure the scorer reports is
compared exactly: bureau and year accuracy, and per kind (project, department, all) the counts,
project / name / indicator precision, recall and F1 and every accuracy (project_name, level1,
level2, op, num, unit, code, budgets, goal); also the summary line on stderr and the printed text
report. The scorer's list of misses must appear, in order, among perfkg's (which adds op, num,
unit and goal disagreements).

Inputs: the seeds (gold vs. the current extractor's records), the dev set (where the extractor
misses a lot), and predictions damaged here in the ways the matching rules care about.
"""
from __future__ import annotations

import contextlib
import copy
import importlib.util
import io
import json
import random
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from perfkg.kg.cli import cli

TESTS = Path(__file__).resolve().parent
SEED_GOLD = TESTS / "data" / "gold"
DEV_GOLD = TESTS / "data" / "dev" / "gold"
DEV_DOCS = TESTS / "data" / "dev" / "docs"
REFERENCE = TESTS / "reference" / "score.py"

Doc = dict[str, Any]


def _load_reference():
    spec = importlib.util.spec_from_file_location("reference_score", REFERENCE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ref = _load_reference()


# ---------------------------------------------------------------- inputs


def _gold_docs(directory: Path) -> list[Doc]:
    return [json.loads(f.read_text(encoding="utf-8")) for f in sorted(directory.glob("*.json"))]


@pytest.fixture(scope="module")
def seed_gold() -> list[Doc]:
    return _gold_docs(SEED_GOLD)


@pytest.fixture(scope="module")
def seed_predictions(seed_records) -> list[Doc]:
    return [r.to_dict() for r in seed_records]


@pytest.fixture(scope="module")
def dev_predictions() -> list[Doc]:
    from perfkg.extract.pipeline import extract_paths

    return [o.record.to_dict() for o in extract_paths([DEV_DOCS]) if o.error is None]


def _write(directory: Path, docs: list[Doc]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for i, d in enumerate(docs):
        (directory / f"{i:03d}.json").write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    return directory


# ---------------------------------------------------------------- the comparison


def _section(text: str, header: str) -> str:
    lines = text.splitlines()
    start = lines.index(header) + 1
    end = next((i for i in range(start, len(lines)) if not lines[i].startswith("  ")), len(lines))
    return "\n".join(lines[start:end])


def assert_agreement(tmp_path: Path, gold: Path | list[Doc], pred: list[Doc]) -> dict[str, Any]:
    """Score with the reference scorer and with ``perfkg evaluate``; every figure must be the same."""
    gold_path = gold if isinstance(gold, Path) else _write(tmp_path / "gold", gold)
    pred_path = tmp_path / "pred.json"
    pred_path.write_text(json.dumps(pred, ensure_ascii=False), encoding="utf-8")
    counts, ref_misses = ref.score(ref.load([str(gold_path)]), ref.load([str(pred_path)]))
    expected = ref.summarise(counts)

    runner = CliRunner()
    as_json = runner.invoke(cli, ["evaluate", "--gold", str(gold_path), str(pred_path), "--json"])
    assert as_json.exit_code == 0, as_json.output
    ours = json.loads(as_json.stdout)
    assert ours["bureau_acc"] == expected["bureau_acc"]
    assert ours["year_acc"] == expected["year_acc"]
    expected_kinds = {k for k, v in expected.items() if isinstance(v, dict)}
    assert {k for k, v in ours.items() if isinstance(v, dict)} == expected_kinds
    for kind in expected_kinds:
        want, got = expected[kind], ours[kind]
        assert {k: got.get(k) for k in want} == want, kind
        assert {k for k in got if k.endswith("_acc")} == {k for k in want if k.endswith("_acc")}, kind
    assert as_json.stderr.strip().splitlines()[-1] == f"indicator_f1={expected['all']['indicator_f1']:.4f}"

    text = runner.invoke(cli, ["evaluate", "--gold", str(gold_path), str(pred_path), "--verbose"])
    assert text.exit_code == 0, text.output
    report = text.stdout
    first = report.splitlines()[0]
    assert f"bureau {expected['bureau_acc']:.3f}" in first and f"year {expected['year_acc']:.3f}" in first
    for kind in expected_kinds:
        want, section = expected[kind], _section(report, f"[{kind}]")
        for label in ("indicator", "name", "project"):
            assert f"{label} F1 {want[label + '_f1']:.3f}" in section, (kind, label, section)
        for key, value in want.items():
            if key.endswith("_acc"):
                assert f"{key[:-4]} {value:.3f}" in section, (kind, key, section)
        assert f"gold {want['indicators_gold']}  pred {want['indicators_pred']}" in section
        assert f"project F1 {want['project_f1']:.3f}" in section and f"gold {want['projects_gold']}" in section

    listed = report.split("\nmisses (", 1)[1].splitlines()[1:]
    ours_misses = [_canonical(line[2:]) for line in listed]
    ref_misses = [_canonical(m) for m in ref_misses]
    _assert_subsequence(ref_misses, ours_misses)
    extra = [m for m in ours_misses if m not in set(ref_misses)]
    assert all(re.search(r"\b(op|num|unit|goal) gold=", m) for m in extra), extra[:5]
    return expected


def _canonical(miss: str) -> str:
    """A miss line with an empty name and a null one alike (perfkg's records hold both as "")."""
    return re.sub(r"^([^:]*): : ", r"\1: None: ", miss).replace("''", "None")


def _assert_subsequence(needles: list[str], haystack: list[str]) -> None:
    it = iter(haystack)
    for i, needle in enumerate(needles):
        assert any(needle == line for line in it), f"miss {i} not listed in order: {needle}"


# ---------------------------------------------------------------- real predictions


def test_seeds_agree(tmp_path, seed_predictions):
    assert_agreement(tmp_path, SEED_GOLD, seed_predictions)


def test_dev_set_agrees(tmp_path, dev_predictions):
    summary = assert_agreement(tmp_path, DEV_GOLD, dev_predictions)
    assert summary["all"]["indicator_f1"] < 1.0  # the point: plenty of misses to agree on


def test_dev_predictions_against_seed_gold_agree(tmp_path, dev_predictions, seed_predictions):
    """Every gold document unpredicted, every prediction unscored."""
    assert_agreement(tmp_path, SEED_GOLD, dev_predictions + seed_predictions[:1])


# ---------------------------------------------------------------- damaged predictions

MARKERS = ("★", "★★★", "*", "※", "指标1:", "指标2：", "1.", "(1)", "（2）", "1、")


def _projects(docs: list[Doc]):
    for d in docs:
        yield from d["projects"]


def _indicators(docs: list[Doc]):
    for p in _projects(docs):
        yield from p["indicators"]


def drop_indicators(gold: list[Doc]) -> tuple[list[Doc], list[Doc]]:
    pred = copy.deepcopy(gold)
    for p in _projects(pred):
        p["indicators"] = [i for n, i in enumerate(p["indicators"]) if n % 3 != 1]
    pred[0]["projects"] = pred[0]["projects"][1:]
    return gold, pred


def rename_for_containment(gold: list[Doc]) -> tuple[list[Doc], list[Doc]]:
    pred = copy.deepcopy(gold)
    for n, p in enumerate(_projects(pred)):
        name = p["name"]
        p["name"] = f"2024年{name}项目" if n % 3 == 0 else name[2:] if n % 3 == 1 and len(name) >= 6 else name[:3]
    return gold, pred


def leave_single_unpaired(gold: list[Doc]) -> tuple[list[Doc], list[Doc]]:
    pred = copy.deepcopy(gold)
    for n, d in enumerate(pred):
        projects = d["projects"]
        projects[-1]["name"] = "完全不同的名称"
        if n == 1 and len(projects) > 2:
            projects[0]["name"] = "另一个不同的名称"  # two left on each side: no pairing
        if n == 2 and len(projects) > 2:
            del projects[1]  # one gold left over more than predictions
            projects[0]["name"] = "又一个名称"
    return gold, pred


def swap_values(gold: list[Doc]) -> tuple[list[Doc], list[Doc]]:
    pred = copy.deepcopy(gold)
    for n, p in enumerate(_projects(pred)):
        inds = p["indicators"]
        for a, b in zip(inds[0::2], inds[1::2]):
            if n % 3 == 0:
                a["value"], b["value"] = b["value"], a["value"]  # op/num/unit may still agree
            elif n % 3 == 1:
                for key in ("value", "op", "num", "unit"):
                    a[key], b[key] = b[key], a[key]
            else:
                a["num"], b["num"] = b["num"], a["num"]
    return gold, pred


def add_markers(gold: list[Doc]) -> tuple[list[Doc], list[Doc]]:
    pred = copy.deepcopy(gold)
    for n, i in enumerate(_indicators(pred)):
        if n % 2:
            i["level3"] = MARKERS[n % len(MARKERS)] + i["level3"]
    return gold, pred


def traditional(gold: list[Doc]) -> tuple[list[Doc], list[Doc]]:
    import opencc

    s2t = opencc.OpenCC("s2t").convert
    pred = copy.deepcopy(gold)
    for n, d in enumerate(pred):
        if n % 2 == 0:
            d["bureau"] = s2t(d["bureau"])
        for m, p in enumerate(d["projects"]):
            if m % 2 == 0:
                p["name"] = s2t(p["name"])
            for k, i in enumerate(p["indicators"]):
                for key in ("level1", "level2", "level3", "value", "unit") if k % 2 else ("value",):
                    if i.get(key):
                        i[key] = s2t(i[key])
    return gold, pred


def duplicate_names(gold: list[Doc]) -> tuple[list[Doc], list[Doc]]:
    gold = copy.deepcopy(gold)
    for n, d in enumerate(gold):
        for m, p in enumerate(d["projects"]):
            if p["kind"] == "project":
                p["name"] = "同名项目" if m % 2 else "同名项目资金"
                p["code"] = f"C{m % 3}" if n % 2 else p["code"]
    pred = copy.deepcopy(gold)
    for n, d in enumerate(pred):
        d["projects"].reverse()
        for m, p in enumerate(d["projects"]):
            if n == 0:
                p["code"] = None  # budgets decide
            elif n == 1:
                p["budget_total"] = None
            elif n == 2 and m % 2:
                p["code"], p["budget_total"] = None, None  # neither: the first left
    return gold, pred


def empty_predictions(gold: list[Doc]) -> tuple[list[Doc], list[Doc]]:
    pred = [{"source": d["source"], "bureau": None, "year": None, "projects": []} for d in gold]
    pred[1] = copy.deepcopy(gold[1])
    for p in pred[1]["projects"]:
        p["indicators"] = []
    return gold, pred


def missing_documents(gold: list[Doc]) -> tuple[list[Doc], list[Doc]]:
    pred = [copy.deepcopy(d) for n, d in enumerate(gold) if n not in (1, 3)]
    pred.append({"source": "zzz_not_in_gold.txt", "bureau": "某局", "year": 2024, "projects": []})
    return gold, pred


def kinds_and_extras(gold: list[Doc]) -> tuple[list[Doc], list[Doc]]:
    pred = copy.deepcopy(gold)
    for n, p in enumerate(_projects(pred)):
        if n % 4 == 0:
            p["kind"] = "department" if p["kind"] == "project" else "project"
    for n, d in enumerate(pred):
        d["projects"].append({"name": f"多出的项目{n}", "code": None, "kind": ("department", "project", None)[n % 3],
                              "budget_total": 1.0, "indicators": [{"level1": "产出指标", "level2": None,
                                                                   "level3": "多余", "value": "1个"}]})
    return gold, pred


def value_spellings(gold: list[Doc]) -> tuple[list[Doc], list[Doc]]:
    pred = copy.deepcopy(gold)
    for n, i in enumerate(_indicators(pred)):
        value = i.get("value") or ""
        i["value"] = [f"文字描述：{value}", value.replace("%", "百分比"), value.replace("≥", "≧").replace("≤", "≦"),
                      f" {value} ", value.replace("%", "％"), f"文字描述:{value}"][n % 6]
        if n % 7 == 0 and i.get("op"):
            i["op"] = f" {i['op']} "
        if n % 11 == 0:
            i["unit"] = "百分比" if i.get("unit") == "%" else i.get("unit")
    return gold, pred


def budgets_codes_goals(gold: list[Doc]) -> tuple[list[Doc], list[Doc]]:
    for n, p in enumerate(_projects(gold)):
        if n % 5 == 4:
            p["goal"] = ""  # an empty gold goal is not scored
    pred = copy.deepcopy(gold)
    for n, p in enumerate(_projects(pred)):
        for key in ("budget_total", "budget_fiscal", "budget_other"):
            if isinstance(p.get(key), float):
                p[key] = [p[key] * (1 + 5e-7), p[key] + 1e-4, p[key] + 0.5e-6, None][n % 4]
        if p.get("code"):
            p["code"] = [f" {p['code']} ", p["code"] + "1", None][n % 3]
        if p.get("goal"):
            p["goal"] = [p["goal"][:-1], " " + p["goal"], None][n % 3]
    return gold, pred


def levels(gold: list[Doc]) -> tuple[list[Doc], list[Doc]]:
    pred = copy.deepcopy(gold)
    for n, i in enumerate(_indicators(pred)):
        if n % 3 == 0:
            i["level2"] = None
        elif n % 3 == 1:
            i["level1"] = "效益指标" if i["level1"] != "效益指标" else "产出指标"
        if n % 5 == 0:
            i["op"], i["unit"] = None, "%"
    return gold, pred


def duplicate_sources(gold: list[Doc]) -> tuple[list[Doc], list[Doc]]:
    damaged = [{"source": d["source"], "bureau": "别的局", "year": 1999, "projects": []} for d in gold]
    pred = damaged + [copy.deepcopy(d) for d in gold[:3]]  # the last of a file name counts
    for d in pred[-3:]:
        d["source"] = "some/dir/" + d["source"]
    return gold, pred


def bureau_and_year(gold: list[Doc]) -> tuple[list[Doc], list[Doc]]:
    pred = copy.deepcopy(gold)
    variants = [lambda b: b + "（汇总）", lambda b: b[2:], lambda b: None, lambda b: "某县财政局", lambda b: b]
    for n, d in enumerate(pred):
        d["bureau"] = variants[n % len(variants)](d["bureau"])
        d["year"] = [d["year"], d["year"] - 1, None][n % 3]
    return gold, pred


def duplicate_level3(gold: list[Doc]) -> tuple[list[Doc], list[Doc]]:
    gold = copy.deepcopy(gold)
    for p in _projects(gold):
        for i in p["indicators"][::3]:
            i["level3"] = "重复的指标"
    pred = copy.deepcopy(gold)
    for p in _projects(pred):
        p["indicators"].reverse()
        for n, i in enumerate(p["indicators"]):
            if n % 4 == 0 and i["level3"] == "重复的指标":
                i["value"] = "改了的值"
    return gold, pred


DAMAGE: dict[str, Callable[[list[Doc]], tuple[list[Doc], list[Doc]]]] = {f.__name__: f for f in (
    drop_indicators, rename_for_containment, leave_single_unpaired, swap_values, add_markers, traditional,
    duplicate_names, empty_predictions, missing_documents, kinds_and_extras, value_spellings,
    budgets_codes_goals, levels, duplicate_sources, bureau_and_year, duplicate_level3)}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_damaged_seed_gold_agrees(tmp_path, seed_gold, damage):
    gold, pred = DAMAGE[damage](copy.deepcopy(seed_gold))
    assert_agreement(tmp_path, gold, pred)


@pytest.mark.parametrize("damage", ["drop_indicators", "rename_for_containment", "leave_single_unpaired",
                                    "add_markers", "duplicate_names"])
def test_damaged_extractor_output_on_the_dev_set_agrees(tmp_path, dev_predictions, damage):
    _, pred = DAMAGE[damage](copy.deepcopy([d for d in dev_predictions if d["projects"]]))
    assert_agreement(tmp_path, DEV_GOLD, pred)


def test_empty_gold_and_no_predictions_agree(tmp_path):
    gold = [{"source": "a.txt", "bureau": "某局", "year": 2024, "projects": []}]
    assert_agreement(tmp_path, gold, [])


# ---------------------------------------------------------------- random damage


def _random_damage(gold: list[Doc], rng: random.Random) -> tuple[list[Doc], list[Doc]]:
    gold = copy.deepcopy(gold)
    for p in _projects(gold):  # gold with shared names and shared level3 too
        if rng.random() < 0.2:
            p["name"] = rng.choice(["同名项目", "同名项目资金", "项目"])
        for i in p["indicators"]:
            if rng.random() < 0.1:
                i["level3"] = "同名指标"
    pred = copy.deepcopy(gold)
    rng.shuffle(pred)
    pred = [d for d in pred if rng.random() > 0.1]
    for d in pred:
        if rng.random() < 0.2:
            d["bureau"] = rng.choice([None, "", "某局", d["bureau"][1:], d["bureau"] + "本级"])
        if rng.random() < 0.1:
            d["year"] = rng.choice([None, 2020])
        projects = [p for p in d["projects"] if rng.random() > 0.1]
        if rng.random() < 0.3:
            rng.shuffle(projects)
        if rng.random() < 0.2 and d["projects"]:
            projects.append(copy.deepcopy(rng.choice(d["projects"])))
        for p in projects:
            r = rng.random()
            if r < 0.1:
                p["name"] = "前缀" + p["name"]
            elif r < 0.15:
                p["name"] = p["name"][:rng.randint(0, 5)]
            elif r < 0.2:
                p["name"] = "无关项目" + str(rng.randint(0, 3))
            if rng.random() < 0.1:
                p["kind"] = rng.choice(["project", "department", None])
            if rng.random() < 0.15:
                p["code"] = rng.choice([None, "C1", "C2", p.get("code")])
            if rng.random() < 0.15:
                p["budget_total"] = rng.choice([None, 1.0, 0.5000001, (p.get("budget_total") or 0) * 1.0000001])
            if rng.random() < 0.1:
                p["goal"] = rng.choice([None, "", "目标"])
            inds = [i for i in p["indicators"] if rng.random() > 0.1]
            if rng.random() < 0.2 and p["indicators"]:
                inds.append(copy.deepcopy(rng.choice(p["indicators"])))
            if rng.random() < 0.3:
                rng.shuffle(inds)
            for i in inds:
                r = rng.random()
                if r < 0.05:
                    i["level3"] = rng.choice(MARKERS) + i["level3"]
                elif r < 0.1:
                    i["value"] = rng.choice([None, "", "有效", "文字描述：" + str(i.get("value")), "100%"])
                elif r < 0.15:
                    i["num"] = rng.choice([None, 0.0, 100.0, (i.get("num") or 0) + 1e-9])
                elif r < 0.2:
                    i["op"] = rng.choice([None, ">=", "<=", "="])
                elif r < 0.25:
                    i["unit"] = rng.choice([None, "%", "百分比", "万元"])
                elif r < 0.3:
                    i["level1"] = rng.choice([None, "产出指标", "效益指标"])
                elif r < 0.35:
                    i["level2"] = rng.choice([None, "数量指标", "质量指标"])
            p["indicators"] = inds
        d["projects"] = projects
    return gold, pred


@pytest.mark.parametrize("seed", range(25))
def test_randomly_damaged_predictions_agree(tmp_path, seed_gold, seed):
    gold, pred = _random_damage(seed_gold, random.Random(seed))
    assert_agreement(tmp_path, gold, pred)


def test_min_f1_exit_status_agrees(tmp_path, dev_predictions):
    pred = tmp_path / "pred.json"
    pred.write_text(json.dumps(dev_predictions, ensure_ascii=False), encoding="utf-8")
    f1 = ref.summarise(ref.score(ref.load([str(DEV_GOLD)]), ref.load([str(pred)]))[0])["all"]["indicator_f1"]
    for threshold in (0.0, f1, min(1.0, f1 + 1e-3), 1.0):
        args = ["--gold", str(DEV_GOLD), "--pred", str(pred), "--min-f1", str(threshold)]
        with contextlib.redirect_stdout(io.StringIO()):
            expected = ref.main(args)
        ours = CliRunner().invoke(cli, ["evaluate", "--gold", str(DEV_GOLD), str(pred), "--min-f1", str(threshold)])
        assert ours.exit_code == expected, threshold
