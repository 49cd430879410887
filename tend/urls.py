from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from tend.api import api

urlpatterns = [
    path("", include("tend.core.urls")),
    path("", include("tend.accounts.urls")),
    path("audit/", include("tend.audit.urls")),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
