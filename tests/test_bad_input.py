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
from django.utils import timezone
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
    register_kept_once,
)
from tests.test_write_urls import WRITE_URLS, url_patterns
from website.models import Article, Publication
from website.services import publish
from workplans.models import WorkPlanImport

LONG = "x" * 100_000
TEXTS = {
    "empty": "",
    "100k characters": LONG,
    "NUL bytes": "Geneva\x00meeting",
    "line breaks": "Working-level\r\nmeeting\nBEGIN:VEVENT",
    "right-to-left": "اجتماع جنيف",
    "23 right-to-left characters": "ع" * 23,
    "direction marks": "\u202eاجتماع\u202c Geneva",
    "an accent as a combining mark": "Bogota\u0301",
    "stacked combining marks": "Z\u0351\u0361\u0338\u0335a\u0338\u0335\u0334\u0337lgo",
}
DAYS = {"year 1": "0001-01-01", "year 9999": "9999-12-31", "31 February": "2015-02-31", "not a day": "soon"}
NUMBERS = {"negative": "-1", "huge": "9" * 40, "not a number": "many"}
CURRENCIES = {"unknown currency": "XXX", "lower-case with digits": "us1", "long": "DOLLARS"}
CORPUS = [("text", k, v) for k, v in TEXTS.items()] + [("day", k, v) for k, v in DAYS.items()]
CORPUS += [("number", k, v) for k, v in NUMBERS.items()] + [("currency", k, v) for k, v in CURRENCIES.items()]
CORPUS += [("choice", "not a choice", "no-such-choice")]

REFUSE, KEEP = "refused with its reason", "saved exactly as typed"
# What each kind of text field must do with each text of the corpus (this table is the rule; the portal's forms
# must follow it). An identifier names a record in lists, numbers and files: plain Latin letters, digits and a few
# signs. A one-line title or name takes any script and accents, but no line break, no invisible direction mark
# (they reverse the text around it) and no pile of combining marks. Free text takes anything but NUL. Every text
# has a maximum: a value longer than the field's is refused with a message.
TEXT_OUTCOMES = {
    "identifier": dict.fromkeys(TEXTS, REFUSE),
    "one line": {
        **dict.fromkeys(TEXTS, REFUSE),
        "right-to-left": KEEP,
        "23 right-to-left characters": KEEP,
        "an accent as a combining mark": KEEP,
    },
    "free text": {**dict.fromkeys(TEXTS, KEEP), "100k characters": REFUSE, "NUL bytes": REFUSE},
}
# Field names that hold an identifier or a one-line title wherever they appear (a title may be drawn in a box).
IDENTIFIER_NAMES = {"acronym", "number", "currency", "code", "iati_identifier", "links"}  # links: web addresses
ONE_LINE_NAMES = {"title", "name", "full_name", "sort_name", "label", "venue", "place"}

# The keys the views without a page of their own read, and their kinds: each bad value must be refused.
FORMLESS = {
    "chairs:report_submit": {"submitted_on": "day"},
    "chairs:rotation": {"starts_on": "day", "proposed": "choice"},
    "groups:absence_add": {"starts_on": "day", "ends_on": "day"},
    "reminders:subscribe": {"action": "choice"},
    "workplans:activity_move": {"direction": "choice"},
    "workplans:output_move": {"direction": "choice"},
    "workplans:stream_move": {"direction": "choice"},
}
# The write URLs that take no value the corpus could spoil, and why (checked: their form has no such field).
NO_INPUT = {
    "meetings:action_point_delete": "A removal button: no field.",
    "meetings:agenda_item_delete": "A removal button: no field.",
    "reminders:notice_read": "Marks the person's own notice read; its keys only choose the page to go on to.",
    "reminders:notice_read_all": "Marks the person's own notices read; no field.",
    "workplans:output_renumber": "A button that numbers the output's activities in plan order; no field. "
    "What it reads (the output's number) is spoilt by the corpus first: see the readers below.",
    "workplans:activity_remove": "A confirmation tick box and its button.",
    "workplans:output_remove": "A confirmation tick box and its button.",
    "workplans:stream_remove": "A confirmation tick box and its button.",
    "workplans:workplan_import": "A workbook upload; hostile workbooks: tests/workplans/test_spreadsheets.py.",
    "desk:take_off": "A button that takes an item off the public website; no field.",
}


