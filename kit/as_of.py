"""The day a page is seen as of: `?on=YYYY-MM-DD`, read in one place and carried by every link made from it.

The GMG's record is historic (2009-2017): the dashboard can be seen as the chair saw it on a day, and whatever
judges "overdue", "past" or "due" on the pages it links to judges it on that day, not today. A link made on a
page seen as of a day carries the day on: `AsOfLinksMiddleware` puts it on every link within the portal and into
every GET form of such a page (so no template can forget it; `{{ url|keep_as_of:as_of }}` does the same for a link
made elsewhere); a link meant to leave the day says so with `data-as-of-today`. A page without `?on=` is seen as
of today.
"""

from __future__ import annotations

import html
import re
from datetime import date
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from kit.inputs import parse_day


def day_from(value: str | None, default: date) -> tuple[date, str]:
    """The day a page is seen as of, from a `?on=YYYY-MM-DD` parameter; with an error message when unreadable."""
    if not value:
        return default, ""
    try:
        return parse_day(value), ""
    except ValidationError as error:
        return default, gettext("%(problem)s Showing %(day)s.") % {
            "problem": error.messages[0],
            "day": date_format(default, "DATE_FORMAT"),
        }


def _read(request) -> tuple[date | None, str]:
    """The day `?on=` names (None when absent or unreadable) and the message for an unreadable one."""
    if not hasattr(request, "_as_of"):
        value = request.GET.get("on")
        if not value:
            request._as_of = (None, "")
        else:
            day, error = day_from(value, timezone.localdate())
            request._as_of = (None if error else day, error)
    return request._as_of


def as_of_day(request) -> date:
    """The day the page is seen as of: `?on=` when it is a readable date, else today."""
    return _read(request)[0] or timezone.localdate()


def as_of_given(request) -> date | None:
    """The day `?on=` names, or None when the page is seen as of today."""
    return _read(request)[0]


def with_as_of(url: str, day: date | None) -> str:
    """`url` with `on=` set to the day (its other parameters and its #fragment kept); unchanged without a day."""
    if day is None or not url:
        return url
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    value = day.isoformat()
    if ("on", value) in query:
        return url
    if any(k == "on" for k, _ in query):
        query = [(k, value if k == "on" else v) for k, v in query]
    else:
        query.append(("on", value))
    return urlunsplit(parts._replace(query=urlencode(query)))


def context(request) -> dict:
    """Templates know the day a page is seen as of (None: today), to carry it on in their links."""
    return {"as_of": as_of_given(request)}


# The portal's own links (a path, not another site's address); the static and media files and the admin aside.
_LINK = re.compile(r"<a\b[^>]*>", re.IGNORECASE)
_HREF = re.compile(r'(\shref=")(/(?!/|static/|media/|admin/)[^"]*)(")', re.IGNORECASE)
_FORM = re.compile(r"(<form\b[^>]*>)(.*?</form>)", re.IGNORECASE | re.DOTALL)
_POST = re.compile(r"""\smethod=["']?post""", re.IGNORECASE)
_ON_FIELD = re.compile(r"""\sname=["']?on["'\s>]""", re.IGNORECASE)


def _keep_day_in_link(tag: str, day: date) -> str:
    if "data-as-of-today" in tag:
        return tag
    return _HREF.sub(lambda m: m[1] + _with_day(m[2], day) + m[3], tag, count=1)


def _with_day(escaped_url: str, day: date) -> str:
    # Most links of such a page carry the day already (`keep_as_of`): they are left as they are, unparsed.
    if re.search(rf"(?:\?|&|&amp;)on={day.isoformat()}(?:&|#|$)", escaped_url):
        return escaped_url
    return html.escape(with_as_of(html.unescape(escaped_url), day))


def _keep_day_in_form(match: re.Match, day: date) -> str:
    opening, rest = match[1], match[2]
    if _POST.search(opening) or _ON_FIELD.search(rest) or "data-as-of-today" in opening:
        return match[0]
    return f'{opening}<input type="hidden" name="on" value="{day.isoformat()}">{rest}'


def keep_day_in_page(page: str, day: date) -> str:
    """The page's links within the portal and its GET forms (filters, search), carrying the day on."""
    page = _LINK.sub(lambda m: _keep_day_in_link(m[0], day), page)
    return _FORM.sub(lambda m: _keep_day_in_form(m, day), page)


class AsOfLinksMiddleware:
    """A page seen as of a day (`?on=`) hands the day on to every page it links to, whatever made the link."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        day = as_of_given(request)
        if (
            day is None
            or response.streaming
            or not response.get("Content-Type", "").startswith("text/html")
            or response.status_code in (301, 302, 303, 304)
        ):
            return response
        charset = response.charset or "utf-8"
        response.content = keep_day_in_page(response.content.decode(charset), day).encode(charset)
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        return response
