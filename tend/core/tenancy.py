"""Which organization a request acts in, and with which roles."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tend.core.permissions import Capability, Role, capabilities_for, roles_need_mfa

if TYPE_CHECKING:
    from tend.accounts.models import Organization, User

SESSION_KEY = "tend_organization"


@dataclass
class Tenancy:
    """The acting user's memberships, loaded once per request."""

    organizations: list[Organization] = field(default_factory=list)
    roles_by_org: dict[int, frozenset[str]] = field(default_factory=dict)
    current: Organization | None = None

    @property
    def roles(self) -> frozenset[str]:
        return self.roles_for(self.current) if self.current else frozenset()

    @property
    def capabilities(self) -> frozenset[Capability]:
        return capabilities_for(self.roles)

    def roles_for(self, organization: Organization) -> frozenset[str]:
        return self.roles_by_org.get(organization.pk, frozenset())

    def capabilities_in(self, organization: Organization) -> frozenset[Capability]:
        return capabilities_for(self.roles_for(organization))

    def can(self, capability: Capability) -> bool:
        return capability in self.capabilities

    @property
    def role_labels(self) -> list[str]:
        return [Role(role).label for role in sorted(self.roles)]

    @property
    def needs_mfa(self) -> bool:
        return any(roles_need_mfa(roles) for roles in self.roles_by_org.values())


def load_tenancy(user: User, preferred_public_id: str | None) -> Tenancy:
    """Build the tenancy from one query over the user's memberships."""
    from tend.accounts.models import Membership

    roles: dict[int, set[str]] = defaultdict(set)
    organizations: dict[int, Organization] = {}
    for membership in Membership.objects.filter(user=user).select_related("organization"):
        organizations[membership.organization_id] = membership.organization
        roles[membership.organization_id].add(membership.role)
    ordered = sorted(organizations.values(), key=lambda org: org.name)
    current = next((org for org in ordered if str(org.public_id) == preferred_public_id), None)
    if current is None and ordered:
        current = ordered[0]
    return Tenancy(
        organizations=ordered,
        roles_by_org={pk: frozenset(values) for pk, values in roles.items()},
        current=current,
    )