def _text_kind(field: forms.Field, name: str) -> str:
    if name in IDENTIFIER_NAMES or isinstance(field, forms.URLField | forms.EmailField | forms.SlugField):
        return "identifier"
    if name in ONE_LINE_NAMES or not isinstance(field.widget, forms.Textarea):
        return "one line"
    return "free text"


def expected(field: forms.Field, name: str, what: str, value: str) -> str:
    """What the portal must do with `value` in `field`: REFUSE or KEEP."""
    if value == "":
        return REFUSE if field.required else KEEP
    if field.max_length is not None and len(value) > field.max_length:
        return REFUSE
    return TEXT_OUTCOMES[_text_kind(field, name)][what]


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
@register_kept_once
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
    article = Article.objects.create(slug="gfmd-2014", title="The GMG at the GFMD", summary="At the GFMD.", body="Text")
    page = Article.objects.create(kind="page", slug="contact", title="Contact", summary="Write to us.", body="Text")
    tor = group.terms_of_reference.get()
    for kind, obj in (("article", article), ("article", page), ("agency", ilo), ("group", group), ("workplan", plan)):
        publish(kind=kind, obj=obj)
    for kind, obj in (("meeting", meeting), ("event", event), ("tor", tor)):
        publish(kind=kind, obj=obj)
    # The document has its text only (no version to choose): its publication is written as it stands.
    Publication.objects.create(kind="document", object_id=document.pk, public_from=timezone.now())
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
            ("articles", "pk"): article.pk,
            ("website", "kind"): "agency",
            ("<str:kind>", "pk"): ilo.pk,  # /website/<kind>/<pk>/: an agency on the public website
            # The public website's pages of the world's objects (published above).
            ("members", "slug"): "ilo",
            ("working-groups", "slug"): group.slug,
            ("terms-of-reference", "pk"): tor.pk,
            ("work-plans", "slug"): plan.slug,
            ("<int:pk>-", "slug"): "as-named",  # a page's words after its id: another answers with a redirect
            ("news", "slug"): article.slug,
            ("", "slug"): page.slug,
            ("publications", "pk"): document.pk,
            ("annual-reports", "slug"): f"{term.pk}-ilo-2015",
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
    for config in apps.get_app_configs():
        if not getattr(config, "holds_the_record", False):
            continue
        for model in config.get_models():
            if model._meta.db_table.endswith("_history") or model.__name__.startswith("Historical"):
                continue
            fields = [f.attname for f in model._meta.concrete_fields if f.attname not in {"last_login"}]
            rows.append((model.__name__, list(model.objects.order_by("pk").values_list(*fields))))
    return rows


def _opened(form: forms.BaseForm) -> dict:
    """The form's values as it opens, as a browser would send them."""
    opened = {}
    for name in form.fields:
        value = form[name].value()
        if value is not None:
            opened[form.add_prefix(name)] = (
                [str(getattr(v, "pk", v)) for v in value] if isinstance(value, list | tuple) else str(value)
            )
    return opened


def open_form(client, url: str) -> forms.BaseForm:
    """The form of the page at `url`, as it opens now (its current revision and a fresh one-time token): the page
    must open with its form - a form page that stops opening fails here, it does not drop out of the corpus."""
    response = client.get(url)
    assert response.status_code == 200, f"GET {url}: {response.status_code} - the form page does not open"
    form = response.context.get("form") if response.context else None
    assert isinstance(form, forms.BaseForm), f"GET {url}: the page opens without its form"
    return form


