from __future__ import annotations

import uuid

from ninja import Schema


class OrganizationOut(Schema):
    id: uuid.UUID
    name: str
    kind: str
    state: str
    timezone: str
    roles: list[str]


class MeOut(Schema):
    id: uuid.UUID
    email: str
    display_name: str
    current_organization: uuid.UUID | None
    organizations: list[OrganizationOut]


class MeUpdateIn(Schema):
    display_name: str
