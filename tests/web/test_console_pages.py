"""The console's pages over HTTP (no browser): the SQL each page sends does not grow with
the number of items (no N+1: one query per list), forms without the session's CSRF token
are refused, a page without a session sends the browser to sign in, the language cookie
picks the catalogue's language, and the preview and diff helpers say what they show."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest
from litestar.testing import TestClient

from tests.browser.store import awaiting_approval, draft
from tests.web.conftest import Api


def console_client(api: Api, member_id: str) -> TestClient[Any]:
    """The API's test client signed in through the console's login form."""
    client = api.client
    client.cookies.clear()
    answer = client.post("/login", data={"member_id": member_id,
                                         "password": api.password(member_id),
                                         "otp": api.otp(member_id) or "", "next": "/"},
                         follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return client


CREDENTIAL_TABLES = re.compile(r"\bsocmed_(sessions|tokens)\b")


class Queries:
    """The SQL statements the read models' engine runs while counting."""

    def __init__(self, engine: Any) -> None:
        from sqlalchemy import event

        self.statements: list[str] = []
        self.counting = False
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        # The credential tables share the engine: whether a request found its session in
        # the server's short principal cache (socmed_web.auth.CachedPrincipals) is no
        # read-model query, and depends on time, not on how many rows a list holds.
        if self.counting and not CREDENTIAL_TABLES.search(statement):
            self.statements.append(statement)

    def during(self, call: Any) -> list[str]:
        self.statements = []
        self.counting = True
        try:
            call()
        finally:
            self.counting = False
        return list(self.statements)


def _selects_by_table(statements: list[str]) -> Counter[str]:
    """How many SELECTs read each read-model table (schema-qualified on PostgreSQL)."""
    import re

    tables: Counter[str] = Counter()
    for s in statements:
        if s.lstrip().upper().startswith("SELECT"):
            for name in ("content_board", "inbox_conversations", "audit_index"):
                if re.search(rf"FROM\s+(?:\w+\.)?{name}\b", s):
                    tables[name] += 1
    return tables


@pytest.mark.parametrize("member_id", ["rina.mm", "budi.dm", "adi.admin", "maya.agency",
                                       "sari.legal"])
def test_my_work_queries_do_not_grow_with_the_items(api: Api, member_id: str) -> None:
    """The landing page of each role sends the same SQL for 2 and for 12 waiting items:
    each list is one query over a read model, whatever it holds."""
    app = api.services.app
    queries = Queries(api.services.engine)
    client = console_client(api, member_id)

    def load() -> None:
        answer = client.get("/")
        assert answer.status_code == 200, answer.text

    def add(n: int) -> None:
        for i in range(n):
            awaiting_approval(app, api.campaign, f"Menunggu {i}")
            app.content.create("budi.dm", f"Draf {i}", draft(f"Draf ke-{i}"), api.campaign)
            app.content.create("maya.agency", f"Draf agensi {i}", draft(f"Agensi {i}"),
                               api.campaign)

    add(2)
    load()  # the projections catch up outside the measurement
    few = queries.during(load)
    add(10)
    load()
    many = queries.during(load)
    assert len(many) == len(few), (few, many)
    lists = {"rina.mm": 1, "budi.dm": 5, "adi.admin": 2, "maya.agency": 4,
             "sari.legal": 1}[member_id]
    board = _selects_by_table(many)["content_board"]
    assert board == lists, [s for s in many if "content_board" in s]


def test_a_form_without_the_csrf_token_is_refused(api: Api) -> None:
    item = awaiting_approval(api.services.app, api.campaign)
    client = console_client(api, "rina.mm")
    sha = api.services.app.content.get(item).summary.revision_sha256
    answer = client.post(f"/items/{item}/approve", data={"revision_sha256": sha})
    assert answer.status_code == 403
    assert "reload the page" in answer.text
    assert api.services.app.content.get(item).approval is None


def test_the_approval_names_the_hash_shown(api: Api) -> None:
    """The hidden field is the revision the page showed; a hash of another is refused with
    the domain's message and nothing is written."""
    import re

    item = awaiting_approval(api.services.app, api.campaign)
    client = console_client(api, "rina.mm")
    shown = client.get(f"/items/{item}")
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', shown.text)
    sha = re.search(r'name="revision_sha256" value="([0-9a-f]{64})"', shown.text)
    assert token and sha
    assert sha.group(1) == api.services.app.content.get(item).summary.revision_sha256
    refused = client.post(f"/items/{item}/approve", data={
        "csrf_token": token.group(1), "revision_sha256": "0" * 64})
    assert refused.status_code == 422
    assert "is not the current revision" in refused.text
    assert api.services.app.content.get(item).approval is None
    done = client.post(f"/items/{item}/approve", data={
        "csrf_token": token.group(1), "revision_sha256": sha.group(1)},
        follow_redirects=False)
    assert done.status_code == 303
    assert api.services.app.content.get(item).approval.revision_sha256 == sha.group(1)


def test_pages_need_a_session_and_speak_the_chosen_language(api: Api) -> None:
    client = api.client
    client.cookies.clear()
    answer = client.get("/items", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?next=/items"
    client.get("/lang/id?next=/login")
    page = client.get("/login")
    assert '<html lang="id">' in page.text and "Kata sandi" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]


