"""Error pages: 403, 404, 500 and a refused form, in Swedish, inside the layout with its menu.

The 500 page must render even when the database is down or the page's context cannot be built.
"""

from __future__ import annotations

from unittest import mock

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import OperationalError, connection
from django.http import HttpResponse
from django.test import Client
from django.urls import get_resolver, path

from trygg import urls as trygg_urls
from trygg.core import errors, roles
from trygg.core.access import requires
from trygg.sites.models import Site

MENU = 'aria-label="Huvudmeny"'


@requires(roles.public)
def boom(request):
    raise RuntimeError("ett fel i koden")


@requires(roles.public)
def needs_the_database(request):
    return HttpResponse(str(Site.objects.count()))


@requires(roles.public)
def refuses(request):
    raise PermissionDenied("intern förklaring som inte ska visas")


def without_rule(request):
    return HttpResponse("hemligt")


urlpatterns = [
    *trygg_urls.urlpatterns,
    path("test/fel/", boom),
    path("test/databas/", needs_the_database),
    path("test/nekad/", refuses),
    path("test/utan-regel/", without_rule),
]
handler403, handler404, handler500 = trygg_urls.handler403, trygg_urls.handler404, trygg_urls.handler500
pytestmark = pytest.mark.urls(__name__)


def text(response) -> str:
    return response.content.decode()


def test_the_handlers_and_the_csrf_view_are_trygg_s_own():
    resolver = get_resolver("trygg.urls")
    assert resolver.resolve_error_handler(403) is errors.permission_denied
    assert resolver.resolve_error_handler(404) is errors.page_not_found
    assert resolver.resolve_error_handler(500) is errors.server_error
    assert settings.CSRF_FAILURE_VIEW == "trygg.core.errors.csrf_failure"
    assert settings.DEBUG is False  # the default: the pages are used


def test_a_missing_page_is_a_swedish_404_inside_the_layout(client_for):
    response = client_for("reader").get("/finns-inte/alls/")
    assert response.status_code == 404
    html = text(response)
    assert "<h1>Sidan finns inte</h1>" in html
    assert "<code>/finns-inte/alls/</code>" in html
    assert MENU in html and ">Uppföljning</a>" in html  # the reader's own menu
    assert '<a href="/">Tillbaka till översikten</a>' in html
    assert '<html lang="sv">' in html


def test_an_object_the_contact_may_not_see_is_a_404_with_the_menu(client_for):
    other = Site.objects.get(name="Stora torget")  # another administration's site
    response = client_for("administration_contact").get(f"/platser/{other.pk}/")
    assert response.status_code == 404
    assert "Sidan finns inte" in text(response) and ">Platser</a>" in text(response)


def test_a_page_the_role_may_not_see_is_a_swedish_403_with_the_menu(client_for):
    response = client_for("reader").get("/platser/")  # the access middleware refuses readers
    assert response.status_code == 403
    html = text(response)
    assert "<h1>Du har inte behörighet till sidan</h1>" in html
    assert "Du är inloggad som Lars Läsare (Läsare (nämnd och ledning))" in html
    assert "<code>/platser/</code>" in html
    assert MENU in html and ">Uppföljning</a>" in html
    assert '<a href="/">Tillbaka till översikten</a>' in html


def test_the_reason_inside_permission_denied_is_not_shown(client_for):
    response = client_for("officer").get("/test/nekad/")
    assert response.status_code == 403
    assert "intern förklaring" not in text(response)


def test_an_anonymous_visitor_refused_is_offered_to_log_in(client_for):
    response = client_for(None).get("/test/utan-regel/")  # a view without rule is refused for everyone
    assert response.status_code == 403
    html = text(response)
    assert '<a class="button" href="/konto/logga-in/?next=%2Ftest%2Futan-regel%2F">Logga in</a>' in html
    assert MENU in html


def test_english_is_available(client_for):
    client = client_for("reader")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = text(client.get("/finns-inte/"))
    assert '<html lang="en">' in html and "<h1>Page not found</h1>" in html
    html = text(client.get("/platser/"))
    assert "<h1>You do not have access to this page</h1>" in html


def test_a_refused_form_is_a_swedish_page_with_the_menu(demo_users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(demo_users["officer"])
    response = client.post("/konto/paminnelser/", {"deadlines": "on"})  # no CSRF token
    assert response.status_code == 403
    html = text(response)
    assert "<h1>Formuläret kunde inte skickas</h1>" in html
    assert "Det du skrev har inte sparats." in html
    assert MENU in html and ">Platser</a>" in html


def server_error_client(user=None) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def test_a_server_error_is_a_swedish_500_inside_the_layout(demo_users):
    response = server_error_client(demo_users["officer"]).get("/test/fel/")
    assert response.status_code == 500
    html = text(response)
    assert "<h1>Något gick fel i Trygg</h1>" in html
    assert "ett fel i koden" not in html  # no internals
    assert MENU in html and ">Platser</a>" in html  # the officer's full menu


def test_the_500_page_falls_back_to_the_minimal_layout_when_its_context_raises(demo_users):
    with mock.patch.object(errors, "page_context", side_effect=RuntimeError("trasig kontext")):
        response = server_error_client(demo_users["officer"]).get("/test/fel/")
    assert response.status_code == 500
    html = text(response)
    assert "<h1>Något gick fel i Trygg</h1>" in html
    assert MENU in html and '<a href="/">Översikt</a>' in html
    assert ">Platser</a>" not in html  # the minimal layout: no menu that needs the user's roles
    assert '<html lang="sv">' in html


def test_the_500_page_renders_with_the_database_down(demo_users):
    client = server_error_client(demo_users["officer"])  # logged in: the session lives in the database
    down = OperationalError("databasen svarar inte")
    with mock.patch.object(connection, "ensure_connection", side_effect=down):
        response = client.get("/test/databas/")
        with pytest.raises(OperationalError):
            Site.objects.count()  # the database really is unreachable inside the block
    assert response.status_code == 500
    html = text(response)
    assert "<h1>Något gick fel i Trygg</h1>" in html
    assert "Tillbaka till översikten" in html
    assert "trygg/trygg.css" in html  # still Trygg's look
