"""The page shown while logins are refused after too many failures (django-axes' lockout callable).

django-axes counts failed logins per user name and per address (settings AXES_*, from
TRYGG_LOGIN_FAILURE_LIMIT and TRYGG_LOGIN_LOCKOUT_MINUTES) and refuses the next login, even with the
right password. Every refused attempt restarts the waiting time, so "now + the lockout time" is when
the next attempt is let through.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from typing import Any

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from trygg.core.oidc_config import client_address

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


def client_ip(request: HttpRequest) -> str:
    """The client's address for the lockout per address (AXES_CLIENT_IP_CALLABLE) and the reset limit.

    X-Forwarded-For is believed only for a request from a proxy in TRYGG_TRUSTED_PROXIES
    (see `trygg.core.oidc_config.client_address`); otherwise it is REMOTE_ADDR.
    """
    return client_address(
        request.META.get("REMOTE_ADDR", ""),
        request.META.get("HTTP_X_FORWARDED_FOR", ""),
        settings.TRYGG_TRUSTED_PROXIES,
    )


# Requests for a reset e-mail are counted per hour.
RESET_WINDOW_SECONDS = 3600


def _count(key: str) -> int:
    """Add one to the counter `key` (which lives RESET_WINDOW_SECONDS from its first use) and return it."""
    if cache.add(key, 1, RESET_WINDOW_SECONDS):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, RESET_WINDOW_SECONDS)
        return 1


def reset_allowed(request: HttpRequest, email: str) -> bool:
    """Count a password reset request; False once the address or the e-mail passed the hourly limit.

    Both the client's address and the (lower-cased) e-mail are counted, each at most
    TRYGG_PASSWORD_RESET_LIMIT times per hour, whether or not an account has the e-mail — so the answer
    says nothing about which e-mails exist. The counts live in Django's cache (per process with the default
    local-memory cache).
    """
    limit = settings.TRYGG_PASSWORD_RESET_LIMIT
    email_key = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    by_address = _count(f"trygg:reset:ip:{client_ip(request)}")
    by_email = _count(f"trygg:reset:email:{email_key}")
    return by_address <= limit and by_email <= limit


def reset_refused_message() -> str:
    """The Swedish message when the reset form is used too often (it names no account)."""
    return gettext(
        "Du har bett om för många återställningar av lösenordet på kort tid. Vänta en timme och försök igen, "
        "eller kontakta systemförvaltaren."
    )
