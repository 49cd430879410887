"""Progress of an objective, pre-filled for a plan review from recorded data.

Pure functions over explicit data: the review selector gathers the data (instrument totals
from the measures app, values recorded from progress notes) and these decide what the
review suggests. The clinician confirms or overrides each suggestion with a reason.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from tend.measures.instruments import change_between, load_instruments
from tend.plans.models import Direction, MetricKind, Objective, ObjectiveReview, ObjectiveStatus

type ScoreHistory = Sequence[tuple[datetime, float]]
type ValueHistory = Sequence[tuple[date, Decimal]]


@dataclass(frozen=True)
class ProgressPrefill:
    source: str  # ObjectiveReview.Source
    latest_value: Decimal | None
    latest_on: date | None
    change_from_baseline: Decimal | None
    target_met: bool | None
    suggested_status: str  # ObjectiveStatus
    band_label: str | None = None
    change_label: str | None = None  # the instrument engine's reliable-change label


def _decimal(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.1"))


def _met(value: Decimal, target: Decimal, direction: str) -> bool:
    return value <= target if direction == Direction.AT_MOST else value >= target


def _status_by_sign(improvement: Decimal) -> str:
    if improvement > 0:
        return ObjectiveStatus.PROGRESSING
    if improvement < 0:
        return ObjectiveStatus.REGRESSED
    return ObjectiveStatus.NO_CHANGE


def instrument_progress(
    *,
    instrument_id: str,
    baseline: Decimal | None,
    target: Decimal,
    direction: str,
    scores: ScoreHistory,
    current_status: str,
    timezone: ZoneInfo,
) -> ProgressPrefill:
    """Latest total of the instrument, its change from the objective's baseline and
    whether the target is met.

    The suggested status is "achieved" when the target is met; otherwise it follows the
    instrument engine's reliable-change label where the data gives a reliable-change
    threshold (improved → progressing, deteriorated → regressed, no reliable change → no
    change), and the sign of the change where it does not.
    """
    if not scores:
        return ProgressPrefill(
            source=ObjectiveReview.Source.NONE,
            latest_value=None,
            latest_on=None,
            change_from_baseline=None,
            target_met=None,
            suggested_status=current_status,
        )
    instrument = load_instruments()[instrument_id]
    taken_at, total = max(scores, key=lambda score: score[0])
    latest = _decimal(total)
    band = instrument.band_for(total)
    met = _met(latest, target, direction)
    change = None
    change_label = None
    suggested = current_status
    if baseline is not None:
        change = latest - baseline
        if met:
            suggested = ObjectiveStatus.ACHIEVED
        else:
            judged = change_between(instrument, float(baseline), None, total)
            change_label = judged.label
            if judged.label in {"improved", "recovered"}:
                suggested = ObjectiveStatus.PROGRESSING
            elif judged.label == "deteriorated":
                suggested = ObjectiveStatus.REGRESSED
            elif judged.label == "no reliable change":
                suggested = ObjectiveStatus.NO_CHANGE
            else:
                suggested = _status_by_sign(_decimal(judged.improvement))
    elif met:
        suggested = ObjectiveStatus.ACHIEVED
    return ProgressPrefill(
        source=ObjectiveReview.Source.MEASURE,
        latest_value=latest,
        latest_on=taken_at.astimezone(timezone).date(),
        change_from_baseline=change,
        target_met=met,
        suggested_status=suggested,
        band_label=band.label if band else None,
        change_label=change_label,
    )


def recorded_progress(
    *,
    baseline: Decimal | None,
    target: Decimal,
    direction: str,
    values: ValueHistory,
    current_status: str,
) -> ProgressPrefill:
    """The latest value recorded from progress notes, judged against baseline and target."""
    if not values:
        return ProgressPrefill(
            source=ObjectiveReview.Source.NONE,
            latest_value=None,
            latest_on=None,
            change_from_baseline=None,
            target_met=None,
            suggested_status=current_status,
        )
    latest_on, latest = max(values, key=lambda value: value[0])
    met = _met(latest, target, direction)
    change = None if baseline is None else latest - baseline
    suggested: str
    if met:
        suggested = ObjectiveStatus.ACHIEVED
    elif change is not None:
        improvement = -change if direction == Direction.AT_MOST else change
        suggested = _status_by_sign(improvement)
    else:
        suggested = current_status
    return ProgressPrefill(
        source=ObjectiveReview.Source.NOTE,
        latest_value=latest,
        latest_on=latest_on,
        change_from_baseline=change,
        target_met=met,
        suggested_status=suggested,
    )


def objective_prefill(
    objective: Objective,
    *,
    scores: Mapping[str, ScoreHistory],
    values: Mapping[uuid.UUID, ValueHistory],
    timezone: ZoneInfo,
) -> ProgressPrefill:
    """What a review suggests for `objective`: from the client's instrument totals
    (`scores`, by instrument id) for an instrument objective, from the values recorded
    from progress notes (`values`, by objective lineage) for the others."""
    target = objective.target if objective.target is not None else Decimal(0)
    if objective.metric_kind == MetricKind.INSTRUMENT_SCORE:
        return instrument_progress(
            instrument_id=objective.instrument_id,
            baseline=objective.baseline,
            target=target,
            direction=objective.direction,
            scores=scores.get(objective.instrument_id, []),
            current_status=objective.status,
            timezone=timezone,
        )
    return recorded_progress(
        baseline=objective.baseline,
        target=target,
        direction=objective.direction,
        values=values.get(objective.lineage_id, []),
        current_status=objective.status,
    )
