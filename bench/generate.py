"""Synthetic 项目支出绩效自评表 uploads at province scale, for benchmarks and large tests.

Writes the four DESIGN.md §3 tables (评价信息, 资金, 指标, 支出明细) as UTF-8 CSV for N
evaluations, deterministically from a seed. Every department is named 「合成-…」, every project
「合成数据-…」 and every file `synthetic-…`, so generated data can never pass for real data.
Output is split into parts of at most `per_part` evaluations; each part is a complete upload
of four files. The mix follows the real tables in `shared/examples/real-tables`: ≥ / ≤ / = /
bare-% targets, deadlines (2022年底, 9月前), qualitative targets, partial scores with deviation
reasons, and a small share of the inconsistencies real tables have (score above its weight,
partial score with no reason, targets set too low, inflated self-scores, funds rows that do
not add up, amounts in 元, totals and grades that disagree with the lines).

Plain Python and `csv`: about 2·10^6 indicator rows for 10^5 evaluations in well under a minute.
Scores are computed in integer hundredths so the reported scores of consistent rows equal
what perfcore recomputes under the national rules.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

YEARS = (2020, 2021, 2022, 2023, 2024)
REGIONS = ("省直", "甲市", "乙市", "丙市", "丁市", "戊市", "己市", "庚市", "辛市", "壬市")
BUREAUS = (
    "教育局", "财政局", "民政局", "卫生健康委", "农业农村局", "交通运输局", "水利局", "自然资源局",
    "生态环境局", "住房城乡建设局", "文化旅游局", "人力资源社会保障局", "科技局", "商务局",
    "应急管理局", "市场监管局", "医疗保障局", "退役军人事务局", "林业局", "体育局", "统计局",
    "审计局", "司法局", "公安局", "乡村振兴局", "粮食和物资储备局", "机关事务管理局", "档案馆",
    "图书馆", "疾控中心", "气象局", "地震局", "供销社", "残联", "妇联", "团委", "科协", "文联",
    "侨联", "红十字会",
)  # fmt: skip
DEPARTMENTS = tuple(f"合成-{region}{bureau}" for region in REGIONS for bureau in BUREAUS)
TOPICS = (
    "业务工作专项经费", "基础设施建设", "设备购置", "人才培训", "信息化建设", "民生保障补助",
    "农村公路养护", "义务教育补助", "公共卫生服务", "生态修复治理", "文化惠民活动", "安全生产监管",
)  # fmt: skip
GOAL_EXPECTED = "合成数据：按计划完成年度建设任务，提升公共服务水平，群众满意度保持在较高水平。"
GOAL_ACTUAL = "合成数据：已完成年度总体目标"
REASONS = (
    "受疫情影响部分活动延期，下年度加强统筹安排",
    "项目招标时间延后，已督促加快实施进度",
    "部分资金未及时拨付，将加强预算执行管理",
    "实际需求低于预期，后续将提高预算编制准确性",
    "受天气影响工期延误，已调整实施计划",
    "配套资金未按时到位，将加强与相关部门沟通",
)
SPENDING_ITEMS = (
    "办公设备购置", "培训费", "宣传费", "劳务费", "差旅费", "专家咨询费", "工程建设费",
    "维修维护费", "委托业务费", "印刷费", "会议费", "信息系统运维费", "物资采购费", "租赁费",
)  # fmt: skip
QUALITATIVE_TARGETS = ("持续保证", "不断增强", "有效提升", "明显改善", "达成预期指标", "逐步完善")
GRADE_LABELS = {
    "优": ("优", "优秀"),
    "良": ("良", "良好"),
    "中": ("中", "合格"),
    "差": ("差", "不合格"),
}
RULE_SETS = (("national", 0.8), ("hubei", 0.1), ("hunan", 0.1))
FUNDS_WEIGHT = {"national": 10, "hubei": 20, "hunan": 10}

# One slot per possible 三级指标 of an evaluation: (一级, 二级, kind, names). Names are disjoint
# across slots so that an evaluation never repeats (一级, 二级, 三级), which would be an error.
# Count and cost names carry their unit.
SLOTS: tuple[tuple[str, str, str, tuple], ...] = (
    ("产出指标", "数量指标", "ge_count", (("开展培训场次", "场"), ("举办宣传活动次数", "次"), ("发放宣传资料份数", "份"))),
    ("产出指标", "数量指标", "ge_count", (("培训人数", "人次"), ("服务对象覆盖人数", "人"), ("受益户数", "户"))),
    ("产出指标", "数量指标", "eq_count", (("新建设施数量", "个"), ("采购设备台数", "台"), ("完成项目个数", "个"))),
    ("产出指标", "数量指标", "bare_count", (("完成检查次数", ""), ("督导检查次数", ""), ("维修道路公里数", ""))),
    ("产出指标", "数量指标", "ge_count", (("建设面积", "平方米"), ("植树数量", "株"), ("改造户数", "户"))),
    ("产出指标", "质量指标", "bare_pct", ("工程验收合格率", "设备完好率", "资料归档完整率")),
    ("产出指标", "质量指标", "ge_pct", ("政策知晓率", "任务完成率", "覆盖率")),
    ("产出指标", "质量指标", "le_rate", ("工作差错率", "投诉发生率", "返工率")),
    ("产出指标", "质量指标", "zero_rate", ("安全事故发生率", "资金违规使用率", "重大差错率")),
    ("产出指标", "质量指标", "ge_pct", ("数据准确率", "按标准实施率", "达标率")),
    ("产出指标", "时效指标", "deadline_year", ("资金支付时限", "项目完成时限", "经费拨付时限")),
    ("产出指标", "时效指标", "deadline_month", ("方案制定时间", "招标完成时间", "设备到位时间")),
    ("产出指标", "时效指标", "deadline_phrase", ("任务完成及时性", "资料报送时效", "按期开工情况")),
    ("产出指标", "成本指标", "le_cost", (("人均培训成本", "元/人"), ("单位面积造价", "元"), ("每场活动成本", "元"))),
    ("产出指标", "成本指标", "le_cost_wan", ("项目总成本", "设备采购成本", "运行维护成本")),
    ("效益指标", "经济效益指标", "qualitative", ("带动相关产业发展", "促进群众增收", "节约财政资金")),
    ("效益指标", "社会效益指标", "qualitative", ("群众生活条件改善", "公共服务水平", "社会治理能力")),
    ("效益指标", "社会效益指标", "qualitative", ("政策宣传效果", "干部队伍素质", "基层组织凝聚力")),
    ("效益指标", "社会效益指标", "ge_pct", ("政策覆盖面", "群众参与率", "问题整改率")),
    ("效益指标", "生态效益指标", "qualitative", ("生态环境改善", "水土流失治理", "人居环境整治")),
    ("效益指标", "可持续影响指标", "qualitative", ("长效管理机制", "项目持续发挥效益", "设施持续使用")),
    ("效益指标", "可持续影响指标", "qualitative", ("制度建设完善程度", "队伍稳定性", "运行保障能力")),
    ("满意度指标", "服务对象满意度指标", "satisfaction", ("群众满意度", "服务对象满意度", "受益群众满意度")),
    ("满意度指标", "服务对象满意度指标", "satisfaction", ("参训人员满意度", "企业满意度", "学生及家长满意度")),
)  # fmt: skip
MIN_INDICATORS, SLOT_SHARE = 16, 20 / 24  # about 20 indicator rows per evaluation

# Shares of deliberate inconsistencies, as seen in real tables.
# How often a line misses its target, per evaluation: most projects are on track, a few are not.
PARTIAL_MIX = ((0.55, 0.03), (0.8, 0.25), (0.95, 0.5), (1.0, 0.9))
P_OVER_TARGET = 0.08  # a ≥ count that beats its target by ≥ 30 % (目标设定偏低)
P_SCORE_ABOVE_WEIGHT = 0.005
P_INFLATED = 0.15  # of partial lines: full score reported anyway (自评虚高), no reason
P_NO_REASON = 0.15  # of partial lines: honest score, but no deviation reason
P_FUNDS_ROWS_OFF = 0.03
P_FUNDS_IN_YUAN = 0.03
P_FUNDS_WHOLE_POINTS = 0.02
P_TOTAL_OFF = 0.02
P_GRADE_OFF = 0.01
P_SPENDING_OFF = 0.02

HEADERS = {
    "evaluations": (
        "年度", "部门", "项目名称", "主管部门", "实施单位", "评价类型", "年度总体目标",
        "实际完成情况", "自评得分", "自评等级", "评分规则",
    ),
    "funds": (
        "年度", "部门", "项目名称", "资金来源", "年初预算数", "全年预算数", "全年执行数", "分值",
        "执行率", "得分",
    ),
    "indicators": (
        "年度", "部门", "项目名称", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值",
        "分值", "得分", "偏差原因分析及改进措施", "评分方法",
    ),
    "expenditures": ("年度", "部门", "项目名称", "明细项目", "全年执行数", "全年预算数"),
}  # fmt: skip
TABLES = tuple(HEADERS)


@dataclass(frozen=True)
class Generated:
    """What was written: one tuple of four CSV paths per part, and row counts per table."""

    parts: tuple[tuple[Path, ...], ...]
    rows: dict[str, int]
    evaluations: int

    @property
    def files(self) -> list[Path]:
        return [path for part in self.parts for path in part]

    def table_files(self, table: str) -> list[Path]:
        """The CSV files of one table (e.g. all `…-indicators.csv`), in part order."""
        return [part[TABLES.index(table)] for part in self.parts]


@dataclass
class _Tables:
    """Rows of one part, per table, before they are written."""

    rows: dict[str, list[tuple]] = field(default_factory=lambda: {t: [] for t in TABLES})


def _half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half up, for non-negative integers."""
    return (2 * numerator + denominator) // (2 * denominator)


