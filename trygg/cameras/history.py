"""A camera's history: how a life-cycle event reads in the change log, and the camera as it was on a date.

Every save of a camera writes its settings to the change log (`ObjectChange.postchange_data`), so
its settings on any earlier date can be read back. `cameras_as_of` does so for many cameras in two
queries and recomputes what each saw when its view differed from today's (with today's zones and
buildings: the zones' own history is not replayed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.cameras.choices import LifecycleState
from trygg.cameras.models import Camera
from trygg.core.models import ObjectChange


def _label(value: str | None) -> str:
    return str(LifecycleState(value).label) if value in LifecycleState.values else "–"


def describe_transition(data: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [
        (_("status"), _label(data.get("from")), _label(data.get("to"))),
        (_("datum"), "–", data.get("occurred_on", "–")),
    ]


# Where the settings of a camera on a date came from.
CURRENT = "current"  # not changed since the date: the camera as it is
LOGGED = "logged"  # the last change logged on or before the date
EARLIEST = "earliest"  # the log starts after the date: the earliest settings it holds


@dataclass(frozen=True)
class SettingsAsOf:
    """Where the settings used for a camera on a date come from, and the time of that log row."""

    source: str
    logged_at: dt.datetime | None = None


def _end_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def _settings(row: ObjectChange, before: bool) -> dict[str, Any] | None:
    data = row.prechange_data if before else row.postchange_data
    return data if isinstance(data, dict) and data else None


def _camera_from(pk: int, data: dict[str, Any]) -> Camera:
    """An unsaved Camera with the logged field values (unknown fields ignored, new ones at their default)."""
    record = {"model": "cameras.camera", "pk": pk, "fields": data}
    return next(serializers.deserialize("python", [record], ignorenonexistent=True)).object  # type: ignore[no-any-return]


def cameras_as_of(cameras: Sequence[Camera], on_date: dt.date) -> dict[int, SettingsAsOf]:
    """Set each camera's settings to those it had at the end of `on_date`, from the change log.

    The instances are changed in place (they should be freshly loaded): their concrete fields take
    the last logged values on or before the date; when the log starts later, the earliest values it
    holds. A camera whose view inputs differ from today's gets its coverage, zones seen and privacy
    mask recomputed, with today's zones and buildings. Cameras not changed since the date are left
    as they are. Two queries for the log, two more when anything is recomputed.
    """
    from trygg.cameras.coverage import COMPUTED_FIELDS, VIEW_FIELDS, computed_values

    result = {camera.pk: SettingsAsOf(CURRENT) for camera in cameras}
    if not cameras or on_date >= timezone.localdate():
        return result
    camera_type = ContentType.objects.get_for_model(Camera)
    by_id = {str(camera.pk): camera for camera in cameras}
    logged = ObjectChange.objects.filter(
        changed_object_type=camera_type,
        changed_object_id__in=list(by_id),
        action__in=[ObjectChange.Action.CREATE, ObjectChange.Action.UPDATE],
    )
    end = _end_of(on_date)
    changed_since = set(logged.filter(time__gte=end).values_list("changed_object_id", flat=True).distinct())
    if not changed_since:
        return result
    rows: dict[str, list[ObjectChange]] = {}
    for row in logged.filter(changed_object_id__in=changed_since).order_by("time", "pk"):
        rows.setdefault(row.changed_object_id, []).append(row)
    recompute = []
    names = [field.attname for field in Camera._meta.concrete_fields if field.attname not in COMPUTED_FIELDS]
    for object_id, history in rows.items():
        camera = by_id[object_id]
        up_to = [row for row in history if row.time < end]
        if up_to:
            data, source, at = _settings(up_to[-1], before=False), LOGGED, up_to[-1].time
        else:
            first = history[0]
            data = _settings(first, before=first.action == ObjectChange.Action.UPDATE)
            source, at = EARLIEST, first.time
        if data is None:
            continue
        then = _camera_from(camera.pk, data)
        sees_differently = any(getattr(then, name) != getattr(camera, name) for name in VIEW_FIELDS)
        for name in names:
            if name not in ("id", "created_at", "updated_at", "state"):
                setattr(camera, name, getattr(then, name))
        result[camera.pk] = SettingsAsOf(source, at)
        if sees_differently:
            recompute.append(camera)
    if recompute:
        for pk, values in computed_values(recompute).items():
            camera = by_id[str(pk)]
            for name, value in values.items():
                setattr(camera, name, value)
    return result
