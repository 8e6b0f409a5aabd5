"""How a 三级指标 search compares: the text a reviewer types and each name as the upload wrote it,
both folded — full-width forms as ASCII (NFKC), traditional characters as simplified, letters in
any case — so that 满意度 also finds 滿意度 and ＡＰＰ使用率 finds App使用率. Names are stored as
written; only the comparison folds. Plain text throughout: no pattern, no SQL.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from perfcore.headers import to_simplified


def fold(text: str) -> str:
    """The comparable form of a name or a search text."""
    return to_simplified(unicodedata.normalize("NFKC", text)).casefold()


@lru_cache(maxsize=1 << 17)  # a store's distinct names, each folded once per process (18 µs)
def _folded(name: str) -> str:
    return fold(name)


def containing(names: Iterable[str], text: str) -> list[str]:
    """Those of `names` that contain `text`, both folded."""
    wanted = fold(text)
    return [name for name in names if wanted in _folded(name)]
