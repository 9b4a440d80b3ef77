"""Admin pages for assessments, signs, legacy permits and the art. 30 record, in Swedish.

Officers create and edit drafts; the DPO records advice on a DPIA and approves or rejects every
assessment on its decision page (`<id>/beslut/`). Decided versions are shown read-only and are
changed only by starting a new version. Deleting is refused within the five-year retention.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from trygg.compliance import decisions, facts
from trygg.compliance.choices import FROZEN_STATUSES, DocumentStatus, FactorFor
from trygg.compliance.engine.facts import DPIA_CRITERIA
from trygg.compliance.models import (
    ChildRightsAssessment,
    DpiaMeasure,
    DpiaRisk,
    ImpactAssessment,
    LegacyPermit,
    ProcessingRecord,
    Sign,
    SurveillanceAssessment,
    VersionedDocument,
)
from trygg.core.admin import TryggModelAdmin
from trygg.incidents.models import Incident
from trygg.sites.models import Measure

VERSION_READONLY = [
    "version",
    "status",
    "author",
    "approver",
    "approved_on",
    "rejected_by",
    "rejected_on",
    "rejection_reason",
]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("beslut"),
        choices=[("approve", _("Godkänn")), ("reject", _("Avslå")), ("new_version", _("Starta ny version"))],
    )
    approved_on = forms.DateField(label=_("godkänd den"), required=False, initial=timezone.localdate)
    rejection_reason = forms.CharField(
        label=_("skäl för avslag"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


def status_badge(document: VersionedDocument) -> str:
    status = DocumentStatus(document.status)
    return format_html('<span class="badge badge-{}">{}</span>', DocumentStatus.colour(status), status.label)


class VersionedAdmin(TryggModelAdmin):
    """Shared behaviour of the three assessment admins: frozen versions, decisions, retention."""

    decision_template = "compliance/admin_decision.html"
    change_form_template = "compliance/admin_change_form.html"
    readonly_fields = VERSION_READONLY

    def may_decide(self, request: HttpRequest) -> bool:
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.approve_{opts.model_name}")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.status in FROZEN_STATUSES:
            return False  # a decided version is read-only; a new version changes it
        return super().has_change_permission(request, obj)

    def get_actions(self, request: HttpRequest) -> dict:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # each deletion is tested against the retention rule
        return actions

    @admin.display(description=_("status"), ordering="status")
    def status_display(self, obj: VersionedDocument) -> str:
        return status_badge(obj)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change and obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)

    def delete_view(self, request: HttpRequest, object_id: str, extra_context: dict | None = None) -> HttpResponse:
        obj = self.get_object(request, object_id)
        if obj is not None:
            refusal = obj.deletion_refusal()
            if refusal:
                messages.error(request, refusal)
                return HttpResponseRedirect(
                    reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk])
                )
        return super().delete_view(request, object_id, extra_context)

    def get_urls(self) -> list:
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/beslut/",
                self.admin_site.admin_view(self.decision_view),
                name=f"{info[0]}_{info[1]}_decision",
            ),
            *super().get_urls(),
        ]

    def decision_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        document = self.get_object(request, object_id)
        if document is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        may_decide = self.may_decide(request)
        may_revise = super().has_change_permission(request, None) and request.user.has_perm(
            f"{self.opts.app_label}.add_{self.opts.model_name}"
        )
        if not (may_decide or may_revise):
            raise PermissionDenied
        form = DecisionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            decision = form.cleaned_data["decision"]
            try:
                if decision == "new_version":
                    if not may_revise:
                        raise PermissionDenied
                    document = decisions.new_version(document, request.user)
                    messages.success(request, gettext("En ny version är skapad som kopia av den senaste."))
                elif not may_decide:
                    raise PermissionDenied
                elif decision == "approve":
                    decisions.approve(document, request.user, form.cleaned_data["approved_on"])
                    messages.success(request, gettext("Versionen är godkänd."))
                else:
                    decisions.reject(document, request.user, form.cleaned_data["rejection_reason"])
                    messages.success(request, gettext("Versionen är avslagen."))
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                info = self.opts.app_label, self.opts.model_name
                return HttpResponseRedirect(reverse(f"admin:{info[0]}_{info[1]}_change", args=[document.pk]))
        problems = document.approval_problems() if document.status == DocumentStatus.DRAFT else {}
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Beslut om %(document)s") % {"document": document},
            "document": document,
            "form": form,
            "problems": [
                (str(self.opts.get_field(name).verbose_name) if name != "__all__" else "", message)
                for name, items in problems.items()
                for message in items
            ],
            "may_decide": may_decide,
            "may_revise": may_revise,
            "opts": self.opts,
            "badge": status_badge(document),
        }
        return TemplateResponse(request, self.decision_template, context)


class SurveillanceAssessmentForm(forms.ModelForm):
    factors_for = forms.MultipleChoiceField(
        label=_("skäl för bevakning"),
        choices=FactorFor.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Minst ett skäl enligt 8 § kamerabevakningslagen."),
    )

    class Meta:
        model = SurveillanceAssessment
        fields = ["camera", "template", "factors_for", "alternatives", "incidents"]  # the fieldsets add the rest

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "alternatives" in self.fields:
            camera = self.instance.camera if self.instance.camera_id else None
            queryset = Measure.objects.select_related("site")
            self.fields["alternatives"].queryset = queryset.filter(site=camera.site) if camera else queryset
        if "incidents" in self.fields:
            camera = self.instance.camera if self.instance.camera_id else None
            incidents = Incident.objects.select_related("site").order_by("-occurred_on")
            self.fields["incidents"].queryset = incidents.filter(site=camera.site) if camera else incidents

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        camera = data.get("camera")
        for incident in data.get("incidents") or []:
            if camera is None or incident.site_id != camera.site_id:
                self.add_error(
                    "incidents",
                    gettext("Händelsen %(incident)s gäller en annan plats än kamerans.") % {"incident": incident},
                )
        for measure in data.get("alternatives") or []:
            if camera is None or measure.site_id != camera.site_id:
                self.add_error(
                    "alternatives",
                    gettext("Åtgärden %(measure)s gäller en annan plats än kamerans.") % {"measure": measure},
                )
        return data


@admin.register(SurveillanceAssessment)
class SurveillanceAssessmentAdmin(VersionedAdmin):
    @admin.display(description=_("bevakningstider mot händelsernas tider"))
    def incident_hours_coverage(self, assessment: SurveillanceAssessment) -> str:
        from trygg.incidents.views import WEEKDAYS

        coverage = facts.incident_coverage(assessment) if assessment.pk else None
        uncovered = (
            [(WEEKDAYS[u.weekday], u.hour, u.hour + 1, u.incidents) for u in coverage.uncovered[:5]] if coverage else []
        )
        return render_to_string("compliance/incident_coverage.html", {"coverage": coverage, "uncovered": uncovered})

    form = SurveillanceAssessmentForm
    list_display = ["__str__", "camera", "is_template", "version", "status_display", "approved_on", "outcome"]
    list_filter = ["status", "is_template", "outcome", "camera__site__kind"]
    search_fields = ["camera__identifier", "title", "camera__site__name"]
    list_select_related = ["camera"]
    autocomplete_fields = []
    filter_horizontal = ["alternatives", "incidents"]
    readonly_fields = [*VERSION_READONLY, "snapshot", "incident_hours_coverage"]
    fieldsets = [
        (None, {"fields": ["camera", "is_template", "template_site_kind", "template", "title"]}),
        (_("Uppgift och nödvändighet (7 §)"), {"fields": ["legal_task", "legal_task_other", "necessity"]}),
        (
            _("Intresseavvägning (8 §)"),
            {
                "fields": [
                    "factors_for",
                    "against_how",
                    "against_privacy_technology",
                    "against_area",
                    "area_description",
                    "hours_description",
                    "alternatives",
                    "incidents",
                    "incident_hours_coverage",
                    "incidents_relied_on",
                    "incident_count",
                    "incident_hours",
                    "live_viewing",
                ]
            },
        ),
        (
            _("Arbetsplats och biträden"),
            {"fields": ["mbl_negotiation", "external_operator", "processor_agreement", "processor_agreement_valid_to"]},
        ),
        (_("Slutsats"), {"fields": ["outcome", "outcome_reasoning"]}),
        (_("Version och beslut"), {"fields": [*VERSION_READONLY, "snapshot"]}),
    ]


class DpiaRiskInline(admin.TabularInline):
    model = DpiaRisk
    extra = 0
    fields = ["title", "description", "severity", "likelihood"]

    def _editable(self, request: HttpRequest, obj: Any) -> bool:
        return (obj is None or obj.status not in FROZEN_STATUSES) and request.user.has_perm(
            "compliance.add_impactassessment"
        )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(request, obj) and super().has_delete_permission(request, obj)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("compliance.view_impactassessment")


class DpiaMeasureInline(DpiaRiskInline):
    model = DpiaMeasure
    fields = ["risk", "description", "owner", "due_on", "done_on"]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "risk" and field is not None:
            object_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            field.queryset = field.queryset.filter(assessment_id=object_id) if object_id else field.queryset.none()
        return field


class ImpactAssessmentForm(forms.ModelForm):
    criteria = forms.MultipleChoiceField(
        label=_("riskkriterier"),
        choices=[(code, _(label)) for code, label in DPIA_CRITERIA.items()],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Minst två kriterier: konsekvensbedömning krävs. Kriterier som följer av kamerorna läggs till automatiskt."
        ),
    )

    class Meta:
        model = ImpactAssessment
        fields = ["site", "cameras", "criteria"]  # the admin's fieldsets add the rest

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        site = data.get("site")
        for camera in data.get("cameras") or []:
            if site is not None and camera.site_id != site.pk:
                self.add_error(
                    "cameras", gettext("Kameran %(camera)s sitter på en annan plats.") % {"camera": camera.identifier}
                )
        return data


ADVICE_FIELDS = ["dpo_advice", "dpo_advice_on"]


@admin.register(ImpactAssessment)
class ImpactAssessmentAdmin(VersionedAdmin):
    form = ImpactAssessmentForm
    list_display = [
        "__str__",
        "site",
        "version",
        "status_display",
        "residual_risk",
        "prior_consultation",
        "approved_on",
    ]
    list_filter = ["status", "residual_risk", "prior_consultation", "site__kind"]
    search_fields = ["title", "site__name"]
    list_select_related = ["site"]
    filter_horizontal = ["cameras"]
    inlines = [DpiaRiskInline, DpiaMeasureInline]
    fieldsets = [
        (None, {"fields": ["site", "cameras", "title", "criteria"]}),
        (
            _("Innehåll (art. 35.7)"),
            {
                "fields": [
                    "description",
                    "necessity_proportionality",
                    "risk_assessment",
                    "planned_measures",
                    "stakeholder_views",
                ]
            },
        ),
        (_("Dataskyddsombudets råd (art. 35.2)"), {"fields": ADVICE_FIELDS}),
        (
            _("Kvarstående risk och förhandssamråd (art. 36)"),
            {"fields": ["residual_risk", "prior_consultation", "prior_consultation_reference", "review_on"]},
        ),
        (_("Version och beslut"), {"fields": VERSION_READONLY}),
    ]

    def is_advisor_only(self, request: HttpRequest) -> bool:
        user = request.user
        return user.has_perm("compliance.advise_impactassessment") and not user.has_perm(
            "compliance.add_impactassessment"
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if self.is_advisor_only(request):
            return [f.name for f in ImpactAssessment._meta.fields if f.name not in ADVICE_FIELDS and f.name != "id"] + [
                "cameras"
            ]
        return list(super().get_readonly_fields(request, obj))

    def view_on_site(self, obj: ImpactAssessment) -> str:
        return reverse("compliance:impact_assessment", args=[obj.pk])


@admin.register(ChildRightsAssessment)
class ChildRightsAssessmentAdmin(VersionedAdmin):
    list_display = ["__str__", "site", "version", "status_display", "conclusion", "children_heard", "follow_up_on"]
    list_filter = ["status", "conclusion", "children_heard"]
    search_fields = ["title", "site__name"]
    list_select_related = ["site"]
    fieldsets = [
        (None, {"fields": ["site", "title"]}),
        (_("Barnen och problemet"), {"fields": ["affected_children", "problem_from_child_perspective"]}),
        (
            _("Barnens röst (art. 12)"),
            {"fields": ["children_heard", "children_heard_how", "children_heard_on", "children_heard_result"]},
        ),
        (
            _("Effekter och alternativ"),
            {"fields": ["positive_effects", "negative_effects", "alternatives", "mitigations"]},
        ),
        (
            _("Slutsats och uppföljning"),
            {"fields": ["conclusion", "conclusion_reasoning", "follow_up_on", "follow_up_indicator"]},
        ),
        (_("Version och beslut"), {"fields": VERSION_READONLY}),
    ]


@admin.register(Sign)
class SignAdmin(TryggModelAdmin):
    list_display = ["__str__", "site", "camera", "text_version", "installed_on", "last_inspected_on", "removed_on"]
    list_filter = ["site", "mentions_sound", "mentions_retention"]
    search_fields = ["site__name", "camera__identifier", "position"]
    list_select_related = ["site", "camera"]
    fieldsets = [
        (None, {"fields": ["site", "camera", "position", "text_version", "photo"]}),
        (
            _("Innehåll"),
            {
                "fields": [
                    "includes_controller_contact",
                    "includes_dpo_contact",
                    "mentions_sound",
                    "mentions_retention",
                    "layer2_phone",
                    "layer2_poster",
                ]
            },
        ),
        (_("Uppsättning och inspektion"), {"fields": ["installed_on", "last_inspected_on", "removed_on"]}),
    ]


@admin.register(LegacyPermit)
class LegacyPermitAdmin(TryggModelAdmin):
    list_display = ["imy_case_number", "decision_date", "expires_on"]
    search_fields = ["imy_case_number", "cameras__identifier"]
    filter_horizontal = ["cameras"]


@admin.register(ProcessingRecord)
class ProcessingRecordAdmin(TryggModelAdmin):
    list_display = ["name", "controller_board"]
