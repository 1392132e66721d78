"""A projection worker following the log: PostgreSQL wakes it by LISTEN/NOTIFY, SQLite polls."""

from __future__ import annotations

import threading
import time

import pytest

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


def _wait_until(check, seconds: float = 20) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.02)
    return check()


def test_a_server_follower_gives_read_your_writes_without_catching_up_in_the_reader(
        backend, clock) -> None:  # type: ignore[no-untyped-def]
    """With the follower running, a read-model query in the process that just wrote sees the
    write at once (it waits for the follower), and runs no catch-up statement itself."""
    from sqlalchemy import event

    from socmed_adapters.projections.follower import Follower

    services = backend.services(clock=clock)
    seed_team(services.app)
    follower = Follower(services.projector, poll_seconds=5.0)  # a slow poll: no luck
    follower.start()
    try:
        assert follower.running and services.projector.follower is follower
        for n in range(3):
            services.app.create_content("budi.dm", f"Ide {n}", Draft(
                text=f"Teks {n}", platforms=(Platform.LINKEDIN,)))
            assert len(services.read_models.content_list()) == n + 1  # read-your-writes
        statements: list[str] = []

        def seen(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
            if threading.current_thread() is threading.main_thread():
                statements.append(statement)

        event.listen(services.engine, "before_cursor_execute", seen)
        try:
            services.read_models.content_list()
        finally:
            event.remove(services.engine, "before_cursor_execute", seen)
        assert len(statements) == 1 and "content_board" in statements[0], statements
    finally:
        follower.stop()
    assert not follower.running and services.projector.follower is None


def test_a_server_follower_sees_another_process_and_reports_access_events(
        backend, clock) -> None:  # type: ignore[no-untyped-def]
    """Another process's commands reach this process's read models without a reader asking
    (PostgreSQL: its notification; SQLite: the poll), and its Team events bump the access
    generation that cached principals and the cached team depend on."""
    from socmed_adapters.projections.follower import Follower

    writer = backend.services(clock=clock)
    seed_team(writer.app)
    server = backend.services(clock=clock)
    follower = Follower(server.projector, poll_seconds=0.05)
    follower.start()
    try:
        assert server.app.access_followed
        team = server.app.team_read()
        assert server.app.team_read() is team  # no team event since: no query either
        generation = server.app.access_generation
        writer.app.create_content("budi.dm", "Dari proses lain", Draft(
            text="Teks", platforms=(Platform.LINKEDIN,)))
        head = writer.app.event_count()
        assert _wait_until(lambda: follower.position >= head)
        assert len(server.projector.rows("content_board")) == 1
        assert server.app.access_generation == generation  # no access event: no bump
        writer.app.team.deactivate_member("rina.mm", "dewi.dm", "keluar")
        assert _wait_until(lambda: server.app.access_generation > generation)
        assert not server.app.team_read().members["dewi.dm"].active
    finally:
        follower.stop()
    assert not server.app.access_followed


def test_on_postgresql_another_process_commit_wakes_the_follower_without_a_poll(
        backend, clock) -> None:  # type: ignore[no-untyped-def]
    """The recorder's LISTEN wakes the follower on every commit (and only wakes it: the
    catch-up reads what is new), so with notifications it needs no frequent poll."""
    from socmed_adapters.projections.follower import LISTENING_POLL_SECONDS, Follower

    writer = backend.services(clock=clock)
    if not hasattr(writer.app.recorder, "wait_for_commits"):
        pytest.skip("SQLite cannot push: the follower polls")
    seed_team(writer.app)
    server = backend.services(clock=clock)
    follower = Follower(server.projector, poll_seconds=30.0, batch_seconds=0.0)
    follower.start()
    try:
        assert follower._idle_seconds == max(30.0, LISTENING_POLL_SECONDS)
        writer.app.create_content("budi.dm", "Dari proses lain", Draft(
            text="Teks", platforms=(Platform.LINKEDIN,)))
        head = writer.app.event_count()
        assert _wait_until(lambda: follower.position >= head, seconds=10)
    finally:
        follower.stop()
