"""Cell values as people write them: numbers, amounts, rates, targets and actuals.

Everything here is a pure function of one cell's text. Numbers are `Decimal` from the first
character to the last, so that 261.46 stays 261.46; no float ever touches a parsed value.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from decimal import Decimal

from perfcore.model import Operator, ParsedValue, ValueKind
from perfcore.phrases import (
    MONEY_IN_YUAN,
    NATURE_WORDS,
    NOT_APPLICABLE_WORDS,
    OCR_UNITS,
    SYMBOL_OPERATORS,
    UNIT_SCALES,
    UNIT_SYNONYMS,
    WORDS_BEFORE,
    Deadline,
    is_deadline_phrase,
    is_trusted_unit,
    match_deadline,
    operator_before,
    split_operator_after,
)

# Cells that mean "not given". Compared after normalising and dropping spaces, so "— —" counts.
_NOT_GIVEN_CHARS = frozenset("/-—–─*_")

# Zero-width characters that survive copy-paste from Word and PDF but are not whitespace.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))

# Minus signs NFKC leaves alone; people paste them from Word.
_MINUS = str.maketrans({"\u2212": "-", "\u2012": "-"})

NUMBER_PATTERN = r"(?<![\d.%])[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_NUMBER_CELL = re.compile(rf"(?P<num>{NUMBER_PATTERN}) ?(?P<unit>\S*)")

# Units a plain numeric cell (amount, weight, score, rate) may carry.
_NUMBER_CELL_UNITS = frozenset({"%", "元", "万元", "亿元", "千元", "分"})

_HUNDRED = Decimal(100)
# A bare execution rate above this is a percentage written without %; 1.5 leaves room for
# over-execution written as a fraction (1.0259).
_FRACTION_LIMIT = Decimal("1.5")

_NUMBER_EXAMPLE_ZH = "应为数字，如 261.46（可带单位 万元、元、%、分）"
_NUMBER_EXAMPLE_EN = "expected a number such as 261.46 (optionally with 万元, 元, % or 分)"


class ValueParseError(ValueError):
    """A cell that should hold a number does not; carries a Chinese and an English message."""

    def __init__(self, message_zh: str, message_en: str) -> None:
        super().__init__(f"{message_zh} ({message_en})")
        self.message_zh = message_zh
        self.message_en = message_en


@dataclass(frozen=True)
class ParsedNumber:
    """A plain numeric cell: its value and the unit written after it (normalised), if any."""

    value: Decimal
    unit: str | None


def normalise_text(text: str) -> str:
    """Full-width forms to ASCII (NFKC), strip, collapse inner whitespace; Chinese stays.

    NFKC also maps ％ ＞ ＝ ﹦ to % > = =, which is wanted; ≥ ≤ ≧ ≦ have no compatibility
    form and are kept as they are.
    """
    cleaned = unicodedata.normalize("NFKC", text).translate(_INVISIBLE).translate(_MINUS)
    return " ".join(cleaned.split())


def is_not_given(text: str | None) -> bool:
    """True for a blank cell and for the markers people use for "not given": / — - * ——."""
    if text is None:
        return True
    compact = normalise_text(text).replace(" ", "")
    return not compact or set(compact) <= _NOT_GIVEN_CHARS


def is_not_applicable(text: str | None) -> bool:
    """True for a cell that says the indicator does not apply: 不适用, （不涉及）, 无此项, N/A."""
    if text is None:
        return False
    compact = normalise_text(text).replace(" ", "").strip("()[]【】。.").lower()
    return compact in NOT_APPLICABLE_WORDS


def canonical_unit(unit: str) -> str:
    """The unit as we store it: 百分比 → %, traditional 萬元 → 万元."""
    return UNIT_SYNONYMS.get(unit, unit)


def decimal_from(digits: str) -> Decimal:
    """A Decimal from a matched number, dropping thousands separators."""
    return Decimal(digits.replace(",", ""))


def tidy_decimal(value: Decimal) -> Decimal:
    """Drop trailing fractional zeros without switching to exponent notation (100, not 1E+2)."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def parse_number(text: str) -> ParsedNumber | None:
    """A numeric cell: `　155.68`, `1,234.5`, `１２３`, `100％`, `2.65万元`, `10分`, `-3`.

    Returns None for blank and not-given cells; raises `ValueParseError` on anything else.
    """
    if is_not_given(text):
        return None
    cleaned = normalise_text(text)
    match = _NUMBER_CELL.fullmatch(cleaned)
    if match is None:
        raise ValueParseError(
            f"「{cleaned}」{_NUMBER_EXAMPLE_ZH}", f"{cleaned!r}: {_NUMBER_EXAMPLE_EN}"
        )
    unit = canonical_unit(match["unit"]) if match["unit"] else None
    if unit is not None and unit not in _NUMBER_CELL_UNITS:
        raise ValueParseError(
            f"「{cleaned}」的单位「{unit}」无法识别，{_NUMBER_EXAMPLE_ZH}",
            f"{cleaned!r}: unit {unit!r} not understood; {_NUMBER_EXAMPLE_EN}",
        )
    return ParsedNumber(decimal_from(match["num"]), unit)


