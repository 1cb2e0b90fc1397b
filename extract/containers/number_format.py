"""Spreadsheet number formats: a cell's value printed the way its format code prints it.

A workbook stores ``1`` in a cell formatted ``0%`` and shows ``100%``; a budget stored as
``10891.615675`` under ``#,##0.00`` shows ``10,891.62``. What a reader of the table sees is the
printed form, so that is the cell's text. This module covers the format codes of ECMA-376
(§18.8.31) that tables use: sections (positive;negative;zero;text) with optional conditions,
``0 # ?`` placeholders, decimals, thousands separators and scaling commas, percent,
scientific notation, quoted and escaped literals, padding (``_x``) and fill (``*x``),
colours and locale tags, ``@`` text, and date/time codes. Fractions print as decimals.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

# Serial day 0 of the 1900 date system as spreadsheets count it (with the 1900 leap-year bug).
_EPOCH_1900 = dt.datetime(1899, 12, 30)
_EPOCH_1904 = dt.datetime(1904, 1, 1)
_DATE_CODES = re.compile(r"(?i)[ymdhs]|am/pm|a/p|上午/下午")
_CONDITION = re.compile(r"^\[(<=|>=|<>|<|>|=)(-?\d+(?:\.\d+)?)\]")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


def general(value: float | int) -> str:
    """A number under the General format: integers without a point, others without float noise."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    # Beyond 15 digits a double holds no exact integer; spreadsheets switch to E notation there.
    if (isinstance(value, int) or float(value).is_integer()) and abs(value) < 1e15:
        return str(int(value))
    # 15 significant digits is what a spreadsheet keeps of a double; more prints binary noise.
    text = f"{value:.15g}"
    if "e" in text:
        mantissa, exp = text.split("e")
        return f"{mantissa}E{'+' if not exp.startswith('-') else '-'}{exp.lstrip('+-').zfill(2)}"
    return text


def _split_sections(code: str) -> list[str]:
    sections, current, quoted, bracket, i = [], [], False, False, 0
    while i < len(code):
        ch = code[i]
        if ch == "\\" and not quoted and i + 1 < len(code):
            current.append(code[i:i + 2])
            i += 2
            continue
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch == "[":
            bracket = True
        elif not quoted and ch == "]":
            bracket = False
        if ch == ";" and not quoted and not bracket:
            sections.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    sections.append("".join(current))
    return sections


def _tokens(section: str) -> list[tuple[str, str]]:
    """(kind, text) tokens: 'lit' literal text, 'code' a format character, 'skip' nothing printed."""
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(section):
        ch = section[i]
        if ch == '"':
            end = section.find('"', i + 1)
            end = len(section) if end < 0 else end
            out.append(("lit", section[i + 1:end]))
            i = end + 1
        elif ch == "\\" and i + 1 < len(section):
            out.append(("lit", section[i + 1]))
            i += 2
        elif ch == "_" and i + 1 < len(section):
            out.append(("lit", " "))  # padding as wide as the next character: a space
            i += 2
        elif ch == "*" and i + 1 < len(section):
            i += 2  # fill to the column width: nothing of the value
        elif ch == "[":
            end = section.find("]", i)
            end = len(section) if end < 0 else end
            tag = section[i + 1:end]
            if re.fullmatch(r"(?i)h+|m+|s+", tag):  # elapsed time [h] [mm] [ss]
                out.append(("code", f"[{tag}]"))
            i = end + 1  # colours, locales, DBNum and conditions print nothing
        else:
            out.append(("code", ch))
            i += 1
    return out


def _is_date_section(tokens: list[tuple[str, str]]) -> bool:
    codes = "".join(t for k, t in tokens if k == "code")
    return bool(_DATE_CODES.search(codes.replace("General", "").replace("general", "")))


def _choose_section(sections: list[str], value: float) -> tuple[str, bool]:
    """The section that prints ``value``, and whether the value's sign is printed by the section."""
    numeric = [s for s in sections[:3]]
    conditioned = [(s, _CONDITION.match(s)) for s in numeric]
    if any(m for _, m in conditioned):
        for s, m in conditioned:
            if m is None:
                continue
            op, limit = m.group(1), float(m.group(2))
            if {"<": value < limit, "<=": value <= limit, ">": value > limit, ">=": value >= limit,
                    "=": value == limit, "<>": value != limit}[op]:
                return s[m.end():], True
        rest = [s for s, m in conditioned if m is None]
        return (rest[0] if rest else numeric[-1]), value >= 0
    if len(numeric) == 1:
        return numeric[0], True
    if value > 0 or (value == 0 and len(numeric) == 2):
        return numeric[0], True
    if value < 0:
        return numeric[1], False  # the negative section prints its own sign (or brackets)
    return numeric[2], True


def _round(value: float, decimals: int) -> Decimal:
    # Half away from zero, as spreadsheets round, on the shortest decimal form of the double.
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _group(digits: str) -> str:
    head = len(digits) % 3 or 3
    return ",".join([digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)])


