"""Decisions by role: the officer submits, withdraws and starts new versions; the DPO advises and decides.

Each step is a POST to its own URL and calls `trygg.compliance.decisions`, which checks the role again,
records the named audit event and refuses with Swedish messages; no step happens as a side effect of
saving a form. Approving and rejecting need a confirmation ticked on the decision page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trygg.compliance import decisions, documents
from trygg.compliance.choices import DocumentStatus
from trygg.compliance.documents import ASSESSMENT, KINDS, DocumentKind
from trygg.compliance.forms import AdviceForm, DecisionForm
from trygg.compliance.models import VersionedDocument
from trygg.compliance.views.documents import DOCUMENTS_CSS, _map_context, body_context, facts_context, get_document
from trygg.core import roles
from trygg.core.access import requires
from trygg.core.models import Organisation


def _refused(request: HttpRequest, error: ValidationError | PermissionDenied) -> None:
    for message in error.messages if isinstance(error, ValidationError) else [str(error)]:
        messages.error(request, message)


def _document_label(document: VersionedDocument) -> str:
    return str(document.document_label).lower()


@require_POST
@requires(roles.writes_assessments)
def submit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Send a draft for the DPO's advice and decision (only when nothing the officer writes is missing)."""
    document_kind = KINDS[kind]
    document = get_document(request, document_kind, pk)
    try:
        decisions.submit(document, request.user)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _("Versionen kunde inte skickas för beslut. Det här saknas:"))
        _refused(request, error)
    else:
        messages.success(
            request,
            _("Version %(version)s av %(document)s är skickad för beslut till dataskyddsombudet och är nu låst.")
            % {"version": document.version, "document": _document_label(document)},
        )
    return redirect(document_kind.detail_url, pk=document.pk)


