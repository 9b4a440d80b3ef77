"""The history of a camera that already exists: dates in order, unknown steps visible, refusals named."""

import datetime as dt
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trygg.cameras.lifecycle import ALLOWED, HISTORY_ORDER, HistoryRefused, HistoryStep, State, history_steps

D = dt.date
TODAY = D(2026, 11, 30)


def test_all_dates_known_give_one_step_each_in_order():
    dates = {
        State.PLANNED: D(2019, 1, 10),
        State.DESIGNED: D(2019, 3, 1),
        State.INSTALLED: D(2019, 5, 20),
        State.IN_OPERATION: D(2019, 6, 1),
    }
    assert history_steps(dates, TODAY) == [
        HistoryStep(State.PLANNED, D(2019, 1, 10)),
        HistoryStep(State.DESIGNED, D(2019, 3, 1)),
        HistoryStep(State.INSTALLED, D(2019, 5, 20)),
        HistoryStep(State.IN_OPERATION, D(2019, 6, 1)),
    ]


def test_unknown_early_steps_borrow_the_next_known_date_and_say_so():
    steps = history_steps({State.IN_OPERATION: D(2019, 6, 1)}, TODAY)
    assert steps == [
        HistoryStep(State.PLANNED, D(2019, 6, 1), known=False),
        HistoryStep(State.DESIGNED, D(2019, 6, 1), known=False),
        HistoryStep(State.INSTALLED, D(2019, 6, 1), known=False),
        HistoryStep(State.IN_OPERATION, D(2019, 6, 1)),
    ]
    # Planned known, designed not: designed borrows the installation date, not the planning date.
    steps = history_steps({State.PLANNED: D(2018, 11, 1), State.INSTALLED: D(2019, 5, 2)}, TODAY)
    assert [(s.state, s.occurred_on, s.known) for s in steps] == [
        (State.PLANNED, D(2018, 11, 1), True),
        (State.DESIGNED, D(2019, 5, 2), False),
        (State.INSTALLED, D(2019, 5, 2), True),
    ]


def test_paused_and_decommissioned_come_last():
    dates = {
        State.INSTALLED: D(2019, 5, 2),
        State.IN_OPERATION: D(2019, 6, 1),
        State.PAUSED: D(2023, 1, 1),
        State.DECOMMISSIONED: D(2024, 2, 1),
    }
    assert [s.state for s in history_steps(dates, TODAY)][-3:] == [
        State.IN_OPERATION,
        State.PAUSED,
        State.DECOMMISSIONED,
    ]
    # Installed and then taken down without ever running.
    steps = history_steps({State.INSTALLED: D(2020, 1, 1), State.DECOMMISSIONED: D(2020, 2, 1)}, TODAY)
    assert [s.state for s in steps] == [State.PLANNED, State.DESIGNED, State.INSTALLED, State.DECOMMISSIONED]


@pytest.mark.parametrize(
    ("dates", "reason", "state", "other"),
    [
        ({State.PLANNED: D(2019, 1, 1)}, "not_in_field", State.INSTALLED, None),
        ({}, "not_in_field", State.INSTALLED, None),
        ({State.INSTALLED: D(2027, 1, 1)}, "future", State.INSTALLED, None),
        (
            {State.INSTALLED: D(2019, 5, 1), State.IN_OPERATION: D(2019, 4, 1)},
            "out_of_order",
            State.IN_OPERATION,
            State.INSTALLED,
        ),
        (
            {State.PLANNED: D(2020, 1, 1), State.INSTALLED: D(2019, 5, 1)},
            "out_of_order",
            State.INSTALLED,
            State.PLANNED,
        ),
        (
            {State.INSTALLED: D(2019, 5, 1), State.PAUSED: D(2020, 1, 1)},
            "paused_needs_operation",
            State.PAUSED,
            State.IN_OPERATION,
        ),
        (
            {State.IN_OPERATION: D(2019, 5, 1), State.PAUSED: D(2020, 1, 1), State.DECOMMISSIONED: D(2019, 12, 1)},
            "out_of_order",
            State.DECOMMISSIONED,
            State.PAUSED,
        ),
    ],
)
def test_dates_that_cannot_be_a_history_are_refused_naming_the_step(dates, reason, state, other):
    with pytest.raises(HistoryRefused) as refused:
        history_steps(dates, TODAY)
    assert (refused.value.reason, refused.value.state, refused.value.other) == (reason, state, other)


def test_today_itself_is_not_the_future():
    assert history_steps({State.INSTALLED: TODAY}, TODAY)[-1] == HistoryStep(State.INSTALLED, TODAY)


dates_strategy = st.dictionaries(
    st.sampled_from(HISTORY_ORDER), st.dates(min_value=D(2015, 1, 1), max_value=TODAY), max_size=len(HISTORY_ORDER)
)


@given(dates_strategy)
def test_any_accepted_history_is_a_legal_dated_path_that_keeps_every_known_date(dates):
    try:
        steps = history_steps(dates, TODAY)
    except HistoryRefused:
        return
    assert steps[0].state is State.PLANNED
    for before, after in pairwise(steps):
        assert after.state in ALLOWED[before.state]
        assert before.occurred_on <= after.occurred_on
    known = {s.state: s.occurred_on for s in steps if s.known}
    assert known == dates  # every date given is recorded as given, and only those are "known"
