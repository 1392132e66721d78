"""The stand-in for `Services` the CLI is given in remote mode.

`RemoteServices.app` offers the stage services' methods the CLI commands call (`content`,
`planning`, `incidents`, `team`) and `RemoteServices.read_models` the read-model queries, with
the same names, arguments and results as on a local store: each is one request to /api/v1
(a listing, one per page), and its JSON is decoded through the one cattrs converter into the
same view objects. The `actor` argument the local methods take is ignored here: on a server the
acting member is the token's, never a value the client sends.

What only makes sense beside the store (its files, its tables, rebuilding projections) is not
here; asking for it is refused in one line naming the command (`LocalOnlyError`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit
from uuid import UUID

from socmed_adapters.audit.verify import VerifyReport
from socmed_adapters.calendar.month import CalendarEntry
from socmed_adapters.calendar.planner import PlannedIdea
from socmed_adapters.projections.projector import ProjectionStatus
from socmed_adapters.remote.client import ApiClient, StepUp
from socmed_adapters.remote.credentials import Login
from socmed_domain.configuration.model import CompanyConfiguration
from socmed_domain.configuration.service import ConfigurationService, ConfigurationVersion
from socmed_domain.crisis.report import IncidentReport
from socmed_domain.errors import InvalidInputError, SocmedError
from socmed_domain.evaluation.report_model import MonthlyReport
from socmed_domain.evaluation.service import MetricsFetchResult, MetricsRecorded
from socmed_domain.identity.policy import AccessPolicy
from socmed_domain.identity.service import IssuedToken, SetupCode, TokenInfo
from socmed_domain.monitoring.service import IngestReport
from socmed_domain.production.bulk_import import DraftCheck, ImportReport
from socmed_domain.production.content_item import ReviewOutcome
from socmed_domain.production.revision import Draft, MediaRef, Revision
from socmed_domain.production.routing import BoundRoute, StepRecord
from socmed_domain.publication.outcomes import Slot
from socmed_domain.roles import Role
from socmed_domain.team import Member
from socmed_domain.transcoding import converter
from socmed_domain.views import (
    AuditEntry,
    CampaignDetail,
    CampaignSummary,
    ContentDetail,
    ContentSummary,
    StrategyDetail,
)

T = TypeVar("T")


class LocalOnlyError(SocmedError):
    """A command (or part of one) that works on the local store only."""

    code = "error.remote_local_only"


class RemoteUnsupportedError(SocmedError):
    """Something the API does not carry (yet), refused instead of silently dropped."""

    code = "error.remote_unsupported"


def decode(data: Any, kind: type[T]) -> T:
    """JSON from the API into the view object the local method returns (one converter)."""
    return converter.structure(data, kind)


def decode_all(items: Iterable[Any], kind: type[T]) -> list[T]:
    return [converter.structure(item, kind) for item in items]


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def zone_name(zone: tzinfo) -> str:
    """The IANA name of a zone for the API's `tz` parameter."""
    return str(getattr(zone, "key", None) or zone)


def draft_body(draft: Draft | None, client: ApiClient | None = None
               ) -> dict[str, Any] | None:
    """The API's DraftIn. Media are named by their SHA-256: a medium already read (carried
    over from the current revision, or a `sha256:` reference) as it is, a local file uploaded
    first (POST /media). An http(s) address is refused: the server fetches no address a
    client gives, and this CLI does not fetch one either (download it, then give the file)."""
    if draft is None:
        return None
    return {"media": [media_body(m, client) for m in draft.media], "text": draft.text,
            "platforms": [p.value for p in draft.platforms],
            "content_type": draft.content_type.value,
            "captions": {c.platform.value: c.text for c in draft.captions},
            "hashtags": list(draft.hashtags), "sponsored": draft.sponsored,
            "own_brand": draft.own_brand, "ai_generated": draft.ai_generated,
            "planned_for": draft.planned_for.isoformat() if draft.planned_for else None}


