"""Fitting the content model: gold records aligned to document tokens give labelled tokens; a CRF is fitted on them.

``python -m perfkg.extract.content_training`` (``make model``) refits ``extract/data/content_model.crfsuite``
from the seeds, the dev set and generated documents; ``--holdout NAME`` leaves documents out;
``--cross-validate K`` prints the K-fold scores instead (each document read by a model fitted
without it: the figure for documents the model has never seen); ``--select K`` chooses the
regularisation by K-fold cross-validation on the dev set first (``content_model_params.json``).
Alignment: each gold string (project name, budget amounts, goal, every indicator's name, value,
actual, weight …) is found as a run of consecutive tokens, in document order; tokens no gold string
explains are ``O``.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import pycrfsuite

from perfkg.extract.content_model import MODEL_FILE, document_features
from perfkg.extract.records import DocumentRecord, Project, load_records
from perfkg.extract.row_decoder import amount
from perfkg.extract.target_values import looks_like_value
from perfkg.extract.text_normalise import to_simplified
from perfkg.extract.tokens import Token, tokenise_rows
from perfkg.extract.vocabulary import content_words

REPO = Path(__file__).resolve().parent.parent
_DROP = re.compile(r"[\s（）()“”\"「」:：\[\]【】]")
_MARKER = re.compile(content_words()["marker_pattern"])  # the markers the splitters know
MAX_SPAN = 40


def key(text: str | None) -> str:
    """How strings are compared when aligning: NFKC, simplified, no whitespace or brackets."""
    if not text:
        return ""
    return _DROP.sub("", unicodedata.normalize("NFKC", to_simplified(text)))


class Aligner:
    """Gold strings to token spans of one document; ``labels`` holds the BIO tags found so far."""

    def __init__(self, tokens: list[Token]):
        self.tokens = tokens
        self.keys = [key(t.text) for t in tokens]
        self.labels = ["O"] * len(tokens)

    def free(self, i: int, j: int) -> bool:
        return all(lab == "O" for lab in self.labels[i:j])

    def find(self, target: str, start: int, end: int, strip_marker: bool = False) -> tuple[int, int] | None:
        """The first free span in [start, end) whose keys join to ``target``."""
        if not target:
            return None
        end = min(end, len(self.tokens))
        for i in range(start, end):
            k = self.keys[i]
            if strip_marker:
                k = key(_MARKER.sub("", self.tokens[i].text))
            if not k or not target.startswith(k) or self.labels[i] != "O":
                continue
            acc = k
            j = i + 1
            while acc != target and j < end and j - i < MAX_SPAN and target.startswith(acc):
                acc += self.keys[j]
                j += 1
            if acc == target and self.free(i, j):
                return i, j
        return None

    def find_wrapped(self, target: str, start: int, end: int) -> list[int] | None:
        """A cell wrapped over lines with other cells between its pieces: the first free token that
        starts ``target``, then on each following line the token under it (same column) that goes on."""
        if not target:
            return None
        end = min(end, len(self.tokens))
        rows: dict[int, list[int]] = {}
        for i in range(start, min(len(self.tokens), end + 200)):
            rows.setdefault(self.tokens[i].row, []).append(i)
        for i in range(start, end):
            k = self.keys[i]
            if not k or len(k) >= len(target) or not target.startswith(k) or self.labels[i] != "O":
                continue
            first, acc, picked = self.tokens[i], k, [i]
            row = first.row
            for _ in range(4):
                row += 1
                while row in rows and not rows[row] and row < first.row + 6:
                    row += 1
                under = [j for j in rows.get(row, []) if self.labels[j] == "O" and self.tokens[j].sep != "glue"
                         and abs(self.tokens[j].offset - first.offset) <= 4
                         and target[len(acc):].startswith(self.keys[j]) and self.keys[j]]
                if not under:
                    break
                j = under[0]
                acc += self.keys[j]
                picked.append(j)
                if acc == target:
                    return picked
        return None

    def mark_pieces(self, pieces: list[int], role: str) -> None:
        self.labels[pieces[0]] = f"B-{role}"
        for k in pieces[1:]:
            self.labels[k] = f"I-{role}"

    def mark(self, span: tuple[int, int], role: str) -> None:
        i, j = span
        self.labels[i] = f"B-{role}"
        for k in range(i + 1, j):
            self.labels[k] = f"I-{role}"

    def find_number(self, value: float | None, start: int, end: int, scale: tuple[float, ...] = (1.0,)) -> int | None:
        if value is None:
            return None
        for i in range(start, min(end, len(self.tokens))):
            if self.labels[i] != "O":
                continue
            n = amount(self.tokens[i].text)
            if n is not None and any(abs(n - value * s) <= 1e-6 * max(1.0, abs(value * s)) for s in scale):
                return i
        return None


def _align_indicators(al: Aligner, project: Project, cursor: int) -> tuple[int, int | None]:
    """Indicator strings of one project from ``cursor`` on; returns (new cursor, first name's position)."""
    first = None
    prev_end = cursor
    n = len(al.tokens)
    origin = cursor
    if project.indicators:
        # projects need not be printed in the gold's order: start where this one's first name is
        k = key(project.indicators[0].level3)
        start = al.find(k, cursor, n) or al.find(k, 0, n) or al.find(k, 0, n, strip_marker=True)
        if start is not None and start[0] < cursor:
            cursor = prev_end = origin = start[0]
    furthest = cursor
    name_key = key(project.name)
    for ind in project.indicators:
        k3 = key(ind.level3)
        near = min(n, cursor + 80)
        skip = cursor
        if k3 == name_key:
            # an indicator named like its project: the name is printed first, in the project's cells
            first_name = al.find(k3, cursor, n)
            skip = first_name[1] if first_name else cursor
        # nearby in reading order first; a table printing groups side by side interleaves them
        span = (al.find(k3, skip, near) or al.find(k3, skip, near, strip_marker=True)
                or al.find(k3, origin, cursor) or al.find(k3, origin, cursor, strip_marker=True)
                or al.find(k3, skip, n) or al.find(k3, skip, n, strip_marker=True))
        if span is None:
            pieces = al.find_wrapped(k3, cursor, min(n, cursor + 400))
            if pieces is None:
                continue
            al.mark_pieces(pieces, "L3")
            span = (pieces[0], pieces[0] + 1)
        else:
            al.mark(span, "L3")
        first = span[0] if first is None else first
        for lvl, text in (("L1", ind.level1), ("L2", ind.level2)):
            k = key(text)
            for i in range(prev_end, span[0]):
                if k and al.keys[i] == k and al.labels[i] == "O":
                    al.labels[i] = f"B-{lvl}"
        end = span[1]
        window = min(n, end + 16)
        extra = getattr(ind, "_extra", {})
        v = al.find(key(ind.value), end, window)
        wrapped_value = None if v else al.find_wrapped(key(ind.value), end, window)
        if v:
            al.mark(v, "VAL")
        elif wrapped_value:
            al.mark_pieces(wrapped_value, "VAL")
        elif ind.num is not None:
            at = al.find_number(ind.num, end, window)
            if at is not None:
                al.labels[at] = "B-VAL"
                for j in range(max(end, at - 3), min(window, at + 3)):
                    if al.labels[j] != "O":
                        continue
                    if ind.unit and al.keys[j] == key(ind.unit):
                        al.labels[j] = "B-UNIT"
                    elif re.match(r"^(?:[≥≤><=＝≧≦═]{1,2}|大于|小于|等于|不低于|不高于|不少于|不超过)$",
                                  al.tokens[j].text):
                        al.labels[j] = "B-OP"
        for role, text in (("ACT", ind.actual), ("DESC", ind.description), ("DESC", ind.basis),
                           ("DESC", extra.get("scoring_rule")), ("DESC", extra.get("remark"))):
            s = al.find(key(text), end, window) if text else None
            if s:
                al.mark(s, role)
        for role, num in (("WT", ind.score), ("PTS", extra.get("points"))):
            at = al.find_number(num, prev_end if role == "WT" else end, window) if num is not None else None
            if at is not None:
                al.labels[at] = f"B-{role}"
        if extra.get("value_type"):
            for j in range(end, window):
                if al.labels[j] == "O" and al.keys[j] == key(extra["value_type"]):
                    al.labels[j] = "B-DESC"
                    break
        prev_end = cursor = end
        for j in range(end, window):
            if al.labels[j] != "O":
                prev_end = cursor = j + 1
        furthest = max(furthest, cursor)
    return furthest, first


def label_document(tokens: list[Token], gold: DocumentRecord, raw: dict) -> tuple[list[str], float]:
    """BIO tags for ``tokens`` from the gold record, and the share of gold indicator names placed."""
    al = Aligner(tokens)
    for p, raw_p in zip(gold.projects, raw.get("projects", [])):
        for ind, raw_i in zip(p.indicators, raw_p.get("indicators", [])):
            ind._extra = raw_i  # type: ignore[attr-defined]
    cursor = 0
    header_start = 0
    wanted = placed = 0
    bureau = key(gold.bureau)
    for project in gold.projects:
        new_cursor, first = _align_indicators(al, project, cursor)
        wanted += len(project.indicators)
        placed += sum(1 for lab in al.labels[cursor:new_cursor] if lab == "B-L3")
        region_end = first if first is not None else new_cursor
        # project header strings sit between the previous project's last row and this one's first name
        # (a summary table prints them on the first indicator row, before the name)
        for role, text in (("PNAME", project.name), ("GOAL", project.goal), ("PCODE", project.code)):
            k = key(text)
            pos = header_start
            while k:
                s = al.find(k, pos, region_end)
                if not s:
                    break
                al.mark(s, role)
                pos = s[1]
        for role, budget in (("BT", project.budget_total), ("BF", project.budget_fiscal), ("BO", project.budget_other)):
            i = al.find_number(budget, header_start, region_end, scale=(1.0, 10000.0))
            if i is not None:
                al.labels[i] = f"B-{role}"
        header_start = cursor = new_cursor
    _label_twin_copies(al)
    pos = 0
    while bureau:
        s = al.find(bureau, pos, len(tokens))
        if not s:
            break
        al.mark(s, "BUR")
        pos = s[1]
    return al.labels, (placed / wanted if wanted else 1.0)


_TWIN_REACH = 12  # tokens either side of a name where its other group's copy is printed (4 cells a group)
_TWIN_PREFIX = 4  # characters a midterm name may add before the annual one (实施期, 累计, 三年 …)
_LEVEL_AND_NAME = ("L1", "L2", "L3")


def _label_twin_copies(al: Aligner) -> None:
    """Twin indicator groups (中长期指标 | 年度指标, or 中期指标值 | 年度指标值): the gold holds the annual group,
    but every level, name and target is printed in both. The other group's copy is labelled with the same
    role, so that a tag says what a cell is wherever it stands; choosing the annual group is the row
    decoder's (its twin passes), which sees the group headers. A copy is the same text near the labelled
    one, or a name with a few characters before it; the cells after a copied name take the roles of the
    cells after the labelled one."""
    words = content_words().get("twin_groups", {})
    groups = {key(w) for w in words.get("midterm", ())}
    value_columns = {key(w) for w in words.get("midterm_value", ())}
    if not groups.isdisjoint(al.keys):
        _label_twin_groups(al)
    elif not value_columns.isdisjoint(al.keys):
        _label_twin_values(al)


def _label_twin_values(al: Aligner) -> None:
    """One group of names, two value columns: the cell beside a labelled target (in its row, or on the line
    next to it where a cell is printed a line) that reads as a target too (or is printed the same) is the
    other column's target."""
    for i, lab in enumerate(list(al.labels)):
        if lab != "B-VAL":
            continue
        j = i + 1
        while j < len(al.tokens) and al.labels[j] == "I-VAL":
            j += 1
        target = "".join(al.keys[i:j])
        for c in (i - 1, j):
            if 0 <= c < len(al.tokens) and al.labels[c] == "O" and abs(al.tokens[c].row - al.tokens[i].row) <= 1 \
                    and (al.keys[c] == target or looks_like_value(al.tokens[c].text)):
                al.labels[c] = "B-VAL"
                break


def _label_twin_groups(al: Aligner) -> None:
    """Twin groups side by side or one cell a line: each labelled level and name's copy near it."""
    n = len(al.tokens)
    labelled = [i for i, lab in enumerate(al.labels) if lab.startswith("B-")]
    for i in labelled:
        role = al.labels[i][2:]
        if role not in _LEVEL_AND_NAME:
            continue
        j = i + 1
        while j < n and al.labels[j] == f"I-{role}":
            j += 1
        target = "".join(al.keys[i:j])
        for c in range(max(0, i - _TWIN_REACH), min(n, j + _TWIN_REACH)):
            if al.labels[c] != "O":
                continue
            span = al.find(target, c, c + 1)
            if span is None and role == "L3" and 0 < len(al.keys[c]) - len(target) <= _TWIN_PREFIX \
                    and al.keys[c].endswith(target):
                span = (c, c + 1)
            if span is None:
                continue
            al.mark(span, role)
            if role == "L3":
                _copy_following_roles(al, j, span[1])


def _copy_following_roles(al: Aligner, source: int, copy: int) -> None:
    """The target cells after a labelled name (from ``source``) give their roles to the unlabelled cells
    after its copy (from ``copy``), position by position, up to the next level or name."""
    n = len(al.tokens)
    for a, b in ((source, copy), (copy, source)):  # either side may be the one the gold's target was found on
        k = 0
        while a + k < n and b + k < n and k < 4:
            role = al.labels[a + k]
            if role == "O" or role[2:] in _LEVEL_AND_NAME or al.labels[b + k] != "O":
                break
            al.labels[b + k] = role
            k += 1
        if k:
            return


# ---------------------------------------------------------------- corpora


def _text_document(path: Path) -> list[Token]:
    from perfkg.extract.pipeline import source_rows

    return tokenise_rows(source_rows(path))


Labelled = tuple[str, list[list[str]], list[str]]


def labelled_corpus(pairs: Iterable[tuple[Path, Path]], min_placed: float = 0.5,
                    report: bool = False) -> list[Labelled]:
    """(name, features, tags) of every document file whose gold could be placed well enough."""
    def documents():
        for doc_path, gold_path in pairs:
            raw_all = json.loads(gold_path.read_text(encoding="utf-8"))
            raw = raw_all[0] if isinstance(raw_all, list) else raw_all
            try:
                tokens = _text_document(doc_path)
            except Exception as exc:  # an unreadable file must not stop the fit
                print(f"{doc_path.name}: skipped ({exc})", file=sys.stderr)
                continue
            yield doc_path.name, tokens, raw

    return _labelled(documents(), min_placed, report)


def synth_corpus(n: int, seed: int = 0, sources: tuple[str, ...] = ("seeds", "dev")) -> list[Labelled]:
    """(name, features, tags) of ``n`` generated documents (``perfkg synth``), made in memory."""
    from perfkg.extract.source_model import SourceDocument
    from perfkg.extract.synth import generate
    from perfkg.extract.text_normalise import simplify_if_traditional

    def documents():
        for name, text, raw in generate(n, seed, sources):
            rows = SourceDocument.from_text(name, simplify_if_traditional(text)).rows
            yield name, tokenise_rows(rows), raw

    return _labelled(documents(), 0.5, False)


def _labelled(documents, min_placed: float, report: bool) -> list[Labelled]:
    out: list[Labelled] = []
    for name, tokens, raw in documents:
        gold = load_records(raw)[0]
        labels, placed = label_document(tokens, gold, raw)
        if report:
            print(f"{name}: {len(tokens)} tokens, {placed:.0%} of names placed", file=sys.stderr)
        if placed >= min_placed and tokens:
            feats = document_features(tokens)
            for lo, hi in explained_runs(tokens, labels):
                out.append((name, feats[lo:hi], labels[lo:hi]))
    return out


def explained_runs(tokens: list[Token], labels: list[str]) -> list[tuple[int, int]]:
    """Token ranges to train on: a row inside a table that no gold string explains is left out.

    Such a row is an indicator the gold does not list in the same words (or the alignment
    missed); teaching the model that it is furniture would be wrong.
    """
    rows: dict[int, list[int]] = {}
    for i, t in enumerate(tokens):
        rows.setdefault(t.row, []).append(i)
    l3_rows = sorted({tokens[i].row for i, lab in enumerate(labels) if lab.endswith("-L3")})
    drop: set[int] = set()
    for a, b in zip(l3_rows, l3_rows[1:]):
        if b - a > 12:
            continue  # a gap this long is between tables, not a missed row
        for r in range(a + 1, b):
            idx = rows.get(r, [])
            if len(idx) >= 2 and all(labels[i] == "O" for i in idx):
                drop.update(idx)
    runs: list[tuple[int, int]] = []
    start = None
    for i in range(len(tokens) + 1):
        if i < len(tokens) and i not in drop:
            start = i if start is None else start
        elif start is not None:
            runs.append((start, i))
            start = None
    return runs


def seed_and_dev_pairs() -> list[tuple[Path, Path]]:
    pairs = []
    for docs, gold in ((REPO / "examples/documents", REPO / "tests/data/gold"),
                       (REPO / "tests/data/dev/docs", REPO / "tests/data/dev/gold"),
                       (REPO / "tests/data/dev/xlsx", REPO / "tests/data/dev/gold")):
        for g in sorted(gold.glob("*.json")):
            for d in sorted(docs.glob(g.stem + ".*")):
                if d.suffix != ".json":
                    pairs.append((d, g))
    return pairs


def synth_pairs(directory: Path) -> list[tuple[Path, Path]]:
    return [(d, directory / "gold" / (d.stem + ".json")) for d in sorted((directory / "docs").glob("*"))
            if (directory / "gold" / (d.stem + ".json")).exists()]


PARAMS_FILE = REPO / "extract" / "data" / "content_model_params.json"
# The regularisation grid `--select` searches; the chosen pair is written to PARAMS_FILE with its scores.
GRID = ((0.05, 0.01), (0.3, 0.05), (1.0, 0.05), (0.3, 0.3))


def fitted_params() -> dict[str, float]:
    """The CRF's regularisation as chosen by cross-validation (``--select``), else crfsuite-like defaults."""
    if PARAMS_FILE.exists():
        chosen = json.loads(PARAMS_FILE.read_text(encoding="utf-8"))
        return {"c1": chosen["c1"], "c2": chosen["c2"]}
    return {"c1": 0.05, "c2": 0.01}


def fit(corpus: list[tuple[str, list[list[str]], list[str]]], model_path: Path,
        c1: float | None = None, c2: float | None = None, iterations: int = 150) -> None:
    """Fit the CRF (L-BFGS with elastic-net regularisation) and write the model file."""
    params = fitted_params()
    trainer = pycrfsuite.Trainer(verbose=False)
    for _, xseq, yseq in corpus:
        trainer.append(xseq, yseq)
    trainer.set_params({"c1": params["c1"] if c1 is None else c1, "c2": params["c2"] if c2 is None else c2,
                        "max_iterations": iterations, "feature.possible_transitions": True, "feature.minfreq": 2})
    trainer.train(str(model_path))


def cross_validate(folds: int, synth_docs: int, real_weight: int = 3, c1: float | None = None,
                   c2: float | None = None, dev_only: bool = False) -> tuple[list, list]:
    """Documents read by a model fitted without them (``folds`` folds by file name; generated
    documents recombined from seed gold only): (gold records, predicted records). With ``dev_only``
    the seeds are always fitted on and only the dev documents are held out in turn."""
    import tempfile

    from perfkg.extract import content_model
    from perfkg.extract.evaluation import load_gold
    from perfkg.extract.pipeline import extract_rows, source_rows

    pairs = seed_and_dev_pairs()
    real = labelled_corpus(pairs)
    generated = synth_corpus(synth_docs, 0, ("seeds",))
    names = sorted({d.name for d, _ in pairs if not dev_only or _is_dev(d)})
    gold = {g.source: g for g in load_gold(REPO / "tests/data/gold") + load_gold(REPO / "tests/data/dev/gold")}
    golds, preds = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(folds):
            held = set(names[k::folds])
            model = Path(tmp) / f"fold{k}.crfsuite"
            fit([c for c in real if c[0] not in held] * real_weight + generated, model, c1, c2)
            content_model.use_model(str(model))
            try:
                for doc_path, _ in pairs:
                    if doc_path.name in held:
                        preds.append(extract_rows(source_rows(doc_path), doc_path.name))
                        golds.append(gold[doc_path.name])
            finally:
                content_model.use_model(None)
    return golds, preds


def _is_dev(path: Path) -> bool:
    return "dev" in path.relative_to(REPO).parts


def select_regularisation(folds: int, synth_docs: int, real_weight: int) -> dict:
    """The (c1, c2) of :data:`GRID` with the best cross-validated indicator F1 on the dev set (the
    documents most like those a researcher brings), written to ``PARAMS_FILE`` with every score."""
    from perfkg.extract.evaluation import evaluate

    scores = []
    for c1, c2 in GRID:
        golds, preds = cross_validate(folds, synth_docs, real_weight, c1, c2, dev_only=True)
        f1 = evaluate(golds, preds).overall.indicator_f1
        scores.append({"c1": c1, "c2": c2, "dev_cv_indicator_f1": round(f1, 4)})
        print(f"c1={c1} c2={c2}: dev {folds}-fold indicator F1 {f1:.3f}", file=sys.stderr)
    best = max(scores, key=lambda s: s["dev_cv_indicator_f1"])
    chosen = {"c1": best["c1"], "c2": best["c2"],
              "selected_by": f"{folds}-fold cross-validation over the dev set (seeds always fitted on, "
                             f"{synth_docs} generated documents, real documents x{real_weight})",
              "grid": scores}
    PARAMS_FILE.write_text(json.dumps(chosen, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return chosen


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Refit the content model on labelled documents.")
    ap.add_argument("--synth", type=Path, help="a folder written by `perfkg synth` (docs/ and gold/)")
    ap.add_argument("--synth-docs", type=int, default=600, help="generate this many documents in memory")
    ap.add_argument("--synth-seed", type=int, default=0)
    ap.add_argument("--no-dev", action="store_true", help="generated documents recombine seed gold only")
    ap.add_argument("--real-weight", type=int, default=6, help="times each real document is seen in the fit")
    ap.add_argument("--holdout", action="append", default=[], help="leave out documents whose name contains this")
    ap.add_argument("-o", "--output", type=Path, default=REPO / "extract" / MODEL_FILE)
    ap.add_argument("--report", action="store_true")
    ap.add_argument("--cross-validate", type=int, metavar="K", default=0,
                    help="do not write the model: print the K-fold cross-validated scores of the seeds and the dev set")
    ap.add_argument("--dev-folds", type=int, metavar="K", default=0,
                    help="do not write the model: print the dev set read by K models, each fitted without one "
                         "fold of the dev documents (the seeds always fitted on; README, Quality)")
    ap.add_argument("--select", type=int, metavar="K", default=0,
                    help="choose the regularisation by K-fold cross-validation on the dev set (writes "
                         "extract/data/content_model_params.json), then refit")
    args = ap.parse_args(argv)
    if args.select:
        chosen = select_regularisation(args.select, min(args.synth_docs, 300), args.real_weight)
        print(f"chose c1={chosen['c1']} c2={chosen['c2']}")
    if args.cross_validate or args.dev_folds:
        from perfkg.extract.evaluation import evaluate
        from perfkg.extract.evaluation_report import format_report

        golds, preds = cross_validate(args.cross_validate or args.dev_folds, args.synth_docs, args.real_weight,
                                      dev_only=bool(args.dev_folds))
        print(format_report(evaluate(golds, preds), verbose=False))
        return 0
    pairs = [p for p in seed_and_dev_pairs() if not any(h in p[0].name for h in args.holdout)]
    if args.synth:
        pairs += synth_pairs(args.synth)
    # Real documents count more than generated ones: each is seen ``--real-weight`` times.
    corpus = labelled_corpus(pairs, report=args.report) * args.real_weight
    corpus += synth_corpus(args.synth_docs, args.synth_seed, ("seeds",) if args.no_dev else ("seeds", "dev"))
    random.Random(0).shuffle(corpus)
    fit(corpus, args.output)
    print(f"fitted on {len(corpus)} documents, {sum(len(y) for _, _, y in corpus)} tokens -> {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
