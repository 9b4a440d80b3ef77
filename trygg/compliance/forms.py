"""Forms for writing the assessments on Trygg's pages and for the DPO's advice and decisions.

Validation lives in the models (`clean`) and the decision service (`decisions.py`); these forms limit
every choice to what belongs to the document's camera or site, show checkboxes with labels instead of
JSON lists, and say in Swedish which field is wrong.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from trygg.cameras.models import Camera
from trygg.compliance.choices import DocumentStatus, FactorFor
from trygg.compliance.engine.facts import DPIA_CRITERIA
from trygg.compliance.models import (
    ChildRightsAssessment,
    DpiaMeasure,
    DpiaRisk,
    ImpactAssessment,
    SurveillanceAssessment,
    VersionedDocument,
)
from trygg.core.versions import VersionedFormMixin
from trygg.incidents.models import Incident
from trygg.sites.models import Measure, Site

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SEVERITY_CHOICES = [
    (1, _("1 – begränsad")),
    (2, _("2 – betydande")),
    (3, _("3 – allvarlig")),
    (4, _("4 – mycket allvarlig")),
]
LIKELIHOOD_CHOICES = [
    (1, _("1 – osannolik")),
    (2, _("2 – möjlig")),
    (3, _("3 – sannolik")),
    (4, _("4 – mycket sannolik")),
]


def _textareas(form: forms.Form, rows: int = 4) -> None:
    for field in form.fields.values():
        if isinstance(field.widget, forms.Textarea) and str(field.widget.attrs.get("rows", "10")) == "10":
            field.widget.attrs["rows"] = rows  # Django's default of 10 rows makes a long page longer


def _dates(form: forms.Form) -> None:
    for _name, field in form.fields.items():
        if isinstance(field, forms.DateField):
            field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            field.error_messages["invalid"] = gettext("Fältet ”%(field)s” ska vara ett datum som ÅÅÅÅ-MM-DD.") % {
                "field": field.label
            }


class DocumentForm(VersionedFormMixin, forms.ModelForm):
    """What the three assessment forms share: dates, text areas, and what an addendum inherits."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _textareas(self)
        _dates(self)

    def inherited(self) -> dict[str, str]:
        """Parts left empty that are taken from a shared template (only 9 § addenda have one)."""
        return {}


#
# 9 § kamerabevakningslagen
#


