"""How numbers, grades and user text are shown: 万元 with two decimals, percentages, grade badges.

One place for display rules so every page shows 261.46 万元 and 100.00% the same way. Values come
from DuckDB as Decimal or float (or None / NaN when a cell was blank); every helper accepts all of
them and shows a dash for "not given" rather than 0, which would be a claim.
"""

from __future__ import annotations

import math
import string
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

MISSING: Final = "—"
GRADES: Final = ("优", "良", "中", "差")

_GRADE_COLORS: Final = {"优": "green", "良": "blue", "中": "orange", "差": "red"}
_GRADE_WORDS: Final = {"优": "优秀", "良": "良好", "中": "中等", "差": "差"}
_RULES: Final = {
    "higher": "越高越好（按比例）",
    "lower": "越低越好（未超目标）",
    "lower_ratio": "越低越好（按比例）",
    "lower_linear": "越低越好（线性扣减）",
    "zero_target": "目标为零",
    "deadline": "时限",
    "deduct": "按差距扣分",
    "pass_fail": "达标得满分",
    "qualitative": "定性档次",
    "qualitative_unknown": "定性，无法判断档次",
    "unit_mismatch": "单位不一致，保留自评",
    "kept_reported": "无法复核，保留自评",
    "not_applicable": "不适用",
    "parent": "汇总行",
}
_MARKDOWN_SPECIAL: Final = frozenset(string.punctuation)

Number = Decimal | float | int | None


