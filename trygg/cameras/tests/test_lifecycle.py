"""The life-cycle state machine and counting by date, without the database."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trygg.cameras.lifecycle import (
    ALLOWED,
    State,
    Transition,
    TransitionRefused,
    check_move,
    count_in_state,
    state_on,
)


def test_the_normal_path_is_allowed():
    path = [
        State.PLANNED,
        State.DESIGNED,
        State.INSTALLED,
        State.IN_OPERATION,
        State.PAUSED,
        State.IN_OPERATION,
        State.DECOMMISSIONED,
    ]
    current = None
    for target in path:
        check_move(current, target, None, dt.date(2024, 1, 1))
        current = target


@pytest.mark.parametrize(
    ("current", "target", "reason"),
    [
        (State.PLANNED, State.IN_OPERATION, "not_allowed"),  # skipping design and installation
        (State.INSTALLED, State.PAUSED, "not_allowed"),  # only a camera in operation can pause
        (State.DECOMMISSIONED, State.IN_OPERATION, "not_allowed"),
        (State.IN_OPERATION, State.IN_OPERATION, "same_state"),
        (None, State.IN_OPERATION, "not_initial"),
    ],
)
def test_illegal_moves_are_refused_with_a_reason(current, target, reason):
    with pytest.raises(TransitionRefused) as refused:
        check_move(current, target, None, dt.date(2024, 1, 1))
    assert refused.value.reason == reason


def test_a_move_dated_before_the_last_one_is_refused():
    with pytest.raises(TransitionRefused) as refused:
        check_move(State.INSTALLED, State.IN_OPERATION, dt.date(2024, 5, 1), dt.date(2024, 4, 30))
    assert refused.value.reason == "backdated"


def test_a_move_dated_after_today_is_refused_and_today_is_allowed():
    today = dt.date(2026, 12, 1)
    with pytest.raises(TransitionRefused) as refused:
        check_move(State.PLANNED, State.DESIGNED, dt.date(2024, 5, 1), dt.date(2030, 1, 1), today)
    assert refused.value.reason == "future"
    check_move(State.PLANNED, State.DESIGNED, dt.date(2024, 5, 1), today, today)  # no exception


def test_state_on_a_date_and_count_by_hand():
    d = dt.date
    rows = [
        Transition(1, None, State.PLANNED, d(2019, 1, 1), 0),
        Transition(1, State.PLANNED, State.DESIGNED, d(2019, 3, 1), 1),
        Transition(1, State.DESIGNED, State.INSTALLED, d(2019, 6, 1), 2),
        Transition(1, State.INSTALLED, State.IN_OPERATION, d(2019, 9, 1), 3),
        Transition(2, None, State.PLANNED, d(2020, 1, 1), 0),
        Transition(2, State.PLANNED, State.DESIGNED, d(2020, 1, 2), 1),
        Transition(2, State.DESIGNED, State.INSTALLED, d(2020, 1, 3), 2),
        Transition(2, State.INSTALLED, State.IN_OPERATION, d(2020, 1, 4), 3),
        Transition(2, State.IN_OPERATION, State.DECOMMISSIONED, d(2023, 2, 1), 4),
    ]
    assert state_on(rows[:4], d(2018, 12, 31)) is None
    assert state_on(rows[:4], d(2019, 8, 31)) == State.INSTALLED
    assert state_on(rows[:4], d(2019, 9, 1)) == State.IN_OPERATION  # counted at the end of the day
    # Camera 1 runs from 2019-09-01; camera 2 from 2020-01-04 to 2023-02-01.
    assert count_in_state(rows, d(2019, 12, 31)) == 1
    assert count_in_state(rows, d(2022, 12, 31)) == 2
    assert count_in_state(rows, d(2023, 12, 31)) == 1


@given(st.lists(st.sampled_from(list(State)), max_size=30))
def test_any_sequence_of_attempts_only_follows_allowed_moves(targets):
    current = None
    history = []
    day = dt.date(2020, 1, 1)
    for i, target in enumerate(targets):
        try:
            check_move(current, target, day, day)
        except TransitionRefused:
            continue
        assert current is None or target in ALLOWED[current]
        history.append(Transition(1, current, target, day, i))
        current = target
        day += dt.timedelta(days=1)
    assert state_on(history, dt.date(2100, 1, 1)) == current
    if current is not None:
        assert history[0].to_state == State.PLANNED
