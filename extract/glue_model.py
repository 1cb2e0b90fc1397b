"""Where cells printed with no separator meet: a character-level CRF over a run of cells.

A converter that loses a table's separators (an OCR'd .docx, a PDF read as one line) prints a row,
or a whole table, as one string: 产出指标数量指标开展培训次数≥10次质量指标…. The splitter's rules
(:func:`perfkg.extract.tokens.glue_cuts`: vocabulary, value grammar, basis words, scoring rules)
find most of the seams; this model decides, character by character, whether a cell starts there,
from the rules' cuts and from what the characters around the seam are (digit, CJK, comparator,
bracket, punctuation; the character itself; a vocabulary word or a quantity starting or ending
there). Its weights are estimated by ``perfkg.extract.glue_training`` on generated runs of cells
(the generator's cells, cut further the way the splitter cuts a delimited cell), and kept in
``extract/data/glue_model.crfsuite``. It is only asked about a piece the rules already read as a
run of cells, and :func:`perfkg.extract.tokens.cell_cuts` only adds its seams to the rules' (never
inside a sentence, never between a comparator and its number).
"""
from __future__ import annotations

import functools
import re
from importlib import resources

import ahocorasick

from perfkg.extract.crf_tagger import CrfWeights
from perfkg.extract.value_grammar import patterns
from perfkg.extract.vocabulary import vocabulary_entries

MODEL_FILE = "data/glue_model.crfsuite"
CELL_START = "B"
INSIDE = "I"
# the longest cell of the training runs is under 50 characters: a piece four times that long between
# two rule cuts is prose or garbage, not cells run together, and the model is not asked about it
LONGEST_PIECE = 200
WINDOW = 4000  # characters the model reads at once in a long run of cells (a window ends at a rule cut)

_CLASSES = (
    (re.compile(r"\d"), "D"),
    (re.compile(r"[\u4e00-\u9fff]"), "H"),
    (re.compile(r"[A-Za-z]"), "L"),
    (re.compile(r"[≥≤><=＝＞＜≧≦⩾⩽]"), "C"),
    (re.compile(r"[%‰％]"), "P"),
    (re.compile(r"[(（\[【《「『]"), "O"),
    (re.compile(r"[)）\]】》」』]"), "X"),
    (re.compile(r"[。；;！!？?]"), "E"),
    (re.compile(r"[,，、:：.．·/~～\-—]"), "S"),
    (re.compile(r"\s"), "W"),
)


@functools.lru_cache(maxsize=4096)
def char_class(ch: str) -> str:
    """A character's class: D digit, H Chinese, L Latin letter, C comparator, P percent, O / X brackets,
    E sentence end, S other punctuation, W space, o anything else."""
    return next((name for pattern, name in _CLASSES if pattern.match(ch)), "o")


@functools.lru_cache(maxsize=1)
def _word_automaton() -> ahocorasick.Automaton:
    """The words a seam is likely beside, each with the kind it is first listed under
    (:func:`~perfkg.extract.vocabulary.vocabulary_entries`): level names (short ones too: 产出, 成本),
    header words, project labels, units, qualitative targets."""
    kinds: dict[str, str] = {}
    for w, kind, _ in vocabulary_entries():
        if kind != "tw" and len(w) >= 2 and w not in kinds:
            kinds[w] = kind
    auto = ahocorasick.Automaton()
    for w, kind in kinds.items():
        auto.add_word(w, (kind, len(w)))
    auto.make_automaton()
    return auto


def char_features(text: str, rule_cuts: tuple[int, ...]) -> list[list[str]]:
    """The features of each character of ``text``: whether a cell starts at it is the label."""
    n = len(text)
    cls = [char_class(c) for c in text]
    starts: list[set[str]] = [set() for _ in range(n + 1)]
    ends: list[set[str]] = [set() for _ in range(n + 1)]
    for end, (kind, size) in _word_automaton().iter(text):
        s, e = end - size + 1, end + 1
        starts[s].add(kind)
        ends[e].add(kind)
    for m in patterns()["quantity"].finditer(text):
        if any(ch.isdigit() for ch in m.group()):
            starts[m.start()].add("qty")
            ends[m.end()].add("qty")
    cuts = set(rule_cuts)
    out = []
    for i in range(n):
        c0, c1 = text[i], text[i - 1] if i else "^"
        k = cls[i]
        k1 = cls[i - 1] if i else "^"
        k2 = cls[i - 2] if i > 1 else "^"
        kn = cls[i + 1] if i + 1 < n else "$"
        # a Chinese character is only its class alone (so the model does not learn the generator's
        # words), but the pair of characters across the seam is kept: 率|反 (a name, then its description)
        f = ["b", "k=" + k1 + k, "kk=" + k2 + k1 + k + kn, "k0=" + k, "kn=" + k + kn, "c10=" + c1 + c0,
             "c0=" + (c0 if k != "H" else "H"), "c1=" + (c1 if k1 != "H" else "H")]
        if i in cuts:
            f.append("rule")
            f.append("rule:" + k1 + k)
        for kind in starts[i]:
            f.append("ws=" + kind)
        for kind in ends[i]:
            f.append("we=" + kind)
        for kind in ends[i]:
            for kind2 in starts[i]:
                f.append("wew=" + kind + kind2)
        if not i:
            f.append("first")
        out.append(f)
    return out


_override: list[str | None] = [None]


def use_model(path: str | None) -> None:
    """Tag with the model file at ``path`` from now on (None: the packaged one again)."""
    _override[0] = path
    _weights.cache_clear()


@functools.lru_cache(maxsize=1)
def _weights() -> CrfWeights | None:
    if _override[0] is not None:
        return CrfWeights.read(_override[0])
    path = resources.files("perfkg.extract").joinpath(MODEL_FILE)
    if not path.is_file():
        return None
    return CrfWeights.read(str(path))


def model_cuts(text: str, rule_cuts: tuple[int, ...]) -> tuple[int, ...] | None:
    """Where cells start inside ``text`` by the model (None when the model file is missing)."""
    weights = _weights()
    if weights is None:
        return None
    items = [[weights.attribute(f) for f in feats] for feats in char_features(text, rule_cuts)]
    labels = weights.tag(items)
    return tuple(i for i, y in enumerate(labels) if i and y == CELL_START)
