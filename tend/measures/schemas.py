from __future__ import annotations

import uuid
from datetime import datetime

from ninja import Schema


class MeasureResponseOut(Schema):
    id: uuid.UUID
    instrument_id: str
    administered_at: datetime
    mode: str
    total: float | None
    band: str
    risk_level: str
    critical_items: list[str]
    change_label: str | None
    voided: bool


class RiskStatusOut(Schema):
    risk_level: str | None
    assessed_at: datetime | None
    flag_raised: bool
    safety_plan_version: int | None
    open_alerts: int
