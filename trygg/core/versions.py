"""No lost update: an edit carries the version it started from, and a stale save is refused.

The version of an object is the id of its latest entry in the change log (`ObjectChange`, actions
create, update and delete; named events change no field and do not count). Every save that changes
a logged field writes such an entry, so the id grows exactly when the object's recorded data changes,
with no extra column on any model. Computed fields in `audit_exclude` (coverage, say) do not move it,
so a recompute in the background never makes an officer's open form stale.

How it is used:

- a web form mixes in `VersionedFormMixin`: it carries the version in a hidden field `edit_version`;
- the view saves with `save_versioned(form, save)`: in one transaction it locks the object's row
  (`SELECT … FOR UPDATE` on PostgreSQL; SQLite takes its write lock at BEGIN, `transaction_mode`
  IMMEDIATE), compares the version, and saves only when nobody changed the object since. Otherwise
  nothing is saved and the form gets Swedish messages naming each changed field, the other person's
  value and the user's own, who changed it and when; the user's input stays in the form;
- the API calls `check_version(instance, claimed_version)` inside its own `transaction.atomic()` and
  turns `StaleEditError` into a 409/412 answer (`error.conflict` has the details);
- the admin's forms get the same check through `VersionedAdminMixin` on `TryggModelAdmin`.

A form posted without a version (an old page, a script) is not checked: the check protects those
who started from a version, it does not guess one.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

from django import forms
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from trygg.core.models import ObjectChange

VERSION_FIELD = "edit_version"
# The longest value quoted in a message; a drawn area or a long text is cut with an ellipsis.
MAX_SHOWN_CHARS = 160

T = TypeVar("T")
NOT_IN_FORM = object()


@dataclass(frozen=True)
class FieldChange:
    """One field (or one key of a JSON field, e.g. a report section) the other person changed."""

    name: str  # the field's name, "sections.background" for a key in a JSON field
    label: str  # Swedish label shown to the user
    theirs: str  # the value now in the database, as text
    yours: str | None = None  # the value in the stale form, as text (None until a form fills it in)


@dataclass(frozen=True)
class EditConflict:
    """What changed on an object since the version an edit started from."""

    object_label: str
    claimed_version: int
    current_version: int
    user_names: tuple[str, ...]
    changed_at: dt.datetime | None
    changes: tuple[FieldChange, ...] = field(default=())
    deleted: bool = False

    def messages(self) -> list[str]:
        """The refusal in Swedish, one line per changed field, for the top of the form."""
        who = ", ".join(self.user_names) or gettext("någon annan")
        when = formats.date_format(timezone.localtime(self.changed_at), "DATETIME_FORMAT") if self.changed_at else ""
        if self.deleted:
            return [
                gettext("%(object)s har tagits bort av %(who)s (%(when)s) sedan du öppnade formuläret. Inget sparades.")
                % {"object": self.object_label, "who": who, "when": when}
            ]
        lines = [
            gettext(
                "Inte sparat: %(object)s har ändrats av %(who)s (%(when)s) sedan du öppnade formuläret. "
                "Inget skrevs över."
            )
            % {"object": self.object_label, "who": who, "when": when}
        ]
        for change in self.changes:
            if change.name.startswith(OTHER_PREFIX):
                lines.append(change.label)
            elif change.yours is None:
                lines.append(
                    gettext("%(field)s: ändrat till ”%(theirs)s”.") % {"field": change.label, "theirs": change.theirs}
                )
            else:
                lines.append(
                    gettext("%(field)s: %(who)s ändrade till ”%(theirs)s”, ditt värde är ”%(yours)s”.")
                    % {"field": change.label, "who": who, "theirs": change.theirs, "yours": change.yours}
                )
        if not self.changes:
            lines.append(gettext("Ändringen syns i historiken."))
        lines.append(
            gettext(
                "Dina uppgifter finns kvar i formuläret. Jämför med ändringarna ovan och spara igen om dina värden "
                "ska gälla."
            )
        )
        return lines


class StaleEditError(Exception):
    """Raised when an edit started from an older version than the object's current one."""

    def __init__(self, conflict: EditConflict) -> None:
        super().__init__(" ".join(conflict.messages()))
        self.conflict = conflict


#
# Versions from the change log
#


