"""The user's own page of e-mail reminders (/konto/paminnelser/)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.core import roles
from trygg.core.access import requires
from trygg.notifications import services
from trygg.notifications.forms import PreferenceForm
from trygg.notifications.models import ReminderPreference, SentReminder

RECENT = 10


@requires(roles.has_role)
def preferences(request: HttpRequest) -> HttpResponse:
    """Choose the kinds of reminder, days ahead, language and address; see what the next e-mail holds."""
    saved = ReminderPreference.objects.select_related("user").filter(user=request.user).first()
    preference = saved or services.default_preference(request.user)
    today = timezone.localdate()
    # What the next run would send, from the choice as it stands (before the form touches the instance).
    pending = services.pending_for(preference, today)
    form = PreferenceForm(request.POST or None, instance=preference, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Dina val av påminnelser är sparade."))
        return redirect("notifications:preferences")
    context = {
        "form": form,
        "saved": saved is not None,
        "today": today,
        "pending": [(services.kind_label(kind), items) for kind, items in services.selection.grouped(pending)],
        "recent": SentReminder.objects.filter(user=request.user)[:RECENT],
    }
    return render(request, "notifications/preferences.html", context)
