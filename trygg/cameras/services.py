"""Changing a camera's life cycle, and counting cameras by state on any date.

Every move goes through `move`, which checks the state machine in `lifecycle`, writes the dated
`CameraTransition` row, updates `Camera.state` and logs a named event, all in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import NullIf
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.translation import gettext

from trygg.cameras.choices import LifecycleState
from trygg.cameras.lifecycle import (
    ALLOWED,
    INITIAL,
    HistoryRefused,
    HistoryStep,
    State,
    TransitionRefused,
    check_move,
    history_steps,
)
from trygg.cameras.models import Camera, CameraTransition
from trygg.core.audit import audit_context, current_context, record_event

# Checks another app adds before a move is allowed (the compliance gate for "i drift", say).
# Each takes (camera, target state, date) and returns Swedish reasons why the move must wait.
PreMoveCheck = Callable[[Camera, State, dt.date], list[str]]
pre_move_checks: list[PreMoveCheck] = []


def _label(state: str | None) -> str:
    return str(LifecycleState(state).label).lower() if state else "–"


def refusal_message(camera: Camera, refused: TransitionRefused, on: dt.date, last_date: dt.date | None) -> str:
    """The Swedish sentence that explains why a move is refused."""
    values = {
        "camera": camera.identifier,
        "from": _label(refused.from_state),
        "to": _label(refused.to_state),
        "date": on.isoformat(),
        "last": last_date.isoformat() if last_date else "",
        "allowed": ", ".join(_label(s) for s in sorted(ALLOWED.get(refused.from_state, ()), key=list(State).index))
        if refused.from_state
        else _label(INITIAL),
    }
    if refused.reason == "future":
        return (
            gettext(
                "Datumet %(date)s har inte kommit än: en statusändring registreras när den har skett, senast i dag."
            )
            % values
        )
    if refused.reason == "same_state":
        return gettext("Kameran %(camera)s har redan status %(to)s.") % values
    if refused.reason == "backdated":
        return (
            gettext(
                "Datumet %(date)s ligger före kamerans senaste statusändring (%(last)s); "
                "statusändringar registreras i datumordning."
            )
            % values
        )
    if refused.reason == "not_initial":
        return gettext("En ny kamera börjar alltid som %(allowed)s.") % values
    if not values["allowed"]:
        return gettext("Kameran %(camera)s är avvecklad och kan inte byta status.") % values
    return (
        gettext("Kameran %(camera)s kan inte gå från %(from)s till %(to)s. Möjliga nästa steg: %(allowed)s.") % values
    )


def last_transition(camera: Camera) -> CameraTransition | None:
    return camera.transitions.order_by("-sequence").first()


@transaction.atomic
def move(camera: Camera, target: str, on: dt.date, user: Any = None, note: str = "") -> CameraTransition:
    """Move `camera` to `target` on date `on`, or raise ValidationError with the Swedish reason."""
    camera = Camera.objects.select_for_update().get(pk=camera.pk)
    target_state = State(target)
    last = last_transition(camera)
    current = State(last.to_state) if last else None
    try:
        check_move(current, target_state, last.occurred_on if last else None, on, timezone.localdate())
    except TransitionRefused as refused:
        raise ValidationError(refusal_message(camera, refused, on, last.occurred_on if last else None)) from refused
    reasons = [reason for check in pre_move_checks for reason in check(camera, target_state, on)]
    if reasons:
        raise ValidationError(reasons)
    row = CameraTransition.objects.create(
        camera=camera,
        from_state=current.value if current else "",
        to_state=target_state.value,
        occurred_on=on,
        sequence=(last.sequence + 1) if last else 0,
        note=note,
        recorded_by=user if getattr(user, "is_authenticated", False) else None,
    )
    camera.state = target_state.value
    camera.save(update_fields=["state", "updated_at"])
    record_event(
        camera,
        "camera.transition",
        {"from": row.from_state, "to": row.to_state, "occurred_on": on.isoformat()},
        message=note,
    )
    return row


#
# A camera that already exists in the field
#

# The change log's source for history registered after the fact. It is not one of the sources of
# moves a person makes now ("web", "admin", "api"), so the activation gate treats the rows as history:
# before 2025-04-01 (IMY's permit regime) they are recorded as they happened; from that date on the
# gate's blockers are still reported (see `register_existing`).
HISTORY_SOURCE = "web:history"


@dataclass(frozen=True)
class ExistingRegistration:
    """What `register_existing` wrote, and what the officer must be told about it.

    `findings` are the activation gate's Swedish reasons for a camera said to be in operation since a
    date the gate covers (from 2025-04-01): the camera is recorded, and these blockers stand on its
    checklist until the missing documents are in place.
    """

    camera: Camera
    rows: list[CameraTransition]
    borrowed: list[HistoryStep] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)


def history_refusal_message(refused: HistoryRefused, dates: dict[State, dt.date | None]) -> str:
    """The Swedish sentence that explains why an existing camera's dates cannot be recorded."""
    date = dates.get(refused.state)
    other_date = dates.get(refused.other) if refused.other else None
    values = {
        "state": _label(refused.state),
        "other": _label(refused.other),
        "date": date.isoformat() if date else "",
        "other_date": other_date.isoformat() if other_date else "",
    }
    if refused.reason == "not_in_field":
        return gettext(
            "Ange när kameran installerades eller sedan när den är i drift, så att historiken kan registreras."
        )
    if refused.reason == "paused_needs_operation":
        return gettext("En pausad kamera har varit i drift: ange också datumet för i drift.")
    if refused.reason == "future":
        return (
            gettext("Datumet för %(state)s (%(date)s) ligger i framtiden; historik kan bara gälla det som har hänt.")
            % values
        )
    return (
        gettext(
            "Datumet för %(state)s (%(date)s) ligger före datumet för %(other)s (%(other_date)s); stegen ska komma i tidsordning."
        )
        % values
    )


