"""Who may use the need pages, as predicates over the roles and model permissions of trygg.core.roles.

- everyone with a role sees the need profile of the sites they may see (the contact: its own
  administration's; readers: aggregates only, no descriptions or K-nummer);
- the ranking is for those who see all sites and for readers (it names sites, never addresses);
- incidents are recorded and imported by whoever may add incidents (admin, officer, and the
  administration contact for its own sites: MODEL_PERMISSIONS);
- import sources and their remembered column mapping are shared: only officers and admins create or
  change them (`manages_import_sources`); a contact imports with an existing source;
- the list of incidents, with descriptions, is for the staff roles.
"""

from __future__ import annotations

from typing import Any

import rules

from trygg.core import roles


@rules.predicate
def may_record_incidents(user: Any) -> bool:
    return bool(roles.roles_of(user)) and user.has_perm("incidents.add_incident")


@rules.predicate
def manages_import_sources(user: Any) -> bool:
    """Creates import sources and changes their shared column mapping: officers and admins.

    A source's mapping is shared by everyone importing from it; an administration contact imports with
    an existing source and its choice of columns applies to its own file only.
    """
    return bool(roles.roles_of(user)) and user.has_perm("incidents.change_incidentsource")


@rules.predicate
def is_reader(user: Any) -> bool:
    return roles.Role.READER in roles.roles_of(user)


sees_ranking = roles.sees_all_sites | is_reader
sees_need = roles.has_role
sees_incident_details = roles.is_staff_role
