"""SQLite's "database is locked" (another write held the lock past the busy timeout) is answered with a
503 saying Trygg was busy and nothing was saved, on pages and in the API's JSON shape; never a 500.

Found in the new-user walkthrough: two simultaneous saves of a zone at a site with 900 cameras (each
save recomputes their coverage) gave one 200 and one HTML 500, and logins failed during an import.
The lock is simulated here by the error SQLite raises; the import no longer holds it for long.
"""

from __future__ import annotations

import json

import pytest
from django.db import OperationalError

from trygg.sites.models import Zone

pytestmark = pytest.mark.django_db


def locked(*args, **kwargs):
    raise OperationalError("database is locked")


def test_the_api_answers_a_busy_database_with_503_in_its_error_shape(api_client, monkeypatch):
    zone = Zone.objects.order_by("pk").first()
    monkeypatch.setattr(Zone, "save", locked)
    response = api_client("officer").patch(
        f"/api/v1/zones/{zone.pk}/", json.dumps({"name": "Nytt namn"}), content_type="application/json"
    )
    assert response.status_code == 503 and response["Retry-After"] == "5"
    body = response.json()
    assert body["code"] == "busy" and "Inget sparades" in body["message"]
    assert Zone.objects.get(pk=zone.pk).name != "Nytt namn"


def _login(client):
    return client.post("/konto/logga-in/", {"username": "handlaggare", "password": "provlösenord-123"})


@pytest.fixture
def officer_password(demo_users):
    demo_users["officer"].set_password("provlösenord-123")
    demo_users["officer"].save()


def test_a_login_during_a_long_write_gets_a_503_page_in_swedish(officer_password, monkeypatch):
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import Client

    monkeypatch.setattr(SessionStore, "save", locked)  # the login's session is the write that waits
    response = _login(Client())
    assert response.status_code == 503 and response["Retry-After"] == "5"
    html = response.content.decode()
    assert "Trygg är upptaget just nu" in html and "Inget av det sparades" in html
    assert 'class="request-id"' in html


def test_other_database_errors_stay_server_errors(officer_password, monkeypatch):
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import Client

    def broken(*args, **kwargs):
        raise OperationalError("no such table: django_session")

    monkeypatch.setattr(SessionStore, "save", broken)
    client = Client(raise_request_exception=False)
    assert _login(client).status_code == 500


def test_a_page_whose_session_cannot_be_saved_gets_the_busy_page(client_for, monkeypatch):
    """Django turns a failed session save (SQLite locked) into SessionInterrupted, which was a bare
    English "Bad Request (400)" page (walkthrough, during a camera import)."""
    from django.contrib.sessions.models import Session

    from trygg.core.middleware import SessionTouchMiddleware

    client = client_for("officer")
    client.raise_request_exception = False
    session = client.session
    session[SessionTouchMiddleware.KEY] = 0  # due to be moved on, so this request writes the session
    session.save()
    real = Session.save

    def locked_update(self, *args, **kwargs):
        if kwargs.get("force_update"):
            raise OperationalError("database is locked")  # Django's session store makes it SessionInterrupted
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Session, "save", locked_update)
    response = client.get("/kameror/")
    assert response.status_code == 503
    assert "Trygg är upptaget just nu" in response.content.decode()
