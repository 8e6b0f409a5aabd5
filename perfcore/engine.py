"""Read → score → check, in one call: what the CLI, the store and the upload page all run."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from perfcore.codes import finding
from perfcore.collector import fewer_collections
from perfcore.model import Evaluation, EvaluationKey, EvaluationResult, Finding, UploadFile
from perfcore.progress import Progress, counted, within
from perfcore.reader import read_uploads
from perfcore.rescoring import ScoredLines, score_recorded
from perfcore.rules import DEFAULT_RULE_SET, UnknownRuleSet, available_rule_sets, load_rule_set
from perfcore.scoring import score_evaluation


@dataclass(frozen=True)
class Assessment:
    """Everything perfcore says about one upload. Nothing may be stored when has_errors."""

    results: tuple[EvaluationResult, ...]
    findings: tuple[Finding, ...]  # reading findings, not tied to one evaluation
    # Per result, what its lines read of the rules, so that `store.prepare_upload` scores the
    # other rule sets without redoing the lines they score alike. It only saves work: left out
    # of == and repr.
    scored_lines: tuple[ScoredLines, ...] = field(compare=False, repr=False)

    @cached_property  # asked by every caller before storing; the findings never change
    def has_errors(self) -> bool:
        return any(f.severity == "error" for f in self.findings) or any(
            f.severity == "error" for result in self.results for f in result.findings
        )

    def all_findings(self) -> list[tuple[EvaluationKey | None, Finding]]:
        rows: list[tuple[EvaluationKey | None, Finding]] = [(None, f) for f in self.findings]
        for result in self.results:
            rows.extend((result.key, f) for f in result.findings)
        return rows


def rescore(evaluation: Evaluation, rule_set: str) -> EvaluationResult:
    """Score an already-read evaluation under the named rule set (raises UnknownRuleSet)."""
    return score_evaluation(evaluation, load_rule_set(rule_set))


def _score(evaluation: Evaluation, override: str | None) -> tuple[EvaluationResult, ScoredLines]:
    name = override or evaluation.rule_set or DEFAULT_RULE_SET
    try:
        return score_recorded(evaluation, load_rule_set(name))
    except UnknownRuleSet:
        known = "、".join(info.name for info in available_rule_sets())
        result, lines = score_recorded(evaluation, load_rule_set(DEFAULT_RULE_SET))
        problem = finding(
            "RULE_SET_UNKNOWN",
            f"{evaluation.key.label()}：评分规则「{name}」不存在，可选：{known}。",
            f"{evaluation.key.label()}: unknown rule set {name!r}; known: {known}.",
        )
        return replace(result, findings=(problem, *result.findings)), lines


# Of `assess`'s time, reading takes about three quarters and scoring the rest (py-spy, 10^4
# evaluations): the share of the progress bar each gets.
READING_SHARE = 0.73


@fewer_collections()
def assess(
    files: Sequence[UploadFile], rule_set: str | None = None, progress: Progress | None = None
) -> Assessment:
    """Read the files, score every evaluation by its own rule set (or `rule_set`), run checks."""
    read = read_uploads(files, within(progress, 0.0, READING_SHARE))
    scoring = within(progress, READING_SHARE, 1.0)
    scored = [_score(ev, rule_set) for ev in counted(read.evaluations, scoring, "正在复核")]
    results = tuple(result for result, _lines in scored)
    lines = tuple(lines for _result, lines in scored)
    return Assessment(results=results, findings=read.findings, scored_lines=lines)


def assess_paths(
    paths: Sequence[str | Path], rule_set: str | None = None, progress: Progress | None = None
) -> Assessment:
    files = [UploadFile(Path(p).name, Path(p).read_bytes()) for p in paths]
    return assess(files, rule_set, progress)