def parse_amount_wan(text: str, table_unit: str = "万元") -> Decimal | None:
    """A money cell in 万元. A 元/万元 suffix in the cell wins over the table's unit."""
    if table_unit not in MONEY_IN_YUAN:
        raise ValueError(f"table_unit must be one of {sorted(MONEY_IN_YUAN)}, not {table_unit!r}")
    parsed = parse_number(text)
    if parsed is None:
        return None
    unit = parsed.unit or table_unit
    if unit not in MONEY_IN_YUAN:
        raise ValueParseError(
            f"「{normalise_text(text)}」应为金额（万元），如 261.46，不应带「{unit}」",
            f"{text!r}: expected an amount in 万元 such as 261.46, not a value in {unit!r}",
        )
    return tidy_decimal(parsed.value * MONEY_IN_YUAN[unit] / MONEY_IN_YUAN["万元"])


def parse_fraction(text: str) -> Decimal | None:
    """An execution rate as a fraction (1 = 100 %): `86%`, `102.59％`, `0.862`, bare `86`.

    A bare number above 1.5 is read as a percentage, since nobody executes 150 times the budget.
    """
    parsed = parse_number(text)
    if parsed is None:
        return None
    if parsed.unit not in (None, "%"):
        raise ValueParseError(
            f"「{normalise_text(text)}」应为比率，如 86% 或 0.86，不应带「{parsed.unit}」",
            f"{text!r}: expected a rate such as 86% or 0.86, not a value in {parsed.unit!r}",
        )
    if parsed.unit == "%" or parsed.value > _FRACTION_LIMIT:
        return tidy_decimal(parsed.value / _HUNDRED)
    return tidy_decimal(parsed.value)


# --- targets and actuals (年度指标值 / 实际完成值) -------------------------------------------

_OPERATOR_SYMBOL = "|".join(re.escape(s) for s in sorted(SYMBOL_OPERATORS, key=len, reverse=True))
_UNIT_PATTERN = r"%|‰|[A-Za-z]{1,5}\d?|[\u4e00-\u9fff]{1,4}(?:/[\u4e00-\u9fff]{1,2})?"
_VALUE = re.compile(
    rf"(?P<label>\D*?) ?(?P<op>{_OPERATOR_SYMBOL})? ?"
    rf"(?P<num>{NUMBER_PATTERN}) ?(?P<unit>{_UNIT_PATTERN})?"
)
_ANY_NUMBER = re.compile(NUMBER_PATTERN)
_STARTS_WITH_OPERATOR = re.compile(rf"(?:{_OPERATOR_SYMBOL})")
_OCR_LE_LABELS = frozenset({"W", "w"})
_APPROXIMATE_LABELS = frozenset({"约", "大约", "约为", "大概", "近", "将近"})  # 约30次: not exact
# A template placeholder left unfilled, or its OCR form: ≥X, WX, X%.
_PLACEHOLDER = re.compile(rf"(?:{_OPERATOR_SYMBOL}|W)? ?[Xx×]+ ?\S{{0,3}}")
_BRACKETS = str.maketrans("", "", "()[]【】")


def parse_value(text: str | None) -> ParsedValue:
    """A target (年度指标值) or actual (实际完成值) as people write it. Never raises.

    Understood: `≥6次`, `≤2000元`, `﹦72890元`, `98%以上`, `不低于95%`, `足额保障率=100%`,
    bare `100`; deadlines `2022年底`, `9月前`, `7月`, `按时完成`, `2022年年前完成97.13%`;
    phrases `持续保证`, `达成预期指标`. A guess (OCR damage, two numbers, trailing junk)
    comes back with `confident=False` and a Chinese `note`.
    """
    raw = "" if text is None else text
    if is_not_given(raw):
        return ParsedValue(raw=raw, kind=ValueKind.MISSING)
    cleaned, bracket_note = _strip_brackets(normalise_text(raw))
    if is_not_given(cleaned):
        return ParsedValue(raw=raw, kind=ValueKind.MISSING)
    deadline = match_deadline(cleaned)
    if deadline is not None:
        value = _deadline_value(raw, deadline)
    elif (match := _VALUE.fullmatch(split_operator_after(cleaned)[0])) is not None:
        value = _labelled_deadline(raw, match) or _number_value(raw, cleaned, match)
    elif is_deadline_phrase(cleaned):
        value = ParsedValue(raw=raw, kind=ValueKind.DEADLINE, text=cleaned)
    elif _ANY_NUMBER.search(cleaned) is None:
        value = _phrase_value(raw, cleaned)
    else:
        value = _guessed_number(raw, cleaned)
    if bracket_note is not None:
        return replace(value, confident=False, note=_join_notes(bracket_note, value.note))
    return value


