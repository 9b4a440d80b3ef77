"""Query parameters that pages share: a date (`?datum=`), a year (`?ar=`), a page number (`?sida=`), a
choice and a record (`?plats=`), checked and bounded.

A date far outside any data (year 1 or 9999) used to give a server error or a page that took minutes to
build; both are refused with a Swedish message naming the field, which the caller answers with 400. So is a
filter value that matches nothing the user may choose: it is never silently ignored, and never answered
as if the whole page did not exist (404). A message names the field by its label, never by the internal
name, and repeats the bad value only up to `limits.ECHO_LENGTH` characters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext

from trygg.core.limits import EARLIEST_YEAR, LATEST_YEAR, echo

# The page number of Trygg's own paged pages; `?page=` (older links and bookmarks) still works there.
PAGE = "sida"
OLD_PAGE = "page"


class BadParameter(ValueError):
    """A query parameter that cannot be used; str(error) is the Swedish message for the user."""


def date_param(request: HttpRequest, name: str = "datum", *, up_to_today: bool = False) -> dt.date:
    """The date in `?<name>=ÅÅÅÅ-MM-DD`, today when absent or empty.

    Raises BadParameter when the value is not an ISO date or its year is outside 1900–2100, and with
    `up_to_today` when it is after today (a count of what has happened has no value for days to come).
    """
    value = request.GET.get(name, "").strip()
    today = timezone.localdate()
    if not value:
        return today
    try:
        on = dt.date.fromisoformat(value)
    except ValueError as error:
        raise BadParameter(
            gettext("Fältet ”%(field)s” ska vara ett datum som ÅÅÅÅ-MM-DD, till exempel 2024-10-29 (fick ”%(value)s”).")
            % {"field": name, "value": echo(value)}
        ) from error
    if not EARLIEST_YEAR <= on.year <= LATEST_YEAR:
        raise BadParameter(
            gettext("Fältet ”%(field)s” ska vara ett datum mellan år %(first)s och %(last)s (fick ”%(value)s”).")
            % {"field": name, "first": EARLIEST_YEAR, "last": LATEST_YEAR, "value": echo(value)}
        )
    if up_to_today and on > today:
        raise BadParameter(
            gettext(
                "Fältet ”%(field)s” kan inte vara senare än i dag (%(today)s): här räknas bara det som redan har "
                "hänt (fick ”%(value)s”)."
            )
            % {"field": name, "today": today.isoformat(), "value": echo(value)}
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
            % {"first": EARLIEST_YEAR, "last": LATEST_YEAR, "value": echo(value)}
        )
    return int(value)


def page_param(request: HttpRequest, name: str = PAGE) -> int:
    """The page number in `?<name>=N` of a paged list (1 when absent); BadParameter unless a whole number ≥ 1.

    For `?sida=`, `?page=` is read when `sida` is absent, so older links keep working.
    """
    value = request.GET.get(name, "").strip()
    if not value and name == PAGE:
        value = request.GET.get(OLD_PAGE, "").strip()
    value = value or "1"
    if not value.isdigit() or int(value) < 1:
        raise BadParameter(
            gettext("Fältet ”sida” ska vara ett heltal från 1 och uppåt (fick ”%(value)s”).") % {"value": echo(value)}
        )
    return int(value)


def page_of(paginator: Paginator, number: int) -> Page:
    """Page `number` of `paginator`; BadParameter past the last page (never a silent other page, as in an API
    a client following `next` must not read the last page twice)."""
    if number > paginator.num_pages:
        raise BadParameter(
            gettext("Fältet ”sida” ska vara högst %(last)s (fick ”%(value)s”).")
            % {"last": paginator.num_pages, "value": echo(number)}
        )
    return paginator.page(number)


def paged(request: HttpRequest, items: Any, per_page: int, name: str = PAGE) -> Page:
    """The page of `items` that `?<name>=` asks for (`page_param`, `page_of`): BadParameter for a page that
    is not a whole number ≥ 1 or lies past the last one."""
    return page_of(Paginator(items, per_page), page_param(request, name))


def query_without_page(request: HttpRequest) -> str:
    """The request's query string without its page number (`sida`, or the older `page`), for paging links."""
    params = request.GET.copy()
    params.pop(PAGE, None)
    params.pop(OLD_PAGE, None)
    return params.urlencode()


