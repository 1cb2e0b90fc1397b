"""The content model's tagger in numpy: crfsuite's Viterbi over the weights of a crfsuite model file.

python-crfsuite spends most of a document's tagging time turning some hundred thousand feature strings
into the model's attribute numbers and reading each attribute's weights out of the file's bytes; here
the weights are read once into arrays, a token's attributes are numbers (found once per distinct feature
string) and its state scores are added up in crfsuite's order, attribute after attribute, so that every
score and every tag is the one crfsuite computes, to the bit (``tests/test_content_model.py`` compares
them). The model file format is crfsuite's ``crf1d`` (``lCRF`` … ``FOMC``): a header, the features
(type, source, destination, weight), then the labels and the attributes as CQDB string tables.
"""
from __future__ import annotations

import struct
from pathlib import Path

import numpy as np

from perfkg.errors import PerfkgError

_HEADER = struct.Struct("<4sI4sIIIIIIIII")  # magic, size, type, version, counts, chunk offsets
_FEATURE = np.dtype([("type", "<u4"), ("src", "<u4"), ("dst", "<u4"), ("weight", "<f8")])
_STATE, _TRANSITION = 0, 1  # feature types: (attribute → label), (label → label)
ROW = np.dtype("<u4")  # an attribute's row number as the tagger is given it (four bytes each)


class ModelFormatError(PerfkgError, ValueError):
    """The file is not a crfsuite crf1d model this reader knows."""


def _strings(data: bytes, offset: int) -> list[str]:
    """The strings of a CQDB table at ``offset``, by their number (its backward array)."""
    chunk, _, _, _, count, backward = struct.unpack_from("<4sIIIII", data, offset)
    if chunk != b"CQDB":
        raise ModelFormatError(f"no string table at {offset}")
    out = []
    for number, at in enumerate(struct.unpack_from(f"<{count}I", data, offset + backward)):
        found, size = struct.unpack_from("<iI", data, offset + at)
        if found != number:
            raise ModelFormatError(f"string {number} of the table at {offset} is numbered {found}")
        out.append(data[offset + at + 8:offset + at + 8 + size - 1].decode("utf-8"))  # (size counts the NUL)
    return out


class CrfWeights:
    """A crfsuite model's weights: ``state[a, y]`` for attribute ``a`` and label ``y`` (a last row of
    zeros for an attribute the model does not know: adding 0.0 changes no sum), ``transition[y, z]``."""

    def __init__(self, labels: list[str], attributes: list[str], state: np.ndarray, transition: np.ndarray):
        self.labels = labels
        if len(attributes) + 1 > np.iinfo(ROW).max:
            raise ModelFormatError(f"{len(attributes)} attributes: more than a row number holds")
        self.rows = {a: np.array(n, dtype=ROW).tobytes() for n, a in enumerate(attributes)}
        self.unknown_row = np.array(len(attributes), dtype=ROW).tobytes()  # the row of zeros
        self.state = state
        self.transition = transition

    @classmethod
    def read(cls, path: str | Path) -> CrfWeights:
        data = Path(path).read_bytes()
        if len(data) < _HEADER.size:
            raise ModelFormatError("too short for a crfsuite model")
        magic, _, kind, _, _, n_labels, n_attributes, at_features, at_labels, at_attributes, _, _ = \
            _HEADER.unpack_from(data, 0)
        if magic != b"lCRF" or kind != b"FOMC":
            raise ModelFormatError("not a crfsuite crf1d model")
        chunk, _, n_features = struct.unpack_from("<4sII", data, at_features)
        if chunk != b"FEAT":
            raise ModelFormatError("no feature table")
        features = np.frombuffer(data, dtype=_FEATURE, count=n_features, offset=at_features + 12)
        labels, attributes = _strings(data, at_labels), _strings(data, at_attributes)
        if len(labels) != n_labels or len(attributes) != n_attributes:
            raise ModelFormatError("label or attribute count differs from the header's")
        state = np.zeros((n_attributes + 1, n_labels))
        transition = np.zeros((n_labels, n_labels))
        kinds = features["type"]
        if not np.isin(kinds, (_STATE, _TRANSITION)).all():
            raise ModelFormatError("a feature of an unknown type")
        for table, kind in ((state, _STATE), (transition, _TRANSITION)):
            chosen = features[kinds == kind]
            pairs = chosen["src"].astype(np.int64) * n_labels + chosen["dst"]
            if len(np.unique(pairs)) != len(pairs):
                raise ModelFormatError("two features of one pair")  # crfsuite would add both
            table[chosen["src"], chosen["dst"]] = chosen["weight"]
        return cls(labels, attributes, state, transition)

    def attribute(self, feature: str) -> bytes:
        """The row of a feature string as :data:`ROW` bytes (the row of zeros when the model does not know it)."""
        return self.rows.get(feature, self.unknown_row)

    def tag(self, items: list[list[bytes]]) -> list[str]:
        """The Viterbi labels of a sequence of items, each the rows of its attributes in order (pieces of
        :meth:`attribute` strings)."""
        if not items:
            return []
        rows = list(map(b"".join, items))
        width = max(map(len, rows))
        padding = self.unknown_row * (width // ROW.itemsize)
        # each item's attribute rows padded with the row of zeros to one width; by position, each contiguous
        ids = np.frombuffer(b"".join([row + padding[len(row):] for row in rows]), dtype=ROW) \
            .reshape(len(rows), width // ROW.itemsize).T.astype(np.intp)
        # crfsuite adds an item's attribute weights one attribute after another, from 0: so here,
        # position after position (a padding row adds 0.0, which changes no sum)
        state = self.state
        scores = state.take(ids[0], axis=0)
        weights = np.empty_like(scores)
        for position in ids[1:]:
            state.take(position, axis=0, out=weights, mode="clip")  # (every row is in range: "clip"
            scores += weights  # does not copy the result through a buffer, as "raise" does with out=)
        return [self.labels[y] for y in self._viterbi(scores)]

    def _viterbi(self, scores: np.ndarray) -> list[int]:
        """crfsuite's Viterbi (crf1dc_viterbi): the best previous label of each label is the first of the
        highest ``previous + transition``; the path ends at the first label of the highest score."""
        into = self.transition.T.copy()  # into[j, i]: the weight of label i followed by label j
        back = []
        best = scores[0]
        for score in scores[1:]:
            through = best + into  # through[j, i]: the best path to label i, then label j
            back.append(through.argmax(axis=1))
            best = through.max(axis=1) + score
        path = [int(best.argmax())]
        for came in reversed(back):
            path.append(int(came[path[-1]]))
        path.reverse()
        return path