def _format_number(value: float, tokens: list[tuple[str, str]]) -> str:
    codes = [t for k, t in tokens if k == "code"]
    placeholders = [i for i, (k, t) in enumerate(tokens) if k == "code" and t in "0#?"]
    if not placeholders:
        # No digits in the section (e.g. "-" for zero or a label): it prints only its literals;
        # "General" inside a section prints the number itself.
        text = "".join(t for _, t in tokens)
        if "General" in text:
            return text.replace("General", general(value))
        return "".join(t if k == "lit" else (general(value) if t == "@" else "") for k, t in tokens)
    percent = codes.count("%")
    value = value * (100 ** percent)
    first, last = placeholders[0], placeholders[-1]
    dot = next((i for i in range(first, last + 1) if tokens[i] == ("code", ".")), None)
    exp_at = next((i for i in range(first, len(tokens)) if tokens[i][0] == "code" and tokens[i][1] in "Ee"
                   and i + 1 < len(tokens) and tokens[i + 1][1] in "+-"), None)
    int_end = dot if dot is not None else (exp_at if exp_at is not None else last + 1)
    int_ph = [t for k, t in tokens[first:int_end] if k == "code" and t in "0#?"]
    frac_end = exp_at if exp_at is not None else last + 1
    frac_ph = [t for k, t in tokens[dot + 1:frac_end] if k == "code" and t in "0#?"] if dot is not None else []
    grouping = any(t == ("code", ",") for t in tokens[first:int_end]) and len(int_ph) > 1
    # Commas right after the last digit placeholder scale by a thousand each ("0," is thousands).
    scale_commas, k = 0, last + 1
    while k < len(tokens) and tokens[k] == ("code", ","):
        scale_commas += 1
        k += 1
    value = value / (1000 ** scale_commas)
    exponent_text = ""
    if exp_at is not None:
        exp_digits = [t for kk, t in tokens[exp_at + 2:] if kk == "code" and t in "0#?"]
        mantissa_digits = max(1, len(int_ph))
        exponent = 0
        if value != 0:
            exponent = Decimal(repr(abs(value))).adjusted() - (mantissa_digits - 1)
        value = value / (10 ** exponent)
        sign = "-" if exponent < 0 else ("+" if tokens[exp_at + 1][1] == "+" else "")
        exponent_text = f"E{sign}{str(abs(exponent)).zfill(len(exp_digits))}"
    rounded = _round(abs(value), len(frac_ph))
    int_digits, _, frac_digits = f"{rounded:f}".partition(".")
    int_digits = int_digits.lstrip("0")
    int_digits = int_digits.rjust(int_ph.count("0"), "0")
    if grouping:
        int_digits = _group(int_digits)
    frac = list(frac_digits)
    for n in range(len(frac_ph) - 1, -1, -1):  # optional trailing decimals drop their zeros
        if frac_ph[n] == "0" or frac[n] != "0":
            break
        frac[n] = "" if frac_ph[n] == "#" else " "
    number = int_digits + ("." + "".join(frac) if dot is not None else "") + exponent_text
    prefix = "".join(t for kk, t in tokens[:first] if kk == "lit" or t not in ",")
    suffix_tokens = tokens[(exp_at + 2 + len([1 for kk, t in tokens[exp_at + 2:] if kk == "code" and t in "0#?"]))
                           if exp_at is not None else last + 1:]
    suffix = "".join(t for kk, t in suffix_tokens if kk == "lit" or t not in ",")
    # Literals between digit placeholders (e.g. 0"万"0) are rare; they follow the number.
    inner = "".join(t for kk, t in tokens[first:last + 1] if kk == "lit")
    return prefix + number + inner + suffix