def test_preview_counts_and_splits_as_the_platform_does(api: Api) -> None:
    from socmed_domain.platforms import Platform

    content = api.services.app.content
    frames = content.previews(draft("Halo @kopikita lihat https://contoh.co.id/promo",
                                    "x", "linkedin", hashtags=("kopi",)))
    x = next(f for f in frames if f.platform is Platform.X)
    kinds = [s.kind for s in x.segments]
    assert kinds == ["text", "mention", "text", "url", "text", "hashtag"]
    assert x.mentions == ("kopikita",) and x.hashtags == ("kopi",)
    assert x.length < len(x.body)  # a link counts 23 on X, whatever its length
    linkedin = next(f for f in frames if f.platform is Platform.LINKEDIN)
    assert linkedin.length == len(linkedin.body)


def test_word_diff_marks_words_not_lines() -> None:
    from socmed_web.console.diff import word_diff

    pieces = word_diff("Kopi hadir minggu ini", "Kopi hadir Jumat ini")
    assert [(p.op, p.text) for p in pieces] == [
        ("same", "Kopi hadir "), ("removed", "minggu"), ("added", "Jumat"), ("same", " ini")]


def _token(page_text: str) -> str:
    import re

    found = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page_text)
    assert found, page_text[:500]
    return found.group(1)


def test_the_workflow_buttons_run_their_commands(api: Api) -> None:
    """Author submits for review, another member confirms the checklist, the author submits
    for approval, the manager asks for changes; the author clones the item. Each a form on
    the item page, each one command."""
    from socmed_domain.production.quality import CHECKLIST_KEYS

    app = api.services.app
    item = str(app.content.create("budi.dm", "Alur", draft("Kopi untuk semua"), api.campaign))
    budi = console_client(api, "budi.dm")
    token = _token(budi.get(f"/items/{item}").text)
    assert budi.post(f"/items/{item}/submit-review", data={"csrf_token": token},
                     follow_redirects=False).status_code == 303
    dewi = console_client(api, "dewi.dm")
    page = dewi.get(f"/items/{item}").text
    assert 'name="checks"' in page
    partial = dewi.post(f"/items/{item}/review", data={
        "csrf_token": _token(page), "checks": list(CHECKLIST_KEYS[:-1])},
        follow_redirects=False)
    assert partial.status_code == 303  # recorded: a review with an unchecked item fails
    assert app.content.get(item).summary.status == "changes_requested"
    assert app.content.get(item).review.passed is False
    budi = console_client(api, "budi.dm")
    token = _token(budi.get(f"/items/{item}").text)
    budi.post(f"/items/{item}/submit-review", data={"csrf_token": token})
    assert app.content.get(item).summary.status == "in_review"
    dewi = console_client(api, "dewi.dm")
    token = _token(dewi.get(f"/items/{item}").text)
    dewi.post(f"/items/{item}/review", data={"csrf_token": token,
                                             "checks": list(CHECKLIST_KEYS)})
    assert app.content.get(item).summary.status == "reviewed"
    budi = console_client(api, "budi.dm")
    token = _token(budi.get(f"/items/{item}").text)
    budi.post(f"/items/{item}/submit-approval", data={"csrf_token": token})
    assert app.content.get(item).summary.status == "awaiting_approval"
    rina = console_client(api, "rina.mm")
    token = _token(rina.get(f"/items/{item}").text)
    empty = rina.post(f"/items/{item}/request-changes", data={"csrf_token": token,
                                                              "comment": " "})
    assert empty.status_code == 422 and 'id="error-request_changes"' in empty.text
    rina.post(f"/items/{item}/request-changes", data={"csrf_token": token,
                                                      "comment": "Tambahkan harga"})
    assert app.content.get(item).summary.status == "changes_requested"
    budi = console_client(api, "budi.dm")
    token = _token(budi.get(f"/items/{item}").text)
    cloned = budi.post(f"/items/{item}/clone", data={"csrf_token": token},
                       follow_redirects=False)
    assert cloned.status_code == 303
    copy = app.content.get(cloned.headers["location"].rsplit("/", 1)[1])
    assert copy.summary.item_id != item
    assert copy.revisions[-1].sha256 == app.content.get(item).revisions[-1].sha256
    assert copy.summary.campaign_id == api.campaign and copy.summary.author_id == "budi.dm"


def test_every_code_a_template_or_handler_uses_has_both_languages() -> None:
    """The console's texts come from the one catalogue: each literal code in the templates
    and the console's modules exists, with English and Indonesian text."""
    import re
    from pathlib import Path

    from socmed_web.console import HERE, TEMPLATES
    from socmed_web.console.base import catalogue
    from socmed_web.console.messages import MESSAGES

    sources = [*TEMPLATES.rglob("*.html"), *HERE.glob("*.py"),
               Path(HERE.parent.parent / "socmed_adapters" / "work_queries.py")]
    used = set()
    for path in sources:
        used |= set(re.findall(r'["\'](console\.[a-z_]+\.[a-z_]+)["\']', path.read_text()))
    assert len(used) > 40
    for code in sorted(used):
        assert code in catalogue(), code
        texts = catalogue().messages[code]
        assert texts.get("en") and texts.get("id"), code
    for code, texts in MESSAGES.items():
        assert set(texts) == {"en", "id"}, code
