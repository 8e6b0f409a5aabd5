"""Hosted error handling (dashboard.errors): a kind message on screen, the traceback in the log."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

SCRIPT = """
import streamlit as st
from dashboard import errors

def broken():
    raise RuntimeError("internal detail /srv/secret/path")

errors.run_page(st.navigation([st.Page(broken, title="坏页面")]))
"""


@pytest.fixture
def script(tmp_path: Path) -> Path:
    path = tmp_path / "broken_app.py"
    path.write_text(SCRIPT, encoding="utf-8")
    return path


@pytest.fixture
def show_errors() -> Iterator[None]:
    before = config.get_option("client.showErrorDetails")
    yield
    config.set_option("client.showErrorDetails", before)


def test_hosted_mode_shows_a_friendly_message_and_logs_details(
    script: Path, show_errors: None, caplog: pytest.LogCaptureFixture
) -> None:
    config.set_option("client.showErrorDetails", "none")
    with caplog.at_level(logging.ERROR, logger="dashboard.errors"):
        at = AppTest.from_file(str(script)).run()
    assert not at.exception
    assert "页面出错了" in at.error[0].value
    assert "/srv/secret/path" not in at.error[0].value
    assert "/srv/secret/path" in caplog.text


def test_locally_the_exception_is_shown_as_usual(script: Path, show_errors: None) -> None:
    config.set_option("client.showErrorDetails", "full")
    at = AppTest.from_file(str(script)).run()
    assert "internal detail" in at.exception[0].message
