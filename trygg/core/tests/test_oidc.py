"""Single sign-on (issue 15, item 7): a fake identity provider signs ID tokens with an RSA key made here.

The provider's token endpoint and JWKS are replaced by functions answering as a real provider does
(OpenID Connect Core 1.0 §3.1.3); everything else — the redirect with state, nonce and PKCE, the signature
check against the JWKS, the user and its roles — runs as in production.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import get_user_model
from django.test import Client

from trygg.core import oidc_config
from trygg.core.models import Administration
from trygg.core.roles import roles_of

pytestmark = pytest.mark.django_db

ISSUER = "https://login.kommun.example"
CLIENT_ID = "trygg"
ENV = {
    "TRYGG_OIDC_CLIENT_ID": CLIENT_ID,
    "TRYGG_OIDC_CLIENT_SECRET": "hemligt",
    "TRYGG_OIDC_AUTHORIZATION_ENDPOINT": f"{ISSUER}/authorize",
    "TRYGG_OIDC_TOKEN_ENDPOINT": f"{ISSUER}/token",
    "TRYGG_OIDC_JWKS_ENDPOINT": f"{ISSUER}/jwks",
    "TRYGG_OIDC_END_SESSION_ENDPOINT": f"{ISSUER}/logout",
    "TRYGG_OIDC_ISSUER": ISSUER,
    "TRYGG_OIDC_ROLE_MAP": (
        "Trygg-Handlaggare=officer,Trygg-DSO=dpo,Trygg-Admin=admin,Trygg-Namnd=reader,"
        "Trygg-BUF=administration_contact:BUF,Trygg-Kontakt=administration_contact"
    ),
}
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


class FakeResponse:
    def __init__(self, data: dict, status: int = 200):
        self.data, self.status_code, self.headers, self.url, self.text = data, status, {}, "", json.dumps(data)

    def json(self) -> dict:
        return self.data

    def raise_for_status(self) -> None:
        assert self.status_code == 200


class FakeProvider:
    """Answers the token request with an ID token carrying `claims` (plus iss, aud, nonce, exp)."""

    def __init__(self):
        self.claims: dict = {}
        self.key = KEY
        self.nonce = ""
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(KEY.public_key()))
        self.jwks = {"keys": [jwk | {"kid": "k1", "alg": "RS256", "use": "sig"}]}

    def id_token(self) -> str:
        now = int(time.time())
        payload = {"iss": ISSUER, "aud": CLIENT_ID, "iat": now, "exp": now + 300, "nonce": self.nonce}
        return jwt.encode(payload | self.claims, self.key, algorithm="RS256", headers={"kid": "k1"})

    def post(self, url, data=None, **kwargs):
        assert url == f"{ISSUER}/token" and data["code"] == "kod" and data["code_verifier"]
        return FakeResponse({"id_token": self.id_token(), "access_token": "a", "token_type": "Bearer"})

    def get(self, url, **kwargs):
        assert url == f"{ISSUER}/jwks"
        return FakeResponse(self.jwks)


@pytest.fixture
def provider(settings, monkeypatch):
    for name, value in oidc_config.settings_from_env(ENV).items():
        setattr(settings, name, value)
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, "trygg.core.oidc.TryggOIDCBackend"]
    settings.OIDC_STORE_ID_TOKEN = True
    settings.OIDC_USE_PKCE = True
    settings.OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_callback"
    fake = FakeProvider()
    monkeypatch.setattr("mozilla_django_oidc.auth.requests.post", fake.post)
    monkeypatch.setattr("mozilla_django_oidc.auth.requests.get", fake.get)
    return fake


def sign_in(client: Client, provider: FakeProvider, claims: dict, next_url: str = ""):
    """The whole round trip: Trygg → provider (state, nonce) → back with a code. Returns the callback's answer."""
    start = client.get("/konto/kommunens-konto/" + (f"?next={next_url}" if next_url else ""))
    assert start.status_code == 302
    location = urlsplit(start["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{ISSUER}/authorize"
    query = parse_qs(location.query)
    assert query["redirect_uri"] == ["http://testserver/konto/kommunens-konto/tillbaka/"]
    assert query["code_challenge_method"] == ["S256"]
    provider.nonce = query["nonce"][0]
    provider.claims = claims
    return client.get("/konto/kommunens-konto/tillbaka/", {"code": "kod", "state": query["state"][0]})


def claims(username="kim", groups=None, **extra):
    base = {"sub": f"sub-{username}", "preferred_username": username, "email": f"{username}@kommun.example"}
    base |= {"given_name": "Kim", "family_name": "Berg"}
    if groups is not None:
        base["groups"] = groups
    return base | extra


def user(name="kim"):
    return get_user_model().objects.get(username=name)


def roles(name="kim"):
    return set(roles_of(get_user_model().objects.get(username=name)))


def test_a_new_user_is_created_with_name_email_and_role(provider):
    client = Client()
    response = sign_in(client, provider, claims(groups=["Trygg-Handlaggare", "Alla-anstallda"]))
    assert response.status_code == 302 and response["Location"] == "/"
    kim = user()
    assert (kim.first_name, kim.last_name, kim.email) == ("Kim", "Berg", "kim@kommun.example")
    assert not kim.has_usable_password()
    assert roles() == {"officer"} and kim.is_staff and not kim.is_superuser
    assert client.get("/kameror/").status_code == 200  # a page for staff


def test_roles_follow_the_provider_at_every_login(provider):
    sign_in(Client(), provider, claims(groups=["Trygg-Handlaggare"]))
    assert roles() == {"officer"}
    sign_in(Client(), provider, claims(groups=["Trygg-DSO", "Trygg-Namnd"]))  # changed
    assert roles() == {"dpo", "reader"}
    sign_in(Client(), provider, claims(groups=[]))  # removed in the provider
    assert roles() == set() and not user().is_staff


def test_the_name_and_email_are_updated(provider):
    sign_in(Client(), provider, claims(groups=["Trygg-Namnd"]))
    sign_in(Client(), provider, claims(groups=["Trygg-Namnd"], email="kim.berg@kommun.example", family_name="Ek"))
    assert (user().email, user().last_name) == ("kim.berg@kommun.example", "Ek")


def test_other_groups_of_the_user_are_kept(provider):
    from django.contrib.auth.models import Group

    sign_in(Client(), provider, claims(groups=["Trygg-Namnd"]))
    extra = Group.objects.create(name="Egen grupp")
    user().groups.add(extra)
    sign_in(Client(), provider, claims(groups=[]))
    assert list(user().groups.values_list("name", flat=True)) == ["Egen grupp"]


@pytest.mark.parametrize("groups", [["Alla-anstallda"], [], None])
def test_unknown_or_missing_groups_sign_in_without_a_role(provider, groups):
    client = Client()
    response = sign_in(client, provider, claims(groups=groups), next_url="/kameror/")
    assert response.status_code == 403
    assert "ditt konto har ingen roll i Trygg" in response.content.decode()
    assert roles() == set()
    assert client.get("/kameror/").status_code == 403  # signed in, no role


def test_a_claim_grants_admin_only_when_mapped(provider):
    sign_in(Client(), provider, claims(groups=["admin", "Administratörer", "superuser"]))
    assert roles() == set() and not user().is_superuser
    sign_in(Client(), provider, claims(groups=["Trygg-Admin"]))
    assert roles() == {"admin"} and user().is_superuser
    sign_in(Client(), provider, claims(groups=["Trygg-Handlaggare"]))
    assert roles() == {"officer"} and not user().is_superuser


def test_the_contact_gets_the_mapped_administration(provider):
    buf = Administration.objects.get(short_name="BUF")
    ksk = Administration.objects.get(short_name="KSK")
    sign_in(Client(), provider, claims(groups=["Trygg-BUF"]))
    assert roles() == {"administration_contact"}
    assert list(user().administrations.all()) == [buf]
    ksk.contacts.add(user())  # assigned by the admin: not in the map, kept
    sign_in(Client(), provider, claims(groups=["Trygg-Kontakt"]))  # the role, but BUF no longer
    assert roles() == {"administration_contact"}
    assert list(user().administrations.all()) == [ksk]


def test_a_groups_claim_that_is_not_a_list_of_names_refuses_the_login(provider):
    response = sign_in(Client(), provider, claims(groups={"Trygg-Admin": True}))
    assert response.status_code == 302 and response["Location"] == "/konto/logga-in/"
    assert not get_user_model().objects.filter(username="kim").exists()


def test_a_missing_username_claim_refuses_the_login(provider):
    response = sign_in(Client(), provider, claims(groups=["Trygg-Handlaggare"], preferred_username=None))
    assert response.status_code == 302 and response["Location"] == "/konto/logga-in/"
    page = Client().get("/konto/logga-in/")
    assert page.status_code == 200
    assert not get_user_model().objects.filter(email="kim@kommun.example").exists()


def test_the_failure_message_is_shown_on_the_login_page(provider):
    client = Client()
    sign_in(client, provider, claims(groups=["Trygg-Handlaggare"], preferred_username=None))
    assert "Inloggningen med kommunens konto misslyckades" in client.get("/konto/logga-in/").content.decode()


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda p: setattr(p, "key", OTHER_KEY), id="signed-with-another-key"),
        pytest.param(lambda p: p.claims.update(aud="another-client"), id="another-audience"),
        pytest.param(lambda p: p.claims.update(iss="https://evil.example"), id="another-issuer"),
        pytest.param(lambda p: p.claims.update(exp=int(time.time()) - 60), id="expired"),
        pytest.param(lambda p: p.claims.update(nonce="replayed"), id="wrong-nonce"),
    ],
)
def test_a_bad_id_token_is_refused(provider, tamper, monkeypatch):
    original = provider.id_token

    def tampered():
        tamper(provider)
        return original()

    monkeypatch.setattr(provider, "id_token", tampered)
    client = Client()
    response = sign_in(client, provider, claims(groups=["Trygg-Admin"]))
    assert response.status_code == 302 and response["Location"] == "/konto/logga-in/"
    assert not get_user_model().objects.filter(username="kim").exists()
    assert "_auth_user_id" not in client.session


