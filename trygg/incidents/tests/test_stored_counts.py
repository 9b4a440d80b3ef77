"""The stored counts (`trygg.incidents.stored`) follow every change to the incidents, and what the need
pages compute from them equals what every incident gives: the profile, the overview's order and the
ranking, around the clock changes and New Year, for any window of the ranking."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trygg.core.models import Administration
from trygg.incidents import counts, needs, services, stored
from trygg.incidents import ranking as pure_ranking
from trygg.incidents.models import (
    Incident,
    IncidentMonthCount,
    IncidentRangeCount,
    IncidentWeekCount,
    StoredRanking,
)
from trygg.incidents.tests.test_import import commit, from_run, map_columns, upload
from trygg.incidents.tests.test_profile_sql import AS_OF, assert_same, incidents, pure_profile_of
from trygg.sites.models import Site

pytestmark = pytest.mark.django_db


def stored_state():
    """The three tables as {key: value}, as `counts.Changes` holds them."""
    return (
        {(r.site_id, r.month, r.kind): [r.count, r.cost_ore, r.with_cost] for r in IncidentMonthCount.objects.all()},
        {(r.site_id, r.weekday, r.hour): r.count for r in IncidentWeekCount.objects.all()},
        {
            (r.site_id, r.occurred_on, r.start_second, r.until_on, r.until_second): r.count
            for r in IncidentRangeCount.objects.all()
        },
    )


def counted_afresh():
    """What counting every incident now gives (the pure rules, not the tables)."""
    changes = counts.changes_of(stored.rows_of(Incident.objects.all())).nonzero()
    return (dict(changes.months), dict(changes.weeks), dict(changes.ranges))


def sites():
    return Site.objects.get(name="Kvisthamraskolan"), Site.objects.get(name="Rodengymnasiet")


def ranking_of_every_incident(ranking_settings):
    """The ranking as it was computed before the stored counts: every incident in the window grouped by
    site, kind and month, mid-month for the recency weight."""
    window = Incident.objects.filter(
        occurred_on__gt=ranking_settings.window_start, occurred_on__lte=ranking_settings.as_of
    )
    grouped = {}
    for i in window:
        key = (i.site_id, i.kind, min(i.occurred_on.replace(day=15), ranking_settings.as_of))
        n, cost = grouped.get(key, (0, Decimal("0")))
        grouped[key] = (n + 1, cost + (i.cost or Decimal("0")))
    counted = [pure_ranking.Count(s, k, on, n, c) for (s, k, on), (n, c) in grouped.items()]
    days = list(Incident.objects.values_list("occurred_on", flat=True))
    first = min(days) if days else None
    inputs = [pure_ranking.SiteInput(pk, first) for pk in Site.objects.values_list("pk", flat=True)]
    return pure_ranking.rank_sites(inputs, counted, ranking_settings)


def assert_same_ranking(got, expected):
    assert [(r.site, r.rank, r.count, r.cost, r.cost_per_year, r.per_year) for r in got] == [
        (r.site, r.rank, r.count, r.cost, r.cost_per_year, r.per_year) for r in expected
    ]
    for mine, theirs in zip(got, expected, strict=True):
        assert mine.weighted == pytest.approx(theirs.weighted, rel=1e-12)
        assert (mine.low, mine.rate, mine.high) == pytest.approx((theirs.low, theirs.rate, theirs.high), rel=1e-9)


#
# The pure part
#


@given(st.one_of(st.none(), st.times()))
def test_a_time_survives_as_seconds_of_the_day(time):
    expected = None if time is None else time.replace(microsecond=0)
    assert counts.time_of(counts.seconds(time)) == expected


@given(st.decimals(min_value=0, max_value=10**9, places=2))
def test_kronor_survive_as_ore(cost):
    assert counts.kronor(counts.ore(cost)) == cost


def test_adding_and_taking_away_the_same_incident_changes_nothing():
    changes = counts.Changes()
    row = (1, "arson", dt.date(2024, 12, 31), None, dt.date(2025, 1, 1), dt.time(2), Decimal("10.50"))
    changes.add(*row)
    assert changes and changes.months[(1, dt.date(2024, 12, 1), "arson")] == [1, 1050, 1]
    assert changes.ranges == {(1, dt.date(2024, 12, 31), -1, dt.date(2025, 1, 1), 7200): 1}
    changes.add(*row, sign=-1)
    assert not changes and not changes.nonzero().months
    with pytest.raises(ValueError, match="sign"):
        changes.add(*row, sign=2)


#
# The counts follow every change
#

edits = st.fixed_dictionaries(
    {"values": incidents(), "other_site": st.booleans(), "action": st.sampled_from(["add", "edit", "delete"])}
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(edits, min_size=1, max_size=12))
def test_the_counts_follow_adds_edits_and_deletes(db, steps):
    """Any sequence of added, changed (site, time, kind, cost) and deleted incidents: the stored counts
    equal counting every incident afresh, and the profile read from them equals the pure profile."""
    first, second = sites()
    for step in steps:
        target = second if step["other_site"] else first
        existing = Incident.objects.order_by("-pk").first()
        if step["action"] == "add" or existing is None:
            Incident.objects.create(site=target, **step["values"])
        elif step["action"] == "edit":
            existing.site = target
            for name, value in step["values"].items():
                setattr(existing, name, value)
            existing.save()
        else:
            existing.delete()
        assert stored_state() == counted_afresh()
    for place in (first, second):
        assert_same(needs.profile_for(place, AS_OF), pure_profile_of(place))


def test_an_edit_moves_the_incident_between_sites_months_and_hours():
    first, second = sites()
    incident = Incident.objects.create(
        site=first, kind="arson", occurred_on=dt.date(2024, 12, 31), occurred_time=dt.time(23, 30), cost=Decimal("5")
    )
    hour = IncidentWeekCount.objects.filter(site=second, weekday=2, hour=0)  # Wednesday 1 Jan, 00–01
    hour_before = sum(hour.values_list("count", flat=True))
    january = IncidentMonthCount.objects.filter(site=second, month=dt.date(2025, 1, 1), kind="arson")
    january_before = january.values_list("count", "cost_ore", "with_cost").first() or (0, 0, 0)
    december = IncidentMonthCount.objects.filter(site=first, month=dt.date(2024, 12, 1), kind="arson")
    before = december.get().count
    incident.site, incident.occurred_on, incident.occurred_time = second, dt.date(2025, 1, 1), dt.time(0, 30)
    incident.save()
    assert sum(december.values_list("count", flat=True)) == before - 1  # the row goes when it reaches 0
    moved = january.values_list("count", "cost_ore", "with_cost").get()
    assert [a - b for a, b in zip(moved, january_before, strict=True)] == [1, 500, 1]
    assert hour.get().count == hour_before + 1
    assert stored_state() == counted_afresh()


def test_deleting_many_at_once_takes_them_all_off():
    first, _second = sites()
    Incident.objects.bulk_create(
        Incident(site=first, kind="graffiti", occurred_on=dt.date(2024, 3, 31), occurred_time=dt.time(2, 30))
        for _ in range(5)
    )
    stored.rebuild([first.pk])
    before = IncidentWeekCount.objects.get(site=first, weekday=6, hour=2).count
    Incident.objects.filter(site=first, occurred_on=dt.date(2024, 3, 31), occurred_time=dt.time(2, 30)).delete()
    assert before >= 5
    assert stored_state() == counted_afresh()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TRYGG_IMPORT_IN_WORKER = False


def _rows(count):
    from trygg.incidents.tests.files import IMY_HEADERS

    return [IMY_HEADERS] + [
        [f"2024-{1 + n % 12:02d}-{1 + n % 28:02d}", f"{n % 24:02d}:{n % 60:02d}", "Kvisthamraskolan", f"Nr {n}", "Nej"]
        for n in range(count)
    ]


def test_an_import_adds_to_the_counts_batch_by_batch_and_an_undone_import_takes_it_all_away(
    client_for, media, monkeypatch
):
    from trygg.incidents.tests.files import csv_bytes

    monkeypatch.setattr(services, "CHUNK", 4)
    client = client_for("officer")
    start = stored_state()
    run, _response = upload(client, csv_bytes(_rows(10)), "tio.csv")
    run = map_columns(client, run)
    seen = []
    original = services._commit_batch

    def checked(*args):
        created = original(*args)
        seen.append(stored_state() == counted_afresh())
        return created

    monkeypatch.setattr(services, "_commit_batch", checked)
    run = commit(client, run, "all")
    assert run.status == "done" and from_run(run).count() == 10
    assert seen == [True, True, True]
    assert stored_state() == counted_afresh() and stored_state() != start
    # The default ranking of today was stored at once, at the current version.
    key = stored.settings_key(stored.default_settings())
    assert StoredRanking.objects.filter(settings_key=key, version=stored.current_version()).exists()

    removed = services.remove_written(run)
    assert removed == 10 and stored_state() == start == counted_afresh()


def test_a_failed_import_leaves_the_counts_as_they_were(client_for, media, monkeypatch):
    from trygg.incidents.tests.files import csv_bytes

    monkeypatch.setattr(services, "CHUNK", 4)
    client = client_for("officer")
    start = stored_state()
    run, _response = upload(client, csv_bytes(_rows(10)), "fel.csv")
    run = map_columns(client, run)
    original = services.BulkInserter.insert
    calls = []

    def third_fails(self, rows):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return original(self, rows)

    monkeypatch.setattr(services.BulkInserter, "insert", third_fails)
    run = commit(client, run, "all")
    assert run.status == "failed" and len(calls) == 3
    assert stored_state() == start == counted_afresh()


def test_the_command_and_the_migration_count_what_was_written_without_signals():
    import importlib

    from django.apps import apps

    first, _second = sites()
    Incident.objects.bulk_create(
        Incident(site=first, kind="theft", occurred_on=dt.date(2024, 10, 27), occurred_time=dt.time(2, 15))
        for _ in range(3)
    )
    assert stored_state() != counted_afresh()
    call_command("recompute_incident_counts", stdout=__import__("io").StringIO())
    assert stored_state() == counted_afresh()

    for model in (IncidentMonthCount, IncidentWeekCount, IncidentRangeCount):
        model.objects.all().delete()
    from trygg.incidents.models import IncidentCountsVersion

    IncidentCountsVersion.objects.all().delete()
    migration = importlib.import_module("trygg.incidents.migrations.0004_stored_counts")
    migration.count_existing_incidents(apps, None)
    assert stored_state() == counted_afresh()


#
# What the pages compute from the counts
#


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(incidents(), min_size=2, max_size=30), st.data())
def test_the_ranking_from_the_counts_equals_the_ranking_of_every_incident(db, values, data):
    """Windows that start and end a few days from an incident: mid-month, on the first or last of a
    month, or within one month; with and without the recency weight."""
    days = sorted(v["occurred_on"] for v in values)
    as_of = data.draw(st.sampled_from(days)) + dt.timedelta(days=data.draw(st.integers(-2, 2)))
    start = data.draw(st.sampled_from(days)) + dt.timedelta(days=data.draw(st.integers(-2, 2)))
    years = max(1, (as_of - start).days) / 365.25 if start < as_of else data.draw(st.sampled_from([0.02, 1.0, 5.0]))
    half_life = data.draw(st.sampled_from([None, 2.0]))
    first, second = sites()
    Incident.objects.all().delete()
    for i, v in enumerate(values):
        Incident.objects.create(site=second if i % 3 == 0 else first, **v)
    ranking_settings = pure_ranking.Settings(
        as_of=as_of, years=years, half_life_years=half_life, harm_weights=needs.harm_weights()
    )
    expected = ranking_of_every_incident(ranking_settings).sites
    assert_same_ranking(needs.ranking_for(list(Site.objects.all()), ranking_settings).sites, expected)
    shown = stored.ranked(ranking_settings)
    assert_same_ranking([r.as_site_rank() for r in shown.ranks], expected)


def test_a_stored_ranking_is_served_until_the_counts_change():
    first, _second = sites()
    ranking_settings = stored.default_settings(AS_OF)
    stored.ranked(ranking_settings)
    with CaptureQueriesContext(connection) as captured:
        again = stored.ranked(ranking_settings)
        rows = [r.as_site_rank() for r in again.ranks]
    assert len(captured) == 3  # the version, the stored ranking, its rows
    assert_same_ranking(rows, ranking_of_every_incident(ranking_settings).sites)

    Incident.objects.create(site=first, kind="arson", occurred_on=dt.date(2025, 5, 1))
    changed = [r.as_site_rank() for r in stored.ranked(ranking_settings).ranks]
    assert_same_ranking(changed, ranking_of_every_incident(ranking_settings).sites)
    assert changed != rows
    # A new site is ranked too (with no incidents).
    extra = Site.objects.create(
        name="Ny plats", kind="park", administration=Administration.objects.first(), longitude=18.7, latitude=59.76
    )
    assert extra.pk in {r.site_id for r in stored.ranked(ranking_settings).ranks}


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_the_overview_order_equals_counting_every_incident(db, data):
    """Incidents around the day a year ago and the first of the month after it (where the stored
    counts of whole months begin)."""
    from django.utils import timezone

    first, second = sites()
    today = timezone.localdate()
    year_ago = today - dt.timedelta(days=365)
    whole_from = (year_ago.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    edges = [(today - day).days + shift for day in (year_ago, whole_from) for shift in (-1, 0, 1)]
    days_ago = data.draw(st.lists(st.one_of(st.integers(-40, 400), st.sampled_from(edges)), min_size=1, max_size=20))
    for i, days in enumerate(days_ago):
        Incident.objects.create(
            site=second if i % 2 else first, kind="vandalism", occurred_on=today - dt.timedelta(days=days)
        )
    year_ago = today - dt.timedelta(days=365)
    expected = dict(
        Site.objects.annotate(n=Count("incidents", filter=Q(incidents__occurred_on__gt=year_ago))).values_list(
            "name", "n"
        )
    )
    got = needs.overview_sites(Site.objects.all(), today)
    assert {s.name: s.last_year for s in got} == expected
    order = [(-s.last_year, s.name) for s in got]
    assert order == sorted(order)
    totals = needs.site_totals([first.pk, second.pk])
    assert totals[first.pk][0] == Incident.objects.filter(site=first).count()
