from __future__ import annotations

from datetime import timedelta

import time_machine
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
