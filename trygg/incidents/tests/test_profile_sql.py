"""The need profile and the ranking counted in SQL (`needs`) equal the pure results from every row
(`profile.build_profile`, `ranking.rank_sites`), around the changes to and from summer time and across year boundaries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trygg.incidents import needs, stored
from trygg.incidents import profile as pure_profile
from trygg.incidents import ranking as pure_ranking
from trygg.incidents.models import Incident
from trygg.sites.models import Measure, Site

pytestmark = pytest.mark.django_db

# Sweden's clock changes (2023-03-26, 2023-10-29, 2024-03-31, 2024-10-27) and New Year.
EDGES = [dt.date(2023, 3, 26), dt.date(2023, 10, 29), dt.date(2024, 3, 31), dt.date(2024, 10, 27), dt.date(2025, 1, 1)]
KINDS = ["vandalism", "graffiti", "arson", "break_in"]
AS_OF = dt.date(2025, 6, 1)

days = st.one_of(
    st.builds(lambda edge, shift: edge + dt.timedelta(days=shift), st.sampled_from(EDGES), st.integers(-3, 3)),
    st.dates(dt.date(2022, 12, 25), dt.date(2025, 5, 1)),
)
# 02:00–03:00 on the spring change does not exist on the wall clock, and 02:00–03:00 in the autumn
# happens twice: both are kept as written, like any other time.
times = st.one_of(st.none(), st.sampled_from([dt.time(0), dt.time(2, 30), dt.time(23, 59)]), st.times())
costs = st.one_of(st.none(), st.decimals(min_value=0, max_value=99999, places=2))


@st.composite
def incidents(draw):
    kind = draw(st.sampled_from(KINDS))
    on = draw(days)
    at = draw(times)
    cost = draw(costs)
    until_on = until_time = None
    if draw(st.integers(0, 3)) == 0:  # a range, up to a few days, possibly only a date
        until_on = on + dt.timedelta(days=draw(st.integers(0, 4)))
        until_time = draw(st.one_of(st.none(), st.times()))
    return {
        "kind": kind,
        "occurred_on": on,
        "occurred_time": at.replace(second=0, microsecond=0) if at else None,
        "until_on": until_on,
        "until_time": until_time.replace(second=0, microsecond=0) if until_time else None,
        "cost": cost,
    }


def site():
    return Site.objects.get(name="Kvisthamraskolan")


def pure_profile_of(place, as_of=AS_OF):
    """The profile as it was computed before: every row read into Python."""
    rows = [incident.as_row() for incident in Incident.objects.filter(site=place)]
    measures = [
        pure_profile.MeasureInput(str(m.get_kind_display()), m.started_on, m.ended_on)
        for m in Measure.objects.filter(site=place).order_by("started_on")
    ]
    return pure_profile.build_profile(rows, measures, needs.schedules_for(place), as_of)


def assert_same(sql, pure):
    assert sql.count == pure.count
    assert sql.cost == pure.cost and sql.with_cost == pure.with_cost
    assert list(sql.by_kind.items()) == list(pure.by_kind.items())  # order too: most incidents first
    assert list(sql.by_year.items()) == list(pure.by_year.items())
    assert sql.by_year_and_kind == pure.by_year_and_kind
    assert sql.precision == pure.precision
    assert sql.measures == pure.measures
    for sql_row, pure_row in zip(sql.heat.cells, pure.heat.cells, strict=True):
        assert sql_row == pytest.approx(pure_row, abs=1e-9)
    assert list(sql.schedules) == list(pure.schedules)
    for name, coverage in sql.schedules.items():
        other = pure.schedules[name]
        assert coverage.total == pytest.approx(other.total, abs=1e-9)
        assert coverage.inside == pytest.approx(other.inside, abs=1e-9)
        assert coverage.hours_without_incidents == other.hours_without_incidents
        assert {(u.weekday, u.hour): u.incidents for u in coverage.uncovered} == pytest.approx(
            {(u.weekday, u.hour): u.incidents for u in other.uncovered}, abs=1e-9
        )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(incidents(), min_size=0, max_size=40))
def test_the_profile_counted_in_sql_equals_the_pure_profile(db, values):
    place = site()
    Incident.objects.filter(site=place).delete()
    Incident.objects.bulk_create(Incident(site=place, **v) for v in values)
    stored.rebuild([place.pk])  # bulk_create skips the signals that keep the stored counts
    assert_same(needs.profile_for(place, AS_OF), pure_profile_of(place))


def test_a_known_profile_around_the_clock_changes(db):
    place = site()
    Incident.objects.filter(site=place).delete()
    Incident.objects.bulk_create(
        [
            # 02:30 on the night summer time begins (a time the clock skips) is Sunday, hour 2.
            Incident(site=place, kind="arson", occurred_on=dt.date(2024, 3, 31), occurred_time=dt.time(2, 30)),
            # New Year's Eve until New Year's Day: the range crosses the year; it counts in 2024.
            Incident(
                site=place,
                kind="graffiti",
                occurred_on=dt.date(2024, 12, 31),
                occurred_time=dt.time(22),
                until_on=dt.date(2025, 1, 1),
                until_time=dt.time(2),
                cost=Decimal("100.50"),
            ),
            Incident(site=place, kind="graffiti", occurred_on=dt.date(2025, 1, 1), cost=Decimal("0.50")),
        ]
    )
    stored.rebuild([place.pk])
    sql = needs.profile_for(place, AS_OF)
    assert_same(sql, pure_profile_of(place))
    assert sql.heat.cells[6][2] == 1  # Sunday 02–03
    assert sql.by_year[2024] == pure_profile.Tally(2, Decimal("100.50"), 1)
    assert sql.by_year[2025] == pure_profile.Tally(1, Decimal("0.50"), 1)
    assert sql.precision == {"exact": 1, "date": 1, "range": 1}
    assert sql.heat.cells[1][22] == pytest.approx(0.25)  # Tuesday 31 Dec 22–23: a quarter of four hours
    assert sql.heat.cells[2][5] == pytest.approx(1 / 24)  # Wednesday 1 Jan, date only


def test_the_profile_counts_the_demo_the_same_way(db):
    place = site()
    assert Incident.objects.filter(site=place).exists()
    assert_same(needs.profile_for(place, AS_OF), pure_profile_of(place))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(incidents(), min_size=1, max_size=40))
def test_the_ranking_counted_in_sql_equals_the_ranking_of_every_incident(db, values):
    """Per site, kind and month in SQL (native strftime on SQLite) = each incident at mid-month."""
    place = site()
    Incident.objects.filter(site=place).delete()
    Incident.objects.bulk_create(Incident(site=place, **v) for v in values)
    stored.rebuild([place.pk])  # bulk_create skips the signals that keep the stored counts
    ranking_settings = pure_ranking.Settings(as_of=AS_OF, harm_weights=needs.harm_weights())
    sites = list(Site.objects.order_by("pk"))
    first = min(Incident.objects.values_list("occurred_on", flat=True))
    counts = [
        pure_ranking.Count(i.site_id, i.kind, min(i.occurred_on.replace(day=15), AS_OF), 1, i.cost or Decimal("0"))
        for i in Incident.objects.filter(occurred_on__gt=ranking_settings.window_start, occurred_on__lte=AS_OF)
    ]
    expected = pure_ranking.rank_sites([pure_ranking.SiteInput(s.pk, first) for s in sites], counts, ranking_settings)
    got = needs.ranking_for(sites, ranking_settings)
    assert [(r.site, r.rank, r.count, r.cost, r.per_year) for r in got.sites] == [
        (r.site, r.rank, r.count, r.cost, r.per_year) for r in expected.sites
    ]
    for mine, theirs in zip(got.sites, expected.sites, strict=True):
        assert mine.weighted == pytest.approx(theirs.weighted, rel=1e-12)
        assert (mine.low, mine.rate, mine.high) == pytest.approx((theirs.low, theirs.rate, theirs.high), rel=1e-9)
