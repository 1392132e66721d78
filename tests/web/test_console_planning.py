"""The console's planning pages and the lists added to "My work" (issue 16), through the
app: the Marketing Manager finds the campaign and strategy versions awaiting approval, reads
each on its page and approves it there (binding the version shown: a stale one is refused
with the domain's message); Legal finds the incident statements awaiting its sign-off; the
configuration in force is shown read-only from the team page. Other roles are refused by the
domain, in its words."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from tests.web.conftest import Api
from tests.web.test_console_pages import console_client


def _token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([0-9a-f]+)"', html)
    assert found, html
    return found.group(1)


def _hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="(\d+)"', html)
    assert found, html
    return found.group(1)


def _planned_campaign(app: Any, name: str = "Promo Imlek") -> str:
    from socmed_domain.planning.campaign import CampaignPlan, Period
    from socmed_domain.platforms import Platform
    from socmed_domain.timezones import WIB

    plan = CampaignPlan(name, Period(datetime(2027, 1, 20, tzinfo=WIB),
                                     datetime(2027, 2, 20, tzinfo=WIB)),
                        platforms=(Platform.INSTAGRAM,), key_messages=("Angpao kopi",))
    return str(app.planning.plan_campaign("budi.dm", plan))


def _submitted_strategy(app: Any, title: str = "Strategi 2027") -> None:
    from socmed_domain.planning.goals import Goal, GoalKind
    from socmed_domain.planning.strategy_plan import PlatformChoice, StrategyPlan
    from socmed_domain.platforms import Platform

    app.planning.draft_strategy("budi.dm", StrategyPlan(
        title, goals=(Goal(GoalKind.BRAND_AWARENESS),),
        platforms=(PlatformChoice(Platform.LINKEDIN, "layanan B2B", 3),)))
    app.planning.submit_strategy("budi.dm")


def test_the_manager_approves_a_campaign_from_my_work_binding_the_version_shown(
        api: Api) -> None:
    app = api.services.app
    campaign = _planned_campaign(app)
    client = console_client(api, "rina.mm")
    work = client.get("/")
    assert f'href="/campaigns/{campaign}"' in work.text
    shown = client.get(f"/campaigns/{campaign}")
    assert shown.status_code == 200, shown.text
    assert "Promo Imlek" in shown.text and "Angpao kopi" in shown.text
    token, version = _token(shown.text), _hidden(shown.text, "version")
    # the plan changes while the page is open: the approval of the old one is refused
    from socmed_domain.planning.campaign import CampaignPlan, Period
    from socmed_domain.platforms import Platform
    from socmed_domain.timezones import WIB

    app.planning.revise_campaign_plan("budi.dm", campaign, CampaignPlan(
        "Promo Imlek", Period(datetime(2027, 1, 20, tzinfo=WIB),
                              datetime(2027, 2, 28, tzinfo=WIB)),
        platforms=(Platform.INSTAGRAM,)), "diperpanjang")
    refused = client.post(f"/campaigns/{campaign}/approve",
                          data={"csrf_token": token, "version": version})
    assert refused.status_code == 412, refused.text
    assert 'id="error-approve"' in refused.text
    assert "changed since you read it" in refused.text  # the domain's message
    assert app.planning.get_campaign(campaign).summary.status == "planned"
    again = client.get(f"/campaigns/{campaign}")
    done = client.post(f"/campaigns/{campaign}/approve", data={
        "csrf_token": token, "version": _hidden(again.text, "version"), "comment": "ok"},
        follow_redirects=False)
    assert done.status_code == 303, done.text
    assert app.planning.get_campaign(campaign).summary.status == "approved"
    assert f'href="/campaigns/{campaign}"' not in client.get("/").text


def test_a_campaign_approval_by_another_role_is_refused_in_the_domains_words(
        api: Api) -> None:
    app = api.services.app
    campaign = _planned_campaign(app)
    client = console_client(api, "budi.dm")
    shown = client.get(f"/campaigns/{campaign}")
    assert shown.status_code == 200
    assert 'action="/campaigns/' not in shown.text  # no button for this role
    refused = client.post(f"/campaigns/{campaign}/approve", data={
        "csrf_token": _token(shown.text), "version": str(
            app.planning.get_campaign(campaign).version)})
    assert refused.status_code == 403, refused.text
    assert app.planning.get_campaign(campaign).summary.status == "planned"
    # an agency does not see a campaign it is not assigned to
    agency = console_client(api, "maya.agency")
    assert agency.get(f"/campaigns/{campaign}").status_code == 404


def test_the_manager_reads_the_submitted_strategy_and_approves_or_sends_it_back(
        api: Api) -> None:
    app = api.services.app
    _submitted_strategy(app)
    client = console_client(api, "rina.mm")
    work = client.get("/")
    assert 'href="/strategy?version=1"' in work.text
    shown = client.get("/strategy?version=1")
    assert shown.status_code == 200, shown.text
    assert "Strategi 2027" in shown.text and "layanan B2B" in shown.text
    token = _token(shown.text)
    # sending back needs a reason: the domain says so on the page
    empty = client.post("/strategy/send-back", data={
        "csrf_token": token, "version_number": "1",
        "version": _hidden(shown.text, "version"), "comment": ""})
    assert empty.status_code == 422 and 'id="error-send_back"' in empty.text
    # a version number other than the one under decision is refused
    other = client.post("/strategy/approve", data={
        "csrf_token": token, "version_number": "2",
        "version": _hidden(shown.text, "version")})
    assert other.status_code == 422 and 'id="error-approve"' in other.text
    done = client.post("/strategy/approve", data={
        "csrf_token": token, "version_number": "1",
        "version": _hidden(shown.text, "version")}, follow_redirects=False)
    assert done.status_code == 303, done.text
    assert app.planning.get_strategy().in_force == 1
    assert 'href="/strategy?version=1"' not in client.get("/").text


def test_a_strategy_decided_on_an_old_page_is_refused(api: Api) -> None:
    from socmed_domain.planning.goals import Goal, GoalKind
    from socmed_domain.planning.strategy_plan import PlatformChoice, StrategyPlan
    from socmed_domain.platforms import Platform

    app = api.services.app
    _submitted_strategy(app)
    client = console_client(api, "rina.mm")
    shown = client.get("/strategy")
    token, version = _token(shown.text), _hidden(shown.text, "version")
    # sent back, edited and submitted again while the page was open: same number, new text
    app.planning.send_back_strategy("rina.mm", 1, "kurang jelas")
    app.planning.edit_strategy("budi.dm", StrategyPlan(
        "Strategi 2027 (ubah)", goals=(Goal(GoalKind.BRAND_AWARENESS),),
        platforms=(PlatformChoice(Platform.LINKEDIN, "layanan", 2),)))
    app.planning.submit_strategy("budi.dm")
    refused = client.post("/strategy/approve", data={
        "csrf_token": token, "version_number": "1", "version": version})
    assert refused.status_code == 412, refused.text
    assert 'id="error-approve"' in refused.text
    assert "changed since you read it" in refused.text
    assert app.planning.get_strategy().in_force == 0


def test_the_strategy_page_follows_the_read_matrix(api: Api) -> None:
    _submitted_strategy(api.services.app)
    dm = console_client(api, "budi.dm").get("/strategy")
    assert dm.status_code == 200
    assert 'action="/strategy/approve"' not in dm.text
    # every role may read the strategy (the domain's read matrix); only the manager decides
    agency = console_client(api, "maya.agency").get("/strategy")
    assert agency.status_code == 200
    assert 'action="/strategy/approve"' not in agency.text
    refused = console_client(api, "maya.agency").post("/strategy/approve", data={
        "csrf_token": _token(agency.text), "version_number": "1",
        "version": str(api.services.app.planning.get_strategy().version)})
    assert refused.status_code == 403, refused.text
    assert api.services.app.planning.get_strategy().in_force == 0


def test_legal_finds_statements_awaiting_sign_off(api: Api) -> None:
    from socmed_domain.crisis.incident import IncidentCategory
    from socmed_domain.platforms import Platform
    from socmed_domain.production.revision import Draft

    app = api.services.app
    incident = app.incidents.open_incident("rina.mm", "Kebocoran data",
                                           IncidentCategory.PERSONAL_DATA_BREACH)
    item = str(app.content.create("budi.dm", "Pernyataan resmi", Draft(
        "Kami sedang menangani insiden data.", (Platform.X,)), api.campaign))
    other = str(app.content.create("budi.dm", "Bukan pernyataan", Draft(
        "Promo biasa.", (Platform.X,)), api.campaign))
    app.incidents.link_statement("rina.mm", incident, item)
    client = console_client(api, "sari.legal")
    assert f'href="/items/{item}"' not in client.get("/").text  # still a draft
    app.content.submit_for_review("budi.dm", item)
    app.content.submit_for_review("budi.dm", other)
    work = client.get("/")
    assert work.status_code == 200, work.text
    assert f'href="/items/{item}"' in work.text
    assert f'href="/items/{other}"' not in work.text
    # the manager's landing page has no such list
    assert "Legal sign-off" not in console_client(api, "rina.mm").get("/").text


def test_the_configuration_in_force_is_shown_from_the_team_page(api: Api) -> None:
    client = console_client(api, "rina.mm")
    team = client.get("/team")
    assert 'href="/team/configuration"' in team.text
    shown = client.get("/team/configuration")
    assert shown.status_code == 200, shown.text
    for section in ("reply_templates", "checklist", "watchlist", "sla"):
        assert f'id="section-{section}"' in shown.text, section
    version = api.services.app.configuration.show(None).version
    assert f"Version {version}:" in shown.text
    client.get("/lang/id?next=/team/configuration")
    assert "Konfigurasi yang berlaku" in client.get("/team/configuration").text
    unknown = client.get("/team/configuration?version=999")
    assert unknown.status_code == 422


def test_the_planning_pages_need_a_session(api: Api) -> None:
    client = api.client
    client.cookies.clear()
    for path in ("/strategy", f"/campaigns/{api.campaign}", "/team/configuration"):
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code == 303, path
        assert answer.headers["location"].startswith("/login?next="), path
