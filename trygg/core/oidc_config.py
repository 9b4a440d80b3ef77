"""Single sign-on (OIDC) configuration and role mapping, read from the environment (no Django imports).

Trygg signs users in with the municipality's identity provider when TRYGG_OIDC_CLIENT_ID is set together
with either TRYGG_OIDC_ISSUER (endpoints found by discovery, OpenID Connect Discovery 1.0 §4) or the
explicit endpoints. The provider's groups claim is mapped to Trygg's roles with TRYGG_OIDC_ROLE_MAP, e.g.

    Trygg-Handlaggare=officer,Trygg-DSO=dpo,Trygg-BUF=administration_contact:BUF

A group maps to one role; `administration_contact:<name>` also names the administration (its name or
short name) whose sites the contact sees. Several groups may map to the same role.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

ROLE_CODES = ("admin", "officer", "administration_contact", "dpo", "reader")
DEFAULT_SCOPES = "openid email profile"


class ConfigError(ValueError):
    """A setting in the environment cannot be used; the message names the variable (Swedish / English)."""


@dataclass(frozen=True)
class Grant:
    """What one provider group gives: a role code and, for a contact, an administration (name or short name)."""

    role: str
    administration: str | None = None


def parse_role_map(text: str, variable: str = "TRYGG_OIDC_ROLE_MAP") -> dict[str, Grant]:
    """Parse "Group=role,Group2=administration_contact:BUF" into {group: Grant}.

    Group names are kept as written (compared exactly, as providers send them). Raises ConfigError naming
    `variable` for an entry without "=", an unknown role, an administration on another role, or a group
    named twice.
    """
    mapping: dict[str, Grant] = {}
    for raw in text.split(","):
        entry = raw.strip()
        if not entry:
            continue
        group, sep, target = entry.rpartition("=")
        group, target = group.strip(), target.strip()
        if not sep or not group or not target:
            raise ConfigError(f"{variable}: ”{entry}” ska skrivas grupp=roll / ”{entry}” must be written group=role")
        role, _colon, administration = target.partition(":")
        role, administration = role.strip(), administration.strip()
        if role not in ROLE_CODES:
            raise ConfigError(
                f"{variable}: okänd roll ”{role}” för gruppen ”{group}” (möjliga: {', '.join(ROLE_CODES)}) / "
                f"unknown role ”{role}” for the group ”{group}”"
            )
        if administration and role != "administration_contact":
            raise ConfigError(
                f"{variable}: bara administration_contact kan ha en förvaltning, inte ”{target}” / "
                f"only administration_contact takes an administration, not ”{target}”"
            )
        if group in mapping:
            raise ConfigError(f"{variable}: gruppen ”{group}” står två gånger / the group ”{group}” appears twice")
        mapping[group] = Grant(role=role, administration=administration or None)
    return mapping


def claim_groups(claims: Mapping[str, object], claim: str) -> list[str]:
    """The group names in `claims[claim]`: a list of strings, or one string (some providers send one).

    A missing claim means no groups. Anything else (a number, a dict) raises ConfigError, since guessing
    could grant a role.
    """
    value = claims.get(claim)
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return list(value)
    raise ConfigError(
        f"Anspråket ”{claim}” är inte en lista med gruppnamn / the claim ”{claim}” is not a list of names"
    )


def grants_for(groups: Iterable[str], role_map: Mapping[str, Grant]) -> tuple[frozenset[str], frozenset[str]]:
    """(role codes, administration names) the user's groups give; groups not in the map give nothing."""
    grants = [role_map[g] for g in groups if g in role_map]
    roles = frozenset(g.role for g in grants)
    administrations = frozenset(g.administration for g in grants if g.administration)
    return roles, administrations


