"""The measures demo: months of PHQ-9/GAD-7 history with every kind of change, one risk
story, a few schedules, loaded quickly."""

from __future__ import annotations

from collections import Counter

from tend.clients import demo as clients_demo
from tend.demo.people import create_demo_people
from tend.measures import demo
from tend.measures.models import MeasureResponse, MeasureSchedule, RiskAlert, SafetyPlan
from tend.measures.selectors import measures_overview, risk_status


def test_the_demo_tells_improvement_no_change_deterioration_and_a_risk_story(db: None) -> None:
    organizations = create_demo_people()
    clients_demo.load(organizations)
    demo.load(organizations)

    # Each score is recorded through the service (and audited); a bounded number keeps
    # `tend demo` quick (about 3 s for this app on SQLite).
    assert MeasureResponse.objects.count() <= 300
    labels: Counter[str] = Counter()
    clients = {response.client for response in MeasureResponse.objects.select_related("client")}
    for client in clients:
        for series in measures_overview(client).series:
            label = series.latest.change.label if series.latest.change else None
            labels[label or "none"] += 1
    assert labels["improved"] + labels["recovered"] >= 5
    assert labels["no reliable change"] >= 3
    assert labels["deteriorated"] >= 2

    assert SafetyPlan.objects.count() == len(organizations)
    for plan in SafetyPlan.objects.select_related("client"):
        status = risk_status(plan.client)
        assert status.flag_raised is True
        assert status.assessment is not None and status.assessment.level == "low"
        assert len(status.open_alerts) >= 1
    assert RiskAlert.objects.filter(acknowledged_at__isnull=False).count() >= 2
    assert MeasureSchedule.objects.count() == 3 * len(organizations)