@transaction.atomic
def register_existing(
    camera: Camera, dates: dict[State, dt.date | None], user: Any = None, today: dt.date | None = None
) -> ExistingRegistration:
    """Save a new `camera` that already exists in the field, with its dated life-cycle history.

    `dates` maps life-cycle states to the day the camera entered them (see
    `lifecycle.history_steps`); steps whose date is not known are recorded on the next known step's
    date with a note saying so. All rows, the camera and the change log entries are written in one
    transaction, attributed to `user` with the source `HISTORY_SOURCE` and the message that the
    camera was registered after the fact. Raises ValidationError (Swedish, keyed by state value)
    when the dates cannot be told as a history.

    The activation gate does not stop recorded history: the camera is in operation since the date
    given. For a date from 2025-04-01 on, the gate's blockers are returned in `findings` (and stay on
    the camera's checklist); before that date IMY's permit was the control and nothing is returned.
    """
    try:
        steps = history_steps(dates, today or timezone.localdate())
    except HistoryRefused as refused:
        raise ValidationError({refused.state.value: history_refusal_message(refused, dates)}) from refused
    outer = current_context()
    message = gettext("Registrerad i efterhand: kameran fanns redan i fält.")
    with audit_context(user=user or outer.resolved_user(), source=HISTORY_SOURCE, message=message) as context:
        context.request_id = outer.request_id  # one action: the camera and its history group together
        camera.planned_on = steps[0].occurred_on
        camera.save()  # the post_save signal writes the planned row
        rows = [camera.transitions.get(sequence=0)]
        rows[0].note = _history_note(steps[0])
        rows[0].recorded_by = user if getattr(user, "is_authenticated", False) else None
        rows[0].save()
        for sequence, step in enumerate(steps[1:], start=1):
            row = CameraTransition.objects.create(
                camera=camera,
                from_state=rows[-1].to_state,
                to_state=step.state.value,
                occurred_on=step.occurred_on,
                sequence=sequence,
                note=_history_note(step),
                recorded_by=rows[0].recorded_by,
            )
            record_event(
                camera,
                "camera.transition",
                {"from": row.from_state, "to": row.to_state, "occurred_on": row.occurred_on.isoformat()},
                message=row.note,
            )
            rows.append(row)
        camera.state = steps[-1].state.value
        camera.save(update_fields=["state", "updated_at"])
        record_event(
            camera,
            "camera.registered_existing",
            {step.state.value: step.occurred_on.isoformat() for step in steps}
            | {"borrowed_dates": [step.state.value for step in steps if not step.known]},
            message=message,
        )
        findings: list[str] = []
        in_operation = dates.get(State.IN_OPERATION)
        if in_operation is not None:
            findings = [
                reason for check in pre_move_checks for reason in check(camera, State.IN_OPERATION, in_operation)
            ]
    return ExistingRegistration(camera, rows, [step for step in steps if not step.known], findings)