def settings_from_env(env: Mapping[str, str]) -> dict[str, object]:
    """The mozilla-django-oidc settings (OIDC_*) and Trygg's own (TRYGG_OIDC_*) from the environment.

    Returns {} when single sign-on is off (no TRYGG_OIDC_CLIENT_ID). Raises ConfigError when it is half
    configured: no secret, neither an issuer nor the authorization, token and JWKS endpoints, an unknown
    algorithm or a bad role map.
    """

    def get(name: str, default: str = "") -> str:
        return env.get(name, default).strip()

    client_id = get("TRYGG_OIDC_CLIENT_ID")
    if not client_id:
        return {}
    secret = get("TRYGG_OIDC_CLIENT_SECRET")
    if not secret:
        raise ConfigError("TRYGG_OIDC_CLIENT_SECRET saknas / TRYGG_OIDC_CLIENT_SECRET is missing")
    issuer = get("TRYGG_OIDC_ISSUER").rstrip("/")
    endpoints = {
        "OIDC_OP_AUTHORIZATION_ENDPOINT": get("TRYGG_OIDC_AUTHORIZATION_ENDPOINT"),
        "OIDC_OP_TOKEN_ENDPOINT": get("TRYGG_OIDC_TOKEN_ENDPOINT"),
        "OIDC_OP_USER_ENDPOINT": get("TRYGG_OIDC_USERINFO_ENDPOINT"),
        "OIDC_OP_JWKS_ENDPOINT": get("TRYGG_OIDC_JWKS_ENDPOINT"),
        "OIDC_OP_LOGOUT_ENDPOINT": get("TRYGG_OIDC_END_SESSION_ENDPOINT"),
    }
    needed = ("OIDC_OP_AUTHORIZATION_ENDPOINT", "OIDC_OP_TOKEN_ENDPOINT", "OIDC_OP_JWKS_ENDPOINT")
    if not issuer and not all(endpoints[n] for n in needed):
        raise ConfigError(
            "Sätt TRYGG_OIDC_ISSUER eller TRYGG_OIDC_AUTHORIZATION_ENDPOINT, TRYGG_OIDC_TOKEN_ENDPOINT och "
            "TRYGG_OIDC_JWKS_ENDPOINT / set TRYGG_OIDC_ISSUER or the three endpoints"
        )
    algorithm = get("TRYGG_OIDC_SIGN_ALGO", "RS256")
    if algorithm not in {"RS256", "RS384", "RS512", "ES256", "ES384", "ES512"}:
        raise ConfigError(
            f"TRYGG_OIDC_SIGN_ALGO: ”{algorithm}” stöds inte, använd t.ex. RS256 / ”{algorithm}” is not supported"
        )
    scopes = get("TRYGG_OIDC_SCOPES", DEFAULT_SCOPES)
    if "openid" not in scopes.split():
        raise ConfigError("TRYGG_OIDC_SCOPES måste innehålla openid / TRYGG_OIDC_SCOPES must contain openid")
    return {
        "OIDC_RP_CLIENT_ID": client_id,
        "OIDC_RP_CLIENT_SECRET": secret,
        "OIDC_RP_SIGN_ALGO": algorithm,
        "OIDC_RP_SCOPES": scopes,
        **{name: value for name, value in endpoints.items() if value},
        "TRYGG_OIDC_ISSUER": issuer,
        "TRYGG_OIDC_USERNAME_CLAIM": get("TRYGG_OIDC_USERNAME_CLAIM", "preferred_username"),
        "TRYGG_OIDC_GROUPS_CLAIM": get("TRYGG_OIDC_GROUPS_CLAIM", "groups"),
        "TRYGG_OIDC_ROLE_MAP": parse_role_map(get("TRYGG_OIDC_ROLE_MAP")),
    }


#
# The client's address behind trusted reverse proxies
#


def parse_networks(text: str, variable: str = "TRYGG_TRUSTED_PROXIES") -> tuple:
    """Comma-separated addresses or networks ("10.0.0.5,192.168.1.0/24") as ip_network objects.

    Raises ConfigError naming `variable` for anything that is not an address or a network.
    """
    networks = []
    for raw in text.split(","):
        item = raw.strip()
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ConfigError(
                f"{variable}: ”{item}” är ingen IP-adress eller nät / ”{item}” is not an IP address or network"
            ) from None
    return tuple(networks)


def _trusted(address: str, networks: Iterable) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in net for net in networks)


def client_address(remote_addr: str, forwarded_for: str, trusted: Iterable) -> str:
    """The address the request came from, reading X-Forwarded-For only as far as trusted proxies vouch.

    `remote_addr` is the TCP peer (REMOTE_ADDR); `forwarded_for` the X-Forwarded-For header ("client,
    proxy1, proxy2", each proxy appending the address it received from). If the peer is not a trusted proxy
    the header is ignored (anyone can send it). Otherwise the header is read from the right, skipping
    trusted proxies; the first address that is not one is the client (the same rule as nginx's
    real_ip_recursive and MDN's "X-Forwarded-For, selecting an IP address"). A malformed entry stops the
    walk at the last address vouched for.
    """
    networks = tuple(trusted)
    current = remote_addr
    if not _trusted(current, networks):
        return current
    for hop in reversed([h.strip() for h in forwarded_for.split(",") if h.strip()]):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return current
        current = hop
        if not _trusted(hop, networks):
            return hop
    return current
