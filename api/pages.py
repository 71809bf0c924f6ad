"""The person's own API key page: create (the key shown once), see when it was last used, revoke."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from api import services
from api.forms import ApiKeyForm
from api.models import ApiToken
from kit.security_log import security_event

# The key in clear lives in the session only until the page after the post shows it, once.
SHOWN_ONCE = "api_key_shown_once"


@login_required
@require_http_methods(["GET", "POST"])
def api_key(request):
    """Only the signed-in person's own key can be reached from here: nobody creates or revokes another's."""
    form = ApiKeyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not form.is_valid():
            messages.error(request, _("This form was not understood; reload the page and try again."))
            return redirect("api_key")
        if form.cleaned_data["action"] == "create":
            token, key = services.api_token_create(person=request.user, form_token=form.cleaned_data["token"])
            if key is None:
                messages.info(request, _("This key was already created; it was shown once, when it was made."))
            else:
                request.session[SHOWN_ONCE] = key
                security_event(
                    "API key created",
                    request,
                    level=logging.INFO,
                    person=request.user.get_username(),
                    prefix=token.prefix,
                )
                messages.success(request, _("Your new key is made; any key you had before no longer works."))
        else:
            revoked = services.api_token_revoke(person=request.user)
            if revoked:
                security_event("API key revoked", request, level=logging.INFO, person=request.user.get_username())
            messages.success(
                request, _("Your key is revoked; it no longer works.") if revoked else _("You have no key.")
            )
        return redirect("api_key")
    return render(
        request,
        "api/api_key.html",
        {
            "form": ApiKeyForm(),
            "key": request.session.pop(SHOWN_ONCE, None),
            "live": ApiToken.objects.filter(person=request.user, revoked_at__isnull=True).first(),
            "revoked": ApiToken.objects.filter(person=request.user, revoked_at__isnull=False)[:5],
        },
    )
