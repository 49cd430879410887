"""The catalogue of audit actions. An action not listed here is refused.

Namespaced by the app that owns the event: `<app>.<past-tense verb>`.
"""

from __future__ import annotations

ACTIONS: frozenset[str] = frozenset(
    {
        # accounts
        "accounts.login",
        "accounts.login_failed",
        "accounts.logout",
        "accounts.organization_created",
        "accounts.organization_updated",
        "accounts.member_added",
        "accounts.member_roles_changed",
        "accounts.invitation_sent",
        "accounts.invitation_revoked",
        "accounts.invitation_accepted",
        "accounts.profile_updated",
        "accounts.token_created",
        "accounts.token_revoked",
        "accounts.mfa_enabled",
        "accounts.mfa_disabled",
        # audit
        "audit.viewed",
        "audit.chain_verified",
    }
)
