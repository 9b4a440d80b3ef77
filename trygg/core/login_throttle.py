"""The page shown while logins are refused after too many failures (django-axes' lockout callable).

django-axes counts failed logins per user name and per address (settings AXES_*, from
TRYGG_LOGIN_FAILURE_LIMIT and TRYGG_LOGIN_LOCKOUT_MINUTES) and refuses the next login, even with the
right password. Every refused attempt restarts the waiting time, so "now + the lockout time" is when
the next attempt is let through.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from axes.helpers import get_cool_off
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import ngettext

# 429 Too Many Requests: the login form is shown again with the message.
LOCKOUT_STATUS = 429


def retry_message(wait: dt.timedelta, retry_at: dt.datetime) -> str:
    """The Swedish sentence saying when to try again, e.g. "… Försök igen om 15 minuter, kl. 14.05."

    `wait` is the lockout time (whole minutes, rounded up); `retry_at` an aware time shown in local time.
    """
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    return ngettext(
        "För många misslyckade inloggningar. Inloggning är spärrad en stund, även med rätt lösenord. "
        "Försök igen om %(minutes)s minut, kl. %(time)s.",
        "För många misslyckade inloggningar. Inloggning är spärrad en stund, även med rätt lösenord. "
        "Försök igen om %(minutes)s minuter, kl. %(time)s.",
        minutes,
    ) % {"minutes": minutes, "time": timezone.localtime(retry_at).strftime("%H.%M")}


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """The login page (Trygg's or the admin's look alike) with the lockout message, status 429."""
    wait = get_cool_off(request) or dt.timedelta(minutes=1)
    username = (credentials or {}).get("username", "") or request.POST.get("username", "")
    form = AuthenticationForm(request, initial={"username": username})
    context = {
        "form": form,
        "locked_out": retry_message(wait, timezone.now() + wait),
        "next": request.POST.get("next", request.GET.get("next", "")),
    }
    return render(request, "registration/login.html", context, status=LOCKOUT_STATUS)