def media_body(media: MediaRef, client: ApiClient | None) -> dict[str, str]:
    if media.probe is not None:
        sha256 = media.probe.sha256
    elif media.uri.lower().startswith("sha256:"):
        sha256 = media.uri.split(":", 1)[1]
    elif urlsplit(media.uri).scheme.lower() in ("http", "https") or client is None:
        raise InvalidInputError("error.remote_media_address", media=media.uri)
    else:
        sha256 = str(client.upload(media.uri)["probe"]["sha256"])
    return {"sha256": sha256, "alt_text": media.alt_text}


class _Remote:
    """Asking for anything this class does not offer is refused in one line."""

    _area = "store"

    #: The command being run (`socmed content list`), named in the refusal.
    command = "socmed"

    def __init__(self, client: ApiClient) -> None:
        self.client = client

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        raise LocalOnlyError(command=type(self).command, url=self.client.server)


class RemoteContent(_Remote):
    _area = "content"

    def get(self, ref: str | UUID, as_of: datetime | None = None) -> ContentDetail:
        return decode(self.client.get(f"/content/{ref}", as_of=iso(as_of)), ContentDetail)

    def resolve(self, ref: str | UUID) -> UUID:
        return UUID(self.get(ref).summary.item_id)

    #: The server's configuration (RemoteApplication sets it).
    configuration: Any = None

    def checklist_keys(self) -> tuple[str, ...]:
        """The review checklist in force on the server."""
        return tuple(self.client.get("/content/checklist"))

    def checklist(self) -> tuple[Any, ...]:
        return tuple(self.configuration.checklist())

    def create(self, actor: Any, title: str, draft: Draft | None = None,
               campaign_id: str | None = None, note: str = "") -> UUID:
        body = {"title": title, "campaign_id": campaign_id, "note": note,
                "draft": draft_body(draft, self.client)}
        return UUID(self.client.post("/content/", body)["item_id"])

    def revise(self, actor: Any, ref: str, draft: Draft, note: str = "") -> Revision:
        answer = self.client.post(f"/content/{ref}/revise",
                                  {"draft": draft_body(draft, self.client), "note": note})
        return decode(answer, Revision)

    def check(self, actor: Any, ref: str | UUID) -> DraftCheck:
        return decode(self.client.get(f"/content/{ref}/check"), DraftCheck)

    def create_checked(self, actor: Any, title: str, draft: Draft | None = None,
                       campaign_id: str | None = None, note: str = "") -> DraftCheck:
        item_id = self.create(actor, title, draft, campaign_id, note)
        if draft is None:
            return DraftCheck(str(item_id), 0, ())
        return self.check(actor, item_id)

    def revise_checked(self, actor: Any, ref: str, draft: Draft,
                       note: str = "") -> tuple[Revision, DraftCheck]:
        revision = self.revise(actor, ref, draft, note)
        return revision, self.check(actor, ref)

    def clone(self, actor: Any, ref: str, title: str = "", note: str = "") -> UUID:
        answer = self.client.post(f"/content/{ref}/clone", {"title": title, "note": note})
        return UUID(answer["item_id"])

    def import_drafts(self, actor: Any, csv_text: str, dry_run: bool = False) -> ImportReport:
        answer = self.client.post("/content/import", {"csv": csv_text, "dry_run": dry_run})
        return decode(answer, ImportReport)


    def submit_for_review(self, actor: Any, ref: str, note: str = "") -> BoundRoute | None:
        answer = self.client.post(f"/content/{ref}/submit-review", {"note": note})
        return decode(answer, BoundRoute) if answer else None

    def record_step(self, actor: Any, ref: str, step: str, revision_sha256: str | None,
                    comment: str = "", require_hash: bool = True) -> StepRecord:
        if not revision_sha256:
            item_id = self.get(ref).summary.item_id
            raise InvalidInputError("error.step_needs_hash", ref=item_id[:8])
        answer = self.client.post(f"/content/{ref}/steps", {
            "step": step, "revision_sha256": revision_sha256, "comment": comment})
        return decode(answer, StepRecord)

    def review(self, actor: Any, ref: str, checks: Iterable[str],
               comment: str = "", *, all_checks: bool = False) -> ReviewOutcome:
        answer = self.client.post(f"/content/{ref}/review", {
            "checks": list(checks), "comment": comment, "all_checks": all_checks})
        return decode(answer, ReviewOutcome)

    def submit_for_approval(self, actor: Any, ref: str, note: str = "") -> None:
        self.client.post(f"/content/{ref}/submit-approval", {"note": note})

    def approve(self, actor: Any, ref: str, revision_sha256: str | None,
                comment: str = "", require_hash: bool = True) -> str:
        """Always with `require_hash`: an approval through the API names the revision (the
        domain's own refusal, for an item the member may see)."""
        if not revision_sha256:
            item_id = self.get(ref).summary.item_id
            raise InvalidInputError("error.approve_needs_hash", ref=item_id[:8])
        answer = self.client.post(f"/content/{ref}/approve",
                                  {"revision_sha256": revision_sha256, "comment": comment})
        return str(answer["revision_sha256"])

    def request_changes(self, actor: Any, ref: str, comment: str) -> None:
        self.client.post(f"/content/{ref}/request-changes", {"comment": comment})

    def schedule(self, actor: Any, ref: str, at: datetime,
                 platforms: Iterable[Any] = ()) -> Slot:
        answer = self.client.post(f"/content/{ref}/schedule", {
            "at": at.isoformat(), "platforms": [p.value for p in platforms]})
        return decode(answer, Slot)

    def withdraw(self, actor: Any, ref: str, reason: str) -> None:
        self.client.post(f"/content/{ref}/withdraw", {"reason": reason})

    def archive(self, actor: Any, ref: str, note: str = "") -> None:
        self.client.post(f"/content/{ref}/archive", {"note": note})


