"""Bad input on every form: a corpus posted to every write URL the URL walk finds, as a signed-in support person.

For each write URL (tests/test_write_urls.py walks them), the form is opened as it would be, then posted with
every field of a kind replaced by one bad value at a time: empty, 100,000 characters, NUL bytes, line breaks in
one-line fields, right-to-left and combining characters, days in year 1 and 9999 and 31 February, negative and
huge numbers, currencies that are not ISO 4217. The portal must never answer with a server error, and a refused
post must leave the record exactly as it was.

A new write URL whose address names an object the walk has no sample of fails here with what to add to
SAMPLES below.
"""

from __future__ import annotations

import re
import uuid
from datetime import date

import pytest
from django import forms
from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.core.files.base import ContentFile
from django.urls import get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from archive.models import Document
from chairs.models import ChairFunction
from events.models import ExternalEvent, InputRequest
from groups.models import Person
from tests.factories import (
    make_action_point,
    make_activity,
    make_agency,
    make_decision,
    make_group,
    make_meeting,
    make_output,
    make_person,
    make_stream,
    make_term,
    make_update,
    make_workplan,
)
from tests.test_write_urls import WRITE_URLS, url_patterns
from workplans.models import WorkPlanImport

LONG = "x" * 100_000
TEXTS = {
    "empty": "",
    "100k characters": LONG,
    "NUL bytes": "Geneva\x00meeting",
    "line breaks": "Working-level\r\nmeeting\nBEGIN:VEVENT",
    "right-to-left and combining": "\u202eاجتماع\u202c Z\u0351\u0361a\u0338l\u0335g\u0334o\u0337 e\u0301",
}
DAYS = {"year 1": "0001-01-01", "year 9999": "9999-12-31", "31 February": "2015-02-31", "not a day": "soon"}
NUMBERS = {"negative": "-1", "huge": "9" * 40, "not a number": "many"}
CURRENCIES = {"unknown currency": "XXX", "lower-case with digits": "us1", "long": "DOLLARS"}
CORPUS = [("text", k, v) for k, v in TEXTS.items()] + [("day", k, v) for k, v in DAYS.items()]
CORPUS += [("number", k, v) for k, v in NUMBERS.items()] + [("currency", k, v) for k, v in CURRENCIES.items()]
CORPUS += [("choice", "not a choice", "no-such-choice")]

# The keys the views without a form of their own read (moves, removals, notices, the feed address page).
BARE_KEYS = ["direction", "confirm", "action", "open", "next", "decision", "comment"]


def _kind(field: forms.Field, name: str) -> str | None:
    if isinstance(field, forms.DateField):
        return "day"
    if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        return "number"
    if isinstance(field, forms.ModelChoiceField | forms.ChoiceField):
        return "choice"
    if name.endswith("currency"):
        return "currency"
    if isinstance(field, forms.CharField):
        return "text"
    return None


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ilo, unodc = make_agency("ILO"), make_agency("UNODC")
    group = make_group(co_chairs=[ilo], slug="tf-decent-work")
    term = make_term(ilo, date(2015, 1, 1), date(2015, 12, 31))
    meeting = make_meeting(date(2015, 5, 4), title="TF meeting", venue="Geneva")
    item = meeting.agenda_items.create(position=1, title="Welcome")
    point = make_action_point(meeting, unodc, text="Send comments", due_on=date(2015, 6, 1))
    plan = make_workplan(slug="mawp-test")
    stream = make_stream(plan, title="Human rights", lead_group=group)
    output = make_output(stream, year=2014)
    activity = make_activity(
        output=output, lead_agencies=[unodc], starts_on=date(2014, 3, 1), ends_on=date(2014, 5, 31)
    )
    update = make_update(activity, unodc, review="returned")
    person = make_person("support", role=Person.Role.SUPPORT, is_staff=True, agency=ilo)
    notice = person.notices.create(title="A notice", url="/")
    colleague = make_person("colleague", role=Person.Role.FOCAL_POINT, agency=ilo)
    decision = make_decision(meeting, "1", trial_months=36, review_on=date(2016, 7, 3))
    event = ExternalEvent.objects.create(name="GFMD summit (2014)", kind="gfmd", starts_on=date(2014, 5, 12))
    input_request = InputRequest.objects.create(event=event, asked="Key messages", due_on=date(2014, 5, 1))
    input_request.agencies.set([ilo, unodc])
    # A pending workbook import whose stored file is not a workbook at all (damaged, or changed on the disk).
    bad_import = WorkPlanImport.objects.create(
        workplan=plan,
        token=uuid.uuid4(),
        file=ContentFile(b"PK\x03\x04 not a workbook \x00" * 50, name="damaged.xlsx"),
        file_name="damaged.xlsx",
        uploaded_by=person,
    )
    document = Document.objects.create(title="Minutes", kind="minutes", dated=date(2013, 2, 18), text="Minutes")
    function = ChairFunction.objects.create(level="principals", number="v", position=5, text="Represent the GMG")
    return {
        "person": person,
        # (the address's literal segment before the parameter, the parameter): the sample's value
        "samples": {
            ("meetings", "pk"): meeting.pk,
            ("agenda", "item_pk"): item.pk,
            ("action-points", "point_pk"): point.pk,
            ("chairs", "pk"): term.pk,
            ("workplans", "slug"): plan.slug,
            ("groups", "slug"): group.slug,
            ("activities", "pk"): activity.pk,
            ("outputs", "pk"): output.pk,
            ("streams", "pk"): stream.pk,
            ("updates", "pk"): update.pk,
            ("notices", "pk"): notice.pk,
            ("agencies", "acronym"): ilo.acronym,
            ("membership", "pk"): ilo.memberships.get().pk,
            ("people", "pk"): colleague.pk,
            ("decisions", "pk"): decision.pk,
            ("events", "pk"): event.pk,
            ("requests", "pk"): input_request.pk,
            ("imports", "token"): bad_import.token,
            ("archive", "pk"): document.pk,
            ("functions", "function_pk"): function.pk,
        },
        "import": bad_import,
        "plan": plan,
        "activity": activity,
    }


