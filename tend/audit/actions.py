"""The catalogue of audit actions. An action not registered here is refused.

Namespaced by the app that owns the event: `<app>.<past-tense verb>`. Each domain app
registers its own actions from its AppConfig.ready() with `register_actions`.
"""

from __future__ import annotations

_ACTIONS: set[str] = {
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
}


def register_actions(namespace: str, *verbs: str) -> None:
    """Add `<namespace>.<verb>` actions to the catalogue (called from AppConfig.ready)."""
    for verb in verbs:
        if "." in verb:
            raise ValueError(f"Register the verb only, without a namespace: {verb!r}")
        _ACTIONS.add(f"{namespace}.{verb}")


def is_known_action(action: str) -> bool:
    return action in _ACTIONS
