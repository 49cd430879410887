"""A clinician's schedule as an iCalendar feed (RFC 5545).

The feed leaves Tend for phones and calendar services, so it carries times and the type
of appointment only: never client names, and initials only when the organization has
chosen to show them. There is no description and no video link.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Final

from django.utils import timezone
from icalendar import Calendar, Event

from tend.care.models import Appointment, CalendarFeed
from tend.care.selectors import care_settings_for, feed_appointments

FEED_PAST: Final = timedelta(days=60)
FEED_FUTURE: Final = timedelta(days=366)

_STATUS = {
    Appointment.Status.SCHEDULED: "CONFIRMED",
    Appointment.Status.KEPT: "CONFIRMED",
    Appointment.Status.CANCELLED: "CANCELLED",
    Appointment.Status.LATE_CANCELLED: "CANCELLED",
    Appointment.Status.NO_SHOW: "CANCELLED",
}


def _initials(appointment: Appointment) -> str:
    return " ".join(
        f"{entry.client.legal_first_name[:1]}.{entry.client.legal_last_name[:1]}."
        for entry in appointment.participants.all()
    )


def clinician_feed(feed: CalendarFeed) -> bytes:
    """The feed's calendar: the clinician's appointments from 60 days back to a year ahead."""
    show_initials = care_settings_for(feed.organization).calendar_feed_initials
    now = timezone.now()
    calendar = Calendar()
    calendar.add("prodid", "-//Tend//Clinician schedule//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Tend schedule")
    for appointment in feed_appointments(
        feed.organization, feed.clinician, since=now - FEED_PAST, until=now + FEED_FUTURE
    ):
        event = Event()
        event.add("uid", f"{appointment.public_id}@tend")
        event.add("dtstamp", appointment.updated_at)
        event.add("dtstart", appointment.starts_at)
        event.add("dtend", appointment.ends_at)
        summary = f"{appointment.get_kind_display()} session"
        if show_initials:
            summary = f"{summary} ({_initials(appointment)})"
        event.add("summary", summary)
        event.add("location", appointment.get_location_display())
        event.add("status", _STATUS[Appointment.Status(appointment.status)])
        calendar.add_component(event)
    return calendar.to_ical()
