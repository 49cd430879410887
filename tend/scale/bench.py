"""`tend bench`: time the key pages of a seeded organization (see `tend seed`).

For each page: server time over N requests after a warm-up, in process (Django's test
client); its SQL query count and bytes; and the same queries replayed straight through a
database cursor, so page time / raw SQL time shows what Django and the templates add.
Then the same pages through a real server (`tend serve`, granian) on 127.0.0.1, and the
chart page's throughput under concurrency. Not a test: nothing here asserts a time.
"""

from __future__ import annotations

import http.client
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import django
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client as TestClient
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from tend.accounts.models import User
from tend.assessments.models import Assessment
from tend.care.models import AppointmentClient, ProgressNote
from tend.clients.models import Client
from tend.coordination.models import Referral
from tend.core.permissions import Role
from tend.licensure.models import HoursEntry
from tend.plans.models import TreatmentPlan
from tend.scale.people import ORGANIZATION_NAME

RESULTS_DIR = Path(__file__).resolve().parents[2] / "bench" / "results"
# Pages link assets by name; the bench needs no collectstatic manifest.
PLAIN_STATIC_STORAGE = "django.contrib.staticfiles.storage.StaticFilesStorage"
# The replay runs the page's reads; its writes (the audit row, the session) cannot be
# repeated verbatim (unique hashes), and are a handful of single-row inserts and updates.
_READS = ("SELECT", "WITH")


@dataclass(frozen=True)
class BenchPage:
    name: str
    path: str
    user: User
    method: str = "GET"
    data: dict[str, str] = field(default_factory=dict)
    htmx: bool = False
    target_ms: float = 50.0


@dataclass
class PageResult:
    name: str
    status: int
    queries: int
    bytes: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    raw_sql_ms: float
    ratio: float
    target_ms: float
    server_p50_ms: float | None = None
    server_p95_ms: float | None = None
    server_p99_ms: float | None = None

    @property
    def meets_time_target(self) -> bool:
        return self.p95_ms <= self.target_ms

    @property
    def meets_ratio_target(self) -> bool:
        return self.ratio <= 2.0


class NotSeeded(Exception):
    pass


def percentile(timings: list[float], share: int) -> float:
    ordered = sorted(timings)
    index = min(len(ordered) - 1, max(0, round(share / 100 * len(ordered)) - 1))
    return ordered[index]


JOB_SEARCH_WORD = "trauma"


def _job_search_state() -> str:
    """The licensed state with the most postings the job search finds for the search word
    among remote or hybrid jobs: the seed's postings depend on its day, so the bench asks
    the data rather than naming a state that may have no match."""
    from tend.careers.models import codes_split
    from tend.careers.selectors import JobSearch, matching_postings

    found = matching_postings(
        JobSearch(text=JOB_SEARCH_WORD, remote_or_hybrid=True), today=timezone.localdate()
    ).values_list("licensed_states", flat=True)
    counts = Counter(state for states in found.iterator() for state in codes_split(states))
    return counts.most_common(1)[0][0] if counts else "TX"


