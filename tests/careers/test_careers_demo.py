"""The careers demo: a full job board across the data's states and every setting."""

from __future__ import annotations

from django.utils import timezone

from tend.careers import demo as careers_demo
from tend.careers.models import JobApplication, JobPosting, SavedSearch, Setting
from tend.demo.people import create_demo_people
from tend.licensure import requirements


def test_the_demo_board_covers_every_state_and_setting_with_saved_searches(db: None) -> None:
    careers_demo.load(create_demo_people())
    today = timezone.localdate()

    postings = list(JobPosting.objects.all())
    assert len(postings) >= 300
    assert {state for p in postings for state in p.licensed_state_list} >= set(
        requirements.states()
    )
    assert {p.setting for p in postings} == set(Setting.values)
    assert any(not p.is_open_on(today) for p in postings)
    assert any(p.reconfirmed_on is not None for p in postings)
    assert JobApplication.objects.exists()
    saved = SavedSearch.objects.select_related("owner").order_by("owner__email", "name")
    assert [(s.owner.email, s.alerts_enabled) for s in saved] == [
        ("jordan.pike@riverbend.example", True),
        ("maya.okafor@riverbend.example", False),
        ("maya.okafor@riverbend.example", True),
    ]
