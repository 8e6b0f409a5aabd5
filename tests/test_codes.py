"""The finding catalogue and the code agree: nothing emitted is undocumented."""

from __future__ import annotations

import re
from pathlib import Path

from perfcore.codes import CODES

SOURCE = Path(__file__).resolve().parents[1] / "perfcore"


def emitted_codes() -> set[str]:
    found: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        found |= set(
            re.findall(r"""finding\(\s*["']([A-Z_]+)["']""", path.read_text(encoding="utf-8"))
        )
    return found


def test_every_emitted_code_is_in_the_catalogue():
    assert emitted_codes() - set(CODES) == set()


def test_every_catalogued_code_has_chinese_title_and_explanation():
    for code, spec in CODES.items():
        assert spec.severity in ("error", "warning", "info"), code
        assert re.search(r"[\u4e00-\u9fff]", spec.title), code
        assert re.search(r"[\u4e00-\u9fff]", spec.explain), code
        assert spec.title_en, code
