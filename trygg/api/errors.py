"""The API's one error shape, in the user's language (Swedish unless English is chosen).

Every error response is
    {"code": "<stable English code>", "message": "<one sentence for a person>",
     "errors": ["<messages not about one field>"], "fields": {"<field>": ["<messages>"]}}
with the HTTP status 400 (invalid input), 401 (no or a bad key), 403 (the role may not), 404, 405,
409 (the request conflicts with the object's state, e.g. a refused life-cycle move), 412 (stale
version), 415, or 503 (SQLite was busy with another write; nothing was saved; Retry-After says when
to try again).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from trygg.core.errors import BUSY_RETRY_SECONDS, database_busy


class Conflict(exceptions.APIException):
    """The request is valid but the object's state refuses it (409), e.g. a life-cycle move the gate stops."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("Ändringen går inte att göra i objektets nuvarande läge.")
    default_code = "conflict"


class PreconditionFailed(exceptions.APIException):
    """The client's `If-Match` version is not the object's current one (412): someone else changed it."""

    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _("Objektet har ändrats av någon annan sedan du läste det. Inget skrevs över.")
    default_code = "stale"


# Sentences of our own for the errors without field details, so no library wording reaches the user.
def _messages() -> dict[type[exceptions.APIException], str]:
    return {
        exceptions.NotAuthenticated: gettext(
            "Logga in eller skicka en API-nyckel i rubriken Authorization: Bearer <nyckel>."
        ),
        exceptions.PermissionDenied: gettext("Din roll ger inte behörighet till det här."),
        exceptions.NotFound: gettext("Det finns inget sådant objekt, eller så får du inte se det."),
        exceptions.MethodNotAllowed: gettext("Metoden %(method)s går inte att använda här."),
        exceptions.UnsupportedMediaType: gettext("Skicka data som JSON (Content-Type: application/json)."),
        exceptions.NotAcceptable: gettext("Svaret finns bara som JSON."),
        exceptions.ParseError: gettext("Innehållet kunde inte läsas som JSON."),
        exceptions.Throttled: gettext("För många förfrågningar; försök igen om en stund."),
    }


CODES = {
    400: "invalid",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    412: "stale",
    415: "unsupported_media_type",
    429: "throttled",
    503: "busy",
}


def _as_list(detail: Any) -> list[str]:
    if isinstance(detail, list | tuple):
        return [message for item in detail for message in _as_list(item)]
    if isinstance(detail, dict):
        return [message for item in detail.values() for message in _as_list(item)]
    return [str(detail)]


def error_body(status_code: int, message: str, errors: list[str] | None = None, fields: dict | None = None) -> dict:
    """The error shape for `status_code` (see the module docstring)."""
    return {"code": CODES.get(status_code, "error"), "message": message, "errors": errors or [], "fields": fields or {}}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler with Django's ValidationError (from full_clean or a service) turned into 400 first."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            {
                ("non_field_errors" if name == "__all__" else name): messages
                for name, messages in exc.message_dict.items()
            }
            if hasattr(exc, "error_dict")
            else exc.messages
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if database_busy(exc):
        # SQLite's write lock was held past the busy timeout; the request's transaction was rolled back.
        return Response(
            error_body(
                503,
                gettext("Trygg var upptaget med att spara något annat. Inget sparades; försök igen om en stund."),
            ),
            status=503,
            headers={"Retry-After": str(BUSY_RETRY_SECONDS)},
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a server error: Django's 500 handling and logging
    request = context.get("request")
    errors: list[str] = []
    fields: dict[str, list[str]] = {}
    if isinstance(exc, exceptions.ValidationError | Conflict | PreconditionFailed):
        detail = exc.detail
        if isinstance(detail, dict):
            for name, value in detail.items():
                if name in ("non_field_errors", "__all__"):
                    errors += _as_list(value)
                else:
                    fields[str(name)] = _as_list(value)
        else:
            errors = _as_list(detail)
        if isinstance(exc, PreconditionFailed):
            message = errors[0] if errors else str(PreconditionFailed.default_detail)
        elif isinstance(exc, Conflict):
            message = errors[0] if len(errors) == 1 else str(Conflict.default_detail)
        elif fields:
            message = gettext("Uppgifterna är inte giltiga: rätta fälten %(fields)s.") % {
                "fields": ", ".join(f"”{name}”" for name in fields)
            }
        else:
            message = errors[0] if len(errors) == 1 else gettext("Uppgifterna är inte giltiga.")
    elif isinstance(exc, exceptions.AuthenticationFailed):
        message = str(exc.detail)  # our own Swedish sentences (trygg.api.authentication)
    else:
        message = next((text for kind, text in _messages().items() if isinstance(exc, kind)), str(exc.detail))
        if isinstance(exc, exceptions.MethodNotAllowed):
            message %= {"method": getattr(request, "method", "")}
    response.data = error_body(response.status_code, message, errors, fields)
    return response
