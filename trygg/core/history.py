"""The change log as people read it: field labels, choice labels, names instead of ids, Ja/Nej.

Used by every history page. Related objects are looked up in one query per model for the whole
page, so a long history does not cost a query per row.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _

from trygg.core.models import ObjectChange

# Event describers: event code -> function(data) -> [(label, before, after)]; apps register theirs.
EventDescriber = Callable[[dict[str, Any]], list[tuple[str, str, str]]]
EVENT_DESCRIBERS: dict[str, EventDescriber] = {}


@dataclass
class ChangeRow:
    change: ObjectChange
    title: str
    fields: list[tuple[str, str, str]]


def changes_for(obj: models.Model) -> models.QuerySet[ObjectChange]:
    """The change log of `obj`, including changes to objects that name it as related (a site's zones)."""
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    return (
        ObjectChange.objects.filter(
            Q(changed_object_type=content_type, changed_object_id=str(obj.pk))
            | Q(related_object_type=content_type, related_object_id=str(obj.pk))
        )
        .select_related("changed_object_type")
        .order_by("-time", "-pk")
    )


def _plain(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("ja") if value else _("nej")
    if isinstance(value, dict) and "type" in value and "coordinates" in value:
        return _("yta (%(type)s)") % {"type": value["type"]}
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def describe(changes: Iterable[ObjectChange]) -> list[ChangeRow]:
    """Readable rows for a page of changes, with related objects fetched in bulk."""
    changes = list(changes)
    wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
    plans = []
    for change in changes:
        model = ContentType.objects.get_for_id(change.changed_object_type_id).model_class()
        fields = {}
        if model is not None:
            for field in model._meta.concrete_fields:
                fields[field.attname] = field
                fields[field.name] = field
            for field in model._meta.many_to_many:
                fields[field.name] = field
        diffs = []
        before, after = change.prechange_data or {}, change.postchange_data or {}
        if change.action != ObjectChange.Action.EVENT:
            for key in [k for k in fields if k in before or k in after] + sorted(
                set(before) | set(after) - set(fields)
            ):
                if before.get(key) == after.get(key) or any(d[0] == key for d in diffs):
                    continue
                field = fields.get(key)
                if field is not None and field.is_relation:
                    for value in (before.get(key), after.get(key)):
                        for pk in value if isinstance(value, list) else [value]:
                            if pk is not None:
                                wanted[field.related_model].add(pk)
                diffs.append((key, field))
        plans.append((change, diffs))
    names = {
        model: {obj.pk: str(obj) for obj in model._base_manager.filter(pk__in=pks)} for model, pks in wanted.items()
    }

    def show(field: Any, value: Any) -> str:
        if field is None or value is None:
            return _plain(value)
        if field.is_relation:
            lookup = names.get(field.related_model, {})
            if isinstance(value, list):
                return ", ".join(lookup.get(pk, str(pk)) for pk in value) or "–"
            return lookup.get(value, str(value))
        if field.choices:
            return str(dict(field.flatchoices).get(value, value)) if value != "" else "–"
        return _plain(value)

    rows = []
    for change, diffs in plans:
        if change.action == ObjectChange.Action.EVENT:
            describer = EVENT_DESCRIBERS.get(change.event)
            data = change.postchange_data or {}
            fields = describer(data) if describer else [(k, "", _plain(v)) for k, v in data.items()]
            rows.append(ChangeRow(change, change.event_label, fields))
            continue
        before, after = change.prechange_data or {}, change.postchange_data or {}
        rows.append(
            ChangeRow(
                change,
                change.get_action_display(),
                [
                    (
                        str(field.verbose_name) if field is not None else key,
                        show(field, before.get(key)),
                        show(field, after.get(key)),
                    )
                    for key, field in diffs
                ],
            )
        )
    return rows
