"""The audit index: one row per stored event, indexed by item, actor, type and time, so Legal's
queries do not scan the whole log."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Column, Index, Integer, MetaData, String, Table, Text

from socmed_adapters.projections.base import BatchWriter, SqlProjection
from socmed_adapters.projections.sqltypes import UtcDateTime
from socmed_domain.kernel import audit_fields
from socmed_domain.views import via_kind


class AuditIndex(SqlProjection):
    name = "audit_index"
    partitionable = True  # every row comes from one aggregate's events
    version = 2  # 2: how each actor was established (via, and its kind for filtering)

    def define_tables(self, metadata: MetaData) -> Iterable[Table]:
        return [Table(
            "audit_index", metadata,
            Column("position", Integer, primary_key=True, autoincrement=False),
            Column("at", UtcDateTime, nullable=False),
            Column("aggregate", String(64), nullable=False),
            Column("aggregate_id", String(36), nullable=False),
            Column("version", Integer, nullable=False),
            Column("event_type", String(64), nullable=False),
            Column("actor_id", String(64), nullable=False),
            Column("actor_role", String(32), nullable=False),
            Column("code", String(64), nullable=False),
            Column("params", Text, nullable=False),
            Column("reason", Text, nullable=False),
            Column("via", String(300), nullable=False, default=""),
            Column("via_kind", String(16), nullable=False, default=""),
            Index("ix_audit_index_aggregate_id", "aggregate_id", "position"),
            Index("ix_audit_index_via_kind", "via_kind", "position"),
            Index("ix_audit_index_actor_id", "actor_id", "position"),
            Index("ix_audit_index_event_type", "event_type", "position"),
            Index("ix_audit_index_at", "at"),
        )]

    def apply(self, writer: BatchWriter, event: Any, position: int, aggregate: Any) -> None:
        row = audit_fields(position, event)  # the audit entry's fields
        params = row["params"]
        row["params"] = _dumps(params) if params else "{}"
        row["via_kind"] = via_kind(row["via"])
        writer.insert(self.table, row)

    @property
    def table(self) -> Table:
        return self.tables["audit_index"]


_dumps = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                          default=str).encode