def test_a_local_account_is_not_taken_over(provider, demo_users):
    response = sign_in(Client(), provider, claims(username="admin", groups=["Trygg-Namnd"], email="x@y.example"))
    assert response.status_code == 302 and response["Location"] == "/konto/logga-in/"
    admin = user("admin")
    assert admin.has_usable_password() and admin.is_superuser and admin.email != "x@y.example"


def test_the_login_page_offers_the_municipal_account(provider, client):
    page = client.get("/konto/logga-in/?next=/kameror/").content.decode()
    assert 'href="/konto/kommunens-konto/?next=/kameror/"' in page and "Logga in med kommunens konto" in page
    assert 'name="password"' in page  # the local login stays (break-glass admin)


def test_without_configuration_there_is_no_municipal_login(client):
    assert "kommunens konto" not in client.get("/konto/logga-in/").content.decode()
    assert client.get("/konto/kommunens-konto/").status_code == 404
    assert client.get("/konto/kommunens-konto/tillbaka/?code=x&state=y").status_code == 404


def test_logout_ends_the_provider_session_too(provider):
    client = Client()
    sign_in(client, provider, claims(groups=["Trygg-Handlaggare"]))
    id_token = client.session["oidc_id_token"]
    response = client.post("/konto/logga-ut/")
    location = urlsplit(response["Location"])
    assert response.status_code == 302 and f"{location.scheme}://{location.netloc}{location.path}" == f"{ISSUER}/logout"
    query = parse_qs(location.query)
    assert query["id_token_hint"] == [id_token]
    assert query["post_logout_redirect_uri"] == ["http://testserver/"]
    assert "_auth_user_id" not in client.session