def _address(route: str, samples: dict) -> str:
    def fill(match: re.Match) -> str:
        before = route[: match.start()].rstrip("/").rsplit("/", 1)[-1]
        key = (before, match.group(2))
        if key not in samples:
            pytest.fail(
                f"The bad-input corpus has no sample object for {key} in /{route}: add one to the world fixture "
                "of tests/test_bad_input.py and its 'samples'."
            )
        return str(samples[key])

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", fill, route)


def _routes() -> dict[str, str]:
    """The route of each write URL by name (the walk's names, the admin aside)."""
    names = {}

    def walk(patterns, prefix="", namespace=""):
        from django.urls import URLPattern, URLResolver

        for entry in patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace == "admin":
                    continue
                inside = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, prefix + str(entry.pattern), inside)
            elif isinstance(entry, URLPattern):
                route = prefix + str(entry.pattern)
                names.setdefault(f"{namespace}{entry.name}" if entry.name else route, route)

    walk(get_resolver().url_patterns)
    return names


def snapshot() -> list:
    """Every row of the portal's own records (the apps' models), to prove a refused post changed nothing."""
    rows = []
    for label in ("groups", "chairs", "meetings", "workplans", "events", "archive"):
        for model in apps.get_app_config(label).get_models():
            if model._meta.db_table.endswith("_history") or model.__name__.startswith("Historical"):
                continue
            fields = [f.attname for f in model._meta.concrete_fields if f.attname not in {"last_login"}]
            rows.append((model.__name__, list(model.objects.order_by("pk").values_list(*fields))))
    return rows


def _bad_posts(client, url: str):
    """(what, data) for each corpus value, from the form as it opens (or the bare keys of a form-less view)."""
    response = client.get(url)
    form = response.context.get("form") if response.status_code == 200 and response.context else None
    if not isinstance(form, forms.BaseForm):
        for kind, what, value in CORPUS:
            if kind in ("text", "choice"):
                yield what, dict.fromkeys(BARE_KEYS, value)
        return
    opened = {}
    for name in form.fields:
        value = form[name].value()
        if value is not None:
            opened[form.add_prefix(name)] = (
                [str(getattr(v, "pk", v)) for v in value] if isinstance(value, list | tuple) else str(value)
            )
    kinds = {form.add_prefix(name): _kind(field, name) for name, field in form.fields.items()}
    for kind, what, value in CORPUS:
        targets = [key for key, k in kinds.items() if k == kind and not key.endswith(("revision", "token"))]
        if targets:
            yield f"{what} in {', '.join(targets)}", {**opened, **dict.fromkeys(targets, value)}


