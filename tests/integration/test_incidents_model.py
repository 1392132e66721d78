"""The incidents read model answers what the application's incident reports answer."""

from __future__ import annotations

import attrs
import pytest

from socmed_domain.crisis.incident import EscalationTarget, IncidentCategory
from socmed_domain.errors import NotFoundError
from tests.conftest import seed_team


def _same(a, b) -> bool:  # type: ignore[no-untyped-def]
    return attrs.evolve(a, generated_at=b.generated_at) == b


def test_the_incidents_model_gives_the_applications_reports_as_of_now(backend, clock) -> None:  # type: ignore[no-untyped-def]
    services = backend.services(clock=clock)
    app = services.app
    seed_team(app)
    first = app.incidents.open_incident("adi.admin", "Keluhan transfer",
                                        IncidentCategory.COMPLAINT_WAVE, "banyak keluhan")
    breach = app.incidents.open_incident("rina.mm", "Kebocoran data",
                                         IncidentCategory.PERSONAL_DATA_BREACH, "data bocor")
    app.incidents.classify_incident("rina.mm", breach, 3, "data pribadi")
    app.incidents.escalate_incident("rina.mm", breach, EscalationTarget.MANAGEMENT, "segera")
    app.incidents.classify_incident("rina.mm", first, 1, "keluhan biasa")
    app.incidents.resolve_incident("rina.mm", first, "selesai")
    models = services.read_models
    for open_only in (False, True):
        ours = models.incidents_for("rina.mm", open_only=open_only)
        theirs = app.incidents.list_incidents(open_only)
        assert [r.incident_id for r in ours] == [r.incident_id for r in theirs]
        assert all(_same(a, b) for a, b in zip(ours, theirs, strict=True))
    ref = str(breach)[:8]
    assert _same(models.incident_for("sari.legal", ref), app.incidents.incident_report(ref))
    assert models.freezes() == app.incidents.freezes() != ()
    # the UU PDP countdown moves on with the clock, not with the events
    before = models.incident_for("rina.mm", ref).pdp.outcome
    clock.advance(days=4)
    ours, theirs = models.incident_for("rina.mm", ref), app.incidents.incident_report(ref)
    assert ours.pdp.outcome == theirs.pdp.outcome and _same(ours, theirs)
    assert (before.value, ours.pdp.outcome.value) == ("pending", "overdue")
    with pytest.raises(NotFoundError):
        models.incident_for("rina.mm", "ffffffff")
    with pytest.raises(NotFoundError):
        models.incident_for("rina.mm", "ab")