@require_POST
@requires(roles.writes_assessments)
def withdraw(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Take a submitted version back to draft, so that it can be changed again."""
    document_kind = KINDS[kind]
    document = get_document(request, document_kind, pk)
    try:
        decisions.withdraw(document, request.user)
    except (ValidationError, PermissionDenied) as error:
        _refused(request, error)
    else:
        messages.success(
            request,
            _("Version %(version)s är återkallad från beslut och kan ändras igen.") % {"version": document.version},
        )
    return redirect(document_kind.detail_url, pk=document.pk)


@require_POST
@requires(roles.writes_assessments)
def new_version(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Start a new draft version as a copy of the latest decided one; the decided one never changes."""
    document_kind = KINDS[kind]
    document = get_document(request, document_kind, pk)
    try:
        copy = decisions.new_version(document, request.user)
    except (ValidationError, PermissionDenied) as error:
        _refused(request, error)
        return redirect(document_kind.detail_url, pk=document.pk)
    messages.success(
        request,
        _(
            "Version %(version)s är skapad som en kopia av version %(previous)s. Version %(previous)s är oförändrad; "
            "ändra i den nya versionen och skicka den för beslut."
        )
        % {"version": copy.version, "previous": document.version},
    )
    return redirect(document_kind.edit_url, pk=copy.pk)


#
# The DPO
#

# Keys of the decision service's errors that are fields of the decision form.
DECISION_FIELDS = {
    "case_number",
    "decision_delegation",
    "acting_as_dpo",
    "approved_on",
    "rejection_reason",
    "dpo_advice",
    "dpo_advice_on",
}


def _decision_form(request: HttpRequest, document: VersionedDocument, data: Any = None) -> DecisionForm:
    organisation = Organisation.current()
    return DecisionForm(
        data,
        document=document,
        as_admin=decisions.acts_for_dpo(request.user),
        example=organisation.case_number_example,
        initial={"decision_delegation": organisation.decision_delegation},
    )


def _decision_context(
    request: HttpRequest,
    document: VersionedDocument,
    kind: DocumentKind,
    form: DecisionForm | None = None,
    advice_form: AdviceForm | None = None,
) -> dict[str, Any]:
    waiting = document.status == DocumentStatus.SUBMITTED
    open_for_advice = document.status in {DocumentStatus.DRAFT, DocumentStatus.SUBMITTED}
    context = {
        **body_context(document, kind),
        **facts_context(document, kind),
        "subject": documents.subject(document),
        "site": documents.site_of(document),
        "versions": documents.versions_of(document),
        "detail_url": kind.url("detail", document),
        "preview_url": kind.url("preview", document),
        "waiting": waiting,
        "decision_form": (form or _decision_form(request, document)) if waiting else None,
        "advice_form": (advice_form or AdviceForm(initial={"dpo_advice": document.dpo_advice}))
        if open_for_advice
        else None,
        "as_admin": decisions.acts_for_dpo(request.user),
        "documents_css": DOCUMENTS_CSS,
    }
    if kind is not ASSESSMENT or document.camera_id:
        context.update(_map_context(document, kind))
    return context


@requires(roles.decides_assessments)
def decision(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """The DPO's page: the text, the facts and the map beside it, advice, and approve or reject (confirmed)."""
    document_kind = KINDS[kind]
    document = get_document(request, document_kind, pk)
    form = None
    if request.method == "POST":
        form = _decision_form(request, document, request.POST)
        if document.status != DocumentStatus.SUBMITTED:
            form.add_error(None, _("Versionen är inte skickad för beslut; den kan inte beslutas nu."))
        elif form.is_valid():
            data = form.cleaned_data
            common = {
                "case_number": data["case_number"],
                "delegation": data["decision_delegation"],
                "acting_as_dpo": data.get("acting_as_dpo", False),
                "advice": data["dpo_advice"],
            }
            try:
                if data["decision"] == DecisionForm.APPROVE:
                    decided = decisions.approve(document, request.user, data["approved_on"], **common)
                    text = _("Version %(version)s av %(document)s är godkänd (diarienummer %(case)s).")
                else:
                    decided = decisions.reject(document, request.user, data["rejection_reason"], **common)
                    text = _("Version %(version)s av %(document)s är avslagen; handläggaren ser skälet.")
            except ValidationError as error:
                _errors_onto(form, document, error)
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    text
                    % {"version": decided.version, "document": _document_label(decided), "case": decided.case_number},
                )
                return redirect(document_kind.detail_url, pk=decided.pk)
        status = 400
    else:
        status = 200
    return render(
        request,
        "compliance/documents/decision.html",
        _decision_context(request, document, document_kind, form),
        status=status,
    )


def _errors_onto(form: DecisionForm, document: VersionedDocument, error: ValidationError) -> None:
    """Put the service's errors on the form: decision fields on their field, missing content named."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for name, items in error.message_dict.items():
        target = name if name in DECISION_FIELDS and name in form.fields else None
        if name == "dpo_advice_on":
            target = "dpo_advice"
        for message in items:
            form.add_error(target, message)


@require_POST
@requires(roles.decides_assessments)
def advice(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Record the DPO's advice without deciding (art. 35.2 GDPR for a DPIA)."""
    document_kind = KINDS[kind]
    document = get_document(request, document_kind, pk)
    form = AdviceForm(request.POST)
    if form.is_valid():
        try:
            decisions.advise(
                document, request.user, form.cleaned_data["dpo_advice"], form.cleaned_data["dpo_advice_on"]
            )
        except ValidationError as error:
            _errors_onto(form, document, error)
        else:
            messages.success(request, _("Rådet är sparat på version %(version)s.") % {"version": document.version})
            return redirect("compliance:decision", kind=kind, pk=document.pk)
    return render(
        request,
        "compliance/documents/decision.html",
        _decision_context(request, document, document_kind, advice_form=form),
        status=400,
    )


@requires(roles.sees_all_sites)
def queue(request: HttpRequest) -> HttpResponse:
    """What waits for the DPO's advice or decision, what came back rejected, and the latest decisions."""
    return render(
        request,
        "compliance/documents/queue.html",
        {
            "waiting": documents.waiting_for_decision(request.user),
            "rejected": documents.returned_rejected(request.user),
            "decided": documents.recently_decided(request.user),
            "may_decide": decisions.may_decide(request.user),
            "kinds": KINDS,
            "documents_css": DOCUMENTS_CSS,
        },
    )


def decision_url(document: VersionedDocument) -> str:
    """The decision page of any of the three assessments."""
    return reverse("compliance:decision", args=[documents.kind_of(document).slug, document.pk])
