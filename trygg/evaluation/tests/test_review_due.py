"""The yearly review's due date (trygg.evaluation.review_due): hand-computed dates and properties.

Every expected date below is worked out by hand from the rule in the module docstring.
"""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trygg.evaluation.review_due import (
    LifecycleRow,
    ReviewDone,
    anniversary,
    is_overdue,
    next_review_due,
    operation_started_on,
    pauses,
)

D = dt.date


def rows(*moves):
    return [LifecycleRow(day, state, sequence) for sequence, (state, day) in enumerate(moves)]


BUILT = (("designed", D(2021, 1, 10)), ("installed", D(2021, 4, 20)))


def test_first_review_a_year_after_operation_started():
    camera = rows(*BUILT, ("in_operation", D(2021, 5, 10)))
    assert next_review_due(camera) == D(2022, 5, 10)


def test_not_due_before_operation_or_after_decommissioning():
    assert next_review_due(rows(*BUILT)) is None
    assert next_review_due(rows(*BUILT, ("in_operation", D(2021, 5, 10)), ("decommissioned", D(2023, 2, 1)))) is None


def test_leap_day_start_falls_on_28_february_in_common_years_and_back_on_29_in_leap_years():
    camera = rows(*BUILT, ("in_operation", D(2024, 2, 29)))
    assert next_review_due(camera) == D(2025, 2, 28)
    assert next_review_due(camera, [ReviewDone(D(2025, 2, 28), D(2025, 2, 20))]) == D(2026, 2, 28)
    # 2027-02-28 covered → the next anniversary is 2028-02-29 (a leap year), not 2028-02-28.
    assert next_review_due(camera, [ReviewDone(D(2027, 2, 28), D(2027, 2, 28))]) == D(2028, 2, 29)


def test_a_pause_does_not_move_the_date():
    # In operation 2021-05-10, paused 2022-01-15, resumed 2022-09-01: still due 2022-05-10.
    camera = rows(
        *BUILT,
        ("in_operation", D(2021, 5, 10)),
        ("paused", D(2022, 1, 15)),
        ("in_operation", D(2022, 9, 1)),
    )
    assert next_review_due(camera) == D(2022, 5, 10)
    assert pauses(camera, D(2023, 1, 1)) == [(D(2022, 1, 15), D(2022, 9, 1))]
    # Still paused: due all the same, the pause open-ended.
    paused = rows(*BUILT, ("in_operation", D(2021, 5, 10)), ("paused", D(2024, 6, 1)))
    assert next_review_due(paused, [ReviewDone(D(2024, 5, 10), D(2024, 5, 2))]) == D(2025, 5, 10)
    assert pauses(paused, D(2024, 12, 31)) == [(D(2024, 6, 1), None)]
    assert pauses(paused, D(2024, 5, 31)) == []


def test_an_early_review_does_not_bring_the_next_forward():
    camera = rows(*BUILT, ("in_operation", D(2021, 5, 10)))
    assert next_review_due(camera, [ReviewDone(D(2022, 5, 10), D(2022, 3, 1))]) == D(2023, 5, 10)


def test_a_late_review_covers_the_anniversaries_before_its_decision():
    camera = rows(*BUILT, ("in_operation", D(2019, 9, 1)))
    # Due 2020-09-01, decided 2023-05-04: covers 2021-09-01 and 2022-09-01; 2023-09-01 comes after the decision.
    assert next_review_due(camera, [ReviewDone(D(2020, 9, 1), D(2023, 5, 4))]) == D(2023, 9, 1)
    # Decided on an anniversary: that anniversary is covered.
    assert next_review_due(camera, [ReviewDone(D(2020, 9, 1), D(2021, 9, 1))]) == D(2022, 9, 1)


def test_the_latest_review_counts_whatever_the_order():
    camera = rows(*BUILT, ("in_operation", D(2019, 9, 1)))
    reviews = [ReviewDone(D(2025, 9, 1), D(2025, 8, 20)), ReviewDone(D(2020, 9, 1), D(2020, 8, 1))]
    assert next_review_due(camera, reviews) == D(2026, 9, 1)


def test_rows_in_any_order_and_the_first_start_counts():
    camera = [
        LifecycleRow(D(2022, 9, 1), "in_operation", 4),
        LifecycleRow(D(2021, 5, 10), "in_operation", 2),
        LifecycleRow(D(2022, 1, 15), "paused", 3),
    ]
    assert operation_started_on(camera) == D(2021, 5, 10)
    assert next_review_due(camera) == D(2022, 5, 10)


def test_overdue_only_after_the_due_date():
    assert not is_overdue(D(2025, 5, 10), D(2025, 5, 10))
    assert is_overdue(D(2025, 5, 10), D(2025, 5, 11))
    assert not is_overdue(None, D(2030, 1, 1))


def test_anniversary_refuses_negative_years():
    with pytest.raises(ValueError):
        anniversary(D(2020, 1, 1), -1)


days = st.dates(min_value=D(2000, 1, 1), max_value=D(2060, 12, 31))


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(start=days, reviewed=st.lists(st.tuples(st.integers(0, 3000), st.integers(-200, 600)), max_size=4))
def test_due_is_an_anniversary_after_start_and_every_review(start, reviewed):
    camera = rows(("installed", start - dt.timedelta(days=30)), ("in_operation", start))
    reviews = [
        ReviewDone(start + dt.timedelta(days=offset), start + dt.timedelta(days=offset + late))
        for offset, late in reviewed
    ]
    due = next_review_due(camera, reviews)
    assert due is not None and due > start
    assert any(anniversary(start, k) == due for k in range(1, 80))
    for review in reviews:
        assert due > review.due_on and due > review.decided_on
    # The first such anniversary: the one before it is covered (or is the start itself).
    k = next(k for k in range(1, 80) if anniversary(start, k) == due)
    previous = anniversary(start, k - 1)
    assert k == 1 or any(previous <= max(r.due_on, r.decided_on) for r in reviews)


@given(start=days)
def test_yearly_step(start):
    camera = rows(("in_operation", start))
    first = next_review_due(camera)
    second = next_review_due(camera, [ReviewDone(first, first)])
    assert first == anniversary(start, 1)
    assert second == anniversary(start, 2)
    assert 365 <= (second - first).days <= 366
