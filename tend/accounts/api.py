from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from tend.accounts.schemas import MeOut, OrganizationOut
from tend.core.api import requires
from tend.core.tenancy import Tenancy

router = Router(tags=["accounts"])


def _organizations(tenancy: Tenancy) -> list[OrganizationOut]:
    return [
        OrganizationOut(
            id=org.public_id,
            name=org.name,
            kind=org.kind,
            state=org.state,
            timezone=org.timezone,
            roles=sorted(tenancy.roles_for(org)),
        )
        for org in tenancy.organizations
    ]


@router.get("/me", response=MeOut)
@requires(None)
def me(request: HttpRequest) -> MeOut:
    """The signed-in user (or the token's owner) and the organizations they act in."""
    tenancy: Tenancy = request.tenancy  # type: ignore[attr-defined]
    user = request.user
    return MeOut(
        id=user.public_id,  # type: ignore[union-attr]
        email=user.email,  # type: ignore[union-attr]
        display_name=user.display_name,  # type: ignore[union-attr]
        current_organization=tenancy.current.public_id if tenancy.current else None,
        organizations=_organizations(tenancy),
    )


@router.get("/organizations", response=list[OrganizationOut])
@requires(None)
def organizations(request: HttpRequest) -> list[OrganizationOut]:
    """Organizations the caller may act in (a token sees only its own organization)."""
    return _organizations(request.tenancy)  # type: ignore[attr-defined]
