"""The pure rules of which reminders go out on a day, with hand-made dates (no database)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trygg.notifications.selection import (
    DEADLINES,
    KINDS,
    QUEUE,
    REVIEWS,
    SIGN_INSPECTIONS,
    ReminderItem,
    grouped,
    horizon,
    is_due,
    select,
)

TODAY = dt.date(2025, 3, 10)


def item(key: str, kind: str, day: dt.date, title: str = "") -> ReminderItem:
    return ReminderItem(key=key, kind=kind, title=title or key, due_on=day, url=f"https://trygg.example/{key}/")


def test_a_deadline_is_due_from_the_chosen_days_ahead_until_its_day():
    meeting = item("ks", DEADLINES, dt.date(2025, 3, 17))  # a week after TODAY
    chosen = {DEADLINES: 7}
    assert not is_due(meeting, chosen, dt.date(2025, 3, 9))  # eight days ahead: not yet
    assert is_due(meeting, chosen, dt.date(2025, 3, 10))  # exactly seven days ahead
    assert is_due(meeting, chosen, dt.date(2025, 3, 17))  # on the day
    assert not is_due(meeting, chosen, dt.date(2025, 3, 18))  # passed


def test_zero_days_ahead_means_on_the_day_only():
    review = item("dpia-1", REVIEWS, TODAY)
    assert is_due(review, {REVIEWS: 0}, TODAY)
    assert not is_due(review, {REVIEWS: 0}, TODAY - dt.timedelta(days=1))


def test_each_kind_has_its_own_window_and_unchosen_kinds_are_left_out():
    items = [
        item("meeting", DEADLINES, dt.date(2025, 3, 20)),  # 10 days ahead
        item("review", REVIEWS, dt.date(2025, 4, 5)),  # 26 days ahead
        item("sign", SIGN_INSPECTIONS, dt.date(2025, 3, 11)),  # tomorrow
    ]
    picked = select(items, {DEADLINES: 14, REVIEWS: 30}, TODAY)
    assert [i.key for i in picked] == ["meeting", "review"]  # sign inspections not chosen
    picked = select(items, {DEADLINES: 7, REVIEWS: 30, SIGN_INSPECTIONS: 1}, TODAY)
    assert [i.key for i in picked] == ["review", "sign"]  # the meeting is 10 days away, beyond 7


def test_the_queue_is_reminded_of_whatever_its_date():
    waiting = item("queue-impactassessment-3", QUEUE, dt.date(2024, 1, 2))  # waiting for a year
    assert select([waiting], {QUEUE: 0}, TODAY) == [waiting]
    assert select([waiting], {DEADLINES: 365}, TODAY) == []


def test_what_was_sent_is_not_sent_again_but_a_new_date_is():
    first = item("ks-meeting", DEADLINES, dt.date(2025, 3, 12))
    moved = item("ks-meeting", DEADLINES, dt.date(2025, 3, 14))  # the same meeting, moved
    assert select([first], {DEADLINES: 7}, TODAY, already_sent={first.sent_key}) == []
    assert select([moved], {DEADLINES: 7}, TODAY, already_sent={first.sent_key}) == [moved]


def test_the_same_thing_twice_in_the_input_is_picked_once():
    one = item("sign-4", SIGN_INSPECTIONS, dt.date(2025, 3, 12))
    assert select([one, one], {SIGN_INSPECTIONS: 5}, TODAY) == [one]


def test_items_come_by_kind_then_date_then_title():
    items = [
        item("b", DEADLINES, dt.date(2025, 3, 12), "Beta"),
        item("a", DEADLINES, dt.date(2025, 3, 12), "Alfa"),
        item("early", DEADLINES, dt.date(2025, 3, 11)),
        item("r", REVIEWS, dt.date(2025, 3, 10)),
        item("q", QUEUE, dt.date(2025, 1, 1)),
    ]
    picked = select(items, {QUEUE: 0, DEADLINES: 7, REVIEWS: 7}, TODAY)
    assert [i.key for i in picked] == ["q", "early", "a", "b", "r"]
    assert [kind for kind, _items in grouped(picked)] == [QUEUE, DEADLINES, REVIEWS]


def test_horizon_is_the_furthest_chosen_window():
    assert horizon({DEADLINES: 7, REVIEWS: 30, QUEUE: 0}, TODAY) == dt.date(2025, 4, 9)
    assert horizon({QUEUE: 0}, TODAY) == TODAY


def test_negative_days_are_refused():
    with pytest.raises(ValueError, match="negative"):
        is_due(item("x", DEADLINES, TODAY), {DEADLINES: -1}, TODAY)


days = st.integers(min_value=0, max_value=365)
offsets = st.integers(min_value=-400, max_value=400)


@given(
    st.lists(st.tuples(st.sampled_from(KINDS), offsets), max_size=20),
    st.dictionaries(st.sampled_from(KINDS), days),
    st.sets(st.integers(min_value=0, max_value=19)),
)
def test_every_picked_item_is_chosen_due_and_unsent(specs, chosen, sent_indexes):
    items = [item(f"k{n}", kind, TODAY + dt.timedelta(days=offset)) for n, (kind, offset) in enumerate(specs)]
    sent = {items[n].sent_key for n in sent_indexes if n < len(items)}
    picked = select(items, chosen, TODAY, sent)
    for chosen_item in picked:
        assert chosen_item.kind in chosen
        assert chosen_item.sent_key not in sent
        if chosen_item.kind != QUEUE:
            assert TODAY <= chosen_item.due_on <= TODAY + dt.timedelta(days=chosen[chosen_item.kind])
    # And nothing due, chosen and unsent is left out.
    left_out = [i for i in items if i not in picked and i.sent_key not in sent]
    assert not any(is_due(i, chosen, TODAY) for i in left_out)
