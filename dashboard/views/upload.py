"""数据上传: drop CSV / xlsx / zip files, preview every finding and the scores the upload would get,
confirm to store; upload history, restore of an earlier version, template downloads."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import pandas as pd
import streamlit as st

from dashboard import data, login
from dashboard import format as fmt
from dashboard.views import common
from perfcore.codes import CODES, SEVERITY_ZH
from perfcore.connection import WriteFailed
from perfcore.engine import Assessment
from perfcore.model import EvaluationKey, UploadFile

MIME = {
    ".csv": "text/csv",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

state = st.session_state
state.setdefault("upload_round", 0)
state.setdefault("upload_notice", None)

# The entry registers this page only for uploaders; checked again here, before anything runs.
access = login.current_access()
if access is None or not access.can_upload:
    st.error("只有具有上传权限的用户可以上传或恢复数据。Uploading needs the uploader role.")
    st.stop()


def _digest(files: list[UploadFile]) -> str:
    h = hashlib.sha256()
    for file in files:
        h.update(file.name.encode() + b"\0" + hashlib.sha256(file.data).digest())
    return h.hexdigest()


def _findings_table(assessment: Assessment) -> pd.DataFrame:
    rows = []
    order = {"error": 0, "warning": 1, "info": 2}
    for key, item in sorted(assessment.all_findings(), key=lambda kf: order[kf[1].severity]):
        spec = CODES.get(item.code)
        rows.append(
            {
                "severity": SEVERITY_ZH[item.severity],
                "title": spec.title if spec else item.code,
                "evaluation": key.label() if key else "（文件）",
                "message": item.message,
                "location": item.location.describe_zh() if item.location else "",
                "message_en": item.message_en,
            }
        )
    return pd.DataFrame(
        rows, columns=["severity", "title", "evaluation", "message", "location", "message_en"]
    )


def _scores_table(assessment: Assessment) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "evaluation": r.key.label(),
                "rule_set": r.rule_set,
                "execution_rate": fmt.pct(r.funds.execution_rate),
                "total_reported": fmt.score(r.total_reported),
                "total_computed": fmt.score(r.total_computed),
                "grade_reported": r.grade_reported or fmt.MISSING,
                "grade_computed": r.grade_computed,
            }
            for r in assessment.results
        ],
        columns=[
            "evaluation",
            "rule_set",
            "execution_rate",
            "total_reported",
            "total_computed",
            "grade_reported",
            "grade_computed",
        ],
    )


def _progress_bar() -> Callable[[float, str], None]:
    """A progress bar and the callback that moves it (what ingest and recompute report to)."""
    bar = st.progress(0.0, text="准备中…")

    def report(fraction: float, message: str) -> None:
        bar.progress(min(max(fraction, 0.0), 1.0), text=fmt.md_escape(message))

    return report


NAMED_VERSIONS = 20  # a notice names this many stored evaluations, then counts the rest


def _stored_notice(versions: dict[EvaluationKey, int]) -> str:
    named = "；".join(
        f"{k.label()}（第 {v} 版）" for k, v in list(versions.items())[:NAMED_VERSIONS]
    )
    more = len(versions) - NAMED_VERSIONS
    rest = f"；另有 {more:,} 个评价，均已保存为当前版本" if more > 0 else ""
    return f"已保存 {len(versions):,} 个评价：{named}{rest}。"


def _store(files: list[UploadFile], assessed: Assessment) -> None:
    """Store the files previewed as `assessed` (so they are not read and scored again)."""
    with st.status("正在保存…", expanded=True) as status:
        try:
            outcome = data.ingest(
                files, data.current_user(), progress=_progress_bar(), assessed=assessed
            )
        except WriteFailed as failed:
            status.update(label="未保存", state="error")
            state.upload_notice = ("error", str(failed))
            st.rerun()
        if outcome.status == "stored":
            status.update(label="已保存，正在更新看板…")
            data.rewarm(_progress_bar())
            status.update(label="已保存", state="complete")
            state.upload_notice = ("success", _stored_notice(outcome.versions))
            state.upload_round += 1  # a fresh uploader: the stored files leave the drop zone
        elif outcome.status == "duplicate":
            status.update(label="与已有上传相同", state="complete")
            state.upload_notice = (
                "info",
                f"这些文件与第 {outcome.upload_id} 次上传完全相同，未做任何更改。"
                + outcome.duplicate_note(
                    "请在本页下方「恢复旧版本」中选择该评价和版本，恢复为当前版本"
                ),
            )
            state.upload_round += 1
        else:
            status.update(label="未保存", state="error")
            state.upload_notice = (
                "error",
                "上传有错误，未保存任何数据。请按问题清单修改后重新上传。",
            )
    st.rerun()  # the sidebar filters and every page see the new data version


def _recompute_stale() -> None:
    with st.status("正在更新过期得分…", expanded=True) as status:
        done = data.recompute_stale(data.current_admin(), progress=_progress_bar())
        status.update(label="复核完成，正在更新看板…")
        data.rewarm(_progress_bar())
        status.update(label="复核完成", state="complete")
    state.upload_notice = ("success", f"已按现行评分程序重新复核规则：{'、'.join(done)}。")
    st.rerun()


def _recompute(rule_set: str) -> None:
    with st.status("正在重新复核…", expanded=True) as status:
        count = data.recompute(rule_set, data.current_admin(), progress=_progress_bar())
        status.update(label="复核完成，正在更新看板…")
        data.rewarm(_progress_bar())
        status.update(label="复核完成", state="complete")
    state.upload_notice = ("success", f"已按规则 {rule_set} 重新复核 {count} 个评价版本。")
    st.rerun()


notice = state.upload_notice
if notice:
    kind, text = notice
    {"success": st.success, "info": st.info, "error": st.error}[kind](fmt.md_escape(text))
    state.upload_notice = None

with st.container(border=True):
    st.markdown("**上传自评表**")
    limit_mb = st.get_option("server.maxUploadSize")  # what the uploader enforces
    st.caption(
        "可一次拖入多个文件：评价信息、资金、指标、支出明细四张 CSV，或一个包含四个工作表的 Excel（.xlsx），"
        "或它们的 ZIP 压缩包。文件只有在预览没有错误、并点击「确认保存」后才会保存。"
    )
    uploaded = st.file_uploader(
        "选择或拖入文件",
        type=["csv", "xlsx", "zip"],
        accept_multiple_files=True,
        key=f"upload_files_{state.upload_round}",
    )
    # The uploader's own text is English in this Streamlit version ("Upload", "… per file").
    st.caption(
        f"点「Upload」选择文件，或把文件直接拖到框内；接受 .csv、.xlsx、.zip，每个文件最大 {limit_mb} MB。"
    )

files = [UploadFile(u.name, u.getvalue()) for u in uploaded or []]
if files:
    digest = _digest(files)
    preview = state.get("upload_preview")
    if preview is None or preview[0] != digest:
        reading = st.empty()  # a bar while the preview is made, gone once it is shown
        with reading.container():
            preview = (digest, data.assess(files, progress=_progress_bar()))
        reading.empty()
        state.upload_preview = preview
    assessment: Assessment = preview[1]
    found = _findings_table(assessment)
    n_errors = int((found["severity"] == "错误").sum())
    n_warnings = int((found["severity"] == "警告").sum())

    with st.container(border=True):
        st.markdown("**预览**")
        with st.grid(4, gap="small"):
            st.metric("文件", f"{len(files)} 个", border=True)
            st.metric("评价", f"{len(assessment.results)} 个", border=True)
            st.metric("错误", f"{n_errors} 条", border=True)
            st.metric("警告", f"{n_warnings} 条", border=True)
        if n_errors:
            st.error(
                "请按下表逐条修改文件（表中写明了文件、行号和列）后重新上传。已保存的数据不受影响。"
                "  \nThe upload has errors and cannot be stored; fix the rows listed below.",
                title=f"有 {n_errors} 个错误，本次上传不能保存",
                icon=":material/block:",
            )
        elif not assessment.results:
            st.warning(
                "文件中没有读到任何评价。No evaluation found in these files.",
                icon=":material/warning:",
            )
        elif n_warnings:
            st.warning(
                f"有 {n_warnings} 条警告：可以保存，但请先看看下表。", icon=":material/warning:"
            )
        else:
            st.success("没有发现问题，可以保存。", icon=":material/check_circle:")

        if assessment.results:
            st.markdown("**保存后的得分**")
            st.dataframe(
                _scores_table(assessment),
                hide_index=True,
                width="stretch",
                column_config={
                    "evaluation": "评价",
                    "rule_set": "评分规则",
                    "execution_rate": "执行率",
                    "total_reported": "自评总分",
                    "total_computed": "复核总分",
                    "grade_reported": "自评等级",
                    "grade_computed": "复核等级",
                },
                alt="上传后各评价的自评与复核得分",
            )
        if not found.empty:
            st.markdown(f"**问题清单（{len(found)} 条）**")
            st.dataframe(
                found,
                hide_index=True,
                width="stretch",
                column_config={
                    "severity": st.column_config.TextColumn("严重程度", width="small"),
                    "title": "问题",
                    "evaluation": "评价",
                    "message": st.column_config.TextColumn("说明", width="large"),
                    "location": "位置",
                    "message_en": st.column_config.TextColumn("English", width="medium"),
                },
                alt="上传预览中发现的问题",
            )
        if st.button(
            "确认保存",
            type="primary",
            icon=":material/save:",
            disabled=bool(n_errors) or not assessment.results,
            key="upload_confirm",
        ):
            outside = access.outside_scope([r.key.department for r in assessment.results])
            if outside:
                st.error(
                    fmt.md_escape(
                        f"您只能上传本人负责部门的评价，以下部门不在范围内：{'、'.join(outside)}。"
                    )
                    + "  \nThese departments are outside your scope; nothing was stored.",
                    icon=":material/block:",
                )
            else:
                _store(files, assessment)

with st.container(border=True):
    st.markdown("**模板下载**")
    templates = data.templates()
    if templates:
        with st.container(horizontal=True):
            for path in templates:
                st.download_button(
                    path.name,
                    path.read_bytes(),
                    file_name=path.name,
                    mime=MIME.get(path.suffix, "application/octet-stream"),
                    icon=":material/download:",
                    key=f"template_{path.name}",
                )
    else:
        st.caption("模板文件尚未提供（data/templates/）。")

if data.is_empty():
    st.stop()

if access.is_admin:
    with st.container(border=True):
        st.markdown("**按规则重新复核**（管理员）")
        st.caption(
            "评分规则文件更新后，按所选规则重新复核全部已保存的评价版本；原有得分保留，"
            "新得分作为新的数据版本保存。"
        )
        rule_sets = data.shipped_rule_sets()
        stale = {name: n for name, n in data.stale_rule_sets().items() if name in rule_sets}
        if stale:
            listed = "、".join(f"{rule_sets[name]}（{n} 个评价）" for name, n in stale.items())
            st.warning(
                f"评分程序已更新，以下规则的复核得分由旧版计算：{fmt.md_escape(listed)}。",
                icon=":material/history:",
            )
            if st.button("更新过期得分", icon=":material/update:", key="recompute_stale"):
                _recompute_stale()
        with st.container(horizontal=True, vertical_alignment="bottom"):
            chosen_rules = st.selectbox(
                "评分规则",
                list(rule_sets),
                format_func=lambda name: rule_sets[name],
                key="recompute_rule_set",
            )
            if st.button("重新复核", icon=":material/calculate:", key="recompute_confirm"):
                _recompute(chosen_rules)

with st.container(border=True):
    st.markdown("**上传历史**")
    history = data.uploads().assign(
        file_names=lambda t: t["file_names"].map(fmt.file_list),
        size_bytes=lambda t: t["size_bytes"].map(fmt.file_size),
    )
    st.dataframe(
        history,
        hide_index=True,
        width="stretch",
        column_order=[
            "upload_id",
            "uploaded_at",
            "uploaded_by",
            "file_names",
            "n_evaluations",
            "n_rows",
            "size_bytes",
        ],  # not `status`: every stored upload says `stored`, and an English code at that
        column_config={
            "upload_id": st.column_config.NumberColumn("编号", format="%d"),
            "uploaded_at": st.column_config.DatetimeColumn("上传时间", format="YYYY-MM-DD HH:mm"),
            "uploaded_by": "上传人",
            "file_names": st.column_config.TextColumn("文件", width="large"),
            "n_evaluations": st.column_config.NumberColumn("评价数", format="localized"),
            "n_rows": st.column_config.NumberColumn("行数", format="localized"),
            "size_bytes": "大小",
        },
        alt="上传历史",
    )

with st.container(border=True):
    st.markdown("**恢复旧版本**")
    # Only evaluations with an older version are offered: a province has 10^5 evaluations, and
    # one with a single version has nothing to restore.
    keys = data.restorable()
    if not keys:
        st.caption("还没有任何评价有旧版本可恢复（同一评价再次上传后才会有旧版本）。")
        st.stop()
    chosen = st.selectbox(
        "评价（仅列出有旧版本的评价）", keys, format_func=EvaluationKey.label, key="restore_key"
    )
    mine = data.history(chosen)
    st.dataframe(
        common.numeric(mine, ["total_reported", "total_computed"]).assign(
            file_names=lambda t: t["file_names"].map(fmt.file_list),
            action=lambda t: t["restored_from"].map(fmt.version_origin),
        ),
        hide_index=True,
        width="stretch",
        column_order=[
            "version",
            "is_current",
            "action",
            "created_by",
            "created_at",
            "file_names",
            "total_reported",
            "total_computed",
            "grade_computed",
        ],
        column_config={
            "version": st.column_config.NumberColumn("版本", format="第 %d 版"),
            "is_current": st.column_config.CheckboxColumn("当前"),
            "action": "来源",
            "created_by": "操作人",
            "created_at": st.column_config.DatetimeColumn("时间", format="YYYY-MM-DD HH:mm"),
            "file_names": st.column_config.TextColumn("文件", width="large"),
            "total_reported": common.points("自评总分"),
            "total_computed": common.points("复核总分"),
            "grade_computed": "复核等级",
        },
        alt="该评价的全部版本",
    )
    older = [
        int(v)
        for v, current in zip(mine["version"], mine["is_current"], strict=True)
        if not current
    ]
    with st.container(horizontal=True, vertical_alignment="bottom"):
        version = st.selectbox(
            "要恢复的版本", older, format_func=lambda v: f"第 {v} 版", key="restore_version"
        )
        if st.button("恢复为当前版本", icon=":material/history:", key="restore_confirm"):
            new = data.restore(chosen, version, data.current_user())
            with st.spinner("正在更新看板…"):
                data.rewarm()
            state.upload_notice = (
                "success",
                f"已将 {chosen.label()} 的第 {version} 版恢复为当前版本（第 {new} 版）。",
            )
            st.rerun()