class RemoteConfiguration(ConfigurationService):
    """`app.configuration` over the API: the reads (templates, checklist) are the local
    service's, on the configuration in force the server gives; applying goes to the server
    (the Marketing Manager's token)."""

    def __init__(self, client: ApiClient) -> None:
        super().__init__(None)
        self.client = client
        self._fetched: CompanyConfiguration | None = None

    def show(self, actor_id: Any = None, version: int | None = None) -> ConfigurationVersion:
        return decode(self.client.get("/configuration", version=version), ConfigurationVersion)

    def history(self, actor_id: Any = None) -> tuple[ConfigurationVersion, ...]:
        return tuple(decode_all(self.client.get("/configuration/history"),
                                ConfigurationVersion))

    def in_force(self) -> CompanyConfiguration:
        if self._fetched is None:  # one command, one read of the server's configuration
            self._fetched = self.show().configuration
        return self._fetched

    def current_version(self) -> int:
        return self.show().version

    def apply(self, actor_id: Any, configuration: CompanyConfiguration, reason: str = "",
              source: str = "") -> int:
        answer = self.client.post("/configuration/apply", {
            "configuration": converter.unstructure(configuration), "reason": reason})
        self._fetched = None
        return int(answer["version"])


class RemotePlanning(_Remote):
    _area = "planning"

    def get_campaign(self, ref: str | UUID) -> CampaignDetail:
        return decode(self.client.get(f"/campaigns/{ref}"), CampaignDetail)

    def resolve_campaign(self, ref: str | UUID) -> UUID:
        return UUID(self.get_campaign(ref).summary.campaign_id)

    def list_campaigns(self, status: Any = None) -> list[CampaignSummary]:
        answer = self.client.get("/campaigns", status=getattr(status, "value", status))
        return decode_all(answer["items"], CampaignSummary)

    def get_strategy(self) -> StrategyDetail:
        return decode(self.client.get("/strategy"), StrategyDetail)

    def approve_campaign(self, actor: Any, ref: str, comment: str = "") -> None:
        self.client.post(f"/campaigns/{ref}/approve", {"comment": comment})

    def start_campaign(self, actor: Any, ref: str, note: str = "") -> None:
        self.client.post(f"/campaigns/{ref}/start", {"note": note})

    def complete_campaign(self, actor: Any, ref: str, note: str = "") -> None:
        self.client.post(f"/campaigns/{ref}/complete", {"note": note})

    def cancel_campaign(self, actor: Any, ref: str, reason: str) -> None:
        self.client.post(f"/campaigns/{ref}/cancel", {"reason": reason})

    def assign_agency(self, actor: Any, ref: str, member_id: str) -> None:
        self.client.post(f"/campaigns/{ref}/agencies", {"member_id": member_id})

    def unassign_agency(self, actor: Any, ref: str, member_id: str, reason: str = "") -> None:
        self.client.post(f"/campaigns/{ref}/agencies/remove",
                         {"member_id": member_id, "reason": reason})