def next_page_url(request: HttpRequest, page: Page, name: str = PAGE) -> str | None:
    """The absolute address of the page after `page`, with the request's other parameters; None on the last."""
    if not page.has_next():
        return None
    params = request.GET.copy()
    if name == PAGE:
        params.pop(OLD_PAGE, None)
    params[name] = str(page.next_page_number())
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


def choice_param(request: HttpRequest, name: str, label: str, choices: Iterable[tuple[Any, Any]]) -> str:
    """The value of `?<name>=`, one of `choices` (value, label) pairs, or "" when absent or empty.

    Raises BadParameter naming the field by `label` and listing the choices by their labels otherwise.
    """
    value = request.GET.get(name, "").strip()
    pairs = [(str(code), str(text)) for code, text in choices]
    if not value or value in {code for code, _text in pairs}:
        return value
    raise BadParameter(
        gettext("Fältet ”%(field)s” ska vara ett av valen %(choices)s eller tomt (fick ”%(value)s”).")
        % {"field": label, "choices": ", ".join(f"”{text}”" for _code, text in pairs), "value": echo(value)}
    )


def record_param(request: HttpRequest, name: str, label: str, queryset: QuerySet) -> Model | None:
    """The record of `queryset` whose number is in `?<name>=`, or None when absent or empty.

    `queryset` holds only what the user may see, so a number outside it is refused the same way as one that
    does not exist (a contact cannot learn which numbers belong to other administrations). Raises
    BadParameter naming the field by `label`: not a number, or no such record among those the user may see.
    """
    value = request.GET.get(name, "").strip()
    if not value:
        return None
    if not value.isdigit() or len(value) > 18:
        raise BadParameter(
            gettext("Fältet ”%(field)s” ska vara ett nummer, till exempel 12 (fick ”%(value)s”).")
            % {"field": label, "value": echo(value)}
        )
    found = queryset.filter(pk=int(value)).first()
    if found is None:
        raise BadParameter(
            gettext("Fältet ”%(field)s”: nummer %(value)s finns inte bland dem du får se.")
            % {"field": label, "value": echo(value)}
        )
    return found


def check_form(form: Any) -> None:
    """Raise the errors of a bound filter form (a Django form, or a FilterSet's `form`) as one BadParameter
    naming each field by its label, so a bad filter value is refused instead of silently ignored (a
    FilterSet leaves an invalid field out of its query). A value the error repeats is cut (`limits.echo`)."""
    if not form.is_bound or form.is_valid():
        return
    problems = []
    for name, errors in form.errors.as_data().items():
        field = form.fields.get(name)
        label = str(capfirst(field.label)) if field is not None and field.label else gettext("ett av fälten")
        texts = []
        for error in errors:
            params = dict(error.params or {})
            if "value" in params:
                params["value"] = echo(params["value"])
            texts.append(str(error.message % params if params else error.message))
        problems.append(gettext("Fältet ”%(field)s”: %(problem)s") % {"field": label, "problem": " ".join(texts)})
    raise BadParameter(" ".join(problems))


DATA_SUFFIXES = (".json", ".geojson", ".csv", ".pdf", ".docx", ".ics", ".xlsx", ".svg", ".png")


def bad_request(error: BadParameter, request: HttpRequest | None = None) -> HttpResponse:
    """400 with the Swedish message: on a page (`request` given, not a data address such as .csv or
    .json) Trygg's error page with the menu and a way back; for data, the message as plain text."""
    if request is not None and not request.path.endswith(DATA_SUFFIXES):
        from django.shortcuts import render

        from trygg.core.errors import page_context

        return render(request, "errors/400.html", {**page_context(request), "message": str(error)}, status=400)
    return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