# These write URLs get a corpus of their own below (their fields are not a page's form the walk can open), or take
# no input at all.
NOT_CORPUS = {
    "logout": "signing out takes no input: there is nothing to post but the button",
    "login": "tests/test_bad_input.py::test_bad_input_at_sign_in_is_refused_plainly",
    "password_reset_confirm": "tests/test_bad_input.py::test_bad_new_passwords_are_refused_and_the_old_one_stays",
    "api:activity-updates": "tests/test_bad_input.py::test_the_api_refuses_bad_json_with_its_reasons_and_files_nothing",
    "workplans:workplan_import_apply": "tests/test_bad_input.py::test_applying_a_damaged_workbook_applies_nothing_and_says_so",  # noqa: E501
    "two_factor_verify": "tests/gmg_portal/test_two_factor.py::test_a_code_that_is_not_six_digits_is_refused_with_a_message",  # noqa: E501
}


@pytest.mark.parametrize("name", sorted(set(WRITE_URLS) - set(NOT_CORPUS)))
def test_bad_input_on_every_form_is_refused_plainly_and_changes_nothing(client, world, name):
    routes = _routes()
    assert name in routes, f"{name} is in WRITE_URLS but not among the URL patterns"
    url = _address(routes[name], world["samples"])
    client.force_login(world["person"])
    failures = []
    for what, data in _bad_posts(client, url):
        before = snapshot()
        response = client.post(url, data)
        if response.status_code >= 500:
            failures.append(f"{what}: {response.status_code}")
        elif response.status_code >= 400 and snapshot() != before:
            failures.append(f"{what}: refused ({response.status_code}) but the record changed")
    assert not failures, f"POST {url}: " + "; ".join(failures)


def test_the_corpus_reaches_every_write_url_the_walk_knows():
    assert {name for name, _ in url_patterns()} >= set(WRITE_URLS)


# -- an empty post ------------------------------------------------------------------------------------------------

# Where an empty post is neither refused in the page (400) nor redirected with a message, the reason in words.
EMPTY_POST_REASONS = {
    "logout": "Signing out takes no input: an empty post signs the person out, as asked.",
    "two_factor_verify": "Open only while a sign-in owes its second step (the walker owes none and is sent on); "
    "an empty code there is refused in the page: "
    "tests/gmg_portal/test_two_factor.py::test_a_code_that_is_not_six_digits_is_refused_with_a_message.",
    "api:activity-updates": "The API answers JSON, not a page: an empty body is tested in "
    "tests/test_bad_input.py::test_the_api_refuses_bad_json_with_its_reasons_and_files_nothing.",
}

# The sign-in pages are posted by someone signed out (a signed-in person is sent on from the sign-in page).
SIGNED_OUT = {"login", "password_reset", "password_reset_confirm"}


def _signed_out_address(client, world, name: str) -> str:
    if name != "password_reset_confirm":
        return reverse(name)
    person = world["person"]
    link = reverse(
        "password_reset_confirm",
        args=[urlsafe_base64_encode(force_bytes(person.pk)), default_token_generator.make_token(person)],
    )
    # Django keeps the link's token in the session and sends the browser on to the new-password form.
    opened = client.get(link)
    assert opened.status_code == 302, f"GET {link}: {opened.status_code}"
    return opened["Location"]


# What a page shows when it refuses a post: the fields' own errors or the form's alert.
REFUSAL_MARKS = ("is-invalid", "invalid-feedback", "errorlist", "alert-danger", 'role="alert"')


@pytest.mark.parametrize("name", sorted(WRITE_URLS))
def test_an_empty_post_to_every_write_url_is_refused_in_the_page_or_redirected_with_a_message(client, world, name):
    """An empty POST is a post: never the blank form again with a 200 and not a word (a form bound only when the
    POST has data treats an empty one as a GET)."""
    from django.contrib.messages import get_messages

    if name in EMPTY_POST_REASONS:
        return
    if name in SIGNED_OUT:
        url = _signed_out_address(client, world, name)
    else:
        url = _address(_routes()[name], world["samples"])
        client.force_login(world["person"])
    response = client.post(url, {})
    assert response.status_code < 500, f"POST {url} with nothing: {response.status_code}"
    if response.status_code in (301, 302, 303):
        told = [str(message) for message in get_messages(response.wsgi_request)]
        assert told, f"POST {url} with nothing redirects to {response['Location']} without a message"
        return
    page = response.content.decode()
    assert response.status_code >= 400, f"POST {url} with nothing answers {response.status_code}, as if it were a GET"
    assert any(mark in page for mark in REFUSAL_MARKS), (
        f"POST {url} with nothing: {response.status_code}, no error shown"
    )


def test_every_reason_for_an_empty_post_names_a_write_url():
    assert set(EMPTY_POST_REASONS) <= set(WRITE_URLS)


