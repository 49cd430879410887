from __future__ import annotations

from django.urls import path

from tend.care import views

app_name = "care"

urlpatterns = [
    path("calendar/", views.calendar_home, name="calendar_home"),
    path("calendar/<uuid:clinician_id>/", views.calendar, name="calendar"),
    path("schedule/", views.front_desk, name="front_desk"),
    path("appointments/new/", views.appointment_new, name="appointment_new"),
    path("appointments/<uuid:appointment_id>/", views.appointment_detail, name="appointment"),
    path(
        "appointments/<uuid:appointment_id>/reschedule/",
        views.appointment_reschedule,
        name="appointment_reschedule",
    ),
    path(
        "appointments/<uuid:appointment_id>/status/",
        views.appointment_status,
        name="appointment_status",
    ),
    path("calendar-feed/", views.calendar_feed, name="calendar_feed"),
    path("calendar-feed/new/", views.calendar_feed_create, name="calendar_feed_create"),
    path("calendar-feed/revoke/", views.calendar_feed_revoke, name="calendar_feed_revoke"),
    path("feed/<str:feed_token>.ics", views.ical_feed, name="ical_feed"),
    path("clients/<uuid:client_id>/sessions/", views.client_sessions, name="client_sessions"),
]

urlpatterns += [
    path("appointments/<uuid:appointment_id>/note/", views.note_start, name="note_start"),
    path(
        "appointments/<uuid:appointment_id>/process-note/",
        views.process_note,
        name="process_note",
    ),
    path(
        "appointments/<uuid:appointment_id>/process-note/release/",
        views.process_note_release,
        name="process_note_release",
    ),
    path("notes/<uuid:note_id>/", views.note_page, name="note"),
    path("notes/<uuid:note_id>/draft/", views.note_draft, name="note_draft"),
    path("notes/<uuid:note_id>/sign/", views.note_sign, name="note_sign"),
    path("notes/<uuid:note_id>/addenda/", views.note_addendum, name="note_addendum"),
    path("notes/<uuid:note_id>/cosign/", views.note_cosign, name="note_cosign"),
    path("notes/<uuid:note_id>/return/", views.note_return, name="note_return"),
    path("cosign/", views.cosign_queue, name="cosign_queue"),
]

urlpatterns += [
    path("settings/", views.care_settings, name="settings"),
    path("rooms/", views.room_create, name="room_create"),
    path("rooms/<uuid:room_id>/", views.room_rename, name="room_rename"),
    path("groups/", views.therapy_groups, name="therapy_groups"),
    path("groups/new/", views.therapy_group_new, name="therapy_group_new"),
    path("groups/<uuid:therapy_group_id>/", views.therapy_group, name="therapy_group"),
    path(
        "groups/<uuid:therapy_group_id>/members/",
        views.therapy_group_member_add,
        name="therapy_group_member_add",
    ),
    path(
        "groups/<uuid:therapy_group_id>/members/leave/",
        views.therapy_group_member_leave,
        name="therapy_group_member_leave",
    ),
]