def _kinds(form: forms.BaseForm) -> dict[str, tuple[str, forms.Field, str]]:
    """(kind, field, name) of each field the corpus spoils, by its key in the post."""
    kinds = {}
    for name, field in form.fields.items():
        kind = _kind(field, name)
        if kind and name not in ("revision", "token"):
            kinds[form.add_prefix(name)] = (kind, field, name)
    return kinds


def _changed_texts(before: list, after: list) -> list[str]:
    """The texts of the cells (row and column) a post changed or added."""
    old = {(model, row[0], column): cell for model, rows in before for row in rows for column, cell in enumerate(row)}
    return [
        cell
        for model, rows in after
        for row in rows
        for column, cell in enumerate(row)
        if isinstance(cell, str) and old.get((model, row[0], column)) != cell
    ]


def _refusal(response) -> tuple[bool, dict]:
    """(refused, the errors by field name) of an answer to a post."""
    form = response.context.get("form") if response.context else None
    errors = dict(form.errors) if isinstance(form, forms.BaseForm) and form.is_bound else {}
    if 400 <= response.status_code < 500 or errors:
        return True, errors
    if response.status_code in (301, 302, 303):
        from django.contrib.messages import get_messages

        told = [m for m in get_messages(response.wsgi_request) if m.level_tag in ("error", "warning")]
        return bool(told), {}
    return False, {}


def post_and_judge(client, url: str, data: dict, outcomes: dict[str, tuple[str, str, str]]) -> list[str]:
    """Post `data`; each key of `outcomes` (key -> (field name, outcome, value)) must meet its outcome:
    REFUSE - the post refused with that field's reason shown and the record unchanged; KEEP - no error on that
    field, and when nothing was refused, the value saved exactly as typed (less the ends' spaces)."""
    before = snapshot()
    try:
        response = client.post(url, data)
    except Exception as error:  # the test client raises what the view raised: a server error for a person
        return [f"server error ({type(error).__name__}: {str(error)[:200]})"]
    status = response.status_code
    if status >= 500:
        return [f"answered {status}"]
    if status == 409:
        return ["answered 409: the post carried the revision it was opened with, so no conflict was due"]
    refused, errors = _refusal(response)
    problems = []
    if refused:
        if snapshot() != before:
            problems.append(f"refused ({status}) but the record changed")
        page = response.content.decode(errors="replace")
        if status != 302 and not any(mark in page for mark in REFUSAL_MARKS):
            problems.append(f"refused ({status}) without a reason shown")
        for key, (name, outcome, _value) in outcomes.items():
            if outcome == REFUSE and errors and name not in errors:
                problems.append(f"{key} accepted (the post was refused for other fields only: {sorted(errors)})")
            if outcome == KEEP and name in errors:
                problems.append(f"{key} refused: {' '.join(errors[name])}")
        # A post refused only for fields the corpus left as the page opened them (a new record's other required
        # fields, a tick already given) says nothing of the values kept: their fields carry no error.
        return problems
    changed = _changed_texts(before, snapshot())
    for key, (_name, outcome, value) in outcomes.items():
        if outcome == REFUSE:
            problems.append(f"{key} accepted ({status}) and saved")
        elif value.strip() and not any(value.strip() in cell for cell in changed):
            problems.append(f"{key} accepted but not saved as typed")
    return problems


# What the page's button sends beside the form's fields, where the view reads it.
BUTTONS = {"two_factor": {"action": "turn_on"}}


def _corpus_on_form(client, url: str, button: dict | None = None, before_each=None) -> list[str]:
    """Each bad value in each field of its kind, on the form re-opened before each post."""
    failures = []
    form = open_form(client, url)
    kinds = _kinds(form)
    if not kinds:
        return [f"{url}: the form has no field the corpus can fill; name it in NO_INPUT with the reason"]
    for kind, what, value in CORPUS:
        targets = {key: (field, name) for key, (k, field, name) in kinds.items() if k == kind}
        if not targets:
            continue
        outcomes = {
            key: (name, expected(field, name, what, value) if kind == "text" else REFUSE, value)
            for key, (field, name) in targets.items()
        }
        rounds = [outcomes]
        keep = {key: o for key, o in outcomes.items() if o[1] == KEEP}
        if keep and len(keep) < len(outcomes):
            rounds.append(keep)  # the kept ones alone, so that they are saved and read back
        for chosen in rounds:
            if before_each is not None:
                before_each()
            form = open_form(client, url)
            data = {**_opened(form), **(button or {}), **dict.fromkeys(chosen, value)}
            failures += [f"{what}: {problem}" for problem in post_and_judge(client, url, data, chosen)]
    return failures


