"""What the REST API reads and writes. Writable fields are the pages' model forms' fields, validated as the
forms validate them: the model's `full_clean()` (field validators, `clean()`, uniqueness), so the API, the
pages and the imports accept and refuse the same input with the same Swedish messages.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from trygg.cameras.choices import LifecycleState
from trygg.cameras.forms import CameraForm
from trygg.cameras.models import Camera, CameraTransition
from trygg.compliance.models import ChildRightsAssessment, ImpactAssessment, SurveillanceAssessment
from trygg.core import roles
from trygg.core.versions import VERSION_FIELD
from trygg.incidents.models import Incident
from trygg.programme import projects
from trygg.programme.choices import DelayReason
from trygg.programme.forms import PROJECT_FIELDS, ProjectForm
from trygg.programme.models import Project
from trygg.sites.forms import DialogueNoteForm, MeasureForm, SiteForm, ZoneForm
from trygg.sites.models import DialogueNote, Measure, Site, Zone

TIMESTAMPS = ["created_at", "updated_at"]


class StrictInputMixin:
    """Refuses a write body naming a field the serializer does not write (400, nothing saved).

    DRF ignores unknown and read-only keys silently; a client that misspells a field or sends one it
    cannot change would believe it was saved. Every writable serializer of the API mixes this in.
    `Meta.create_only_fields`: fields written when the object is created that a change may not alter
    (a zone's site); a change may repeat the stored value, so what was read can be sent back.
    """

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            errors = {name: [message] for name, message in self._refused(data).items()}
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)  # type: ignore[misc]

    def _refused(self, data: Mapping) -> dict[str, str]:
        fields = self.fields  # type: ignore[attr-defined]
        instance = getattr(self, "instance", None)
        create_only = getattr(getattr(self, "Meta", None), "create_only_fields", ())
        refused: dict[str, str] = {}
        for name in data:
            field = fields.get(name)
            if field is None:
                refused[str(name)] = gettext(
                    "Fältet ”%(name)s” finns inte här. Skicka bara fält som går att skriva."
                ) % {"name": name}
            elif field.read_only:
                refused[name] = gettext("Fältet ”%(label)s” visas bara och går inte att skriva.") % {
                    "label": field.label or name
                }
            elif instance is not None and name in create_only and not _same(instance, name, data[name]):
                refused[name] = gettext(
                    "Fältet ”%(label)s” anges när objektet skapas och går inte att ändra efteråt."
                ) % {"label": field.label or name}
        return refused


def _same(instance: models.Model, name: str, value: Any) -> bool:
    """Whether `value` (as sent, a primary key for a relation) is what `instance` stores in `name`."""
    stored = getattr(instance, f"{name}_id", getattr(instance, name, None))
    return str(value) == str(stored)


class FullCleanSerializer(StrictInputMixin, serializers.ModelSerializer):
    """A model serializer whose validation ends with the model's `full_clean()`, as a ModelForm's does."""

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        # Related objects offered for writing are those the user may see (trygg.core.roles.scope_queryset).
        request = self.context.get("request")
        for field in fields.values():
            if isinstance(field, serializers.PrimaryKeyRelatedField) and not field.read_only and request is not None:
                field.queryset = roles.scope_queryset(request.user, field.queryset)
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        # A copy, so a refused change leaves the stored object as it was.
        instance = copy.copy(self.instance) if self.instance is not None else self.Meta.model()
        for name, value in attrs.items():
            setattr(instance, name, value)
        try:
            instance.full_clean()
        except DjangoValidationError as error:
            raise serializers.ValidationError(
                {("non_field_errors" if k == "__all__" else k): v for k, v in error.message_dict.items()}
            ) from error
        # clean() may store a normalised value (an outline turned to lie around its site, say).
        return {name: getattr(instance, name) for name in attrs}


class SiteSerializer(FullCleanSerializer):
    class Meta:
        model = Site
        fields = ["id", *SiteForm.Meta.fields, *TIMESTAMPS]
        extra_kwargs = {"name": {"min_length": 1}}


def _form_value(value: Any) -> Any:
    """A value parsed by a serializer field as a form field takes it: objects by their primary key."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple) and value and all(isinstance(v, models.Model) for v in value):
        return [v.pk for v in value]
    return value


class PageFormSerializer(FullCleanSerializer):
    """Validated and saved by the web page's own form (`form_class`), so the API and the page accept and
    refuse the same input with the same Swedish messages and save it the same way.

    The form gets the stored values of the fields not sent (a PATCH changes only what it sends) and the
    sent ones; its errors come back per field. `Meta.create_only_fields` are set on a new object before
    the form sees it, as the page takes them from its URL (a zone's site). Saving is `save_form(form)`.
    """

    form_class: ClassVar[type[forms.ModelForm]]

    def form_kwargs(self, instance: models.Model) -> dict[str, Any]:
        """Extra keyword arguments of the page's form (the page view passes the same)."""
        return {}

    def save_form(self, form: forms.ModelForm) -> models.Model:
        """Save as the page does (override when the page does more than `form.save()`)."""
        return form.save()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = serializers.ModelSerializer.validate(self, attrs)
        create_only = getattr(self.Meta, "create_only_fields", ())
        if self.instance is not None:
            instance = copy.copy(self.instance)  # a refused change leaves the stored object as it was
            instance.__dict__.pop("_prefetched_objects_cache", None)
        else:
            instance = self.Meta.model(**{name: attrs[name] for name in create_only if name in attrs})
        kwargs = self.form_kwargs(instance)
        stored = self.form_class(instance=instance, **kwargs)
        data = {
            name: _form_value(stored.initial.get(name, field.initial))
            for name, field in stored.fields.items()
            if name != VERSION_FIELD
        }
        data |= {name: _form_value(value) for name, value in attrs.items() if name not in create_only}
        form = self.form_class(data=data, instance=instance, **kwargs)
        if not form.is_valid():
            raise serializers.ValidationError(
                {
                    ("non_field_errors" if name == "__all__" else name): list(errors)
                    for name, errors in form.errors.items()
                }
            )
        self._page_form = form
        # The form's clean may normalise a value (an outline laid around its site, the default administration).
        return {name: getattr(form.instance, name) for name in attrs if _is_model_field(form.instance, name)}

    def create(self, validated_data: dict[str, Any]) -> models.Model:
        return self._save(validated_data)

    def update(self, instance: models.Model, validated_data: dict[str, Any]) -> models.Model:
        return self._save(validated_data)

    def _save(self, validated_data: dict[str, Any]) -> models.Model:
        form = self._page_form
        for name, value in validated_data.items():
            if _is_model_field(form.instance, name):
                setattr(form.instance, name, value)
        return self.save_form(form)


def _is_model_field(instance: models.Model, name: str) -> bool:
    try:
        field = instance._meta.get_field(name)
    except FieldDoesNotExist:  # a form-only field, such as a project's cameras
        return False
    return getattr(field, "concrete", False) and not field.many_to_many


SITE_HELP = _("Platsen. Anges när objektet skapas och kan inte ändras efteråt.")


class ZoneSerializer(PageFormSerializer):
    """A zone, validated by the zone page's form: a valid polygon (or a wall's line) within the vertex limit,
    on or near its site, a name not used on the site. The site is given when the zone is created."""

    form_class = ZoneForm

    class Meta:
        model = Zone
        fields = ["id", "site", *ZoneForm.Meta.fields, *TIMESTAMPS]
        create_only_fields = ["site"]
        extra_kwargs = {"site": {"help_text": SITE_HELP}}
        validators = []  # the form's (site, name) check, with its own message


class MeasureSerializer(PageFormSerializer):
    """A measure tried at a site before cameras (8 § kamerabevakningslagen), as on the site's page."""

    form_class = MeasureForm

    class Meta:
        model = Measure
        fields = ["id", "site", *MeasureForm.Meta.fields, *TIMESTAMPS]
        create_only_fields = ["site"]
        extra_kwargs = {"site": {"help_text": SITE_HELP}}


class DialogueNoteSerializer(PageFormSerializer):
    """A note of the dialogue with the administration, as on the site's page; `recorded_by` is the writer."""

    form_class = DialogueNoteForm

    class Meta:
        model = DialogueNote
        fields = ["id", "site", *DialogueNoteForm.Meta.fields, "recorded_by", *TIMESTAMPS]
        read_only_fields = ["recorded_by"]
        create_only_fields = ["site"]
        extra_kwargs = {"site": {"help_text": SITE_HELP}}

    def form_kwargs(self, instance: models.Model) -> dict[str, Any]:
        return {"site": instance.site}

    def save_form(self, form: forms.ModelForm) -> models.Model:
        form.instance.recorded_by = self.context["request"].user
        return form.save()


class TransitionSerializer(serializers.ModelSerializer):
    class Meta:
        model = CameraTransition
        fields = ["from_state", "to_state", "occurred_on", "sequence", "note"]


# Computed by trygg.cameras.coverage from the stored inputs; read-only.
COVERAGE_FIGURES = [
    "coverage_area_m2",
    "visible_area_m2",
    "intrusions",
    "zones_seen",
    "coverage_computed_at",
]


class CameraSerializer(FullCleanSerializer):
    """A camera with its life-cycle history and its stored coverage figures. `state` changes only by a move."""

    transitions = TransitionSerializer(many=True, read_only=True)

    class Meta:
        model = Camera
        fields = ["id", *CameraForm.Meta.fields, "state", *COVERAGE_FIGURES, "transitions", *TIMESTAMPS]
        read_only_fields = ["state", *COVERAGE_FIGURES]
        extra_kwargs = {"identifier": {"min_length": 1}}


class MoveSerializer(StrictInputMixin, serializers.Serializer):
    """A move in the camera's life cycle, as on the camera's page (trygg.cameras.services.move)."""

    to_state = serializers.ChoiceField(label=_("Ny status"), choices=LifecycleState.choices)
    occurred_on = serializers.DateField(label=_("Datum"))
    note = serializers.CharField(label=_("Kommentar"), required=False, allow_blank=True, default="")


class ProjectSerializer(PageFormSerializer):
    """A project, validated and saved by the project page's form: the target range, the delay's reason,
    the default administration (the site's), the cameras only from the project's site."""

    form_class = ProjectForm
    cameras = serializers.PrimaryKeyRelatedField(
        label=_("Kameror i projekteringen"),
        help_text=_("Platsens kameror. Antalet i drift räknas mot målbilden."),
        many=True,
        required=False,
        queryset=Camera.objects.all(),
    )
    delay_reasons = serializers.ListField(
        label=_("Orsaker till försening"),
        child=serializers.ChoiceField(choices=DelayReason.choices),
        required=False,
    )

    class Meta:
        model = Project
        fields = ["id", *PROJECT_FIELDS, "cameras", *TIMESTAMPS]
        extra_kwargs = {"responsible_administration": {"required": False}, "name": {"min_length": 1}}

    def form_kwargs(self, instance: models.Model) -> dict[str, Any]:
        return {"user": self.context["request"].user}

    def save_form(self, form: forms.ModelForm) -> models.Model:
        return projects.save_project(form)


@extend_schema_field(
    {"type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$", "example": "18:40:00", "nullable": True}
)
class LocalTimeField(serializers.TimeField):
    """A local clock time as HH:MM:SS. JSON Schema's format "time" would demand a UTC offset, which
    the municipality's incident records do not have."""


class IncidentSerializer(serializers.ModelSerializer):
    occurred_time = LocalTimeField(allow_null=True, read_only=True)
    until_time = LocalTimeField(allow_null=True, read_only=True)

    class Meta:
        model = Incident
        fields = [
            "id",
            "site",
            "kind",
            "occurred_on",
            "occurred_time",
            "until_on",
            "until_time",
            "place_detail",
            "description",
            "reported_to_police",
            "police_report_number",
            "cost",
            "source",
            *TIMESTAMPS,
        ]


DOCUMENT_FIELDS = [
    "id",
    "series",
    "version",
    "status",
    "approved_on",
    "rejected_on",
    "case_number",
    "submitted_at",
    "dpo_advice_on",
    *TIMESTAMPS,
]


class SurveillanceAssessmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = SurveillanceAssessment
        fields = [*DOCUMENT_FIELDS, "camera", "title", "legal_task", "outcome"]


class ImpactAssessmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ImpactAssessment
        fields = [*DOCUMENT_FIELDS, "site", "title", "residual_risk", "prior_consultation", "review_on"]


class ChildRightsAssessmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChildRightsAssessment
        fields = [*DOCUMENT_FIELDS, "site", "title", "conclusion", "follow_up_on"]


#
# Computed views: the register, the indicator and the budget (the same services as the pages)
#


class RegisterRowSerializer(serializers.Serializer):
    camera = serializers.CharField()
    address = serializers.CharField(source="entry.address")
    place_type = serializers.CharField(source="entry.place_type")
    purpose = serializers.CharField(source="entry.purpose")
    special_technology = serializers.ListField(child=serializers.CharField(), source="entry.special_technology")
    latest_assessment_on = serializers.DateField(source="entry.latest_assessment_on", allow_null=True)
    status = serializers.CharField()
    ended_on = serializers.DateField(allow_null=True)
    complete = serializers.BooleanField()


class RegisterSerializer(serializers.Serializer):
    on_date = serializers.DateField()
    marking = serializers.CharField(help_text=_("Sekretessmarkeringen som varje utdrag ur förteckningen bär."))
    before_regime = serializers.BooleanField()
    rows = RegisterRowSerializer(many=True)


class PointSerializer(serializers.Serializer):
    on = serializers.DateField()
    value = serializers.IntegerField()


class CountRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class IndicatorSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    name = serializers.CharField()
    code = serializers.CharField()
    in_operation = serializers.IntegerField()
    previous_year_end = serializers.IntegerField()
    target = serializers.IntegerField(allow_null=True)
    series = PointSerializer(many=True)
    targets = serializers.DictField(child=serializers.IntegerField())
    by_site_kind = CountRowSerializer(many=True)
    by_area_kind = CountRowSerializer(many=True)
    by_administration = CountRowSerializer(many=True)
    first_year = serializers.IntegerField(allow_null=True)


MONEY = {"max_digits": 16, "decimal_places": 2, "coerce_to_string": True}


class CategoryTotalSerializer(serializers.Serializer):
    category = serializers.CharField()
    committed = serializers.DecimalField(**MONEY)
    spent = serializers.DecimalField(**MONEY)
    total = serializers.DecimalField(**MONEY)


class PlannedProjectSerializer(serializers.Serializer):
    name = serializers.CharField()
    year = serializers.IntegerField()
    estimated_cost = serializers.DecimalField(**MONEY, allow_null=True)
    active = serializers.BooleanField()


class BudgetSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    has_allocation = serializers.BooleanField()
    allocated = serializers.DecimalField(**MONEY)
    carried_in = serializers.DecimalField(**MONEY)
    available = serializers.DecimalField(**MONEY)
    committed = serializers.DecimalField(**MONEY)
    spent = serializers.DecimalField(**MONEY)
    used = serializers.DecimalField(**MONEY)
    remaining = serializers.DecimalField(**MONEY)
    planned = serializers.DecimalField(**MONEY)
    by_category = CategoryTotalSerializer(many=True)
    planned_projects = PlannedProjectSerializer(many=True)
    warnings = serializers.ListField(child=serializers.CharField())


class ApiTokenSerializer(serializers.Serializer):
    """The key the request was made with (GET /api/v1/me/): who it acts as and which roles that gives."""

    username = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    token_name = serializers.CharField(allow_null=True)
