"""Uploaded files as the store keeps them: compressed when that pays, always read back exact."""

import hashlib
import os

import pytest

from perfcore.files import IDENTITY, ZLIB, StoredFileDamaged, decode, encode
from perfcore.store import seed_files


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_csv_is_stored_compressed_and_read_back_byte_for_byte() -> None:
    for upload in seed_files():
        stored, encoding = encode(upload.data)
        assert encoding == ZLIB and len(stored) < len(upload.data)
        assert decode(stored, encoding, _sha(upload.data)) == upload.data


def test_bytes_that_do_not_compress_are_kept_as_they_are() -> None:
    noise = os.urandom(50_000)  # like an .xlsx or a .zip: compressed already
    assert encode(noise) == (noise, IDENTITY)
    assert decode(noise, IDENTITY, _sha(noise)) == noise


def test_a_damaged_or_unknown_stored_file_is_refused_not_returned() -> None:
    data = "年度,部门,项目名称\n2022,甲,乙\n".encode() * 50
    stored, encoding = encode(data)
    with pytest.raises(StoredFileDamaged, match="SHA-256"):
        decode(stored, encoding, _sha(data + b"x"))
    with pytest.raises(StoredFileDamaged, match="encoding"):
        decode(stored, "brotli", _sha(data))
