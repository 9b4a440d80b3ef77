"""`{% load attachments %}{% attachment_panel obj %}`: an object's attachments, and an upload form.

Works for every model registered with `trygg.core.attachments.register` (sites, cameras, projects,
the three assessments, signs). Lists kind, file name (a download link), size, description, who
uploaded and when; users who may change the object also get the upload form and delete links.
Renders nothing for users who may not see the object's attachments. A constant number of queries,
however many attachments there are.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.urls import reverse

from trygg.core import attachments
from trygg.core.attachment_views import AttachmentForm, accepted_text
from trygg.core.attachments import limit_text

register = template.Library()


@register.inclusion_tag("attachments/panel.html", takes_context=True)
def attachment_panel(context: template.Context, obj: models.Model) -> dict[str, Any]:
    """The attachment panel of `obj` for the signed-in user of the page being rendered."""
    owner = attachments.owner_for(obj)
    if owner is None:
        raise ImproperlyConfigured(
            f"{type(obj).__name__} takes no attachments; register it with trygg.core.attachments.register()"
        )
    request = context["request"]
    user = request.user
    if not attachments.may_see(user, obj):
        return {"visible": False}
    items = list(attachments.attachments_of(obj))
    may_change = attachments.may_change(user, obj)
    refusal = attachments.deletion_refusal(obj) if may_change and items else None
    return {
        "visible": True,
        "items": items,
        "heading_id": f"bilagor-{owner.slug}-{obj.pk}",
        "may_delete": may_change and not refusal,
        "refusal": refusal,
        "form": AttachmentForm(initial={"kind": owner.default_kind}) if may_change else None,
        "upload_url": reverse("attachments:upload", args=[owner.slug, obj.pk]),
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
        "limit": limit_text(),
        "accepted": accepted_text(),
    }
