from __future__ import annotations

from datetime import timedelta

import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.conftest import Cast, signed_in


def test_a_session_ends_after_fifteen_idle_minutes(cast: Cast) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client = signed_in(cast.clinician)
        assert client.get(reverse("core:dashboard")).status_code == 200
        traveller.shift(timedelta(minutes=15, seconds=1))
        response = client.get(reverse("core:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_activity_keeps_the_session_alive(cast: Cast) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client = signed_in(cast.clinician)
        for _ in range(4):
            traveller.shift(timedelta(minutes=14))
            assert client.get(reverse("core:dashboard")).status_code == 200


def test_the_timeout_is_configurable(cast: Cast, settings: object) -> None:
    settings.SESSION_COOKIE_AGE = 5 * 60  # type: ignore[attr-defined]
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client = signed_in(cast.clinician)
        traveller.shift(timedelta(minutes=5, seconds=1))
        assert client.get(reverse("core:dashboard")).status_code == 302


def _session_writes(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("core:dashboard")).status_code == 200
    return sum(
        1 for query in queries if "django_session" in query["sql"] and "SELECT" not in query["sql"]
    )


def test_the_session_is_written_at_most_once_a_minute(cast: Cast) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client = signed_in(cast.clinician)
        assert _session_writes(client) == 0
        traveller.shift(timedelta(seconds=59))
        assert _session_writes(client) == 0
        traveller.shift(timedelta(seconds=1))
        assert _session_writes(client) == 1
        traveller.shift(timedelta(seconds=30))
        assert _session_writes(client) == 0


def test_an_idle_session_never_outlives_the_timeout(cast: Cast) -> None:
    # Renewed at sign-in; a request 50 s later does not renew it; the session still ends
    # fifteen minutes after the renewal, not after that later request.
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client = signed_in(cast.clinician)
        assert client.get(reverse("core:dashboard")).status_code == 200
        traveller.shift(timedelta(seconds=50))
        assert client.get(reverse("core:dashboard")).status_code == 200
        traveller.shift(timedelta(minutes=14, seconds=11))
        response = client.get(reverse("core:dashboard"))
    assert response.status_code == 302
