"""Follow-up pages: the indicator with its chart and exports, the budget, the deadlines and the calendar feed.

Views are thin: they read the request, ask `trygg.programme.services`, and render. Every view names
its access rule. Readers (the board, management) and the DPO read; officers keep the data in the
register; administration contacts see the deadlines of their own administration.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from trygg.core import roles
from trygg.core.access import requires
from trygg.core.csv_export import csv_text
from trygg.core.models import Organisation
from trygg.core.params import BadParameter, bad_request, choice_param, date_param, year_param
from trygg.programme import indicator as indicators
from trygg.programme import services
from trygg.programme.choices import CostCategory, CostStatus
from trygg.programme.ical import feed
from trygg.programme.models import CalendarFeed, CostEntry, hash_token


def _csv_response(rows: list[list[object]], filename: str) -> HttpResponse:
    response = HttpResponse(csv_text(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


#
# Indicator
#


@requires(roles.follows_programme)
def indicator_page(request: HttpRequest) -> HttpResponse:
    try:
        as_of = date_param(request, up_to_today=True)
    except BadParameter as error:
        return bad_request(error, request)
    overview = services.indicator_overview(as_of)
    context = {
        "overview": overview,
        "chart": overview.chart_svg(),
        "table": overview.table(),
        "as_of": as_of,
        "today": timezone.localdate(),
        "long_columns": ", ".join(indicators.LONG_COLUMNS),
    }
    return render(request, "programme/indicator.html", context)


@requires(roles.follows_programme)
def indicator_csv(request: HttpRequest) -> HttpResponse:
    """The series per year end and the date, with the target and the page's breakdowns as columns: per
    type of place, per area and per administration (those with a camera in operation on one of the dates,
    by name, as the page lists them)."""
    try:
        as_of = date_param(request, up_to_today=True)
    except BadParameter as error:
        return bad_request(error, request)
    overview = services.indicator_overview(as_of)
    from trygg.sites.choices import AreaKind, SiteKind

    points = [
        (
            point,
            overview.breakdown_on(point.on, "site_kind"),
            overview.breakdown_on(point.on, "area_kind"),
            overview.breakdown_on(point.on, "administration"),
        )
        for point in overview.series
    ]
    administrations = sorted({name for *_rest, by_administration in points for name in by_administration})
    header = [gettext("datum"), gettext("i drift"), gettext("målvärde för året")]
    header += [str(label) for _code, label in SiteKind.choices] + [str(label) for _code, label in AreaKind.choices]
    header += administrations
    rows: list[list[object]] = [header]
    for point, kinds, areas, by_administration in points:
        rows.append(
            [point.on.isoformat(), point.value, overview.targets.get(point.on.year, "")]
            + [kinds.get(code, 0) for code in SiteKind.values]
            + [areas.get(code, 0) for code in AreaKind.values]
            + [by_administration.get(name, 0) for name in administrations]
        )
    return _csv_response(rows, f"kameror-i-drift-{as_of.isoformat()}.csv")


@requires(roles.follows_programme)
def indicator_long_csv(request: HttpRequest) -> HttpResponse:
    """The long format follow-up systems import, under the fixed header `indicator.LONG_COLUMNS`
    (indikator, kommun, period, värde), as the page's link says."""
    try:
        as_of = date_param(request, up_to_today=True)
    except BadParameter as error:
        return bad_request(error, request)
    overview = services.indicator_overview(as_of)
    municipality = Organisation.current().municipality_name
    rows: list[list[object]] = [list(indicators.LONG_COLUMNS)]
    rows += [
        [row.indicator, row.municipality, row.period, row.value]
        for row in indicators.long_format(overview.code, municipality, overview.series)
    ]
    return _csv_response(rows, f"kameror-i-drift-lang-{as_of.isoformat()}.csv")


#
# Budget
#


