"""Sign-in defences and the security log: who tried what, from where, and what the portal refused.

Throttling and lockout of sign-ins are django-axes' (configured in settings: per account and per address, a
cool-down, unlock by staff in the admin's "Access attempts"); this module gives it the client's address and the
lockout page, writes one line per security event to the `gmg_portal.security` logger, ends idle and
over-long sessions, and throttles password-reset requests.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from axes.models import AccessLog
from axes.signals import user_locked_out
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.dispatch import receiver
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import get_resolver
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext, gettext_lazy, ngettext

from api.services import api_token_person, api_token_revoke
from kit.mail import automatic_mail
from kit.security_log import client_address, logger, person_name, security_event
from reminders.feeds import token_revoke

SIGNED_IN_AT = "gmg_signed_in_at"
SEEN_AT = "gmg_seen_at"
# The idle clock is written to the session at most this often, so pages do not write the session each time.
SEEN_RESOLUTION_SECONDS = 60


@receiver(user_login_failed)
def log_failed_sign_in(sender, credentials, request=None, **kwargs):
    security_event("sign-in failed", request, person=credentials.get("username", ""))


@receiver(user_locked_out)
def log_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    security_event("sign-in locked", request, person=username or "", address=ip_address or client_address(request))


@receiver(user_logged_in)
def note_sign_in(sender, request, user, **kwargs):
    """Start the session's clocks; log a sign-in from an address this person has not signed in from before."""
    if request is None:
        return
    now = time.time()
    if hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = now
        request.session[SEEN_AT] = now
    address = client_address(request)
    if not address:
        return
    # Axes' own receiver (its app comes first) has already written this sign-in to the access log.
    earlier = AccessLog.objects.filter(username=user.get_username(), ip_address=address).count()
    if earlier <= 1:
        security_event(
            "signed in from a new address", request, level=logging.INFO, person=user.get_username(), address=address
        )


def lockout_response(request, original_response=None, credentials=None):
    """The sign-in page again, saying why it refuses and what to do (axes' AXES_LOCKOUT_CALLABLE)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    form = AuthenticationForm(request)
    context = {"form": form, "locked_out": True, "cooloff_minutes": minutes, "next": request.POST.get("next", "")}
    return render(request, "registration/login.html", context, status=429)


class SessionLifetimeMiddleware:
    """Ends a session idle longer than GMG_SESSION_IDLE_MINUTES or older than GMG_SESSION_MAX_HOURS."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if session.get("_auth_user_id"):
            now = time.time()
            started, seen = session.get(SIGNED_IN_AT), session.get(SEEN_AT)
            if started is None or seen is None:
                session[SIGNED_IN_AT] = session[SEEN_AT] = now
            else:
                idle = now - seen > settings.GMG_SESSION_IDLE_MINUTES * 60
                too_old = now - started > settings.GMG_SESSION_MAX_HOURS * 3600
                if idle or too_old:
                    reason = (
                        f"after {settings.GMG_SESSION_IDLE_MINUTES} minutes without activity"
                        if idle
                        else f"after {settings.GMG_SESSION_MAX_HOURS} hours"
                    )
                    security_event("session ended", request, person=person_name(request.user), reason=reason)
                    logout(request)
                    if idle:
                        ended = ngettext(
                            "Your session ended after %(count)s minute without activity. Sign in again to go on.",
                            "Your session ended after %(count)s minutes without activity. Sign in again to go on.",
                            settings.GMG_SESSION_IDLE_MINUTES,
                        ) % {"count": settings.GMG_SESSION_IDLE_MINUTES}
                    else:
                        ended = ngettext(
                            "Your session ended after %(count)s hour. Sign in again to go on.",
                            "Your session ended after %(count)s hours. Sign in again to go on.",
                            settings.GMG_SESSION_MAX_HOURS,
                        ) % {"count": settings.GMG_SESSION_MAX_HOURS}
                    messages.info(request, ended)
                    response = redirect_to_login(request.get_full_path())
                    if request.headers.get("HX-Request"):
                        # htmx would swap the sign-in page into a fragment: have it load the whole page instead.
                        response = HttpResponse(status=204)
                        response["HX-Redirect"] = redirect_to_login(request.headers.get("HX-Current-URL", "/")).url
                    return response
                if now - seen >= SEEN_RESOLUTION_SECONDS:
                    session[SEEN_AT] = now
        return self.get_response(request)


BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
TOO_LARGE = gettext_lazy("This request is too large. Sign in first to send files to the portal.")


