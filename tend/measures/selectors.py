"""Reads for measurement-based care. Callers pass objects they fetched through an access
function; every function here runs a fixed number of queries whatever the data size."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from tend.accounts.models import Organization, User
from tend.clients.models import Client
from tend.core.dates import on_days
from tend.measures.charts import TrendChart, trend_chart
from tend.measures.instruments import Change, Instrument, change_between, load_instruments
from tend.measures.models import (
    ClientLink,
    MeasureResponse,
    MeasureSchedule,
    RiskAlert,
    RiskAssessment,
    SafetyPlan,
)


@dataclass(frozen=True)
class ScoreRow:
    response: MeasureResponse
    instrument: Instrument
    change: Change | None  # None for the baseline and for instruments without totals


# The chart's score tables show the latest few; the client's measures page has them all.
CHART_TABLE_ROWS = 10


@dataclass(frozen=True)
class Series:
    instrument: Instrument
    rows: list[ScoreRow]
    chart: TrendChart
    table_limit: int | None = None  # rows the score table shows, the latest; None: all

    @property
    def latest(self) -> ScoreRow:
        return self.rows[-1]

    @property
    def table_rows(self) -> list[ScoreRow]:
        """The rows the score table shows, oldest first."""
        return self.rows if self.table_limit is None else self.rows[-self.table_limit :]


@dataclass(frozen=True)
class RiskStatus:
    """What the chart header says about suicide risk.

    The flag is raised by the latest endorsed critical item and stays up until a
    clinician records a risk assessment after it: no later score, and in particular no
    negative PHQ-2 (which has no suicide item), ever lowers it.
    """

    assessment: RiskAssessment | None
    flagged_response: MeasureResponse | None
    safety_plan: SafetyPlan | None
    open_alerts: list[RiskAlert]

    @property
    def flag_raised(self) -> bool:
        if self.flagged_response is None:
            return False
        return (
            self.assessment is None
            or self.assessment.assessed_at < self.flagged_response.administered_at
        )

    @property
    def flagged_instrument(self) -> Instrument | None:
        if self.flagged_response is None:
            return None
        return load_instruments()[self.flagged_response.instrument_id]


def _latest_flagged(responses: Sequence[MeasureResponse]) -> MeasureResponse | None:
    """The newest response, of responses oldest first, that endorsed a critical item and
    was not voided: the one that raises the risk flag."""
    return next(
        (
            response
            for response in reversed(responses)
            if response.has_triggered_critical and response.voided_at is None
        ),
        None,
    )


def risk_status(client: Client, responses: Sequence[MeasureResponse] | None = None) -> RiskStatus:
    """Four queries, or three given all of the client's responses oldest first."""
    assessment = RiskAssessment.objects.filter(client=client).select_related("assessed_by").first()
    if responses is None:
        # Only the candidates are read; the rule that picks among them is the same.
        responses = list(
            MeasureResponse.objects.filter(client=client, has_triggered_critical=True)
            .defer("answers", "subscales")
            .order_by("administered_at", "id")
        )
    flagged = _latest_flagged(responses)
    plan = current_safety_plan(client)
    alerts = list(
        RiskAlert.objects.filter(client=client, acknowledged_at__isnull=True)
        .select_related("recipient", "response")
        .order_by("created_at")
    )
    return RiskStatus(
        assessment=assessment, flagged_response=flagged, safety_plan=plan, open_alerts=alerts
    )


def _series(responses: list[MeasureResponse], table_limit: int | None) -> list[Series]:
    instruments = load_instruments()
    grouped: dict[str, list[MeasureResponse]] = defaultdict(list)
    for response in responses:
        if not response.is_void and response.total is not None:
            grouped[response.instrument_id].append(response)
    series = []
    for instrument_id, scored in grouped.items():
        instrument = instruments[instrument_id]
        rows = []
        baseline = scored[0]
        for index, response in enumerate(scored):
            change = None
            if index > 0 and response.total is not None and baseline.total is not None:
                previous = scored[index - 1].total
                change = change_between(instrument, baseline.total, previous, response.total)
            rows.append(ScoreRow(response=response, instrument=instrument, change=change))
        chart = trend_chart(
            instrument,
            [
                (timezone.localtime(r.administered_at), r.total or 0.0, r.band)
                for r in scored
                if r.total is not None
            ],
        )
        series.append(
            Series(instrument=instrument, rows=rows, chart=chart, table_limit=table_limit)
        )
    return sorted(series, key=lambda entry: entry.instrument.abbreviation)


@dataclass(frozen=True)
class MeasuresOverview:
    responses: list[ScoreRow]  # newest first, including voided ones and screenings
    series: list[Series]
    empty_chart: TrendChart | None
    risk: RiskStatus
    schedules: list[MeasureSchedule]
    changes: dict[int, Change] = field(default_factory=dict)


def measures_overview(client: Client, *, table_limit: int | None = None) -> MeasuresOverview:
    """Everything the client's measures page and chart section show: five queries. Each
    instrument's score table shows its latest `table_limit` rows (all without one)."""
    instruments = load_instruments()
    # Scores, bands and flags only: item answers and subscales are read on a response's
    # own page, and a long history would carry every one of them.
    responses = list(
        MeasureResponse.objects.filter(client=client)
        .defer("answers", "subscales")
        .select_related("entered_by")
        .order_by("administered_at", "id")
    )
    series = _series(responses, table_limit)
    changes = {row.response.pk: row.change for entry in series for row in entry.rows if row.change}
    rows = [
        ScoreRow(
            response=response,
            instrument=instruments[response.instrument_id],
            change=changes.get(response.pk),
        )
        for response in reversed(responses)
    ]
    schedules = list(
        MeasureSchedule.objects.filter(client=client, stopped_at__isnull=True).order_by(
            "next_due_on"
        )
    )
    return MeasuresOverview(
        responses=rows,
        series=series,
        empty_chart=None if series else trend_chart(instruments["phq9"], []),
        risk=risk_status(client, responses),
        schedules=schedules,
        changes=changes,
    )


