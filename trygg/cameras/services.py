"""Changing a camera's life cycle, and counting cameras by state on any date.

Every move goes through `move`, which checks the state machine in `lifecycle`, writes the dated
`CameraTransition` row, updates `Camera.state` and logs a named event, all in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.translation import gettext

from trygg.cameras.choices import LifecycleState
from trygg.cameras.lifecycle import ALLOWED, INITIAL, State, TransitionRefused, check_move
from trygg.cameras.models import Camera, CameraTransition
from trygg.core.audit import record_event

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
        check_move(current, target_state, last.occurred_on if last else None, on)
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


def _create_initial_transition(
    sender: type[Camera], instance: Camera, created: bool, raw: bool = False, **kw: Any
) -> None:
    """A new camera starts as planned, dated `instance.planned_on` if the caller set it, else today."""
    if raw or not created or instance.transitions.exists():
        return
    planned_on = getattr(instance, "planned_on", None) or timezone.localdate()
    CameraTransition.objects.create(
        camera=instance, from_state="", to_state=INITIAL.value, occurred_on=planned_on, sequence=0
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
    """Cameras annotated with `state_on_date`."""
    return (queryset if queryset is not None else Camera.objects.all()).annotate(
        state_on_date=state_on_date_subquery(on)
    )


def cameras_in_operation(on: dt.date, queryset: QuerySet[Camera] | None = None) -> int:
    """The indicator "antal kameror i drift" at the end of day `on`, counted from transition rows."""
    return cameras_with_state_on(on, queryset).filter(state_on_date=State.IN_OPERATION.value).count()


def count_by_state_on(on: dt.date, queryset: QuerySet[Camera] | None = None) -> dict[str, int]:
    rows = (
        cameras_with_state_on(on, queryset)
        .exclude(state_on_date=None)
        .values("state_on_date")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["state_on_date"]: row["n"] for row in rows}
