"""Roles and what each may do: the one place where access is decided (DESIGN.md, "Who uses it").

A role is a Django group with the same code name. Pages outside the admin name a predicate from
here (see `trygg.core.access`); the admin uses the model permissions granted below, and scopes the
administration contact's lists to the administration's own sites with `scope_queryset`.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db import models
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Systemförvaltare")
    OFFICER = "officer", _("Handläggare, Trygghet och säkerhet")
    ADMINISTRATION_CONTACT = "administration_contact", _("Förvaltningskontakt")
    DPO = "dpo", _("Dataskyddsombud")
    READER = "reader", _("Läsare (nämnd och ledning)")


# Roles that work in the administrative interface.
STAFF_ROLES = frozenset({Role.ADMIN, Role.OFFICER, Role.ADMINISTRATION_CONTACT, Role.DPO})

ALL = ("add", "change", "delete", "view")
VIEW = ("view",)
ADD_CHANGE_VIEW = ("add", "change", "view")

# Model permissions per role, by model label. The admin role is superuser and needs no list.
MODEL_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    Role.OFFICER: {
        "core.organisation": VIEW,
        "core.administration": VIEW,
        "core.objectchange": VIEW,
        "core.auditverification": VIEW,
        "sites.site": ALL,
        "sites.zone": ALL,
        "sites.building": ALL,
        "sites.measure": ALL,
        "sites.dialoguenote": ALL,
        "cameras.camera": ALL,
        "cameras.cameratransition": VIEW,
        "cameras.privacymask": ADD_CHANGE_VIEW,
        "programme.assignment": ALL,
        "programme.project": ALL,
        "programme.reportingpoint": ALL,
        "programme.indicator": ALL,
        "programme.indicatortarget": ALL,
        "programme.budgetallocation": ALL,
        "programme.costentry": ALL,
        "programme.deadline": ALL,
        "reports.boardreport": ADD_CHANGE_VIEW,
        "reports.boardreportversion": VIEW,
        "compliance.surveillanceassessment": ALL,
        "compliance.impactassessment": ALL,
        "compliance.dpiarisk": ALL,
        "compliance.dpiameasure": ALL,
        "compliance.childrightsassessment": ALL,
        "compliance.sign": ALL,
        "compliance.legacypermit": ALL,
        "compliance.processingrecord": ADD_CHANGE_VIEW,
        "incidents.incident": ALL,
        "incidents.incidentsource": ALL,
        "incidents.harmweight": ALL,
        "incidents.importrun": VIEW,
    },
    Role.DPO: {
        "core.organisation": VIEW,
        "core.administration": VIEW,
        "core.objectchange": VIEW,
        "core.auditverification": VIEW,
        "sites.site": VIEW,
        "sites.zone": VIEW,
        "sites.building": VIEW,
        "sites.measure": VIEW,
        "sites.dialoguenote": VIEW,
        "cameras.camera": VIEW,
        "cameras.cameratransition": VIEW,
        "cameras.privacymask": VIEW,
        "programme.assignment": VIEW,
        "programme.project": VIEW,
        "programme.reportingpoint": VIEW,
        "programme.indicator": VIEW,
        "programme.indicatortarget": VIEW,
        "programme.budgetallocation": VIEW,
        "programme.costentry": VIEW,
        "programme.deadline": VIEW,
        "reports.boardreport": VIEW,
        "reports.boardreportversion": VIEW,
        # The DPO advises on and decides assessments but does not write them (DESIGN.md, roles).
        "compliance.surveillanceassessment": ("view", "approve"),
        "compliance.impactassessment": ("view", "change", "approve", "advise"),
        "compliance.dpiarisk": VIEW,
        "compliance.dpiameasure": VIEW,
        "compliance.childrightsassessment": ("view", "approve"),
        "compliance.sign": VIEW,
        "compliance.legacypermit": VIEW,
        "compliance.processingrecord": VIEW,
        "incidents.incident": VIEW,
        "incidents.incidentsource": VIEW,
        "incidents.harmweight": VIEW,
        "incidents.importrun": VIEW,
    },
    Role.ADMINISTRATION_CONTACT: {
        "sites.site": VIEW,
        "sites.zone": VIEW,
        "sites.building": VIEW,
        "sites.measure": ADD_CHANGE_VIEW,
        "sites.dialoguenote": ADD_CHANGE_VIEW,
        "cameras.camera": VIEW,
        "cameras.cameratransition": VIEW,
        "cameras.privacymask": VIEW,
        "programme.project": VIEW,
        # Contacts record and import incidents at their own administration's sites (DESIGN.md, roles).
        "incidents.incident": ADD_CHANGE_VIEW,
        "incidents.incidentsource": VIEW,
    },
    Role.READER: {},
}


def roles_of(user: Any) -> frozenset[str]:
    """The user's role codes, cached on the user object for the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_trygg_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True)) & frozenset(Role.values)
        if user.is_superuser:
            cached |= {Role.ADMIN}
        user._trygg_roles = cached
    return cached


