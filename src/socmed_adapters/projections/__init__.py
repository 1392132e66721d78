"""SQL read models built from the event log: each event applied exactly once, rebuildable.

A projection is a set of SQLAlchemy tables plus a handler per event type. The Projector reads
the application's notification log after the projection's tracked position and applies each
batch of events and the new position in one transaction, so a crash loses or repeats nothing.
"""

from socmed_adapters.projections.base import SqlProjection
from socmed_adapters.projections.projector import ProjectionStatus, Projector

__all__ = ["ProjectionStatus", "Projector", "SqlProjection"]
