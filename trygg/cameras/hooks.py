"""Extension points other apps use to take part in a camera's life without cameras importing them.

- `change_checks`: called from `Camera.clean()` with (the stored camera or None, the edited camera);
  each returns Swedish messages that stop the edit, keyed by field name ("__all__" for the form).
- `detail_panels`: extra sections on the camera's page (the compliance checklist, say).
- `refusal_help`: when a move is refused, a short list of what is missing with links to the pages
  that fix it (the compliance gate), shown beside the refusal.
- `coverage_recomputed`: called with the pks of cameras whose stored coverage was just recomputed
  (the stored checklists follow it).
- `trygg.cameras.services.pre_move_checks`: called before a life-cycle move.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

ChangeCheck = Callable[[Any, Any], dict[str, list[str]]]
change_checks: list[ChangeCheck] = []

# Panels other apps add to the camera's page: (request, camera) -> rendered HTML or None.
DetailPanel = Callable[[Any, Any], str | None]
detail_panels: list[DetailPanel] = []

# Help beside a refused move: (request, camera, target state value, date) -> rendered HTML or None.
RefusalHelp = Callable[[Any, Any, str, Any], str | None]
refusal_help: list[RefusalHelp] = []

# After `trygg.cameras.coverage.recompute` stored new coverage: (list of camera pks) -> None.
CoverageRecomputed = Callable[[list[int]], None]
coverage_recomputed: list[CoverageRecomputed] = []
