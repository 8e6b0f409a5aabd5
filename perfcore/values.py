"""Cell values as people write them: numbers, amounts, rates, targets and actuals.

Everything here is a pure function of one cell's text. Numbers are `Decimal` from the first
character to the last, so that 261.46 stays 261.46; no float ever touches a parsed value.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

# Cells that mean "not given". Compared after normalising and dropping spaces, so "— —" counts.
_NOT_GIVEN_CHARS = frozenset("/-—–─*_")

# Zero-width characters that survive copy-paste from Word and PDF but are not whitespace.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))

# Minus signs NFKC leaves alone; people paste them from Word.
_MINUS = str.maketrans({"\u2212": "-", "\u2012": "-"})

NUMBER_PATTERN = r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_NUMBER_CELL = re.compile(rf"(?P<num>{NUMBER_PATTERN}) ?(?P<unit>\S*)")

# Unit spellings that mean the same thing; the key is what people write, the value what we keep.
UNIT_SYNONYMS: dict[str, str] = {
    "百分比": "%",
    "萬元": "万元",
    "億元": "亿元",
    "個": "个",
}

# Units a plain numeric cell (amount, weight, score, rate) may carry.
_NUMBER_CELL_UNITS = frozenset({"%", "元", "万元", "亿元", "千元", "分"})

# Money units in 元, to convert between them exactly.
MONEY_IN_YUAN: dict[str, Decimal] = {
    "元": Decimal(1),
    "千元": Decimal(1000),
    "万元": Decimal(10000),
    "亿元": Decimal(100000000),
}

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