def _entries(
    instance: models.Model, related_models: Iterable[type[models.Model]] = (), events: Iterable[str] = ()
) -> models.QuerySet[ObjectChange]:
    """The change-log entries that make up `instance`'s version: its own, its listed children's and events."""
    content_type = ContentType.objects.get_for_model(instance, for_concrete_model=True)
    own = models.Q(changed_object_type=content_type, changed_object_id=str(instance.pk))
    children = [ContentType.objects.get_for_model(model, for_concrete_model=True) for model in related_models]
    if children:
        own |= models.Q(
            related_object_type=content_type,
            related_object_id=str(instance.pk),
            changed_object_type__in=children,
        )
    counted = ~models.Q(action=ObjectChange.Action.EVENT)
    if events:
        counted |= models.Q(event__in=list(events))
    return ObjectChange.objects.filter(own).filter(counted)


def current_version(
    instance: models.Model, related_models: Iterable[type[models.Model]] = (), events: Iterable[str] = ()
) -> int:
    """The object's version: the id of its latest create/update/delete in the change log, 0 if none.

    `related_models`: child models whose changes count as changes of `instance` (a DPIA's risks
    and measures, edited on the DPIA's page); their `audit_related_object()` must return `instance`.
    `events`: named events (see `trygg.core.audit.EVENTS`) that count too, e.g. cameras moved
    into or out of a project, which changes the cameras, not the project's row.
    """
    if instance.pk is None:
        return 0
    latest = _entries(instance, related_models, events).aggregate(latest=models.Max("pk"))["latest"]
    return latest or 0


def _shown(value: Any) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "–"
    if isinstance(value, bool):
        return gettext("ja") if value else gettext("nej")
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (models.QuerySet, list, tuple, set)) and all(isinstance(v, models.Model) for v in value):
        return ", ".join(sorted(str(v) for v in value)) or "–"
    if isinstance(value, (dict, list)):
        text = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, (dt.date, dt.datetime, float, int)) or hasattr(value, "as_tuple"):
        text = str(formats.localize(value))
    else:
        text = str(value)
    text = " ".join(text.split())
    return text if len(text) <= MAX_SHOWN_CHARS else text[: MAX_SHOWN_CHARS - 1] + "…"


def field_value(instance: models.Model, name: str, key: str | None = None) -> Any:
    """The value of field `name` (and `key` inside a JSON field) as a person reads it."""
    model_field = instance._meta.get_field(name)
    if model_field.many_to_many:
        return list(getattr(instance, name).all()) if instance.pk else []
    value = getattr(instance, name)
    if key is not None:
        return value.get(key) if isinstance(value, dict) else None
    if model_field.choices and not isinstance(value, models.Model):
        return dict(model_field.flatchoices).get(value, value)
    return value


def _changed_paths(entries: Iterable[ObjectChange], instance: models.Model) -> list[tuple[str, str | None]]:
    """The fields (and keys of dict-valued JSON fields) that differ before and after each entry."""
    names = {f.name for f in instance._meta.get_fields() if getattr(f, "concrete", False)}
    paths: list[tuple[str, str | None]] = []
    for entry in entries:
        before, after = entry.prechange_data or {}, entry.postchange_data or {}
        for name in sorted(set(before) | set(after)):
            if name not in names or before.get(name) == after.get(name):
                continue
            old, new = before.get(name), after.get(name)
            if isinstance(old, dict) and isinstance(new, dict):
                keys = [k for k in sorted(set(old) | set(new)) if old.get(k) != new.get(k)]
                paths.extend((name, k) for k in keys if (name, k) not in paths)
            elif (name, None) not in paths:
                paths.append((name, None))
    return paths


def _label(instance: models.Model, name: str, key: str | None, key_labels: dict[str, dict[str, str]]) -> str:
    label = capfirst(str(instance._meta.get_field(name).verbose_name))
    if key is None:
        return label
    return capfirst(str(key_labels.get(name, {}).get(key, f"{label} – {key}")))


OTHER_PREFIX = "__other"


def _other_label(entry: ObjectChange) -> str:
    """A child row's change or a named event, as one line: "Risk R2 ändrades", "Projektets kameror ändrades"."""
    if entry.action == ObjectChange.Action.EVENT:
        return capfirst(entry.event_label)
    return gettext("%(kind)s %(object)s: %(action)s") % {
        "kind": capfirst(str(entry.changed_object_type.model_class()._meta.verbose_name)),
        "object": entry.object_repr,
        "action": entry.get_action_display(),
    }