class RemoteIncidents(_Remote):
    _area = "incidents"

    def list_incidents(self, open_only: bool = False) -> list[IncidentReport]:
        answer = self.client.get("/incidents", open_only=str(open_only).lower())
        return decode_all(answer["items"], IncidentReport)

    def incident_report(self, ref: str | UUID) -> IncidentReport:
        return decode(self.client.get(f"/incidents/{ref}"), IncidentReport)

    def incident_history(self, ref: str | UUID) -> list[AuditEntry]:
        return decode_all(self.client.get(f"/incidents/{ref}/history"), AuditEntry)

    def open_incident(self, actor: Any, title: str, category: Any, description: str = "",
                      alert_id: Any = None, signals: Any = None, aware_at: Any = None,
                      aware_reason: str = "") -> UUID:
        if alert_id is not None or signals is not None:
            raise RemoteUnsupportedError(what="--alert / impact signals")
        if aware_at is not None or aware_reason:
            raise RemoteUnsupportedError(what="--became-aware-at")
        answer = self.client.post("/incidents", {
            "title": title, "category": getattr(category, "value", category),
            "description": description})
        return UUID(answer["incident_id"])

    def resolve_incident(self, actor: Any, ref: str, summary: str) -> None:
        self.client.post(f"/incidents/{ref}/resolve", {"summary": summary})

    def close_incident(self, actor: Any, ref: str, note: str = "") -> None:
        self.client.post(f"/incidents/{ref}/close", {"note": note})


class RemoteTeam(_Remote):
    _area = "team"

    def list_members(self) -> list[Member]:
        return decode_all(self.client.get("/team/members")["items"], Member)

    def add_member(self, actor: Any, member_id: str, name: str, role: Any) -> None:
        self.client.post("/team/members", {"member_id": member_id, "name": name,
                                           "role": getattr(role, "value", role)})

    def change_role(self, actor: Any, member_id: str, role: Any, reason: str) -> None:
        self.client.post(f"/team/members/{member_id}/role",
                         {"role": getattr(role, "value", role), "reason": reason})

    def deactivate_member(self, actor: Any, member_id: str, reason: str) -> None:
        self.client.post(f"/team/members/{member_id}/deactivate", {"reason": reason})


class RemoteInbox(_Remote):
    _area = "inbox"

    #: What `bulk_ingestion` swaps in (sentiment is read on the server, not here).
    assessor: Any = None

    def ingest_interactions(self, actor: Any, interactions: Iterable[Any], *,
                            log: Any = None) -> IngestReport:
        """The interactions (read and checked from the file here) as JSON Lines, checked
        again and ingested on the server in one request (`log` stays empty: what the server
        wrote is not known here)."""
        import json

        from socmed_adapters.monitoring.files import as_record

        lines = "".join(json.dumps(as_record(i), ensure_ascii=False) + "\n"
                        for i in interactions)
        answer = self.client.send("/inbox/ingest", lines.encode(), "application/x-ndjson")
        return decode(answer, IngestReport)

    def fetch_on_server(self, since: datetime | None, posts_since: datetime | None,
                        platforms: Iterable[Any]) -> tuple[list[str], datetime, IngestReport]:
        """`inbox fetch` run by the server with its own platform credentials: the platforms
        read, the start of the window, and what was ingested."""
        answer = self.client.post("/inbox/fetch", {
            "since": iso(since), "posts_since": iso(posts_since),
            "platforms": [getattr(p, "value", p) for p in platforms]})
        return (list(answer["platforms"]), datetime.fromisoformat(answer["since"]),
                decode(answer["report"], IngestReport))

    def raise_spike_alerts(self, actor: Any, since: datetime, until: datetime, *,
                           after: Any = None) -> tuple[str, ...]:
        """The server checks its own store (`after` is only a shortcut for a local one)."""
        answer = self.client.post("/inbox/alerts", {"since": since.isoformat(),
                                                    "until": until.isoformat()})
        return tuple(str(a) for a in answer)

    def assign_conversation(self, actor: Any, ref: str, assignee: str, note: str = "") -> None:
        self.client.post(f"/inbox/{ref}/assign", {"assignee": assignee, "note": note})

    def note_conversation(self, actor: Any, ref: str, text: str) -> None:
        self.client.post(f"/inbox/{ref}/note", {"text": text})

    def close_conversation(self, actor: Any, ref: str, note: str = "") -> None:
        self.client.post(f"/inbox/{ref}/close", {"note": note})


