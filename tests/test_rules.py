"""Rule sets are data: every shipped file loads, every key is documented, bad files are refused."""

from __future__ import annotations

import re
import tomllib
from decimal import Decimal

import pytest

from perfcore.rules import (
    RULESET_DIR,
    UnknownRuleSet,
    available_rule_sets,
    canonical_grade,
    load_rule_set,
    parse_rule_set,
)

FILES = sorted(RULESET_DIR.glob("*.toml"))


def test_three_rule_sets_ship_with_national_first():
    names = [info.name for info in available_rule_sets()]
    assert names[0] == "national"
    assert {"national", "hubei", "hunan"} <= set(names)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_key_is_documented_by_a_comment_above_it(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    for index, text in enumerate(lines):
        match = re.match(r"^([a-z_]+) = ", text)
        if match:
            block = []
            above = index - 1
            while above >= 0 and lines[above].startswith("#"):
                block.append(lines[above])
                above -= 1
            documented = any(c.startswith(f"# {match.group(1)}:") for c in block)
            assert documented, f"{path.name}: {match.group(1)}"


def _keys(data: dict, prefix: str = "") -> set[str]:
    keys = set()
    for key, value in data.items():
        keys.add(prefix + key)
        if isinstance(value, dict):
            keys |= _keys(value, f"{prefix}{key}.")
    return keys


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_file_has_exactly_the_national_keys(path):
    reference = tomllib.loads((RULESET_DIR / "national.toml").read_text(encoding="utf-8"))
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert _keys(data) == _keys(reference)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_file_name_matches_rule_set_name(path):
    assert load_rule_set(path.stem).name == path.stem


def test_provincial_variants_differ_where_the_sources_say():
    national, hubei, hunan = (load_rule_set(n) for n in ("national", "hubei", "hunan"))
    assert national.funds_weight == 10 and hubei.funds_weight == 20
    assert [b.min_share for b in national.qualitative_bands] == [Decimal("0.8"), Decimal("0.6"), 0]
    assert [b.min_share for b in hubei.qualitative_bands] == [Decimal("0.8"), Decimal("0.5"), 0]
    assert [b.min_share for b in hunan.qualitative_bands] == [
        Decimal("0.9"),
        Decimal("0.8"),
        Decimal("0.6"),
        0,
    ]
    assert national.over_achievement == Decimal("1.2")
    assert [g.min_total for g in national.grade_bands] == [90, 80, 60, 0]


def test_unknown_rule_set_raises():
    with pytest.raises(UnknownRuleSet):
        load_rule_set("guangdong")
    with pytest.raises(UnknownRuleSet):
        load_rule_set("../etc/passwd")


def test_invalid_values_are_refused():
    data = tomllib.loads((RULESET_DIR / "national.toml").read_text(encoding="utf-8"))
    data["quantitative"]["reverse_formula"] = "magic"
    with pytest.raises(ValueError, match="reverse_formula"):
        parse_rule_set(data)


@pytest.mark.parametrize(
    ("label", "grade"),
    [
        ("优", "优"),
        ("优秀", "优"),
        ("良好", "良"),
        ("合格", "中"),
        ("一般", "中"),
        ("不合格", "差"),
        ("较差", "差"),
        ("“优秀”", "优"),
        ("很好", None),
        (None, None),
    ],
)
def test_grade_synonyms(label, grade):
    assert canonical_grade(label) == grade
