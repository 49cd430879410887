"""The starter library: its numbers are instrument thresholds from data/instruments.yaml."""

from __future__ import annotations

from pathlib import Path

import yaml

from tend.audit.models import AuditEvent
from tend.measures.instruments import load_instruments
from tend.plans.models import ObjectiveTemplate, PlanTemplate
from tend.plans.services import plan_library_seed
from tests.conftest import Cast

LIBRARY = yaml.safe_load(
    (Path(__file__).resolve().parents[2] / "data" / "plan_library.yaml").read_text()
)


def test_every_instrument_target_is_the_edge_of_a_band_or_cut_off_of_that_instrument() -> None:
    instruments = load_instruments()
    checked = []
    for template in LIBRARY["templates"]:
        for objective in template["objectives"]:
            if objective["metric_kind"] != "instrument_score":
                continue
            instrument = instruments[objective["instrument_id"]]
            target = objective["target"]
            # "at most target" must end exactly where a band ends or below a caseness cut-off.
            band_tops = {band.upper for band in instrument.bands if band.upper_inclusive}
            cutoff = instrument.change_rules.caseness_cutoff
            assert target in band_tops or (cutoff is not None and target == cutoff - 1), (
                template["key"],
                target,
            )
            assert objective["threshold_source"].startswith(f"instruments.yaml {instrument.id}")
            checked.append((template["key"], instrument.id, target))
    assert checked == [
        ("depression", "phq9", 9),
        ("anxiety", "gad7", 7),
        ("trauma", "pcl5", 30),
        ("substance_use", "audit", 7),
    ]


def test_seeding_copies_the_library_once_and_keeps_edits(cast: Cast) -> None:
    assert plan_library_seed(organization=cast.organization, actor=cast.clinician) == 4
    PlanTemplate.objects.filter(key="depression").update(title="Low mood")
    assert plan_library_seed(organization=cast.organization, actor=cast.clinician) == 0
    assert list(
        PlanTemplate.objects.filter(organization=cast.organization).values_list("key", "title")
    ) == [
        ("substance_use", "Alcohol use"),
        ("anxiety", "Generalized anxiety"),
        ("depression", "Low mood"),
        ("trauma", "Trauma-related distress"),
    ]
    assert ObjectiveTemplate.objects.count() == 8
    assert list(
        AuditEvent.objects.filter(action="plans.library_seeded").values_list("extra", flat=True)
    ) == [{"added": 4}, {"added": 0}]
    assert PlanTemplate.objects.filter(organization=cast.other_organization).count() == 0
