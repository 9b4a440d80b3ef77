"""Query parameters that pages share: a date (`?datum=`), a year (`?ar=`) and a page number (`?page=`), checked and bounded.

A date far outside any data (year 1 or 9999) used to give a server error or a page that took minutes to
build; both are refused with a Swedish message naming the field, which the caller answers with 400.
"""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import timezone
from django.utils.translation import gettext

from trygg.core.limits import EARLIEST_YEAR, LATEST_YEAR


class BadParameter(ValueError):
    """A query parameter that cannot be used; str(error) is the Swedish message for the user."""


def date_param(request: HttpRequest, name: str = "datum") -> dt.date:
    """The date in `?<name>=ÅÅÅÅ-MM-DD`, today when absent or empty.

    Raises BadParameter when the value is not an ISO date or its year is outside 1900–2100.
    """
    value = request.GET.get(name, "").strip()
    if not value:
        return timezone.localdate()
    try:
        on = dt.date.fromisoformat(value)
    except ValueError as error:
        raise BadParameter(
            gettext("Fältet ”%(field)s” ska vara ett datum som ÅÅÅÅ-MM-DD, till exempel 2024-10-29 (fick ”%(value)s”).")
            % {"field": name, "value": value}
        ) from error
    if not EARLIEST_YEAR <= on.year <= LATEST_YEAR:
        raise BadParameter(
            gettext("Fältet ”%(field)s” ska vara ett datum mellan år %(first)s och %(last)s (fick ”%(value)s”).")
            % {"field": name, "first": EARLIEST_YEAR, "last": LATEST_YEAR, "value": value}
        )
    return on


def year_param(request: HttpRequest, name: str = "ar") -> int:
    """The year in `?<name>=ÅÅÅÅ`, this year when absent; BadParameter outside 1900–2100 or not a number."""
    value = request.GET.get(name, "").strip()
    if not value:
        return timezone.localdate().year
    if not value.isdigit() or not EARLIEST_YEAR <= int(value) <= LATEST_YEAR:
        raise BadParameter(
            gettext("Fältet ”år” ska vara ett årtal mellan %(first)s och %(last)s (fick ”%(value)s”).")
            % {"first": EARLIEST_YEAR, "last": LATEST_YEAR, "value": value}
        )
    return int(value)


def page_param(request: HttpRequest, name: str = "page") -> int:
    """The page number in `?<name>=N` of a paged list (1 when absent); BadParameter unless a whole number ≥ 1."""
    value = request.GET.get(name, "").strip() or "1"
    if not value.isdigit() or int(value) < 1:
        raise BadParameter(
            gettext("Fältet ”sida” (page) ska vara ett heltal från 1 och uppåt (fick ”%(value)s”).") % {"value": value}
        )
    return int(value)


def page_of(paginator: Paginator, number: int) -> Page:
    """Page `number` of `paginator`; BadParameter past the last page (never a silent other page, as in an API
    a client following `next` must not read the last page twice)."""
    if number > paginator.num_pages:
        raise BadParameter(
            gettext("Fältet ”sida” (page) ska vara högst %(last)s (fick ”%(value)s”).")
            % {"last": paginator.num_pages, "value": number}
        )
    return paginator.page(number)


def next_page_url(request: HttpRequest, page: Page, name: str = "page") -> str | None:
    """The absolute address of the page after `page`, with the request's other parameters; None on the last."""
    if not page.has_next():
        return None
    params = request.GET.copy()
    params[name] = str(page.next_page_number())
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


DATA_SUFFIXES = (".json", ".geojson", ".csv", ".pdf", ".docx", ".ics", ".xlsx", ".svg", ".png")


def bad_request(error: BadParameter, request: HttpRequest | None = None) -> HttpResponse:
    """400 with the Swedish message: on a page (`request` given, not a data address such as .csv or
    .json) Trygg's error page with the menu and a way back; for data, the message as plain text."""
    if request is not None and not request.path.endswith(DATA_SUFFIXES):
        from django.shortcuts import render

        from trygg.core.errors import page_context

        return render(request, "errors/400.html", {**page_context(request), "message": str(error)}, status=400)
    return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