# -- the write URLs that are not a page's form ---------------------------------------------------------------------


def test_each_write_url_outside_the_corpus_names_its_own_test_or_takes_no_input():
    from tests.test_write_urls import _problem

    assert set(NOT_CORPUS) <= set(WRITE_URLS)
    for name, reason in NOT_CORPUS.items():
        assert reason.startswith("tests/") or "no input" in reason, name
        assert _problem(reason) is None if reason.startswith("tests/") else True, (name, _problem(reason))


@pytest.mark.parametrize(("what", "value"), [*TEXTS.items(), ("a line break and NUL", "support\n\x00")])
def test_bad_input_at_sign_in_is_refused_plainly(client, world, what, value):
    """The sign-in form (Django's, the lockouts of django-axes behind it): no server error, no session."""
    for data in ({"username": value, "password": value}, {"username": "support", "password": value}):
        response = client.post(reverse("login"), data)
        assert response.status_code in (400, 429), f"{what}: {response.status_code}"
        assert "_auth_user_id" not in client.session
        if response.status_code == 400:
            assert any(mark in response.text for mark in REFUSAL_MARKS), what


@pytest.mark.parametrize(
    ("what", "first", "second"),
    [
        ("empty", "", ""),
        ("100k characters", LONG, LONG),
        ("NUL bytes", "Geneva\x00Migration-2015", "Geneva\x00Migration-2015"),
        ("the two differ", "Migration-2015-ok", "Migration-2015-no"),
        ("too common", "password123", "password123"),
        ("too short", "Mg-1", "Mg-1"),
        ("over 1,024 characters", "Mg-2015-" * 200, "Mg-2015-" * 200),
    ],
)
def test_bad_new_passwords_are_refused_and_the_old_one_stays(client, world, what, first, second):
    person = world["person"]
    before = Person.objects.get(pk=person.pk).password
    url = _signed_out_address(client, world, "password_reset_confirm")
    response = client.post(url, {"new_password1": first, "new_password2": second})
    assert response.status_code == 400, f"{what}: {response.status_code}"
    assert any(mark in response.text for mark in REFUSAL_MARKS), what
    assert Person.objects.get(pk=person.pk).password == before
    # The link still works for a good password afterwards.
    done = client.post(url, {"new_password1": "Migration-2015-ok", "new_password2": "Migration-2015-ok"})
    assert done.status_code == 302


API_BODIES = {
    "empty": b"",
    "not JSON": b"status=on_track",
    "a list": b"[1, 2, 3]",
    "a NUL byte": b'{"status": "on_track", "narrative": "a\\u0000b", "token": "%s"}',
    "100k characters": b'{"status": "on_track", "narrative": "' + b"x" * 100_000 + b'", "token": "%s"}',
    "wrong types": b'{"status": 7, "narrative": ["a"], "links": "https://example.org", "token": 12}',
    "not a status": b'{"status": "nearly", "narrative": "fine", "token": "%s"}',
    "broken UTF-8": b'{"status": "on_track", "narrative": "\xff\xfe", "token": "%s"}',
    "huge nesting": b"[" * 10_000 + b"]" * 10_000,
}


@pytest.mark.parametrize("what", sorted(API_BODIES))
def test_the_api_refuses_bad_json_with_its_reasons_and_files_nothing(client, world, what):
    from api.services import api_token_create
    from workplans.models import ActivityUpdate

    key = api_token_create(person=world["person"])[1]
    activity = world["activity"]
    raw = API_BODIES[what]
    if b"%s" in raw:
        raw = raw.replace(b"%s", str(uuid.uuid4()).encode())
    before = ActivityUpdate.objects.count()
    response = client.post(
        reverse("api:activity-updates", args=[activity.pk]),
        raw,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert 400 <= response.status_code < 500, f"{what}: {response.status_code}"
    assert response.json(), f"{what}: a refusal without its reason"
    assert ActivityUpdate.objects.count() == before


def test_applying_a_damaged_workbook_applies_nothing_and_says_so(client, world):
    from django.contrib.messages import get_messages

    upload = world["import"]
    client.force_login(world["person"])
    before = snapshot()
    response = client.post(reverse("workplans:workplan_import_apply", args=[upload.token]), {})
    assert response.status_code == 302
    told = [str(message) for message in get_messages(response.wsgi_request)]
    assert told and told[0].startswith("Nothing was applied."), told
    assert snapshot() == before
    # Not marked applied: the person may upload a good workbook and apply that instead.
    upload.refresh_from_db()
    assert upload.applied_at is None
