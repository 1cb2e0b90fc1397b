"""Mutation operators for fuzzing the extractor: document bytes → damaged document bytes.

Each operator takes ``(data, rng)`` and returns new bytes; :data:`OPERATORS` names them (the
fuzz test, ``bench/fuzz.py`` and the campaign report use the names). :func:`mutate` applies a
few at random. Seeds are the example documents, cut into table-sized pieces, and the
reliability reproducers (text and HTML).
"""
from __future__ import annotations

import functools
import random
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED_DIRS = (ROOT / "examples" / "documents", ROOT / "tests" / "data" / "reliability")
Operator = Callable[[bytes, random.Random], bytes]


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def _join(lines: list[bytes]) -> bytes:
    return b"\n".join(lines)


def drop_line(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    del lines[rng.randrange(len(lines))]
    return _join(lines)


def duplicate_line(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    i = rng.randrange(len(lines))
    lines[i:i] = [lines[i]] * rng.choice((1, 2, 50))
    return _join(lines)


def swap_lines(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[i], lines[j] = lines[j], lines[i]
    return _join(lines)


def delete_tabs(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    i = rng.randrange(len(lines))
    lines[i] = lines[i].replace(b"\t", rng.choice((b"", b" ")))
    return _join(lines)


def insert_separators(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 40)):
        out[rng.randrange(len(out) + 1):0] = rng.choice((b"\t", b" ", b"  ", b"\t\t", b"|"))
    return bytes(out)


def many_cells(data: bytes, rng: random.Random) -> bytes:
    """A row of many short cells (what made the old row grammar exponential)."""
    lines = _lines(data)
    lines.insert(rng.randrange(len(lines) + 1),
                 b"\t".join(rng.choice((b"a", "\u4eba".encode(), b"1", b"%", b"\xe2\x89\xa5"))
                            for _ in range(rng.choice((40, 200, 600)))))
    return _join(lines)


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[:rng.randrange(1, len(data) + 1)]


def random_bytes(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.choice((1, 1, 3, 20))):
        out.insert(rng.randrange(len(out) + 1), rng.randrange(256))
    return bytes(out)


def nul_bytes(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.choice((1, 5))):
        out.insert(rng.randrange(len(out) + 1), 0)
    return bytes(out)


def long_line(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    unit = rng.choice(("\u6307\u6807".encode(), b"9", b"x ", "\u2265".encode()))
    lines.insert(rng.randrange(len(lines) + 1), unit * rng.choice((10_000, 200_000)))
    return _join(lines)


def reencode(data: bytes, rng: random.Random) -> bytes:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return data
    encoding = rng.choice(("gbk", "gb18030", "utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"))
    return text.encode(encoding, errors="replace")


def swap_digits(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    digits = [i for i, b in enumerate(out) if 48 <= b <= 57]
    for i in rng.sample(digits, min(len(digits), rng.randint(1, 10))):
        out[i] = rng.choice(b"0123456789")
    if digits and rng.random() < 0.3:  # and now and then a number far too long
        i = rng.choice(digits)
        out[i:i + 1] = b"9" * rng.choice((20, 309, 5000))
    return bytes(out)


_COMPARATORS = [c.encode() for c in ("\u2265", "\u2264", ">=", "<=", ">", "<", "=", "\uff1e", "\u4e0d\u4f4e\u4e8e",
                                     "\u2267")]


def swap_comparators(data: bytes, rng: random.Random) -> bytes:
    for _ in range(rng.randint(1, 5)):
        a, b = rng.choice(_COMPARATORS), rng.choice(_COMPARATORS)
        data = data.replace(a, b, rng.randint(1, 3))
    return data


def full_width(data: bytes, rng: random.Random) -> bytes:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return data
    start = rng.randrange(len(text) + 1)
    span = text[start:start + rng.randint(1, 400)]
    wide = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else "\u3000" if c == " " else c for c in span)
    return (text[:start] + wide + text[start + len(span):]).encode("utf-8")


def unbalanced_brackets(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 20)):
        out[rng.randrange(len(out) + 1):0] = rng.choice(("(", ")", "\uff08", "\uff09", "[", "\u3010", "{",
                                                         "\u300a")).encode()
    return bytes(out)


_TAGS = (b"<table>", b"</table>", b"<tr>", b"<td>", b"</td>", b"<td colspan=99999999>", b"<td rowspan=0>",
         b"<script>", b"<style>", b"<!--", b"<br>", b"<th>", b"</tr>", b"<table><tr><td><table>", b"&amp;", b"&#0;")


def html_tag_soup(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data if rng.random() < 0.5 else b"<html><body><table>" + data)
    for _ in range(rng.randint(1, 30)):
        out[rng.randrange(len(out) + 1):0] = rng.choice(_TAGS)
    return bytes(out)


OPERATORS: dict[str, Operator] = {f.__name__: f for f in (
    drop_line, duplicate_line, swap_lines, delete_tabs, insert_separators, many_cells, truncate, random_bytes,
    nul_bytes, long_line, reencode, swap_digits, swap_comparators, full_width, unbalanced_brackets, html_tag_soup)}


@functools.lru_cache(maxsize=8)
def seeds(max_lines: int = 0) -> list[tuple[str, bytes]]:
    """(name, bytes) of every seed; ``max_lines`` > 0 cuts the example documents into pieces that long."""
    out = []
    for folder in SEED_DIRS:
        for path in sorted(folder.rglob("*")):
            if not path.is_file() or path.suffix not in (".txt", ".html", ".csv"):
                continue
            data = path.read_bytes()
            if max_lines and data.count(b"\n") > max_lines:
                lines = data.split(b"\n")
                head = lines[:8]  # cover, bureau, year
                for n, start in enumerate(range(8, len(lines), max_lines)):
                    out.append((f"{path.stem}#{n}", b"\n".join(head + lines[start:start + max_lines])))
            else:
                out.append((path.name, data))
    return out


def mutate(data: bytes, rng: random.Random, count: int | None = None,
           operators: list[str] | None = None) -> tuple[bytes, list[str]]:
    """``data`` after 1–3 random operators (or ``count``; from ``operators``, default all); returns the
    bytes and the operator names."""
    names = [rng.choice(operators or sorted(OPERATORS)) for _ in range(count or rng.randint(1, 3))]
    for name in names:
        if data:
            data = OPERATORS[name](data, rng)
    return data, names


def probe(path: Path) -> dict:
    """Extract one mutated document in this (worker) process: what happened, CPU seconds, peak RSS (MB).

    ``kind`` is ``ok``, ``refused`` (a ReadError naming the file: the expected answer to binary
    input) or ``exception`` (anything else: a bug).
    """
    import resource
    import traceback

    from perfkg.extract.pipeline import extract_document
    from perfkg.extract.reader import ReadError
    from perfkg.extract.serialise import records_to_json

    def cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    start = cpu()
    kind, error = "ok", None
    try:
        record = extract_document(path)
        records_to_json([record])  # the record must also serialise (valid JSON, no Infinity)
    except ReadError as exc:
        kind, error = "refused", str(exc)
        if str(path) not in error:
            kind, error = "exception", f"ReadError not naming the file: {exc}"
    except Exception as exc:  # noqa: BLE001 (every other exception is what the fuzzer looks for)
        kind = "exception"
        error = f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=-4)}"
    return {"kind": kind, "error": error, "cpu": cpu() - start,
            "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
