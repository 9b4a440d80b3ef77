"""What the REST API reads and writes. Writable fields are the pages' model forms' fields, validated as the
forms validate them: the model's `full_clean()` (field validators, `clean()`, uniqueness), so the API, the
pages and the imports accept and refuse the same input with the same Swedish messages.
"""

from __future__ import annotations

import copy
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from trygg.cameras.choices import LifecycleState
from trygg.cameras.forms import CameraForm
from trygg.cameras.models import Camera, CameraTransition
from trygg.compliance.models import ChildRightsAssessment, ImpactAssessment, SurveillanceAssessment
from trygg.core import roles
from trygg.incidents.models import Incident
from trygg.programme.models import Project
from trygg.sites.forms import SiteForm
from trygg.sites.models import Site, Zone

TIMESTAMPS = ["created_at", "updated_at"]


class FullCleanSerializer(serializers.ModelSerializer):
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


class ZoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Zone
        fields = ["id", "site", "name", "kind", "rule", "geometry", "notes", *TIMESTAMPS]


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


class MoveSerializer(serializers.Serializer):
    """A move in the camera's life cycle, as on the camera's page (trygg.cameras.services.move)."""

    to_state = serializers.ChoiceField(label=_("Ny status"), choices=LifecycleState.choices)
    occurred_on = serializers.DateField(label=_("Datum"))
    note = serializers.CharField(label=_("Kommentar"), required=False, allow_blank=True, default="")


class ProjectSerializer(serializers.ModelSerializer):
    class Meta:
        model = Project
        fields = [
            "id",
            "name",
            "site",
            "assignment",
            "plan_year",
            "scope_description",
            "target_min",
            "target_max",
            "target_date",
            "forecast_date",
            "status",
            "delay_reasons",
            "delay_description",
            "estimated_cost",
            "responsible_administration",
            *TIMESTAMPS,
        ]


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
