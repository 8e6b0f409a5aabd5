"""What a column title means: the header-synonym table and the four upload tables (DESIGN §3).

The one place where Chinese column titles (official, synonyms seen in real tables, traditional
forms) and the English aliases are mapped to our snake_case field names. `reader` asks this
module which field a printed title is, and which table a header row belongs to.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum


class TableKind(StrEnum):
    EVALUATIONS = "evaluations"
    FUNDS = "funds"
    INDICATORS = "indicators"
    EXPENDITURES = "expenditures"


TABLE_TITLES: dict[TableKind, str] = {
    TableKind.EVALUATIONS: "评价信息",
    TableKind.FUNDS: "资金",
    TableKind.INDICATORS: "指标",
    TableKind.EXPENDITURES: "支出明细",
}

KEY_FIELDS = ("year", "department", "project")

# field → official Chinese title (used in templates and in messages).
FIELD_TITLES: dict[str, str] = {
    "year": "年度",
    "department": "部门",
    "project": "项目名称",
    "authority": "主管部门",
    "implementer": "实施单位",
    "kind": "评价类型",
    "goal_expected": "年度总体目标",
    "goal_actual": "实际完成情况",
    "total_reported": "自评得分",
    "grade_reported": "自评等级",
    "rule_set": "评分规则",
    "source": "资金来源",
    "initial_budget": "年初预算数",
    "annual_budget": "全年预算数",
    "executed": "全年执行数",
    "weight": "分值",
    "execution_rate": "执行率",
    "score_reported": "得分",
    "level1": "一级指标",
    "level2": "二级指标",
    "name": "三级指标",
    "target": "年度指标值",
    "target_operator": "指标性质",
    "target_unit": "度量单位",
    "actual": "实际完成值",
    "deviation_reason": "偏差原因分析及改进措施",
    "method": "评分方法",
    "item": "明细项目",
}

# Synonyms seen in real tables, written already normalised (see `header_key`).
_SYNONYMS: dict[str, str] = {
    "权重": "weight",
    "指标值": "target",
    "年初目标值": "target",
    "年初目标值(a)": "target",
    "年度指标值(a)": "target",
    "完成值": "actual",
    "实际完成值(b)": "actual",
    "全年实际值(b)": "actual",
    "调整后预算数": "annual_budget",
    "调整预算数": "annual_budget",
    "预算数(a)": "annual_budget",
    "全年预算数(a)": "annual_budget",
    "执行数(b)": "executed",
    "全年执行数(b)": "executed",
    "执行率(b/a)": "execution_rate",
    "未完成原因分析": "deviation_reason",
    "偏差大或目标未完成原因分析": "deviation_reason",
    "偏差原因分析": "deviation_reason",
}

# Which fields each table has; the first tuple is required (DESIGN §3, `*`).
TABLE_FIELDS: dict[TableKind, tuple[tuple[str, ...], tuple[str, ...]]] = {
    TableKind.EVALUATIONS: (
        KEY_FIELDS,
        (
            "authority",
            "implementer",
            "kind",
            "goal_expected",
            "goal_actual",
            "total_reported",
            "grade_reported",
            "rule_set",
        ),
    ),
    TableKind.FUNDS: (
        (*KEY_FIELDS, "source", "annual_budget", "executed"),
        ("initial_budget", "weight", "score_reported", "execution_rate"),
    ),
    TableKind.INDICATORS: (
        (*KEY_FIELDS, "level1", "level2", "name", "target", "actual", "weight"),
        ("score_reported", "deviation_reason", "method", "target_operator", "target_unit"),
    ),
    TableKind.EXPENDITURES: (
        (*KEY_FIELDS, "item", "executed"),
        ("annual_budget",),
    ),
}

# A column only one table has: its presence decides the table (DESIGN §3, not the file name).
_DECIDING_FIELD: dict[str, TableKind] = {
    "source": TableKind.FUNDS,
    "name": TableKind.INDICATORS,
    "item": TableKind.EXPENDITURES,
}

SHEET_NAMES: dict[str, TableKind] = {
    **{title: kind for kind, title in TABLE_TITLES.items()},
    **{kind.value: kind for kind in TableKind},
    "资金来源": TableKind.FUNDS,
    "绩效指标": TableKind.INDICATORS,
    "评价": TableKind.EVALUATIONS,
}

_LOOKUP: dict[str, str] = {
    **{title: field for field, title in FIELD_TITLES.items()},
    **{field: field for field in FIELD_TITLES},
    **_SYNONYMS,
}

_BRACKETS = str.maketrans({"（": "(", "）": ")", "【": "(", "】": ")", "［": "(", "］": ")"})
_TRAILING_NOTE = re.compile(r"^(?P<stem>.+?)\((?P<note>[^()]*)\)$")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Header:
    """A printed column title and what it was understood as."""

    printed: str  # as printed, line breaks dropped; used in finding locations
    field: str | None  # None: a column we do not read (序号, 备注 …)
    unit: str | None = None  # a TABLE_MONEY_UNITS unit the title carries: 全年预算数（元）
    traditional: bool = False  # traditional characters were converted to recognise it


def to_simplified(text: str) -> str:
    """Traditional → simplified Chinese, character by character (no regional word swaps)."""
    # Imported here: zhconv pulls in pkg_resources (≈0.2 s), which CLI commands that read
    # nothing should not pay for.
    import zhconv

    return zhconv.convert(text, "zh-hans")


def header_key(text: str) -> str:
    """The comparable form of a title: no whitespace, simplified, ASCII brackets, lower case."""
    text = unicodedata.normalize("NFKC", text).translate(_BRACKETS)
    return to_simplified(_SPACE.sub("", text)).rstrip("*").lower()


def read_header(printed: str) -> Header:
    """Understand one column title, e.g. `全年預算數（萬元）` → annual_budget in 万元."""
    shown = " ".join(re.sub(r"[\r\n]+", "", printed).split())  # `年度\n指标值` → 年度指标值
    key = header_key(printed)
    traditional = to_simplified(_SPACE.sub("", printed)) != _SPACE.sub("", printed)
    if key in _LOOKUP:
        return Header(shown, _LOOKUP[key], None, traditional)
    match = _TRAILING_NOTE.match(key)
    if match and match["stem"] in _LOOKUP:
        note = match["note"]
        unit = note if note in TABLE_MONEY_UNITS else None
        return Header(shown, _LOOKUP[match["stem"]], unit, traditional)
    return Header(shown, None, None, traditional)


# 「单位：元」, 「项目资金（单位：元）」, 「金额单位: 万元」 in a title line above the header, after
# `header_key`. Not 「填报单位：元宝山区财政局」: the unit must not run on into a name.
# Money units a column title or a title line may state for a whole table; reading converts the
# first ones to 万元 (and says so in FUNDS_IN_YUAN).
CONVERTED_MONEY_UNITS = ("元", "千元")
TABLE_MONEY_UNITS = (*CONVERTED_MONEY_UNITS, "万元")
_TITLE_UNIT = re.compile(r"单位:(?P<unit>万元|千元|元)(?![\u4e00-\u9fff])")


def title_unit(cells: list[str] | tuple[str, ...]) -> str | None:
    """The money unit (元, 千元 or 万元) a title line above the header states for the table."""
    for cell in cells:
        match = _TITLE_UNIT.search(header_key(cell))
        if match:
            return match["unit"]
    return None


def header_score(cells: list[str]) -> int:
    """How many cells of a row are titles we know: the header row is the row that scores best."""
    return sum(1 for cell in cells if cell.strip() and read_header(cell).field is not None)


@dataclass(frozen=True)
class Detection:
    """Which table a header row is, and which required fields it lacks."""

    kind: TableKind | None
    missing: tuple[str, ...] = ()
    ambiguous: tuple[TableKind, ...] = ()


def detect_table(fields: set[str], sheet_name: str | None = None) -> Detection:
    """Decide the table from its columns; a sheet name only helps when the columns cannot."""
    deciding = sorted({_DECIDING_FIELD[f] for f in fields if f in _DECIDING_FIELD})
    if len(deciding) > 1:
        return Detection(None, ambiguous=tuple(deciding))
    kind = deciding[0] if deciding else _kind_by_columns(fields)
    if kind is None and sheet_name is not None:
        kind = SHEET_NAMES.get(header_key(sheet_name))
    if kind is None:
        return Detection(None)
    required, _ = TABLE_FIELDS[kind]
    return Detection(kind, tuple(f for f in required if f not in fields))


def _kind_by_columns(fields: set[str]) -> TableKind | None:
    """Without a deciding column: the table whose own columns appear most (evaluations last)."""
    own: dict[TableKind, int] = {}
    for kind in (TableKind.INDICATORS, TableKind.FUNDS, TableKind.EXPENDITURES):
        required, optional = TABLE_FIELDS[kind]
        others = _fields_of_other_tables(kind)
        own[kind] = len([f for f in (*required, *optional) if f in fields and f not in others])
    best = max(own, key=lambda k: own[k])
    if own[best] > 0:
        return best
    _, evaluation_fields = TABLE_FIELDS[TableKind.EVALUATIONS]
    if any(f in fields for f in evaluation_fields):
        return TableKind.EVALUATIONS
    return None


def _fields_of_other_tables(kind: TableKind) -> set[str]:
    return {
        f
        for other, (required, optional) in TABLE_FIELDS.items()
        if other is not kind
        for f in (*required, *optional)
    }