def _history_note(step: HistoryStep) -> str:
    if step.known:
        return gettext("Registrerad i efterhand.")
    return gettext("Registrerad i efterhand; datumet är okänt och satt till nästa kända stegs datum.")


def _create_initial_transition(
    sender: type[Camera], instance: Camera, created: bool, raw: bool = False, **kw: Any
) -> None:
    """A new camera starts as planned, dated `instance.planned_on` if the caller set it, else today."""
    if raw or not created or instance.transitions.exists():
        return
    planned_on = getattr(instance, "planned_on", None) or timezone.localdate()
    from trygg.core.audit import current_context

    # The person who registered the camera (a page or the admin) is who recorded its first row.
    CameraTransition.objects.create(
        camera=instance,
        from_state="",
        to_state=INITIAL.value,
        occurred_on=planned_on,
        sequence=0,
        recorded_by=current_context().resolved_user(),
    )
    if instance.state != INITIAL.value:
        instance.state = INITIAL.value
        instance.save(update_fields=["state", "updated_at"])


post_save.connect(_create_initial_transition, sender=Camera, dispatch_uid="trygg_camera_initial_transition")


def state_on_date_subquery(on: dt.date) -> Subquery:
    """SQL for each camera's state at the end of `on`, from its latest transition row on or before it."""
    return Subquery(
        CameraTransition.objects.filter(camera=OuterRef("pk"), occurred_on__lte=on)
        .order_by("-occurred_on", "-sequence")
        .values("to_state")[:1]
    )


def cameras_with_state_on(on: dt.date, queryset: QuerySet[Camera] | None = None) -> QuerySet[Camera]:
    """Cameras annotated with `state_on_date`: their state at the end of day `on`, None before their first
    transition. From today on that is the stored `state` (see `_current`), read from the row itself rather
    than by a subquery per camera, so pages about today stay flat in the number of cameras."""
    cameras = queryset if queryset is not None else Camera.objects.all()
    if _current(on):
        return cameras.annotate(state_on_date=NullIf(F("state"), Value("")))
    return cameras.annotate(state_on_date=state_on_date_subquery(on))


def _current(on: dt.date) -> bool:
    # A move is never dated after the day it is made (`lifecycle.check_move`, 'future'), so from today on
    # every camera's state is its stored `state`: one indexed count instead of a subquery per camera.
    return on >= timezone.localdate()


def cameras_in_operation(on: dt.date, queryset: QuerySet[Camera] | None = None) -> int:
    """The indicator "antal kameror i drift" at the end of day `on`, counted from transition rows (from
    today on, from each camera's stored state, which the transitions set)."""
    cameras = queryset if queryset is not None else Camera.objects.all()
    if _current(on):
        return cameras.filter(state=State.IN_OPERATION.value).count()
    return cameras_with_state_on(on, cameras).filter(state_on_date=State.IN_OPERATION.value).count()


def count_by_state_on(on: dt.date, queryset: QuerySet[Camera] | None = None) -> dict[str, int]:
    """{state: number of cameras} at the end of day `on` (cameras without a row by then not counted)."""
    cameras = queryset if queryset is not None else Camera.objects.all()
    if _current(on):
        rows = cameras.exclude(state="").values("state").annotate(n=Count("pk")).order_by()
        return {row["state"]: row["n"] for row in rows}
    rows = (
        cameras_with_state_on(on, cameras)
        .exclude(state_on_date=None)
        .values("state_on_date")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["state_on_date"]: row["n"] for row in rows}
