"""Scoring an evaluation again under another rule set, reusing the lines the change cannot touch.

`score_indicator` is a pure function of the line and of the RuleSet fields it reads. Scored
once through `_RecordingRules`, every indicator line keeps the names of the fields it read;
under another rule set a line whose fields are all unchanged gets its first score and findings
again, and only the others are scored afresh. Everything else of the evaluation (funds, parent
rows, total, grade, checks) is computed for the new rule set as `score_evaluation` does, so the
result equals `score_evaluation(evaluation, other)`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import cast

from perfcore.model import Evaluation, EvaluationResult, Finding, IndicatorLine, IndicatorScore
from perfcore.rules import RuleSet
from perfcore.scoring import score_evaluation_with, score_indicator

# Every distinct set of field names a line read, kept once: 2·10^6 lines share a handful.
_READ_SETS: dict[frozenset[str], frozenset[str]] = {}
_NOTHING_READ: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True, eq=False)
class ScoredLines:
    """How the indicator lines of `evaluation` came out under `rules`, index by index.

    Parent rows keep an empty entry: which rows are parents does not depend on the rules, so
    they are never looked up. Kept beside an EvaluationResult, never inside it, so results
    compare and are stored exactly as before.
    """

    evaluation: Evaluation
    rules: RuleSet
    scores: tuple[IndicatorScore, ...]  # the result's own `indicators`
    reads: tuple[frozenset[str], ...]  # the RuleSet fields each line's scoring read
    findings: tuple[tuple[Finding, ...], ...]


class _RecordingRules:
    """A stand-in for a RuleSet that notes the name of every field read through it."""

    __slots__ = ("_rules", "read")

    def __init__(self, rules: RuleSet) -> None:
        self._rules = rules
        self.read: set[str] = set()

    # RuleSet's own methods, run on the stand-in so that the fields they read are noted too.
    band_range = RuleSet.band_range
    grade_for = RuleSet.grade_for


def _noted(name: str) -> property:
    """The stand-in's property for RuleSet field `name`: the wrapped value, the read noted."""

    def read(view: _RecordingRules) -> object:
        view.read.add(name)
        return getattr(view._rules, name)

    return property(read)


for _field in fields(RuleSet):
    setattr(_RecordingRules, _field.name, _noted(_field.name))


def score_recorded(evaluation: Evaluation, rules: RuleSet) -> tuple[EvaluationResult, ScoredLines]:
    """`score_evaluation(evaluation, rules)`, and what each line read and found for a rescore."""
    count = len(evaluation.indicators)
    reads = [_NOTHING_READ] * count
    found: list[tuple[Finding, ...]] = [()] * count

    def score_line(index: int, line: IndicatorLine) -> tuple[IndicatorScore, list[Finding]]:
        view = _RecordingRules(rules)
        score, findings = score_indicator(line, cast(RuleSet, view))
        read = frozenset(view.read)
        reads[index] = _READ_SETS.setdefault(read, read)
        found[index] = tuple(findings)
        return score, findings

    result = score_evaluation_with(evaluation, rules, score_line)
    return result, ScoredLines(evaluation, rules, result.indicators, tuple(reads), tuple(found))


def rescore_reusing(scored: ScoredLines, rules: RuleSet) -> EvaluationResult:
    """`score_evaluation(scored.evaluation, rules)`, reusing every line `rules` cannot change."""
    unchanged = _unchanged_fields(scored.rules, rules)

    def score_line(index: int, line: IndicatorLine) -> tuple[IndicatorScore, list[Finding]]:
        if scored.reads[index] <= unchanged:
            return scored.scores[index], list(scored.findings[index])
        return score_indicator(line, rules)

    return score_evaluation_with(scored.evaluation, rules, score_line)


# Keyed by identity, not by ==: rule sets equal as values may still print a value otherwise.
# Each entry holds its two rule sets, so their ids cannot be taken by others; a process meets
# a handful of rule sets (the shipped ones, loaded once).
_UNCHANGED: dict[tuple[int, int], tuple[RuleSet, RuleSet, frozenset[str]]] = {}


def _unchanged_fields(first: RuleSet, second: RuleSet) -> frozenset[str]:
    """The fields both rule sets hold alike, worked out once per pair of rule sets."""
    key = (id(first), id(second))
    if key not in _UNCHANGED:
        _UNCHANGED[key] = (first, second, _alike_fields(first, second))
    return _UNCHANGED[key][2]


def _alike_fields(first: RuleSet, second: RuleSet) -> frozenset[str]:
    """Compared by repr, not ==: Decimal 1.2 equals 1.20 but the two print differently, and
    explanations and findings print rule values."""
    return frozenset(
        f.name
        for f in fields(RuleSet)
        if repr(getattr(first, f.name)) == repr(getattr(second, f.name))
    )
