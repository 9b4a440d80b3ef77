"""The single sign-on settings, the role map and the client address behind proxies (pure, no Django)."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trygg.core.oidc_config import (
    ConfigError,
    Grant,
    claim_groups,
    client_address,
    grants_for,
    parse_networks,
    parse_role_map,
    settings_from_env,
)


def test_the_role_map_is_read_group_by_group():
    text = " Trygg-Handlaggare=officer , Trygg-DSO=dpo,Trygg-BUF=administration_contact:BUF,,Grupp=med=lika=reader"
    assert parse_role_map(text) == {
        "Trygg-Handlaggare": Grant("officer"),
        "Trygg-DSO": Grant("dpo"),
        "Trygg-BUF": Grant("administration_contact", "BUF"),
        "Grupp=med=lika": Grant("reader"),  # the last "=" separates the role
    }
    assert parse_role_map("") == {}


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("Trygg-Handlaggare", "grupp=roll"),
        ("Trygg=superuser", "okänd roll ”superuser”"),
        ("Trygg=officer:BUF", "bara administration_contact"),
        ("A=officer,A=dpo", "två gånger"),
        ("=officer", "grupp=roll"),
    ],
)
def test_a_bad_role_map_is_refused_with_the_variable_named(text, named):
    with pytest.raises(ConfigError, match="TRYGG_OIDC_ROLE_MAP") as error:
        parse_role_map(text)
    assert named in str(error.value)


def test_groups_give_the_mapped_roles_and_administrations_only():
    role_map = parse_role_map("T-H=officer,T-BUF=administration_contact:BUF,T-K=administration_contact,T-A=admin")
    assert grants_for(["T-H", "Alla", "admin"], role_map) == ({"officer"}, frozenset())
    assert grants_for(["T-BUF", "T-K"], role_map) == ({"administration_contact"}, {"BUF"})
    assert grants_for([], role_map) == (frozenset(), frozenset())


def test_the_groups_claim_is_a_list_or_one_name():
    assert claim_groups({"groups": ["a", "b"]}, "groups") == ["a", "b"]
    assert claim_groups({"roles": "a"}, "roles") == ["a"]
    assert claim_groups({}, "groups") == []
    for bad in ({"a": True}, 5, ["a", 5]):
        with pytest.raises(ConfigError):
            claim_groups({"groups": bad}, "groups")


BASE = {"TRYGG_OIDC_CLIENT_ID": "trygg", "TRYGG_OIDC_CLIENT_SECRET": "s", "TRYGG_OIDC_ISSUER": "https://idp.example/"}


def test_single_sign_on_is_off_without_a_client_id():
    assert settings_from_env({"TRYGG_OIDC_ISSUER": "https://idp.example"}) == {}


def test_settings_with_an_issuer():
    settings = settings_from_env(BASE | {"TRYGG_OIDC_ROLE_MAP": "A=dpo", "TRYGG_OIDC_GROUPS_CLAIM": "roles"})
    assert settings["TRYGG_OIDC_ISSUER"] == "https://idp.example"
    assert settings["OIDC_RP_SIGN_ALGO"] == "RS256" and settings["OIDC_RP_SCOPES"] == "openid email profile"
    assert settings["TRYGG_OIDC_ROLE_MAP"] == {"A": Grant("dpo")}
    assert settings["TRYGG_OIDC_GROUPS_CLAIM"] == "roles"
    assert settings["TRYGG_OIDC_USERNAME_CLAIM"] == "preferred_username"
    assert "OIDC_OP_TOKEN_ENDPOINT" not in settings  # found by discovery


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"TRYGG_OIDC_CLIENT_SECRET": ""}, "TRYGG_OIDC_CLIENT_SECRET"),
        ({"TRYGG_OIDC_ISSUER": "", "TRYGG_OIDC_TOKEN_ENDPOINT": "https://idp/t"}, "TRYGG_OIDC_ISSUER"),
        ({"TRYGG_OIDC_SIGN_ALGO": "HS256"}, "TRYGG_OIDC_SIGN_ALGO"),
        ({"TRYGG_OIDC_SCOPES": "email profile"}, "TRYGG_OIDC_SCOPES"),
        ({"TRYGG_OIDC_ROLE_MAP": "A=chef"}, "TRYGG_OIDC_ROLE_MAP"),
    ],
)
def test_half_configured_single_sign_on_stops_the_start(env, variable):
    with pytest.raises(ConfigError, match=variable):
        settings_from_env(BASE | env)


PROXIES = parse_networks("10.0.0.0/8, 192.168.1.1")


@pytest.mark.parametrize(
    ("remote", "header", "expected"),
    [
        ("203.0.113.7", "198.51.100.1", "203.0.113.7"),  # not from a proxy: the header is ignored
        ("10.0.0.5", "203.0.113.7", "203.0.113.7"),  # one proxy
        ("10.0.0.5", "203.0.113.7, 192.168.1.1", "203.0.113.7"),  # two proxies in a row
        ("10.0.0.5", "6.6.6.6, 203.0.113.7", "203.0.113.7"),  # a forged entry in front is not reached
        ("10.0.0.5", "", "10.0.0.5"),  # a proxy without the header: the proxy itself
        ("10.0.0.5", "10.0.0.7", "10.0.0.7"),  # only proxies: the furthest one
        ("10.0.0.5", "nonsense, 10.0.0.7", "10.0.0.7"),  # a malformed entry stops the walk
        ("10.0.0.5", "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_address_behind_proxies(remote, header, expected):
    assert client_address(remote, header, PROXIES) == expected


addresses = st.ip_addresses(v=4).map(str)


@given(remote=addresses, header=st.lists(addresses, max_size=4).map(", ".join))
def test_the_header_of_an_untrusted_peer_never_counts(remote, header):
    if ipaddress.ip_address(remote) in ipaddress.ip_network("10.0.0.0/8") or remote == "192.168.1.1":
        return
    assert client_address(remote, header, PROXIES) == remote


@given(client=addresses, forged=st.lists(addresses, max_size=3))
def test_entries_before_the_client_never_count(client, forged):
    """Whatever a client writes in front, the proxy's appended address decides (unless it is itself a proxy)."""
    header = ", ".join([*forged, client])
    result = client_address("10.0.0.5", header, PROXIES)
    if ipaddress.ip_address(client) not in ipaddress.ip_network("10.0.0.0/8") and client != "192.168.1.1":
        assert result == client


def test_bad_proxy_settings_are_named():
    with pytest.raises(ConfigError, match="TRYGG_TRUSTED_PROXIES"):
        parse_networks("10.0.0.1, proxy.kommun.se")
    assert parse_networks("") == ()
