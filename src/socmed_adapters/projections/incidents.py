"""The incidents (SOP stage 5): one row per incident with what its list, the freeze banner
and the incident room show, so none of them reads the event store.

Each row carries the incident's report as of its last change (`build_report`, the domain's
own), as JSON through the one converter; a reader gets it as of now with
`report_as_of` (only the UU PDP 3x24 h outcome and the time it was generated depend on the
moment). `incident_order` keeps each incident's place in the log, so the list comes in the
order the application lists incidents (the order they were opened).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import partial
from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic
from sqlalchemy import Boolean, Column, Index, Integer, MetaData, String, Table, Text

from socmed_adapters.projections.base import BatchWriter, SqlProjection
from socmed_adapters.projections.sqltypes import UtcDateTime
from socmed_domain.crisis.incident import Incident
from socmed_domain.crisis.report import IncidentReport, build_report
from socmed_domain.events import AuditedEvent
from socmed_domain.transcoding import converter


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, UUID | Decimal):
        return str(value)
    raise TypeError(f"not JSON: {type(value).__name__}")


def report_text(report: IncidentReport) -> str:
    return json.dumps(converter.unstructure(report), default=_json_default,
                      separators=(",", ":"), sort_keys=True)


def report_from(text: str) -> IncidentReport:
    return converter.structure(json.loads(text), IncidentReport)


class Incidents(SqlProjection):
    name = "incidents"
    partitionable = True  # every row comes from one aggregate's events
    version = 1
    needs_aggregate = True
    topics = tuple(sorted(
        get_topic(cls) for cls in vars(Incident).values()
        if isinstance(cls, type) and issubclass(cls, AuditedEvent) and cls.__name__ != "Event"))

    def define_tables(self, metadata: MetaData) -> Iterable[Table]:
        incidents = Table(
            "incidents", metadata,
            Column("incident_id", String(36), primary_key=True),
            Column("ref", String(36), nullable=False),
            Column("title", Text, nullable=False),
            Column("category", String(32), nullable=False),
            Column("status", String(32), nullable=False),
            Column("level", Integer, nullable=True),
            Column("is_open", Boolean, nullable=False),
            Column("freezing", Boolean, nullable=False),
            Column("opened_at", UtcDateTime, nullable=False),
            Column("updated_at", UtcDateTime, nullable=False),
            Column("version", Integer, nullable=False),
            Column("report", Text, nullable=False),
            Index("ix_incidents_open", "is_open"),
        )
        order = Table(
            "incident_order", metadata,
            Column("incident_id", String(36), primary_key=True),
            Column("position", Integer, nullable=False),
            Index("ix_incident_order_position", "position"),
        )
        return [incidents, order]

    def apply(self, writer: BatchWriter, event: Any, position: int, aggregate: Any) -> None:
        if not isinstance(event, Incident.Event) or aggregate is None:
            return
        key = str(aggregate.id)
        if isinstance(event, Incident.IncidentOpened):
            writer.upsert(self.tables["incident_order"], (key,),
                          {"incident_id": key, "position": position})
        writer.upsert(self.tables["incidents"], (key,), partial(self.row, aggregate))

    @staticmethod
    def row(incident: Incident) -> dict[str, Any]:
        report = build_report(incident)
        return {
            "incident_id": str(incident.id),
            "ref": incident.ref,
            "title": incident.title,
            "category": incident.category.value,
            "status": incident.status.value,
            "level": incident.level,
            "is_open": incident.is_open,
            "freezing": incident.is_freezing_publishing,
            "opened_at": incident.opened_at,
            "updated_at": incident.modified_on,
            "version": incident.version,
            "report": report_text(report),
        }
