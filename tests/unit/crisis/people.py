"""Who acts in the crisis tests, when they start, and the measurements they start from."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from socmed_domain.actor import Actor
from socmed_domain.crisis.impact import ImpactSignals
from socmed_domain.roles import Role
from socmed_domain.timezones import WIB

T0 = datetime(2026, 12, 1, 9, tzinfo=WIB)
RINA = Actor("rina", "Rina MM", Role.MARKETING_MANAGER)
BUDI = Actor("budi", "Budi DM", Role.DIGITAL_MARKETING)
ADI = Actor("adi", "Adi Admin", Role.SOCIAL_MEDIA_ADMIN)
LIA = Actor("lia", "Lia Legal", Role.LEGAL)
MAYA = Actor("maya", "Maya Agency", Role.AGENCY)
EVERYONE = (RINA, BUDI, ADI, LIA, MAYA)
VIRAL = ImpactSignals(negative_mentions=80, baseline_mean=Decimal(10))  # suggests level 3
WAVE = ImpactSignals(negative_mentions=30, baseline_mean=Decimal(10))  # suggests level 2