def _strip_brackets(text: str) -> tuple[str, str | None]:
    """Drop brackets around a value, `(≥80%)`, and a trailing `(含)`; a lone bracket is OCR
    damage, so it is dropped and noted."""
    balanced = text.count("(") == text.count(")") and text.count("【") == text.count("】")
    if not balanced:
        return text.translate(_BRACKETS).strip(), "括号不完整，疑为扫描识别错误"
    while True:
        inner = text.removesuffix("(含)").rstrip()
        if len(inner) > 2 and inner[0] + inner[-1] in ("()", "【】"):
            inner = inner[1:-1].strip()
        if inner == text:
            return text, None
        text = inner


def _deadline_value(raw: str, deadline: Deadline) -> ParsedValue:
    return ParsedValue(
        raw=raw,
        kind=ValueKind.DEADLINE,
        number=deadline.completion,
        unit="%" if deadline.completion is not None else None,
        year=deadline.year,
        month=deadline.month,
    )


def _labelled_deadline(raw: str, match: re.Match[str]) -> ParsedValue | None:
    """`验收时间7月`: a label before a month or year is a deadline, as `7月` alone is."""
    if match["op"] or operator_before(match["label"].strip()):
        return None
    deadline = match_deadline(match["num"] + (match["unit"] or ""))
    return _deadline_value(raw, deadline) if deadline is not None else None


def _number_value(raw: str, cleaned: str, match: re.Match[str]) -> ParsedValue:
    """A full match of [label][operator]number[unit][以上/以下…]; the guesswork is noted."""
    notes: list[str] = []
    label = match["label"].strip()
    number = decimal_from(match["num"])
    operator = SYMBOL_OPERATORS.get(match["op"] or "")
    for word_operator in (operator_before(label), split_operator_after(cleaned)[1]):
        if word_operator is None:
            continue
        if operator is not None and operator is not word_operator:
            notes.append(
                f"比较符号「{operator.value}」与文字「{word_operator.value}」矛盾，按符号理解"
            )
        operator = operator or word_operator
    if label in _APPROXIMATE_LABELS:
        notes.append(f"「{label}」表示约数，按 {match['num']}{match['unit'] or ''} 理解")
    if label in _OCR_LE_LABELS and operator is None:
        operator = Operator.LE
        notes.append(f"「{label}」疑为扫描识别把 ≤ 读错，按 ≤ 理解")
    unit = canonical_unit(match["unit"]) if match["unit"] else None
    if unit in OCR_UNITS:
        notes.append(f"单位「{unit}」疑为扫描识别把 {OCR_UNITS[unit]} 读错")
        unit = OCR_UNITS[unit]
    elif unit is not None and not is_trusted_unit(unit):
        notes.append(f"单位「{unit}」不常见，可能含有多余文字")
    if operator is None and unit == "%" and (misread := _ge_read_as_two(match["num"])):
        notes.append(f"「{match['num']}%」疑为扫描识别把 ≥ 读成 2，按「≥{misread}%」理解")
        operator, number = Operator.GE, decimal_from(misread)
    return ParsedValue(
        raw=raw,
        kind=ValueKind.NUMBER,
        operator=operator,
        number=number,
        unit=unit,
        confident=not notes,
        note="；".join(notes) or None,
    )


def _ge_read_as_two(digits: str) -> str | None:
    """`280` of `280%` is `≥80` when OCR read ≥ as 2: over 100 %, and 80 is a plausible rate."""
    rest = digits[1:]
    if not digits.startswith("2") or not rest or rest.startswith(("0", ".", ",")):
        return None
    if decimal_from(digits) <= _HUNDRED or decimal_from(rest) > _HUNDRED:
        return None
    return rest


