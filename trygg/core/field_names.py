"""Readable Swedish names for posted fields, for messages that are written before any form has run.

The input limits (`trygg.core.limits`, `InputLimitsMiddleware`) refuse a value before the view's form
sees it, so they know only the raw name (`geometry`, `form-0-site`, `page_size`). A message must name
the field by the label the user sees, never the internal name. In order of trust:

1. the form the view declares with `labels_from(FormClass)` (its field's label);
2. a model field of that name in the view's app, when the app's models agree on one label;
3. a model field of that name anywhere in Trygg, when all agree;
4. the table of query parameters and request parts below;
otherwise None, and the message speaks of "a field" without naming it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

from django.apps import apps
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

View = TypeVar("View", bound=Callable[..., Any])

# Names that are no model field: list and map parameters, and the body of an API request.
OTHER_NAMES = {
    "q": _("Sök"),
    "page": _("Sida"),
    "page_size": _("Antal per sida"),
    "sort": _("Sortering"),
    "order": _("Sortering"),
    "bbox": _("Kartans utsnitt"),
    "body": _("Förfrågans innehåll (JSON)"),
    "next": _("Sidan att gå till efteråt"),
    "plats": _("Plats"),
    "ar": _("År"),
}

# A formset's rows post "<prefix>-<n>-<name>"; the label is the name's.
_ROW_PREFIX = re.compile(r"^(?:[\w]+-)?\d+-")


def labels_from(form_class: type) -> Callable[[View], View]:
    """Decorator: the view's form, whose labels name refused fields (see `label_of`)."""

    def decorate(view: View) -> View:
        view.input_form = form_class  # type: ignore[attr-defined]
        return view

    return decorate


def _model_label(name: str, app_label: str | None) -> str | None:
    """The one verbose name the models give `name` (in `app_label` only, when given), or None."""
    labels = set()
    for model in apps.get_models():
        if app_label and model._meta.app_label != app_label:
            continue
        if not model.__module__.startswith("trygg."):
            continue
        try:
            field = model._meta.get_field(name)
        except Exception:  # noqa: S112 (FieldDoesNotExist; reverse relations have no verbose name)
            continue
        verbose = getattr(field, "verbose_name", None)
        if verbose:
            labels.add(str(capfirst(verbose)))
    return labels.pop() if len(labels) == 1 else None


def label_of(name: str, view: Callable[..., Any] | None = None) -> str | None:
    """The Swedish label of the posted field `name` for `view` (a view function), or None if unknown."""
    bare = _ROW_PREFIX.sub("", name)
    form_class = getattr(view, "input_form", None)
    if form_class is not None:
        field = getattr(form_class, "base_fields", {}).get(bare)
        if field is not None and field.label:
            return str(field.label)
    module = getattr(view, "__module__", "") or ""
    parts = module.split(".")
    app_label = parts[1] if len(parts) > 1 and parts[0] == "trygg" else None
    label = (_model_label(bare, app_label) if app_label else None) or _model_label(bare, None)
    if label:
        return label
    other = OTHER_NAMES.get(bare)
    return str(other) if other is not None else None
