"""Login throttling (issue 15, item 7): too many failures lock the account and the address for a while."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone, translation

from trygg.core.login_throttle import retry_message
from trygg.core.oidc_config import parse_networks

pytestmark = pytest.mark.django_db

LOGIN = "/konto/logga-in/"


def attempt(client: Client, username: str, password: str):
    return client.post(LOGIN, {"username": username, "password": password})


def test_thirty_wrong_passwords_then_the_right_one_is_refused(demo_users, settings):
    client = Client()
    for _ in range(30):
        attempt(client, "handlaggare", "fel-lösenord")
    response = attempt(client, "handlaggare", "trygg-handlaggare")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    text = response.content.decode()
    assert "För många misslyckade inloggningar" in text
    minutes = settings.AXES_COOLOFF_TIME.total_seconds() / 60
    assert f"Försök igen om {minutes:.0f} minuter, kl. " in text


def test_the_limit_is_the_configured_number_of_failures(demo_users, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "dataskydd", "fel").status_code == 200  # the form again, with its error
    assert attempt(client, "dataskydd", "trygg-dataskydd").status_code == 302  # still let in
    client.post("/konto/logga-ut/")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "dataskydd", "fel")
    assert attempt(client, "dataskydd", "trygg-dataskydd").status_code == 429


def test_a_success_resets_the_count(demo_users, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "lasare", "fel")
    assert attempt(client, "lasare", "trygg-lasare").status_code == 302
    client.post("/konto/logga-ut/")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "lasare", "fel")
    # Had the first failures still counted, this would be far past the limit.
    assert attempt(client, "lasare", "trygg-lasare").status_code == 302


def test_the_account_is_locked_from_another_address_too(demo_users, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(Client(REMOTE_ADDR="10.0.0.1"), "forvaltning", "fel")
    response = attempt(Client(REMOTE_ADDR="10.0.0.2"), "forvaltning", "trygg-forvaltning")
    assert response.status_code == 429
    # Another account from a third address is not affected.
    other = attempt(Client(REMOTE_ADDR="10.0.0.3"), "lasare", "trygg-lasare")
    assert other.status_code == 302


def test_the_address_is_locked_for_every_account(demo_users, settings):
    names = ["okand1", "okand2", "okand3", "okand4", "okand5", "okand6", "okand7"]
    for name in names[: settings.AXES_FAILURE_LIMIT]:
        attempt(Client(REMOTE_ADDR="10.0.0.9"), name, "fel")  # guessing user names, one try each
    assert attempt(Client(REMOTE_ADDR="10.0.0.9"), "lasare", "trygg-lasare").status_code == 429
    assert attempt(Client(REMOTE_ADDR="10.0.0.10"), "lasare", "trygg-lasare").status_code == 302


def test_the_admin_login_is_throttled_too(demo_users, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": "admin", "password": "fel"})
    response = client.post("/admin/login/", {"username": "admin", "password": "trygg-admin"})
    assert response.status_code == 429
    assert "För många misslyckade inloggningar" in response.content.decode()


def test_the_lockout_page_is_in_english_for_english_users(demo_users, settings):
    client = Client()
    client.cookies["django_language"] = "en"
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        response = attempt(client, "admin", "fel")
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()


@translation.override("sv")
def test_retry_message_names_minutes_and_local_time():
    at = dt.datetime(2026, 12, 1, 13, 5, tzinfo=dt.UTC)  # 14.05 in Stockholm (CET)
    text = retry_message(dt.timedelta(minutes=15), at)
    assert text.endswith("Försök igen om 15 minuter, kl. 14.05.")
    assert retry_message(dt.timedelta(seconds=20), at).endswith("Försök igen om 1 minut, kl. 14.05.")
    # Part of a minute counts as a whole one: the user is never told to come back too early.
    assert "om 2 minuter" in retry_message(dt.timedelta(seconds=61), timezone.now())
    assert re.search(r"kl\. \d\d\.\d\d\.$", retry_message(dt.timedelta(hours=1), timezone.now()))


#
# Behind a reverse proxy (TRYGG_TRUSTED_PROXIES)
#

PROXY = "10.1.0.5"


def via_proxy(client_address: str, remote: str = PROXY) -> Client:
    return Client(REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=client_address)


def test_behind_a_trusted_proxy_each_client_address_is_locked_alone(demo_users, settings):
    settings.TRYGG_TRUSTED_PROXIES = parse_networks("10.1.0.0/24")
    names = ["okand1", "okand2", "okand3", "okand4", "okand5", "okand6", "okand7"]
    for name in names[: settings.AXES_FAILURE_LIMIT]:
        attempt(via_proxy("203.0.113.7"), name, "fel")  # one client guessing user names
    assert attempt(via_proxy("203.0.113.7"), "lasare", "trygg-lasare").status_code == 429
    # Every other user comes through the same proxy, and is not locked out.
    assert attempt(via_proxy("198.51.100.20"), "lasare", "trygg-lasare").status_code == 302
    # The client cannot escape by adding its own X-Forwarded-For entry in front: the proxy appends the real one.
    spoofed = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.7")
    assert attempt(spoofed, "handlaggare", "trygg-handlaggare").status_code == 429


def test_without_trusted_proxies_x_forwarded_for_is_ignored(demo_users, settings):
    settings.TRYGG_TRUSTED_PROXIES = ()
    names = ["okand1", "okand2", "okand3", "okand4", "okand5", "okand6", "okand7"]
    for i, name in enumerate(names[: settings.AXES_FAILURE_LIMIT]):
        attempt(via_proxy(f"203.0.113.{i}", remote="10.2.0.1"), name, "fel")  # a new made-up address each time
    # Still one address (REMOTE_ADDR) to axes: it is locked, whatever the header says.
    assert attempt(via_proxy("198.51.100.20", remote="10.2.0.1"), "lasare", "trygg-lasare").status_code == 429


#
# The password reset request
#

RESET = "/konto/losenord/aterstall/"


def test_reset_requests_are_limited_per_email(demo_users, settings, mailoutbox):
    user = demo_users["dpo"]
    user.email = "dana@kommun.example"
    user.save()
    limit = settings.TRYGG_PASSWORD_RESET_LIMIT
    for i in range(limit):
        response = Client(REMOTE_ADDR=f"10.3.0.{i}").post(RESET, {"email": "Dana@kommun.example"})
        assert response.status_code == 302
    assert len(mailoutbox) == limit
    refused = Client(REMOTE_ADDR="10.3.1.1").post(RESET, {"email": "dana@kommun.example"})
    assert refused.status_code == 429
    assert "för många återställningar" in refused.content.decode()
    assert len(mailoutbox) == limit  # nothing more sent


def test_reset_requests_are_limited_per_address(demo_users, settings, mailoutbox):
    client = Client(REMOTE_ADDR="10.4.0.1")
    limit = settings.TRYGG_PASSWORD_RESET_LIMIT
    for i in range(limit):
        assert client.post(RESET, {"email": f"okand{i}@example.se"}).status_code == 302
    assert client.post(RESET, {"email": "ny@example.se"}).status_code == 429
    assert Client(REMOTE_ADDR="10.4.0.2").post(RESET, {"email": "ny@example.se"}).status_code == 302


def test_the_limit_says_nothing_about_which_emails_exist(demo_users, settings):
    user = demo_users["dpo"]
    user.email = "dana@kommun.example"
    user.save()

    def answers(email: str) -> list[tuple[int, str]]:
        out = []
        for i in range(settings.TRYGG_PASSWORD_RESET_LIMIT + 1):
            response = Client(REMOTE_ADDR=f"10.5.{len(email)}.{i}").post(RESET, {"email": email})
            out.append((response.status_code, response.get("Location", "")))
        return out

    assert answers("dana@kommun.example") == answers("okand@kommun.example")
