"""The assessments written on Trygg's pages: list, create, edit, detail and preview of each kind.

The three kinds share these views (`kind` comes from the URL); what differs — the form, its sections
and the facts beside the text — is chosen by kind. Editing is possible only while a version is a
draft; saving never starts a new version (that is its own button, see `workflow.py`).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygg.cameras import masks
from trygg.cameras.models import Camera
from trygg.cameras.schedule_forms import BaseWeeklyHoursFormSet, WeeklyHoursFormSet, describe_rules
from trygg.compliance import decisions, documents, facts, presentation, risk_matrix, sections
from trygg.compliance.choices import DocumentStatus
from trygg.compliance.documents import ASSESSMENT, CHILD_RIGHTS, IMPACT_ASSESSMENT, KINDS, DocumentKind
from trygg.compliance.engine import dpia_criteria, dpia_required
from trygg.compliance.engine.facts import DPIA_CRITERIA
from trygg.compliance.forms import (
    CameraChoiceForm,
    ChildRightsAssessmentForm,
    DpiaMeasureFormSet,
    DpiaRiskFormSet,
    ImpactAssessmentForm,
    SiteChoiceForm,
    SurveillanceAssessmentForm,
    removed_risks_still_used,
)
from trygg.compliance.history import readable_rows
from trygg.compliance.models import ImpactAssessment, SurveillanceAssessment, VersionedDocument
from trygg.core import roles
from trygg.core.access import requires
from trygg.core.history import changes_for, describe
from trygg.core.listing import Column, listing
from trygg.core.models import Organisation
from trygg.core.params import BadParameter, bad_request, check_form
from trygg.core.versions import save_versioned
from trygg.sites.choices import SCHOOL_KINDS
from trygg.sites.models import Site
from trygg.sites.views import MAP_LABELS

DOCUMENTS_CSS = "trygg/documents.css"


def get_document(request: HttpRequest, kind: DocumentKind, pk: int) -> VersionedDocument:
    """The version `pk` of `kind`, if the user may see it (404 otherwise)."""
    return get_object_or_404(kind.queryset(request.user), pk=pk)


#
# Lists
#

STATUS_CHOICES = [("", gettext_lazy("Alla")), *list(DocumentStatus.choices)]


class DocumentFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Sök"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=STATUS_CHOICES, required=False)
    alla = forms.BooleanField(label=gettext_lazy("Visa alla versioner"), required=False)


SEARCH = {
    ASSESSMENT.slug: ("camera__identifier", "camera__site__name", "title"),
    IMPACT_ASSESSMENT.slug: ("title", "site__name"),
    CHILD_RIGHTS.slug: ("title", "site__name"),
}
SUBJECT_SORT = {
    ASSESSMENT.slug: "camera__identifier",
    IMPACT_ASSESSMENT.slug: "site__name",
    CHILD_RIGHTS.slug: "site__name",
}


def _columns(kind: DocumentKind) -> list[Column]:
    extra = {
        ASSESSMENT.slug: Column("outcome", gettext_lazy("Slutsats"), "outcome"),
        IMPACT_ASSESSMENT.slug: Column("risk", gettext_lazy("Kvarstående risk"), "residual_risk"),
        CHILD_RIGHTS.slug: Column("conclusion", gettext_lazy("Slutsats"), "conclusion"),
    }[kind.slug]
    return [
        Column("subject", gettext_lazy("Gäller"), SUBJECT_SORT[kind.slug]),
        Column("document", gettext_lazy("Dokument"), None),
        Column("version", gettext_lazy("Version"), "version", numeric=True),
        Column("status", gettext_lazy("Status"), "status"),
        extra,
        Column("submitted", gettext_lazy("Skickad för beslut"), "submitted_at"),
        Column("decided", gettext_lazy("Beslut"), "approved_on"),
    ]


def filtered_documents(request: HttpRequest, kind: DocumentKind) -> tuple[DocumentFilterForm, QuerySet]:
    """The kind's documents the user may see, filtered by ?q=, ?status= and ?alla= (latest versions by default);
    BadParameter for a filter value the form refuses."""
    form = DocumentFilterForm(request.GET or None)
    queryset = kind.queryset(request.user)
    check_form(form)
    data = form.cleaned_data if form.is_bound else {}
    if not data.get("alla"):
        queryset = documents.latest_versions(queryset)
    if data.get("status"):
        queryset = queryset.filter(status=data["status"])
    if data.get("q"):
        condition = Q()
        for lookup in SEARCH[kind.slug]:
            condition |= Q(**{f"{lookup}__icontains": data["q"]})
        queryset = queryset.filter(condition)
    return form, queryset


@requires(roles.sees_all_sites)
def document_list(request: HttpRequest, kind: str) -> HttpResponse:
    document_kind = KINDS[kind]
    try:
        form, queryset = filtered_documents(request, document_kind)
        page = listing(request, queryset, _columns(document_kind), "subject")
    except BadParameter as error:
        return bad_request(error, request)
    rows = [
        {
            "document": document,
            "subject": documents.subject(document),
            "url": document_kind.url("detail", document),
            "name": _document_name(document),
            "extra": _list_extra(document),
        }
        for document in page.page
    ]
    return render(
        request,
        "compliance/documents/list.html",
        {
            "kind": document_kind,
            "kinds": KINDS,
            "filter_form": form,
            "listing": page,
            "rows": rows,
            "may_write": decisions.may_write(request.user),
            "documents_css": DOCUMENTS_CSS,
        },
    )


def _document_name(document: VersionedDocument) -> str:
    if isinstance(document, SurveillanceAssessment):
        if document.is_template:
            return _("Gemensam mall")
        if document.template_id:
            return _("Tillägg till mallen ”%(title)s”") % {"title": document.template.title}
        return document.title or _("Egen bedömning")
    return document.title


def _list_extra(document: VersionedDocument) -> str:
    """The kind's own column: the 9 § conclusion (as inherited), the residual risk or the conclusion."""
    if isinstance(document, SurveillanceAssessment):
        outcome = document.effective("outcome")
        return str(dict(document._meta.get_field("outcome").flatchoices).get(outcome, "")) if outcome else "–"
    if isinstance(document, ImpactAssessment):
        return document.get_residual_risk_display() or "–"
    return document.get_conclusion_display() or "–"


