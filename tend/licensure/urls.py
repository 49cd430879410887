from __future__ import annotations

from django.urls import path

from tend.licensure import views

app_name = "licensure"

urlpatterns = [
    path("", views.my_licenses, name="licenses"),
    path("licenses/<uuid:license_id>/update/", views.license_update, name="license_update"),
    path("privileges/add/", views.privilege_add, name="privilege_add"),
    path("exams/add/", views.exam_attempt_add, name="exam_attempt_add"),
]