def administration_ids(user: Any) -> frozenset[int]:
    """Administrations whose sites an administration contact may see."""
    cached = getattr(user, "_trygg_administration_ids", None)
    if cached is None:
        cached = frozenset(user.administrations.values_list("pk", flat=True))
        user._trygg_administration_ids = cached
    return cached


def sees_everything(user: Any) -> bool:
    return bool(roles_of(user) & {Role.ADMIN, Role.OFFICER, Role.DPO})


def scope_queryset(user: Any, queryset: models.QuerySet) -> models.QuerySet:
    """Limit `queryset` to what `user` may see: everything, own administration's objects, or nothing."""
    if sees_everything(user):
        return queryset
    lookup = getattr(queryset.model, "administration_lookup", None)
    if Role.ADMINISTRATION_CONTACT in roles_of(user) and lookup:
        return queryset.filter(**{f"{lookup}__in": administration_ids(user)})
    return queryset.none()


#
# Predicates for pages outside the admin
#


@rules.predicate
def has_role(user: Any) -> bool:
    return bool(roles_of(user))


@rules.predicate
def is_staff_role(user: Any) -> bool:
    return bool(roles_of(user) & STAFF_ROLES)


@rules.predicate
def sees_all_sites(user: Any) -> bool:
    return sees_everything(user)


@rules.predicate
def edits_register(user: Any) -> bool:
    """Creates and edits sites, cameras and projects: the unit Trygghet och säkerhet and the admin."""
    return bool(roles_of(user) & {Role.ADMIN, Role.OFFICER})


@rules.predicate
def writes_assessments(user: Any) -> bool:
    """Writes the 9 § assessment, the DPIA and the child-rights assessment and submits them for decision."""
    return bool(roles_of(user) & {Role.ADMIN, Role.OFFICER})


@rules.predicate
def decides_assessments(user: Any) -> bool:
    """Advises on and approves or rejects assessments: the DPO, or the admin acting as DPO (recorded so)."""
    return bool(roles_of(user) & {Role.ADMIN, Role.DPO})


@rules.predicate
def adds_site_notes(user: Any) -> bool:
    """Adds measures tried and dialogue notes (the administration contact on its own sites)."""
    return bool(roles_of(user) & {Role.ADMIN, Role.OFFICER, Role.ADMINISTRATION_CONTACT})


@rules.predicate
def follows_programme(user: Any) -> bool:
    """Reads the follow-up: indicator, budget, deadlines and frozen board reports (not the contact)."""
    return bool(roles_of(user) & {Role.ADMIN, Role.OFFICER, Role.DPO, Role.READER})


@rules.predicate
def writes_reports(user: Any) -> bool:
    """Drafts, edits and freezes board reports and keeps the budget and deadlines."""
    return bool(roles_of(user) & {Role.ADMIN, Role.OFFICER})


public = rules.always_allow


#
# Keeping the groups in step with MODEL_PERMISSIONS
#


def sync_role_groups(**kwargs: Any) -> None:
    """Create one group per role and give it exactly the permissions in MODEL_PERMISSIONS."""
    from django.contrib.auth.models import Group, Permission

    for role in Role:
        group, _created = Group.objects.get_or_create(name=role.value)
        wanted = []
        for label, actions in MODEL_PERMISSIONS.get(role, {}).items():
            app_label, model = label.split(".")
            for action in actions:
                wanted.append((app_label, f"{action}_{model}"))
        wanted_set = set(wanted)
        permissions = [
            permission
            for permission in Permission.objects.filter(
                content_type__app_label__in={a for a, _c in wanted}
            ).select_related("content_type")
            if (permission.content_type.app_label, permission.codename) in wanted_set
        ]
        group.permissions.set(permissions)


def connect_signals() -> None:
    post_migrate.connect(sync_role_groups, dispatch_uid="trygg_sync_role_groups")