def _corpus_on_command(client, url: str, keys: dict[str, str]) -> list[str]:
    failures = []
    for kind, what, value in CORPUS:
        for key, key_kind in keys.items():
            if key_kind == kind:
                problems = post_and_judge(client, url, {key: value}, {key: (key, REFUSE, value)})
                failures += [f"{what} in {key}: {problem}" for problem in problems]
    return failures


# These write URLs get a corpus of their own below (their fields are not a page's form the walk can open), or take
# no input at all.
NOT_CORPUS = {
    "logout": "signing out takes no input: there is nothing to post but the button",
    "login": "tests/test_bad_input.py::test_bad_input_at_sign_in_is_refused_plainly",
    "password_reset_confirm": "tests/test_bad_input.py::test_bad_new_passwords_are_refused_and_the_old_one_stays",
    "api:activity-updates": "tests/test_bad_input.py::test_the_api_refuses_bad_json_with_its_reasons_and_files_nothing",
    "workplans:workplan_import_apply": "tests/test_bad_input.py::test_applying_a_damaged_workbook_applies_nothing_and_says_so",  # noqa: E501
    "two_factor_verify": "tests/accounts/test_two_factor.py::test_a_code_that_is_not_six_digits_is_refused_with_a_message",  # noqa: E501
}


# Writes that must meet the world as it was made: resubmitting the returned update (a report filed on its
# activity by the corpus supersedes it).
FIRST = {"workplans:update_resubmit"}


def _return_the_update(world) -> None:
    """A resubmission answers the update once: the support team returns it again before the next value."""
    from workplans.models import ActivityUpdate

    ActivityUpdate.objects.filter(pk=world["samples"][("updates", "pk")]).update(review="returned")


# What makes a form open again after a value was kept (its record is no longer in the state the form is for).
BEFORE_EACH_POST = {"workplans:update_resubmit": _return_the_update}

# Readers whose address needs an object, a file, a token or a format the world does not make.
NOT_READ = {
    "archive:version_file",
    "chairs:report_download",
    "events:contribution_file",
    "groups:group_report",
    "groups:group_report_download",
    "groups:tor_pdf",
    "meetings:action_point_export",
    "register:meeting_calendar_month",
    "meetings:meeting_document",
    "reminders:gmg_feed_token",
    "reminders:group_feed_token",
    "reminders:person_feed",
    "workplans:attachment_download",
    "workplans:round_detail",
    "website:image",
    "website:publication_file",
    "website:report_file",
}


def _last(name: str) -> bool:
    """The removals and the deactivation last: the other forms still find their rows."""
    return any(word in name for word in ("remove", "delete", "deactivate"))


def run_the_corpus(client, world, names) -> dict[str, list[str]]:
    """The corpus on each write URL in `names`, in one world (what one form saved, the next one and the readers
    meet), then the readers of what was saved; the failures by URL name."""
    routes = _routes()
    failures = {}
    ordered = sorted(names, key=lambda name: (name not in FIRST, _last(name), name))
    for name in [n for n in ordered if not _last(n)]:
        failures[name] = _corpus_on(client, world, routes, name)
    failures["(the readers)"] = read_what_was_saved(client, world)
    for name in [n for n in ordered if _last(n)]:
        failures[name] = _corpus_on(client, world, routes, name)
    return {name: found for name, found in failures.items() if found}


