"""The application's shape: a kernel composing one service per SOP stage, built complete by
bootstrap(), with the names it had before the services kept for one release as deprecated
aliases (docs/architecture.md, "The public Python API")."""

from __future__ import annotations

import warnings
from datetime import UTC, datetime
from pathlib import Path

import pytest

from socmed_adapters.bootstrap import bootstrap
from socmed_adapters.clock import ManualClock
from socmed_adapters.monitoring.inbox_queries import SqlInboxIndex
from socmed_adapters.monitoring.sandbox_replies import SandboxReplySender
from socmed_adapters.queries import SqlContentIndex
from socmed_domain.application import DEPRECATED_ALIASES, SocmedApplication
from socmed_domain.kernel import Kernel
from socmed_domain.roles import Role

SERVICES = ("team", "planning", "content", "publication", "inbox", "evaluation", "incidents",
            "audit")


def _app() -> SocmedApplication:
    return SocmedApplication(clock=lambda: datetime(2026, 12, 1, 9, tzinfo=UTC))


def test_the_stored_log_keeps_its_name() -> None:
    """The name prefixes the event tables and the environment: a store made before the
    services must be the same store after them."""
    assert SocmedApplication.name == Kernel.name == "socmed"


def test_every_deprecated_name_reaches_its_service_and_warns() -> None:
    app = _app()
    for old, target in DEPRECATED_ALIASES.items():
        service, attribute = target.split(".")
        assert service in SERVICES, old
        expected = getattr(getattr(app, service), attribute)
        with pytest.warns(DeprecationWarning, match=f"app.{target}"):
            found = getattr(app, old)
        assert found == expected, old


def test_an_old_name_still_runs_the_command() -> None:
    app = _app()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        app.initialise("PT Contoh", "rina.mm", "Rina")
        app.add_member("rina.mm", "budi.dm", "Budi", Role.DIGITAL_MARKETING)
        item_id = app.create_content("budi.dm", "Ide")
    assert app.content.get(item_id).summary.title == "Ide"
    assert [m.member_id for m in app.team.list_members()] == ["budi.dm", "rina.mm"]


def test_a_name_that_never_existed_is_an_attribute_error() -> None:
    app = _app()
    with pytest.raises(AttributeError, match="no_such_command"):
        app.no_such_command  # noqa: B018
    assert not hasattr(app, "_scan_conversation_ids")  # private names have no alias


def test_services_share_one_kernel() -> None:
    app = _app()
    for name in SERVICES:
        assert getattr(app, name).kernel is app, name
    assert app.publication.content is app.content
    assert app.incidents.content is app.content
    assert app.evaluation.inbox is app.inbox


def test_bootstrap_builds_the_application_complete(tmp_path: Path) -> None:
    """Every port is given to the constructor: the indexes over the read models, the vault,
    the reply channel and the calendar source (nothing is set on the application later)."""
    services = bootstrap(tmp_path / "store", clock=ManualClock(datetime(2026, 12, 1, tzinfo=UTC)))
    try:
        app = services.app
        assert isinstance(app.content.index, SqlContentIndex)
        assert app.publication.index is app.content.index
        # the application publishes through the audit seal check wrapped around ours
        assert app.publication.publisher.inner is services.publisher
        assert isinstance(app.inbox.inbox_index, SqlInboxIndex)
        assert isinstance(app.inbox.reply_sender, SandboxReplySender)
        assert app.inbox.vault is not None
        assert app.inbox.calendar_source is not None
        app.team.initialise("PT Contoh", "rina.mm", "Rina")
        app.team.add_member("rina.mm", "budi.dm", "Budi", Role.DIGITAL_MARKETING)
        item_id = app.content.create("budi.dm", "Ide")
        assert app.content.resolve(str(item_id)[:8]) == item_id  # through the content board
    finally:
        services.close()


def test_bootstrap_in_memory_has_no_read_model_indexes() -> None:
    services = bootstrap(storage="memory", clock=ManualClock(datetime(2026, 12, 1, tzinfo=UTC)))
    try:
        assert services.app.content.index is None
        assert services.app.inbox.inbox_index is None
        assert services.app.inbox.vault is not None
    finally:
        services.close()