class AnonymousBodyLimitMiddleware:
    """Someone not signed in only ever posts small forms (sign-in, password reset, the new password): a body
    larger than GMG_ANONYMOUS_BODY_MAX_KB is refused with 413 before any of it is read. Signed-in people's
    uploads (the archive, work plan workbooks, update files) keep their own limits, checked by their forms;
    Django's DATA_UPLOAD_MAX_MEMORY_SIZE caps any form or JSON body read into memory. After
    AuthenticationMiddleware, before any view or process_view (CSRF reads the form) touches the body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in BODY_METHODS and not self._signed_in(request):
            limit = settings.GMG_ANONYMOUS_BODY_MAX_KB * 1024
            if self._too_large(request, limit):
                security_event("request too large", request, person="anonymous", limit_kb=limit // 1024)
                # Nothing more is read here; the server closes the connection or drops the rest (gunicorn's sync
                # workers close after each request).
                return HttpResponse(TOO_LARGE, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def _signed_in(request) -> bool:
        """Signed in, or sending a live API key (the API authenticates it again in the view)."""
        if request.user.is_authenticated:
            return True
        scheme, _, key = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not key.strip():
            return False
        return api_token_person(key.strip()) is not None

    @staticmethod
    def _too_large(request, limit: int) -> bool:
        # Without a Content-Length (a chunked body) Django's WSGI request reads nothing of the body at all.
        try:
            return int(request.META.get("CONTENT_LENGTH") or 0) > limit
        except ValueError:
            return False  # nor of a body whose length it cannot read


class PermissionRefusedMiddleware:
    """A refusal is logged as one line naming the person, the address asked for and the reason (no traceback)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, PermissionDenied):
            return None
        reason = str(exception) or "no reason given"
        security_event(
            "permission refused",
            request,
            person=person_name(getattr(request, "user", None)),
            method=request.method,
            reason=reason,
        )
        response = get_resolver().resolve_error_handler(403)(request, exception=exception)
        # Django would log the 403 again as a bare "Forbidden: /path".
        response._has_been_logged = True
        return response


class RefusedIs400:
    """Django's sign-in forms answer a refused post with the page and its errors as a 200; the portal's forms
    answer 400 (kit.forms_flow), so a refused post reads as refused to people, browsers and tests alike."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class SignInForm(AuthenticationForm):
    """Django's sign-in form with the e-mail address: an invitation tells people to sign in with it (an invited
    account's user name is its e-mail address, groups.services.person_invite); an account of another user name
    (made before invitations, or by `createsuperuser`) signs in with its e-mail address or its user name.

    A value longer than any account's user name is refused before anything looks it up (the lockouts' log keeps
    at most 255 characters of it)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": gettext_lazy(
            "Please enter a correct e-mail address and password. The password is case-sensitive."
        ),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = gettext("E-mail address")
        self.fields["username"].widget.attrs["inputmode"] = "email"

    def clean_username(self):
        username = self.cleaned_data["username"]
        if len(username) > self.username_field.max_length:
            raise ValidationError(
                gettext("An e-mail address has at most %(count)s characters here.")
                % {"count": self.username_field.max_length},
                code="max_length",
            )
        if "@" in username:
            people = get_user_model()._default_manager.filter(email__iexact=username.strip())
            found = list(people.values_list("username", flat=True)[:2])
            if len(found) == 1:  # an address two accounts share names neither: the user name decides
                return found[0]
        return username


# The sign-in form as the page first shows it, rendered once per process (blank_form_html).
_blank_forms: dict[tuple[type, str], str] = {}


def blank_form_html(kind: type, make) -> str:
    """The HTML of an unbound form of class `kind` (`make()` makes one), as `{{ form|crispy }}` writes it. The sign-in
    form as first shown is the same for everyone - no value, no error, no choice read from the record, the CSRF
    token outside it - yet crispy's templates make it the costliest part of the sign-in page, which everyone not
    signed in is sent to: it is rendered once per process, form class and language. A bound form (a refused
    sign-in, with its values and errors) is rendered each time."""
    key = (kind, translation.get_language())  # the same for everyone who reads it in one language
    if key not in _blank_forms:
        from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form

        form = make()
        if type(form) is not kind or form.is_bound or form.initial:
            raise ValueError("Only a blank form of the class named is the same for everyone.")
        _blank_forms[key] = as_crispy_form(form)
    return _blank_forms[key]


class LoginView(RefusedIs400, auth_views.LoginView):
    """Django's sign-in, a refused one answered 400. The page as first shown writes the blank form's kept HTML
    (blank_form_html) and makes the form itself only if something reads it."""

    authentication_form = SignInForm

    def get(self, request, *args, **kwargs):
        if self.get_initial() or self.get_prefix():
            return super().get(request, *args, **kwargs)
        blank = blank_form_html(self.get_form_class(), self.get_form)
        return self.render_to_response(self.get_context_data(form=SimpleLazyObject(self.get_form), blank_form=blank))


