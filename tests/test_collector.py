"""perfcore.collector: the collector's thresholds are raised while an upload is worked on and
come back afterwards, however the work ends and however many threads share it."""

from __future__ import annotations

import gc
import threading

import pytest

from perfcore.collector import (
    SERVING_THRESHOLDS,
    UPLOAD_THRESHOLDS,
    collect_rarely_while_serving,
    fewer_collections,
)
from perfcore.store import Store, prepare_upload, seed_files


@pytest.fixture
def default_thresholds():
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield (700, 10, 10)
    gc.set_threshold(*before)


def test_thresholds_are_raised_inside_and_restored_after(default_thresholds) -> None:
    with fewer_collections():
        assert gc.get_threshold() == UPLOAD_THRESHOLDS
        with fewer_collections():
            assert gc.get_threshold() == UPLOAD_THRESHOLDS
        assert gc.get_threshold() == UPLOAD_THRESHOLDS  # the outer block is still inside
    assert gc.get_threshold() == default_thresholds


def test_a_server_keeps_its_thresholds_and_an_upload_gives_them_back(default_thresholds) -> None:
    collect_rarely_while_serving()
    assert gc.get_threshold() == SERVING_THRESHOLDS
    with fewer_collections():
        assert gc.get_threshold() == UPLOAD_THRESHOLDS
    assert gc.get_threshold() == SERVING_THRESHOLDS


def test_a_server_starting_during_an_upload_gets_its_thresholds_after_it(
    default_thresholds,
) -> None:
    with fewer_collections():
        collect_rarely_while_serving()
        assert gc.get_threshold() == UPLOAD_THRESHOLDS  # the upload keeps its own meanwhile
    assert gc.get_threshold() == SERVING_THRESHOLDS


def test_thresholds_are_restored_when_the_work_fails(default_thresholds) -> None:
    with pytest.raises(ValueError), fewer_collections():
        raise ValueError("bad upload")
    assert gc.get_threshold() == default_thresholds


def test_threads_leaving_in_any_order_restore_once_the_last_has_left(default_thresholds) -> None:
    entered, release = threading.Barrier(3), threading.Event()
    seen: list[tuple[int, int, int]] = []

    def upload() -> None:
        with fewer_collections():
            entered.wait()
            release.wait()
        seen.append(gc.get_threshold())

    workers = [threading.Thread(target=upload) for _ in range(2)]
    for worker in workers:
        worker.start()
    entered.wait()
    assert gc.get_threshold() == UPLOAD_THRESHOLDS
    release.set()
    for worker in workers:
        worker.join()
    assert gc.get_threshold() == default_thresholds
    assert UPLOAD_THRESHOLDS not in seen[1:]  # the last to leave saw them restored


def test_reading_scoring_and_writing_an_upload_run_with_the_raised_thresholds(
    default_thresholds, empty_store: Store
) -> None:
    during: set[tuple[int, int, int]] = set()

    def progress(_fraction: float, _message: str) -> None:
        during.add(gc.get_threshold())

    prepared = prepare_upload(seed_files(), progress=progress)
    outcome = empty_store.ingest_prepared(prepared, uploaded_by="t", progress=progress)
    assert outcome.status == "stored"
    assert during == {UPLOAD_THRESHOLDS}
    assert gc.get_threshold() == default_thresholds
