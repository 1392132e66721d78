"""The console's calendar, inbox and audit pages over HTTP (no browser): the SQL each list
page sends does not grow with the rows it shows (no N+1: one read-model query per list),
on SQLite and PostgreSQL; the feed refuses an unknown secret; the freeze banner shows on
every page while a freeze holds."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from tests.web.conftest import Api
from tests.web.test_console_pages import Queries, console_client


def _conversations(api: Api, start: int, count: int) -> None:
    from socmed_domain.monitoring.interaction import InboundInteraction, InteractionKind
    from socmed_domain.platforms import Platform
    from socmed_domain.timezones import WIB

    api.services.app.inbox.ingest_interactions("adi.admin", [InboundInteraction(
        Platform.X, InteractionKind.MENTION, f"x-{n}", f"warga{n}", "kapan promonya?",
        datetime(2026, 12, 1, 7, 0, tzinfo=WIB) + timedelta(minutes=n))
        for n in range(start, start + count)])


def _posts(api: Api, start: int, count: int) -> None:
    from socmed_domain.platforms import Platform
    from socmed_domain.production.revision import Draft
    from socmed_domain.timezones import WIB
    from tests.conftest import seed_approved

    app = api.services.app
    for n in range(start, start + count):
        item = seed_approved(app, f"Pos {n}", Draft(f"Pos ke-{n} #kopi", (Platform.X,)))
        app.schedule_content("adi.admin", item,
                             datetime(2026, 12, 10, 9, 0, tzinfo=WIB) + timedelta(hours=3 * n))


@pytest.mark.parametrize(("member_id", "path", "grow"), [
    ("adi.admin", "/inbox", _conversations),
    ("adi.admin", "/inbox?sla=within&platform=x", _conversations),
    ("adi.admin", "/calendar?month=2026-12", _posts),
    ("sari.legal", "/audit?search=1", _conversations),
])
def test_list_pages_send_the_same_sql_for_few_and_many_rows(
        api: Api, member_id: str, path: str, grow: Any) -> None:
    queries = Queries(api.services.engine)
    client = console_client(api, member_id)

    def load() -> None:
        answer = client.get(path)
        assert answer.status_code == 200, answer.text

    grow(api, 0, 2)
    load()  # the projections catch up outside the measurement
    few = queries.during(load)
    grow(api, 2, 10)
    load()
    many = queries.during(load)
    assert len(many) == len(few), (few, many)


def test_inbox_bulk_assign_is_one_command_and_the_page_says_how_many(api: Api) -> None:
    _conversations(api, 0, 4)
    client = console_client(api, "adi.admin")
    ids = [r["conversation_id"] for r in api.services.read_models.inbox_page(
        "adi.admin", api.services)]
    csrf = client.cookies.get("socmed_csrf") or ""
    answer = client.post("/inbox/bulk", data={"ids": ids, "action": "assign",
                                              "assignee": "adi.admin", "csrf_token": csrf},
                         follow_redirects=False)
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"].endswith("done=assign:4")


def test_the_feed_refuses_an_unknown_secret_and_pages_show_the_freeze(api: Api) -> None:
    from socmed_domain.crisis.incident import IncidentCategory

    client = console_client(api, "adi.admin")
    assert client.get("/calendar/feed/socmed_nope_x.ics").status_code == 401
    page = client.get("/inbox")
    assert 'id="freeze-banner"' not in page.text
    app = api.services.app
    incident = app.incidents.open_incident("rina.mm", "Hoaks promo",
                                           IncidentCategory.MISINFORMATION)
    app.incidents.freeze_publishing("rina.mm", incident, "tahan dulu")
    for path in ("/", "/inbox", "/calendar", "/incidents", "/items"):
        assert 'id="freeze-banner"' in client.get(path).text, path


def test_the_reports_page_shows_the_monthly_report_and_follows_new_events(api: Api) -> None:
    """The page is the report of `report monthly --format html` (charts and tables), in the
    member's language; after a new event the kept page is shown at once, marked as being
    updated, while the new one is computed in the background: the next load shows it."""
    from socmed_adapters.reports.console_pages import report_pages
    from socmed_adapters.reports.monthly import monthly_report
    from socmed_adapters.reports.monthly_html import body
    from socmed_domain.months import Month
    from socmed_domain.timezones import DEFAULT_ZONE
    from tests.conftest import seed_campaign

    client = console_client(api, "rina.mm")
    first = client.get("/reports?month=2026-12")
    assert first.status_code == 200, first.text
    assert "Promo Februari" not in first.text and "report-updating" not in first.text
    seed_campaign(api.services.app, name="Promo Februari")
    kept = client.get("/reports?month=2026-12")
    assert "Promo Februari" not in kept.text and 'id="report-updating"' in kept.text
    report_pages(api.services).wait_idle()
    second = client.get("/reports?month=2026-12")
    assert "Promo Februari" in second.text and "report-updating" not in second.text
    report = monthly_report(api.services, Month(2026, 12), DEFAULT_ZONE)
    assert body(report, "en", DEFAULT_ZONE, level=2) in second.text
    client.cookies.set("socmed_lang", "id")
    indonesian = client.get("/reports?month=2026-12")
    assert body(report, "id", DEFAULT_ZONE, level=2) in indonesian.text


def test_the_reports_page_shows_the_dashboard_cards_of_socmed_dashboard(api: Api) -> None:
    """The dashboard in the page: the six cards `socmed dashboard` prints (one function,
    `monthly_dashboard.cards`, for both), from the same report model, in the member's
    language, above the report."""
    import html

    from socmed_adapters.reports.monthly import monthly_report
    from socmed_adapters.reports.monthly_dashboard import cards
    from socmed_domain.months import Month
    from socmed_domain.timezones import DEFAULT_ZONE

    client = console_client(api, "rina.mm")
    report = monthly_report(api.services, Month(2026, 12), DEFAULT_ZONE)
    for lang, title in (("en", "The month at a glance"), ("id", "Bulan ini sekilas")):
        client.cookies.set("socmed_lang", lang)
        text = client.get("/reports?month=2026-12").text
        assert f'id="dashboard-title">{title}<' in text
        shown = text[text.index('id="dashboard"'):text.index("</section>", text.index(
            'id="dashboard"'))]
        for name, value in cards(report, lang):
            assert f"<dt>{html.escape(name)}</dt><dd>{html.escape(value)}</dd>" in shown
        assert text.index('id="dashboard"') < text.index('id="insights"')


def test_the_monthly_report_sends_the_same_sql_for_few_and_many_posts(api: Api) -> None:
    """The reports page's report (computed by the kept pages, `console_pages`) reads each of
    its lists with one query, whatever the month holds."""
    from socmed_adapters.reports.console_pages import report_pages
    from socmed_domain.months import Month
    from socmed_domain.timezones import DEFAULT_ZONE

    queries = Queries(api.services.engine)
    pages = report_pages(api.services)

    def compute() -> None:
        pages._compute(("2026-12", str(DEFAULT_ZONE), "en"), Month(2026, 12), DEFAULT_ZONE,
                       "en")

    _posts(api, 0, 2)
    compute()  # the projections catch up outside the measurement
    few = queries.during(compute)
    _posts(api, 2, 10)
    compute()
    many = queries.during(compute)
    assert len(many) == len(few), (few, many)
