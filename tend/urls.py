from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from tend.api import api

urlpatterns = [
    path("", include("tend.core.urls")),
    path("", include("tend.accounts.urls")),
    path("audit/", include("tend.audit.urls")),
    path("clients/", include("tend.clients.urls")),
    path("assessments/", include("tend.assessments.urls")),
    path("measures/", include("tend.measures.urls")),
    path("plans/", include("tend.plans.urls")),
    path("care/", include("tend.care.urls")),
    path("coordination/", include("tend.coordination.urls")),
    path("supervision/", include("tend.supervision.urls")),
    path("licensure/", include("tend.licensure.urls")),
    path("careers/", include("tend.careers.urls")),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
