"""Record-scale benchmark: a big SQLite register, then server-side timings of the busy pages.

Generates risks, assets, controls and a hash-chained audit trail in a fresh SQLite database,
then times the risk list, asset list, dashboard and API lists through django.test.Client
(signed in as an administrator, so every role check and query the app makes is included).
Prints p50/p95/max in milliseconds, queries per request and PASS/FAIL against the targets.

    .venv/bin/python bench/record_scale.py          # 100k risks, 50k assets, 5k controls, 1M events
    .venv/bin/python bench/record_scale.py --quick  # 1/100 of that: a smoke run in a minute
    .venv/bin/python bench/record_scale.py --db DIR # keep the database in DIR (bench/README.md)
    .venv/bin/python bench/record_scale.py --db DIR --measure-only --profile
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import secrets
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

SEED = 20240101
BATCH = 5_000
FULL = {"risks": 100_000, "assets": 50_000, "controls": 5_000, "events": 1_000_000}
PEOPLE = 300
LIST_TARGET_MS = 50.0
DASHBOARD_TARGET_MS = 150.0
WIDTH = 68  # the longest URL measured


# --- set-up ------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    for kind, default in FULL.items():
        parser.add_argument(f"--{kind}", type=int, default=default, help=f"default {default:,}")
    parser.add_argument("--quick", action="store_true", help="1/100 of every count")
    parser.add_argument("--db", type=Path, help="data directory to keep (default: a temp dir)")
    parser.add_argument(
        "--measure-only", action="store_true", help="reuse the database already in --db"
    )
    parser.add_argument("--requests", type=int, default=50, help="timed requests per page")
    parser.add_argument("--warmups", type=int, default=3, help="untimed requests per page first")
    parser.add_argument(
        "--profile", action="store_true", help="print each page's slowest queries and plans"
    )
    parser.add_argument("--verify", action="store_true", help="also time a full audit-verify")
    args = parser.parse_args(argv)
    if args.quick:
        for kind in FULL:
            setattr(args, kind, max(1, getattr(args, kind) // 100))
    if args.measure_only and args.db is None:
        parser.error("--measure-only needs --db DIR")
    return args


def configure(args: argparse.Namespace) -> Path:
    """Point Riskward at the benchmark's own SQLite database, before Django starts."""
    data_dir = args.db or Path(tempfile.mkdtemp(prefix="riskward-bench-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    database = data_dir / "riskward.sqlite3"
    if database.exists() and not args.measure_only:
        sys.exit(f"{database} exists: delete it, or pass --measure-only to time it again")
    if args.measure_only and not database.exists():
        sys.exit(f"{database} does not exist: run once without --measure-only")
    os.environ["RISKWARD_DATA_DIR"] = str(data_dir)
    os.environ.pop("RISKWARD_DATABASE_URL", None)  # the figures are for SQLite, the default
    os.environ["RISKWARD_ENV"] = "development"
    # DEBUG keeps every query in memory and wraps each cursor; production runs without it.
    os.environ["RISKWARD_DEBUG"] = "false"
    os.environ["RISKWARD_ALLOWED_HOSTS"] = "testserver"
    os.environ["DJANGO_SETTINGS_MODULE"] = "riskward.settings"
    import django

    django.setup()
    return database


def load() -> str:
    return " ".join(f"{n:.1f}" for n in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"


def machine() -> str:
    import django

    cpu = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [line for line in cpuinfo.read_text().splitlines() if line.startswith("model name")]
        cpu = f" ({names[0].split(':', 1)[1].strip()})" if names else ""
    return (
        f"{os.cpu_count()} CPUs{cpu}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; SQLite {sqlite3.sqlite_version}; "
        f"Django {django.get_version()}"
    )


@contextmanager
def timed(label: str, rows: int | None, results: list[tuple[str, int | None, float]]) -> Iterator:
    started = time.perf_counter()
    yield
    seconds = time.perf_counter() - started
    results.append((label, rows, seconds))
    count = f"{rows:>11,}" if rows is not None else " " * 11
    print(f"  {label:<34}{count}{seconds:>10.1f}", flush=True)


def batches(items: Sequence[Any], size: int = BATCH) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- data --------------------------------------------------------------------------------------


@dataclass
class World:
    """What the generators share: the organization, its admin and the ids made so far."""

    org: Any
    admin: Any
    people: list[int]
    categories: list[int]
    rng: random.Random = field(default_factory=lambda: random.Random(SEED))
    assets: list[int] = field(default_factory=list)
    controls: list[int] = field(default_factory=list)
    risks: list[int] = field(default_factory=list)


def make_organization() -> World:
    """The organization and its administrator go through the services, like a real install."""
    from riskward.core import services
    from riskward.core.models import ErmCategory, Person, Role

    org = services.create_organization(
        None, {"legal_name": "Bench Holdings Ltd.", "short_name": "Bench", "cik": "0000000042"}
    )
    admin = services.create_user(
        org, None, username="bench-admin", role=Role.ADMIN, password=secrets.token_urlsafe(24)
    )
    people = Person.objects.bulk_create(
        Person(organization=org, name=f"Person {n:04d}", email=f"p{n}@bench.example")
        for n in range(PEOPLE)
    )
    categories = ErmCategory.objects.bulk_create(
        ErmCategory(organization=org, name=name)
        for name in ("Operational", "Technology", "Compliance", "Strategic", "Financial", "Legal")
    )
    return World(org, admin, [p.pk for p in people], [c.pk for c in categories])


def make_assets(world: World, count: int) -> None:
    from django.db import transaction

    from riskward.assets.models import Asset

    rng, kinds, statuses = world.rng, Asset.Kind.values, Asset.Status.values
    with transaction.atomic():
        for chunk in batches(range(count)):
            Asset.objects.bulk_create(
                Asset(
                    organization=world.org,
                    name=f"{rng.choice(('srv', 'app', 'db', 'net', 'saas'))}-{n:06d}",
                    kind=rng.choice(kinds),
                    owner_id=rng.choice(world.people),
                    criticality=rng.choice((1, 2, 2, 3, 3, 4)),
                    internet_facing=rng.random() < 0.15,
                    mlps_level=rng.choice((None, None, 2, 3)),
                    status=rng.choices(statuses, (1, 8, 1))[0],
                )
                for n in chunk
            )
        world.assets = list(
            Asset.objects.filter(organization=world.org).values_list("pk", flat=True)
        )
        link = Asset.dependencies.through
        pairs = {(a, rng.choice(world.assets)) for a in world.assets if rng.random() < 0.3}
        for chunk in batches(sorted((a, b) for a, b in pairs if a != b)):
            link.objects.bulk_create(link(from_asset_id=a, to_asset_id=b) for a, b in chunk)


def make_controls(world: World, count: int) -> None:
    from django.db import transaction

    from riskward.controls.models import Control

    rng = world.rng
    with transaction.atomic():
        for chunk in batches(range(count)):
            Control.objects.bulk_create(
                Control(
                    organization=world.org,
                    reference=f"CTL-{n:05d}",
                    name=f"Control {n}",
                    control_type=rng.choice(Control.Type.values),
                    function=rng.choice(Control.Function.values),
                    owner_id=rng.choice(world.people),
                    status=rng.choices(Control.Status.values, (1, 2, 6, 1, 0.2))[0],
                    test_frequency_days=rng.choice((None, 90, 180, 365)),
                )
                for n in chunk
            )
        world.controls = list(
            Control.objects.filter(organization=world.org).values_list("pk", flat=True)
        )


STATUSES = {"identified": 15, "assessed": 35, "treating": 30, "accepted": 10, "closed": 10}
TREATMENTS = {"treating": ("mitigate", "transfer", "avoid"), "accepted": ("accept",)}
THREATS = (
    "Ransomware through a phished account",
    "Supplier breach exposing customer data",
    "Insider copying source code",
    "Misuse of a third-party AI service with company data",
    "DDoS on the public platform",
    "Unpatched edge device exploited",
    "Cloud storage left public",
    "Payment fraud through a compromised vendor",
)


def make_risks(world: World, count: int) -> None:
    """Risks rated on the default matrix, with scores and bands derived by the risks services;
    about two affected assets and one or two controls each, assessment history, actions."""
    from django.db import transaction

    from riskward.risks import services
    from riskward.risks.models import Risk

    matrix = services.default_matrix(world.org)
    today = date.today()
    with transaction.atomic():
        for chunk in batches(range(count)):
            Risk.objects.bulk_create(_risk(world, matrix, n, today) for n in chunk)
        world.risks = list(Risk.objects.filter(organization=world.org).values_list("pk", flat=True))
        _link(world, Risk.assets.through, "asset_id", world.assets, (1, 2, 2, 3))
        _link(world, Risk.controls.through, "control_id", world.controls, (0, 1, 1, 2))
        _history_and_actions(world, matrix, today)


def _risk(world: World, matrix: Any, n: int, today: date) -> Any:
    from riskward.risks import services
    from riskward.risks.models import Risk

    rng = world.rng
    status = rng.choices(list(STATUSES), list(STATUSES.values()))[0]
    ratings: dict[str, int | None] = dict.fromkeys(services.RATINGS)
    if status != "identified":
        lik, imp = rng.randint(1, 5), rng.randint(1, 5)
        ratings.update(inherent_likelihood=lik, inherent_impact=imp)
        if status != "assessed" or rng.random() < 0.5:
            ratings.update(
                residual_likelihood=rng.randint(1, lik), residual_impact=rng.randint(1, imp)
            )
    last_review = today - timedelta(days=rng.randint(0, 210)) if status != "identified" else None
    created = today - timedelta(days=rng.randint(0, 150))
    return Risk(
        organization=world.org,
        reference=f"RSK-{n + 1:06d}",
        title=f"{rng.choice(THREATS)} #{n + 1}",
        threat_source=rng.choice(Risk.ThreatSource.values),
        threat=rng.choice(THREATS),
        emerging=rng.random() < 0.05,
        erm_category_id=rng.choice(world.categories),
        owner_id=rng.choice(world.people),
        status=status,
        matrix=matrix,
        treatment=rng.choice(TREATMENTS.get(status, ("",))),
        last_reviewed_on=last_review,
        next_review_on=(last_review or created) + timedelta(days=180),
        **ratings,
        **services.derived_ratings(matrix, ratings),
    )


def _link(
    world: World, through: Any, column: str, targets: list[int], sizes: tuple[int, ...]
) -> None:
    rng = world.rng
    pairs = [
        (risk, target)
        for risk in world.risks
        for target in set(rng.sample(targets, min(rng.choice(sizes), len(targets))))
    ]
    for chunk in batches(pairs, 20_000):
        through.objects.bulk_create(through(risk_id=r, **{column: t}) for r, t in chunk)


def _history_and_actions(world: World, matrix: Any, today: date) -> None:
    """One assessment per rated risk; one to three treatment actions per risk in treatment."""
    from riskward.risks import services
    from riskward.risks.models import Risk, RiskAssessment, TreatmentAction

    rng = world.rng
    fields = (*services.RATINGS, *services.DERIVED, "pk", "status", "last_reviewed_on")
    rated = Risk.objects.filter(organization=world.org, inherent_score__isnull=False)
    history, actions = [], []
    for row in rated.values(*fields).iterator(chunk_size=BATCH):
        ratings = {name: row[name] for name in (*services.RATINGS, *services.DERIVED)}
        history.append(
            RiskAssessment(
                organization=world.org,
                risk_id=row["pk"],
                matrix=matrix,
                assessed_on=row["last_reviewed_on"],
                assessed_by=world.admin,
                **ratings,
            )
        )
        if row["status"] == "treating":
            actions += [
                TreatmentAction(
                    organization=world.org,
                    risk_id=row["pk"],
                    title=f"Treatment step {k + 1}",
                    owner_id=rng.choice(world.people),
                    due_on=today + timedelta(days=rng.randint(-60, 180)),
                    status=rng.choices(("open", "in_progress", "done"), (4, 3, 3))[0],
                )
                for k in range(rng.randint(1, 3))
            ]
    for chunk in batches(history):
        RiskAssessment.objects.bulk_create(chunk)
    for chunk in batches(actions):
        TreatmentAction.objects.bulk_create(chunk)


def make_events(world: World, count: int) -> None:
    """Append `count` events to the audit chain, hashed by the same `_hashed_fields` and
    `event_digest` that `audit.services.record` and `audit-verify` use, then move the head.

    Rows go in through one prepared INSERT (executemany): Django's bulk_create is limited to
    999 SQLite variables per statement and spends most of its time preparing values.
    """
    from django.db import connection, transaction

    from riskward.audit import services as audit
    from riskward.audit.models import AuditChainHead, AuditEvent

    fields = [f for f in AuditEvent._meta.concrete_fields if not f.primary_key]
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        connection.ops.quote_name(AuditEvent._meta.db_table),
        ", ".join(connection.ops.quote_name(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    subjects, started = _event_subjects(world), datetime.now(UTC) - timedelta(days=730)
    step = timedelta(days=730) / max(count, 1)
    with transaction.atomic(), connection.cursor() as cursor:
        head = AuditChainHead.objects.select_for_update().get(id=1)
        previous = head.last_hash
        for chunk in batches(range(count), 20_000):
            rows = []
            for n in chunk:
                event = _new_event(world, world.rng.choice(subjects), started + step * n)
                event.previous_hash = previous
                # A namespace carries the attributes _hashed_fields reads, at a fraction of
                # a model instance's cost.
                event.hash = previous = audit.event_digest(audit._hashed_fields(event))
                rows.append([_stored(f, getattr(event, f.attname), connection) for f in fields])
            cursor.executemany(sql, rows)
        head.last_hash, head.length = previous, head.length + count
        head.save(update_fields=["last_hash", "length"])


def _new_event(world: World, subject: tuple[str, int, dict[str, Any]], when: datetime) -> Any:
    object_type, object_id, after = subject
    return SimpleNamespace(
        organization_id=world.org.pk,
        actor_id=world.admin.pk,
        actor_label=world.admin.username,
        created_at=when,
        action="update",
        object_type=object_type,
        object_id=str(object_id),
        object_repr=f"{object_type} {object_id}",
        before={"status": "identified"},
        after=after,
    )


def _stored(field: Any, value: Any, connection: Any) -> Any:
    """A value as Django's SQLite backend stores it for this field (what audit-verify reads)."""
    if field.get_internal_type() == "DateTimeField":
        return connection.ops.adapt_datetimefield_value(value)
    if field.get_internal_type() == "JSONField":
        return None if value is None else json.dumps(value)
    return value


def _event_subjects(world: World) -> list[tuple[str, int, dict[str, Any]]]:
    """Records the events are about: a sample of what was generated, with small changes."""
    kinds = (
        ("risks.Risk", world.risks, 2000, {"status": "assessed"}),
        ("assets.Asset", world.assets, 1000, {"criticality": 3}),
        ("controls.Control", world.controls, 500, {"status": "implemented"}),
    )
    return [
        (label, pk, change)
        for label, ids, most, change in kinds
        for pk in world.rng.sample(ids, min(most, len(ids)))
    ]


def check_chain_tail(sample: int = 2_000) -> str:
    """Re-hash the newest events the way audit-verify does: cheap proof the chain is genuine."""
    from riskward.audit import services as audit
    from riskward.audit.models import AuditChainHead, AuditEvent

    newest = list(AuditEvent.objects.order_by("-id")[:sample])
    for event, older in zip(newest, [*newest[1:], None], strict=True):
        if audit.event_digest(audit._hashed_fields(event)) != event.hash:
            return f"FAIL: event {event.pk} does not match its hash"
        if older is not None and event.previous_hash != older.hash:
            return f"FAIL: event {event.pk} does not link to {older.pk}"
    head = AuditChainHead.objects.get(id=1)
    total = AuditEvent.objects.count()
    if head.last_hash != newest[0].hash or head.length != total:
        return "FAIL: chain head does not match the newest event"
    return f"ok (newest {len(newest):,} events re-hashed, head at {total:,})"


def generate(args: argparse.Namespace) -> World:
    from django.core.management import call_command

    steps: list[tuple[str, int | None, float]] = []
    print(f"\nGenerate{'rows':>37}{'seconds':>10}")
    with timed("migrate", None, steps):
        call_command("migrate", verbosity=0)
    with timed("organization, admin, people", PEOPLE, steps):
        world = make_organization()
    with timed("assets (+ dependencies)", args.assets, steps):
        make_assets(world, args.assets)
    with timed("controls", args.controls, steps):
        make_controls(world, args.controls)
    with timed("risks (+ assets, controls links)", args.risks, steps):
        make_risks(world, args.risks)
    with timed("audit events (SHA-256 chain)", args.events, steps):
        make_events(world, args.events)
    total = sum(seconds for _, _, seconds in steps)
    print(f"  {'total':<45}{total:>10.1f}")
    print(f"  audit chain: {check_chain_tail()}")
    return world


# --- measure -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Probe:
    url: str
    target_ms: float | None  # None: informative, no target in the issue
    api: bool = False


def probes() -> list[Probe]:
    """The pages a security team opens all day, filtered and sorted the way they would be."""
    from riskward.risks.models import Risk

    risk = Risk.objects.filter(status="treating").order_by("pk").values_list("pk", flat=True)[0]
    lists = LIST_TARGET_MS
    return [
        Probe("/risks/risk/?status=assessed&sort=-residual_score", lists),
        Probe("/risks/risk/?level=5&sort=next_review_on", lists),
        Probe("/risks/risk/?q=supplier&sort=-inherent_score", lists),
        Probe("/assets/asset/?kind=application&sort=-criticality", lists),
        Probe("/dashboard/", DASHBOARD_TARGET_MS),
        Probe("/api/v1/risks/risks?limit=50&status=treating&sort=-residual_score", lists, True),
        Probe("/api/v1/assets/assets?limit=50&kind=application&sort=-criticality", lists, True),
        Probe(f"/risks/risk/{risk}/", None),
        Probe(f"/risks/risk/{risk}/edit/", None),
        Probe("/audit/", None),
    ]


@dataclass
class Timing:
    samples_ms: list[float]
    queries: int
    slowest: list[tuple[float, str, Any]]

    def percentile(self, p: float) -> float:
        ordered = sorted(self.samples_ms)
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def measure(get: Callable[[], Any], requests: int, warmups: int) -> Timing:
    """Time `requests` calls after `warmups`; count and time queries on one more call."""
    from django.db import connection

    for _ in range(warmups):
        _ok(get())
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        response = get()
        samples.append((time.perf_counter() - started) * 1000)
        _ok(response)
    queries: list[tuple[float, str, Any]] = []

    def clock(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append(((time.perf_counter() - started) * 1000, sql, params))

    with connection.execute_wrapper(clock):
        _ok(get())
    slowest = sorted(queries, key=lambda q: q[0], reverse=True)
    return Timing(samples, len(queries), slowest[:3])


class ProbeError(Exception):
    """A measured page did not answer 200: its line says so and the run goes on."""


def _ok(response: Any) -> None:
    if response.status_code != 200:
        raise ProbeError(f"answered {response.status_code}")


def explain(sql: str, params: Any) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return [row[-1] for row in cursor.fetchall()]


def run_probes(world_admin: Any, args: argparse.Namespace) -> bool:
    from django.test import Client

    from riskward.core import services

    browser = Client()
    browser.force_login(world_admin)
    _, token = services.issue_token(world_admin, "bench")
    script = Client(headers={"Authorization": f"Bearer {token}"})
    print(f"\nMeasure: server-side ms over {args.requests} requests after {args.warmups} warm-ups")
    print(f"  load average before: {load()} (other work on the machine inflates every figure)")
    print(f"  {'GET':<{WIDTH}}{'p50':>7}{'p95':>8}{'max':>8}{'queries':>9}{'target':>8}  result")
    passed = True
    for probe in probes():
        client = script if probe.api else browser
        try:
            # Pages without a target are there to be seen early; a few requests tell enough.
            requests = args.requests if probe.target_ms is not None else min(args.requests, 10)
            timing = measure(lambda c=client, u=probe.url: c.get(u), requests, args.warmups)
        except Exception as error:  # one broken page must not hide the others
            print(f"  {probe.url:<{WIDTH}}  ERROR {type(error).__name__}: {error}"[:160])
            passed = False
            continue
        passed &= report(probe, timing)
        if args.profile:
            print_profile(probe, timing)
    return passed


def report(probe: Probe, timing: Timing) -> bool:
    p95 = timing.percentile(95)
    ok = probe.target_ms is None or p95 < probe.target_ms
    target = f"{probe.target_ms:>6.0f}ms" if probe.target_ms is not None else f"{'-':>8}"
    verdict = "" if probe.target_ms is None else ("PASS" if ok else "FAIL")
    print(
        f"  {probe.url:<{WIDTH}}{timing.percentile(50):>7.1f}{p95:>8.1f}"
        f"{max(timing.samples_ms):>8.1f}{timing.queries:>9}{target}  {verdict}",
        flush=True,
    )
    return ok


def print_profile(probe: Probe, timing: Timing) -> None:
    """Slowest queries first. Their time runs to the first row: large results cost more."""
    print(f"      {probe.url}")
    for ms, sql, params in timing.slowest:
        print(f"      {ms:7.2f} ms  {sql[:400]}  {list(params or [])[:6]}")
        for step in explain(sql, params):
            print(f"                  plan: {step}")


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    database = configure(args)
    print("Riskward record-scale benchmark")
    print(f"  machine:  {machine()}; load average {load()}")
    print(f"  database: {database}")
    if args.measure_only:
        from django.core.management import call_command

        from riskward.core.models import User

        call_command("migrate", verbosity=0)  # migrations added since it was generated
        admin = User.objects.get(username="bench-admin")
    else:
        admin = generate(args).admin
    print(f"  size:     {database.stat().st_size / 1e6:,.0f} MB")
    passed = run_probes(admin, args)
    if args.verify:
        verify()
    print("\nPASS: every page within its target" if passed else "\nFAIL: see the lines marked FAIL")
    return 0 if passed else 1


def verify() -> None:
    from riskward.audit.services import verify_chain

    started = time.perf_counter()
    count, problems = verify_chain()
    seconds = time.perf_counter() - started
    print(f"\naudit-verify: {count:,} events in {seconds:.1f} s, {len(problems)} problems")


if __name__ == "__main__":
    sys.exit(main())