def _person(entry: ObjectChange) -> str:
    user = entry.user
    return (user.get_full_name() or user.get_username()) if user is not None else entry.user_name


def check_version(
    instance: models.Model,
    claimed_version: int | None,
    related_models: Iterable[type[models.Model]] = (),
    key_labels: dict[str, dict[str, str]] | None = None,
    events: Iterable[str] = (),
) -> None:
    """Refuse an edit of `instance` that started from `claimed_version` if the object changed since.

    Call inside `transaction.atomic()` and save in the same block: the object's row is locked
    (`select_for_update`) before the comparison, so two simultaneous saves cannot both pass.
    `claimed_version`: the version the client read (`current_version`); None skips the check.
    `key_labels`: labels of keys in dict-valued JSON fields, e.g. {"sections": {"background": "Bakgrund"}}.
    `related_models`, `events`: see `current_version`.

    Raises `StaleEditError` (with `.conflict`, an `EditConflict` whose `changes` list each changed
    field with the value now stored) when a newer change-log entry exists or the object was deleted.
    Raises `django.db.transaction.TransactionManagementError` outside a transaction.
    """
    if not transaction.get_connection().in_atomic_block:
        raise transaction.TransactionManagementError("check_version() must run inside the saving transaction")
    if claimed_version is None or instance.pk is None:
        return
    model = type(instance)
    # Ordered by pk alone: a Meta.ordering over a related model would join a table FOR UPDATE cannot lock.
    current = model._base_manager.select_for_update(of=("self",)).filter(pk=instance.pk).order_by("pk").first()
    entries = list(_entries(instance, related_models, events).filter(pk__gt=claimed_version).select_related("user"))
    if current is not None and not entries:
        return
    newest = max(entries, key=lambda e: e.pk) if entries else None
    people = tuple(dict.fromkeys(_person(e) for e in sorted(entries, key=lambda e: e.pk)))
    base = dict(
        object_label=capfirst(f"{model._meta.verbose_name} {instance}"),
        claimed_version=claimed_version,
        current_version=newest.pk if newest else claimed_version,
        user_names=people,
        changed_at=newest.time if newest else None,
    )
    if current is None:
        raise StaleEditError(EditConflict(**base, deleted=True))
    ordered = sorted(entries, key=lambda e: e.pk)
    own_type = ContentType.objects.get_for_model(instance, for_concrete_model=True)
    own = [e for e in ordered if e.changed_object_type_id == own_type.pk and e.action != ObjectChange.Action.EVENT]
    changes = [
        FieldChange(
            name=f"{name}.{key}" if key else name,
            label=_label(current, name, key, key_labels or {}),
            theirs=_shown(field_value(current, name, key)),
        )
        for name, key in _changed_paths(own, current)
    ]
    # Changes of child rows and named events: named, without a value (their own history has the details).
    others = dict.fromkeys(_other_label(e) for e in ordered if e not in own)
    changes.extend(FieldChange(name=f"{OTHER_PREFIX}{i}", label=label, theirs="") for i, label in enumerate(others))
    raise StaleEditError(EditConflict(**base, changes=tuple(changes)))


#
# Forms and views
#