#
# Facts beside the text
#


def _camera_facts(camera: Camera, assessment: SurveillanceAssessment | None = None) -> dict[str, Any]:
    from trygg.incidents.views import WEEKDAYS

    coverage = facts.incident_coverage(assessment, camera) if assessment is not None and assessment.pk else None
    uncovered = (
        [(WEEKDAYS[u.weekday], u.hour, u.hour + 1, u.incidents) for u in coverage.uncovered[:5]] if coverage else []
    )
    return {
        "view": presentation.camera_view(camera),
        "site_incident_count": camera.site.incidents.count(),
        "coverage": coverage,
        "uncovered": uncovered,
        # The DPO reads the intrusion with the mask recorded against it, as on the camera's page.
        "mask_status": masks.mask_status(
            camera, masks.view_today(camera), Organisation.current().intrusion_tolerance_m2
        ),
    }


def _site_facts(site: Site) -> dict[str, Any]:
    cameras = list(facts.cameras_for_compliance(site.cameras.order_by("identifier")))
    today = timezone.localdate()
    rows = []
    for item in facts.compliance_for_many(cameras, today):
        rows.append(
            {
                "view": presentation.camera_view(item.camera, site.kind in SCHOOL_KINDS),
                "dpia_required": dpia_required(item.facts),
                "criteria": [_(DPIA_CRITERIA[c]) for c in sorted(dpia_criteria(item.facts))],
            }
        )
    return {
        "site": site,
        "cameras": rows,
        "zones": list(site.zones.order_by("name")),
        "incident_count": site.incidents.count(),
        "measures": list(site.measures.order_by("-started_on")),
    }


