"""Extension points other apps use to take part in a camera's life without cameras importing them.

- `change_checks`: called from `Camera.clean()` with (the stored camera or None, the edited camera);
  each returns Swedish messages that stop the edit, keyed by field name ("__all__" for the form).
- `trygg.cameras.services.pre_move_checks`: called before a life-cycle move.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

ChangeCheck = Callable[[Any, Any], dict[str, list[str]]]
change_checks: list[ChangeCheck] = []