def _corpus_on(client, world, routes, name) -> list[str]:
    assert name in routes, f"{name} is in WRITE_URLS but not among the URL patterns"
    url = _address(routes[name], world["samples"])
    client.force_login(world["person"])
    if name in FORMLESS:
        return [f"POST {url}: {failure}" for failure in _corpus_on_command(client, url, FORMLESS[name])]
    if name in NO_INPUT:
        response = client.get(url)
        form = response.context.get("form") if response.status_code == 200 and response.context else None
        if isinstance(form, forms.BaseForm) and _kinds(form):
            return [f"{url} is in NO_INPUT but its form has fields {sorted(_kinds(form))}"]
        return []
    try:
        before_each = (lambda: BEFORE_EACH_POST[name](world)) if name in BEFORE_EACH_POST else None
        found = _corpus_on_form(client, url, BUTTONS.get(name), before_each)
        return [f"POST {url}: {failure}" for failure in found]
    except AssertionError as error:
        return [str(error)]


def read_what_was_saved(client, world) -> list[str]:
    """Every page that reads the record (each read-only URL, with the world's objects) and the renumbering of
    the output, after the corpus: what one form kept must not break another page or action."""
    client.force_login(world["person"])
    failures = []
    for name, route in sorted(_routes().items()):
        if name in WRITE_URLS or name.startswith(("api", "logout", "login", "password_reset", "two_factor")):
            continue
        if name in NOT_READ:
            continue
        try:
            url = _address(route, world["samples"])
        except pytest.fail.Exception:
            failures.append(f"no sample for the reader {name} (/{route}): add one to the world fixture or NOT_READ")
            continue
        response = client.get(url)
        if response.status_code >= 500:
            failures.append(f"GET {url} after the corpus: {response.status_code}")
    renumber = reverse("workplans:output_renumber", args=[world["samples"][("outputs", "pk")]])
    response = client.post(renumber)
    if response.status_code >= 500:
        failures.append(f"POST {renumber} after the corpus: {response.status_code}")
    return failures


def test_every_bad_value_on_every_form_is_refused_with_its_reason_or_saved_exactly_as_typed(client, world):
    names = set(WRITE_URLS) - set(NOT_CORPUS)
    assert set(FORMLESS) | set(NO_INPUT) <= names
    failures = run_the_corpus(client, world, names)
    assert not failures, "\n".join(f"{name}: {'; '.join(found)}" for name, found in failures.items())


def test_the_gate_catches_a_form_that_keeps_anything_in_a_code_and_one_that_breaks_on_a_value(client, world, settings):
    settings.ROOT_URLCONF = "tests.bad_input_probe"
    client.force_login(world["person"])
    kept = _corpus_on_form(client, "/probe/keeps-anything/")
    for what in ("100k characters", "right-to-left", "direction marks", "stacked combining marks"):
        assert any(failure.startswith(f"{what}: acronym accepted") for failure in kept), (what, kept)
    broken = _corpus_on_form(client, "/probe/breaks-on-arabic/")
    assert any(failure.startswith("right-to-left: server error (ValueError") for failure in broken), broken
    # The portal's own agency form, with the same values, passes.
    url = reverse("groups:agency_edit", args=[world["samples"][("agencies", "acronym")]])
    settings.ROOT_URLCONF = "gmg_portal.urls"
    assert _corpus_on_form(client, url) == []


def test_the_corpus_reaches_every_write_url_the_walk_knows():
    assert {name for name, _ in url_patterns()} >= set(WRITE_URLS)


# -- an empty post ------------------------------------------------------------------------------------------------

# Where an empty post is neither refused in the page (400) nor redirected with a message, the reason in words.
EMPTY_POST_REASONS = {
    "logout": "Signing out takes no input: an empty post signs the person out, as asked.",
    "two_factor_verify": "Open only while a sign-in owes its second step (the walker owes none and is sent on); "
    "an empty code there is refused in the page: "
    "tests/accounts/test_two_factor.py::test_a_code_that_is_not_six_digits_is_refused_with_a_message.",
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