def facts_context(document: VersionedDocument | None, kind: DocumentKind, camera: Any = None, site: Any = None) -> dict:
    """The read-only facts for the page: the camera's for a 9 § assessment, the site's cameras otherwise."""
    if kind is ASSESSMENT:
        camera = camera or (document.camera if document is not None and document.camera_id else None)
        if camera is None:
            return {
                "template_addenda": list(document.addenda.select_related("camera")) if document and document.pk else []
            }
        return {"camera_facts": _camera_facts(camera, document)}
    site = site or document.site
    return {"site_facts": _site_facts(site)}


def _map_context(document: VersionedDocument | None, kind: DocumentKind, camera: Any = None, site: Any = None) -> dict:
    if kind is ASSESSMENT:
        camera = camera or (document.camera if document is not None and document.camera_id else None)
        if camera is None:
            return {}
        return {
            "map_source": reverse("cameras:coverage", args=[camera.pk]),
            "map_center": camera,
            "uses_map": True,
            "map_labels": MAP_LABELS,
        }
    site = site or document.site
    return {
        "map_source": reverse("sites:map_data", args=[site.pk]),
        "map_center": site,
        "uses_map": True,
        "map_labels": MAP_LABELS,
    }


#
# The body of a document: the same on the detail page, the preview and the decision page
#


def body_context(document: VersionedDocument, kind: DocumentKind) -> dict[str, Any]:
    """What the document's body template needs (its sections, rows and related objects)."""
    context: dict[str, Any] = {
        "document": document,
        "kind": kind,
        "body_template": kind.body_template,
        "required": set(document.required_for_approval()),
    }
    if kind is ASSESSMENT:
        context["sections"] = sections.assessment_sections(document.is_template)
        context["factors"] = document.effective("factors_for")
        if not document.is_template:
            chosen = list(document.incidents.order_by("occurred_on", "pk"))
            context["chosen_incidents"] = chosen
            context["incident_kinds"] = _count_by_kind(chosen)
            context["chosen_measures"] = list(document.alternatives.order_by("started_on", "pk"))
            context["incident_hours"] = describe_rules(document.incident_hours or [])
        context["snapshot_hours"] = describe_rules((document.snapshot or {}).get("schedule_rules", []))
    elif kind is IMPACT_ASSESSMENT:
        context["sections"] = sections.IMPACT_SECTIONS
        risks = list(document.risks.all())
        numbers = presentation.risk_numbers(risks)
        for risk in risks:
            risk.number = numbers[risk.pk]
        context.update(
            {
                "risks": risks,
                "matrix": risk_matrix.risk_matrix(risks),
                "measures": [
                    (measure, numbers.get(measure.risk_id)) for measure in document.measures.select_related("risk")
                ],
                "doc_cameras": list(document.cameras.order_by("identifier")),
                "criteria": [_(DPIA_CRITERIA[c]) for c in document.criteria or [] if c in DPIA_CRITERIA],
                "criteria_from_cameras": _criteria_from_cameras(document),
            }
        )
    else:
        context["sections"] = sections.CHILD_RIGHTS_SECTIONS
    return context


def _criteria_from_cameras(document: ImpactAssessment) -> list[str]:
    """The DPIA criteria that follow from the document's cameras themselves today (art. 35; counted always)."""
    cameras = facts.cameras_for_compliance(document.cameras.all()) if document.pk else []
    codes = set().union(
        *(dpia_criteria(item.facts) for item in facts.compliance_for_many(cameras, timezone.localdate()))
    )
    chosen = set(document.criteria or [])
    return [_(DPIA_CRITERIA[c]) for c in sorted(codes - chosen) if c in DPIA_CRITERIA]