def bench_pages() -> tuple[list[BenchPage], list[tuple[str, str]]]:
    """The pages to time, as the busiest licensed clinician, their longest-seen client,
    the busiest supervisor and the associate with the longest hours ledger see them; and
    the pages skipped, with why."""
    from tend.accounts.models import Organization

    organization = Organization.objects.filter(name=ORGANIZATION_NAME).first()
    if organization is None:
        raise NotSeeded("No seeded organization here: run `tend seed --profile small` first.")
    busiest = (
        Client.objects.filter(
            organization=organization,
            status=Client.Status.ACTIVE,
            primary_clinician__memberships__role=Role.CLINICIAN,
        )
        .values("primary_clinician")
        .annotate(clients=Count("id"))
        .order_by("-clients", "primary_clinician")
        .first()
    )
    if busiest is None:
        raise NotSeeded("The seeded organization has no active clients.")
    clinician = User.objects.get(pk=busiest["primary_clinician"])
    longest = (
        AppointmentClient.objects.filter(
            client__primary_clinician=clinician, client__status=Client.Status.ACTIVE
        )
        .values("client")
        .annotate(sessions=Count("id"))
        .order_by("-sessions", "client")
        .first()
    )
    client = Client.objects.get(pk=longest["client"] if longest else 0)
    supervisor = (
        User.objects.filter(
            supervisees_as__organization=organization, supervisees_as__ended_on__isnull=True
        )
        .annotate(supervisees=Count("supervisees_as"))
        .order_by("-supervisees", "pk")
        .first()
    )
    assessment = Assessment.objects.filter(client=client).order_by("-id").first()
    plan = TreatmentPlan.objects.filter(client=client, status="active").first()
    note = (
        ProgressNote.objects.filter(author=clinician, status=ProgressNote.Status.DRAFT)
        .order_by("-id")
        .first()
        or ProgressNote.objects.filter(author=clinician).order_by("-id").first()
    )
    referral = (
        Referral.objects.filter(referred_by=clinician, client__primary_clinician=clinician)
        .order_by("-id")
        .first()
    )
    skipped: list[tuple[str, str]] = []
    pages = [
        BenchPage("caseload list", reverse("clients:caseload"), clinician),
        BenchPage(
            "client search",
            reverse("clients:caseload_results"),
            clinician,
            method="POST",
            data={"q": client.legal_last_name[:4], "status": ""},
            htmx=True,
        ),
        BenchPage("client chart", reverse("clients:chart", args=[client.public_id]), clinician),
        BenchPage(
            "measures trend",
            reverse("measures:client_measures", args=[client.public_id]),
            clinician,
        ),
        BenchPage("calendar week", reverse("care:calendar", args=[clinician.public_id]), clinician),
        BenchPage("dashboard", reverse("core:dashboard"), clinician),
        BenchPage(
            "job search",
            reverse("careers:search")
            + "?"
            # Text and two filters that find pages of postings in the seeded board, so
            # the page ranks and renders real results.
            + urlencode(
                {"q": JOB_SEARCH_WORD, "state": _job_search_state(), "remote_or_hybrid": "on"}
            ),
            clinician,
            target_ms=30.0,
        ),
    ]
    optional: list[tuple[str, object, Callable[[Any], BenchPage]]] = [
        (
            "assessment",
            assessment,
            lambda a: BenchPage(
                "assessment", reverse("assessments:detail", args=[a.public_id]), clinician
            ),
        ),
        (
            "treatment plan",
            plan,
            lambda p: BenchPage(
                "treatment plan", reverse("plans:plan_detail", args=[p.public_id]), clinician
            ),
        ),
        (
            "note editor",
            note,
            lambda n: BenchPage("note editor", reverse("care:note", args=[n.public_id]), clinician),
        ),
        (
            "co-sign queue",
            supervisor,
            lambda s: BenchPage("co-sign queue", reverse("care:cosign_queue"), s),
        ),
        (
            "referral",
            referral,
            lambda r: BenchPage(
                "referral", reverse("coordination:referral", args=[r.public_id]), clinician
            ),
        ),
    ]
    for name, found, make in optional:
        if found is None:
            skipped.append((name, "nothing of the kind was seeded"))
        else:
            pages.append(make(found))
    associate = (
        HoursEntry.objects.filter(organization=organization)
        .values("associate")
        .annotate(entries=Count("id"))
        .order_by("-entries", "associate")
        .first()
    )
    if associate is None:
        skipped.append(("hours progress", "no associate has an hours ledger"))
    else:
        # The associate's own pages: nobody else sees their progress.
        ledger_owner = User.objects.get(pk=associate["associate"])
        pages += [
            BenchPage("hours progress", reverse("licensure:my_progress"), ledger_owner),
            BenchPage("hours progress API", reverse("api:progress"), ledger_owner),
        ]
    return pages, skipped


def _request(client: TestClient, page: BenchPage) -> Any:
    headers = {"HX-Request": "true"} if page.htmx else {}
    if page.method == "POST":
        return client.post(page.path, page.data, headers=headers)
    return client.get(page.path, headers=headers)


def _replay(statements: list[str]) -> float:
    """Seconds to run the page's own reads again through a cursor."""
    with transaction.atomic():
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                if cursor.description is not None:
                    cursor.fetchall()
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed


