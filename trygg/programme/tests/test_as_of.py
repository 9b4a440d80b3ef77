"""A project on a date, replayed from its recorded changes: hand-computed examples and properties."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from trygg.programme.as_of import ProjectState, Record, project_as_of, reported_in_year

D = dt.date
NOW = ProjectState("completed", 2025, 3, 5, D(2025, 6, 30), D(2025, 8, 15), ("delivery",), "Nu")

# A project entered on 10 January, its forecast moved in March, delivered in August.
LOG = [
    Record(
        D(2025, 1, 10),
        {
            "status": "in_dialogue",
            "plan_year": 2025,
            "target_min": 3,
            "target_max": 4,
            "target_date": "2025-06-30",
            "forecast_date": None,
            "delay_reasons": [],
            "delay_description": "",
        },
    ),
    Record(D(2025, 1, 10), {"status": "designing"}),  # the same day, saved later: wins
    Record(
        D(2025, 3, 5),
        {"forecast_date": "2025-08-15", "delay_reasons": ["delivery"], "delay_description": "Leveransen"},
    ),
    Record(D(2025, 4, 1), {"status": "installing", "target_max": 5}),
    Record(D(2025, 8, 20), {"status": "completed"}),
]


def test_each_date_reads_what_was_saved_by_its_end():
    on_entry = project_as_of(LOG, D(2025, 1, 10), NOW)
    assert (on_entry.status, on_entry.forecast_date, on_entry.target_max) == ("designing", None, 4)
    assert on_entry.known_since == D(2025, 1, 10) and on_entry.status_since == D(2025, 1, 10)

    march = project_as_of(LOG, D(2025, 3, 31), NOW)
    assert march.status == "designing"
    assert march.forecast_date == D(2025, 8, 15)
    assert march.delay_reasons == ("delivery",) and march.delay_description == "Leveransen"
    assert march.known_since == D(2025, 3, 5) and march.status_since == D(2025, 1, 10)

    april = project_as_of(LOG, D(2025, 4, 30), NOW)
    assert (april.status, april.target_min, april.target_max) == ("installing", 3, 5)
    assert april.status_since == D(2025, 4, 1)

    august = project_as_of(LOG, D(2025, 8, 19), NOW)
    assert august.status == "installing" and not august.is_closed

    done = project_as_of(LOG, D(2025, 12, 31), NOW)
    assert done.status == "completed" and done.is_closed and done.status_since == D(2025, 8, 20)


def test_before_the_first_record_the_first_day_is_used():
    before = project_as_of(LOG, D(2024, 12, 31), NOW)
    assert before.status == "designing"  # the end of 10 January, not the first row of that day
    assert before.target_date == D(2025, 6, 30) and before.forecast_date is None


def test_no_record_gives_the_current_project():
    assert project_as_of([], D(2020, 1, 1), NOW) == NOW


def test_fields_missing_from_old_records_keep_the_current_value():
    state = project_as_of([Record(D(2025, 2, 1), {"status": "designing"})], D(2025, 2, 1), NOW)
    assert state.status == "designing"
    assert state.target_max == NOW.target_max and state.delay_description == "Nu"


def test_a_deleted_project_is_gone_from_that_day():
    log = [*LOG, Record(D(2025, 9, 1), None)]
    assert project_as_of(log, D(2025, 8, 31), NOW).status == "completed"
    assert project_as_of(log, D(2025, 9, 1), NOW) is None


def test_records_out_of_order_are_replayed_by_date():
    shuffled = [LOG[4], LOG[2], LOG[0], LOG[3], LOG[1]]
    assert project_as_of(shuffled, D(2025, 4, 30), NOW) == project_as_of(LOG, D(2025, 4, 30), NOW)


def test_which_projects_a_year_reports():
    open_2024 = ProjectState("designing", 2024, 3, 4, D(2024, 12, 31), None)
    delivered = ProjectState("completed", 2024, 3, 4, D(2024, 12, 31), None)
    assert reported_in_year(open_2024, open_2024, 2024)
    assert reported_in_year(delivered, open_2024, 2025)  # delivered during 2025: told in 2025
    assert not reported_in_year(delivered, delivered, 2025)  # delivered before 2025 began
    assert reported_in_year(open_2024, open_2024, 2026)  # still open: still reported
    assert not reported_in_year(ProjectState("designing", 2026, 1, 1, D(2026, 6, 1), None), None, 2025)
    assert reported_in_year(ProjectState("completed", 2025, 1, 1, D(2025, 6, 1), None), None, 2025)
    assert not reported_in_year(None, open_2024, 2025)


statuses = st.sampled_from(["in_dialogue", "designing", "installing", "completed", "cancelled"])
days = st.dates(min_value=D(2024, 1, 1), max_value=D(2026, 12, 31))
records = st.lists(
    st.builds(
        Record, days, st.fixed_dictionaries({"status": statuses, "target_max": st.integers(min_value=1, max_value=9)})
    ),
    min_size=1,
    max_size=12,
)


@given(records, days)
def test_a_date_never_sees_a_change_saved_after_it(log, on):
    state = project_as_of(log, on, NOW)
    ordered = sorted(enumerate(log), key=lambda item: (item[1].on, item[0]))
    cutoff = max(on, ordered[0][1].on)
    last = [record for _i, record in ordered if record.on <= cutoff][-1]
    assert state.status == last.data["status"] and state.target_max == last.data["target_max"]
    assert state.known_since == last.on <= cutoff
    assert state.status_since is not None and state.status_since <= state.known_since


@given(records, days, days)
def test_a_later_date_knows_at_least_as_recent_a_record(log, first, second):
    early, late = sorted([first, second])
    assert project_as_of(log, early, NOW).known_since <= project_as_of(log, late, NOW).known_since
