"""Fit the run-together cell model (:mod:`perfkg.extract.glue_model`) on generated runs of cells.

``python -m perfkg.extract.glue_training`` (``make model`` runs it after the content model);
``--select`` first chooses the regularisation by the seams found in held-out generated runs
(``extract/data/glue_model_params.json``).
The generator (:mod:`perfkg.extract.synth`) knows every printed cell of a document; its table cells
are joined with no separator, as a converter that lost them prints a table (a whole table, or a few
rows at a time), and each cell is cut further the way the splitter cuts a delimited cell (a marker,
a weight group: what the content model was fitted on). A character starting a cell is labelled ``B``.
Only generated documents recombined from the seeds' gold are used, so the dev set stays a test of it.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path

import pycrfsuite

from perfkg.extract import glue_model
from perfkg.extract.glue_model import CELL_START, INSIDE, MODEL_FILE, char_features
from perfkg.extract.synth.corpus import labelled_document
from perfkg.extract.text_normalise import to_simplified
from perfkg.extract.tokens import cell_cuts, glue_cuts

REPO = Path(__file__).resolve().parent.parent
# cells printed on lines of their own in a run-together document: the run stops there
_OWN_LINE = frozenset({"text", "title", "project_title"})
_VALUE_PARTS = frozenset({"op", "num", "unit"})  # a split value's parts are one target once run together
_RUN_CELLS = (3, 16)  # a run of a few rows printed together: between these many cells


def cell_runs(seed: int, index: int) -> list[list[str]]:
    """The runs of table cells of generated document ``index`` (simplified characters)."""
    _, _, _, cells = labelled_document(seed, index, ("seeds",))
    runs: list[list[str]] = [[]]
    last_role = ""
    for text, role in cells:
        text = to_simplified(text).replace("\n", "").strip()
        if role in _OWN_LINE:
            runs.append([])
        elif text:
            if role in _VALUE_PARTS and last_role in _VALUE_PARTS and runs[-1]:
                runs[-1][-1] += text
            else:
                runs[-1].append(text)
        last_role = role
    return [r for r in runs if len(r) >= 2]


def labelled_run(cells: list[str]) -> tuple[str, list[str]]:
    """The cells joined, and a label per character (a cell, or a piece the splitter cuts it into, starts)."""
    text = "".join(cells)
    labels = [INSIDE] * len(text)
    at = 0
    for cell in cells:
        labels[at] = CELL_START
        for cut in glue_cuts(cell):
            if cell[cut - 1:cut + 1].strip():
                labels[at + cut] = CELL_START
        at += len(cell)
    return text, labels


def training_runs(docs: int, seed: int) -> list[tuple[str, list[str]]]:
    """Whole tables run together, and the same tables a few rows at a time (a row per line)."""
    rng = random.Random(seed)
    out = []
    for index in range(docs):
        for cells in cell_runs(seed, index):
            out.append(labelled_run(cells))
            at = 0
            while at < len(cells) - 1:
                size = rng.randint(*_RUN_CELLS)
                out.append(labelled_run(cells[at:at + size]))
                at += size
    return out


PARAMS_FILE = REPO / "extract" / "data" / "glue_model_params.json"
# the regularisation grid `--select` searches; the chosen pair is written to PARAMS_FILE with its scores
GRID = ((0.03, 0.01), (0.1, 0.01), (0.3, 0.01), (0.1, 0.1))
HELD_OUT_SEED = 6  # generated documents the model is never fitted on: selection and tests score seams there


def regularisation() -> tuple[float, float]:
    """The (c1, c2) ``--select`` chose (PARAMS_FILE), or the grid's second pair where none was chosen."""
    if PARAMS_FILE.is_file():
        chosen = json.loads(PARAMS_FILE.read_text(encoding="utf-8"))
        return float(chosen["c1"]), float(chosen["c2"])
    return GRID[1]


def seam_scores(runs: list[tuple[str, list[str]]]) -> dict[str, float]:
    """Precision, recall and F1 of the seams the splitter finds in ``runs`` (its rules and the model in use)
    against the cells the runs were made of."""
    tp = predicted = gold_total = 0
    for text, labels in runs:
        gold = {i for i, y in enumerate(labels) if i and y == CELL_START}
        cuts = set(cell_cuts(text))
        tp, predicted, gold_total = tp + len(gold & cuts), predicted + len(cuts), gold_total + len(gold)
    p, r = tp / max(1, predicted), tp / max(1, gold_total)
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / max(1e-9, p + r), 4)}


def select_regularisation(docs: int, seed: int) -> dict:
    """The (c1, c2) of :data:`GRID` whose model finds the seams of held-out generated runs best (F1),
    written to ``PARAMS_FILE`` with every score."""
    runs = training_runs(docs, seed)
    held_out = training_runs(max(40, docs // 5), HELD_OUT_SEED)
    grid = []
    with tempfile.TemporaryDirectory() as tmp:
        for c1, c2 in GRID:
            path = Path(tmp) / f"glue_{c1}_{c2}.crfsuite"
            fit(runs, path, c1, c2)
            glue_model.use_model(str(path))
            grid.append({"c1": c1, "c2": c2, **{f"seam_{k}": v for k, v in seam_scores(held_out).items()}})
            print(grid[-1], file=sys.stderr)
        glue_model.use_model(None)
    best = max(grid, key=lambda g: g["seam_f1"])
    chosen = {"c1": best["c1"], "c2": best["c2"],
              "selected_by": f"seam F1 on runs of {max(40, docs // 5)} generated documents (seed {HELD_OUT_SEED}) "
                             f"by models fitted on {docs} (seed {seed})", "grid": grid}
    PARAMS_FILE.write_text(json.dumps(chosen, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return chosen


def fit(runs: list[tuple[str, list[str]]], model_path: Path, c1: float | None = None, c2: float | None = None,
        iterations: int = 120) -> None:
    if c1 is None or c2 is None:
        c1, c2 = regularisation()
    trainer = pycrfsuite.Trainer(verbose=False)
    for text, labels in runs:
        trainer.append(char_features(text, glue_cuts(text)), labels)
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": iterations, "feature.possible_transitions": True,
                        "feature.minfreq": 2})
    trainer.train(str(model_path))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Refit the run-together cell model on generated documents.")
    ap.add_argument("--docs", type=int, default=400, help="generated documents to take runs of cells from")
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("-o", "--output", type=Path, default=REPO / "extract" / MODEL_FILE)
    ap.add_argument("--select", action="store_true",
                    help="choose the regularisation on held-out generated runs first (writes "
                         "extract/data/glue_model_params.json), then refit")
    args = ap.parse_args(argv)
    if args.select:
        chosen = select_regularisation(min(args.docs, 200), args.seed)
        print(f"chose c1={chosen['c1']} c2={chosen['c2']}", file=sys.stderr)
    runs = training_runs(args.docs, args.seed)
    fit(runs, args.output)
    print(f"fitted on {len(runs)} runs, {sum(len(t) for t, _ in runs)} characters -> {args.output}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
