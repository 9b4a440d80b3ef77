"""Swedish first: the interface is Swedish unless the user has chosen English in the menu."""

from __future__ import annotations

from collections.abc import Callable

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
