"""Step 5: PHQ-9 every four weeks (the profile's measure interval) for every episode with
sessions (GAD-7 for two clients in five), administered at the session, improving,
unchanged or worsening over the episode; scored by `scored_fields`, as recorded responses
are. Each client's totals stay on the run for the plan reviews (step 6)."""

from __future__ import annotations

from tend.measures.instruments import Instrument, load_instruments
from tend.measures.models import MeasureResponse
from tend.measures.services import ScoredFields, scored_fields
from tend.scale.run import EpisodePlan, SeedRun

_ITEMS = {"phq9": 9, "gad7": 7}
_TRAJECTORIES = ("improving", "improving", "improving", "unchanged", "worsening")
ScoredAnswers = tuple[dict[str, int], ScoredFields]


def seed_measures(run: SeedRun) -> None:
    instruments = load_instruments()
    pools = {key: _pool(run, instruments[key], items) for key, items in _ITEMS.items()}
    planned = [_administrations(run, plan) for plan in run.episodes]
    run.start_step("measures", sum(len(weeks) * 2 for weeks in planned))
    run.save(
        MeasureResponse,
        (
            row
            for plan, weeks in zip(run.episodes, planned, strict=True)
            for row in _responses(run, plan, weeks, pools)
        ),
    )
    run.finish_step()


def _pool(run: SeedRun, instrument: Instrument, items: int) -> dict[int, list[ScoredAnswers]]:
    """For each total, a few answer sets (item 9 of the PHQ-9 never endorsed) and their
    stored score fields."""
    top = 3 * (items - 1) if items == 9 else 3 * items
    pool: dict[int, list[ScoredAnswers]] = {}
    for total in range(top + 1):
        pool[total] = []
        for _ in range(4):
            values = [0] * items
            remaining = total
            while remaining:
                index = run.rng.randrange(items - 1 if items == 9 else items)
                if values[index] < 3:
                    values[index] += 1
                    remaining -= 1
            answers = {str(n + 1): value for n, value in enumerate(values)}
            pool[total].append((answers, scored_fields(instrument, answers=answers)))
    return pool


def _administrations(run: SeedRun, plan: EpisodePlan) -> list[int]:
    last = min(plan.last_week, run.this_week - 1)
    return [week for week in plan.weeks() if week <= last][
        :: run.profile.measure_every_weeks // plan.interval or 1
    ]


def _responses(
    run: SeedRun,
    plan: EpisodePlan,
    weeks: list[int],
    pools: dict[str, dict[int, list[ScoredAnswers]]],
) -> list[MeasureResponse]:
    rng = run.rng
    trajectory = rng.choice(_TRAJECTORIES)
    instruments = ("phq9", "gad7") if rng.random() < 0.4 else ("phq9",)
    rows = []
    history = run.scores.setdefault(plan.client.pk, {})
    for instrument_id in instruments:
        scores = history.setdefault(instrument_id, [])
        top = max(pools[instrument_id])
        start, end = _ends(rng.random(), trajectory, top)
        for step, week in enumerate(weeks):
            planned = start + (end - start) * step / max(1, len(weeks) - 1)
            total = max(0, min(top, round(planned + rng.uniform(-2, 2))))
            answers, fields = rng.choice(pools[instrument_id][total])
            administered_at = run.at(week, plan.weekday, plan.hour)
            scores.append((administered_at, total))
            rows.append(
                MeasureResponse(
                    organization=run.organization,
                    client=plan.client,
                    instrument_id=instrument_id,
                    administered_at=administered_at,
                    mode=MeasureResponse.Mode.IN_SESSION
                    if rng.random() < 0.8
                    else MeasureResponse.Mode.CLIENT_LINK,
                    answers=answers,
                    entered_by=plan.clinician,
                    **fields,
                )
            )
    return rows


def _ends(roll: float, trajectory: str, top: int) -> tuple[float, float]:
    if trajectory == "improving":
        return top * (0.55 + 0.2 * roll), top * (0.1 + 0.15 * roll)
    if trajectory == "worsening":
        return top * (0.2 + 0.1 * roll), top * (0.5 + 0.2 * roll)
    level = top * (0.3 + 0.2 * roll)
    return level, level
