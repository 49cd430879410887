from __future__ import annotations

from django.urls import path

from tend.accounts import views

app_name = "accounts"

urlpatterns = [
    path("people/", views.people, name="people"),
    path("people/invite/", views.invite, name="invite"),
    path(
        "people/invitations/<uuid:invitation_id>/revoke/",
        views.revoke_invitation,
        name="revoke_invitation",
    ),
    path("people/<uuid:user_id>/roles/", views.member_roles, name="member_roles"),
    path("organization/", views.organization_settings, name="organization_settings"),
    path("organization/switch/", views.switch_organization, name="switch_organization"),
    path("profile/", views.profile, name="profile"),
    path("profile/degrees/", views.add_degree, name="add_degree"),
    path("profile/tokens/", views.access_tokens, name="access_tokens"),
    path(
        "profile/tokens/<uuid:token_id>/revoke/",
        views.revoke_access_token,
        name="revoke_access_token",
    ),
    path("invitations/<str:token>/", views.accept_invitation, name="accept_invitation"),
]