def scores_in_range(
    client: Client, *, administered_from: date | None, administered_to: date | None
) -> list[MeasureResponse]:
    """The client's recorded scores in the date range (either end open, days as they run
    where the organization works), oldest first, voided ones left out (one query)."""
    responses = MeasureResponse.objects.filter(
        on_days(
            "administered_at", administered_from, administered_to, client.organization.timezone
        ),
        client=client,
        voided_at__isnull=True,
    )
    return list(responses.order_by("administered_at", "id"))


def current_safety_plan(client: Client) -> SafetyPlan | None:
    """The newest version of the client's safety plan, or None (one query)."""
    return SafetyPlan.objects.filter(client=client).order_by("-version").first()


def safety_plan_versions(client: Client) -> list[SafetyPlan]:
    """Every version of the client's safety plan, newest first, with its number, date and
    author only: the plan's text stays in the database (one query)."""
    return list(
        SafetyPlan.objects.filter(client=client)
        .select_related("created_by")
        .only("public_id", "version", "created_at", "created_by__display_name")
        .order_by("-version")
    )


def open_alerts_for(user: User, organization: Organization) -> list[RiskAlert]:
    """The user's own unacknowledged risk alerts in the organization (one query)."""
    return list(
        RiskAlert.objects.filter(
            organization=organization, recipient=user, acknowledged_at__isnull=True
        )
        .select_related("client", "response")
        .order_by("created_at")
    )


def open_links_for(client: Client) -> list[ClientLink]:
    return list(
        ClientLink.objects.filter(
            client=client, used_at__isnull=True, expires_at__gt=timezone.now()
        ).order_by("-created_at")
    )


# --------------------------------------------------------------------------- outcomes


@dataclass(frozen=True)
class InstrumentOutcome:
    instrument: Instrument
    clients_with_change: int
    median_improvement: float | None  # points, positive = better
    improved: int
    recovered: int
    no_reliable_change: int
    deteriorated: int


@dataclass(frozen=True)
class Outcomes:
    active_clients: int
    measured_recently: int
    window_days: int
    instruments: list[InstrumentOutcome]

    @property
    def measured_share(self) -> float | None:
        if not self.active_clients:
            return None
        return self.measured_recently / self.active_clients


def score_endpoints(clients: QuerySet[Client]) -> QuerySet[MeasureResponse]:
    """Per client in `clients` and instrument, the first, the second-to-last and the latest
    valid scored response (oldest first within each pair; fewer when there are fewer scores).

    At most three rows per client and instrument, however long the history: the database
    numbers each pair's responses from both ends and hands back only those ends.
    """
    pair = [F("client_id"), F("instrument_id")]
    return (
        MeasureResponse.objects.filter(
            client_id__in=clients.values("id"), voided_at__isnull=True, total__isnull=False
        )
        .annotate(
            from_first=Window(
                RowNumber(), partition_by=pair, order_by=[F("administered_at"), F("id")]
            ),
            from_latest=Window(
                RowNumber(),
                partition_by=pair,
                order_by=[F("administered_at").desc(), F("id").desc()],
            ),
        )
        .filter(Q(from_first=1) | Q(from_latest__lte=2))
        .order_by("client_id", "instrument_id", "administered_at", "id")
    )


def caseload_outcomes(clients: QuerySet[Client], *, today: date, window_days: int = 30) -> Outcomes:
    """Outcomes over the active clients in `clients`: two queries, fetching at most three
    scores per client and instrument (`score_endpoints`).

    Change is from each client's first to latest score on an instrument, judged by the
    instrument's own reliable-change rules (`change_between`). A client counts as measured
    recently when their latest score on some instrument falls inside the window.
    """
    instruments = load_instruments()
    active = clients.filter(status=Client.Status.ACTIVE)
    active_count = active.count()
    rows = score_endpoints(active).values_list(
        "client_id", "instrument_id", "administered_at", "total"
    )
    since = timezone.make_aware(datetime.combine(today - timedelta(days=window_days), time.min))
    recent: set[int] = set()
    totals: dict[tuple[int, str], list[float]] = defaultdict(list)
    for client_id, instrument_id, administered_at, total in rows:
        totals[(client_id, instrument_id)].append(float(total or 0))
        if administered_at >= since:
            recent.add(client_id)
    per_instrument: dict[str, list[Change]] = defaultdict(list)
    for (_, instrument_id), values in totals.items():
        if len(values) >= 2:
            instrument = instruments[instrument_id]
            per_instrument[instrument_id].append(
                change_between(instrument, values[0], values[-2], values[-1])
            )
    outcomes = []
    for instrument_id, changes in sorted(
        per_instrument.items(), key=lambda pair: instruments[pair[0]].abbreviation
    ):
        labels = [change.label for change in changes]
        outcomes.append(
            InstrumentOutcome(
                instrument=instruments[instrument_id],
                clients_with_change=len(changes),
                median_improvement=statistics.median(c.improvement for c in changes),
                improved=labels.count("improved"),
                recovered=labels.count("recovered"),
                no_reliable_change=labels.count("no reliable change"),
                deteriorated=labels.count("deteriorated"),
            )
        )
    return Outcomes(
        active_clients=active_count,
        measured_recently=len(recent),
        window_days=window_days,
        instruments=outcomes,
    )