def _count_by_kind(incidents: list[Any]) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for incident in incidents:
        label = incident.get_kind_display()
        counts[label] = counts.get(label, 0) + 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def _problems(document: VersionedDocument, kind: DocumentKind) -> list[dict[str, str]]:
    """What is missing before submission, each with the field's label and a link to it on the edit page."""
    edit_url = kind.url("edit", document)
    model = type(document)
    rows = []
    for name, items in document.submission_problems().items():
        if name == "__all__":
            anchor = "risker" if kind is IMPACT_ASSESSMENT else ""
            label = ""
        else:
            anchor = f"id_{name}"
            label = str(model._meta.get_field(name).verbose_name)
        for message in items:
            rows.append({"label": label, "message": message, "url": f"{edit_url}#{anchor}" if anchor else edit_url})
    return rows


def _actions(request: HttpRequest, document: VersionedDocument, kind: DocumentKind) -> dict[str, Any]:
    writer = decisions.may_write(request.user)
    open_version = documents.open_version(document)
    latest = type(document).objects.filter(series=document.series).order_by("-version").first()
    return {
        "may_write": writer,
        "may_decide": decisions.may_decide(request.user),
        "may_edit": writer and document.status == DocumentStatus.DRAFT,
        "may_submit": writer and document.status == DocumentStatus.DRAFT,
        "may_withdraw": writer and document.status == DocumentStatus.SUBMITTED,
        "may_start_new_version": writer and open_version is None and latest.pk == document.pk,
        "open_version": open_version if open_version is not None and open_version.pk != document.pk else None,
        "latest": latest if latest.pk != document.pk else None,
        "decision_url": reverse("compliance:decision", args=[kind.slug, document.pk]),
    }


