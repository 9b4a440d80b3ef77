"""A camera's life cycle as an explicit state machine, with no Django imports.

planerad → projekterad → installerad → i drift ⇄ pausad → avvecklad. Each move is kept as a dated
row, so the state of every camera on any past date — and so the indicator "antal kameror i drift"
— is computed from the rows, never typed in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise


class State(StrEnum):
    PLANNED = "planned"
    DESIGNED = "designed"
    INSTALLED = "installed"
    IN_OPERATION = "in_operation"
    PAUSED = "paused"
    DECOMMISSIONED = "decommissioned"


# Swedish labels live with the Django choices (trygg.cameras.choices); these are the allowed moves.
ALLOWED: dict[State, frozenset[State]] = {
    State.PLANNED: frozenset({State.DESIGNED, State.DECOMMISSIONED}),
    State.DESIGNED: frozenset({State.PLANNED, State.INSTALLED, State.DECOMMISSIONED}),
    State.INSTALLED: frozenset({State.IN_OPERATION, State.DECOMMISSIONED}),
    State.IN_OPERATION: frozenset({State.PAUSED, State.DECOMMISSIONED}),
    State.PAUSED: frozenset({State.IN_OPERATION, State.DECOMMISSIONED}),
    State.DECOMMISSIONED: frozenset(),
}
INITIAL = State.PLANNED


class TransitionRefused(ValueError):
    """A move the state machine does not allow; `reason` says which rule it broke."""

    def __init__(self, reason: str, from_state: State | None, to_state: State) -> None:
        super().__init__(reason)
        self.reason = reason
        self.from_state = from_state
        self.to_state = to_state


@dataclass(frozen=True)
class Transition:
    """One dated move; `from_state` is None for the row that creates the camera."""

    camera_id: int
    from_state: State | None
    to_state: State
    occurred_on: dt.date
    sequence: int = 0  # orders moves made on the same day


def check_move(
    current: State | None, target: State, last_date: dt.date | None, on: dt.date, today: dt.date | None = None
) -> None:
    """Raise TransitionRefused (reason 'future', 'not_allowed', 'same_state', 'backdated' or 'not_initial').

    A move is a fact that has happened: dated after `today` it is refused ('future'), since a later
    dated row would make every real move before that date look backdated.
    """
    if today is not None and on > today:
        raise TransitionRefused("future", current, target)
    if current is None:
        if target != INITIAL:
            raise TransitionRefused("not_initial", current, target)
        return
    if target == current:
        raise TransitionRefused("same_state", current, target)
    if target not in ALLOWED[current]:
        raise TransitionRefused("not_allowed", current, target)
    if last_date is not None and on < last_date:
        raise TransitionRefused("backdated", current, target)


def state_on(transitions: Iterable[Transition], on: dt.date) -> State | None:
    """The camera's state at the end of day `on`, or None if it did not exist yet."""
    latest: Transition | None = None
    for transition in transitions:
        if transition.occurred_on > on:
            continue
        if latest is None or (transition.occurred_on, transition.sequence) >= (latest.occurred_on, latest.sequence):
            latest = transition
    return latest.to_state if latest else None


def count_in_state(transitions: Iterable[Transition], on: dt.date, state: State = State.IN_OPERATION) -> int:
    """How many cameras were in `state` at the end of day `on`."""
    by_camera: dict[int, list[Transition]] = {}
    for transition in transitions:
        by_camera.setdefault(transition.camera_id, []).append(transition)
    return sum(1 for rows in by_camera.values() if state_on(rows, on) == state)


#
# History of a camera that already exists in the field (registered after the fact)
#

# The order a camera's life is told in when it is registered after the fact.
HISTORY_ORDER: tuple[State, ...] = (
    State.PLANNED,
    State.DESIGNED,
    State.INSTALLED,
    State.IN_OPERATION,
    State.PAUSED,
    State.DECOMMISSIONED,
)


class HistoryRefused(ValueError):
    """Dates of an existing camera's history that cannot be recorded.

    `reason` is 'not_in_field' (neither installed nor in operation given), 'future' (a date after
    today), 'out_of_order' (a date before an earlier step's; `other` names that step) or
    'paused_needs_operation' (paused without a date in operation). `state` is the step at fault.
    """

    def __init__(self, reason: str, state: State, other: State | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.state = state
        self.other = other


@dataclass(frozen=True)
class HistoryStep:
    """One step of the history; `known` is False when its date was not given and is borrowed."""

    state: State
    occurred_on: dt.date
    known: bool = True


def history_steps(dates: dict[State, dt.date | None], today: dt.date) -> list[HistoryStep]:
    """The dated steps of a camera's past life, from the dates an officer knows.

    `dates` maps states of `HISTORY_ORDER` to the date the camera entered them (None: not known or
    not so). The camera exists in the field, so installed or in operation must be given. Steps the
    state machine needs but whose date is not known (planned, designed, installed before a known
    later step) are recorded on the date of the next known step and marked `known=False`, so the
    guess is visible, never silent. Raises HistoryRefused; the result always obeys `ALLOWED`.
    """
    given = {state: on for state, on in dates.items() if on is not None and state in HISTORY_ORDER}
    if State.INSTALLED not in given and State.IN_OPERATION not in given:
        raise HistoryRefused("not_in_field", State.INSTALLED)
    if State.PAUSED in given and State.IN_OPERATION not in given:
        raise HistoryRefused("paused_needs_operation", State.PAUSED, State.IN_OPERATION)
    previous: State | None = None
    for state in HISTORY_ORDER:
        if state not in given:
            continue
        if given[state] > today:
            raise HistoryRefused("future", state)
        if previous is not None and given[state] < given[previous]:
            raise HistoryRefused("out_of_order", state, previous)
        previous = state
    last_in_field = State.IN_OPERATION if State.IN_OPERATION in given else State.INSTALLED
    steps: list[HistoryStep] = []
    # Planned → designed → installed → in operation: every step is needed; unknown ones borrow a date.
    chain = HISTORY_ORDER[: HISTORY_ORDER.index(last_in_field) + 1]
    for index, state in enumerate(chain):
        if state in given:
            steps.append(HistoryStep(state, given[state]))
        else:
            borrowed = next(given[later] for later in chain[index + 1 :] if later in given)
            steps.append(HistoryStep(state, borrowed, known=False))
    for state in (State.PAUSED, State.DECOMMISSIONED):
        if state in given:
            steps.append(HistoryStep(state, given[state]))
    for before, after in pairwise(steps):
        if after.state not in ALLOWED[before.state]:  # pragma: no cover - the order above guarantees it
            raise HistoryRefused("out_of_order", after.state, before.state)
    return steps