class RemoteEvaluation(_Remote):
    _area = "evaluation"

    def record_metrics(self, actor: Any, snapshots: Iterable[Any],
                       source: str = "import") -> MetricsRecorded:
        body = {"snapshots": [_json_ready(converter.unstructure(s)) for s in snapshots],
                "source": source}
        return decode(self.client.post("/metrics/import", body), MetricsRecorded)

    def fetch_on_server(self, since: datetime | None, platforms: Iterable[Any]
                        ) -> tuple[list[str], MetricsFetchResult]:
        """`metrics fetch` run by the server with its own platform credentials."""
        answer = self.client.post("/metrics/fetch", {
            "since": iso(since), "platforms": [getattr(p, "value", p) for p in platforms]})
        return list(answer["platforms"]), decode(answer["result"], MetricsFetchResult)


def _json_ready(value: Any) -> Any:
    """The converter's output with times as ISO 8601 text (what the API reads back)."""
    if isinstance(value, dict):
        return {k: _json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_ready(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return getattr(value, "value", value)


class RemoteIdentity(_Remote):
    """The identity service's member-facing calls the API carries (tokens, invitations);
    passwords, TOTP and the store's policy are managed on the server's store or in a
    signed-in session."""

    _area = "identity"

    def create_token(self, actor: Any, name: str, scope: Any, expires_in: timedelta
                     ) -> IssuedToken:
        days = max(1, round(expires_in / timedelta(days=1)))
        return decode(self.client.post("/tokens", {
            "name": name, "scope": getattr(scope, "value", scope),
            "expires_in_days": days}), IssuedToken)

    def list_tokens(self, actor: Any) -> list[TokenInfo]:
        return decode_all(self.client.get("/tokens"), TokenInfo)

    def revoke_token(self, actor: Any, token_id: str, reason: str = "") -> None:
        if reason:
            raise RemoteUnsupportedError(what="--reason")
        self.client.request("DELETE", f"/tokens/{token_id}")

    def invite(self, actor: Any, member_id: str) -> SetupCode:
        return decode(self.client.post("/team/invites", {"member_id": member_id}), SetupCode)

    def policy(self) -> AccessPolicy:
        return _access_policy(self.client.get("/team/policy"))

    def set_policy(self, actor: Any, *, require_authentication: bool | None = None,
                   second_factor_roles: Iterable[Any] | None = None,
                   lockout_threshold: int | None = None, lockout_minutes: int | None = None,
                   reason: str = "") -> AccessPolicy:
        roles = (None if second_factor_roles is None
                 else [getattr(r, "value", r) for r in second_factor_roles])
        return _access_policy(self.client.post("/team/policy", {
            "require_authentication": require_authentication, "second_factor_roles": roles,
            "lockout_threshold": lockout_threshold, "lockout_minutes": lockout_minutes,
            "reason": reason}))

    def unlock(self, actor: Any, member_id: str, reason: str) -> None:
        self.client.post(f"/team/members/{member_id}/unlock", {"reason": reason})

    def unlink_sso(self, actor: Any, member_id: str, issuer: str, reason: str) -> None:
        self.client.post(f"/team/members/{member_id}/sso/unlink",
                         {"issuer": issuer, "reason": reason})

    def change_password(self, actor: Any, current: str, new: str) -> None:
        self.client.post("/account/password", {"current": current, "new": new})


def _access_policy(data: Mapping[str, Any]) -> AccessPolicy:
    return AccessPolicy(require_authentication=bool(data["require_authentication"]),
                        second_factor_roles=tuple(Role(r) for r in data["second_factor_roles"]),
                        lockout_threshold=int(data["lockout_threshold"]),
                        lockout_minutes=int(data["lockout_minutes"]))


class RemoteApplication(_Remote):
    """`app` in remote mode: the stage services the CLI calls, over the API."""

    _area = "app"

    def __init__(self, client: ApiClient) -> None:
        super().__init__(client)
        self.content = RemoteContent(client)
        self.planning = RemotePlanning(client)
        self.incidents = RemoteIncidents(client)
        self.team = RemoteTeam(client)
        self.inbox = RemoteInbox(client)
        self.identity = RemoteIdentity(client)
        self.configuration = RemoteConfiguration(client)
        self.content.configuration = self.configuration
        self.evaluation = RemoteEvaluation(client)


class RemoteAsOf:
    """The as-of listings over the API (each route's `as_of` parameter), mixed into
    `RemoteReadModels`; the principal is the logged-in member, decided by the server."""

    client: ApiClient

    def content_list_as_of(self, moment: datetime, status: str | None = None,
                           platform: str | None = None) -> list[ContentSummary]:
        return decode_all(self.client.pages("/content/", status=status, platform=platform,
                                            as_of=iso(moment)), ContentSummary)

    def calendar_month_as_of(self, moment: datetime, month: Any, zone: tzinfo,
                             platform: str | None = None, campaign_id: str | None = None
                             ) -> list[CalendarEntry]:
        answer = self.client.get("/calendar", month=str(month), platform=platform,
                                 campaign=campaign_id, tz=zone_name(zone), as_of=iso(moment))
        return decode_all(answer["items"], CalendarEntry)

    def publication_log_as_of(self, moment: datetime, since: datetime | None = None,
                              until: datetime | None = None, platform: str | None = None
                              ) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = self.client.pages(
            "/publications", since=iso(since), until=iso(until), platform=platform,
            as_of=iso(moment))
        for row in rows:
            for key, value in row.items():
                if key.endswith("_at") and isinstance(value, str):
                    row[key] = datetime.fromisoformat(value)
        return rows

    def inbox_page_as_of(self, principal: Any, moment: datetime, *,
                         status: tuple[str, ...] = (), platform: str | None = None,
                         assignee: str | None = None, tag: str | None = None,
                         priority: str | None = None, sentiment: str | None = None,
                         limit: int = 200) -> list[dict[str, Any]]:
        answer = self.client.get("/inbox", status=list(status) or None, platform=platform,
                                 assignee=assignee, tag=tag, priority=priority,
                                 sentiment=sentiment, limit=min(limit, 500),
                                 as_of=iso(moment))
        rows: list[dict[str, Any]] = answer["items"]
        for row in rows:
            if row.get("received_at"):
                row["received_at"] = datetime.fromisoformat(row["received_at"])
        return rows

    def incidents_as_of(self, principal: Any, moment: datetime,
                        open_only: bool = False) -> list[IncidentReport]:
        answer = self.client.get("/incidents", open_only=str(open_only).lower(),
                                 as_of=iso(moment))
        return decode_all(answer["items"], IncidentReport)

    def campaigns_as_of(self, principal: Any, moment: datetime,
                        status: Any = None) -> list[CampaignSummary]:
        answer = self.client.get("/campaigns", status=getattr(status, "value", status),
                                 as_of=iso(moment))
        return decode_all(answer["items"], CampaignSummary)


class RemoteReadModels(RemoteAsOf, _Remote):
    """`read_models` in remote mode: the queries the CLI calls, over the API."""

    _area = "read_models"

    def content_list(self, status: str | None = None,
                     platform: str | None = None) -> list[ContentSummary]:
        return decode_all(self.client.pages("/content/", status=status, platform=platform),
                          ContentSummary)

    def item_history(self, item_id: str) -> list[AuditEntry]:
        return decode_all(self.client.get(f"/content/{item_id}/history"), AuditEntry)

    def audit_log(self, actor_id: Any, *, item_id: str | None = None,
                  member: str | None = None, event_type: str | None = None,
                  since: datetime | None = None, until: datetime | None = None,
                  as_of: datetime | None = None, via: str | None = None) -> list[AuditEntry]:
        return decode_all(self.client.pages(
            "/audit", item=item_id, actor=member, type=event_type, since=iso(since),
            until=iso(until), as_of=iso(as_of), via=via), AuditEntry)

    def calendar_month(self, month: Any, zone: tzinfo, platform: str | None = None,
                       campaign_id: str | None = None) -> list[CalendarEntry]:
        answer = self.client.get("/calendar", month=str(month), platform=platform,
                                 campaign=campaign_id, tz=zone_name(zone))
        return decode_all(answer["items"], CalendarEntry)

    def publication_log(self, since: datetime | None = None, until: datetime | None = None,
                        platform: str | None = None) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = self.client.pages(
            "/publications", since=iso(since), until=iso(until), platform=platform)
        for row in rows:
            for key, value in row.items():
                if key.endswith("_at") and isinstance(value, str):
                    row[key] = datetime.fromisoformat(value)
        return rows

    def monthly_report(self, month: Any, zone: tzinfo) -> MonthlyReport:
        """The month's report model, as the server computed it (GET /reports/monthly)."""
        data = dict(self.client.get("/reports/monthly", month=str(month),
                                    tz=zone_name(zone)))
        data.pop("ref", None)
        data["insights"] = [{"rule": i["rule"], "kind": i["kind"],
                             "params": list(dict(i["params"]).items())}
                            for i in data.get("insights", [])]
        return decode(data, MonthlyReport)

    def inbox_page(self, principal: Any, services: Any, *, status: tuple[str, ...] = (),
                   platform: str | None = None, assignee: str | None = None,
                   tag: str | None = None, priority: str | None = None,
                   sentiment: str | None = None, limit: int = 200) -> list[dict[str, Any]]:
        answer = self.client.get("/inbox", status=list(status) or None, platform=platform,
                                 assignee=assignee, tag=tag, priority=priority,
                                 sentiment=sentiment, limit=min(limit, 500))
        rows: list[dict[str, Any]] = answer["items"]
        for row in rows:
            if row.get("received_at"):
                row["received_at"] = datetime.fromisoformat(row["received_at"])
        return rows


class RemoteProjector(_Remote):
    """Only the read models' status travels (GET /projections); catching up and rebuilding
    are the server's own work."""

    _area = "projector"

    def status(self) -> list[ProjectionStatus]:
        return decode_all(self.client.get("/projections")["items"], ProjectionStatus)


class RemoteServices(_Remote):
    """What `bootstrap` gives on a local store, for a server: `app` and `read_models`."""

    _area = "store"

    def __init__(self, login: Login, lang: str = "en", client: ApiClient | None = None,
                 command: str = "socmed", step_up: StepUp | None = None) -> None:
        super().__init__(client or ApiClient(login.server, login.secret, lang,
                                             step_up=step_up))
        _Remote.command = command
        self.login = login
        self.app = RemoteApplication(self.client)
        self.read_models = RemoteReadModels(self.client)
        self.projector = RemoteProjector(self.client)

    def calendar_plan(self, month: Any, zone: tzinfo, platforms: Iterable[Any],
                      dry_run: bool) -> list[PlannedIdea]:
        """The server's `calendar plan` (POST /calendar/plan): the ideas it planned."""
        answer = self.client.post("/calendar/plan", {
            "month": str(month), "platforms": [getattr(p, "value", p) for p in platforms],
            "dry_run": dry_run, "tz": zone_name(zone)})
        return decode_all(answer["items"], PlannedIdea)

    def audit_verify(self) -> VerifyReport:
        """The server's verification of its whole chain (GET /audit/verify)."""
        return decode(self.client.get("/audit/verify"), VerifyReport)

    def audit_bundle(self, since: datetime | None, until: datetime | None,
                     out: Path) -> dict[str, Any]:
        """The server's export bundle of [since, until), unzipped into `out` as
        `socmed audit export` writes it; answers its manifest."""
        import io
        import json
        import zipfile

        from socmed_adapters.audit.export import EVENTS_FILE, MANIFEST_FILE

        data = self.client.get_bytes("/audit/bundle", since=iso(since), until=iso(until))
        out.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for name in (EVENTS_FILE, MANIFEST_FILE):
                (out / name).write_bytes(archive.read(name))
        manifest: dict[str, Any] = json.loads((out / MANIFEST_FILE).read_text())
        return manifest

    def close(self) -> None:
        self.client.close()
