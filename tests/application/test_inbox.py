"""Stage 4 through the Application (in memory): idempotent ingestion from files, triage,
replies (held for approval during a level-3 incident), SLA breaches, spike alerts, erasure."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import seed_team

from socmed_adapters.bootstrap import bootstrap
from socmed_adapters.clock import ManualClock
from socmed_adapters.monitoring.files import FileSource
from socmed_domain.crisis.incident import IncidentCategory
from socmed_domain.errors import (
    InvalidInputError,
    InvalidStateError,
    NotFoundError,
    PermissionDeniedError,
)
from socmed_domain.monitoring.conversation import ConversationStatus, SlaClock
from socmed_domain.monitoring.interaction import (
    InboundInteraction,
    InteractionKind,
    Tag,
    conversation_id,
)
from socmed_domain.monitoring.sentiment import Polarity
from socmed_domain.monitoring.sla import Priority
from socmed_domain.monitoring.vault import ERASED, reveal
from socmed_domain.platforms import Platform
from socmed_domain.roles import Role
from socmed_domain.timezones import WIB

DATA = Path(__file__).parents[1] / "data" / "interactions"
BAGUS = conversation_id(Platform.INSTAGRAM, "ig-c-1001")


@pytest.fixture
def world() -> Any:
    clock = ManualClock(datetime(2026, 12, 10, 9, 0, tzinfo=WIB))
    services = bootstrap(storage="memory", clock=clock)
    seed_team(services.app)
    yield services.app, clock
    services.close()


def ingest(app: Any, name: str = "sample.jsonl") -> Any:
    return app.ingest_interactions("adi.admin", FileSource(DATA / name).interactions())


def test_ingestion_is_idempotent_across_files_and_reruns(world: Any) -> None:
    app, _ = world
    first = ingest(app)
    assert (first.received, first.new, first.duplicates, first.conversations_opened) == \
        (5, 5, 0, 4)
    again = ingest(app)
    assert (again.new, again.duplicates) == (0, 5)
    csv = ingest(app, "sample.csv")  # the X mention again, and one new LinkedIn comment
    assert (csv.new, csv.duplicates, csv.conversations_opened) == (1, 1, 1)
    view = app.get_conversation(BAGUS)
    assert len(view.messages) == 2
    assert view.messages[0].assessment.sentiment is Polarity.NEGATIVE
    assert app.vault.open(view.author_name) == "Bagus Prasetyo"
    assert app.vault.open(view.author_handle) == "bagus_pras88"


def test_sensitive_topics_raise_the_priority(world: Any) -> None:
    app, _ = world
    ingest(app)
    threat = app.get_conversation(conversation_id(Platform.TIKTOK, "tt-c-42"))
    assert threat.priority is Priority.HIGH
    # "Data saya bocor, saya akan lapor ke polisi dan OJK!": a leak, and a legal threat
    assert {t.value for t in threat.messages[0].assessment.topics} == {"data_leak",
                                                                        "legal_threat"}


def test_assign_tag_reply_close_reopen(world: Any) -> None:
    app, clock = world
    ingest(app)
    ref = str(BAGUS)[:8]
    with pytest.raises(InvalidInputError):
        app.assign_conversation("budi.dm", ref, "dewi.dm")  # may not reply
    app.assign_conversation("budi.dm", ref, "adi.admin", "keluhan transfer")
    app.tag_conversation("budi.dm", ref, [Tag.COMPLAINT, Tag.FEEDBACK_SERVICE])
    app.note_conversation("adi.admin", ref, "cek dengan tim TI")
    with pytest.raises(PermissionDeniedError):
        app.reply_to_conversation("budi.dm", ref, "Halo")
    clock.set(datetime(2026, 12, 10, 9, 30, tzinfo=WIB))
    with pytest.raises(InvalidInputError):
        app.reply_to_conversation("adi.admin", ref, template="complaint_ack")  # no channel
    assert app.reply_to_conversation("adi.admin", ref, template="complaint_ack",
                                     values={"channel": "DM @banknusa"}) == "sent"
    view = app.get_conversation(ref)
    assert view.status is ConversationStatus.REPLIED
    assert reveal(app.vault, view.replies[0].text).startswith("Halo Kak Bagus Prasetyo")
    assert dict(view.sla)[SlaClock.FIRST_RESPONSE].status.value == "met"
    app.close_conversation("adi.admin", ref, "selesai")
    with pytest.raises(InvalidStateError):
        app.close_conversation("adi.admin", ref)
    app.reopen_conversation("budi.dm", ref, "nasabah menulis lagi lewat DM")
    assert app.get_conversation(ref).status is ConversationStatus.ASSIGNED


def test_a_new_message_reopens_a_closed_conversation(world: Any) -> None:
    app, _ = world
    ingest(app)
    app.close_conversation("adi.admin", BAGUS, "spam?")
    app.ingest_interactions("adi.admin", [InboundInteraction(
        Platform.INSTAGRAM, InteractionKind.COMMENT, "ig-c-1003", "@bagus_pras88",
        "Min, masih gagal", datetime(2026, 12, 10, 11, tzinfo=WIB), thread_id="ig-c-1001")])
    assert app.get_conversation(BAGUS).status is ConversationStatus.RECEIVED


def test_replies_during_a_level_3_incident_wait_for_approval(world: Any) -> None:
    app, _ = world
    ingest(app)
    incident = app.open_incident("adi.admin", "Gangguan transfer",
                                 IncidentCategory.COMPLAINT_WAVE)
    app.classify_incident("rina.mm", incident, 3, "gangguan luas")
    assert app.reply_to_conversation("adi.admin", BAGUS, "Mohon maaf, sedang kami cek.") \
        == "held"
    view = app.get_conversation(BAGUS)
    assert view.pending is not None and not view.replies
    with pytest.raises(PermissionDeniedError):
        app.approve_reply("adi.admin", BAGUS)
    app.approve_reply("sari.legal", BAGUS)
    view = app.get_conversation(BAGUS)
    assert view.pending is None
    assert view.replies[0].approved_by == "sari.legal" and view.replies[0].by == "adi.admin"


@pytest.mark.parametrize("new_role", [Role.LEGAL, Role.MARKETING_MANAGER],
                         ids=lambda r: r.value)
def test_who_proposed_a_crisis_reply_cannot_approve_it_after_a_role_change(
        world: Any, new_role: Role) -> None:
    """The Admin who wrote the held reply becomes a member of an approving role: the second
    pair of eyes is still someone else (the check is on the member, not on the role)."""
    app, _ = world
    ingest(app)
    incident = app.open_incident("adi.admin", "Gangguan transfer",
                                 IncidentCategory.COMPLAINT_WAVE)
    app.classify_incident("rina.mm", incident, 3, "gangguan luas")
    assert app.reply_to_conversation("adi.admin", BAGUS, "Mohon maaf, sedang kami cek.") \
        == "held"
    app.change_role("rina.mm", "adi.admin", new_role, "pindah tugas")
    assert app.actor("adi.admin").role is new_role
    before = app.event_count()
    with pytest.raises(PermissionDeniedError) as raised:
        app.approve_reply("adi.admin", BAGUS)
    assert raised.value.code == "error.self_approval_reply"
    assert app.event_count() == before, "a refused approval wrote an event"
    assert app.get_conversation(BAGUS).pending is not None
    approver = "sari.legal" if new_role is Role.MARKETING_MANAGER else "rina.mm"
    app.approve_reply(approver, BAGUS)
    reply = app.get_conversation(BAGUS).replies[0]
    assert (reply.by, reply.approved_by) == ("adi.admin", approver)


def test_sla_breaches_are_flagged_once(world: Any) -> None:
    app, clock = world
    ingest(app)
    clock.set(datetime(2026, 12, 10, 12, 0, tzinfo=WIB))
    flagged = app.flag_sla_breaches("adi.admin")
    # Budi's first comment (09:05, normal: 2 h) is late; the X mention (09:30) has 1 h.
    assert {(ref, clock_) for ref, clock_ in flagged} == {
        (str(BAGUS)[:8], SlaClock.FIRST_RESPONSE),
        (str(conversation_id(Platform.X, "x-1870001"))[:8], SlaClock.FIRST_RESPONSE)}
    assert app.flag_sla_breaches("adi.admin") == ()


def test_holidays_stop_the_sla_clock(world: Any) -> None:
    app, clock = world
    app.ingest_interactions("adi.admin", [InboundInteraction(
        Platform.FACEBOOK, InteractionKind.DIRECT_MESSAGE, "fb-xmas", "ani", "Halo min",
        datetime(2026, 12, 24, 16, 30, tzinfo=WIB))])
    clock.set(datetime(2026, 12, 25, 16, 0, tzinfo=WIB))  # Christmas: not a working day
    assert app.flag_sla_breaches("adi.admin") == ()
    view = app.get_conversation(conversation_id(Platform.FACEBOOK, "fb-xmas"))
    due = dict(view.sla)[SlaClock.FIRST_RESPONSE].due_at
    assert due.date() > datetime(2026, 12, 25).date()


def test_spike_alerts_are_recorded_once(world: Any) -> None:
    app, _ = world
    start = datetime(2026, 12, 10, 8, 0, tzinfo=WIB)
    burst = [InboundInteraction(
        Platform.X, InteractionKind.MENTION, f"x-burst-{n}", f"user{n}",
        "Transfer gagal terus, kecewa banget", start + timedelta(minutes=2 * n))
        for n in range(25)]
    report = app.ingest_interactions("adi.admin", burst)
    raised = app.raise_spike_alerts("adi.admin", report.first_at, report.last_at)
    assert len(raised) == 1
    alert = app.spike_alert(raised[0])
    assert alert.count >= 10
    assert app.raise_spike_alerts("adi.admin", report.first_at, report.last_at) == ()
    incident = app.open_incident("adi.admin", "Lonjakan keluhan",
                                 IncidentCategory.COMPLAINT_WAVE, alert_id=raised[0])
    assert app.incident_report(incident).source == f"alert {raised[0]}"


def test_erasure_makes_the_subject_unreadable(world: Any) -> None:
    app, _ = world
    ingest(app)
    with pytest.raises(PermissionDeniedError):
        app.erase_personal_data("adi.admin", "instagram:bagus_pras88", "permintaan")
    key = app.erase_personal_data("sari.legal", "Instagram:@Bagus_Pras88",
                                  "permintaan penghapusan #PDP-7")
    view = app.get_conversation(BAGUS)
    assert view.messages[0].text.key_id == key
    assert reveal(app.vault, view.author_name) == ERASED
    assert all(app.vault.open(m.text) is None for m in view.messages)
    with pytest.raises(InvalidStateError):
        app.reply_to_conversation("adi.admin", BAGUS, "Halo")
    with pytest.raises(NotFoundError):
        app.erase_personal_data("sari.legal", "instagram:bagus_pras88", "lagi")
    # Other subjects are untouched.
    other = app.get_conversation(conversation_id(Platform.X, "x-1870001"))
    assert app.vault.open(other.author_name) == "Siti Rahmawati"
    entries = [e for e in app.audit_log("sari.legal") if e.event_type == "PersonalDataErased"]
    assert entries and "bagus" not in str(entries[0].params).lower()


def test_a_malformed_line_names_the_file_and_line(tmp_path: Path, world: Any) -> None:
    app, _ = world
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"platform": "x", "kind": "mention", "message_id": "1", '
                   '"author_handle": "a", "text": "hi", "received_at": "2026-12-10 09:00"}\n')
    with pytest.raises(InvalidInputError) as error:
        app.ingest_interactions("adi.admin", FileSource(bad).interactions())
    assert "bad.jsonl line 1" in error.value.message("en")
    assert "timezone" in error.value.message("en")


class _Source:
    """A platform source that reads its interactions, then perhaps fails."""

    def __init__(self, found: list[InboundInteraction], fail: bool = False) -> None:
        self.found, self.fail, self.reads = found, fail, 0

    def interactions(self) -> Any:
        self.reads += 1
        yield from self.found
        if self.fail:
            from socmed_domain.monitoring.interaction import InteractionsUnavailable

            raise InteractionsUnavailable(Platform.X, "the token has expired: renew it")


def _inbound(n: int) -> InboundInteraction:
    return InboundInteraction(Platform.X, InteractionKind.MENTION, f"x-{n}", f"warga{n}",
                              "kapan promonya mulai?", datetime(2026, 12, 10, 8, n,
                                                                tzinfo=WIB))


def test_fetch_reads_everything_before_storing_anything(world: Any) -> None:
    from socmed_domain.monitoring.interaction import InteractionsUnavailable

    app, _ = world
    failing = _Source([_inbound(1), _inbound(2)], fail=True)
    with pytest.raises(InteractionsUnavailable, match="token has expired"):
        app.fetch_interactions("adi.admin", failing)
    assert list(app.inbox._scan_conversation_ids()) == []
    report = app.fetch_interactions("adi.admin", _Source([_inbound(1), _inbound(2)]))
    assert (report.new, report.duplicates) == (2, 0)
    again = app.fetch_interactions("adi.admin", _Source([_inbound(1), _inbound(2)]))
    assert (again.new, again.duplicates) == (0, 2)


def test_fetch_checks_the_right_before_asking_any_platform(world: Any) -> None:
    app, _ = world
    source = _Source([_inbound(1)])
    with pytest.raises(PermissionDeniedError):
        app.fetch_interactions("sari.legal", source)
    assert source.reads == 0


def test_a_message_id_with_stray_spaces_is_the_same_message(world: Any) -> None:
    app, _ = world
    one = _inbound(7)
    padded = InboundInteraction(one.platform, one.kind, f"  {one.message_id} ",
                                one.author_handle, one.text, one.received_at)
    report = app.ingest_interactions("adi.admin", [one, padded])
    assert (report.new, report.duplicates) == (1, 1)
    again = app.ingest_interactions("adi.admin", [padded])
    assert (again.new, again.duplicates) == (0, 1)
