from __future__ import annotations

from django.urls import path

from tend.clients import views

app_name = "clients"

urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("results/", views.caseload_results, name="caseload_results"),
    path("new/", views.client_new, name="client_new"),
    path("<uuid:client_id>/", views.chart, name="chart"),
    path("<uuid:client_id>/edit/", views.client_edit, name="client_edit"),
    path("<uuid:client_id>/status/", views.client_status, name="client_status"),
    path("<uuid:client_id>/episodes/new/", views.episode_new, name="episode_new"),
    path(
        "episodes/<uuid:episode_id>/discharge/",
        views.episode_discharge,
        name="episode_discharge",
    ),
    path("<uuid:client_id>/care-team/", views.care_team, name="care_team"),
    path("care-team/<uuid:member_id>/end/", views.care_team_end, name="care_team_end"),
    path("<uuid:client_id>/groups/", views.case_groups, name="case_groups"),
    path("<uuid:client_id>/groups/join/", views.case_group_join, name="case_group_join"),
    path(
        "<uuid:client_id>/groups/<uuid:group_id>/leave/",
        views.case_group_leave,
        name="case_group_leave",
    ),
    path("<uuid:client_id>/emergency-access/", views.break_glass, name="break_glass"),
]