def _format_datetime(value: dt.datetime | dt.date | dt.time | dt.timedelta,
                     tokens: list[tuple[str, str]]) -> str:
    if isinstance(value, dt.timedelta):
        value = _EPOCH_1900 + value
    elif isinstance(value, dt.time):
        value = dt.datetime.combine(dt.date(1899, 12, 30), value)
    elif not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    text = "".join(t for _, t in tokens)
    twelve = bool(re.search(r"(?i)am/pm|a/p|上午/下午", text))
    out: list[str] = []
    pieces = _date_pieces(tokens)
    for n, (kind, piece) in enumerate(pieces):
        if kind == "lit":
            out.append(piece)
            continue
        low = piece.lower()
        if low.startswith("y"):
            out.append(str(value.year)[-2:] if len(low) <= 2 else str(value.year))
        elif low.startswith("m") and _is_minute(pieces, n):
            out.append(f"{value.minute:02d}" if len(low) >= 2 else str(value.minute))
        elif low.startswith("m"):
            out.append({1: str(value.month), 2: f"{value.month:02d}", 3: _MONTHS[value.month - 1][:3],
                        5: _MONTHS[value.month - 1][0]}.get(len(low), _MONTHS[value.month - 1]))
        elif low.startswith("d"):
            out.append({1: str(value.day), 2: f"{value.day:02d}", 3: _WEEKDAYS[value.weekday()][:3]}
                       .get(len(low), _WEEKDAYS[value.weekday()]))
        elif low.startswith("h"):
            hour = value.hour % 12 or 12 if twelve else value.hour
            out.append(f"{hour:02d}" if len(low) >= 2 else str(hour))
        elif low.startswith("s"):
            out.append(f"{value.second:02d}" if len(low) >= 2 else str(value.second))
        elif low.startswith("[h"):
            delta = value - _EPOCH_1900
            out.append(str(int(delta.total_seconds() // 3600)))
        elif low in ("am/pm", "a/p"):
            out.append(("AM" if value.hour < 12 else "PM")[: 1 if low == "a/p" else 2])
        elif piece == "上午/下午":
            out.append("上午" if value.hour < 12 else "下午")
        elif piece == ".0" or piece.startswith(".0"):
            out.append(f".{value.microsecond:06d}"[: len(piece)])
        else:
            out.append(piece)
    return "".join(out).strip()


def _date_pieces(tokens: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Runs of one date code letter (yyyy, mm, d …), AM/PM markers, and literals."""
    pieces: list[tuple[str, str]] = []
    for kind, t in tokens:
        if kind == "lit":
            pieces.append(("lit", t))
        elif t.startswith("["):
            pieces.append(("code", t))
        elif pieces and pieces[-1][0] == "code" and pieces[-1][1][-1:].lower() == t.lower() and t.lower() in "ymdhs":
            pieces[-1] = ("code", pieces[-1][1] + t)
        elif t.lower() in "ymdhs":
            pieces.append(("code", t))
        else:
            pieces.append(("text", t))
    # Join the letters of AM/PM, A/P and 上午/下午 back into one marker.
    joined: list[tuple[str, str]] = []
    text = "".join(p for _, p in pieces)
    for kind, p in pieces:
        joined.append(("lit" if kind == "text" else kind, p))
    for marker in ("AM/PM", "am/pm", "A/P", "a/p", "上午/下午"):
        if marker in text:
            joined = _merge_marker(joined, marker)
    return joined


def _merge_marker(pieces: list[tuple[str, str]], marker: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(pieces):
        run, j = "", i
        while j < len(pieces) and len(run) < len(marker):
            run += pieces[j][1]
            j += 1
        if run == marker:
            out.append(("code", marker))
            i = j
        else:
            out.append(pieces[i])
            i += 1
    return out


def _is_minute(pieces: list[tuple[str, str]], n: int) -> bool:
    """``m`` is minutes right after an hour code or right before a seconds code."""
    codes = [(i, p.lower()) for i, (k, p) in enumerate(pieces) if k == "code"]
    pos = [i for i, _ in codes].index(n)
    before = codes[pos - 1][1] if pos > 0 else ""
    after = codes[pos + 1][1] if pos + 1 < len(codes) else ""
    return before.startswith(("h", "[h")) or after.startswith("s")


def serial_to_datetime(serial: float, date1904: bool = False) -> dt.datetime:
    """A spreadsheet date serial number as a datetime."""
    return (_EPOCH_1904 if date1904 else _EPOCH_1900) + dt.timedelta(days=serial)


def format_value(value: object, code: str | None, date1904: bool = False) -> str:
    """``value`` as a spreadsheet prints it under the number format ``code``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    code = code or "General"
    sections = _split_sections(code)
    if isinstance(value, str):
        text_section = sections[3] if len(sections) > 3 else (sections[0] if "@" in sections[0] else None)
        if text_section is None:
            return value
        return "".join(t if k == "lit" else (value if t == "@" else "") for k, t in _tokens(text_section))
    if isinstance(value, (dt.datetime, dt.date, dt.time, dt.timedelta)):
        tokens = _tokens(sections[0])
        if not _is_date_section(tokens):
            tokens = _tokens("yyyy-mm-dd h:mm:ss" if isinstance(value, dt.datetime) and
                             (value.hour or value.minute or value.second) else "yyyy-mm-dd")
        return _format_datetime(value, tokens)
    if not isinstance(value, (int, float)):
        return str(value)
    if code.strip().lower() in ("general", ""):
        return general(value)
    section, signed = _choose_section(sections, float(value))
    tokens = _tokens(section)
    if "".join(t for _, t in tokens).strip().lower() == "general":
        return general(value) if signed else general(abs(value))
    if _is_date_section(tokens):
        try:
            return _format_datetime(serial_to_datetime(float(value), date1904), tokens)
        except (OverflowError, ValueError):
            return general(value)
    text = _format_number(abs(float(value)), tokens)
    if signed and value < 0 and re.search(r"[1-9]", text):
        text = "-" + text
    return text.strip()