@requires(roles.follows_programme)
def budget_page(request: HttpRequest) -> HttpResponse:
    try:
        year = year_param(request)
    except BadParameter as error:
        return bad_request(error, request)
    budget = services.budget_for_year(year)
    entries = (
        CostEntry.objects.filter(booked_on__year=year).select_related("project", "camera").order_by("-booked_on", "-pk")
    )
    context = {
        "year": year,
        "budget": budget,
        "warnings": services.budget_warnings(budget),
        "categories": [(CostCategory(row.category).label, row) for row in budget.by_category],
        "entries": entries,
        "may_see_cameras": roles.sees_everything(request.user),
        "may_edit": roles.writes_reports.test(request.user),
        "default_amount": services.default_allocation_amount(),
        "previous_year": year - 1,
        "next_year": year + 1,
    }
    return render(request, "programme/budget.html", context)


@requires(roles.follows_programme)
def budget_csv(request: HttpRequest) -> HttpResponse:
    try:
        year = year_param(request)
    except BadParameter as error:
        return bad_request(error, request)
    rows: list[list[object]] = [
        [
            gettext("datum"),
            gettext("kostnadsslag"),
            gettext("status"),
            gettext("belopp (kr)"),
            gettext("beskrivning"),
            gettext("projektering"),
            gettext("kamera"),
        ]
    ]
    show_cameras = roles.sees_everything(request.user)
    for entry in CostEntry.objects.filter(booked_on__year=year).select_related("project", "camera"):
        rows.append(
            [
                entry.booked_on.isoformat(),
                CostCategory(entry.category).label,
                CostStatus(entry.status).label,
                entry.amount,
                entry.description,
                entry.project.name if entry.project_id else "",
                entry.camera.identifier if entry.camera_id and show_cameras else "",
            ]
        )
    return _csv_response(rows, f"kostnader-{year}.csv")


#
# Deadlines and the calendar feed
#


def _feed_url(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("programme:calendar_feed", args=[token]))


# Deadlines done longer ago than this are left out of the deadline page unless asked for (?visa=alla).
RECENT_DEADLINE_DAYS = 30


@requires(roles.has_role)
def deadlines_page(request: HttpRequest, new_token: str = "") -> HttpResponse:
    """The deadlines the user may see: by default every one passed and not done (what needs doing, as the start
    page counts them) and the rest from 30 days back; `?visa=alla` adds the older ones that are done."""
    today = timezone.localdate()
    try:
        show_past = choice_param(request, "visa", gettext("Visa"), [("alla", gettext("alla"))]) == "alla"
    except BadParameter as error:
        return bad_request(error, request)
    items = services.deadlines_for(request.user)
    if not show_past:
        items = services.open_or_recent(items, today, RECENT_DEADLINE_DAYS)
    context = {
        "items": items,
        "today": today,
        "show_past": show_past,
        "overdue_count": sum(1 for item in items if item.overdue_on(today)),
        "recent_days": RECENT_DEADLINE_DAYS,
        "has_feed": CalendarFeed.objects.filter(user=request.user).exists(),
        "new_feed_url": _feed_url(request, new_token) if new_token else "",
        "may_edit": roles.writes_reports.test(request.user),
    }
    return render(request, "programme/deadlines.html", context)


@require_POST
@requires(roles.has_role)
def calendar_link(request: HttpRequest) -> HttpResponse:
    """Create a new secret feed address (shown once) or revoke the current one."""
    if request.POST.get("action") == "revoke":
        deleted, _rows = CalendarFeed.objects.filter(user=request.user).delete()
        if deleted:
            messages.success(request, gettext("Kalenderlänken är återkallad och slutar fungera direkt."))
        return redirect("programme:deadlines")
    token = CalendarFeed.issue(request.user)
    return deadlines_page(request, new_token=token)


@requires(roles.public)
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The user's deadlines as iCalendar; the secret token in the address is the only key."""
    record = CalendarFeed.objects.select_related("user").filter(token_hash=hash_token(token)).first() if token else None
    user = record.user if record else None
    if user is None or not user.is_active or not roles.roles_of(user):
        raise Http404
    today = timezone.localdate()
    items = services.deadlines_for(user, today - dt.timedelta(days=365))
    CalendarFeed.objects.filter(pk=record.pk).update(last_used_at=timezone.now())  # audit_exclude field only
    name = gettext("Trygg – tidsfrister (%(user)s)") % {"user": user.get_full_name() or user.get_username()}
    response = HttpResponse(feed(services.calendar_events(items), name), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="trygg.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
