"""Request middleware: Swedish first (the interface is Swedish unless the user chose English) and request ids."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.http import HttpRequest, HttpResponse


class SwedishFirstMiddleware:
    """Ignore the browser's Accept-Language, so only the language cookie (set by the menu) picks English.

    A municipal intranet's browsers are often set to English; the municipality's working language is Swedish.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


# The id of the request being served, for log lines that have no request at hand.
_request_id: ContextVar[str] = ContextVar("trygg_request_id", default="-")


class RequestIdMiddleware:
    """Give each request an id (a UUID), in `request.request_id`, the X-Request-ID header and every log line.

    The 500 page shows it, so a user can quote it and the operator finds the traceback in the log; the
    change log records the same id for the changes the request made (trygg.core.audit).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = uuid.uuid4()
        request.request_id = request_id  # type: ignore[attr-defined]
        token = _request_id.set(str(request_id))
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = str(request_id)
        return response


class RequestIdLogFilter(logging.Filter):
    """Adds `request_id` to every log record: the record's own request's id, else the one being served."""

    def filter(self, record: logging.LogRecord) -> bool:
        request_id = getattr(getattr(record, "request", None), "request_id", None)
        record.request_id = str(request_id) if request_id else _request_id.get()
        return True


class SessionTouchMiddleware:
    """Moves a session's idle expiry on at most once every SESSION_TOUCH_SECONDS (default 60).

    Django's SESSION_SAVE_EVERY_REQUEST writes the session row on every request: each page view was a
    database write, and on SQLite every page waited for an import's write lock ("Bad Request (400)"
    when the session could not be saved). Here a request marks the session modified only when its last
    touch is older than the interval, so the idle timeout (TRYGG_SESSION_IDLE_MINUTES) holds to within
    that minute and most requests write nothing.
    """

    KEY = "_trygg_touched"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.session_key and not session.is_empty():
            import time

            from django.conf import settings

            now = int(time.time())
            if now - int(session.get(self.KEY, 0)) >= getattr(settings, "SESSION_TOUCH_SECONDS", 60):
                session[self.KEY] = now  # modified: SessionMiddleware saves it with a new expiry
        return response


class BusyDatabaseMiddleware:
    """A request that found SQLite's write lock held past the busy timeout ("database is locked") gets
    a 503 page saying Trygg was busy and nothing was saved, with Retry-After, instead of a server error.
    The API answers the same in its own JSON shape (`trygg.api.errors`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from trygg.core import errors

        if not errors.database_busy(exception):
            return None
        logging.getLogger("trygg.busy").warning("Database busy: %s %s", request.method, request.path)
        return errors.busy_page(request)


class InputLimitsMiddleware:
    """Refuse, with a Swedish 400 naming the field, query or form values no real input has.

    JSON nested deeper than `limits.MAX_JSON_DEPTH`, whole numbers too long for a database integer, and
    dates with a year outside 1900–2100 in a JSON body (trygg.core.limits). Runs in `process_view`, after the CSRF check has read the form; views that read
    their body themselves (marked csrf_exempt, like the attachment upload with its size limit) are left
    to do so, and only their query string is checked.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Callable, view_args: tuple, view_kwargs: dict) -> Any:
        from trygg.core import errors, limits

        query = list(request.GET.lists())
        values: list = []
        content_type = request.content_type or ""
        if request.method in ("POST", "PUT", "PATCH") and content_type.startswith("application/json"):
            # JSON bodies (the REST API, whose views are csrf_exempt) are read whole by their parser anyway.
            values.append(("body", request.body.decode("utf-8", "replace")))
        elif (
            request.method == "POST"
            and not getattr(view_func, "csrf_exempt", False)
            and content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data"))
        ):
            values += list(request.POST.lists())

        def flat(pairs: list) -> Any:
            return ((name, value) for name, items in pairs for value in (items if isinstance(items, list) else [items]))

        # Dates in JSON bodies here (the API's own serializers); a page form says it beside its field
        # (`trygg.core.validators`), which the user keeps.
        json_body = [pair for pair in values if pair[0] == "body"]
        problem = (
            limits.first_problem(flat(query))
            or limits.first_problem(flat(json_body), dates=True)
            or limits.first_problem(flat([pair for pair in values if pair[0] != "body"]))
        )
        if problem is None:
            return None
        return errors.bad_input(request, *problem, view=view_func)
