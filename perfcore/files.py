"""Uploaded files as the store keeps them: compressed on the way in, as uploaded on the way out.

Every upload's bytes are kept so any version can be traced back to its files. CSV compresses
about tenfold; a workbook (.xlsx, .zip) is compressed already and is kept as it is.
"""

from __future__ import annotations

import hashlib
import zlib

IDENTITY = "identity"  # the bytes as uploaded (every file stored before schema version 5)
ZLIB = "zlib"
_LEVEL = 6  # 0.5 s for 30 MB of CSV, 15× smaller; level 1 is 0.2 s but only 10× smaller
_WORTH_IT = 0.9  # keep the compressed bytes only when they are at most this share of the file


class StoredFileDamaged(ValueError):
    """A stored file does not decode to the bytes that were uploaded (its SHA-256 differs)."""


def encode(data: bytes) -> tuple[bytes, str]:
    """The bytes to store for an uploaded file, and their encoding."""
    packed = zlib.compress(data, _LEVEL)
    if len(packed) <= _WORTH_IT * len(data):
        return packed, ZLIB
    return data, IDENTITY


def decode(stored: bytes, encoding: str, sha256: str) -> bytes:
    """The file as it was uploaded, checked against the SHA-256 recorded when it was stored."""
    if encoding == ZLIB:
        data = zlib.decompress(stored)
    elif encoding == IDENTITY:
        data = stored
    else:
        raise StoredFileDamaged(f"unknown encoding {encoding!r} of a stored file")
    if hashlib.sha256(data).hexdigest() != sha256:
        raise StoredFileDamaged("a stored file does not match the SHA-256 recorded for it")
    return data
