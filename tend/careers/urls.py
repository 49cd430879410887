from __future__ import annotations

from django.urls import path

from tend.careers import views

app_name = "careers"

urlpatterns = [
    path("", views.search, name="search"),
    path("jobs/<uuid:job_id>/", views.posting_detail, name="posting"),
    path("jobs/<uuid:job_id>/apply/", views.apply, name="apply"),
    path("applications/", views.my_applications, name="my_applications"),
    path(
        "applications/<uuid:my_application_id>/withdraw/",
        views.application_withdraw,
        name="application_withdraw",
    ),
    path("saved/", views.saved_searches, name="saved_searches"),
    path("saved/new/", views.saved_search_create, name="saved_search_create"),
    path(
        "saved/<uuid:saved_search_id>/alerts/",
        views.saved_search_alerts,
        name="saved_search_alerts",
    ),
    path(
        "saved/<uuid:saved_search_id>/delete/",
        views.saved_search_delete,
        name="saved_search_delete",
    ),
    path("alerts/stop/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("explore/", views.explore, name="explore"),
    path("explore/<str:family>/<str:state>/", views.explore_path, name="explore_path"),
    path("manage/", views.manage, name="manage"),
    path("manage/new/", views.posting_new, name="posting_new"),
    path("manage/<uuid:posting_id>/edit/", views.posting_edit, name="posting_edit"),
    path("manage/<uuid:posting_id>/reconfirm/", views.posting_reconfirm, name="posting_reconfirm"),
    path("manage/<uuid:posting_id>/close/", views.posting_close, name="posting_close"),
    path("manage/<uuid:posting_id>/applications/", views.pipeline, name="pipeline"),
    path(
        "manage/applications/<uuid:application_id>/",
        views.application_detail,
        name="application",
    ),
]
