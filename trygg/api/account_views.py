"""The user's own API keys (/konto/api-nycklar/): create (the key is shown once), rename and revoke."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from trygg.api.forms import NewTokenForm
from trygg.api.models import ApiToken
from trygg.core import roles
from trygg.core.access import requires


@requires(roles.has_role)
# The new key is on the page once: no copy may stay in a browser's or proxy's cache.
@never_cache
def token_list(request: HttpRequest) -> HttpResponse:
    """The user's keys; POST creates one and shows it once."""
    form = NewTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        token, new_key = ApiToken.issue(request.user, form.cleaned_data["name"])
        messages.success(request, _("API-nyckeln ”%(name)s” är skapad.") % {"name": token.name})
        form = NewTokenForm()
    context = {
        "form": form,
        "new_key": new_key,
        "tokens": ApiToken.objects.filter(user=request.user),
    }
    return render(request, "api/tokens.html", context, status=400 if form.errors else 200)


@require_POST
@requires(roles.has_role)
def token_rename(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user, revoked_at__isnull=True)
    form = NewTokenForm(request.POST, instance=token)
    if form.is_valid():
        form.save()
        messages.success(request, _("API-nyckeln heter nu ”%(name)s”.") % {"name": token.name})
    else:
        for error in form.errors.get("name", []):
            messages.error(request, error)
    return redirect("api_keys:list")


@require_POST
@requires(roles.has_role)
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    token.revoke()
    messages.success(
        request, _("API-nyckeln ”%(name)s” är återkallad och fungerar inte längre.") % {"name": token.name}
    )
    return redirect("api_keys:list")
