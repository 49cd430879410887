from __future__ import annotations

from django.urls import path

from tend.supervision import views

app_name = "supervision"

urlpatterns = [
    path("", views.home, name="home"),
    path("relationships/new/", views.relationship_new, name="relationship_new"),
    path(
        "relationships/<uuid:relationship_id>/",
        views.relationship_detail,
        name="relationship",
    ),
    path(
        "relationships/<uuid:relationship_id>/end/",
        views.relationship_end,
        name="relationship_end",
    ),
    path(
        "relationships/<uuid:relationship_id>/contract/",
        views.relationship_contract,
        name="relationship_contract",
    ),
    path("sessions/plan/", views.session_plan, name="session_plan"),
    path("sessions/<uuid:session_id>/sign/", views.session_sign, name="session_sign"),
    path("sessions/<uuid:session_id>/cancel/", views.session_cancel, name="session_cancel"),
]