def test_a_local_user_logs_out_locally(provider, client_for):
    response = client_for("officer").post("/konto/logga-ut/")
    assert response.status_code == 302 and response["Location"] == "/"


def test_settings_from_the_environment():
    """A separate process reads the environment as a deployment does: backend, form-action, scopes."""
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.AUTHENTICATION_BACKENDS[-1], s.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action'],"
        " s.OIDC_RP_SCOPES, s.OIDC_RP_SIGN_ALGO, s.OIDC_OP_JWKS_ENDPOINT]))"
    )
    env = {"TRYGG_DEMO": "1", "DJANGO_SETTINGS_MODULE": "trygg.settings", "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code], env=env | ENV, capture_output=True, text=True, check=True)
    backend, form_action, scopes, algorithm, jwks = json.loads(out.stdout)
    assert backend == "trygg.core.oidc.TryggOIDCBackend"
    assert form_action == ["'self'", ISSUER]
    assert (scopes, algorithm, jwks) == ("openid email profile", "RS256", f"{ISSUER}/jwks")
    off = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert "OIDC_RP_SCOPES" in off.stderr  # not configured: no OIDC settings at all


def test_the_endpoints_are_found_from_the_issuer(provider, settings, monkeypatch):
    """Only TRYGG_OIDC_ISSUER: the endpoints come from its discovery document; groups from userinfo."""
    from trygg.core import oidc

    env = {k: v for k, v in ENV.items() if not k.endswith("_ENDPOINT")}
    for name in oidc.DISCOVERY_KEYS:
        monkeypatch.delattr(settings, name, raising=False)
    for name, value in oidc_config.settings_from_env(env).items():
        setattr(settings, name, value)
    document = {
        "issuer": ISSUER,
        "authorization_endpoint": f"{ISSUER}/authorize",
        "token_endpoint": f"{ISSUER}/token",
        "jwks_uri": f"{ISSUER}/jwks",
        "userinfo_endpoint": f"{ISSUER}/userinfo",
        "end_session_endpoint": f"{ISSUER}/logout",
    }
    asked = []

    def get(url, **kwargs):
        asked.append(url)
        if url == f"{ISSUER}/.well-known/openid-configuration":
            return FakeResponse(document)
        if url == f"{ISSUER}/userinfo":
            assert kwargs["headers"] == {"Authorization": "Bearer a"}
            return FakeResponse({"sub": "sub-kim", "groups": ["Trygg-DSO"]})
        return FakeResponse(provider.jwks)

    monkeypatch.setattr("mozilla_django_oidc.auth.requests.get", get)
    oidc._discover.cache_clear()
    try:
        client = Client()
        sign_in(client, provider, claims())  # no groups in the ID token
        assert roles() == {"dpo"}
        assert client.post("/konto/logga-ut/")["Location"].startswith(f"{ISSUER}/logout?")
    finally:
        oidc._discover.cache_clear()
    assert asked.count(f"{ISSUER}/.well-known/openid-configuration") == 1  # fetched once per process


def test_an_unreachable_provider_gives_a_message(provider, settings, monkeypatch):
    import requests

    from trygg.core import oidc

    monkeypatch.delattr(settings, "OIDC_OP_AUTHORIZATION_ENDPOINT")

    def down(url, **kwargs):
        raise requests.ConnectionError("no route")

    monkeypatch.setattr("mozilla_django_oidc.auth.requests.get", down)
    oidc._discover.cache_clear()
    client = Client()
    response = client.get("/konto/kommunens-konto/")
    assert response.status_code == 302 and response["Location"] == "/konto/logga-in/"
    assert "Kommunens inloggning svarar inte just nu" in client.get("/konto/logga-in/").content.decode()
    # The local login does not depend on the provider.
    assert client.post("/konto/logga-in/", {"username": "lasare", "password": "trygg-lasare"}).status_code == 302


def test_a_locked_address_cannot_sign_in_with_the_provider_either(provider, demo_users, settings):
    client = Client(REMOTE_ADDR="10.6.0.1")
    for i in range(settings.AXES_FAILURE_LIMIT):
        client.post("/konto/logga-in/", {"username": f"okand{i}", "password": "fel"})
    response = sign_in(client, provider, claims(groups=["Trygg-Handlaggare"]))
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
