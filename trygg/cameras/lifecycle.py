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


def check_move(current: State | None, target: State, last_date: dt.date | None, on: dt.date) -> None:
    """Raise TransitionRefused (reason code 'not_allowed', 'same_state', 'backdated' or 'not_initial')."""
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