def as_float(value: object) -> float | None:
    """A number as float, or None for None / NaN / pandas NA / text that is not a number."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def rounded(value: object, digits: int = 2) -> Decimal | None:
    """Rounded half up (四舍五入) as the tables do; floats go through their shortest repr so that
    2.655 rounds to 2.66 as a person reading it expects."""
    number = as_float(value)
    if number is None:
        return None
    exact = value if isinstance(value, Decimal) else Decimal(repr(number))
    return exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def amount(value: object) -> str:
    """A sum of money with two decimals and grouped thousands, without its unit (a chart's bar
    label, whose title says 万元 or 亿元): `1,234.50`."""
    number = rounded(value)
    return MISSING if number is None else f"{number:,.2f}"


def wan(value: object) -> str:
    """Money in 万元 with two decimals: `261.46 万元` (thousands grouped: `1,234.50 万元`)."""
    text = amount(value)
    return text if text == MISSING else f"{text} 万元"


YI_FROM_WAN = 100_000  # from 10 亿元 on, a card shows 亿元: `9,751,423.50 万元` does not fit
# From 1,000 亿元 on, whole 亿元: a province's years together, `4,608.28 亿元`, ran past a card
# in a row of four at 1366 px (资金执行). The card's help keeps the exact sum.
WHOLE_YI_FROM_WAN = 10_000_000


def card_money(value: object, *, signed: bool = False) -> str:
    """Money for a metric card: 万元 with two decimals, or 亿元 with two decimals from 10 亿元
    on, as finance reports write large sums: `261.46 万元`, `975.14 亿元`, `+11.42 亿元`, and
    whole 亿元 from 1,000 亿元 on: `4,608 亿元`."""
    number = as_float(value)
    if number is None:
        return MISSING
    sign = "+" if signed else ""
    if abs(number) >= WHOLE_YI_FROM_WAN:
        return f"{rounded(value / 10_000, 0):{sign},.0f} 亿元"  # type: ignore[operator]
    if abs(number) >= YI_FROM_WAN:
        return f"{rounded(value / 10_000):{sign},.2f} 亿元"  # type: ignore[operator]
    return f"{rounded(value):{sign},.2f} 万元"


WAN_POINTS_FROM = 100_000  # from 10 万分 on, a card shows 万分: `889,640.00 分` does not fit


def card_points(value: object) -> str:
    """Points summed over many evaluations for a metric card: `48,563.27 分`, and from 10 万分
    on `88.96 万分` (a province's weights add up to millions; the exact sum goes in the help)."""
    number = as_float(value)
    if number is None:
        return MISSING
    if abs(number) >= WAN_POINTS_FROM:
        return f"{rounded(value / 10_000):,.2f} 万分"  # type: ignore[operator]
    return f"{rounded(value):,.2f} 分"


def quantity(value: object, unit: str | None) -> str:
    """An indicator value with its own unit as written: `1,756 元`, `99.85%`, `6 次`."""
    number = as_float(value)
    if number is None:
        return MISSING
    text = f"{number:,.2f}".rstrip("0").rstrip(".")
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


def pct(rate: object, digits: int = 2) -> str:
    """A fraction as a percentage: 1.0 → `100.00%`, 0.862 with digits=1 → `86.2%`."""
    number = rounded(rate, digits + 2)
    if number is None:
        return MISSING
    return f"{number * 100:.{digits}f}%"


def score(value: object) -> str:
    """A score with two decimals (97.13), as the tables print them; sums over many evaluations
    grouped by thousands (8,899,520.00)."""
    number = rounded(value)
    return MISSING if number is None else f"{number:,.2f}"


def change(current: object, previous: object) -> float | None:
    """Current minus previous for a metric's delta, None when either side is missing."""
    now, before = as_float(current), as_float(previous)
    if now is None or before is None:
        return None
    return round(now - before, 4)


@dataclass(frozen=True)
class GradeBadge:
    """What `st.badge` needs: a label from a fixed vocabulary and a colour, never user text."""

    label: str
    color: str


def grade_badge(grade: str | None) -> GradeBadge:
    """The badge for a canonical grade 优/良/中/差; anything else shows as 未评级 in grey."""
    if grade in _GRADE_COLORS:
        return GradeBadge(grade, _GRADE_COLORS[grade])
    return GradeBadge("未评级", "gray")


def grade_word(grade: str | None) -> str:
    """The long form a leader reads in a sentence: 优 → 优秀."""
    return _GRADE_WORDS.get(grade or "", "未评级")


def rule_label(rule: str | None) -> str:
    """The scoring rule perfcore used, in Chinese; an unknown code is shown as it is."""
    return _RULES.get(rule or "", rule or MISSING)


def md_escape(text: object) -> str:
    """User text made inert for Streamlit markdown (captions, labels, metric titles).

    Every ASCII punctuation character is backslash-escaped, as CommonMark allows, so `**`, links,
    `:red[...]` directives, `$` maths and `<b>` all show literally. Newlines become spaces
    because a caption is one line.
    """
    if text is None:
        return ""
    raw = " ".join(str(text).split())
    return "".join(f"\\{ch}" if ch in _MARKDOWN_SPECIAL else ch for ch in raw)


def evaluation_label(year: object, department: object, project: object) -> str:
    """`2022年 部门 项目` as plain text (for st.text / selectbox options, not markdown)."""
    return f"{year}年 {department} {project}"


FILES_NAMED: Final = 3  # file names a table cell lists before it counts the rest


def file_list(names: object) -> str:
    """An upload's file names for one table cell, the count first so a narrow cell still shows
    it: `评价.csv`, `40 个文件：a.csv、b.csv、c.csv 等`.

    A province uploads tens of files at once; all their names would run far past the cell."""
    if names is None or isinstance(names, float):  # NULL / NaN from a missing list
        return MISSING
    names = [str(name) for name in names]
    if not names:
        return MISSING
    if len(names) == 1:
        return names[0]
    listed = "、".join(names[:FILES_NAMED])
    return f"{len(names)} 个文件：{listed}{' 等' if len(names) > FILES_NAMED else ''}"


def version_origin(restored_from: object) -> str:
    """Where an evaluation version came from, as the CLI says it: 上传, or 由第 2 版恢复."""
    version = as_float(restored_from)
    return "上传" if version is None else f"由第 {int(version)} 版恢复"


def file_size(size_bytes: object) -> str:
    """Bytes as people say them: 512 B, 3.4 KB, 41.6 MB (1 KB = 1,024 B)."""
    value = as_float(size_bytes)
    if value is None:
        return MISSING
    if value < 1024:
        return f"{value:,.0f} B"
    if value < 1024 * 1024:
        return f"{value / 1024:,.1f} KB"
    return f"{value / 1024 / 1024:,.1f} MB"
