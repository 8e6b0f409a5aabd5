"""Rule sets: the published scoring rules as data, loaded from `perfcore/rulesets/*.toml`.

A rule set names the funds weight and formula, the reverse-indicator formula, the qualitative
bands, the over-achievement threshold and the grade bands. Code never branches on a province;
it reads these values.
"""

from __future__ import annotations

import itertools
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

RULESET_DIR = Path(__file__).with_name("rulesets")
DEFAULT_RULE_SET = "national"

FUNDS_FORMULAS = ("proportional", "tiered")
REVERSE_FORMULAS = ("ratio", "linear")

# Canonical grades and the labels units print for them. 合格/不合格/一般/较差 are older wordings.
GRADE_SYNONYMS: dict[str, str] = {
    "优": "优",
    "优秀": "优",
    "良": "良",
    "良好": "良",
    "中": "中",
    "中等": "中",
    "合格": "中",
    "及格": "中",
    "一般": "中",
    "差": "差",
    "较差": "差",
    "不合格": "差",
    "不及格": "差",
}
OLD_STYLE_GRADE_LABELS = frozenset({"合格", "及格", "一般", "较差", "不合格", "不及格", "中等"})


class UnknownRuleSet(LookupError):
    """Raised for a rule-set name with no file in perfcore/rulesets."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


@dataclass(frozen=True)
class QualitativeBand:
    label: str
    min_share: Decimal  # inclusive lower bound, as a share of the weight
    words: tuple[str, ...]


@dataclass(frozen=True)
class GradeBand:
    grade: str
    min_total: Decimal


@dataclass(frozen=True)
class RuleSetInfo:
    name: str
    title: str


@dataclass(frozen=True)
class RuleSet:
    name: str
    title: str
    source: str
    funds_weight: Decimal
    funds_formula: str
    funds_cap: bool
    funds_rounding: Decimal
    funds_tiers: tuple[tuple[Decimal, Decimal], ...]
    reverse_formula: str
    over_achievement: Decimal
    lower_is_better_words: tuple[str, ...]
    qualitative_bands: tuple[QualitativeBand, ...]
    grade_bands: tuple[GradeBand, ...]
    score_tolerance: Decimal
    rate_tolerance: Decimal
    amount_tolerance: Decimal
    total_weight: Decimal

    def band_range(self, index: int, weight: Decimal) -> tuple[Decimal, Decimal]:
        """Score interval of qualitative band `index`: [min, upper], upper exclusive except band 0."""
        low = self.qualitative_bands[index].min_share * weight
        high = weight if index == 0 else self.qualitative_bands[index - 1].min_share * weight
        return low, high

    def grade_for(self, total: Decimal) -> str:
        for band in self.grade_bands:
            if total >= band.min_total:
                return band.grade
        return self.grade_bands[-1].grade


def _dec(value: object) -> Decimal:
    return Decimal(str(value))


def parse_rule_set(data: dict) -> RuleSet:
    """Build a RuleSet from parsed TOML, validating every value (ValueError names the key)."""
    funds, quant, qual, grades, checks = (
        data["funds"],
        data["quantitative"],
        data["qualitative"],
        data["grades"],
        data["checks"],
    )
    if funds["formula"] not in FUNDS_FORMULAS:
        raise ValueError(f"funds.formula must be one of {FUNDS_FORMULAS}")
    if quant["reverse_formula"] not in REVERSE_FORMULAS:
        raise ValueError(f"quantitative.reverse_formula must be one of {REVERSE_FORMULAS}")
    bands = tuple(
        QualitativeBand(b["label"], _dec(b["min"]), tuple(b["words"])) for b in qual["bands"]
    )
    if not bands or bands[-1].min_share != 0:
        raise ValueError("qualitative.bands must end with a band whose min is 0")
    if any(a.min_share <= b.min_share for a, b in itertools.pairwise(bands)):
        raise ValueError("qualitative.bands must be ordered best first")
    grade_bands = tuple(GradeBand(g["grade"], _dec(g["min"])) for g in grades["bands"])
    if any(g.grade not in ("优", "良", "中", "差") for g in grade_bands):
        raise ValueError("grades.bands grades must be 优/良/中/差")
    return RuleSet(
        name=data["name"],
        title=data["title"],
        source=data["source"],
        funds_weight=_dec(funds["weight"]),
        funds_formula=funds["formula"],
        funds_cap=bool(funds["cap"]),
        funds_rounding=_dec(funds["rounding"]),
        funds_tiers=tuple((_dec(a), _dec(b)) for a, b in funds["tiers"]),
        reverse_formula=quant["reverse_formula"],
        over_achievement=_dec(quant["over_achievement"]),
        lower_is_better_words=tuple(quant["lower_is_better_words"]),
        qualitative_bands=bands,
        grade_bands=grade_bands,
        score_tolerance=_dec(checks["score_tolerance"]),
        rate_tolerance=_dec(checks["rate_tolerance"]),
        amount_tolerance=_dec(checks["amount_tolerance"]),
        total_weight=_dec(checks["total_weight"]),
    )


@cache
def load_rule_set(name: str | None = None) -> RuleSet:
    """The rule set called `name` (default: national). Raises UnknownRuleSet."""
    name = (name or DEFAULT_RULE_SET).strip()
    path = RULESET_DIR / f"{name}.toml"
    if not name.isidentifier() or not path.is_file():
        raise UnknownRuleSet(name)
    with path.open("rb") as fh:
        return parse_rule_set(tomllib.load(fh))


def available_rule_sets() -> list[RuleSetInfo]:
    """Every shipped rule set, the default first."""
    names = sorted(p.stem for p in RULESET_DIR.glob("*.toml"))
    names.sort(key=lambda n: n != DEFAULT_RULE_SET)
    return [RuleSetInfo(n, load_rule_set(n).title) for n in names]


def canonical_grade(label: str | None) -> str | None:
    """优/良/中/差 for a printed grade label, or None when it is not a grade."""
    if label is None:
        return None
    return GRADE_SYNONYMS.get(label.strip().strip("“”\"'「」"))
