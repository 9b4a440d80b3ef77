"""Password change and reset by e-mail, and the session idle timeout (issue 15, item 7)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_a_reader_changes_the_password(client_for):
    client = client_for("reader")
    page = client.get("/")
    assert 'href="/konto/losenord/"' in page.content.decode()  # in the account menu
    response = client.post(
        "/konto/losenord/",
        {"old_password": "trygg-lasare", "new_password1": "Kameraljus-1987", "new_password2": "Kameraljus-1987"},
    )
    assert response.status_code == 302 and response["Location"] == "/konto/losenord/andrat/"
    assert get_user_model().objects.get(username="lasare").check_password("Kameraljus-1987")
    assert client.get("/konto/losenord/andrat/").status_code == 200  # still signed in


def test_a_wrong_old_password_changes_nothing_and_says_so(client_for):
    client = client_for("officer")
    response = client.post(
        "/konto/losenord/",
        {"old_password": "fel", "new_password1": "Kameraljus-1987", "new_password2": "Kameraljus-1987"},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Lösenordet byttes inte" in text
    assert 'id="id_old_password_error"' in text
    assert get_user_model().objects.get(username="handlaggare").check_password("trygg-handlaggare")


def test_reset_by_email_sets_a_new_password(demo_users):
    user = demo_users["dpo"]
    user.email = "dana@kommun.example"
    user.save()
    client = Client()
    response = client.post("/konto/losenord/aterstall/", {"email": "dana@kommun.example"})
    assert response.status_code == 302 and response["Location"] == "/konto/losenord/aterstall/skickat/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["dana@kommun.example"]
    assert message.subject == "Nytt lösenord i Trygg"
    link = re.search(r"http://testserver(/konto/losenord/aterstall/[^/]+/[^/]+/)", message.body).group(1)
    form = client.get(link, follow=True)  # Django moves the token into the session and redirects
    assert "Välj ett nytt lösenord" in form.content.decode()
    set_url = form.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": "Kameraljus-1987", "new_password2": "Kameraljus-1987"})
    assert done.status_code == 302 and done["Location"] == "/konto/losenord/aterstall/klart/"
    user.refresh_from_db()
    assert user.check_password("Kameraljus-1987")
    # The link works once.
    again = client.get(link, follow=True)
    assert "Länken fungerar inte" in again.content.decode()


def test_reset_for_an_unknown_address_sends_nothing_and_says_the_same(demo_users):
    response = Client().post("/konto/losenord/aterstall/", {"email": "okand@example.se"})
    assert response.status_code == 302 and response["Location"] == "/konto/losenord/aterstall/skickat/"
    assert mail.outbox == []


def test_every_request_moves_the_idle_timeout_on(client_for, settings):
    assert settings.SESSION_COOKIE_AGE == 60 * 60  # TRYGG_SESSION_IDLE_MINUTES' default
    client = client_for("officer")
    key = client.session.session_key
    soon = timezone.now() + dt.timedelta(minutes=1)
    Session.objects.filter(session_key=key).update(expire_date=soon)  # as if the last request was 59 min ago
    assert client.get("/").status_code == 200
    expiry = Session.objects.get(session_key=key).expire_date
    assert expiry > timezone.now() + dt.timedelta(minutes=59)


def test_a_page_writes_the_session_at_most_once_a_minute(client_for, settings):
    """Saving the session on every request made each page a database write, which on SQLite waited for an
    import's write lock (walkthrough: "Bad Request (400)" on every page during a camera import)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from trygg.core.middleware import SessionTouchMiddleware

    settings.SESSION_TOUCH_SECONDS = 60  # the real interval (the test settings touch on every request)
    client = client_for("officer")
    client.get("/")  # touched now

    def session_writes() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/kameror/").status_code == 200
        return sum(
            1
            for q in queries
            if "django_session" in q["sql"] and q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
        )

    assert session_writes() == 0
    session = client.session
    session[SessionTouchMiddleware.KEY] = session[SessionTouchMiddleware.KEY] - 61  # as if a minute passed
    session.save()
    assert session_writes() == 1


def test_an_idle_session_has_ended(client_for):
    client = client_for("officer")
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    assert client.get("/kameror/").status_code == 302  # to the login page