def measure_in_process(page: BenchPage, *, requests: int, warmup: int) -> PageResult:
    client = TestClient()
    client.force_login(page.user)
    for _ in range(warmup):
        _request(client, page)
    with CaptureQueriesContext(connection):
        response = _request(client, page)
        # Django empties the query log when a request starts, so the log now holds exactly
        # this request's queries (CaptureQueriesContext's own slice would not).
        executed = [query["sql"] for query in connection.queries]
    statements = [sql for sql in executed if sql.lstrip().upper().startswith(_READS)]
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        _request(client, page)
        timings.append((time.perf_counter() - started) * 1000)
    raw = [_replay(statements) * 1000 for _ in range(max(5, requests // 2))]
    raw_ms = statistics.median(raw)
    p50 = statistics.median(timings)
    return PageResult(
        name=page.name,
        status=response.status_code,
        queries=len(executed),
        bytes=len(response.content),
        p50_ms=p50,
        p95_ms=percentile(timings, 95),
        p99_ms=percentile(timings, 99),
        raw_sql_ms=raw_ms,
        ratio=p50 / raw_ms if raw_ms else float("inf"),
        target_ms=page.target_ms,
    )


# --- through a real server -------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """`tend serve` with two granian workers on 127.0.0.1, for the duration of a `with`."""

    def __init__(self, workers: int = 2) -> None:
        self.port = _free_port()
        self.workers = workers
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        env = {
            **os.environ,
            "TEND_SECRET_KEY": settings.SECRET_KEY,
            "TEND_ENFORCE_MFA": "0",  # bench sessions are created without a second factor
            "TEND_STATICFILES_STORAGE": PLAIN_STATIC_STORAGE,
        }
        command = [sys.executable, "-m", "tend.cli", "serve", "--port", str(self.port)]
        command += ["--workers", str(self.workers)]
        self.process = subprocess.Popen(  # noqa: S603  (fixed argv)
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status, _, _ = self.get("/healthz", "")
                if status == 200:
                    return self
            except OSError:
                time.sleep(0.3)
        self.__exit__()
        raise RuntimeError("The bench server did not start within 60 s.")

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)

    def connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def get(
        self, path: str, cookie: str, conn: http.client.HTTPConnection | None = None
    ) -> tuple[int, int, float]:
        """(status, bytes, seconds) of one GET."""
        conn = conn or self.connection()
        started = time.perf_counter()
        conn.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
        response = conn.getresponse()
        body = response.read()
        return response.status, len(body), time.perf_counter() - started


def session_cookie(user: User) -> str:
    client = TestClient()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def measure_server(server: Server, page: BenchPage, cookie: str, requests: int) -> list[float]:
    conn = server.connection()
    for _ in range(3):
        server.get(page.path, cookie, conn)
    timings = []
    for _ in range(requests):
        status, _, seconds = server.get(page.path, cookie, conn)
        if status != 200:
            raise RuntimeError(f"{page.name}: the server answered {status}")
        timings.append(seconds * 1000)
    conn.close()
    return timings


def throughput(
    server: Server, page: BenchPage, cookie: str, *, threads: int, seconds: float
) -> dict[str, float]:
    """Requests per second with `threads` clients sending back to back for `seconds`."""
    done: list[float] = []
    errors: list[float] = []
    stop_at = time.monotonic() + seconds
    lock = threading.Lock()

    def worker() -> None:
        conn = server.connection()
        while time.monotonic() < stop_at:
            status, _, elapsed = server.get(page.path, cookie, conn)
            with lock:
                (done if status == 200 else errors).append(elapsed * 1000)
        conn.close()

    workers = [threading.Thread(target=worker) for _ in range(threads)]
    started = time.perf_counter()
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    wall = time.perf_counter() - started
    return {
        "threads": threads,
        "seconds": round(wall, 2),
        "requests": len(done),
        "errors": len(errors),
        "requests_per_second": round(len(done) / wall, 1),
        "p50_ms": round(statistics.median(done), 1) if done else 0.0,
        "p95_ms": round(percentile(done, 95), 1) if done else 0.0,
    }


# --- the run and its report ------------------------------------------------------------


def data_size() -> dict[str, int]:
    from tend.care.models import Appointment
    from tend.careers.models import JobPosting
    from tend.measures.models import MeasureResponse

    return {
        "clients": Client.objects.count(),
        "appointments": Appointment.objects.count(),
        "progress_notes": ProgressNote.objects.count(),
        "measure_responses": MeasureResponse.objects.count(),
        "job_postings": JobPosting.objects.count(),
    }


def machine() -> dict[str, Any]:
    cpu = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        memory = meminfo.read_text().splitlines()[0].split(":", 1)[1].strip()
    with connection.cursor() as cursor:
        version_sql = (
            "SELECT version()" if connection.vendor == "postgresql" else "SELECT sqlite_version()"
        )
        cursor.execute(version_sql)
        database_version = cursor.fetchone()[0]
    return {
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory": memory,
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": connection.vendor,
        "database_version": database_version.split(" on ")[0],
    }


def run_bench(
    *,
    requests: int,
    warmup: int,
    server_requests: int,
    threads: int,
    seconds: float,
    report: Callable[[str], None],
) -> dict[str, Any]:
    pages, skipped = bench_pages()
    results: list[PageResult] = []
    storages = {**settings.STORAGES, "staticfiles": {"BACKEND": PLAIN_STATIC_STORAGE}}
    with override_settings(TEND_ENFORCE_MFA=False, STORAGES=storages):
        for page in pages:
            result = measure_in_process(page, requests=requests, warmup=warmup)
            report(f"  {page.name:<16} p95 {result.p95_ms:7.1f} ms  {result.queries:3d} queries")
            results.append(result)
        chart_throughput: dict[str, float] | None = None
        if server_requests:
            cookies = {page.user.pk: session_cookie(page.user) for page in pages}
            with Server() as server:
                for page, result in zip(pages, results, strict=True):
                    if page.method != "GET":
                        continue
                    timings = measure_server(server, page, cookies[page.user.pk], server_requests)
                    result.server_p50_ms = statistics.median(timings)
                    result.server_p95_ms = percentile(timings, 95)
                    result.server_p99_ms = percentile(timings, 99)
                chart = next(page for page in pages if page.name == "client chart")
                chart_throughput = throughput(
                    server, chart, cookies[chart.user.pk], threads=threads, seconds=seconds
                )
    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "data": data_size(),
        "requests": requests,
        "pages": [
            asdict(result)
            | {
                "meets_time_target": result.meets_time_target,
                "meets_ratio_target": result.meets_ratio_target,
            }
            for result in results
        ],
        "skipped": [{"name": name, "reason": reason} for name, reason in skipped],
        "chart_throughput": chart_throughput,
    }


def markdown(result: dict[str, Any]) -> str:
    machine_info = result["machine"]
    data = result["data"]
    lines = [
        f"# Tend bench — {machine_info['database']} ({machine_info['database_version']})",
        "",
        f"{result['when']} · {machine_info['cpus']} CPUs ({machine_info['cpu']}), "
        f"{machine_info['memory']} · Python {machine_info['python']}, "
        f"Django {machine_info['django']}",
        "",
        "Data: " + ", ".join(f"{count:,} {name.replace('_', ' ')}" for name, count in data.items()),
        "",
        f"In process: {result['requests']} requests per page after warm-up (ms). "
        "Server: `tend serve`, 2 granian workers, one keep-alive connection (ms, client side).",
        "",
        "| page | p50 | p95 | p99 | queries | KB | raw SQL | page/SQL | server p50 | server p95 "
        "| target p95 | p95 met | page ≤ 2x SQL |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for page in result["pages"]:
        server_p50 = "" if page["server_p50_ms"] is None else f"{page['server_p50_ms']:.1f}"
        server_p95 = "" if page["server_p95_ms"] is None else f"{page['server_p95_ms']:.1f}"
        lines.append(
            f"| {page['name']} | {page['p50_ms']:.1f} | {page['p95_ms']:.1f} | "
            f"{page['p99_ms']:.1f} | {page['queries']} | {page['bytes'] / 1024:.1f} | "
            f"{page['raw_sql_ms']:.1f} | {page['ratio']:.1f}x | {server_p50} | {server_p95} | "
            f"{page['target_ms']:.0f} | {'yes' if page['meets_time_target'] else 'no'} | "
            f"{'yes' if page['meets_ratio_target'] else 'no'} |"
        )
    for skipped in result["skipped"]:
        lines.append(f"| {skipped['name']} | — {skipped['reason']} | | | | | | | | | | | |")
    throughput_info = result["chart_throughput"]
    if throughput_info:
        lines += [
            "",
            f"Chart page throughput: {throughput_info['requests_per_second']} requests/s with "
            f"2 workers and {throughput_info['threads']} client threads over "
            f"{throughput_info['seconds']} s (p50 {throughput_info['p50_ms']} ms, "
            f"p95 {throughput_info['p95_ms']} ms, {throughput_info['errors']} errors); "
            "target ≥ 150/s.",
        ]
    return "\n".join(lines) + "\n"


def write_results(result: dict[str, Any], directory: Path = RESULTS_DIR, name: str = "") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    stem = name or (
        f"{datetime.now(UTC):%Y%m%d-%H%M%S}-{result['machine']['database']}"
        f"-{result['data']['clients']}-clients"
    )
    (directory / f"{stem}.json").write_text(json.dumps(result, indent=2) + "\n")
    markdown_path = directory / f"{stem}.md"
    markdown_path.write_text(markdown(result))
    return markdown_path
