"""Every finding code perfcore can emit, with its severity and a plain-language explanation.

One catalogue for the reader, the checks and the store, so that a severity is decided in one
place and the review page can explain any code to a leader. A test fails when code emits a
code that is not listed here. A code may name a second, `escalated` severity for its serious
case; the code that emits it only says whether the case is the serious one (`escalate=True`).
"""

from __future__ import annotations

from dataclasses import dataclass

from perfcore.model import Finding, Location, Severity

# How a severity is called in the CLI and the app.
SEVERITY_ZH: dict[Severity, str] = {"error": "错误", "warning": "警告", "info": "提示"}


@dataclass(frozen=True)
class CodeSpec:
    severity: Severity
    title: str  # short Chinese title for grouping in the UI
    title_en: str
    explain: str  # what it means and what to do, in words a leader understands
    escalated: Severity | None = None  # the severity of the serious case, when a code has one


CODES: dict[str, CodeSpec] = {
    # --- reading files (errors here block storing) -------------------------------------------
    "FILE_UNREADABLE": CodeSpec(
        "error",
        "文件无法读取",
        "file cannot be read",
        "文件不是可识别的 CSV、Excel（.xlsx）或 ZIP 文件，或已损坏。请另存为 CSV（UTF-8）或 .xlsx 后重新上传。",
    ),
    "FILE_EMPTY": CodeSpec(
        "error",
        "文件为空",
        "file is empty",
        "文件中没有任何内容。",
    ),
    "HEADER_ONLY": CodeSpec(
        "error",
        "只有表头没有数据",
        "header without data rows",
        "文件只有表头，没有数据行。",
    ),
    "TABLE_UNKNOWN": CodeSpec(
        "error",
        "无法识别的表格",
        "table kind not recognised",
        "无法判断该文件是评价信息、资金、指标还是支出明细表：表头中没有找到各表的必填列。",
    ),
    "COLUMN_MISSING": CodeSpec(
        "error",
        "缺少必填列",
        "required column missing",
        "表格缺少必填列，请对照模板补齐表头。",
    ),
    "KEY_MISSING": CodeSpec(
        "error",
        "关键信息为空",
        "key cell empty",
        "年度、部门、项目名称是每一行的必填项，不能为空。",
    ),
    "YEAR_INVALID": CodeSpec(
        "error",
        "年度无法识别",
        "year not understood",
        "年度应为四位数字，如 2022。",
    ),
    "NUMBER_INVALID": CodeSpec(
        "error",
        "数值无法识别",
        "number not understood",
        "金额、分值、得分等单元格应为数字（可带 万元、元、% 等单位）。",
    ),
    "FUNDS_SOURCE_UNKNOWN": CodeSpec(
        "error",
        "资金来源无法识别",
        "funds source not recognised",
        "资金来源应为 年度资金总额、当年财政拨款、上年结转资金 或 其他资金。",
    ),
    "CELL_MISSING": CodeSpec(
        "error",
        "必填单元格为空",
        "required cell empty",
        "三级指标、一级/二级指标、明细项目等必填单元格为空（合并单元格请在第一行填写）。",
    ),
    "MORE_ERRORS": CodeSpec(
        "error",
        "错误过多未全部列出",
        "more errors not listed",
        "该文件的错误过多，只列出了前面的部分；请先改正已列出的错误，再重新上传。",
    ),
    "METHOD_UNKNOWN": CodeSpec(
        "error",
        "评分方法无法识别",
        "scoring method not recognised",
        "评分方法应为 比例、扣分:K、定性、达标、不适用 或 汇总，或留空。",
    ),
    "RULE_SET_UNKNOWN": CodeSpec(
        "error",
        "评分规则不存在",
        "rule set unknown",
        "评价信息中指定的评分规则不存在。",
    ),
    "DUPLICATE_ROW": CodeSpec(
        "error",
        "重复行",
        "duplicate row",
        "同一评价中出现了重复的资金来源或三级指标，无法判断以哪一行为准。",
    ),
    "CONFLICTING_VALUES": CodeSpec(
        "error",
        "评价信息前后矛盾",
        "conflicting evaluation details",
        "同一评价（年度、部门、项目名称）在不同行中填写了不同的评价信息。",
    ),
    "NO_INDICATORS": CodeSpec(
        "error",
        "没有绩效指标",
        "no indicators",
        "该评价没有任何绩效指标行，无法评分。",
    ),
    "ENCODING_GUESSED": CodeSpec(
        "info",
        "已自动识别编码",
        "encoding detected",
        "文件不是 UTF-8 编码，已按识别出的编码读取。",
    ),
    "FUNDS_IN_YUAN": CodeSpec(
        "info",
        "金额由元或千元换算为万元",
        "amounts converted from 元 or 千元",
        "该表金额以元或千元填报，已换算为万元。",
    ),
    "ROW_NOT_APPLICABLE": CodeSpec(
        "info",
        "占位行已跳过",
        "placeholder row skipped",
        "整行为“/”且没有分值，按不适用的占位行跳过。",
    ),
    "TRADITIONAL_CHARS": CodeSpec(
        "info",
        "繁体字已转换",
        "traditional characters converted",
        "表头或固定名称中的繁体字已按简体识别。",
    ),
    "SHEET_IGNORED": CodeSpec(
        "info",
        "工作表已忽略",
        "sheet ignored",
        "工作簿中的该工作表不是四张上传表之一，已忽略。",
    ),
    # --- values ------------------------------------------------------------------------------
    "VALUE_MISSING": CodeSpec(
        "warning",
        "指标值或完成值缺失",
        "target or actual missing",
        "年度指标值或实际完成值为空，无法按公式复核；保留自评得分。",
    ),
    "VALUE_UNCERTAIN": CodeSpec(
        "warning",
        "数值识别存疑",
        "value parsed with low confidence",
        "该单元格的写法不规范（可能是扫描识别错误或单位不一致），复核结果仅供参考。",
    ),
    "UNIT_MISMATCH": CodeSpec(
        "warning",
        "单位不一致",
        "units differ",
        "年度指标值与实际完成值的单位不同且无法换算，复核得分保留自评得分。",
    ),
    "WEIGHT_MISSING": CodeSpec(
        "warning",
        "缺少分值",
        "weight missing",
        "该指标没有填写分值（权重），无法复核得分。",
    ),
    # --- scoring -----------------------------------------------------------------------------
    "SCORE_DIFFERS": CodeSpec(
        "warning",
        "自评得分与复核得分不一致",
        "reported score differs from computed",
        "按评分规则重新计算的得分与单位自评得分不同。自评偏高可能是自评虚高，偏低则可能是漏记或扣分过严。",
    ),
    "FUNDS_SCORE_DIFFERS": CodeSpec(
        "warning",
        "资金执行得分不一致",
        "funds score differs from computed",
        "预算执行率得分应为 分值 × 执行率（全国默认执行率最高按 100% 计），自评得分与此不同。",
    ),
    "TARGET_TOO_LOW": CodeSpec(
        "warning",
        "目标设定偏低",
        "target set too low",
        "实际完成值远高于年度指标值（超过规则规定的倍数）。按财预〔2020〕10号，应分析原因；"
        "若是年初目标设定明显偏低，应适度调减分值。系统不自动扣分，请复核。",
    ),
    "QUALITATIVE_TIER_UNKNOWN": CodeSpec(
        "info",
        "定性指标无法判断档次",
        "qualitative tier cannot be told",
        "定性指标的完成情况无法从文字判断档次，保留自评得分。",
    ),
    "QUALITATIVE_OUT_OF_TIER": CodeSpec(
        "warning",
        "定性得分不在档次区间",
        "qualitative score outside its tier",
        "定性指标的自评得分不在其完成档次对应的分值区间内。",
    ),
    "NO_DEVIATION_REASON": CodeSpec(
        "warning",
        "扣分未说明原因",
        "score below full without a reason",
        "得分低于分值，但“偏差原因分析及改进措施”为空。按规定，未完成目标的指标应说明原因并提出改进措施。",
    ),
    "PARENT_ROW": CodeSpec(
        "info",
        "汇总行不重复计分",
        "parent row not counted twice",
        "该行的得分是其下级指标得分之和，合计时不重复计入。",
    ),
    "NOT_APPLICABLE_RESCALED": CodeSpec(
        "info",
        "不适用指标已折算",
        "total rescaled for not-applicable rows",
        "存在不适用的指标，总分按适用指标得分折算为百分制。",
    ),
    "VALUES_NOT_APPLICABLE": CodeSpec(
        "info",
        "指标写明不适用",
        "indicator marked not applicable",
        "年度指标值和实际完成值都写明“不适用”（或“不涉及”“无此项”等），该指标按评分方法“不适用”处理："
        "不计分，总分按适用指标得分折算为百分制。若该指标其实适用，请填写指标值和完成值。",
    ),
    # Only where no other finding already says the score was kept (VALUE_MISSING, UNIT_MISMATCH,
    # WEIGHT_MISSING, QUALITATIVE_TIER_UNKNOWN do). A warning when the kept score is the full
    # weight, since full marks then stand on a row the rules cannot confirm as achieved (a late
    # deadline, words of no band); a note otherwise, the reviewer has less to doubt.
    "SCORE_KEPT": CodeSpec(
        "info",
        "保留自评得分",
        "reported score kept",
        "该指标无法按公式复核（如时效指标晚于目标完成、完成值的文字无法判断是否达成），复核得分沿用自评得分。"
        "自评为满分时提示为警告：规则无法确认该指标已达成，请核实是否应当扣分。",
        escalated="warning",
    ),
    # --- consistency checks ------------------------------------------------------------------
    "WEIGHTS_NOT_100": CodeSpec(
        "warning",
        "分值合计不等于 100",
        "weights do not add up to 100",
        "资金执行分值与各指标分值之和应为 100 分。",
    ),
    "SCORE_ABOVE_WEIGHT": CodeSpec(
        "warning",
        "得分超过分值",
        "score above weight",
        "得分不得超过该指标的分值。",
    ),
    "SCORE_NEGATIVE": CodeSpec(
        "warning",
        "得分为负",
        "negative score",
        "得分不能为负数。",
    ),
    "TOTAL_MISMATCH": CodeSpec(
        "warning",
        "自评总分与分项合计不符",
        "reported total differs from the sum of rows",
        "表中填写的自评总分不等于资金执行得分与各指标得分之和。",
    ),
    "FUNDS_ROWS_MISMATCH": CodeSpec(
        "warning",
        "资金来源合计不符",
        "funds rows do not add up",
        "年度资金总额应等于当年财政拨款、上年结转资金与其他资金之和。",
    ),
    "FUNDS_TOTAL_EMPTY": CodeSpec(
        "warning",
        "年度资金总额未填",
        "funds total row empty",
        "年度资金总额行为空或为 0，但分项有金额；已按分项合计计算执行率。",
    ),
    "FUNDS_MISSING": CodeSpec(
        "warning",
        "缺少资金执行数据",
        "no funds rows",
        "没有年度资金总额（或分项）数据，资金执行得分按 0 计。",
    ),
    "FUNDS_OVER_EXECUTED": CodeSpec(
        "info",
        "执行数超过预算数",
        "more executed than budgeted",
        "全年执行数超过全年预算数（执行率超过 100%），请核实是否存在超预算支出。执行率得分按评分规则处理："
        "全国默认按 100% 封顶，规则设为不封顶时按实际执行率计分。",
    ),
    "EXECUTION_RATE_MISMATCH": CodeSpec(
        "warning",
        "执行率与金额不符",
        "reported execution rate differs from the amounts",
        "表中填写的执行率不等于 全年执行数 ÷ 全年预算数。",
    ),
    "EXPENDITURES_MISMATCH": CodeSpec(
        "warning",
        "支出明细合计不符",
        "spending items do not add up",
        "支出明细的执行数合计不等于年度资金总额的全年执行数。",
    ),
    "GRADE_MISMATCH": CodeSpec(
        "warning",
        "自评等级与得分不符",
        "reported grade does not match the total",
        "表中填写的自评等级与自评总分所在的等级区间不一致。",
    ),
    "GRADE_LABEL_OLD": CodeSpec(
        "info",
        "等级写法已统一",
        "grade label normalised",
        "自评等级使用了 合格/不合格/一般 等写法，已按 优/良/中/差 对应。",
    ),
    "GRADE_UNKNOWN": CodeSpec(
        "warning",
        "自评等级无法识别",
        "reported grade not understood",
        "自评等级应为 优、良、中、差（或 优秀、良好、合格、不合格 等）。",
    ),
    "DUPLICATE_UPLOAD": CodeSpec(
        "info",
        "重复上传",
        "same file uploaded before",
        "这些文件与已保存的某次上传完全相同，未做任何更改。",
    ),
}


def finding(
    code: str,
    message: str,
    message_en: str,
    location: Location | None = None,
    *,
    escalate: bool = False,
) -> Finding:
    """Build a finding whose severity comes from the catalogue (its escalated one if asked)."""
    spec = CODES[code]
    if escalate and spec.escalated is None:
        raise ValueError(f"{code} has no escalated severity")
    severity = spec.escalated if escalate and spec.escalated else spec.severity
    return Finding(severity, code, message, message_en, location)
