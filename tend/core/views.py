from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tend.core.dashboard import panels_for
from tend.core.decorators import member_required, public_view
from tend.core.typing import MemberRequest


@member_required()
def dashboard(request: MemberRequest) -> HttpResponse:
    return render(request, "core/dashboard.html", {"panels": panels_for(request)})


@public_view
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
