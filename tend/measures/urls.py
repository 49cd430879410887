from __future__ import annotations

from django.urls import path

from tend.measures import views

app_name = "measures"

urlpatterns = [
    path("clients/<uuid:client_id>/", views.client_measures, name="client_measures"),
    path("clients/<uuid:client_id>/administer/", views.choose_instrument, name="choose"),
    path(
        "clients/<uuid:client_id>/administer/<slug:instrument_id>/",
        views.administer,
        name="administer",
    ),
    path("clients/<uuid:client_id>/links/", views.send_link, name="send_link"),
    path("clients/<uuid:client_id>/risk/", views.risk_assessment, name="risk_assessment"),
    path("clients/<uuid:client_id>/safety-plan/", views.safety_plan_edit, name="safety_plan_edit"),
    path("clients/<uuid:client_id>/schedules/", views.schedule_create, name="schedule_create"),
    path("schedules/<uuid:schedule_id>/stop/", views.schedule_stop, name="schedule_stop"),
    path("responses/<uuid:response_id>/", views.response_detail, name="response"),
    path("alerts/<uuid:alert_id>/", views.alert_detail, name="alert"),
    path("safety-plans/<uuid:plan_id>/", views.safety_plan, name="safety_plan"),
    path("safety-plans/<uuid:plan_id>/pdf/", views.safety_plan_pdf, name="safety_plan_pdf"),
    path("safety-plans/<uuid:plan_id>/share/", views.safety_plan_share, name="safety_plan_share"),
    path("outcomes/", views.caseload_outcomes, name="outcomes"),
    path("outcomes/organization/", views.organization_outcomes, name="organization_outcomes"),
    # The only routes without sign-in: a client's one-time link and its thank-you page.
    path("l/thanks/", views.client_link_thanks, name="client_link_thanks"),
    path("l/<str:token>/", views.client_link, name="client_link"),
]
