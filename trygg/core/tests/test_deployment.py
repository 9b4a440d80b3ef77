"""Deployment (issue 15, item 10): no start with the demo key outside demo mode, `check --deploy` clean with
the production settings, no caching of exact positions, server errors logged with a request id."""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys

import pytest

from trygg.cameras.models import Camera
from trygg.reports.models import BoardReport
from trygg.reports.services import freeze
from trygg.sites.models import Site

PRODUCTION_KEY = "a-long-random-key-for-the-test-only-" + "x7Q2pL9vR4mN8sK1" * 3


def run_django(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    """Django with trygg.settings in a fresh process, with exactly the given Trygg environment."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TRYGG_", "DJANGO_", "DATABASE_URL"))}
    clean |= {"DJANGO_SETTINGS_MODULE": "trygg.settings", **env}
    return subprocess.run(
        [sys.executable, "-m", "django", *args], env=clean, capture_output=True, text=True, timeout=120, check=False
    )


def test_the_demo_key_outside_demo_mode_stops_the_start():
    result = run_django(["check"])
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "Trygg startar inte med demons hemliga nyckel" in result.stderr
    assert "TRYGG_SECRET_KEY" in result.stderr
    # Naming the demo key explicitly is no way around it.
    result = run_django(["check"], TRYGG_SECRET_KEY="trygg-demo-key-not-for-production")
    assert result.returncode != 0 and "TRYGG_SECRET_KEY" in result.stderr


def test_demo_mode_and_a_real_key_both_start():
    assert run_django(["check"], TRYGG_DEMO="1").returncode == 0
    assert run_django(["check"], TRYGG_SECRET_KEY=PRODUCTION_KEY).returncode == 0


def test_check_deploy_is_clean_with_the_production_settings():
    result = run_django(
        ["check", "--deploy", "--fail-level", "WARNING"],
        TRYGG_SECRET_KEY=PRODUCTION_KEY,
        TRYGG_SECURE="1",
        TRYGG_ALLOWED_HOSTS="trygg.kommun.example",
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_without_https_settings_check_deploy_warns():
    result = run_django(["check", "--deploy", "--fail-level", "WARNING"], TRYGG_SECRET_KEY=PRODUCTION_KEY)
    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr


def test_a_typo_in_a_number_stops_the_start():
    result = run_django(["check"], TRYGG_DEMO="1", TRYGG_SESSION_IDLE_MINUTES="en timme")
    assert result.returncode != 0
    assert "TRYGG_SESSION_IDLE_MINUTES måste vara ett heltal" in result.stderr
    result = run_django(["check"], TRYGG_DEMO="1", TRYGG_LOGIN_FAILURE_LIMIT="0")  # would lock out at once
    assert result.returncode != 0
    assert "TRYGG_LOGIN_FAILURE_LIMIT måste vara minst 1, inte 0" in result.stderr


@pytest.mark.django_db
def test_exports_with_exact_positions_are_not_cached(client_for):
    client = client_for("officer")
    site = Site.objects.get(name="Kvisthamraskolan")
    camera = Camera.objects.filter(site=site).first()
    for url in (
        "/kameror/kameror.csv",
        "/karta/data.geojson",
        f"/platser/{site.pk}/karta.geojson",
        f"/kameror/{camera.pk}/tackning.geojson",
        "/ogc/collections/cameras/items",
        f"/ogc/collections/cameras/items/{camera.pk}",
        "/ogc/collections/coverage/items",
        f"/rapporter/versioner/{freeze(BoardReport.objects.get(case_number='KS 2024/0123')).pk}/bilaga-sekretess.pdf",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response.get("Cache-Control", ""), url
    # What the public may see anyway may be cached.
    public = client_for(None).get("/ogc/collections/sites/items")
    assert public.status_code == 200 and "no-store" not in public.get("Cache-Control", "")


@pytest.mark.django_db
def test_a_server_error_is_logged_with_the_id_shown_to_the_user(client_for, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("trasig översikt")

    monkeypatch.setattr("trygg.core.views.dashboard_for", broken)
    client = client_for("officer")
    client.raise_request_exception = False
    handler = logging.getLogger("django.request").handlers[0]
    log = io.StringIO()
    original = handler.setStream(log)
    try:
        response = client.get("/")
    finally:
        handler.setStream(original)
    assert response.status_code == 500
    request_id = response["X-Request-ID"]
    assert f'<code class="request-id">{request_id}</code>' in response.content.decode()
    line = log.getvalue()
    assert f"ERROR [{request_id}] django.request: Internal Server Error: /" in line
    assert "RuntimeError: trasig översikt" in line  # with the traceback


@pytest.mark.django_db
def test_every_response_carries_its_own_request_id(client_for):
    client = client_for("reader")
    first, second = client.get("/")["X-Request-ID"], client.get("/")["X-Request-ID"]
    assert len(first) == 36 and first != second


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_gunicorn_serves_trygg_with_the_production_settings(tmp_path):
    """The documented production way: migrate, collectstatic, gunicorn with deploy/gunicorn.conf.py behind a proxy."""
    import time
    import urllib.error
    import urllib.request
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    env = {
        "TRYGG_SECRET_KEY": PRODUCTION_KEY,
        "TRYGG_SECURE": "1",
        "TRYGG_PROXY_SSL_HEADER": "1",
        "TRYGG_ALLOWED_HOSTS": "127.0.0.1",
        "TRYGG_DATA_DIR": str(tmp_path),
    }
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        done = run_django(command, **env)
        assert done.returncode == 0, done.stderr
    port = free_port()
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TRYGG_", "DJANGO_", "DATABASE_URL"))}
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "-c",
            str(root / "deploy" / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "trygg.wsgi:application",
        ],
        cwd=root,
        env=clean | env | {"DJANGO_SETTINGS_MODULE": "trygg.settings"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)

    def get(path: str, https: bool = True):
        headers = {"X-Forwarded-Proto": "https"} if https else {}
        try:
            return opener.open(urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers), timeout=60)
        except urllib.error.HTTPError as error:
            return error

    try:
        for _ in range(120):
            try:
                page = get("/")
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.5)
        else:
            pytest.fail("gunicorn did not answer")
        assert page.status == 200 and "Trygg" in page.read().decode()
        assert page.headers["Strict-Transport-Security"].startswith("max-age=")
        assert page.headers["X-Request-ID"]
        # Without the proxy's https header the request is sent to https.
        plain = get("/", https=False)
        assert plain.status == 301 and plain.headers["Location"].startswith("https://")
        # Static files, collected from Trygg and node_modules, are served by WhiteNoise.
        style = get("/static/vendor/leaflet/leaflet.css")
        assert style.status == 200 and b".leaflet-container" in style.read()
    finally:
        server.terminate()
        log, _ = server.communicate(timeout=30)
    # The access log names the request id of each request.
    assert f"id={page.headers['X-Request-ID']}" in log
