"""The API's JSON-ready rows (socmed_adapters.page_rows) equal what rendering the read
models' value objects gives, filter by filter, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from socmed_adapters.page_rows import page_rows
from socmed_domain.platforms import Platform
from socmed_domain.production.revision import Draft
from socmed_web.web import plain
from tests.conftest import seed_approved, seed_campaign, seed_team


def _same(old: list[Any], new: list[dict[str, Any]]) -> None:
    assert json.dumps([plain(v) for v in old]) == json.dumps(new)


def test_content_and_audit_rows_equal_the_rendered_value_objects(backend, clock
                                                                  ) -> None:  # type: ignore[no-untyped-def]
    services = backend.services(clock=clock)
    app = services.app
    seed_team(app)
    campaign = seed_campaign(app)
    for n in range(7):
        clock.advance(minutes=7, microseconds=1234 * n)
        draft = Draft(text=f"Teks {n}", platforms=(Platform.LINKEDIN, Platform.X)[: 1 + n % 2])
        if n % 3 == 0:
            seed_approved(app, f"Siap {n}", draft)
        else:
            item = app.create_content("maya.agency" if n % 2 else "budi.dm", f"Ide {n}",
                                      draft, campaign if n % 2 else None)
            if n % 2 == 0:
                app.submit_for_review("budi.dm", item)
    models = services.read_models
    rows = page_rows(services.projector)
    everything = models.content_list()
    assert len(everything) == 7
    middle = everything[3]
    for status in (None, "draft", "in_review", "approved"):
        for platform in (None, "x"):
            for after in (None, (middle.created_at, middle.item_id)):
                for campaigns in (None, frozenset(), frozenset({str(campaign)})):
                    for limit in (None, 2):
                        _same(models.content_list(status, platform, limit=limit, after=after,
                                                  campaign_ids=campaigns),
                              rows.content(status, platform, limit=limit, after=after,
                                           campaign_ids=campaigns))
    entries = models.audit_log("rina.mm")
    some = entries[len(entries) // 2]
    filters: list[dict[str, Any]] = [
        {}, {"item_id": middle.item_id}, {"member": "budi.dm"},
        {"event_type": some.event_type}, {"after": some.position, "limit": 5},
        {"since": some.at, "until": some.at + timedelta(minutes=10)}, {"as_of": some.at},
        {"via": some.via.split(":", 1)[0]}, {"item_id": middle.item_id, "limit": 1}]
    for given in filters:
        _same(models.audit_log("rina.mm", **given), rows.audit(**given))
