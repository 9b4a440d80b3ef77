"""Who may do what with the yearly reviews (predicates for `trygg.core.access.requires`).

- read the due list, the reviews and a camera's history: every signed-in role (the administration
  contact only its administration's cameras, see `review_services.visible_reviews`);
- decide a review (keep / change / remove): the officer and the admin, who keep the cameras;
- mark a review as noted: the data protection officer only — the note is the DPO's own statement.
"""

from typing import Any

import rules

from trygg.core.roles import Role, roles_of


@rules.predicate
def reads_reviews(user: Any) -> bool:
    """Reads reviews: admin, officer, DPO, reader; the administration contact (own administration)."""
    return bool(roles_of(user))


@rules.predicate
def decides_reviews(user: Any) -> bool:
    """Decides the yearly review of a camera: the unit Trygghet och säkerhet and the admin."""
    return bool(roles_of(user) & {Role.ADMIN, Role.OFFICER})


@rules.predicate
def notes_reviews(user: Any) -> bool:
    """Marks a decided review as noted: the data protection officer (dataskyddsombud) only."""
    return Role.DPO in roles_of(user)
