"""Pages of the reminders: the calendar feeds people subscribe to, the feed link page, and the in-app notices.

A person's feed sits behind a secret token in its address (Outlook and Google Calendar cannot sign in); the
person sees, copies, regenerates or revokes it. The group and GMG feeds are for signed-in people, or for a
calendar application given an address with a live token in its path (never in the query string, which ends
up in access logs). Notices are the person's own: reading or marking another
person's notice answers 404.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from groups.models import Group, Person
from kit.access import require
from meetings.access import can_watch_delivery
from reminders import calendar, sweep
from reminders.models import CalendarToken, Notice

NOTICES_PER_PAGE = 50


# -- tokens ---------------------------------------------------------------------------------------------------


def live_token(person: Person) -> CalendarToken | None:
    return CalendarToken.objects.filter(person=person, revoked_at__isnull=True).first()


@transaction.atomic
def token_renew(*, person: Person) -> CalendarToken:
    """Revoke the person's live token, if any, and issue a new one (one live token per person, a constraint)."""
    CalendarToken.objects.filter(person=person, revoked_at__isnull=True).update(revoked_at=timezone.now())
    return CalendarToken.objects.create(person=person, token=secrets.token_urlsafe(32))


def token_revoke(*, person: Person) -> int:
    return CalendarToken.objects.filter(person=person, revoked_at__isnull=True).update(revoked_at=timezone.now())


def person_for_token(token: str | None) -> Person | None:
    if not token or len(token) > 64:
        return None
    found = (
        CalendarToken.objects.filter(token=token, revoked_at__isnull=True, person__is_active=True)
        .select_related("person", "person__agency")
        .first()
    )
    return found.person if found else None


def _ics(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=300"
    return response


FEED_REFUSED = gettext_lazy(
    "Sign in, or subscribe with your own address of this calendar (on the portal's calendar feed page)."
)


def _reader(request, token: str | None) -> Person | None:
    if token is not None:
        person = person_for_token(token)
        if person is None:
            raise Http404(_("This calendar address is not valid or was revoked."))
        return person
    return request.user if request.user.is_authenticated else None


# -- feeds ----------------------------------------------------------------------------------------------------


@require_GET
def person_feed(request, token: str):
    person = person_for_token(token)
    if person is None:
        raise Http404(_("This calendar address is not valid or was revoked."))
    return _ics(calendar.person_feed(person), "gmg-my-calendar.ics")


@require_GET
def gmg_feed(request, token: str | None = None):
    if _reader(request, token) is None:
        return HttpResponse(str(FEED_REFUSED), status=403)
    return _ics(calendar.gmg_feed(), "gmg-calendar.ics")


@require_GET
def group_feed(request, slug: str, token: str | None = None):
    if _reader(request, token) is None:
        return HttpResponse(str(FEED_REFUSED), status=403)
    group = get_object_or_404(Group, slug=slug)
    return _ics(calendar.group_feed(group), f"gmg-{group.slug}.ics")


@login_required
@require_http_methods(["GET", "POST"])
def subscribe(request):
    """The person's feed address: see it, copy it, regenerate it (the old one stops) or revoke it."""
    token = live_token(request.user)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "regenerate":
            try:
                token_renew(person=request.user)
            except IntegrityError:
                messages.error(request, _("The address was being changed at the same moment; try again."))
            else:
                messages.success(request, _("A new calendar address is ready; the old one no longer works."))
        elif action == "revoke":
            if token_revoke(person=request.user):
                messages.success(
                    request, _("Your calendar address is revoked: calendars subscribed to it stop updating.")
                )
            else:
                messages.info(request, _("You had no calendar address to revoke."))
        else:
            messages.error(request, _("Choose to regenerate or to revoke the address."))
            return render(request, "meetings/notices/subscribe.html", _subscribe_context(request, token), status=400)
        return redirect("reminders:subscribe")
    return render(request, "meetings/notices/subscribe.html", _subscribe_context(request, token))


def _subscribe_context(request, token):
    feed_url = calendar.absolute(reverse("reminders:person_feed", args=[token.token])) if token else None
    # With a live token, the shared feeds' addresses carry it in their path, for calendar applications.
    gmg_url = calendar.absolute(
        reverse("reminders:gmg_feed_token", args=[token.token]) if token else reverse("reminders:gmg_feed")
    )
    groups = [
        (
            group,
            calendar.absolute(
                reverse("reminders:group_feed_token", args=[group.slug, token.token])
                if token
                else reverse("reminders:group_feed", args=[group.slug])
            ),
        )
        for group in Group.objects.order_by("kind", "name")
    ]
    return {"token": token, "feed_url": feed_url, "gmg_url": gmg_url, "groups": groups}


# -- notices --------------------------------------------------------------------------------------------------


@login_required
@require_GET
def notice_list(request):
    notices = Notice.objects.filter(recipient=request.user)
    show = request.GET.get("show", "all")
    if show == "unread":
        notices = notices.unread()
    elif show != "all":
        return render(
            request,
            "meetings/notices/notice_list.html",
            {"notices": [], "show": "all", "error": _("Show either all notices or the unread ones.")},
            status=400,
        )
    return render(
        request,
        "meetings/notices/notice_list.html",
        {
            "notices": list(notices[:NOTICES_PER_PAGE]),
            "show": show,
            "unread": Notice.objects.filter(recipient=request.user).unread().count(),
        },
    )


@login_required
@require_POST
def notice_read(request, pk: int):
    """Mark one of the person's notices read; with `open`, go on to what it is about."""
    notice = get_object_or_404(Notice, pk=pk, recipient=request.user)
    if notice.read_at is None:
        Notice.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=timezone.now())
    if request.POST.get("open") and notice.url and url_has_allowed_host_and_scheme(notice.url, allowed_hosts=None):
        return redirect(notice.url)
    if request.htmx:
        return bell(request)
    messages.success(request, _("Marked as read: %(title)s") % {"title": notice.title})
    show = "unread" if request.POST.get("show") == "unread" else "all"
    return redirect(f"{reverse('reminders:notice_list')}?show={show}")


@login_required
@require_POST
def notice_read_all(request):
    count = Notice.objects.filter(recipient=request.user).unread().update(read_at=timezone.now())
    messages.success(
        request,
        ngettext("%(count)s notice marked as read.", "%(count)s notices marked as read.", count) % {"count": count},
    )
    return redirect("reminders:notice_list")


@login_required
@require_GET
def bell(request):
    """The bell with the unread count, as the nav bar includes it (htmx refreshes it)."""
    return render(request, "meetings/notices/bell.html")


# -- delivery, for the support team ---------------------------------------------------------------------------

DELIVERY_ROWS = 50


@login_required
@require_GET
def delivery(request):
    """Failed and stuck reminders in one place: attempts, last error, the oldest unsent."""
    require(can_watch_delivery(request.user), _("Only the support team follows up reminders that did not go."))
    health = sweep.delivery_health()
    context = {
        "health": health,
        "oldest": parse_datetime(health["oldest_unsent"]) if health["oldest_unsent"] else None,
        "stuck_minutes": settings.GMG_REMINDER_STUCK_MINUTES,
        "limit": DELIVERY_ROWS,
        **sweep.delivery_problems(DELIVERY_ROWS),
    }
    return render(request, "meetings/notices/delivery.html", context)
