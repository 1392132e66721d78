"""A projection worker following the log: PostgreSQL wakes it by LISTEN/NOTIFY, SQLite polls."""

from __future__ import annotations

import threading
import time

from socmed_domain.platforms import Platform
from socmed_domain.production.revision import Draft
from tests.conftest import seed_team


def test_a_follower_keeps_up_with_new_commands(backend, clock) -> None:  # type: ignore[no-untyped-def]
    writer = backend.services(clock=clock)
    seed_team(writer.app)
    worker = backend.services(clock=clock)
    projector = worker.projector
    thread = threading.Thread(target=projector.follow, kwargs={"poll_seconds": 0.05},
                              daemon=True)
    thread.start()
    try:
        for n in range(5):
            writer.app.create_content("budi.dm", f"Ide {n}", Draft(
                text=f"Teks {n}", platforms=(Platform.LINKEDIN,)))
        head = writer.app.event_count()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if all(s.position == head for s in projector.status()):
                break
            time.sleep(0.05)
        assert all(s.position == head for s in projector.status())
        assert len(projector.rows("content_board")) == 5
    finally:
        projector.stop_following()
        writer.app.create_content("budi.dm", "wake", Draft(text="x",
                                                            platforms=(Platform.X,)))
        thread.join(timeout=10)
    assert not thread.is_alive()
