"""The structure of an indicator name: its words, its measure suffix and the words it measures.

Chinese indicator names are head-final noun phrases: modifiers first, then the head noun, then a
measure word or suffix (学生 | 受资助 | 人数; 办公大楼 | 维修维护 | 验收 | 合格率). The linker reads
"what is measured" from the suffix and "of what" from the words before it, so a name no table has
printed before still links when its parts are known.

Words come from jieba (a private ``jieba.Tokenizer``, so the global dictionary is left as it is),
with the terms of the object lexicon added as words: 办公大楼 stays one word and ends in 大楼.
Suffixes are matched on characters (jieba joins 合格率 but splits 查办/率), longest first.
"""
from __future__ import annotations

import functools
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Brackets and the bits of a template left in a name (≥**%, (含续建)) carry no structure.
_STRIP = "()（）[]【】<>《》“”\"'‘’"
_PARTICLES = {"的", "之", "等", "及", "和", "与"}  # no head noun: 宣传的场次 is headed by 宣传


@dataclass(frozen=True)
class NameStructure:
    """A name cut into words, with the measure suffix found at its end (if any)."""

    name: str
    words: tuple[str, ...]
    suffix: str | None  # the measure suffix matched at the end of the name (characters)
    stem: str  # the name without the suffix

    @property
    def stem_words(self) -> tuple[str, ...]:
        """The words before the suffix, the last one cut back where the suffix began inside it."""
        out: list[str] = []
        length = 0
        for word in self.words:
            if length >= len(self.stem):
                break
            keep = word[: len(self.stem) - length]
            length += len(word)
            if keep:
                out.append(keep)
        return tuple(out)

    @property
    def head(self) -> str | None:
        """The head noun: the last word before the measure suffix (the last word when there is none)."""
        words = [w for w in self.stem_words if w not in _PARTICLES]
        return words[-1] if words else None


class NameParser:
    """jieba words plus a longest-suffix match over a fixed list of measure suffixes."""

    def __init__(self, suffixes: Iterable[str], extra_words: Iterable[str] = ()) -> None:
        import jieba  # imported here: loading its dictionary takes a second, only linking needs it

        jieba.setLogLevel(logging.WARNING)
        self._tokenizer = jieba.Tokenizer()
        for word in sorted(set(extra_words)):
            if len(word) > 1:
                self._tokenizer.add_word(word, freq=100_000)  # lexicon terms stay whole words
        self._suffixes = sorted(set(suffixes), key=lambda s: (-len(s), s))

    @functools.lru_cache(maxsize=4096)  # noqa: B019 -- one structure per process (default_linker), never freed
    def parse(self, name: str) -> NameStructure:
        text = "".join(ch for ch in name if ch not in _STRIP).strip("。.、,，;；:： ")
        words = tuple(w for w in self._tokenizer.lcut(text, HMM=False) if w.strip())
        suffix = next((s for s in self._suffixes if text.endswith(s) and len(text) > len(s)), None)
        stem = text[: len(text) - len(suffix)] if suffix else text
        return NameStructure(text, words, suffix, stem)


def last_match(words: Sequence[str], lexicon: dict[str, str],
               suffix_terms: frozenset[str] = frozenset()) -> list[tuple[int, str, str]]:
    """(word index, term, value) for every word that is, or ends in, a lexicon term; nearest the head first.

    A word ending in a term counts (办公大楼 ends in 大楼, 安全监管 in 监管); the longest such term wins.
    A one-character term counts only as a whole word, unless it is one of ``suffix_terms`` (护林员 ends in 员).
    """
    # the longest term a word ends in is its longest suffix in the lexicon: look the suffixes up, longest first
    longest = max(map(len, lexicon), default=0)
    hits = []
    for index in range(len(words) - 1, -1, -1):
        word = words[index]
        term = None
        for size in range(min(len(word), longest), 0, -1):
            tail = word[len(word) - size:]
            if tail in lexicon and (size > 1 or word == tail or tail in suffix_terms):
                term = tail
                break
        if term is not None:
            hits.append((index, term, lexicon[term]))
    return hits
