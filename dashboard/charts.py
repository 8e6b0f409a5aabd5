"""Plotly figure builders: a DataFrame with the contract columns of `perfcore.queries` in, a figure
out. No Streamlit here, so every chart can be unit-tested and exported.

`plotly.graph_objects` rather than express: express costs ~18 ms per figure against <1 ms (see
tech-notes §5), and the pages build several figures per rerun. Hover text is Chinese and every
amount is preformatted by `dashboard.format`, so the chart and the tables agree to the cent.

Plotly reads a small HTML subset (`<b>`, `<br>`, `<a href>`) in every label and hover text, so
text from uploads (project, item and indicator names) passes through `_plain` first and shows
literally.
"""

from __future__ import annotations

from typing import Final

import pandas as pd
import plotly.graph_objects as go

from dashboard import format as fmt
from perfcore.codes import SEVERITY_ZH

FONT_FAMILY: Final = (
    "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, WenQuanYi Micro Hei, "
    "sans-serif"
)
GRADE_COLORS: Final = {"优": "#15803D", "良": "#1D4ED8", "中": "#C2410C", "差": "#B91C1C"}
SEVERITY_COLORS: Final = {"error": "#B91C1C", "warning": "#B45309", "info": "#57534E"}
GOOD: Final = "#15803D"
BAD: Final = "#B91C1C"
NEUTRAL: Final = "#1D4ED8"
MUTED: Final = "#A8A29E"

_TOTAL: Final = "年度资金总额"
_CARRYOVER: Final = "上年结转资金"
_MONEY: Final = ("initial_budget", "annual_budget", "executed")


def _numeric(frame: pd.DataFrame, columns: tuple[str, ...] | list[str]) -> pd.DataFrame:
    """Decimal / object columns as floats (NaN for blanks) so plotly and arithmetic accept them."""
    out = frame.copy()
    for column in columns:
        out[column] = pd.to_numeric(out[column].astype(object), errors="coerce").astype(float)
    return out


# The legend's place: a band of fixed pixels between the title and the plot, room for two rows.
# Below the plot it covered the x-axis tick labels of short charts. Anchored to the plot
# instead, it relied on plotly widening the margin for a wrapped legend, and after a resize
# (two columns stacking on a tablet) plotly left it where the old margin had put it, over the
# plot.
LEGEND_TOP: Final = 44  # px from the figure's top edge, under the title
LEGEND_ROOM: Final = 48  # px added to the top margin for it


def _layout(fig: go.Figure, title: str, height: int) -> go.Figure:
    """Title, fonts and margins every chart shares; a legend only where two or more traces
    have one, in its own band above the plot."""
    legend = sum(getattr(t, "showlegend", False) is not False for t in fig.data) > 1
    total = height + (LEGEND_ROOM if legend else 0)
    fig.update_layout(
        title={
            "text": title,
            "x": 0,
            "xanchor": "left",
            "yref": "container",
            "y": 1,
            "yanchor": "top",
            "pad": {"t": 12},
            "font": {"size": 16},
        },
        font={"family": FONT_FAMILY, "size": 13},
        height=total,
        margin={"l": 10, "r": 10, "t": 48 + (LEGEND_ROOM if legend else 0), "b": 10},
        hoverlabel={"font": {"family": FONT_FAMILY}},
        showlegend=legend,
        # x from the plot's left edge (in container coordinates the legend pushed the plot
        # right by its own width); y in fixed pixels from the top
        legend={
            "orientation": "h",
            "yref": "container",
            "y": 1 - LEGEND_TOP / total,
            "yanchor": "top",
            "x": 0,
            "xanchor": "left",
        },
        uniformtext={"minsize": 10, "mode": "show"},
        plot_bgcolor="white",
        separators=".,",
    )
    # Whole numbers with thousands grouped on every axis, never plotly's SI suffixes: a
    # province's 预算桥 read 「50M」 (万元), which no finance report writes.
    fig.update_xaxes(exponentformat="none", separatethousands=True)
    fig.update_yaxes(exponentformat="none", separatethousands=True)
    return fig


