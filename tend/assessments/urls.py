from __future__ import annotations

from django.urls import path

from tend.assessments import views

app_name = "assessments"

urlpatterns = [
    path("clients/<uuid:client_id>/start/", views.assessment_start, name="start"),
    path("clients/<uuid:client_id>/diagnoses/", views.diagnoses, name="diagnoses"),
    path("clients/<uuid:client_id>/diagnoses/new/", views.diagnosis_add, name="diagnosis_add"),
    path("diagnoses/search/", views.diagnosis_search, name="diagnosis_search"),
    path(
        "diagnoses/<uuid:diagnosis_id>/change/",
        views.diagnosis_change,
        name="diagnosis_change",
    ),
    path("template/", views.template_edit, name="template"),
    path("<uuid:assessment_id>/", views.assessment_detail, name="detail"),
    path("<uuid:assessment_id>/edit/", views.assessment_edit, name="edit"),
    path("<uuid:assessment_id>/autosave/", views.assessment_autosave, name="autosave"),
    path("<uuid:assessment_id>/addenda/", views.addendum_add, name="addendum_add"),
    path("<uuid:assessment_id>/pdf/", views.assessment_pdf, name="pdf"),
]
