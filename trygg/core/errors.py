"""Error pages (403, 404, 500 and a refused form) in Trygg's layout, in Swedish with English available.

Django uses them when DEBUG is off: `handler403`, `handler404` and `handler500` in `trygg.urls`,
and `CSRF_FAILURE_VIEW` in the settings. A page a role may not see is refused by the access
middleware with PermissionDenied, which comes here too. The 500 page first tries the full layout
with the menu; if that fails — the database is down, or the request's context is broken — it falls
back to a minimal layout that needs no database query and no request.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlencode

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse

logger = logging.getLogger("trygg.errors")


def page_context(request: HttpRequest) -> dict[str, Any]:
    """What every error page shows besides the layout: the address asked for and the way to log in."""
    return {
        "path": request.path,
        "login_url": f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}",
    }


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404: the address does not exist, or names an object the user may not see."""
    return render(request, "errors/404.html", page_context(request), status=404)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400 from Django itself (a suspicious request). A session that could not be saved because SQLite was
    busy (SessionInterrupted) gets the busy page instead: nothing was lost, the user may try again."""
    from django.contrib.sessions.exceptions import SessionInterrupted
    from django.utils.translation import gettext

    if isinstance(exception, SessionInterrupted):
        return busy_page(request)
    message = gettext("Förfrågan kunde inte tas emot.")
    return render(request, "errors/400.html", page_context(request) | {"message": message}, status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403: the user's role may not see the page (or, anonymous, must log in first)."""
    return render(request, "errors/403.html", page_context(request), status=403)


def bad_input(request: HttpRequest, field: str, problem: str, view: Any = None) -> HttpResponse:
    """400: a value no real input has (trygg.core.limits), named by its field's label; nothing was saved.

    The label comes from `trygg.core.field_names.label_of` (the view's form, else the models); an
    internal name is never shown, so a field without a known label is called "ett av fälten".
    """
    from django.utils.translation import gettext

    from trygg.core import limits
    from trygg.core.field_names import label_of

    label = label_of(field, view)
    named = {
        "date-out-of-range": gettext("Fältet ”%(field)s” ska vara ett datum mellan år %(first)s och %(last)s."),
        "too-deep": gettext("Fältet ”%(field)s” innehåller data (JSON) som är nästlad i fler än %(depth)s nivåer."),
        "too-large-integer": gettext(
            "Fältet ”%(field)s” innehåller ett heltal med fler än %(digits)s siffror, vilket inget fält i Trygg "
            "kan lagra."
        ),
    }
    unnamed = {
        "date-out-of-range": gettext("Ett av fälten ska vara ett datum mellan år %(first)s och %(last)s."),
        "too-deep": gettext("Ett av fälten innehåller data (JSON) som är nästlad i fler än %(depth)s nivåer."),
        "too-large-integer": gettext(
            "Ett av fälten innehåller ett heltal med fler än %(digits)s siffror, vilket inget fält i Trygg kan lagra."
        ),
    }
    message = (named if label else unnamed)[problem] % {
        "field": label,
        "depth": limits.MAX_JSON_DEPTH,
        "digits": limits.MAX_INTEGER_DIGITS,
        "first": limits.EARLIEST_YEAR,
        "last": limits.LATEST_YEAR,
    }
    if request.method != "GET":
        message += " " + gettext("Inget har sparats.")
    if request.path.startswith("/api/"):
        # The REST API's error shape (trygg.api.errors), not a page.
        from django.http import JsonResponse

        body = {"code": "invalid", "message": message, "errors": [], "fields": {field: [message]}}
        return JsonResponse(body, status=400, json_dumps_params={"ensure_ascii": False})
    return render(request, "errors/400.html", {**page_context(request), "message": message}, status=400)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """403 for a form that was refused by the CSRF check (an old page, or cookies blocked)."""
    logger.warning("Form refused by the CSRF check at %s: %s", request.path, reason)
    return render(request, "errors/403_csrf.html", page_context(request), status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    """500: the full layout if it can be drawn, else the minimal one (no database, no request).

    Both show the request's id (trygg.core.middleware.RequestIdMiddleware), which is also on the
    error's line in the log, so a user can quote it.
    """
    request_id = str(getattr(request, "request_id", "") or "")
    try:
        return render(request, "errors/500.html", page_context(request) | {"request_id": request_id}, status=500)
    except Exception:
        # Drawing the menu needs the database and the request; this page must still say what happened.
        logger.exception("The 500 page could not use the full layout; showing the minimal one")
    return HttpResponseServerError(render_to_string("errors/500_minimal.html", {"request_id": request_id}))


def database_busy(exception: BaseException) -> bool:
    """True for SQLite's "database is locked" (another write held the lock past the busy timeout).

    The request's transaction was rolled back, so nothing of it was saved; the user may simply try
    again. PostgreSQL waits for row locks instead and never raises this."""
    return isinstance(exception, OperationalError) and "database is locked" in str(exception)


BUSY_RETRY_SECONDS = 5


def busy_page(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After: Trygg was busy saving something else; nothing of this request was saved."""
    context = page_context(request) | {"request_id": str(getattr(request, "request_id", "") or "")}
    response = render(request, "errors/503_busy.html", context, status=503)
    response["Retry-After"] = str(BUSY_RETRY_SECONDS)
    return response