@requires(roles.sees_all_sites)
def document_detail(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    document_kind = KINDS[kind]
    document = get_document(request, document_kind, pk)
    context = {
        **body_context(document, document_kind),
        **_actions(request, document, document_kind),
        **facts_context(document, document_kind),
        "problems": _problems(document, document_kind) if document.status == DocumentStatus.DRAFT else [],
        "versions": documents.versions_of(document),
        "history": readable_rows(describe(changes_for(document)[:30])),
        "subject": documents.subject(document),
        "site": documents.site_of(document),
        "documents_css": DOCUMENTS_CSS,
    }
    if document_kind is not ASSESSMENT or document.camera_id:
        context.update(_map_context(document, document_kind))
    return render(request, "compliance/documents/detail.html", context)


@requires(roles.sees_all_sites)
def document_preview(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """The document as the DPO will see it, in a layout that prints well (an HTML page)."""
    document_kind = KINDS[kind]
    document = get_document(request, document_kind, pk)
    context = {
        **body_context(document, document_kind),
        **facts_context(document, document_kind),
        "subject": documents.subject(document),
        "versions": documents.versions_of(document),
        "documents_css": DOCUMENTS_CSS,
        "printed_on": timezone.localdate(),
    }
    return render(request, "compliance/documents/preview.html", context)


#
# Create and edit
#


def _chooser(request: HttpRequest, kind: DocumentKind) -> HttpResponse:
    """Choose what a new document is about (a camera, or a site) when the link did not say."""
    if kind is ASSESSMENT:
        cameras = roles.scope_queryset(request.user, Camera.objects.select_related("site").order_by("identifier"))
        form: forms.Form = CameraChoiceForm(cameras=cameras)
    else:
        sites = roles.scope_queryset(request.user, Site.objects.order_by("name"))
        if kind is CHILD_RIGHTS:
            sites = sites.filter(kind__in=SCHOOL_KINDS)
        form = SiteChoiceForm(sites=sites)
    return render(
        request,
        "compliance/documents/choose.html",
        {"kind": kind, "form": form, "documents_css": DOCUMENTS_CSS},
    )


def _form_sections(form: forms.Form, kind: DocumentKind, is_template: bool) -> list[dict[str, Any]]:
    """Each section with its bound fields (and what an addendum inherits) for the form template."""
    if kind is ASSESSMENT:
        chosen = (sections.ASSESSMENT_SUBJECT, *sections.assessment_sections(is_template))
    elif kind is IMPACT_ASSESSMENT:
        chosen = (sections.IMPACT_SUBJECT, *sections.IMPACT_SECTIONS, sections.ADVICE_SECTION)
    else:
        chosen = (sections.CHILD_RIGHTS_SUBJECT, *sections.CHILD_RIGHTS_SECTIONS)
    inherited = form.inherited() if hasattr(form, "inherited") else {}
    result = []
    for section in chosen:
        fields = [(form[name], inherited.get(name, "")) for name in section.fields if name in form.fields]
        if fields or section.parts:
            # A section of one text has the heading as its visible label (the label stays for screen readers).
            solo = len(fields) == 1 and not section.parts and isinstance(fields[0][0].field.widget, forms.Textarea)
            result.append({"section": section, "fields": fields, "parts": section.parts, "solo": solo})
    return result


def _existing_series(kind: DocumentKind, camera: Camera) -> VersionedDocument | None:
    return (
        SurveillanceAssessment.objects.filter(camera=camera).order_by("-version").first()
        if kind is ASSESSMENT
        else None
    )


def _new_document_target(request: HttpRequest, kind: DocumentKind) -> dict[str, Any] | None:
    """What a new document is about, from ?kamera=, ?mall=1 or ?plats= (None: ask)."""
    if kind is ASSESSMENT:
        if request.GET.get("mall") == "1":
            return {"is_template": True}
        camera_id = request.GET.get("kamera", "")
        if not camera_id.isdigit():
            return None
        cameras = roles.scope_queryset(request.user, Camera.objects.select_related("site"))
        return {"camera": get_object_or_404(cameras, pk=camera_id)}
    site_id = request.GET.get("plats", "")
    if not site_id.isdigit():
        return None
    sites = roles.scope_queryset(request.user, Site.objects.all())
    if kind is CHILD_RIGHTS:
        sites = sites.filter(kind__in=SCHOOL_KINDS)
    return {"site": get_object_or_404(sites, pk=site_id)}


def _initial(kind: DocumentKind, target: dict[str, Any]) -> dict[str, Any]:
    if kind is IMPACT_ASSESSMENT:
        site = target["site"]
        return {
            "title": _("Konsekvensbedömning kamerabevakning %(site)s") % {"site": site.name},
            "cameras": list(site.cameras.all()),
        }
    if kind is CHILD_RIGHTS:
        return {"title": _("Barnrättsprövning kamerabevakning %(site)s") % {"site": target["site"].name}}
    camera = target.get("camera")
    if camera is not None:
        return {"area_description": camera.coverage_description}
    return {}


FORM_CLASSES = {
    ASSESSMENT.slug: SurveillanceAssessmentForm,
    IMPACT_ASSESSMENT.slug: ImpactAssessmentForm,
    CHILD_RIGHTS.slug: ChildRightsAssessmentForm,
}


def chooser(form: forms.Form, name: str) -> dict[str, Any] | None:
    """Rows, columns and filters of the table that chooses incidents or measures (None without the field)."""
    if not hasattr(form, "selection") or name not in form.fields:
        return None
    from trygg.incidents.choices import IncidentKind

    selection = form.selection(name)
    rows = []
    if name == "incidents":
        columns = [_("Datum och tid"), _("Typ"), _("Beskrivning"), _("Polisanmälan")]
        years: set[str] = set()
        for incident in selection["rows"]:
            year = str(incident.occurred_on.year)
            years.add(year)
            police = incident.police_report_number or (_("ja") if incident.reported_to_police else "–")
            cells = [incident.get_kind_display(), incident.description or "–", police]
            text = " ".join([incident.when_display, *cells]).lower()
            rows.append(
                {
                    "pk": incident.pk,
                    "chosen": incident.pk in selection["chosen"],
                    "label": incident.when_display,
                    "cells": cells,
                    "text": text,
                    "filters": {"kind": incident.kind, "year": year},
                }
            )
        filters = [
            {"key": "kind", "label": _("Typ"), "options": list(IncidentKind.choices)},
            {"key": "year", "label": _("År"), "options": [(y, y) for y in sorted(years, reverse=True)]},
        ]
        caption = _("Händelser på kamerans plats")
    else:
        columns = [_("Åtgärd"), _("Period"), _("Bedömd effekt"), _("Beskrivning")]
        for measure in selection["rows"]:
            period = (
                f"{measure.started_on:%Y-%m-%d} – {measure.ended_on:%Y-%m-%d}"
                if measure.ended_on
                else (_("från %(date)s") % {"date": f"{measure.started_on:%Y-%m-%d}"})
            )
            cells = [period, measure.get_effect_display(), measure.description or measure.effect_notes or "–"]
            rows.append(
                {
                    "pk": measure.pk,
                    "chosen": measure.pk in selection["chosen"],
                    "label": measure.get_kind_display(),
                    "cells": cells,
                    "text": " ".join([measure.get_kind_display(), *cells]).lower(),
                    "filters": {},
                }
            )
        filters = []
        caption = _("Åtgärder på kamerans plats")
    return {
        "name": name,
        "label": form.fields[name].label,
        "caption": caption,
        "columns": columns,
        "rows": rows,
        "filters": filters,
        "chosen_count": sum(1 for row in rows if row["chosen"]),
        "errors": form[name].errors,
    }


@requires(roles.writes_assessments)
def document_edit(request: HttpRequest, kind: str, pk: int | None = None) -> HttpResponse:
    """Write a new document or change a draft; everything on the page is saved together or not at all."""
    document_kind = KINDS[kind]
    data = request.POST if request.method == "POST" else None
    if pk is None:
        target = _new_document_target(request, document_kind)
        if target is None:
            return _chooser(request, document_kind)
        existing = _existing_series(document_kind, target["camera"]) if "camera" in target else None
        if existing is not None:
            messages.info(
                request,
                _(
                    "Kameran %(camera)s har redan en intresseavvägning. Ändra utkastet, eller starta en ny version "
                    "här om den senaste är beslutad."
                )
                % {"camera": target["camera"].identifier},
            )
            return redirect(document_kind.detail_url, pk=existing.pk)
        document = document_kind.model(author=request.user)
        form = FORM_CLASSES[kind](data, instance=document, initial=_initial(document_kind, target), **target)
    else:
        document = get_document(request, document_kind, pk)
        if document.is_locked:
            messages.error(request, document.frozen_message())
            return redirect(document_kind.detail_url, pk=document.pk)
        form = FORM_CLASSES[kind](data, instance=document)
        target = {}
    document = form.instance
    is_template = bool(getattr(document, "is_template", False))
    formsets = _formsets(document_kind, document, data)
    # Every part is validated, so that the page shows all its errors at once.
    valid = request.method == "POST" and all([form.is_valid(), *[f.is_valid() for f in formsets.values()]])
    adds_row = any(getattr(f, "adds_row", False) for f in formsets.values())  # without JavaScript; saves nothing
    if valid and not adds_row:
        try:
            saved = save_versioned(form, lambda: _save(document_kind, form, formsets))
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            if saved is not None:  # None: someone else changed the document since the form was opened
                messages.success(request, _("Utkastet är sparat."))
                return redirect(document_kind.detail_url, pk=saved.pk)
    camera = target.get("camera") or (document.camera if document_kind is ASSESSMENT and document.camera_id else None)
    site = target.get("site") or (documents.site_of(document) if document_kind is not ASSESSMENT else None)
    context = {
        "kind": document_kind,
        "document": document if document.pk else None,
        "form": form,
        "formsets": formsets,
        "form_sections": _form_sections(form, document_kind, is_template),
        "errors": _error_summary(form, formsets),
        "choosers": {"incidents": chooser(form, "incidents"), "alternatives": chooser(form, "alternatives")},
        "camera": camera,
        "site": site,
        "is_template": is_template,
        "documents_css": DOCUMENTS_CSS,
    }
    if document_kind is IMPACT_ASSESSMENT and document.pk is None:
        # The site may have a DPIA already: a camera is better added to it than a second one written.
        context["site_dpias"] = list(
            documents.latest_versions(IMPACT_ASSESSMENT.queryset(request.user).filter(site=site))
        )
    context.update(facts_context(document if document.pk else None, document_kind, camera=camera, site=site))
    if camera is not None or site is not None:
        context.update(_map_context(document, document_kind, camera=camera, site=site))
    if document_kind is IMPACT_ASSESSMENT and document.pk:
        risks = list(document.risks.all())
        numbers = presentation.risk_numbers(risks)
        for risk in risks:
            risk.number = numbers[risk.pk]
        context["matrix"] = risk_matrix.risk_matrix(risks)
    return render(request, "compliance/documents/form.html", context)


def _formsets(kind: DocumentKind, document: VersionedDocument, data: Any) -> dict[str, Any]:
    if kind is ASSESSMENT and not document.is_template:
        # Hours of incidents: a rule for school-free days only would say nothing the rules could use.
        hours = WeeklyHoursFormSet(
            data,
            rules=document.incident_hours,
            prefix="incident_hours",
            label=_("Tider med dokumenterade händelser som inte finns i registret"),
            school_free=False,
        )
        return {"incident_hours": hours}
    if kind is IMPACT_ASSESSMENT:
        numbers = presentation.risk_numbers(document.risks.all()) if document.pk else {}
        return {
            "risks": DpiaRiskFormSet(data, instance=document, prefix="risks"),
            "measures": DpiaMeasureFormSet(data, instance=document, prefix="measures", numbers=numbers),
        }
    return {}


@transaction.atomic
def _save(kind: DocumentKind, form: forms.ModelForm, formsets: dict[str, Any]) -> VersionedDocument:
    """Save the document, its chosen rows and its risks and measures in one transaction."""
    if "incident_hours" in formsets:
        form.instance.incident_hours = formsets["incident_hours"].rules()
    if "risks" in formsets:
        problems = removed_risks_still_used(formsets["risks"], formsets["measures"])
        if problems:
            raise ValidationError(problems)
    document = form.save()
    for name in ("risks", "measures"):
        if name in formsets:
            formsets[name].instance = document
            formsets[name].save()
    return document


def _error_summary(form: forms.Form, formsets: dict[str, Any]) -> list[dict[str, str]]:
    """Every error on the page, naming its field, with a link to it (shown at the top of the form)."""
    rows = []
    if form.is_bound:
        for name, errors in form.errors.items():
            label = str(form.fields[name].label) if name in form.fields else ""
            anchor = f"id_{name}" if name in form.fields else ""
            for message in errors:
                rows.append({"label": label, "message": message, "anchor": anchor})
        for prefix, formset in formsets.items():
            if not formset.is_bound:
                continue
            if isinstance(formset, BaseWeeklyHoursFormSet):
                # Its messages name their row and the editor already.
                rows.extend({"label": "", "message": m, "anchor": a} for a, m in formset.error_links())
                continue
            for message in formset.non_form_errors():
                rows.append({"label": "", "message": message, "anchor": prefix})
            for index, errors in enumerate(formset.errors):
                for name, messages_ in errors.items():
                    field = formset.forms[index].fields.get(name)
                    label = str(field.label) if field is not None else ""
                    anchor = f"id_{prefix}-{index}-{name}" if field is not None else prefix
                    for message in messages_:
                        rows.append(
                            {
                                "label": _("%(label)s, rad %(row)s") % {"label": label, "row": index + 1}
                                if label
                                else _("Rad %(row)s") % {"row": index + 1},
                                "message": message,
                                "anchor": anchor,
                            }
                        )
    return rows