class VersionedFormMixin:
    """For a ModelForm that edits an existing object: carries the version it started from.

    Put it before `forms.ModelForm` in the bases. Templates that list fields by hand render
    `{{ form.edit_version }}` inside the <form>; `includes/form_fields.html` renders it already.
    Save through `save_versioned(form, ...)` in the view.
    """

    # Child models edited on the same page whose changes make the page stale too.
    version_related_models: ClassVar[tuple[type[models.Model], ...]] = ()
    # Named events about the object that make the page stale too (see `current_version`).
    version_events: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        instance = self.instance  # type: ignore[attr-defined]
        self.fields[VERSION_FIELD] = forms.IntegerField(  # type: ignore[attr-defined]
            label=_("version"),
            required=False,
            min_value=0,
            widget=forms.HiddenInput,
            initial=current_version(instance, self.version_related_models, self.version_events)
            if instance.pk
            else None,
        )

    def version_key_labels(self) -> dict[str, dict[str, str]]:
        """Labels of keys in dict-valued JSON fields, for the conflict message (override)."""
        return {}

    def version_yours(self, name: str, key: str = "") -> Any:
        """The user's own value of field `name` (and `key` in a JSON field), for the conflict message."""
        instance = self.instance  # type: ignore[attr-defined]
        cleaned = getattr(self, "cleaned_data", {})
        model_field = instance._meta.get_field(name)
        if name not in self.fields and not key:  # type: ignore[attr-defined]
            return NOT_IN_FORM  # set elsewhere; saving this form keeps their value
        if not key and name in cleaned:
            value = cleaned[name]
            if model_field.choices and not isinstance(value, models.Model):
                return dict(model_field.flatchoices).get(value, value)
            return value
        return field_value(instance, name, key or None)

    def check_version(self) -> None:
        """Inside the saving transaction: raise `StaleEditError` if the object changed since the form's version."""
        instance = self.instance  # type: ignore[attr-defined]
        claimed = self.cleaned_data.get(VERSION_FIELD)  # type: ignore[attr-defined]
        check_version(instance, claimed, self.version_related_models, self.version_key_labels(), self.version_events)

    def show_conflict(self, conflict: EditConflict) -> None:
        """Put the refusal on the form, with the user's own values, and move the form to the current version.

        The user's input stays; saving again after reading the message is a deliberate choice.
        """
        changes = []
        for change in conflict.changes:
            if change.name.startswith(OTHER_PREFIX):
                changes.append(change)
                continue
            name, _dot, key = change.name.partition(".")
            yours = self.version_yours(name, key)
            changes.append(
                FieldChange(change.name, change.label, change.theirs, None if yours is NOT_IN_FORM else _shown(yours))
            )
        shown = EditConflict(**{**conflict.__dict__, "changes": tuple(changes)})
        self.edit_conflict = shown
        # Errors are added after cleaning; add_error would drop the field from cleaned_data, so append.
        errors = self._errors  # type: ignore[attr-defined]
        errors.setdefault(forms.forms.NON_FIELD_ERRORS, self.error_class(error_class="nonfield"))  # type: ignore[attr-defined]
        errors[forms.forms.NON_FIELD_ERRORS].extend(shown.messages())
        data = self.data.copy()  # type: ignore[attr-defined]
        data[self.add_prefix(VERSION_FIELD)] = str(conflict.current_version)  # type: ignore[attr-defined]
        self.data = data


def save_versioned(form: Any, save: Callable[[], T] | None = None) -> T | None:
    """Save a valid versioned form unless the object changed since the form's version.

    `save`: what saving means for this page (default `form.save()`); it runs in the same
    transaction as the locked comparison. Returns its result, or None when the edit was refused,
    in which case the form carries the refusal and the view renders it again. Nothing is saved then.
    """
    try:
        with transaction.atomic():
            form.check_version()
            return save() if save is not None else form.save()
    except StaleEditError as error:
        form.show_conflict(error.conflict)
        return None


class VersionedAdminMixin:
    """For ModelAdmin: the change form carries the version and refuses a stale save.

    The admin's change view runs in one transaction, so the locked check made while cleaning the
    form holds until the object is saved. The hidden field rides in the first fieldset (the admin
    hides a row with only hidden fields).
    """

    def get_fieldsets(self, request: Any, obj: Any = None) -> Any:
        fieldsets = list(super().get_fieldsets(request, obj))  # type: ignore[misc]
        if obj is None or not fieldsets:
            return fieldsets
        name, options = fieldsets[0]
        return [(name, {**options, "fields": [*options["fields"], VERSION_FIELD]}), *fieldsets[1:]]

    def get_form(self, request: Any, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is not None and "fields" not in kwargs:
            kwargs["fields"] = flatten_fieldsets(self.get_fieldsets(request, obj))
        if kwargs.get("fields"):
            # Not a model field: the mixin adds it to the form itself.
            kwargs["fields"] = [f for f in kwargs["fields"] if f != VERSION_FIELD]
        form_class = super().get_form(request, obj, change=change, **kwargs)  # type: ignore[misc]
        if obj is None or issubclass(form_class, VersionedFormMixin):
            return form_class

        class AdminVersionedForm(VersionedFormMixin, form_class):  # type: ignore[misc, valid-type]
            def clean(self) -> Any:
                cleaned = super().clean()
                if transaction.get_connection().in_atomic_block and not self._errors:
                    try:
                        self.check_version()
                    except StaleEditError as error:
                        self.show_conflict(error.conflict)
                return cleaned

        AdminVersionedForm.__name__ = form_class.__name__
        return AdminVersionedForm
