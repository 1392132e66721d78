"""SocmedApplication: the only way into the aggregates, as a kernel composing one service per
SOP stage.

The kernel (`socmed_domain.kernel.Kernel`, an eventsourcing Application named "socmed": one
event log, one audit chain) loads and saves aggregates with the conflict retry, knows the
acting member and the clock, and turns events into audit entries. Each stage's commands and
queries are a service in its stage's package, built here with the services it depends on as
constructor arguments:

    app.team         socmed_domain.team_service.TeamService           the team
    app.planning     socmed_domain.planning.service.PlanningService   stage 1
    app.content      socmed_domain.production.service.ContentService  stages 2-3 (and slots)
    app.publication  socmed_domain.publication.service.PublicationService  stage 3
    app.inbox        socmed_domain.monitoring.service.InboxService    stage 4
    app.evaluation   socmed_domain.evaluation.service.EvaluationService  stage 5
    app.incidents    socmed_domain.crisis.service.IncidentService     stage 6
    app.audit        socmed_domain.audit_log.AuditService             audit queries
    app.identity     socmed_domain.identity.service.IdentityService   who acts, proven
    app.sso          socmed_domain.identity.single_sign_on.SingleSignOnService  SSO links
    app.contacts     socmed_domain.notifications.service.NotificationService  who is told
    app.configuration socmed_domain.configuration.service.ConfigurationService  the
                     company's rules as data (issue 17), read by the stages above

Storage is chosen by the eventsourcing environment (POPO, SQLite, PostgreSQL), never here; the
clock, the publisher, the read-model indexes, the vault and the reply sender are injected by
the composition root (socmed_adapters.bootstrap). The methods the application had before the
services (`app.create_content`, ...) still work for one release, with a DeprecationWarning,
through `DEPRECATED_ALIASES`.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid4

from socmed_domain.audit_log import AuditService
from socmed_domain.configuration.service import ConfigurationService
from socmed_domain.crisis.service import IncidentService
from socmed_domain.evaluation.service import EvaluationService
from socmed_domain.identity.ports import (
    CredentialStore,
    PasswordHasher,
    SecretSource,
    TotpVerifier,
)
from socmed_domain.identity.service import IdentityService
from socmed_domain.identity.single_sign_on import SingleSignOnService
from socmed_domain.kernel import CONFLICT_RETRIES, Clock, Kernel, audit_entry
from socmed_domain.monitoring.interaction import Assessor
from socmed_domain.monitoring.replies import ReplySender
from socmed_domain.monitoring.service import InboxIndex, InboxService
from socmed_domain.monitoring.sla import BusinessCalendar, SlaPolicy
from socmed_domain.monitoring.spikes import SpikeConfig
from socmed_domain.monitoring.vault import PersonalDataVault
from socmed_domain.notifications.service import NotificationService
from socmed_domain.planning.service import PlanningService, campaign_summary
from socmed_domain.platform_rules import PlatformRules
from socmed_domain.platforms import Platform
from socmed_domain.production.index import ContentIndex
from socmed_domain.production.media_reading import MediaReader
from socmed_domain.production.quality import ContentPolicy
from socmed_domain.production.service import ContentService, RoutesProvider, content_summary
from socmed_domain.publication.outcomes import STALE_ATTEMPT
from socmed_domain.publication.ports import Publisher
from socmed_domain.publication.service import PublicationService, QuotaWindow
from socmed_domain.team_service import TeamService
from socmed_domain.transcoding import SocmedTranscoding

__all__ = [
    "CONFLICT_RETRIES",
    "DEPRECATED_ALIASES",
    "STALE_ATTEMPT",
    "Clock",
    "ContentIndex",
    "QuotaWindow",
    "SocmedApplication",
    "audit_entry",
    "campaign_summary",
    "content_summary",
]


class SocmedApplication(SocmedTranscoding, Kernel):
    """SOP-0042 as an event-sourced application: the kernel and its stage services."""

    name = "socmed"  # the stored log's name (tables, environment prefix): never change it

    team: TeamService
    planning: PlanningService
    content: ContentService
    incidents: IncidentService
    publication: PublicationService
    inbox: InboxService
    evaluation: EvaluationService
    audit: AuditService
    identity: IdentityService
    sso: SingleSignOnService
    contacts: NotificationService
    configuration: ConfigurationService

    def __init__(
        self,
        env: Mapping[str, str] | None = None,
        *,
        clock: Clock,
        publisher: Publisher | None = None,
        rules: Mapping[Platform, PlatformRules] | None = None,
        policy: ContentPolicy | None = None,
        index: ContentIndex | None = None,
        new_id: Callable[[], UUID] = uuid4,
        vault: PersonalDataVault | None = None,
        reply_sender: ReplySender | None = None,
        inbox_index: InboxIndex | None = None,
        calendar_source: Callable[[], BusinessCalendar] | None = None,
        assessor: Assessor | None = None,
        sla_policy: SlaPolicy | None = None,
        spike_config: SpikeConfig | None = None,
        media_reader: MediaReader | None = None,
        credentials: CredentialStore | None = None,
        password_hasher: PasswordHasher | None = None,
        totp: TotpVerifier | None = None,
        secrets: SecretSource | None = None,
        approval_routes: RoutesProvider | None = None,
    ) -> None:
        super().__init__(env, clock=clock, new_id=new_id)
        self.team = TeamService(self)
        self.configuration = ConfigurationService(self)
        self.identity = IdentityService(self, credentials=credentials, hasher=password_hasher,
                                        totp=totp, secrets=secrets)
        self.sso = SingleSignOnService(self)
        self.planning = PlanningService(self)
        self.content = ContentService(self, self.planning, index=index, rules=rules,
                                      policy=policy, media_reader=media_reader,
                                      configuration=self.configuration,
                                      routes=(approval_routes
                                              or self.configuration.approval_routes))
        self.incidents = IncidentService(self, self.content)
        self.publication = PublicationService(self, self.content, self.incidents,
                                              publisher=publisher, index=index)
        self.inbox = InboxService(self, self.incidents, vault=vault, reply_sender=reply_sender,
                                  inbox_index=inbox_index, calendar_source=calendar_source,
                                  assessor=assessor, sla_policy=sla_policy,
                                  spike_config=spike_config,
                                  configuration=self.configuration)
        self.evaluation = EvaluationService(self, self.team, self.planning, self.incidents,
                                            self.inbox)
        self.audit = AuditService(self, self.content)
        self.contacts = NotificationService(self)

    if not TYPE_CHECKING:  # mypy sees no old name, so src/ calling one is a type error

        def __getattr__(self, name: str) -> Any:
            """The names of the application before its services, for one release (see
            DEPRECATED_ALIASES); only reached when normal attribute lookup fails."""
            target = DEPRECATED_ALIASES.get(name)
            if target is None or name.startswith("__"):
                raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
            service, attribute = target.split(".")
            warnings.warn(f"SocmedApplication.{name} is deprecated: use app.{target}",
                          DeprecationWarning, stacklevel=2)
            return getattr(getattr(self, service), attribute)


def _aliases(service: str, names: str, renamed: Mapping[str, str] | None = None
             ) -> dict[str, str]:
    table = {name: f"{service}.{name}" for name in names.split()}
    table.update({old: f"{service}.{new}" for old, new in (renamed or {}).items()})
    return table


#: Old application attribute -> "service.attribute", kept for one release (tests and docs
#: written before the services). src/ uses the services directly.
DEPRECATED_ALIASES: dict[str, str] = {
    **_aliases("team", "initialise is_initialised add_member change_role deactivate_member "
               "list_members organisation"),
    **_aliases("content", "submit_for_review submit_for_approval request_changes "
               "plan_idea effective_policy published_count_scan index rules policy", {
                   "create_content": "create", "revise_content": "revise",
                   "review_content": "review", "approve_content": "approve",
                   "schedule_content": "schedule", "withdraw_content": "withdraw",
                   "archive_content": "archive", "plan_content_slot": "plan_slot",
                   "resolve_content": "resolve", "get_content": "get",
                   "list_content": "list_items", "content_history": "history",
                   "content_ids": "ids"}),
    **_aliases("publication", "publish_due publisher", {
        "reconcile_publication": "reconcile", "lookup_publication": "lookup"}),
    **_aliases("planning", "draft_strategy edit_strategy submit_strategy send_back_strategy "
               "approve_strategy revise_strategy get_strategy strategy_in_force "
               "strategy_history plan_campaign revise_campaign_plan approve_campaign "
               "start_campaign complete_campaign cancel_campaign assign_agency "
               "unassign_agency campaign_ids resolve_campaign get_campaign list_campaigns "
               "campaign_history"),
    **_aliases("incidents", "open_incident classify_incident escalate_incident "
               "acknowledge_incident log_incident_action link_statement freeze_publishing "
               "release_publishing record_pdp_notice resolve_incident review_incident "
               "close_incident incident_ids resolve_incident_ref incident_report "
               "list_incidents incident_history incidents_for_publishing "
               "publication_hold"),
    **_aliases("inbox", "ingest_interactions fetch_interactions assign_conversation "
               "tag_conversation prioritise_conversation note_conversation "
               "close_conversation reopen_conversation reply_to_conversation approve_reply "
               "flag_sla_breaches raise_spike_alerts spike_alert erase_personal_data "
               "get_conversation resolve_conversation vault reply_sender inbox_index "
               "assessor sla_policy spike_config business_calendar calendar_source"),
    **_aliases("evaluation", "record_metrics fetch_metrics record_evaluation "
               "strategy_evaluations monthly_report_model"),
    **_aliases("audit", "", {"audit_log": "log"}),
}
