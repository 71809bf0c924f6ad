"""The support team's optional second sign-in step: a six-digit code from an authenticator app (TOTP).

Support staff keep the whole record, so a stolen password of theirs is worth more than anyone's: each of them may
turn on a second step from their own page (`two_factor`). Once it is on, signing in with the password leads to
one more page (`two_factor_verify`) that asks for the code; until it is given, every other page - the API through
the session, the admin, htmx fragments - leads back there, and only signing out is open. Wrong codes are
throttled by django-otp (each failure doubles the wait) and logged as security events, like failed sign-ins.

A lost phone: an administrator removes the person's device in the admin ("TOTP devices"); the person then signs
in with the password alone and sets the step up again. API keys are unchanged: a key is its own credential.
"""

from __future__ import annotations

import logging
from base64 import b32encode
from binascii import unhexlify
from urllib.parse import urlencode

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_http_methods
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from groups.access import is_support
from kit.access import require
from kit.security_log import person_name, security_event

# In the session: the key being set up (shown as a QR code until a first code confirms it), that this sign-in
# still owes its second step, and the device that gave it.
PENDING_KEY = "gmg_totp_pending_key"
NEEDED = "gmg_second_factor_needed"
DONE = "gmg_second_factor_done"
DEVICE_NAME = "Authenticator app"
# A code is accepted one 30-second step early or late (a phone's clock drifts).
TOLERANCE = 1


def confirmed_device(person) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=person, confirmed=True).order_by("pk").first()


def pending(request) -> bool:
    """True while a signed-in session still owes its second step."""
    session = getattr(request, "session", None)
    return bool(session is not None and session.get(NEEDED) and not session.get(DONE))


def context(request) -> dict:
    """The layout hides the navigation while the code is still owed (it would lead back to the code page)."""
    return {"second_step_pending": pending(request)}


@receiver(user_logged_in)
def ask_for_the_second_step(sender, request, user, **kwargs):
    """A person with a confirmed device owes the code on every sign-in (one query, at sign-in only)."""
    if request is None or not hasattr(request, "session"):
        return
    request.session.pop(DONE, None)
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        request.session[NEEDED] = True
    else:
        request.session.pop(NEEDED, None)


