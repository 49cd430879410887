from __future__ import annotations

from ninja import Router

from tend.accounts.schemas import MeOut, MeUpdateIn, OrganizationOut
from tend.accounts.services import user_display_name_set
from tend.core.api import requires
from tend.core.tenancy import Tenancy
from tend.core.typing import MemberRequest

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
def me(request: MemberRequest) -> MeOut:
    """The signed-in user (or the token's owner) and the organizations they act in."""
    tenancy: Tenancy = request.tenancy
    user = request.user
    return MeOut(
        id=user.public_id,
        email=user.email,
        display_name=user.display_name,
        current_organization=tenancy.current.public_id if tenancy.current else None,
        organizations=_organizations(tenancy),
    )


@router.patch("/me", response=MeOut)
@requires(None)
def update_me(request: MemberRequest, payload: MeUpdateIn) -> MeOut:
    """Change the caller's display name (needs a read-write token)."""
    user_display_name_set(user=request.user, display_name=payload.display_name)
    return me(request)


@router.get("/organizations", response=list[OrganizationOut])
@requires(None)
def organizations(request: MemberRequest) -> list[OrganizationOut]:
    """Organizations the caller may act in (a token sees only its own organization)."""
    return _organizations(request.tenancy)
