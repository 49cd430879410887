from __future__ import annotations

from django.urls import path

from tend.coordination import views

app_name = "coordination"

urlpatterns = [
    path("providers/", views.providers, name="providers"),
    path("providers/<uuid:provider_id>/", views.provider_edit, name="provider_edit"),
    path("resources/", views.resources, name="resources"),
    path("resources/new/", views.resource_new, name="resource_new"),
    path("resources/<uuid:resource_id>/", views.resource, name="resource"),
    path("resources/<uuid:resource_id>/edit/", views.resource_edit, name="resource_edit"),
    path("clients/<uuid:client_id>/", views.client_coordination, name="client"),
    path("clients/<uuid:client_id>/team/", views.team_member_add, name="team_member_add"),
    path("clients/<uuid:client_id>/consents/", views.consents, name="consents"),
    path("clients/<uuid:client_id>/packet/", views.packet, name="packet"),
    path("clients/<uuid:client_id>/client-copy/", views.client_copy, name="client_copy"),
    path("clients/<uuid:client_id>/accounting/", views.accounting, name="accounting"),
    path("clients/<uuid:client_id>/accounting.pdf", views.accounting_pdf, name="accounting_pdf"),
    path("clients/<uuid:client_id>/referrals/new/", views.referral_new, name="referral_new"),
    path(
        "clients/<uuid:client_id>/referrals/targets/",
        views.referral_targets,
        name="referral_targets",
    ),
    path("clients/<uuid:client_id>/contacts/new/", views.contact_new, name="contact_new"),
    path("consents/<uuid:consent_id>/", views.consent, name="consent"),
    path("consents/<uuid:consent_id>/revoke/", views.consent_revoke, name="consent_revoke"),
    path("consents/<uuid:consent_id>/scan/", views.consent_scan, name="consent_scan"),
    path("disclosures/<uuid:disclosure_id>/", views.disclosure, name="disclosure"),
    path(
        "disclosures/<uuid:disclosure_id>/packet.pdf",
        views.disclosure_file,
        {"fmt": "pdf"},
        name="disclosure_pdf",
    ),
    path(
        "disclosures/<uuid:disclosure_id>/bundle.json",
        views.disclosure_file,
        {"fmt": "fhir"},
        name="disclosure_fhir",
    ),
    path("referrals/<uuid:referral_id>/", views.referral, name="referral"),
]