class SecondFactorMiddleware:
    """Until the code is given, every page but the code page and signing out leads to the code page."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._open: tuple[str, ...] | None = None

    def open_paths(self) -> tuple[str, ...]:
        if self._open is None:
            self._open = (reverse("two_factor_verify"), reverse("logout"), reverse("healthz"))
        return self._open

    def __call__(self, request):
        if pending(request) and request.user.is_authenticated and request.path not in self.open_paths():
            target = f"{reverse('two_factor_verify')}?{urlencode({'next': request.get_full_path()})}"
            if request.headers.get("HX-Request"):
                # htmx would swap the code page into a fragment: have it load the whole page instead.
                response = HttpResponse(status=204)
                response["HX-Redirect"] = target
                return response
            return redirect(target)
        return self.get_response(request)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Six-digit code"),
        help_text=gettext_lazy("From the authenticator app on your phone; it changes every 30 seconds."),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not (len(code) == 6 and code.isascii() and code.isdigit()):
            raise forms.ValidationError(gettext("Type the six digits the app shows, for example 123456."))
        return code


def _qr_data_uri(key_hex: str, person) -> tuple[str, str]:
    """The otpauth address as a QR code (an SVG data URI the page's CSP allows) and the key to type instead."""
    secret = b32encode(unhexlify(key_hex)).decode()
    device = TOTPDevice(user=person, key=key_hex)
    return segno.make(device.config_url, error="m").svg_data_uri(scale=4), secret


def _totp(key_hex: str) -> TOTP:
    return TOTP(unhexlify(key_hex.encode()))


def _safe_next(request, fallback: str) -> str:
    """A path of this portal to go on to after the code (anything else - another site, a bare word - is dropped)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request):
    """The support officer's own page: turn the second step on (scan, confirm with a code) or off (with a code)."""
    require(
        is_support(request.user),
        gettext("The second sign-in step is offered to the support team, who keep the whole record."),
    )
    device = confirmed_device(request.user)
    form = CodeForm(request.POST) if request.method == "POST" else CodeForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "turn_on" and device is None:
            key = request.session.get(PENDING_KEY)
            if key is None:
                messages.error(request, gettext("This page was out of date; scan the new code below and try again."))
                return redirect("two_factor")
            if form.is_valid():
                totp = _totp(key)
                if totp.verify(int(form.cleaned_data["code"]), tolerance=TOLERANCE):
                    with transaction.atomic():
                        # A second post of the same form finds the device the first one made.
                        device, made = TOTPDevice.objects.get_or_create(
                            user=request.user,
                            confirmed=True,
                            defaults={"name": DEVICE_NAME, "key": key, "last_t": totp.t(), "tolerance": TOLERANCE},
                        )
                    request.session.pop(PENDING_KEY, None)
                    request.session[NEEDED] = True
                    request.session[DONE] = device.persistent_id
                    if made:
                        security_event(
                            "second step turned on", request, level=logging.INFO, person=person_name(request.user)
                        )
                    messages.success(
                        request, gettext("The second sign-in step is on: each sign-in now asks for a code.")
                    )
                    return redirect("two_factor")
                form.add_error(
                    "code", gettext("That code does not match. Check the phone's clock and type the newest code.")
                )
            status = 400
        elif action == "turn_off" and device is not None:
            if form.is_valid() and _verify(request, device, form):
                TOTPDevice.objects.filter(user=request.user).delete()
                for name in (NEEDED, DONE, PENDING_KEY):
                    request.session.pop(name, None)
                security_event("second step turned off", request, person=person_name(request.user))
                messages.success(request, gettext("The second sign-in step is off: the password alone signs you in."))
                return redirect("two_factor")
            status = 400
        else:
            messages.info(request, gettext("Nothing to do: the page was out of date. Here is how things stand now."))
            return redirect("two_factor")
    context = {"device": device, "form": form}
    if device is None:
        key = request.session.get(PENDING_KEY) or random_hex(20)
        request.session[PENDING_KEY] = key
        context["qr"], context["secret"] = _qr_data_uri(key, request.user)
    return render(request, "registration/two_factor.html", context, status=status)


def _verify(request, device: TOTPDevice, form: CodeForm) -> bool:
    """Check the code against the person's device, throttled; a refusal is put on the form and logged."""
    with transaction.atomic():
        # One check at a time per device, so a code is used once and the failure count is exact.
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        allowed, detail = device.verify_is_allowed()
        if not allowed:
            wait = ""
            if detail and detail.get("locked_until"):
                seconds = max(1, int((detail["locked_until"] - timezone.now()).total_seconds()))
                wait = " " + gettext("Wait %(count)s seconds before the next try.") % {"count": seconds}
            form.add_error("code", gettext("Too many wrong codes in a row.") + wait)
            security_event("second step throttled", request, person=person_name(request.user))
            return False
        if device.verify_token(form.cleaned_data["code"]):
            return True
    form.add_error("code", gettext("That code is not right. Type the newest code the app shows."))
    security_event("second step failed", request, person=person_name(request.user))
    return False


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    """The code page after the password: the one page open while a sign-in still owes its second step."""
    target = _safe_next(request, reverse(settings.LOGIN_REDIRECT_URL))
    if not pending(request):
        return HttpResponseRedirect(target)
    device = confirmed_device(request.user)
    if device is None:  # removed by an administrator meanwhile: the password alone signs in
        request.session.pop(NEEDED, None)
        return HttpResponseRedirect(target)
    form = CodeForm(request.POST) if request.method == "POST" else CodeForm()
    status = 200
    if request.method == "POST":
        if form.is_valid() and _verify(request, device, form):
            request.session[DONE] = device.persistent_id
            security_event("second step passed", request, level=logging.INFO, person=person_name(request.user))
            return HttpResponseRedirect(target)
        status = 400
    return render(
        request,
        "registration/two_factor_verify.html",
        {"form": form, "next": _safe_next(request, "")},
        status=status,
    )