def _phrase_value(raw: str, cleaned: str) -> ParsedValue:
    """Text without any number: a qualitative target or actual (持续保证, 达成预期指标)."""
    if _STARTS_WITH_OPERATOR.match(cleaned) or _PLACEHOLDER.fullmatch(cleaned):
        return ParsedValue(
            raw=raw,
            kind=ValueKind.QUALITATIVE,
            text=cleaned,
            confident=False,
            note="有比较符号但没有数字，可能是未填写的模板占位",
        )
    return ParsedValue(raw=raw, kind=ValueKind.QUALITATIVE, text=cleaned)


def _guessed_number(raw: str, cleaned: str) -> ParsedValue:
    """Numbers inside text the grammar does not cover: take the first one and say so."""
    numbers = [m.group() for m in _ANY_NUMBER.finditer(cleaned)]
    first = _VALUE.search(cleaned)
    assert first is not None  # there is at least one number
    guess = _number_value(raw, first.group(), first)
    if len({decimal_from(n) for n in numbers}) > 1:
        reason = f"单元格中有多个数字（{'、'.join(numbers)}），按第一个理解"
    else:
        reason = f"数字后面有无法识别的文字「{cleaned[first.end() :].strip()}」"
    return replace(guess, confident=False, note=_join_notes(reason, guess.note))


def _join_notes(*notes: str | None) -> str:
    return "；".join(n for n in notes if n)


def format_value(value: ParsedValue) -> str:
    """The canonical text of a value: `≥6次`, `≤2000元`, `99.85%`, `2022年12月`, the phrase.

    `parse_value(format_value(v))` gives `v` back (but for `raw`) for every confident value.
    """
    if value.kind is ValueKind.MISSING:
        return ""
    if value.kind is ValueKind.QUALITATIVE:
        return value.text or ""
    if value.kind is ValueKind.DEADLINE:
        return _format_deadline(value)
    operator = value.operator.value if value.operator is not None else ""
    number = _plain(value.number) if value.number is not None else ""
    return f"{operator}{number}{value.unit or ''}"


def _format_deadline(value: ParsedValue) -> str:
    if value.year is None and value.month is None:
        return value.text or ""
    year = f"{value.year}年" if value.year is not None else ""
    month = f"{value.month}月" if value.month is not None else ""
    done = f"完成{_plain(value.number)}%" if value.number is not None else ""
    return f"{year}{month}{done}"


def _plain(number: Decimal) -> str:
    """A Decimal without exponent notation: 100, not 1E+2."""
    return format(number, "f")


def to_comparable(target: ParsedValue, actual: ParsedValue) -> tuple[Decimal, Decimal] | None:
    """Target and actual numbers on the target's scale, or None when units do not agree.

    `100%` vs `100` compare as equals (actuals are often printed bare); `72890元` vs `7.289万元`
    convert; `元/人` only converts into another per-人 money unit.
    """
    if target.number is None or actual.number is None:
        return None
    if target.unit is None or actual.unit is None or target.unit == actual.unit:
        return target.number, actual.number
    factor = _conversion(actual.unit, target.unit)
    if factor is None:
        return None
    return target.number, tidy_decimal(actual.number * factor)


def _conversion(source: str, destination: str) -> Decimal | None:
    source_base, _, source_per = source.partition("/")
    destination_base, _, destination_per = destination.partition("/")
    if source_per != destination_per:
        return None
    source_scale = UNIT_SCALES.get(source_base)
    destination_scale = UNIT_SCALES.get(destination_base)
    if source_scale is None or destination_scale is None:
        return None
    if source_scale[0] != destination_scale[0]:
        return None
    return source_scale[1] / destination_scale[1]


def split_target(operator_cell: str | None, value_cell: str | None, unit_cell: str | None) -> str:
    """Join the split form 指标性质 | 指标值 | 度量单位 into one target: `﹦|72890|元` → `=72890元`."""
    if is_not_given(value_cell):
        return ""
    value = normalise_text(value_cell or "")
    nature = "" if is_not_given(operator_cell) else normalise_text(operator_cell or "")
    unit = "" if is_not_given(unit_cell) else normalise_text(unit_cell or "")
    if nature in SYMBOL_OPERATORS:
        nature = SYMBOL_OPERATORS[nature].value
    elif nature in WORDS_BEFORE:
        nature = WORDS_BEFORE[nature].value
    elif nature in NATURE_WORDS:
        direction = NATURE_WORDS[nature]
        nature = direction.value if direction is not None else ""
    if _STARTS_WITH_OPERATOR.match(value):
        nature = ""
    if value.endswith(unit) or _ANY_NUMBER.search(value) is None:
        unit = ""
    return f"{nature}{value}{unit}"
