from __future__ import annotations

from django.urls import path

from tend.licensure import views

app_name = "licensure"

urlpatterns = [
    path("", views.my_licenses, name="licenses"),
    path("licenses/<uuid:license_id>/update/", views.license_update, name="license_update"),
    path("privileges/add/", views.privilege_add, name="privilege_add"),
    path("exams/add/", views.exam_attempt_add, name="exam_attempt_add"),
    path("hours/", views.my_hours, name="my_hours"),
    path("hours/<uuid:entry_id>/remove/", views.hours_entry_remove, name="hours_entry_remove"),
    path(
        "hours/<uuid:entry_id>/attachment/",
        views.hours_entry_attachment,
        name="hours_entry_attachment",
    ),
    path("hours/verification.pdf", views.my_verification_pdf, name="my_verification_pdf"),
    path("hours/organization/", views.organization_hours, name="organization_hours"),
    path("progress/", views.my_progress, name="my_progress"),
    path("supervisees/<uuid:supervisee_id>/", views.supervisee_hours, name="supervisee_hours"),
    path(
        "supervisees/<uuid:supervisee_id>/verify/",
        views.supervisee_verify,
        name="supervisee_verify",
    ),
    path(
        "supervisees/<uuid:supervisee_id>/verification.pdf",
        views.supervisee_verification_pdf,
        name="supervisee_verification_pdf",
    ),
]
