"""The traditional-to-simplified conversion: the character-table path gives OpenCC's own result."""
from __future__ import annotations

import random
from pathlib import Path

from document_variants import as_traditional
from perfkg.extract import text_normalise
from perfkg.extract.text_normalise import simplify_if_traditional, to_simplified

ROOT = Path(__file__).resolve().parents[1]


def test_the_character_table_converts_as_opencc_does():
    converter = text_normalise._converter()
    assert text_normalise._character_table() is not None  # this opencc version: the fast path is on
    [[(_, _, phrases), (_, _, characters)]] = converter._dict_chain_data
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples" / "documents").glob("*.txt"))]
    rng = random.Random(5)
    # phrases, traditional characters (one with several spellings: 徵 征 徵), their simplified forms, separators
    pool = [*phrases, *characters, *characters.values(), "，", " ", "-", "\u3000", "（", "项目", "指标", "a", "1"]
    texts = [*seeds, *map(as_traditional, seeds), "徵收", "買賣", "覆蓋率", "彷彿", ""]
    texts += ["".join(rng.choice(pool) for _ in range(rng.randint(1, 40))) for _ in range(3000)]
    phrase_free = 0
    for text in texts:
        assert text_normalise._t2s(text) == converter.convert(text), text
        phrase_free += next(text_normalise._character_table()[0].iter(text), None) is None
    assert phrase_free > 1000  # the table path itself was tried (not only OpenCC's)


def test_a_traditional_document_is_simplified_and_a_simplified_one_kept():
    seed = (ROOT / "examples" / "documents" / "000_5f7560c24654454f.txt").read_text(encoding="utf-8")
    assert simplify_if_traditional(seed) is seed
    assert simplify_if_traditional(as_traditional(seed)) == text_normalise._converter().convert(as_traditional(seed))
    assert to_simplified("績效目標") == "绩效目标"