def _points(hundredths: int) -> str:
    """Hundredths of a point as people write them: 7.13, 6.5, 10."""
    whole, frac = divmod(hundredths, 100)
    if frac == 0:
        return str(whole)
    if frac % 10 == 0:
        return f"{whole}.{frac // 10}"
    return f"{whole}.{frac:02d}"


def _wan(cents: int) -> str:
    """An amount held in hundredths of 万元, printed in 万元 with two decimals."""
    return f"{cents // 100}.{cents % 100:02d}"


def _percent(tenths: int) -> str:
    """Tenths of a percent as printed: 92.5%, 100%."""
    whole, frac = divmod(tenths, 10)
    return f"{whole}.{frac}%" if frac else f"{whole}%"


def _lower(kind: str, value: int, unit: str) -> str:
    """A lower-is-better value as printed: a rate in tenths of %, 元, or hundredths of 万元."""
    if kind == "le_rate":
        return _percent(value)
    if kind == "le_cost":
        return f"{value}{unit}"
    return f"{_wan(value)}万元"


def _grade(total_hundredths: int) -> str:
    for grade, low in (("优", 9000), ("良", 8000), ("中", 6000)):
        if total_hundredths >= low:
            return grade
    return "差"


class _Writer:
    """Builds the rows of one evaluation after another from one seeded random stream."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.p_partial = 0.0  # drawn per evaluation from PARTIAL_MIX

    # random.randint/randrange/sample cost ~10x a random() call; these keep 2·10^6 rows fast.
    def _int(self, low: int, high: int) -> int:
        """A uniform integer in [low, high]."""
        return low + int(self.rng.random() * (high - low + 1))

    def _pick(self, options: tuple):
        return options[int(self.rng.random() * len(options))]

    def evaluation(self, index: int, n_departments: int, out: _Tables) -> None:
        rng = self.rng
        project_no, year_at = divmod(index, len(YEARS))
        year = YEARS[year_at]
        department = DEPARTMENTS[project_no % n_departments]
        project = f"合成数据-{TOPICS[project_no % len(TOPICS)]}-{project_no + 1:06d}"
        key = (year, department, project)
        draw = rng.random()
        rule_set = "national" if draw < 0.8 else "hubei" if draw < 0.9 else "hunan"
        funds_weight = FUNDS_WEIGHT[rule_set]
        draw = rng.random()
        self.p_partial = next(share for limit, share in PARTIAL_MIX if draw < limit)
        funds_score, executed, annual = self._funds(key, funds_weight, out)
        indicator_total = self._indicators(key, year, 100 - funds_weight, out)
        self._spending(key, executed, annual, out)
        total = funds_score + indicator_total
        grade = _grade(total)
        if rng.random() < P_TOTAL_OFF:
            total += 200
        if rng.random() < P_GRADE_OFF:
            grade = "良" if grade == "优" else "优"
        out.rows["evaluations"].append(
            (
                *key,
                department,
                f"{department}直属事业单位",
                "部门整体" if rng.random() < 0.05 else "项目支出",
                GOAL_EXPECTED,
                GOAL_ACTUAL,
                _points(total),
                GRADE_LABELS[grade][rng.random() < 0.5],
                rule_set,
            )
        )

    def _funds(self, key: tuple, weight: int, out: _Tables) -> tuple[int, int, int]:
        """Four funds rows; returns (printed score, executed, annual budget) in hundredths."""
        rng = self.rng
        annual = int(10 ** rng.uniform(0.7, 3.5) * 100)  # 5 – 3000 万元, in 0.01 万元
        draw = rng.random()
        if draw < 0.6:
            executed = annual
        elif draw < 0.9:
            executed = int(annual * rng.uniform(0.85, 1.0))
        elif draw < 0.98:
            executed = int(annual * rng.uniform(0.5, 0.85))
        else:
            executed = int(annual * rng.uniform(0.1, 0.5))
        initial = int(annual * rng.uniform(0.6, 1.0))
        carry = int(annual * rng.uniform(0.01, 0.2)) if rng.random() < 0.3 else 0
        initial = max(initial, carry)
        carry_executed = min(carry, executed)
        score = _half_up(weight * 100 * executed, annual)
        printed_score = score
        if rng.random() < P_FUNDS_WHOLE_POINTS:
            printed_score = _half_up(score, 100) * 100  # whole points, as the Hebei table does
        rate = _half_up(executed * 10000, annual)  # hundredths of a percent
        annual_text = _wan(annual)
        if rng.random() < P_FUNDS_IN_YUAN:
            annual_text = f"{annual * 100}元"
        carry_annual = carry
        if rng.random() < P_FUNDS_ROWS_OFF:
            carry_annual += int(annual * rng.uniform(0.02, 0.1)) + 1
        blank = ""
        out.rows["funds"].extend(
            (
                (
                    *key,
                    "年度资金总额",
                    _wan(initial),
                    annual_text,
                    _wan(executed),
                    weight,
                    f"{rate // 100}.{rate % 100:02d}%",
                    _points(printed_score),
                ),
                (
                    *key,
                    "当年财政拨款",
                    _wan(initial - carry),
                    _wan(annual - carry),
                    _wan(executed - carry_executed),
                    blank,
                    blank,
                    blank,
                ),
                (
                    *key,
                    "上年结转资金",
                    _wan(carry) if carry else blank,
                    _wan(carry_annual) if carry_annual else blank,
                    _wan(carry_executed) if carry else blank,
                    blank,
                    blank,
                    blank,
                ),
                (*key, "其他资金", blank, blank, blank, blank, blank, blank),
            )
        )
        return printed_score, executed, annual

    def _indicators(self, key: tuple, year: int, total_weight: int, out: _Tables) -> int:
        """16–24 (about 20) indicator rows whose weights add up to `total_weight`; returns their score sum."""
        rng = self.rng
        slots: list[int] = []
        while len(slots) < MIN_INDICATORS:  # about 20 of the 24 slots, each kept independently
            slots = [slot for slot in range(len(SLOTS)) if rng.random() < SLOT_SHARE]
        count = len(slots)
        base, extra = divmod(total_weight, count)
        rows = out.rows["indicators"]
        total = 0
        for position, slot in enumerate(slots):
            level1, level2, kind, names = SLOTS[slot]
            weight = base + (1 if position < extra else 0)
            name, target, actual, score, reason, method = self._line(kind, names, weight, year)
            if rng.random() < P_SCORE_ABOVE_WEIGHT:
                score = weight * 100 + 100
            total += score
            rows.append(
                (*key, level1, level2, name, target, actual, weight, _points(score), reason, method)
            )
        return total

    def _line(self, kind: str, names: tuple, weight: int, year: int) -> tuple:
        """(name, target, actual, score in hundredths, deviation reason, 评分方法) of one line."""
        rng = self.rng
        full = weight * 100
        partial = rng.random() < self.p_partial
        method = ""
        if kind in ("ge_count", "eq_count", "bare_count", "le_cost"):
            name, unit = self._pick(names)
        else:
            name, unit = self._pick(names), ""
        if kind in ("ge_count", "eq_count", "bare_count"):
            a = self._int(5, 500)
            if partial:
                b = int(a * rng.uniform(0.3, 0.98))
            elif kind == "ge_count" and rng.random() < P_OVER_TARGET:
                b = int(a * rng.uniform(1.3, 2.5)) + 1
            elif kind == "eq_count":
                b = a
            else:
                b = a + int(a * rng.uniform(0.0, 0.15))
            prefix = {"ge_count": "≥", "eq_count": "=", "bare_count": ""}[kind]
            target, actual = f"{prefix}{a}{unit}", f"{b}{unit}"
            score = full if b >= a else _half_up(full * b, a)
        elif kind in ("bare_pct", "ge_pct", "satisfaction"):
            a = 1000 if kind == "bare_pct" else self._pick((850, 900, 950, 980))
            if partial:
                b = a - self._int(5, 300)
            else:
                b = self._int(a, 1000) if rng.random() < 0.7 else a
            prefix = "" if kind == "bare_pct" else "≥"
            target, actual = f"{prefix}{_percent(a)}", _percent(b)
            score = full if b >= a else _half_up(full * b, a)
        elif kind in ("le_rate", "le_cost", "le_cost_wan"):
            if kind == "le_rate":
                a = self._pick((10, 20, 50))  # tenths of a percent
            elif kind == "le_cost":
                a = self._int(500, 5000)
            else:
                a = self._int(500, 50000)  # hundredths of 万元
            b = int(a * rng.uniform(1.03, 2.0)) if partial else int(a * rng.uniform(0.7, 1.0))
            target, actual = f"≤{_lower(kind, a, unit)}", _lower(kind, b, unit)
            score = full if b <= a else _half_up(full * a, b)
        elif kind == "zero_rate":
            target = "0%"
            b = self._int(1, 9) if partial else 0
            actual = _percent(b)
            score = full if b == 0 else 0
        elif kind == "deadline_year":
            target = f"{year}年底" if rng.random() < 0.7 else f"{year}年12月底前"
            pct = self._int(600, 999) if partial else 1000
            actual = f"{year}年底前已完成{_percent(pct)}"
            if partial and rng.random() < 0.3:
                method = "扣分:1"
                score = max(0, full - (1000 - pct) * 10)
            else:
                score = _half_up(full * pct, 1000)
        elif kind == "deadline_month":
            due = self._int(6, 11)
            target, actual = f"{due}月前", f"{self._int(due - 4, due)}月"
            score, partial = full, False  # a late finish is not scored by the rules: kept as-is
        elif kind == "deadline_phrase":
            target, actual, score, partial = "按时完成", "按时完成", full, False
        else:  # qualitative
            target = self._pick(QUALITATIVE_TARGETS)
            draw = rng.random()
            if draw < self.p_partial:
                actual, score, partial = "基本达成", weight * 70, True
            elif draw < self.p_partial + 0.04:
                actual, score, partial = "有所提升", full, False  # the tier cannot be told
            elif draw < self.p_partial + 0.07:
                actual, score, partial = "已完成", full, False
            else:
                actual, score, partial = target, full, False
        reason = ""
        if partial:
            draw = rng.random()
            if draw < P_INFLATED:
                score = full
            elif draw >= P_INFLATED + P_NO_REASON:
                reason = self._pick(REASONS)
        return name, target, actual, score, reason, method

    def _spending(self, key: tuple, executed: int, annual: int, out: _Tables) -> None:
        """2–6 spending items that add up to the executed amount (a few deliberately do not)."""
        rng = self.rng
        count = self._int(2, 6)
        start, step = self._int(0, len(SPENDING_ITEMS) - 1), self._pick((1, 3, 5))
        items = [SPENDING_ITEMS[(start + k * step) % len(SPENDING_ITEMS)] for k in range(count)]
        cuts = sorted(self._int(0, executed) for _ in range(count - 1))
        shares = [b - a for a, b in zip([0, *cuts], [*cuts, executed], strict=True)]
        if rng.random() < P_SPENDING_OFF:
            shares[0] += max(1, executed // 20)
        with_budget = rng.random() < 0.5
        rows = out.rows["expenditures"]
        for item, share in zip(items, shares, strict=True):
            budget = _wan(_half_up(share * annual, executed)) if with_budget else ""
            rows.append((*key, item, _wan(share), budget))


def departments_for(evaluations: int) -> int:
    """How many departments N evaluations spread over: about 250 evaluations each, 3–400."""
    return min(len(DEPARTMENTS), max(3, evaluations // 250))


def _part_ranges(evaluations: int, per_part: int) -> Iterator[range]:
    for start in range(0, evaluations, per_part):
        yield range(start, min(evaluations, start + per_part))


def generate(evaluations: int, seed: int, out: str | Path, per_part: int = 10_000) -> Generated:
    """Write N synthetic evaluations as `synthetic-PPP-<table>.csv` files under `out`."""
    if evaluations < 1 or per_part < 1:
        raise ValueError("evaluations and per_part must be positive")
    folder = Path(out)
    if folder.resolve().is_relative_to(Path(__file__).resolve().parents[1] / "data" / "seed"):
        raise ValueError("refusing to write synthetic data into data/seed/")
    folder.mkdir(parents=True, exist_ok=True)
    writer = _Writer(seed)
    n_departments = departments_for(evaluations)
    counts = dict.fromkeys(TABLES, 0)
    parts = []
    for number, indexes in enumerate(_part_ranges(evaluations, per_part), start=1):
        tables = _Tables()
        for index in indexes:
            writer.evaluation(index, n_departments, tables)
        paths = []
        for table in TABLES:
            path = folder / f"synthetic-{number:03d}-{table}.csv"
            with path.open("w", encoding="utf-8", newline="") as handle:
                out_csv = csv.writer(handle)
                out_csv.writerow(HEADERS[table])
                out_csv.writerows(tables.rows[table])
            counts[table] += len(tables.rows[table])
            paths.append(path)
        parts.append(tuple(paths))
    return Generated(parts=tuple(parts), rows=counts, evaluations=evaluations)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.generate",
        description="合成数据：生成绩效自评表上传文件（synthetic upload files, DESIGN.md §3）",
    )
    parser.add_argument("--evaluations", type=int, required=True, help="number of evaluations")
    parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same files)")
    parser.add_argument("--out", required=True, help="output folder (never data/seed)")
    parser.add_argument("--per-part", type=int, default=10_000, help="evaluations per file set")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    result = generate(args.evaluations, args.seed, args.out, args.per_part)
    seconds = time.perf_counter() - started
    rows = "，".join(f"{table} {count}" for table, count in result.rows.items())
    print(
        f"已生成合成数据 {result.evaluations} 个评价、{len(result.files)} 个文件（{rows}），"
        f"用时 {seconds:.1f} 秒 → {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