class MaximumLengthValidator:
    """A password of at most this many characters: hashing a longer one only costs the server time."""

    def __init__(self, max_length: int = 1024):
        self.max_length = max_length

    def validate(self, password, user=None):
        if len(password) > self.max_length:
            raise ValidationError(
                gettext("This password is too long: at most %(count)s characters.") % {"count": self.max_length},
                code="password_too_long",
            )

    def get_help_text(self):
        return gettext("Your password can have at most %(count)s characters.") % {"count": self.max_length}


class NewPasswordForm(SetPasswordForm):
    """The new password, and whether to end the other ways in: someone who reset a password because it leaked
    may have had the API key and calendar link taken with it (ticked by default)."""

    end_other_credentials = forms.BooleanField(
        label=gettext_lazy("Also end my API keys and calendar links"),
        help_text=gettext_lazy(
            "Programs and calendars using them stop working; you can make new ones after signing in."
        ),
        required=False,
        initial=True,
    )


def credentials_end(*, person) -> dict[str, int]:
    """End a person's API key and calendar link (feed token); how many of each were live."""
    return {"api_keys": api_token_revoke(person=person), "calendar_links": token_revoke(person=person)}


class PasswordResetConfirmView(RefusedIs400, auth_views.PasswordResetConfirmView):
    """Django's new-password form behind the one-time link, a refused password answered 400; a security event
    says the password was reset, and whether (and which) other credentials were ended with it."""

    form_class = NewPasswordForm

    def form_valid(self, form):
        response = super().form_valid(form)
        person = form.user
        ended = credentials_end(person=person) if form.cleaned_data.get("end_other_credentials") else None
        security_event(
            "password reset",
            self.request,
            level=logging.INFO,
            person=person.get_username(),
            other_credentials="ended" if ended is not None else "kept",
            **({f"ended_{kind}": count for kind, count in ended.items()} if ended else {}),
        )
        return response


class ResetRequestForm(PasswordResetForm):
    """Django's password-reset request, its mail made like every mail of the portal (kit.mail)."""

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        html = render_to_string(html_email_template_name, context) if html_email_template_name else None
        message = automatic_mail(
            subject=subject,
            body=render_to_string(email_template_name, context),
            html=html,
            to=[to_email],
            from_email=from_email,
        )
        try:
            message.send()
        except Exception:  # noqa: BLE001 - as Django does: the page must not tell whether the address exists
            logger.exception("The password-reset mail to person %s could not be sent.", context["user"].pk)


class ThrottledPasswordResetView(RefusedIs400, auth_views.PasswordResetView):
    """Django's password reset, refused with a clear message after too many requests for an address or e-mail."""

    form_class = ResetRequestForm
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form):
        limit = settings.GMG_PASSWORD_RESET_LIMIT
        window = int(timedelta(hours=1).total_seconds())
        email = form.cleaned_data["email"].strip().lower()
        keys = [f"password-reset:address:{client_address(self.request)}", f"password-reset:email:{email}"]
        try:
            counts = []
            for key in keys:
                cache.add(key, 0, window)
                counts.append(cache.incr(key))
        except Exception:  # noqa: BLE001 - a cache outage must not stop people from resetting a password
            logger.exception("The password-reset throttle could not reach its cache; the request goes through.")
            counts = [0]
        if max(counts) > limit:
            security_event("password reset throttled", self.request, person=email)
            form.add_error(
                None,
                gettext(
                    "Too many password-reset requests for this address or e-mail (at most %(limit)s an hour). "
                    "Try again in an hour, or ask the GMG support team."
                )
                % {"limit": limit},
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        security_event("password reset requested", self.request, level=logging.INFO, person=email)
        self.extra_email_context = {"site_url": settings.SITE_URL}
        return super().form_valid(form)


def password_reset_views():
    """The URL patterns of the password reset, in the portal's templates."""
    from django.urls import path

    return [
        path("accounts/password-reset/", ThrottledPasswordResetView.as_view(), name="password_reset"),
        path(
            "accounts/password-reset/sent/",
            auth_views.PasswordResetDoneView.as_view(),
            name="password_reset_done",
        ),
        path(
            "accounts/reset/<uidb64>/<token>/",
            PasswordResetConfirmView.as_view(),
            name="password_reset_confirm",
        ),
        path(
            "accounts/reset/done/",
            auth_views.PasswordResetCompleteView.as_view(),
            name="password_reset_complete",
        ),
    ]
