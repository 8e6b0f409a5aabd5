"""The words in targets and actuals: comparison words, deadlines and units people write.

`perfcore.values` parses the numbers; this module only knows the vocabulary, so a new
phrasing seen in a real table is one entry here. Inputs are already normalised
(`perfcore.values.normalise_text`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from perfcore.model import Operator

# Money units in 元, to convert between them exactly.
MONEY_IN_YUAN: dict[str, Decimal] = {
    "元": Decimal(1),
    "千元": Decimal(1000),
    "万元": Decimal(10000),
    "亿元": Decimal(100000000),
}

# Units that convert into one another: family and size in the family's smallest unit.
UNIT_SCALES: dict[str, tuple[str, Decimal]] = {
    **{unit: ("money", size) for unit, size in MONEY_IN_YUAN.items()},
    "%": ("ratio", Decimal(1)),
    "‰": ("ratio", Decimal("0.1")),
    "人": ("people", Decimal(1)),
    "万人": ("people", Decimal(10000)),
    "亩": ("mu", Decimal(1)),
    "万亩": ("mu", Decimal(10000)),
    "天": ("days", Decimal(1)),
    "日": ("days", Decimal(1)),
    "月": ("months", Decimal(1)),
    "个月": ("months", Decimal(1)),
}

# Unit spellings that mean the same thing; the key is what people write, the value what we keep.
UNIT_SYNONYMS: dict[str, str] = {
    "百分比": "%",
    "萬元": "万元",
    "億元": "亿元",
    "個": "个",
}

GE, GT, LE, LT, EQ = Operator.GE, Operator.GT, Operator.LE, Operator.LT, Operator.EQ

# Symbols after NFKC (＞＝ is already >=, ﹦ and ＝ are =). Longest first so >= wins over >.
SYMBOL_OPERATORS: dict[str, Operator] = {
    ">=": GE, "≥": GE, "≧": GE, "⩾": GE,
    "<=": LE, "≤": LE, "≦": LE, "⩽": LE,
    ">": GT, "<": LT, "=": EQ,
}  # fmt: skip

# Words written before the number (不低于95%). Checked longest first: 不低于 before 低于.
WORDS_BEFORE: dict[str, Operator] = {
    "大于或等于": GE, "大于等于": GE, "不低于": GE, "不少于": GE, "不小于": GE, "至少": GE,
    "小于或等于": LE, "小于等于": LE, "不高于": LE, "不超过": LE, "不多于": LE, "不大于": LE,
    "控制在": LE,
    "大于": GT, "高于": GT, "超过": GT, "多于": GT,
    "小于": LT, "低于": LT, "少于": LT,
}  # fmt: skip

# Words written after the number and its unit (98%以上, 3天内, 控制在5%以内).
WORDS_AFTER: dict[str, Operator] = {
    "及以上": GE, "以上": GE,
    "及以下": LE, "以下": LE, "以内": LE, "之内": LE, "内": LE,
}  # fmt: skip

# Units seen in real tables or common enough to trust; any other 1–2 character CJK unit is
# accepted too, longer unknown ones are flagged.
KNOWN_UNITS = frozenset({
    "次", "人", "个", "户", "组", "亩", "件", "项", "天", "日", "月", "年", "批次",
    "元", "万元", "亿元", "千元", "元/人", "元/亩", "元/户", "万元/人", "%", "‰", "分",
    "个月", "人次", "万人", "万人次", "家", "所", "座", "台", "套", "辆", "吨", "株", "棵",
    "场", "场次", "期", "篇", "本", "份", "张", "条", "处", "名", "间", "册", "万册",
    "公里", "千米", "米", "平方米", "平方公里", "立方米", "公顷", "万亩", "小时", "工作日",
    "篇次", "户次", "km", "m", "cm", "mm", "kg", "g", "t", "h", "kw", "kwh", "mw", "gb", "l",
})  # fmt: skip

# Characters OCR puts where % was printed, as seen in scanned tables: 「(280酚」 for 「(≥80%)」.
OCR_UNITS: dict[str, str] = {"酚": "%"}

# 指标性质 words in split-column templates (正向 = higher is better); 定性/定量 give no direction.
NATURE_WORDS: dict[str, Operator | None] = {
    "正向": GE, "正向指标": GE, "反向": LE, "反向指标": LE,
    "定性": None, "定性指标": None, "定量": None, "定量指标": None,
}  # fmt: skip

# An undated deadline phrase: 按时完成, 及时, 在项目计划完成时间内完成.
_DEADLINE_WORDS = ("按时", "及时", "按期", "如期", "准时", "时间内", "期限内", "时限内", "规定时间")

# The words around a dated deadline: 「在」2022年底「之前」「全部完成」.
_DEADLINE_LEAD = r"(?:在|于|截至|截止|截止到)?"
_DEADLINE_WITHIN = r"之前|以前|前|以内|之内|内"
_DEADLINE_DONE = r"(?:已经?|全部|基本)*(?:完成|办结)?"
_DATED = re.compile(
    _DEADLINE_LEAD + r"(?:(?P<year>(?:19|20)\d{2})年)?"
    r"(?:(?P<month>\d{1,2})月份?)?"
    r"(?:(?P<day>\d{1,2})[日号])?"
    r"(?P<end>年?[底末]|年前|上半年|下半年)?"
    rf"(?:{_DEADLINE_WITHIN})?"
    rf"{_DEADLINE_DONE}率?"
    r"(?:(?P<pct>\d+(?:\.\d+)?)%)?"
)
# A quarter as a deadline, due at its last month: 第三季度, 2022年第4季度末前, 一季度内完成. A bare
# "4季度" stays a number (it may count quarters); 第, a Chinese numeral, a year or 末/前/内 tell.
_QUARTER = re.compile(
    _DEADLINE_LEAD + r"(?:(?P<year>(?:19|20)\d{2})年(?:度)?)?"
    r"(?P<nth>第)?(?P<q>[1-4一二三四])季度"
    r"(?P<end>末|底)?"
    rf"(?P<within>{_DEADLINE_WITHIN})?" + _DEADLINE_DONE
)
_QUARTER_NUMBERS = {"1": 1, "2": 2, "3": 3, "4": 4, "一": 1, "二": 2, "三": 3, "四": 4}
_ISO_DATE = re.compile(r"(?P<year>(?:19|20)\d{2})[-/.](?P<month>\d{1,2})[-/.](?P<day>\d{1,2})")
_END_MONTH = {"底": 12, "末": 12, "年底": 12, "年末": 12, "年前": 12, "上半年": 6, "下半年": 12}


@dataclass(frozen=True)
class Deadline:
    """A date target or actual: year and month where written, plus a completion % if any."""

    year: int | None
    month: int | None
    completion: Decimal | None = None


# Longest first, so that 不低于 wins over 低于 and 及以上 over 以上.
_BEFORE_LONGEST_FIRST = tuple(sorted(WORDS_BEFORE, key=len, reverse=True))
_AFTER_LONGEST_FIRST = tuple(sorted(WORDS_AFTER, key=len, reverse=True))


def operator_before(label: str) -> Operator | None:
    """The comparison word that ends `label` (不低于 in 「满意度不低于」), if any."""
    if not label.endswith(_BEFORE_LONGEST_FIRST):  # one C call answers most labels
        return None
    for word in _BEFORE_LONGEST_FIRST:
        if label.endswith(word):
            return WORDS_BEFORE[word]
    return None


def split_operator_after(text: str) -> tuple[str, Operator | None]:
    """`98%以上` → (`98%`, GE): the text without its trailing comparison word."""
    if not text.endswith(_AFTER_LONGEST_FIRST):
        return text, None
    for word in _AFTER_LONGEST_FIRST:
        if text.endswith(word) and len(text) > len(word):
            return text[: -len(word)].rstrip(), WORDS_AFTER[word]
    return text, None


def match_deadline(text: str) -> Deadline | None:
    """A dated deadline: 2022年底, 2022年12月底前, 12月底之前完成, 9月前, 7月, 2022-12-31,
    2022年年前完成97.13%, 第三季度 (its last month, 9). Returns None when `text` is not one."""
    compact = text.replace(" ", "")
    iso = _ISO_DATE.fullmatch(compact)
    if iso is not None:
        return _checked(int(iso["year"]), int(iso["month"]), int(iso["day"]), None)
    quarter = _QUARTER.fullmatch(compact)
    if quarter is not None and (
        quarter["nth"] or quarter["year"] or quarter["end"] or quarter["within"]
        or not quarter["q"].isdigit()
    ):  # fmt: skip
        year = int(quarter["year"]) if quarter["year"] else None
        return _checked(year, 3 * _QUARTER_NUMBERS[quarter["q"]], None, None)
    dated = _DATED.fullmatch(compact)
    if dated is None or not (dated["year"] or dated["month"] or dated["end"]):
        return None
    month = int(dated["month"]) if dated["month"] else _END_MONTH.get(dated["end"] or "")
    year = int(dated["year"]) if dated["year"] else None
    day = int(dated["day"]) if dated["day"] else None
    completion = Decimal(dated["pct"]) if dated["pct"] else None
    return _checked(year, month, day, completion)


def _checked(
    year: int | None, month: int | None, day: int | None, completion: Decimal | None
) -> Deadline | None:
    if month is not None and not 1 <= month <= 12:
        return None
    if day is not None and not 1 <= day <= 31:
        return None
    return Deadline(year, month, completion)


def is_deadline_phrase(text: str) -> bool:
    """An undated deadline such as 按时完成, 及时, 在项目计划完成时间内完成."""
    return any(word in text for word in _DEADLINE_WORDS)


def is_trusted_unit(unit: str) -> bool:
    """Known units and short CJK ones (株, 场) are trusted; long or odd ones are a guess."""
    if unit.endswith(_AFTER_LONGEST_FIRST):
        return False  # 0内内: a second comparison word, not a unit
    if unit.lower() in KNOWN_UNITS:
        return True
    return len(unit) <= 2 and all("\u4e00" <= ch <= "\u9fff" for ch in unit)


# A whole cell saying the indicator does not apply this year, compared without spaces, brackets
# or a final stop. 无 is not one: 无 is an actual (无投诉, 无事故), not an exemption.
NOT_APPLICABLE_WORDS = frozenset({
    "不适用", "本项不适用", "此项不适用", "不涉及", "未涉及", "本年不涉及", "无此项", "不考核",
    "n/a",
})  # fmt: skip

# Words that negate the phrase right after them (不及时, 未按时, 不能完成, 没有达到).
NEGATIONS: tuple[str, ...] = (
    "尚未",
    "未能",
    "不能",
    "没能",
    "没有",
    "无法",
    "不",
    "未",
    "没",
    "无",
    "非",
)


def negated_by(before: str) -> str:
    """The negation word `before` ends with, or "" (the words are tried longest first)."""
    return next((word for word in NEGATIONS if before.endswith(word)), "")