def _padded(low: float, high: float, share: float = 0.1) -> list[float]:
    """An axis range around [low, high] with `share` of its span free on either side, so
    points and labels at the extremes do not sit on the plot's edge."""
    span = high - low or abs(high) or 1.0
    return [low - span * share, high + span * share]


def _plain(text: object) -> str:
    """User text for plotly: its pseudo-HTML tags and entities become literal characters."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _count_ticks(largest: int) -> dict:
    """Whole-number ticks for counts (no 0.5 findings), one per unit while there are few, and
    grouped by thousands when there are many (50,000 findings, not 50000)."""
    return {"tickmode": "linear", "tick0": 0, "dtick": 1} if largest <= 10 else {"tickformat": ",d"}


def _short(text: object, limit: int = 18) -> str:
    """Axis labels stay readable at 1366 px; the full text is in the hover."""
    value = str(text)
    return _plain(value if len(value) <= limit else value[: limit - 1] + "…")


def _wrapped(text: object, width: int, lines: int = 2) -> str:
    """Text in at most `lines` lines of at most `width` characters, of even length (Chinese
    needs no spaces to break: 群众对干部 / 的满意度, not 群众对干部的满意 / 度), the rest cut
    with an ellipsis; escaped for plotly."""
    value = str(text)
    if len(value) > width * lines:
        value = value[: width * lines - 1] + "…"
    step = -(-len(value) // -(-len(value) // width)) if value else 1  # ceil(len / ceil(len / w))
    return "<br>".join(_plain(value[i : i + step]) for i in range(0, len(value), step))


def _axis_labels(frame: pd.DataFrame) -> list[str]:
    """The shortest label that still tells the rows apart — the project; `2022年 项目` when a
    project has several years; the full label otherwise — cut for the axis (full in the hover)."""
    if frame["project"].is_unique:
        return [_short(p, 24) for p in frame["project"]]
    year_project = [f"{y}年 {p}" for y, p in zip(frame["year"], frame["project"], strict=True)]
    if len(set(year_project)) == len(year_project):
        return [_short(t, 24) for t in year_project]
    return [
        _short(fmt.evaluation_label(y, d, p), 30)
        for y, d, p in zip(frame["year"], frame["department"], frame["project"], strict=True)
    ]


def _labels(frame: pd.DataFrame) -> list[str]:
    """`2022年 部门 项目` per row, escaped for plotly."""
    return [
        _plain(fmt.evaluation_label(y, d, p))
        for y, d, p in zip(frame["year"], frame["department"], frame["project"], strict=True)
    ]


# --- funds -----------------------------------------------------------------------------------


def bridge_steps(funds: pd.DataFrame) -> pd.DataFrame:
    """The budget bridge 上年结转 + 年初预算 + 年中追加 → 全年预算 → 执行 as step/amount/measure.

    Sums over every evaluation in `funds` (one row per funding source per evaluation). Where the
    年度资金总额 row is blank or zero — some real tables leave it so and fill the parts — the parts
    are added up instead. 年初预算 here excludes the carry-over, so the steps add up.
    """
    lines = _numeric(funds, _MONEY)
    by_source = lines.groupby("source")[list(_MONEY)].sum(min_count=1)
    parts = by_source.drop(index=_TOTAL, errors="ignore").sum(min_count=1)
    total = by_source.loc[_TOTAL] if _TOTAL in by_source.index else parts * float("nan")

    def pick(column: str) -> float:
        value = total[column]
        return float(parts[column]) if pd.isna(value) or value == 0 else float(value)

    annual, executed, initial_total = (
        pick("annual_budget"),
        pick("executed"),
        pick("initial_budget"),
    )
    carry = (
        by_source.loc[_CARRYOVER].fillna(0.0)
        if _CARRYOVER in by_source.index
        else pd.Series(0.0, index=list(_MONEY))
    )
    rows: list[tuple[str, float, str]] = []
    if carry["annual_budget"]:
        rows.append(("上年结转", float(carry["annual_budget"]), "relative"))
    if pd.isna(initial_total):
        rows.append(("当年预算", annual - float(carry["annual_budget"]), "relative"))
    else:
        initial = initial_total - float(carry["initial_budget"] or carry["annual_budget"])
        added = annual - float(carry["annual_budget"]) - initial
        rows.append(("年初预算", initial, "relative"))
        rows.append(("年中追加" if added >= 0 else "年中调减", added, "relative"))
    rows.append(("全年预算", annual, "total"))
    gap = executed - annual
    rows.append(("未执行" if gap <= 0 else "超预算执行", gap, "relative"))
    rows.append(("全年执行", executed, "total"))
    steps = pd.DataFrame(rows, columns=["step", "amount", "measure"])
    return steps if not steps["amount"].isna().all() else steps.iloc[0:0]


def budget_bridge(funds: pd.DataFrame) -> go.Figure:
    """Waterfall of the budget bridge. The bars are labelled with the number alone — the title
    and the axis say the unit, and 「105.78 万元」 beside 「261.46 万元」 ran into each other at
    1366 px — and the hover shows the amount with its unit. From 10 亿元 on the bridge is in 亿元
    (a province's 「49,076,066.68」 labels ran into each other), the hover keeping 万元 too."""
    steps = bridge_steps(funds)
    in_yi = bool((steps["amount"].abs() >= fmt.YI_FROM_WAN).any())
    unit, scale = ("亿元", 10_000.0) if in_yi else ("万元", 1.0)
    amounts = steps["amount"] / scale
    levels, level = [0.0], 0.0
    for amount, measure in zip(amounts.fillna(0.0), steps["measure"], strict=True):
        level = amount if measure == "total" else level + amount
        levels.append(level)
    hover = [
        f"{fmt.amount(v)} 亿元（{fmt.wan(w)}）" if in_yi else fmt.wan(w)
        for v, w in zip(amounts, steps["amount"], strict=True)
    ]
    fig = go.Figure(
        go.Waterfall(
            x=steps["step"],
            y=[0 if m == "total" else v for v, m in zip(amounts, steps["measure"], strict=True)],
            measure=steps["measure"],
            text=[fmt.amount(v) for v in amounts],
            textposition="outside",
            textfont={"size": 12},
            customdata=hover,
            hovertemplate="%{x}：%{customdata}<extra></extra>",
            connector={"line": {"color": MUTED, "width": 1}},
            increasing={"marker": {"color": NEUTRAL}},
            decreasing={"marker": {"color": BAD}},
            totals={"marker": {"color": "#44403C"}},
            cliponaxis=False,
        )
    )
    # headroom above the highest bar for its label
    low, high = min(levels), max(levels)
    fig.update_yaxes(
        title_text=unit, gridcolor="#E7E5E4", range=[min(low * 1.1, 0), high * 1.12 or 1.0]
    )
    fig.update_xaxes(tickangle=0)
    return _layout(fig, f"预算桥（{unit}）", 380)


def execution_rates(evaluations: pd.DataFrame) -> go.Figure:
    """Execution rate against 全年预算 and against 年初预算, side by side per evaluation."""
    frame = _numeric(evaluations, _MONEY)
    frame = frame.sort_values(["year", "department", "project"], ascending=False)
    frame["label"] = _labels(frame)
    rate_annual = frame["executed"] / frame["annual_budget"].where(frame["annual_budget"] > 0)
    rate_initial = frame["executed"] / frame["initial_budget"].where(frame["initial_budget"] > 0)
    fig = go.Figure()
    for name, rate, base_name, base, color in (
        ("对全年预算", rate_annual, "全年预算", frame["annual_budget"], NEUTRAL),
        ("对年初预算", rate_initial, "年初预算", frame["initial_budget"], MUTED),
    ):
        fig.add_trace(
            go.Bar(
                name=f"执行率（{name}）",
                y=_axis_labels(frame),
                x=rate * 100,
                orientation="h",
                marker_color=color,
                text=[fmt.pct(r, 1) for r in rate],
                # inside the bar's end where it fits: outside, the label of the longest bar
                # ran off a chart whose evaluation labels take half its width
                textposition="auto",
                cliponaxis=False,
                customdata=list(
                    zip(
                        frame["label"],
                        [fmt.wan(v) for v in frame["executed"]],
                        [fmt.wan(v) for v in base],
                        [fmt.pct(r) for r in rate],
                        strict=True,
                    )
                ),
                hovertemplate=(
                    "%{customdata[0]}<br>"
                    + f"执行率（{name}）"
                    + "：%{customdata[3]}<br>全年执行：%{customdata[1]}<br>"
                    + base_name
                    + "：%{customdata[2]}<extra></extra>"
                ),
            )
        )
    fig.add_vline(x=100, line_dash="dot", line_color="#44403C")
    fig.update_layout(barmode="group")
    # headroom on the right for the outside labels; 100 % always in view
    top = max(110.0, float(pd.concat([rate_annual, rate_initial]).max(skipna=True) or 0) * 118)
    fig.update_xaxes(ticksuffix="%", gridcolor="#E7E5E4", range=[0, top])
    fig.update_yaxes(automargin=True)
    return _layout(fig, "执行率：对全年预算 / 对年初预算", 190 + 60 * len(frame))


def spending_items(expenditures: pd.DataFrame, top: int = 20) -> go.Figure:
    """The spending breakdown as a sorted bar (万元 and share of the total); the tail beyond
    `top` items is one 其他 bar so the chart stays readable on a tablet."""
    frame = _numeric(expenditures, ["executed"])
    items = frame.groupby("item", sort=False)["executed"].sum().sort_values(ascending=False)
    if len(items) > top:
        rest = items.iloc[top - 1 :].sum()
        items = pd.concat([items.iloc[: top - 1], pd.Series({"其他（合并）": rest})])
    total = items.sum()
    items = items.iloc[::-1]
    shares = items / total if total else items * float("nan")
    fig = go.Figure(
        go.Bar(
            y=[_short(i, 16) for i in items.index],
            x=items.values,
            orientation="h",
            marker_color=NEUTRAL,
            text=[f"{fmt.wan(v)}（{fmt.pct(s, 1)}）" for v, s in zip(items, shares, strict=True)],
            textposition="outside",
            cliponaxis=False,
            customdata=list(
                zip(
                    [_plain(i) for i in items.index],
                    [fmt.wan(v) for v in items],
                    [fmt.pct(s) for s in shares],
                    strict=True,
                )
            ),
            hovertemplate=(
                "%{customdata[0]}<br>全年执行：%{customdata[1]}<br>占支出合计：%{customdata[2]}"
                "<extra></extra>"
            ),
        )
    )
    fig.update_xaxes(
        title_text="万元", gridcolor="#E7E5E4", range=[0, max(float(items.max()), 1.0) * 1.35]
    )
    fig.update_yaxes(automargin=True)
    return _layout(fig, f"支出明细（合计 {fmt.wan(total)}）", 120 + 24 * len(items))


# --- indicators ------------------------------------------------------------------------------


def indicator_tree(indicators: pd.DataFrame) -> go.Figure:
    """Sunburst 一级 → 二级 → 三级, sized by weight, coloured by computed score ÷ weight.

    Rows that are not counted (parent 汇总 rows, 不适用) are left out so no weight counts twice.
    Over several evaluations the same names add up. Given sums per 一级/二级 (no `name`
    column, as `indicator_levels` returns them) the tree stops at 二级: across thousands of
    evaluations the 三级 ring would be unreadable.
    """
    frame = _numeric(indicators, ["weight", "score_computed"])
    if "counted" in frame:
        frame = frame[frame["counted"].astype(bool)]
    frame = frame[frame["weight"] > 0]
    levels = [c for c in ("level1", "level2", "name") if c in frame]
    leaves = frame.groupby(levels, sort=False)[["weight", "score_computed"]].sum(min_count=1)
    ids, labels, parents, values, ratios, hover = [], [], [], [], [], []

    def add(node_id: str, label: str, parent: str, weight: float, got: float) -> None:
        ratio = got / weight if weight else float("nan")
        ids.append(node_id)
        labels.append(_short(label, 12))
        parents.append(parent)
        values.append(weight)
        ratios.append(ratio)
        hover.append(
            f"{_plain(label)}<br>分值：{fmt.score(weight)}<br>复核得分：{fmt.score(got)}"
            f"<br>得分率：{fmt.pct(ratio, 1)}"
        )

    for level1, part1 in leaves.groupby(level=0, sort=False):
        add(level1, level1, "", part1["weight"].sum(), part1["score_computed"].sum())
        for level2, part2 in part1.groupby(level=1, sort=False):
            add(
                f"{level1}/{level2}",
                level2,
                level1,
                part2["weight"].sum(),
                part2["score_computed"].sum(),
            )
            if "name" not in levels:
                continue
            for (_, _, name), row in part2.iterrows():
                add(
                    f"{level1}/{level2}/{name}",
                    name,
                    f"{level1}/{level2}",
                    row["weight"],
                    row["score_computed"],
                )
    fig = go.Figure(
        go.Sunburst(
            ids=ids,
            labels=labels,
            parents=parents,
            values=values,
            branchvalues="total",
            marker={
                "colors": ratios,
                "colorscale": [[0, BAD], [0.6, "#F59E0B"], [0.8, "#FDE68A"], [1, GOOD]],
                "cmin": 0,
                "cmax": 1,
                "colorbar": {"title": {"text": "得分率"}, "tickformat": ".0%", "thickness": 12},
            },
            customdata=hover,
            hovertemplate="%{customdata}<extra></extra>",
            insidetextorientation="auto",
        )
    )
    _layout(fig, "指标结构（面积 = 分值，颜色 = 得分率）", 460)
    # A sector too small for its label at 10 px shows none (the hover still names it): forced
    # into place, the labels of neighbouring small sectors were written over each other.
    fig.update_layout(uniformtext={"minsize": 10, "mode": "hide"})
    return fig


def score_gaps(evaluations: pd.DataFrame) -> go.Figure:
    """Reported against computed total per evaluation (dumbbell): where self-scores disagree."""
    frame = _numeric(evaluations, ["total_reported", "total_computed"])
    frame = frame.sort_values("total_computed")
    labels = _labels(frame)
    short = _axis_labels(frame)
    # One trace for all the bars (None breaks the line between evaluations): a trace per
    # evaluation costs plotly and the browser far more than the points do.
    xs: list[float | None] = []
    ys: list[str | None] = []
    for a, b, y in zip(frame["total_reported"], frame["total_computed"], short, strict=True):
        xs += [a, b, None]
        ys += [y, y, None]
    fig = go.Figure(
        go.Scatter(
            x=xs,
            y=ys,
            mode="lines",
            line={"color": MUTED, "width": 3},
            hoverinfo="skip",
            showlegend=False,
        )
    )
    for column, name, color in (
        ("total_reported", "自评得分", "#B45309"),
        ("total_computed", "复核得分", NEUTRAL),
    ):
        fig.add_trace(
            go.Scatter(
                x=frame[column],
                y=short,
                mode="markers",
                name=name,
                marker={"color": color, "size": 11},
                customdata=list(zip(labels, [fmt.score(v) for v in frame[column]], strict=True)),
                hovertemplate="%{customdata[0]}<br>" + name + "：%{customdata[1]}<extra></extra>",
            )
        )
    fig.update_xaxes(gridcolor="#E7E5E4")
    return _layout(fig, "自评得分与复核得分", 170 + 36 * len(frame))


# --- satisfaction and cost -------------------------------------------------------------------


def target_bullets(indicators: pd.DataFrame, title: str, max_rows: int = 8) -> go.Figure:
    """Bullet gauges: each indicator's actual value against its target, in its own unit.

    The target is the threshold line; the bar is green when the target is met in the indicator's
    direction (≤ / < : a cap not to exceed, otherwise a floor to reach), red otherwise.
    """
    frame = _numeric(indicators, ["target_number", "actual_number"]).dropna(
        subset=["target_number", "actual_number"]
    )
    frame = frame.head(max_rows)
    fig = go.Figure()
    n = max(len(frame), 1)
    for i, row in enumerate(frame.itertuples(index=False)):
        target, actual = float(row.target_number), float(row.actual_number)
        is_cap = str(row.target_operator or "") in {"≤", "<"}
        met = actual <= target if is_cap else actual >= target
        unit = row.actual_unit or row.target_unit or ""
        top = 100.0 if unit == "%" else max(target, actual) * 1.25 or 1.0
        label = f"{_wrapped(row.name, 8)}<br><sup>{_short(f'{row.year}年 {row.project}', 18)}</sup>"
        top_y, bottom_y = 1 - i / n - 0.15 / n, 1 - (i + 1) / n + 0.15 / n
        fig.add_trace(
            go.Indicator(
                mode="gauge",
                value=actual,
                title={"text": label, "font": {"size": 12}},
                # the title (8 characters a line) left of x0 and the value right of x1 fit a
                # 420 px chart; plotly's own number sat under the gauge and lost its first
                # digits (「,422 元/人」), so the value is an annotation of its own
                domain={"x": [0.3, 0.72], "y": [bottom_y, top_y]},
                gauge={
                    "shape": "bullet",
                    "axis": {
                        "range": [0, top],
                        "nticks": 4,
                        "exponentformat": "none",
                        "separatethousands": True,
                    },
                    "bar": {"color": GOOD if met else BAD, "thickness": 0.5},
                    "threshold": {
                        "line": {"color": "#1C1917", "width": 3},
                        "thickness": 0.9,
                        "value": target,
                    },
                    "steps": [{"range": [0, target], "color": "#F5F5F4"}],
                },
            )
        )
        fig.add_annotation(
            text=fmt.quantity(actual, unit),
            x=0.74,
            y=top_y - (top_y - bottom_y) * 0.35,  # beside the bar, above the axis ticks
            xref="paper",
            yref="paper",
            xanchor="left",
            yanchor="middle",  # plotly's "auto" hangs a label near the top below its y
            showarrow=False,
            font={"size": 15},
        )
    height = 90 + 78 * n
    return _layout(fig, title, height)


def achievement_spread(indicators: pd.DataFrame, title: str) -> go.Figure:
    """Actual ÷ target (%) per indicator across projects and years, one point per evaluation,
    so units (元, %, 人) can share one axis. 100 % is the target."""
    frame = _numeric(indicators, ["target_number", "actual_number"]).dropna(
        subset=["target_number", "actual_number"]
    )
    frame = frame[frame["target_number"] != 0]
    ratio = frame["actual_number"] / frame["target_number"] * 100
    fig = go.Figure()
    for year, part in frame.assign(ratio=ratio).groupby("year", sort=True):
        fig.add_trace(
            go.Box(
                name=f"{year}年",
                x=[_short(n, 14) for n in part["name"]],
                y=part["ratio"],
                boxpoints="all",
                pointpos=0,
                jitter=0.3,
                customdata=list(
                    zip(
                        [_plain(p) for p in part["project"]],
                        [_plain(n) for n in part["name"]],
                        [
                            fmt.quantity(v, u)
                            for v, u in zip(part["actual_number"], part["actual_unit"], strict=True)
                        ],
                        [_plain(t) for t in part["target_raw"]],
                        strict=True,
                    )
                ),
                hovertemplate=(
                    "%{customdata[0]}<br>%{customdata[1]}<br>实际：%{customdata[2]}"
                    "<br>目标：%{customdata[3]}<br>实际 ÷ 目标：%{y:.1f}%<extra></extra>"
                ),
            )
        )
    fig.add_hline(y=100, line_dash="dot", line_color="#44403C")
    fig.update_layout(boxmode="group")
    fig.update_yaxes(
        title_text="实际 ÷ 目标 %",
        ticksuffix="%",
        gridcolor="#E7E5E4",
        range=_padded(min(ratio.min(), 100.0), max(ratio.max(), 100.0)),
    )
    return _layout(fig, title, 380)


def achievement_boxes(stats: pd.DataFrame, title: str) -> go.Figure:
    """Actual ÷ target (%) as boxes drawn from precomputed statistics (year, name, n, low, q1,
    median, q3, high — as `achievement_quartiles` returns them): the spread across thousands of
    evaluations without sending every point to the browser. 100 % is the target."""
    frame = _numeric(stats, ["low", "q1", "median", "q3", "high"])
    fig = go.Figure()
    for year, part in frame.groupby("year", sort=True):
        fig.add_trace(
            go.Box(
                name=f"{year}年",
                x=[_short(n, 14) for n in part["name"]],
                lowerfence=part["low"],
                q1=part["q1"],
                median=part["median"],
                q3=part["q3"],
                upperfence=part["high"],
                # plotly's own hover labels each statistic (min, q1, median, q3, max)
            )
        )
    fig.add_hline(y=100, line_dash="dot", line_color="#44403C")
    fig.update_layout(boxmode="group")
    fig.update_yaxes(
        title_text="实际 ÷ 目标 %",
        ticksuffix="%",
        gridcolor="#E7E5E4",
        range=_padded(min(frame["low"].min(), 100.0), max(frame["high"].max(), 100.0)),
    )
    return _layout(fig, title, 380)


# --- overview and review ---------------------------------------------------------------------


def grade_distribution(evaluations: pd.DataFrame, by: str = "department") -> go.Figure:
    """Stacked count of computed grades 优/良/中/差 per department (or project, `by`): one row
    per evaluation, or counts already made in column `n` per `label` (as `grade_counts`
    returns them)."""
    made = "n" in evaluations
    groups = evaluations.groupby(["label" if made else by, "grade_computed"])
    counts = (
        (groups["n"].sum() if made else groups.size())
        .unstack(fill_value=0)
        .reindex(columns=list(fmt.GRADES), fill_value=0)
    )
    counts = counts.loc[counts.sum(axis=1).sort_values().index]
    fig = go.Figure()
    for grade in fmt.GRADES:
        fig.add_trace(
            go.Bar(
                name=f"{grade}（{fmt.grade_word(grade)}）",
                y=[_short(i, 16) for i in counts.index],
                x=counts[grade],
                orientation="h",
                marker_color=GRADE_COLORS[grade],
                customdata=[_plain(i) for i in counts.index],
                hovertemplate="%{customdata}<br>" + f"{grade}：" + "%{x:,d} 个<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack")
    fig.update_layout(legend_traceorder="normal")
    fig.update_xaxes(gridcolor="#E7E5E4", **_count_ticks(int(counts.sum(axis=1).max())))
    title = "各部门复核等级分布" if by == "department" else "各项目复核等级分布"
    return _layout(fig, title, 140 + 30 * len(counts))


def findings_by_code(findings: pd.DataFrame) -> go.Figure:
    """How often each finding occurs, coloured by severity, most frequent on top: one row per
    finding, or counts already made in column `n` (as `findings_by_code` returns them)."""
    keys = ["severity", "code", "title"]
    counts = (
        findings[[*keys, "n"]]
        if "n" in findings
        else findings.groupby(keys).size().rename("n").reset_index()
    )
    counts = counts.sort_values("n")
    fig = go.Figure()
    for severity in ("error", "warning", "info"):
        part = counts[counts["severity"] == severity]
        if part.empty:
            continue
        fig.add_trace(
            go.Bar(
                name=SEVERITY_ZH[severity],
                y=part["title"],
                x=part["n"],
                orientation="h",
                marker_color=SEVERITY_COLORS[severity],
                customdata=part["code"],
                hovertemplate="%{y}（%{customdata}）：%{x:,d} 条<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack", legend_traceorder="normal")  # 错误, 警告, 提示
    fig.update_yaxes(categoryorder="total ascending")
    fig.update_xaxes(
        gridcolor="#E7E5E4", **_count_ticks(int(counts.groupby("title")["n"].sum().max()))
    )
    return _layout(fig, "问题分布", 170 + 28 * counts["title"].nunique())