class SurveillanceAssessmentForm(DocumentForm):
    """The 9 § assessment of one camera, or a shared template (`is_template`) for school facades.

    Incidents and measures can be chosen only from the camera's own site.
    """

    factors_for = forms.MultipleChoiceField(
        label=_("skäl för bevakning"),
        choices=FactorFor.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Minst ett skäl enligt 8 § kamerabevakningslagen."),
    )
    incidents = forms.ModelMultipleChoiceField(
        label=_("händelser ur registret som bedömningen bygger på"),
        queryset=Incident.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Fältet ”händelser”: händelsen %(value)s hör inte till kamerans plats."),
        },
    )
    alternatives = forms.ModelMultipleChoiceField(
        label=_("andra åtgärder som prövats"),
        queryset=Measure.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Fältet ”andra åtgärder”: åtgärden %(value)s hör inte till kamerans plats."),
        },
    )

    class Meta:
        model = SurveillanceAssessment
        fields = [
            "template_site_kind",
            "template",
            "title",
            "legal_task",
            "legal_task_other",
            "necessity",
            "area_description",
            "hours_description",
            "factors_for",
            "incidents",
            "incidents_relied_on",
            "incident_count",
            "alternatives",
            "against_how",
            "against_privacy_technology",
            "against_area",
            "live_viewing",
            "mbl_negotiation",
            "external_operator",
            "processor_agreement",
            "processor_agreement_valid_to",
            "outcome",
            "outcome_reasoning",
        ]

    def __init__(self, *args: Any, camera: Camera | None = None, is_template: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = self.instance
        if instance.pk is None:
            instance.camera = camera
            instance.is_template = is_template
        self.camera = instance.camera if instance.camera_id else None
        if instance.is_template:
            for name in ("template", "incidents", "alternatives", "incidents_relied_on", "incident_count"):
                self.fields.pop(name)
            self.fields["template_site_kind"].required = True
            self.fields["title"].required = True
        else:
            self.fields.pop("template_site_kind")
            self._limit_to_site(self.camera.site)
        if "incident_count" in self.fields:
            self.fields["incident_count"].help_text = _(
                "Det totala antalet om händelser utanför registret ingår; valda händelser räknas ändå automatiskt."
            )

    def _limit_to_site(self, site: Site) -> None:
        self.fields["incidents"].queryset = Incident.objects.filter(site=site).order_by("-occurred_on", "-pk")
        self.fields["alternatives"].queryset = Measure.objects.filter(site=site).order_by("-started_on", "pk")
        templates = SurveillanceAssessment.objects.filter(is_template=True, template_site_kind=site.kind).order_by(
            "title", "-version"
        )
        if templates.exists() or self.instance.template_id:
            self.fields["template"].queryset = templates
            self.fields["template"].label_from_instance = lambda t: (
                gettext("%(title)s, version %(version)s (%(status)s)")
                % {"title": t.title, "version": t.version, "status": str(DocumentStatus(t.status).label).lower()}
            )
        else:
            self.fields.pop("template")

    def selection(self, name: str) -> dict[str, Any]:
        """The rows of a chooser (incidents, measures) with which of them are chosen, for the page."""
        if name not in self.fields:
            return {"rows": [], "chosen": set()}
        value = self[name].value() or []
        chosen = {int(v) for v in value if str(v).isdigit()}
        return {"rows": list(self.fields[name].queryset), "chosen": chosen}

    def inherited(self) -> dict[str, str]:
        template = self.instance.template if self.instance.template_id else None
        if template is None or self.instance.is_template:
            return {}
        shown = {}
        for name in SurveillanceAssessment.INHERITED:
            value = getattr(template, name)
            if name == "factors_for":
                value = ", ".join(str(FactorFor(v).label) for v in value or [] if v in FactorFor.values)
            elif name in {"legal_task", "outcome"}:
                value = getattr(template, f"get_{name}_display")()
            if value:
                shown[name] = str(value)
        return shown


#
# Art. 35 GDPR: the DPIA, its risks and measures
#


class ImpactAssessmentForm(DocumentForm):
    """The DPIA of one site: its cameras are chosen among the site's, criteria as labelled checkboxes."""

    # Its risks and measures are edited on the same page.
    version_related_models = (DpiaRisk, DpiaMeasure)

    criteria = forms.MultipleChoiceField(
        label=_("riskkriterier"),
        choices=[(code, _(label)) for code, label in DPIA_CRITERIA.items()],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Kriterier som följer av kamerorna själva läggs till automatiskt."),
    )
    cameras = forms.ModelMultipleChoiceField(
        label=_("kameror"),
        queryset=Camera.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Fältet ”kameror”: kameran %(value)s sitter på en annan plats.")},
    )

    class Meta:
        model = ImpactAssessment
        fields = [
            "title",
            "cameras",
            "criteria",
            "description",
            "necessity_proportionality",
            "risk_assessment",
            "planned_measures",
            "stakeholder_views",
            "residual_risk",
            "prior_consultation",
            "prior_consultation_reference",
            "review_on",
        ]

    def __init__(self, *args: Any, site: Site | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.instance.site = site
        self.fields["cameras"].queryset = Camera.objects.filter(site=self.instance.site).order_by("identifier")
        self.fields["cameras"].label_from_instance = lambda c: (
            gettext("%(camera)s (%(state)s)")
            % {
                "camera": c.identifier,
                "state": c.get_state_display(),
            }
        )


class RiskForm(forms.ModelForm):
    # An empty first choice: the row for a new risk must post nothing until someone fills it in.
    severity = forms.TypedChoiceField(
        label=_("allvarlighet"),
        choices=[("", _("välj")), *SEVERITY_CHOICES],
        coerce=int,
        error_messages={"required": _("Välj allvarlighet (1–4) för risken.")},
    )
    likelihood = forms.TypedChoiceField(
        label=_("sannolikhet"),
        choices=[("", _("välj")), *LIKELIHOOD_CHOICES],
        coerce=int,
        error_messages={"required": _("Välj sannolikhet (1–4) för risken.")},
    )

    class Meta:
        model = DpiaRisk
        fields = ["title", "description", "severity", "likelihood"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class MeasureForm(forms.ModelForm):
    class Meta:
        model = DpiaMeasure
        fields = ["risk", "description", "owner", "due_on", "done_on"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _dates(self)


class RiskFormSet(BaseInlineFormSet):
    """The DPIA's risks in the order they were added, so that row n is risk Rn everywhere."""

    def get_queryset(self) -> Any:
        return super().get_queryset().order_by("pk")


class MeasureFormSet(BaseInlineFormSet):
    """Measures against risks: the risk is chosen among this DPIA's saved risks only."""

    def get_queryset(self) -> Any:
        return super().get_queryset().order_by("pk")

    def __init__(self, *args: Any, numbers: dict[int, int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        risks = DpiaRisk.objects.filter(assessment=self.instance) if self.instance.pk else DpiaRisk.objects.none()
        numbers = numbers or {}
        for form in [*self.forms, self.empty_form]:
            form.fields["risk"].queryset = risks
            form.fields["risk"].label_from_instance = lambda r: (
                gettext("R%(number)s %(title)s")
                % {
                    "number": numbers.get(r.pk, "?"),
                    "title": r.title,
                }
            )
            form.fields["risk"].error_messages["invalid_choice"] = gettext(
                "Fältet ”risk”: välj en av den här konsekvensbedömningens sparade risker."
            )


DpiaRiskFormSet = inlineformset_factory(
    ImpactAssessment, DpiaRisk, form=RiskForm, formset=RiskFormSet, extra=1, can_delete=True
)
DpiaMeasureFormSet = inlineformset_factory(
    ImpactAssessment, DpiaMeasure, form=MeasureForm, formset=MeasureFormSet, extra=1, can_delete=True
)


def removed_risks_still_used(risks: Any, measures: Any) -> list[str]:
    """Swedish errors for measures that keep a risk the same save removes (valid formsets)."""
    removed = {form.instance.pk for form in risks.deleted_forms if form.instance.pk}
    errors = []
    for form in measures.forms:
        if form in measures.deleted_forms or not form.has_changed():
            continue
        risk = form.cleaned_data.get("risk")
        if risk is not None and risk.pk in removed:
            errors.append(
                gettext(
                    "Åtgärden ”%(measure)s” hör till risken ”%(risk)s” som tas bort; välj en annan risk eller ingen."
                )
                % {"measure": (form.cleaned_data.get("description") or "")[:60], "risk": risk.title}
            )
    return errors


#
# Barnkonventionen: the child-rights assessment
#


class ChildRightsAssessmentForm(DocumentForm):
    class Meta:
        model = ChildRightsAssessment
        fields = [
            "title",
            "affected_children",
            "problem_from_child_perspective",
            "children_heard",
            "children_heard_how",
            "children_heard_on",
            "children_heard_result",
            "positive_effects",
            "negative_effects",
            "alternatives",
            "mitigations",
            "conclusion",
            "conclusion_reasoning",
            "follow_up_on",
            "follow_up_indicator",
        ]

    def __init__(self, *args: Any, site: Site | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.instance.site = site


#
# Choosing what a new document is about
#


class CameraChoiceForm(forms.Form):
    kamera = forms.ModelChoiceField(label=_("kamera"), queryset=Camera.objects.none(), empty_label=_("Välj kamera"))

    def __init__(self, *args: Any, cameras: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kamera"].queryset = cameras
        self.fields["kamera"].label_from_instance = lambda c: f"{c.identifier} – {c.site.name}"


class SiteChoiceForm(forms.Form):
    plats = forms.ModelChoiceField(label=_("plats"), queryset=Site.objects.none(), empty_label=_("Välj plats"))

    def __init__(self, *args: Any, sites: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plats"].queryset = sites


#
# The DPO: advice and decision
#


class AdviceForm(forms.Form):
    """The DPO's advice without a decision. It stands on the decision page beside the decision form, which has
    a field of the same name: its own ids keep each label tied to its own field."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_rad_%s")
        super().__init__(*args, **kwargs)

    dpo_advice = forms.CharField(
        label=_("dataskyddsombudets råd"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Fyll i fältet ”dataskyddsombudets råd”.")},
    )
    dpo_advice_on = forms.DateField(
        label=_("rådet lämnat den"),
        initial=timezone.localdate,
        widget=DATE_INPUT,
        error_messages={
            "required": _("Fyll i fältet ”rådet lämnat den”."),
            "invalid": _("Fältet ”rådet lämnat den” ska vara ett datum som ÅÅÅÅ-MM-DD."),
        },
    )


class DecisionForm(forms.Form):
    """The DPO's decision: approve or reject, under a delegation, with a case number, confirmed."""

    APPROVE, REJECT = "approve", "reject"

    decision = forms.ChoiceField(
        label=_("beslut"),
        choices=[(APPROVE, _("Godkänn versionen")), (REJECT, _("Avslå versionen och skicka tillbaka den"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj i fältet ”beslut” om versionen godkänns eller avslås.")},
    )
    dpo_advice = forms.CharField(
        label=_("dataskyddsombudets råd"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Krävs för en konsekvensbedömning (art. 35.2); sparas med beslutet."),
    )
    rejection_reason = forms.CharField(
        label=_("skäl för avslag"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Krävs vid avslag; handläggaren ser skälet på sin översikt."),
    )
    approved_on = forms.DateField(
        label=_("beslutsdatum"),
        initial=timezone.localdate,
        widget=DATE_INPUT,
        error_messages={
            "required": _("Fyll i fältet ”beslutsdatum”."),
            "invalid": _("Fältet ”beslutsdatum” ska vara ett datum som ÅÅÅÅ-MM-DD."),
        },
    )
    decision_delegation = forms.CharField(
        label=_("delegation"),
        max_length=300,
        required=False,
        help_text=_("Punkten i delegationsordningen som beslutet fattas enligt; förifylld från organisationen."),
    )
    case_number = forms.CharField(label=_("diarienummer"), max_length=50, required=False)
    acting_as_dpo = forms.BooleanField(
        label=_("Jag är systemförvaltare och beslutar i dataskyddsombudets ställe"), required=False
    )
    confirm = forms.BooleanField(
        label=_("Jag har läst versionen och bekräftar beslutet. Ett beslut kan inte ändras i efterhand."),
        required=True,
        error_messages={"required": _("Bekräfta beslutet genom att kryssa i rutan ”Jag har läst versionen …”.")},
    )

    def __init__(self, *args: Any, document: VersionedDocument, as_admin: bool, example: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not as_admin:
            self.fields.pop("acting_as_dpo")
        self.fields["case_number"].help_text = gettext("Krävs vid godkännande, t.ex. %(example)s.") % {
            "example": example
        }
        self.fields["dpo_advice"].initial = document.dpo_advice
