"""One Store shared by threads, as the app shares it between sessions: writers queue, and
readers see an upload either wholly or not at all."""

from __future__ import annotations

import threading

from perfcore import queries
from perfcore.store import Store, prepare_upload
from tests.fixtures.integrity import problems
from tests.fixtures.uploads import seed_like, synthetic_keys

COUNTS = (
    "SELECT (SELECT count(*) FROM evaluations), (SELECT count(*) FROM indicator_lines),"
    " (SELECT count(*) FROM expenditures), (SELECT count(*) FROM scores)"
)


def test_readers_never_see_half_an_upload_and_writers_queue(seeded_store: Store) -> None:
    uploads = [
        prepare_upload(seed_like(synthetic_keys(60, tag=tag))) for tag in ("甲线程", "乙线程")
    ]
    seen: set[tuple[int, ...]] = set()
    errors: list[BaseException] = []
    done = threading.Event()

    def read() -> None:
        try:
            while not done.is_set():
                cur = seeded_store.cursor()
                seen.add(tuple(cur.execute(COUNTS).fetchall()[0]))
                cur.close()
                queries.evaluations(seeded_store, queries.Filters())
        except BaseException as exc:
            errors.append(exc)

    def write(prepared) -> None:
        try:
            outcome = seeded_store.ingest_prepared(prepared, uploaded_by="thread")
            assert outcome.status == "stored"
        except BaseException as exc:
            errors.append(exc)

    readers = [threading.Thread(target=read) for _ in range(3)]
    writers = [threading.Thread(target=write, args=(u,)) for u in uploads]
    for thread in readers + writers:
        thread.start()
    for thread in writers:
        thread.join(timeout=300)
    done.set()
    for thread in readers:
        thread.join(timeout=60)
    assert errors == []
    # every snapshot a reader saw is a whole number of uploads: seed, +one, +both
    per_evaluation = (1, 9, 18, 3)
    allowed = {tuple(n * k for k in per_evaluation) for n in (1, 61, 121)}
    assert seen <= allowed
    assert problems(seeded_store.cursor()) == {}
    assert seeded_store.data_version() == 3
