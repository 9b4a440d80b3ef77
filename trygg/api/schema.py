"""The OpenAPI document: every operation names the error shape of `trygg.api.errors` for its error statuses."""

from __future__ import annotations

import copy
import threading
from typing import Any

from django.utils.translation import get_language
from drf_spectacular.views import SpectacularAPIView
from rest_framework.response import Response

from trygg.core import roles

ERROR_SCHEMA = {
    "type": "object",
    "description": "Felsvar: en stabil kod, ett meddelande till en människa, allmänna fel och fel per fält.",
    "required": ["code", "message", "errors", "fields"],
    "properties": {
        "code": {
            "type": "string",
            "enum": [
                "invalid",
                "not_authenticated",
                "permission_denied",
                "not_found",
                "method_not_allowed",
                "not_acceptable",
                "conflict",
                "stale",
                "unsupported_media_type",
                "throttled",
            ],
        },
        "message": {"type": "string"},
        "errors": {"type": "array", "items": {"type": "string"}},
        "fields": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    },
}

ERROR_STATUSES = {
    "400": "Ogiltiga uppgifter eller parametrar.",
    "401": "Ingen eller en ogiltig API-nyckel.",
    "403": "Rollen ger inte behörighet.",
    "404": "Finns inte, eller får inte ses av användaren.",
    "405": "Metoden går inte att använda här.",
    "406": "Svaret finns bara som JSON.",
}
WRITE_STATUSES = {"409": "Ändringen går inte att göra i objektets nuvarande läge.", "415": "Skicka JSON."}
# A change sent with If-Match (the ETag read with the object) is refused when someone changed it since.
UPDATE_STATUSES = {"412": "Objektet har ändrats sedan versionen i If-Match; inget skrevs över."}


def add_error_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: the Error component and its responses on every operation, and
    request bodies closed to other fields (`trygg.api.serializers.StrictInputMixin` refuses them with 400)."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR_SCHEMA
    for name, component in schemas.items():
        if name.endswith("Request") and component.get("type") == "object":
            component["additionalProperties"] = False
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            statuses = ERROR_STATUSES | (WRITE_STATUSES if method in ("post", "put", "patch", "delete") else {})
            if method in ("put", "patch"):
                statuses |= UPDATE_STATUSES
            responses = operation.setdefault("responses", {})
            for status, description in statuses.items():
                responses.setdefault(status, {"description": description, "content": reference})
    return result


# The document depends only on the code and the language: made once per process and language. Generating
# it is not thread-safe in drf-spectacular (two at once in the threaded development server gave "Schema
# generation REQUIRES a view instance", a 500), and it takes seconds of CPU on a small machine.
_documents: dict[tuple[str | None, str], dict[str, Any]] = {}
_documents_lock = threading.Lock()


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 document of the API, open to everyone (it describes the API, it holds no data)."""

    access_rule = roles.public

    def _get_schema_response(self, request: Any) -> Response:
        version = self.api_version or request.version or self._get_version_parameter(request)
        key = (version, get_language())
        with _documents_lock:
            if key not in _documents:
                generator = self.generator_class(urlconf=self.urlconf, api_version=version, patterns=self.patterns)
                _documents[key] = generator.get_schema(request=request, public=self.serve_public)
            document = copy.deepcopy(_documents[key])
        return Response(
            data=document,
            headers={"Content-Disposition": f'inline; filename="{self._get_filename(request, version)}"'},
        )
